// The soundness test of `fulcrum check --prove`: random frameworks of the differential generator
// (fuzz/RandomFramework.h), each with its random checks (if any), are proved; every check the
// prover calls `proved` must then hold on the case's random data, on both engines, in every run of
// the case (at the params' declared values, which the prover assumes), and every score component
// proved to stay in [0, 1] must never be clamped. A violation of a proved check is an unsound
// proof: the seed, the program and the violation are printed and the test fails.
//
// Every refutation's test block (compiler/prove/CounterexampleRows.h) is run on both engines as
// `check --prove` runs it (testing/ConfirmCounterexample.h); a confirmed one is run again with
// `expect no violation` in place of its `expect violation`, which must then fail: a confirmation
// that could not fail is a defect too, and so is one whose failure is not that very check's
// violation (a compile error, rows that do not load). The counts of confirmed, not reproduced and
// rowless refutations are printed. Every refutation with rows must reproduce: a block that does
// not compile, whose rows do not load, or that the engines ran without the violation fails the
// test, beyond --max-not-reproduced (the known gaps, pinned by count in tests/CMakeLists.txt). A
// check still refuted after confirmation must have been confirmed (an unconfirmed one ends
// unknown): one that is not fails the test.
//
// Bands and divisions are checked against the same runs, through the run's trace (the values of
// every formula node for every subject, `run --explain`'s: runtime/exec/Trace.h, re-evaluated by
// the reference evaluator over the run's own slots and aggregates). A band proved total must
// never show a gap: a choice of its arms reached with no arm taken and none missing (a missing
// condition makes a band missing, and is no gap). A division proved never by zero must never have
// its divisor node present and 0 while its member's slot (DivisionSpec::memberSlot) is missing.
// Refuted bands and divisions are counted when a run reaches their gap or their zero divisor: the
// solver's answer seen in data. A refuted band whose arms test one value prints its gap as
// intervals of that value (`llr in [2.5, 2.75)`): a run that reaches the gap must have the value
// (its trace's) within them, or the test fails as for an unsound proof. `--misplace-gaps` moves
// every printed gap off its values, so that a run reaching one fails: a test of this check.
//
// A run that proves too little proves nothing about soundness: it fails unless at least
// --min-proved checks were proved and --min-runs runs of proved checks were made, and at least
// --min-proved-bands bands and --min-proved-divisions divisions were proved, and their subjects
// were looked at in runs at least --min-band-subjects and --min-division-subjects times.
//
//   prove_soundness --seeds 1..300 [--min-proved N] [--min-runs N] [--min-confirmed N]
//   [--min-proved-bands N] [--min-proved-divisions N] [--min-band-subjects N]
//   [--min-division-subjects N] [--max-not-reproduced N] [--timeout-ms N] [--work DIR]
//                   [--reasons]   (how often each reason a refutation is unconfirmed was given)
#include "compiler/driver/Compilation.h"
#include "compiler/lower/Lower.h"
#include "compiler/lower/MakeProgram.h"
#include "compiler/prove/Prove.h"
#include "fuzz/RandomFramework.h"
#include "runtime/Program.h"
#include "runtime/exec/Trace.h"
#include "testing/ConfirmCounterexample.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <map>
#include <set>
#include <string>

