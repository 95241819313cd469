// The runtime's public API end to end: a Program over small fixture files, run by both engines
// (identical results), run from several threads at once, and compiled many times without the
// process growing (each program's JIT code is freed with it; 10,000 programs level off).
#include "compiler/lower/MakeProgram.h"
#include "runtime/Program.h"
#include "runtime/jit/JitSession.h"
#include "tests/unit/MemoryProbe.h"

#include <cstring>
#include <fstream>
#include <gtest/gtest.h>
#include <iterator>
#include <thread>

namespace fulcrum::runtime {
namespace {

const std::string kFramework =
    std::string(FULCRUM_SOURCE_DIR) + "/tests/golden/run/features.fulcrum";

std::shared_ptr<const Compilation> compileFixture() {
  auto compilation = compileFile(kFramework);
  EXPECT_TRUE(compilation->ok());
  return compilation;
}

std::unique_ptr<Program> programFor(std::shared_ptr<const Compilation> compilation,
                                    EngineKind engine) {
  DiagnosticSink sink;
  std::string error;
  auto program = makeProgram(*compilation, "scorecard", engine, sink, error);
  EXPECT_TRUE(program) << error;
  return program;
}

RunRequest q2() {
  RunRequest request;
  request.period = "2017-Q2";
  return request;
}

// The same result, cell for cell, notes and errors included.
void expectSameRun(const RunResult& a, const RunResult& b) {
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.errors, b.errors);
  EXPECT_EQ(a.notes, b.notes);
  EXPECT_EQ(a.table.keys, b.table.keys);
  ASSERT_EQ(a.table.values.size(), b.table.values.size());
  // Bit for bit (an empty table's data() may be null, which memcmp must not see).
  for (size_t i = 0; i < a.table.values.size(); ++i)
    EXPECT_EQ(0, std::memcmp(&a.table.values[i], &b.table.values[i], sizeof(double))) << i;
  EXPECT_EQ(a.table.valid, b.table.valid);
  ASSERT_EQ(a.violations.size(), b.violations.size());
  for (size_t i = 0; i < a.violations.size(); ++i) {
    EXPECT_EQ(a.violations[i].check, b.violations[i].check) << i;
    EXPECT_EQ(a.violations[i].subject, b.violations[i].subject) << i;
    EXPECT_EQ(a.violations[i].values, b.violations[i].values) << i;
  }
}

TEST(Program, BothEnginesGiveIdenticalResults) {
  auto compilation = compileFixture();
  auto jit = programFor(compilation, EngineKind::Jit);
  auto interp = programFor(compilation, EngineKind::Interpreter);
  ASSERT_TRUE(jit && interp);
  const RunResult a = jit->run(q2());
  const RunResult b = interp->run(q2());
  ASSERT_EQ(a.status, RunStatus::Ok);
  expectSameRun(a, b);
  EXPECT_EQ(a.table.keys, (std::vector<std::string>{"Ann", "Bob", "Cy", "Dee"}));
  ASSERT_EQ(a.violations.size(), 1u);
  EXPECT_EQ(a.violations[0].subject, "Bob");
  EXPECT_EQ(a.violations[0].check, "win rate at least half");
  EXPECT_EQ(a.violations[0].values,
            (std::vector<std::pair<std::string, std::string>>{{"win_rate", "0%"}}));
}

// A framework read along several paths is one program, compiled once: company_review reads the
// company's, the teams' and the reps' OKRs, the reps' read the teams' and the teams' the
// company's, so four programs (the old recursive create compiled seven: company_okrs three times,
// team_okrs twice). The shared programs give the interpreter's results.
TEST(Program, AFrameworkReadAlongSeveralPathsCompilesOnce) {
  const auto compilation =
      compileFile(std::string(FULCRUM_SOURCE_DIR) + "/tests/golden/run/okr_cascade.fulcrum");
  ASSERT_TRUE(compilation->ok());
  std::string error;
  jit::JitSession* session = jit::jitSession(error);
  ASSERT_TRUE(session) << error;
  DiagnosticSink sink;
  const uint64_t before = session->nextProgram;
  auto jit = makeProgram(*compilation, "company_review", EngineKind::Jit, sink, error);
  ASSERT_TRUE(jit) << error;
  EXPECT_EQ(session->nextProgram - before, 4u);
  auto interp = makeProgram(*compilation, "company_review", EngineKind::Interpreter, sink, error);
  ASSERT_TRUE(interp) << error;
  const RunResult a = jit->run(q2());
  ASSERT_EQ(a.status, RunStatus::Ok) << (a.errors.empty() ? "" : a.errors.front());
  expectSameRun(a, interp->run(q2()));
  EXPECT_EQ(a.table.keys, (std::vector<std::string>{"company"}));
}

TEST(Program, OneLoadServesBothEnginesAndEveryPeriod) {
  // What the differential fuzzer relies on: the interpreter's load, run by the JIT, gives what
  // the JIT's own run gives, for the period it was loaded for and for another one.
  auto compilation = compileFixture();
  auto jit = programFor(compilation, EngineKind::Jit);
  auto interp = programFor(compilation, EngineKind::Interpreter);
  ASSERT_TRUE(jit && interp);
  const LoadOutcome loaded = interp->load(q2());
  ASSERT_EQ(loaded.status, RunStatus::Ok);
  ASSERT_FALSE(loaded.notes.empty()); // load summaries, which the run carries
  expectSameRun(jit->run(q2(), loaded), jit->run(q2()));
  RunRequest q3 = q2();
  q3.period = "2017-Q3";
  expectSameRun(jit->run(q3, loaded), jit->run(q3));
  expectSameRun(interp->run(q3, loaded), jit->run(q3));

  // Usage errors come alone, before the load's notes, as when no file has been read.
  RunRequest badParam = q2();
  badParam.params["no_such_param"] = "1";
  const RunResult usage = jit->run(badParam, loaded);
  EXPECT_EQ(usage.status, RunStatus::UsageError);
  EXPECT_TRUE(usage.notes.empty());
  expectSameRun(usage, jit->run(badParam));

  // A failed load gives its errors, as run() does.
  RunRequest missing = q2();
  missing.dataPaths["deals"] = "/nonexistent/deals.csv";
  const LoadOutcome failed = interp->load(missing);
  EXPECT_EQ(failed.status, RunStatus::DataError);
  EXPECT_FALSE(failed.errors.empty());
  expectSameRun(jit->run(missing, failed), jit->run(missing));
}

TEST(Program, RunsFromSeveralThreadsAtOnce) {
  auto program = programFor(compileFixture(), EngineKind::Jit);
  ASSERT_TRUE(program);
  const RunResult expected = program->run(q2());
  std::vector<std::thread> threads;
  std::vector<int> same(4, 0);
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        const RunResult r = program->run(q2());
        same[t] += r.table.values == expected.table.values && r.table.valid == expected.table.valid;
      }
    });
  for (std::thread& thread : threads)
    thread.join();
  EXPECT_EQ(same, std::vector<int>(4, 20));
}

