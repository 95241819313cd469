// The stack a compile needs (kCompileStackBytes, compiler/source/Limits.h): the deepest program
// each limit allows, of every kind of nesting, is compiled, dumped, made into both engines and
// run on a thread created with exactly that stack; one level more is a clean NestingTooDeep on
// the same thread. The stack is painted first, so each test also reports the bytes it used.
#include "compiler/ast/Dump.h"
#include "compiler/lower/MakeProgram.h"
#include "compiler/source/Limits.h"
#include "runtime/Program.h"
#include "tests/unit/TempPaths.h"

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <functional>
#include <gtest/gtest.h>
#include <pthread.h>
#include <string>
#include <vector>

// A sanitizer build (ASan's red zones around locals, TSan's instrumented frames) has bigger
// frames than the release build the budget is a claim about.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define FULCRUM_STACK_TEST_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define FULCRUM_STACK_TEST_SANITIZED 1
#endif
#endif

// Painting and reading the stack below the stack pointer: no sanitizer may check it.
#if defined(__clang__) || defined(__GNUC__)
#define FULCRUM_RAW_STACK_ACCESS __attribute__((no_sanitize("address", "thread"), noinline))
#else
#define FULCRUM_RAW_STACK_ACCESS
#endif

namespace fulcrum {
namespace {

// A sanitizer build gets four times the budget. That multiple is a guess, not a measurement:
// the budget is a claim about the release build.
#ifdef FULCRUM_STACK_TEST_SANITIZED
constexpr size_t kStackUnderTest = 4 * kCompileStackBytes;
#else
constexpr size_t kStackUnderTest = kCompileStackBytes;
#endif

constexpr unsigned char kPaint = 0xA5;

struct Painted {
  unsigned char* low = nullptr; // the lowest byte of the thread's stack
  size_t size = 0;
  const std::function<void()>* work = nullptr;
  size_t used = 0; // from the top of the stack down to the deepest byte written
};

// Paints the thread's stack from its lowest byte to a little below this frame.
FULCRUM_RAW_STACK_ACCESS void paintBelow(Painted& painted) {
  volatile unsigned char here = 0;
  // Clear of this frame and its callees.
  const uintptr_t end = reinterpret_cast<uintptr_t>(&here) - 4096;
  for (volatile unsigned char* p = painted.low; reinterpret_cast<uintptr_t>(p) < end; ++p)
    *p = kPaint;
}

// Bytes from the top of the stack down to the deepest one no longer painted.
FULCRUM_RAW_STACK_ACCESS size_t bytesUsed(const Painted& painted) {
  const volatile unsigned char* p = painted.low;
  const volatile unsigned char* top = painted.low + painted.size;
  while (p < top && *p == kPaint)
    ++p;
  return static_cast<size_t>(top - p);
}

void* runPainted(void* argument) {
  auto& painted = *static_cast<Painted*>(argument);
  pthread_attr_t attr;
  pthread_getattr_np(pthread_self(), &attr);
  void* low = nullptr;
  pthread_attr_getstack(&attr, &low, &painted.size);
  pthread_attr_destroy(&attr);
  painted.low = static_cast<unsigned char*>(low);
  paintBelow(painted);
  (*painted.work)();
  painted.used = bytesUsed(painted);
  return nullptr;
}

// Runs `work` on a new thread created with a stack of exactly `bytes` (pthread_attr_setstacksize,
// as a host would); returns how many bytes of that stack were written. Overflowing it is a crash.
size_t runWithStack(size_t bytes, const std::function<void()>& work) {
  Painted painted;
  painted.work = &work;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  EXPECT_EQ(pthread_attr_setstacksize(&attr, bytes), 0);
  pthread_t thread;
  const int created = pthread_create(&thread, &attr, runPainted, &painted);
  pthread_attr_destroy(&attr);
  EXPECT_EQ(created, 0);
  if (created == 0)
    pthread_join(thread, nullptr);
  return painted.used;
}

// ---- the deepest programs ---------------------------------------------------------------------

const char* const kDecls = "entity rep from \"reps.csv\" {\n"
                           "  key name: text\n"
                           "  quota: number\n"
                           "}\n"
                           "table deals from \"deals.csv\" {\n"
                           "  key id: text\n"
                           "  owner: rep\n"
                           "  value: number\n"
                           "}\n";

std::string framework(const std::string& metric, const std::string& functions = "") {
  return kDecls + functions +
         "framework f {\n  subject rep\n  cadence quarter\n  metric x = " + metric + "\n}\n";
}

// `piece` `times` times, in lines of 50 pieces (so no line is long).
std::string repeated(const std::string& piece, int times) {
  std::string text;
  for (int i = 0; i < times; ++i)
    text += piece + (i % 50 == 49 ? "\n" : "");
  return text;
}

std::string parentheses(int n) {
  return framework(repeated("(", n) + "1" + repeated(")", n));
}
std::string minuses(int n) {
  return framework(repeated("- ", n) + "1");
}
std::string nots(int n) {
  return framework(repeated("not ", n) + "true");
}
std::string sumChain(int n) {
  return framework("1" + repeated(" + 1", n));
}
std::string powerChain(int n) {
  return framework("1" + repeated(" ^ 1", n));
}
// `if quota == 0 then 0 else if quota == 1 then 10 else ... else -1`
std::string ifChain(int n) {
  std::string text;
  for (int i = 0; i < n; ++i)
    text += "if quota == " + std::to_string(i) + " then " + std::to_string(10 * i) + " else\n";
  return framework(text + "-1");
}
// `case { quota == 0 => 0 else => case { quota == 1 => 10 else => ... -1 } }`
std::string caseInCase(int n) {
  std::string text;
  for (int i = 0; i < n; ++i)
    text += "case { quota == " + std::to_string(i) + " => " + std::to_string(10 * i) + " else =>\n";
  return framework(text + "-1" + repeated(" }", n));
}
// An aggregate whose condition is nested as deeply as the parser allows.
std::string deepAggregate(int n) {
  return framework("sum(deals.value where " + repeated("(", n) + "deals.value > 1" +
                   repeated(")", n) + ")");
}
// kMaxCallDepth functions, each calling the one before with `bodyTerms` ones added
// (`f1(x) = f0(x) + 1 + 1`), and a metric `f31(quota) + 1 + ... + 1` with `terms` ones.
std::string functions(int bodyTerms, int terms) {
  std::string text = "fn f0(x: number): number = x" + repeated(" + 1", bodyTerms) + "\n";
  for (size_t k = 1; k < kMaxCallDepth; ++k)
    text += "fn f" + std::to_string(k) + "(x: number): number = f" + std::to_string(k - 1) + "(x)" +
            repeated(" + 1", bodyTerms) + "\n";
  return framework("f" + std::to_string(kMaxCallDepth - 1) + "(quota)" + repeated(" + 1", terms),
                   text);
}
// The longest chain of functions, each adding ten ones, and `terms` more in the metric: inlined,
// `kMaxCallDepth * 11 + terms + 1` levels deep (the lowering's).
std::string functionChain(int terms) {
  return functions(10, terms);
}

struct Deepest {
  const char* name;
  std::string (*source)(int);
  int depth;                        // the deepest the limits allow
  std::vector<std::string> results; // x per rep (ann, quota 5; bob, quota 300), as shown
};

// Each at the deepest the limits allow: one more is NestingTooDeep (checked below).
const std::vector<Deepest>& deepestPrograms() {
  static const std::vector<Deepest> programs = {
      {"parentheses", parentheses, kMaxNesting - 1, {"1", "1"}},
      {"unary minus", minuses, kMaxNesting - 1, {"-1", "-1"}},
      {"not", nots, kMaxNesting - 1, {"false", "false"}},
      {"sum chain", sumChain, kMaxNesting - 2, {"255", "255"}},
      {"power chain", powerChain, kMaxNesting / 2 - 1, {"1", "1"}},
      {"if chain", ifChain, kMaxNesting - 3, {"50", "-1"}},
      {"case in case", caseInCase, kMaxNesting - 3, {"50", "-1"}},
      {"aggregate", deepAggregate, kMaxNesting - 5, {"5", "5"}},
      {"function chain",
       functionChain,
       static_cast<int>(kMaxLoweredNesting - kMaxCallDepth * 11) - 1,
       {"356", "651"}},
  };
  return programs;
}

// What a compile of `source` on its own thread gives: the diagnostics' kinds, or, when it
// compiles, x per subject on each engine.
struct Outcome {
  std::vector<std::string> diagnostics;
  std::vector<std::string> interpreter, jit;
};

class StackBudget : public ::testing::Test {
protected:
  void SetUp() override {
    reps_ = tempPath(currentTestName() + "_reps.csv");
    deals_ = tempPath(currentTestName() + "_deals.csv");
    std::ofstream(reps_) << "name,quota\nann,5\nbob,300\n";
    std::ofstream(deals_) << "id,owner,value\nd1,ann,3\nd2,bob,5\nd3,ann,2\n";
  }
  void TearDown() override {
    std::remove(reps_.c_str());
    std::remove(deals_.c_str());
  }

