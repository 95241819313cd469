// compileEngines: one compilation, two Programs (JIT and interpreter); runEngines: every run of
// the case on both, over one load; each run's output is rendered as one text (status, errors,
// notes, CSV, JSON, check violations, the rejects file; the table format too) and the two texts
// must be equal byte for byte.
#include "fuzz/Differential.h"

#include "compiler/driver/Compilation.h"
#include "compiler/lower/MakeProgram.h"
#include "runtime/Program.h"
#include "runtime/output/ResultFormat.h"

#include <algorithm>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <utility>
#include <vector>

namespace fulcrum::fuzz {
namespace {

namespace fs = std::filesystem;

const char* statusName(runtime::RunStatus status) {
  switch (status) {
  case runtime::RunStatus::Ok:
    return "ok";
  case runtime::RunStatus::DataError:
    return "data error";
  case runtime::RunStatus::UsageError:
    return "usage error";
  case runtime::RunStatus::Cancelled:
    return "cancelled";
  }
  return "?";
}

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return "(no file)\n";
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Everything a run shows a user, in one text; `rejects` is the rejects file's text.
std::string renderRun(const runtime::RunResult& result, bool skipBadRows,
                      const std::string& rejects) {
  std::string text = fmt::format("status: {}\n", statusName(result.status));
  for (const std::string& error : result.errors)
    text += "error: " + error + "\n";
  for (const std::string& note : result.notes)
    text += "note: " + note + "\n";
  if (result.status == runtime::RunStatus::Ok) {
    text += "--- csv\n" + runtime::formatResult(result.table, runtime::OutputFormat::Csv);
    text += "--- json\n" + runtime::formatResult(result.table, runtime::OutputFormat::Json);
    text += "--- table\n" + runtime::formatResult(result.table, runtime::OutputFormat::Table);
    text += "--- alerts\n" + runtime::formatAlerts(result.alerts, runtime::OutputFormat::Csv, "");
    for (const runtime::AlertRecord& alert : result.alerts)
      text += "identity: " + alert.identity + "\n";
  }
  for (const runtime::CheckViolation& violation : result.violations) {
    std::string values;
    for (const auto& [name, shown] : violation.values)
      values += fmt::format("{}{} = {}", values.empty() ? "" : ", ", name, shown);
    text +=
        fmt::format("violation: \"{}\" for {}: {}\n", violation.check, violation.subject, values);
  }
  if (skipBadRows)
    text += "--- rejects\n" + rejects;
  return text;
}

std::vector<std::string> splitLines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  return lines;
}

// A line diff (longest common subsequence; outputs are small): `-` interpreter, `+` JIT.
std::string lineDiff(const std::string& interpreter, const std::string& jit) {
  const std::vector<std::string> a = splitLines(interpreter), b = splitLines(jit);
  const size_t n = a.size(), m = b.size();
  std::vector<std::vector<uint32_t>> common(n + 1, std::vector<uint32_t>(m + 1, 0));
  for (size_t i = n; i-- > 0;)
    for (size_t j = m; j-- > 0;)
      common[i][j] =
          a[i] == b[j] ? common[i + 1][j + 1] + 1 : std::max(common[i + 1][j], common[i][j + 1]);
  std::string out = "--- interpreter\n+++ jit\n";
  size_t i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] == b[j]) {
      out += "  " + a[i++] + "\n";
      ++j;
    } else if (j < m && (i == n || common[i][j + 1] >= common[i + 1][j])) {
      out += "+ " + b[j++] + "\n";
    } else {
      out += "- " + a[i++] + "\n";
    }
  }
  return out;
}

DifferentialOutcome failed(const RandomCase& randomCase, const std::string& what) {
  DifferentialOutcome outcome;
  outcome.verdict = Verdict::Failed;
  outcome.report = what + "\n\n" + describeCase(randomCase);
  return outcome;
}