namespace {

using namespace fulcrum;
namespace fs = std::filesystem;

struct Tally {
  size_t programsWithoutChecks = 0;
  size_t programs = 0, checks = 0, proved = 0, refuted = 0, unknown = 0, runs = 0;
  size_t violations = 0; // of any check: the runs do reach checks that fail
  size_t confirmed = 0, notReproduced = 0, noRows = 0;
  // Of notReproduced: blocks that compiled and loaded, and ran without the violation.
  size_t enginesMissed = 0;
  std::map<std::string, size_t> unconfirmedReasons; // --reasons: how often each was given
  // Band totality and division by zero, by verdict (proved, refuted, unknown).
  size_t bands[3] = {0, 0, 0}, divisions[3] = {0, 0, 0};
  // Subjects of runs on which a proved band or division was looked at (once per band or
  // division), and of those the proved divisions' subjects whose divisor was 0 (guarded).
  size_t bandSubjects = 0, divisionSubjects = 0, guardedZeros = 0;
  // Refuted bands whose gap some run reached; refuted divisions whose divisor some run made 0
  // with the member missing.
  size_t gapsReached = 0, zerosReached = 0;
  // Subjects of runs that reached a refuted band's gap with the value its arms test within the
  // printed intervals (a value outside them is a failure).
  size_t gapValuesWithin = 0;
};

// The band and division answers of one program, to hold its runs to.
struct OtherAnswers {
  // Per band: the arm probes of each of its choices (a `case`, an `if`, nested ones too).
  struct Band {
    std::string name;
    bool proved = false;
    std::vector<std::vector<size_t>> choices;
    bool reached = false; // refuted: a run showed its gap
    // Refuted, when the arms test one value: the printed gap (CheckProof::gap) as intervals of
    // that value, node `node` of formula stage `stage`.
    std::string gap;
    std::vector<prove::GapInterval> intervals;
    int32_t stage = -1;
    uint32_t node = 0;
  };
  struct Division {
    const runtime::DivisionSpec* spec = nullptr;
    std::string text;
    bool proved = false;
    bool reached = false; // refuted: a run made it by zero
  };
  std::vector<Band> bands;
  std::vector<Division> divisions;
  bool empty() const { return bands.empty() && divisions.empty(); }
};

// The arms of band `name`: the Arm probes after its Band probe, up to the next member's probe.
std::vector<std::vector<size_t>> bandChoices(const runtime::Plan& plan, const std::string& name) {
  using runtime::ProbeKind;
  std::vector<std::vector<size_t>> choices;
  const auto& probes = plan.probes;
  size_t at = 0;
  while (at < probes.size() && !(probes[at].kind == ProbeKind::Band && probes[at].member == name))
    ++at;
  std::map<uint32_t, size_t> choiceIndex;
  for (size_t i = at + 1; i < probes.size() && probes[i].member == name; ++i) {
    if (probes[i].kind != ProbeKind::Arm)
      continue;
    auto [it, added] = choiceIndex.emplace(probes[i].choice, choices.size());
    if (added)
      choices.emplace_back();
    choices[it->second].push_back(i);
  }
  return choices;
}

// A gap in `outcomes`: a choice of the band reached with every arm's condition false.
bool showsGap(const std::vector<std::vector<size_t>>& choices,
              const std::vector<runtime::ArmOutcome>& outcomes) {
  using runtime::ArmOutcome;
  for (const std::vector<size_t>& arms : choices) {
    bool reached = false, decided = false;
    for (size_t arm : arms) {
      reached = reached || outcomes[arm] != ArmOutcome::NotReached;
      decided =
          decided || outcomes[arm] == ArmOutcome::Taken || outcomes[arm] == ArmOutcome::Missing;
    }
    if (reached && !decided)
      return true;
  }
  return false;
}

// The contradictions of proved bands and divisions in one run's traces; counts the rest.
std::string unsoundTraces(const runtime::Plan& plan, const runtime::RunResult& result,
                          OtherAnswers& answers, const std::string& where, Tally& tally) {
  std::string problems;
  for (const runtime::SubjectTrace& trace : result.traces) {
    const std::vector<runtime::ArmOutcome> outcomes = runtime::armOutcomes(plan, trace);
    for (OtherAnswers::Band& band : answers.bands) {
      const bool gap = showsGap(band.choices, outcomes);
      if (band.proved) {
        ++tally.bandSubjects;
        if (gap)
          problems += fmt::format("  band \"{}\" proved total, but no arm took {} in {}\n",
                                  band.name, trace.key, where);
      } else if (gap) {
        band.reached = true;
        if (band.stage < 0)
          continue;
        const runtime::NodeValue& value =
            trace.stages.at(static_cast<size_t>(band.stage)).at(band.node);
        if (value.valid && std::any_of(band.intervals.begin(), band.intervals.end(),
                                       [&](const prove::GapInterval& interval) {
                                         return interval.holds(value.value);
                                       }))
          ++tally.gapValuesWithin;
        else
          problems +=
              fmt::format("  band \"{}\": no arm took {} in {}, but its tested value {} is "
                          "outside the printed gap {}\n",
                          band.name, trace.key, where,
                          value.valid ? fmt::format("{}", value.value) : "missing", band.gap);
      }
    }
    for (OtherAnswers::Division& division : answers.divisions) {
      const runtime::DivisionSpec& spec = *division.spec;
      const runtime::NodeValue& divisor = trace.stages.at(spec.stage).at(spec.divisor);
      const bool zero = divisor.valid && divisor.value == 0;
      const bool memberMissing =
          spec.memberSlot < 0 || !trace.slots.at(static_cast<size_t>(spec.memberSlot)).valid;
      if (division.proved) {
        ++tally.divisionSubjects;
        tally.guardedZeros += zero;
        if (zero && memberMissing)
          problems += fmt::format(
              "  division \"{}\" of \"{}\" proved never by zero, but its divisor is 0 and {} "
              "missing for {} in {}\n",
              division.text, spec.member, spec.member, trace.key, where);
      } else if (zero && memberMissing) {
        division.reached = true;
      }
    }
  }
  return problems;
}

// A confirmed refutation's block with `expect no violation` must fail, by that check's violation;
// "" when it does.
std::string vacuousConfirmation(const Compilation& compilation, const prove::CheckProof& proof) {
  std::string block = proof.testBlock;
  const size_t at = block.find("  expect violation ");
  if (at == std::string::npos)
    return "  the test block has no `expect violation`\n";
  block.replace(at, block.find('\n', at) - at, "  expect no violation");
  const auto problem = testing::runAppendedTest(compilation, block, proof.testTitle, {});
  if (!problem)
    return fmt::format("  check \"{}\": its test block passes with `expect no violation` too:\n{}",
                       proof.check, proof.testBlock);
  if (problem->find("the engines did not reproduce it") == std::string::npos ||
      problem->find("\"" + proof.check + "\"") == std::string::npos)
    return fmt::format("  check \"{}\": with `expect no violation` its test block fails, but not "
                       "by that check's violation: {}\n{}",
                       proof.check, *problem, proof.testBlock);
  return "";
}

// The violations of proved checks in every run of `randomCase` on `engine`; empty when sound.
std::string unsoundRuns(const Compilation& compilation, const fuzz::RandomCase& randomCase,
                        runtime::EngineKind engine, const std::set<std::string>& proved,
                        const runtime::Plan& plan, OtherAnswers& answers,
                        const std::string& directory, Tally& tally) {
  DiagnosticSink sink;
  std::string error;
  auto program = makeProgram(compilation, randomCase.framework, engine, sink, error);
  if (!program)
    return "";
  std::map<std::string, std::string> dataPaths;
  for (const fuzz::DataFile& file : randomCase.files) {
    const std::string path = (fs::path(directory) / file.fileName).string();
    std::ofstream(path, std::ios::binary) << file.csv;
    dataPaths[file.table] = path;
  }
  std::string problems;
  for (const fuzz::RunSpec& spec : randomCase.runs) {
    runtime::RunRequest request;
    request.period = spec.period;
    request.asOf = spec.asOf;
    request.dataPaths = dataPaths;
    request.skipBadRows = true; // the rows a loader rejects are no input of the framework
    request.rejectsPath = (fs::path(directory) / "rejects.csv").string();
    request.trace.everySubject = !answers.empty();
    const runtime::RunResult result = program->run(request);
    if (result.status != runtime::RunStatus::Ok)
      continue;
    const char* engineName = engine == runtime::EngineKind::Jit ? "jit" : "interpreter";
    problems += unsoundTraces(plan, result, answers,
                              fmt::format("{} ({})", spec.period, engineName), tally);
    if (proved.empty())
      continue;
    ++tally.runs;
    tally.violations += result.violations.size();
    for (const std::string& note : result.notes)
      for (const std::string& name : proved)
        if (note.rfind(name + " was outside [0, 1]", 0) == 0)
          problems += fmt::format("  proved {} clamped in {} ({}): {}\n", name, spec.period,
                                  engine == runtime::EngineKind::Jit ? "jit" : "interpreter", note);
    for (const runtime::CheckViolation& violation : result.violations)
      if (proved.count(violation.check))
        problems += fmt::format("  proved check \"{}\" violated for {} in {} ({}): {}\n",
                                violation.check, violation.subject, spec.period,
                                engine == runtime::EngineKind::Jit ? "jit" : "interpreter",
                                violation.valuesText());
  }
  return problems;
}

// --misplace-gaps (a test of this test): each gap moved off the values it holds, past its high
// end (or, unbounded above, below its low end), so that every run reaching a gap must fail.
std::vector<prove::GapInterval> misplaced(const std::vector<prove::GapInterval>& gaps) {
  std::vector<prove::GapInterval> out;
  for (const prove::GapInterval& gap : gaps)
    if (gap.high)
      out.push_back({gap.high, std::nullopt, !gap.highIn, false});
    else if (gap.low)
      out.push_back({std::nullopt, gap.low, false, !gap.lowIn});
  return out;
}

bool parseSeeds(const std::string& text, uint64_t& first, uint64_t& last) {
  const size_t dots = text.find("..");
  try {
    first = std::stoull(text.substr(0, dots));
    last = dots == std::string::npos ? first : std::stoull(text.substr(dots + 2));
  } catch (...) {
    return false;
  }
  return first <= last;
}

} // namespace