  // Everything a host does with a source, on the calling thread: compile, dump the AST, make a
  // program on each engine (the plan dumped), run both.
  Outcome compileAndRun(const std::string& source) const {
    Outcome outcome;
    auto compilation = compileSource("deep.fulcrum", source);
    if (compilation->ok()) {
      EXPECT_FALSE(ast::dumpModule(*compilation->modules.front(), compilation->sources).empty());
    }
    for (const runtime::EngineKind engine :
         {runtime::EngineKind::Interpreter, runtime::EngineKind::Jit}) {
      if (!compilation->ok())
        break;
      std::string error;
      auto program = makeProgram(*compilation, "f", engine, compilation->diagnostics, error);
      if (!program) {
        EXPECT_TRUE(error.empty()) << error;
        break;
      }
      EXPECT_FALSE(runtime::dumpPlan(program->plan()).empty());
      runtime::RunRequest request;
      request.period = "2024-Q1";
      request.dataPaths = {{"rep", reps_}, {"deals", deals_}};
      request.threads = 1;
      const runtime::RunResult result = program->run(request);
      EXPECT_EQ(result.status, runtime::RunStatus::Ok);
      std::vector<std::string>& cells =
          engine == runtime::EngineKind::Jit ? outcome.jit : outcome.interpreter;
      for (size_t row = 0; row < result.table.keys.size(); ++row)
        cells.push_back(result.table.raw(0, row));
    }
    for (const Diagnostic& d : compilation->diagnostics.diagnostics())
      outcome.diagnostics.emplace_back(diagKindInfo(d.kind).name);
    return outcome;
  }