// Removes the case's files when the comparison returns, whichever way.
struct FileCleanup {
  std::vector<std::string> paths;
  ~FileCleanup() {
    std::error_code ignored;
    for (const std::string& path : paths)
      fs::remove(path, ignored);
  }
};

} // namespace

std::string describeCase(const RandomCase& randomCase) {
  std::string text = "=== program (fuzz.fulcrum)\n" + randomCase.source;
  for (const DataFile& file : randomCase.files)
    text += fmt::format("=== {} ({})\n{}", file.fileName, file.table, file.csv);
  for (const RunSpec& run : randomCase.runs) {
    text += fmt::format("=== run: --framework {} --period {}", randomCase.framework, run.period);
    if (!run.asOf.empty())
      text += " --as-of " + run.asOf;
    for (const auto& [name, value] : run.params)
      text += fmt::format(" --param {}={}", name, value);
    if (run.skipBadRows)
      text += " --on-error skip";
    text += fmt::format(" --threads {}\n", run.threads);
  }
  return text;
}

struct CompiledEngines {
  std::shared_ptr<const Compilation> compilation;
  std::unique_ptr<runtime::Program> interpreter, jit;
};

std::shared_ptr<const CompiledEngines> compileEngines(const RandomCase& randomCase,
                                                      DifferentialOutcome& outcome) {
  using runtime::EngineKind;
  using runtime::Program;
  auto engines = std::make_shared<CompiledEngines>();
  engines->compilation = compileSource("fuzz.fulcrum", randomCase.source);
  const Compilation& compilation = *engines->compilation;
  if (!compilation.ok()) {
    std::string diagnostics;
    for (const Diagnostic& d : compilation.diagnostics.diagnostics())
      diagnostics += renderText(d, compilation.sources);
    outcome = failed(randomCase, "the checker rejected the generated program (a generator or a "
                                 "checker bug):\n" +
                                     diagnostics);
    return nullptr;
  }

  // The interpreter first: it is cheap, and a plan the back end cannot run is a skip.
  DiagnosticSink planDiagnostics;
  std::string error;
  engines->interpreter = makeProgram(*engines->compilation, randomCase.framework,
                                     EngineKind::Interpreter, planDiagnostics, error);
  if (!engines->interpreter) {
    for (const Diagnostic& d : planDiagnostics.diagnostics())
      if (d.kind == DiagKind::NotSupportedYet) {
        outcome = DifferentialOutcome{};
        outcome.verdict = Verdict::Skipped;
        outcome.skipReason = d.message;
        return nullptr;
      }
    std::string diagnostics;
    for (const Diagnostic& d : planDiagnostics.diagnostics())
      diagnostics += renderText(d, compilation.sources);
    outcome = failed(randomCase, "makeProgram (interpreter) failed: " + error + "\n" + diagnostics);
    return nullptr;
  }
  DiagnosticSink jitDiagnostics;
  engines->jit = makeProgram(*engines->compilation, randomCase.framework, EngineKind::Jit,
                             jitDiagnostics, error);
  if (!engines->jit) {
    outcome =
        failed(randomCase, "makeProgram (JIT) failed where the interpreter's did not: " + error);
    return nullptr;
  }
  if (!engines->jit->warnings().empty()) {
    std::string warnings;
    for (const std::string& warning : engines->jit->warnings())
      warnings += warning + "\n";
    outcome = failed(randomCase,
                     "the JIT fell back to the interpreter, so nothing is compared:\n" + warnings);
    return nullptr;
  }
  return engines;
}

DifferentialOutcome compareEngines(const RandomCase& randomCase, const std::string& workDirectory) {
  DifferentialOutcome outcome;
  const std::shared_ptr<const CompiledEngines> engines = compileEngines(randomCase, outcome);
  return engines ? runEngines(*engines, randomCase, workDirectory) : outcome;
}