int main(int argc, char** argv) {
  uint64_t first = 1, last = 100;
  size_t minProved = 0, minRuns = 0, minConfirmed = 0, maxNotReproduced = 0;
  size_t minProvedBands = 0, minProvedDivisions = 0, minBandSubjects = 0, minDivisionSubjects = 0;
  bool reasons = false, misplaceGaps = false;
  prove::ProveOptions options;
  options.timeoutMs = 2000;
  std::string directory = (fs::temp_directory_path() / "fulcrum-prove-soundness").string();
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--seeds" && i + 1 < argc && parseSeeds(argv[i + 1], first, last)) {
      ++i;
    } else if (arg == "--min-proved" && i + 1 < argc) {
      minProved = std::stoul(argv[++i]);
    } else if (arg == "--min-runs" && i + 1 < argc) {
      minRuns = std::stoul(argv[++i]);
    } else if (arg == "--timeout-ms" && i + 1 < argc) {
      options.timeoutMs = static_cast<unsigned>(std::stoul(argv[++i]));
    } else if (arg == "--min-confirmed" && i + 1 < argc) {
      minConfirmed = std::stoul(argv[++i]);
    } else if (arg == "--min-proved-bands" && i + 1 < argc) {
      minProvedBands = std::stoul(argv[++i]);
    } else if (arg == "--min-proved-divisions" && i + 1 < argc) {
      minProvedDivisions = std::stoul(argv[++i]);
    } else if (arg == "--min-band-subjects" && i + 1 < argc) {
      minBandSubjects = std::stoul(argv[++i]);
    } else if (arg == "--min-division-subjects" && i + 1 < argc) {
      minDivisionSubjects = std::stoul(argv[++i]);
    } else if (arg == "--max-not-reproduced" && i + 1 < argc) {
      maxNotReproduced = std::stoul(argv[++i]);
    } else if (arg == "--misplace-gaps") {
      misplaceGaps = true;
    } else if (arg == "--reasons") {
      reasons = true;
    } else if (arg == "--work" && i + 1 < argc) {
      directory = argv[++i];
    } else {
      std::fprintf(stderr,
                   "usage: prove_soundness --seeds FIRST..LAST [--min-proved N] [--min-runs N] "
                   "[--min-confirmed N] [--min-proved-bands N] [--min-proved-divisions N] "
                   "[--min-band-subjects N] [--min-division-subjects N] [--max-not-reproduced N] "
                   "[--timeout-ms N] [--work DIR] [--reasons] [--misplace-gaps]\n");
      return 64;
    }
  }
  fs::create_directories(directory);
  Tally tally;
  int status = 0;
  for (uint64_t seed = first; seed <= last; ++seed) {
    fuzz::ByteSource random(seed);
    const fuzz::RandomCase randomCase = fuzz::generateCase(random);
    auto compilation = compileSource("fuzz.fulcrum", randomCase.source);
    if (!compilation->ok())
      continue;
    DiagnosticSink sink;
    std::string error;
    auto plan = lowerFramework(*compilation, randomCase.framework, sink, error);
    if (!plan)
      continue;
    // A program without checks still has its components, bands and divisions asked.
    (plan->checks.empty() ? tally.programsWithoutChecks : tally.programs) += 1;
    std::set<std::string> proved;
    std::vector<prove::CheckProof> proofs = prove::proveChecks(*plan, options);
    testing::confirmCounterexamples(*compilation, proofs, {});
    std::string vacuous;
    OtherAnswers answers;
    for (const prove::CheckProof& proof : proofs) {
      if (proof.question == prove::Question::BandTotal) {
        ++tally.bands[static_cast<size_t>(proof.verdict)];
        if (proof.verdict != prove::Verdict::Unknown)
          answers.bands.push_back(
              {proof.check, proof.verdict == prove::Verdict::Proved,
               bandChoices(*plan, proof.check), false, proof.gap,
               misplaceGaps ? misplaced(proof.gapIntervals) : proof.gapIntervals, proof.gapStage,
               proof.gapNode});
        continue;
      }
      if (proof.question == prove::Question::DivisionByZero) {
        ++tally.divisions[static_cast<size_t>(proof.verdict)];
        if (proof.verdict != prove::Verdict::Unknown)
          answers.divisions.push_back({&plan->divisions.at(static_cast<size_t>(proof.division)),
                                       proof.check, proof.verdict == prove::Verdict::Proved,
                                       false});
        continue;
      }
      ++tally.checks;
      // A check's refutation the engines did not confirm ends unknown (confirmCounterexamples):
      // it is counted with the refutations here, under why it is unconfirmed.
      const bool unconfirmed =
          proof.verdict == prove::Verdict::Unknown && proof.reason.rfind("unconfirmed: ", 0) == 0;
      if (proof.question == prove::Question::Check && proof.verdict == prove::Verdict::Refuted &&
          !proof.reason.empty()) {
        std::printf("seed %llu: check \"%s\" stays refuted though unconfirmed (%s)\n",
                    static_cast<unsigned long long>(seed), proof.check.c_str(),
                    proof.reason.c_str());
        status = 1;
      }
      switch (unconfirmed ? prove::Verdict::Refuted : proof.verdict) {
      case prove::Verdict::Proved:
        ++tally.proved;
        // A proved component (its value stays in [0, 1]) must never be clamped: its run note
        // names it as checks' violations name them.
        proved.insert(proof.question == prove::Question::ComponentRange
                          ? "score component `" + proof.check + "`"
                          : proof.check);
        break;
      case prove::Verdict::Refuted:
        ++tally.refuted;
        if (!proof.reason.empty())
          ++tally.unconfirmedReasons[proof.reason.substr(0, 110)];
        if (proof.testBlock.empty()) {
          ++tally.noRows;
        } else if (!proof.reason.empty()) {
          ++tally.notReproduced;
          if (proof.reason.find("the engines did not reproduce it") != std::string::npos)
            ++tally.enginesMissed;
          std::printf("seed %llu: check \"%s\": %s\n%s--- program ---\n%s\n",
                      static_cast<unsigned long long>(seed), proof.check.c_str(),
                      proof.reason.c_str(), proof.testBlock.c_str(), randomCase.source.c_str());
        } else {
          ++tally.confirmed;
          vacuous += vacuousConfirmation(*compilation, proof);
        }
        break;
      case prove::Verdict::Unknown:
        ++tally.unknown;
        break;
      }
    }
    if (!vacuous.empty()) {
      std::printf("seed %llu: a confirmation that cannot fail\n%s--- program ---\n%s\n",
                  static_cast<unsigned long long>(seed), vacuous.c_str(),
                  randomCase.source.c_str());
      status = 1;
    }
    if (proved.empty() && answers.empty())
      continue;
    std::string problems;
    for (runtime::EngineKind engine : {runtime::EngineKind::Interpreter, runtime::EngineKind::Jit})
      problems +=
          unsoundRuns(*compilation, randomCase, engine, proved, *plan, answers, directory, tally);
    for (const OtherAnswers::Band& band : answers.bands)
      tally.gapsReached += band.reached;
    for (const OtherAnswers::Division& division : answers.divisions)
      tally.zerosReached += division.reached;
    if (!problems.empty()) {
      std::printf("seed %llu: an unsound proof\n%s--- program ---\n%s\n",
                  static_cast<unsigned long long>(seed), problems.c_str(),
                  randomCase.source.c_str());
      status = 1;
    }
  }
  std::printf("%zu programs without checks; %zu programs with checks, %zu checks and components: "
              "%zu proved, %zu refuted, %zu unknown; "
              "%zu runs of proved checks, %zu violations of the other checks; refutations: %zu "
              "confirmed on both engines, %zu with rows not reproduced (%zu run without the "
              "violation), %zu without rows\n",
              tally.programsWithoutChecks, tally.programs, tally.checks, tally.proved,
              tally.refuted, tally.unknown, tally.runs, tally.violations, tally.confirmed,
              tally.notReproduced, tally.enginesMissed, tally.noRows);
  std::printf("bands: %zu proved total, %zu with a gap, %zu unknown; %zu subjects of runs looked "
              "at for proved bands; %zu gaps reached in runs (%zu subjects' tested values within "
              "the printed gap)\n",
              tally.bands[0], tally.bands[1], tally.bands[2], tally.bandSubjects, tally.gapsReached,
              tally.gapValuesWithin);
  std::printf("divisions: %zu proved never by zero, %zu may be, %zu unknown; %zu subjects of runs "
              "looked at for proved divisions (%zu with the divisor 0, guarded); %zu zero divisors "
              "reached in runs\n",
              tally.divisions[0], tally.divisions[1], tally.divisions[2], tally.divisionSubjects,
              tally.guardedZeros, tally.zerosReached);
  if (tally.notReproduced > maxNotReproduced) {
    std::printf("%zu blocks did not reproduce their violation (%zu ran without it, the others did "
                "not compile or load; at most %zu known): every counterexample must reproduce\n",
                tally.notReproduced, tally.enginesMissed, maxNotReproduced);
    status = 1;
  }
  if (reasons)
    for (const auto& [reason, count] : tally.unconfirmedReasons)
      std::printf("%6zu  %s\n", count, reason.c_str());
  if (tally.confirmed < minConfirmed) {
    std::printf("too few counterexamples confirmed: %zu (at least %zu wanted)\n", tally.confirmed,
                minConfirmed);
    status = 1;
  }
  if (tally.bands[0] < minProvedBands || tally.divisions[0] < minProvedDivisions ||
      tally.bandSubjects < minBandSubjects || tally.divisionSubjects < minDivisionSubjects) {
    std::printf("too few bands or divisions proved to test soundness: %zu bands (at least %zu "
                "wanted, %zu subjects of at least %zu), %zu divisions (at least %zu wanted, %zu "
                "subjects of at least %zu)\n",
                tally.bands[0], minProvedBands, tally.bandSubjects, minBandSubjects,
                tally.divisions[0], minProvedDivisions, tally.divisionSubjects,
                minDivisionSubjects);
    status = 1;
  }
  if (tally.proved < minProved || tally.runs < minRuns) {
    std::printf("too little proved to test soundness: %zu proved (at least %zu wanted), %zu runs "
                "(at least %zu wanted)\n",
                tally.proved, minProved, tally.runs, minRuns);
    status = 1;
  }
  return status;
}