  // compileAndRun on a thread with the stack under test; reports the bytes it used.
  Outcome onSmallStack(const std::string& what, const std::string& source) const {
    Outcome outcome;
    const size_t used = runWithStack(kStackUnderTest, [&] { outcome = compileAndRun(source); });
    std::printf("%-16s %7zu bytes of %zu\n", what.c_str(), used, kStackUnderTest);
    EXPECT_LT(used, kStackUnderTest) << what;
#if !defined(FULCRUM_STACK_TEST_SANITIZED) && defined(NDEBUG)
    // The budget is a claim about the release build: keep a quarter of it spare, so that frames
    // growing past the margin fail here, not as a crash on a host's small thread.
    EXPECT_LT(used, kStackUnderTest * 3 / 4) << what << ": less than a quarter of the budget left";
#endif
    return outcome;
  }

  std::string reps_, deals_;
};

TEST_F(StackBudget, TheDeepestProgramOfEachKindCompilesAndRunsOnBothEngines) {
  for (const Deepest& program : deepestPrograms()) {
    const Outcome outcome = onSmallStack(program.name, program.source(program.depth));
    EXPECT_TRUE(outcome.diagnostics.empty())
        << program.name << ": " << (outcome.diagnostics.empty() ? "" : outcome.diagnostics[0]);
    EXPECT_EQ(outcome.interpreter, program.results) << program.name;
    EXPECT_EQ(outcome.jit, program.results) << program.name;
  }
}

TEST_F(StackBudget, OneLevelMoreIsNestingTooDeep) {
  for (const Deepest& program : deepestPrograms()) {
    const Outcome outcome = onSmallStack(program.name, program.source(program.depth + 1));
    EXPECT_EQ(outcome.diagnostics, std::vector<std::string>{"NestingTooDeep"}) << program.name;
    EXPECT_TRUE(outcome.interpreter.empty()) << program.name;
  }
}

TEST_F(StackBudget, FarTooDeepInputStopsAtTheLimit) {
  const Outcome parens = onSmallStack("100k parens", parentheses(100000));
  EXPECT_EQ(parens.diagnostics, std::vector<std::string>{"NestingTooDeep"});
  const Outcome chain = onSmallStack("100k terms", sumChain(100000));
  EXPECT_EQ(chain.diagnostics, std::vector<std::string>{"NestingTooDeep"});
  // Each function within every limit, but inlined 32 * 250 levels deep.
  const Outcome inlined = onSmallStack("inlined 8000", functions(kMaxNesting - 6, 0));
  EXPECT_EQ(inlined.diagnostics, std::vector<std::string>{"NestingTooDeep"});
}

} // namespace
} // namespace fulcrum