DifferentialOutcome EngineCache::compare(const RandomCase& randomCase,
                                         const std::string& workDirectory) {
  std::string key = randomCase.framework + '\n' + randomCase.source;
  if (const auto found = byKey_.find(key); found != byKey_.end()) {
    ++hits_;
    recent_.splice(recent_.begin(), recent_, found->second);
    return runEngines(*recent_.front().engines, randomCase, workDirectory);
  }
  ++misses_;
  DifferentialOutcome outcome;
  std::shared_ptr<const CompiledEngines> engines = compileEngines(randomCase, outcome);
  if (!engines)
    return outcome; // not kept: a skip is cheap to find again, a failure stops the run
  recent_.push_front({std::move(key), engines});
  byKey_.emplace(recent_.front().key, recent_.begin());
  if (recent_.size() > capacity_) {
    byKey_.erase(recent_.back().key);
    recent_.pop_back();
  }
  return runEngines(*engines, randomCase, workDirectory);
}

DifferentialOutcome runEngines(const CompiledEngines& engines, const RandomCase& randomCase,
                               const std::string& workDirectory) {
  const runtime::Program& interpreter = *engines.interpreter;
  const runtime::Program& jit = *engines.jit;
  std::error_code made;
  fs::create_directories(workDirectory, made);
  FileCleanup cleanup;
  std::map<std::string, std::string> dataPaths;
  for (const DataFile& file : randomCase.files) {
    const std::string path = (fs::path(workDirectory) / file.fileName).string();
    std::ofstream out(path, std::ios::binary);
    out << file.csv;
    if (!out)
      return failed(randomCase, "cannot write " + path);
    cleanup.paths.push_back(path);
    dataPaths[file.table] = path;
  }
  const std::string rejectsPath = (fs::path(workDirectory) / "rejects.csv").string();
  cleanup.paths.push_back(rejectsPath);

  // Overrides of params the plan does not read are usage errors: pass only the ones it reads.
  const runtime::Plan& plan = interpreter.plan();
  auto readsParam = [&](const std::string& name) {
    return std::any_of(plan.runParams.begin(), plan.runParams.end(), [&](const auto& spec) {
      return spec.kind == runtime::RunParamKind::UserParam && spec.name == name;
    });
  };

  // The loader is one code path for both engines (its thread counts and --on-error skip are
  // load_fuzz's to compare): one load per (skip, threads) serves both engines and every run of
  // the case that asks for it, rejects file included.
  struct SharedLoad {
    runtime::LoadOutcome outcome;
    std::string rejects; // the rejects file's text, for --on-error skip
  };
  std::map<std::pair<bool, unsigned>, SharedLoad> loads;

  DifferentialOutcome outcome;
  for (size_t r = 0; r < randomCase.runs.size(); ++r) {
    const RunSpec& spec = randomCase.runs[r];
    runtime::RunRequest request;
    request.period = spec.period;
    request.asOf = spec.asOf;
    for (const auto& [name, value] : spec.params)
      if (readsParam(name))
        request.params[name] = value;
    request.dataPaths = dataPaths;
    request.skipBadRows = spec.skipBadRows;
    request.rejectsPath = spec.skipBadRows ? rejectsPath : "";
    request.threads = spec.threads;
    request.alerts = true;

    auto [load, fresh] = loads.try_emplace({spec.skipBadRows, spec.threads});
    if (fresh) {
      std::error_code ignored;
      fs::remove(rejectsPath, ignored);
      load->second.outcome = interpreter.load(request);
      if (spec.skipBadRows)
        load->second.rejects = readFile(rejectsPath);
    }
    const SharedLoad& shared = load->second;
    const runtime::RunResult reference = interpreter.run(request, shared.outcome);
    const std::string expected = renderRun(reference, spec.skipBadRows, shared.rejects);
    const std::string actual =
        renderRun(jit.run(request, shared.outcome), spec.skipBadRows, shared.rejects);
    ++outcome.runs;
    outcome.evaluatedRuns += reference.status == runtime::RunStatus::Ok;
    if (expected != actual)
      return failed(randomCase, fmt::format("the engines disagree on run {}:\n{}", r + 1,
                                            lineDiff(expected, actual)));
  }
  return outcome;
}

} // namespace fulcrum::fuzz