// The JIT-level test (jit_test.cpp) compiles 1,000 programs; this one goes through the whole
// API (compile, plan, JIT, load, run) 200 times, which is what an embedding service does.
TEST(Program, ManyProgramsDoNotGrowTheProcess) {
  auto compilation = compileFixture();
  auto cycle = [&] {
    auto program = programFor(compilation, EngineKind::Jit);
    ASSERT_TRUE(program);
    EXPECT_EQ(program->run(q2()).status, RunStatus::Ok);
  };
  if (testing_support::kAddressSanitizer)
    GTEST_SKIP() << "AddressSanitizer's quarantine keeps freed memory resident";
  for (int i = 0; i < 50; ++i) // warm up allocator pools and the JIT's own structures
    cycle();
  const size_t before = testing_support::residentBytes();
  for (int i = 0; i < 200; ++i)
    cycle();
  const size_t after = testing_support::residentBytes();
  const size_t grown = after > before ? after - before : 0;
  EXPECT_LT(grown, 4u << 20) << "grew by " << grown / 1024 << " KiB over 200 programs";
}

// A long-lived host compiles, runs and frees program after program: the front end's caches
// (ANTLR's prediction caches start afresh every 1,000 files), each program's LLVM context and
// JIT code, and the run's data are all given back, so the process levels off instead of
// growing with the number of programs. Each source differs (a comment, the line it starts on),
// as files edited over a day do.
TEST(Program, TenThousandProgramsLevelOff) {
  if (testing_support::kAddressSanitizer)
    GTEST_SKIP() << "AddressSanitizer's quarantine keeps freed memory resident";
  std::ifstream in(kFramework);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto cycle = [&](int i) {
    const std::string source = std::string(static_cast<size_t>(i % 7), '\n') + "// program " +
                               std::to_string(i) + "\n" + text;
    std::shared_ptr<const Compilation> compilation = compileSource(kFramework, source);
    ASSERT_TRUE(compilation->ok());
    auto program = programFor(compilation, EngineKind::Jit);
    ASSERT_TRUE(program);
    EXPECT_TRUE(program->warnings().empty());
    EXPECT_EQ(program->run(q2()).status, RunStatus::Ok);
  };
  std::vector<size_t> resident; // after every 1,000 programs
  for (int i = 0; i < 10000 && !HasFailure(); ++i) {
    cycle(i);
    if (i % 1000 == 999)
      resident.push_back(testing_support::residentBytes());
  }
  ASSERT_EQ(resident.size(), 10u);
  // The first thousand warm up allocator pools and the JIT's own tables; after that, the
  // resident set may wobble but not climb: the last 8,000 programs add under 8 MiB.
  const size_t grown = resident.back() > resident[1] ? resident.back() - resident[1] : 0;
  std::string trace;
  for (size_t bytes : resident)
    trace += std::to_string(bytes >> 10) + " KiB ";
  EXPECT_LT(grown, size_t{8} << 20) << "resident set after each 1,000 programs: " << trace;
}

} // namespace
} // namespace fulcrum::runtime
