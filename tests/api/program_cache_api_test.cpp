// The C API's compile through the process's program cache: a recompile of the same sources runs
// the same results as the CLI on both engines; a changed text, file, import or option compiles
// anew; threads compiling and running one program at once agree (run under TSan: make tsan-api).
#include "fulcrum/fulcrum.h"
#include "tests/api/CliOutput.h"

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

namespace fs = std::filesystem;

const char* const kLlr = "examples/llr/llr.fulcrum";

std::string cliCsv(const std::string& args) {
  return fulcrum::testing::cliOutput(args);
}

std::string take(fulcrum_error* error) {
  std::string text = error ? fulcrum_error_message(error) : "(no error object)";
  fulcrum_error_free(error);
  return text;
}

struct ProgramFree {
  void operator()(fulcrum_program* p) const { fulcrum_program_free(p); }
};
using Program = std::unique_ptr<fulcrum_program, ProgramFree>;

// The compiled program, or null with the error's message in `message`.
Program compileFile(const std::string& path, fulcrum_engine engine, std::string* message,
                    const char* importPath = nullptr) {
  fulcrum_compile_options* options = nullptr;
  EXPECT_EQ(fulcrum_compile_options_new(&options), FULCRUM_OK);
  EXPECT_EQ(fulcrum_compile_options_set_engine(options, engine), FULCRUM_OK);
  if (importPath) {
    EXPECT_EQ(fulcrum_compile_options_add_import_path(options, importPath), FULCRUM_OK);
  }
  fulcrum_program* program = nullptr;
  fulcrum_error* error = nullptr;
  if (fulcrum_compile_file(path.c_str(), options, &program, &error) != FULCRUM_OK)
    *message = take(error);
  fulcrum_compile_options_free(options);
  return Program(program);
}

Program compileText(const std::string& name, const std::string& text) {
  fulcrum_program* program = nullptr;
  fulcrum_error* error = nullptr;
  EXPECT_EQ(fulcrum_compile_text(name.c_str(), text.data(), text.size(), nullptr, &program, &error),
            FULCRUM_OK)
      << take(error);
  return Program(program);
}

size_t outputCount(const fulcrum_program* program, const char* framework) {
  size_t count = 0;
  EXPECT_EQ(fulcrum_program_output_count(program, framework, &count), FULCRUM_OK);
  return count;
}

// The program's llr result for 2017-Q3 as CSV (loaded with its own data), or the error.
std::string llrCsv(const fulcrum_program* program) {
  fulcrum_data* data = nullptr;
  fulcrum_run_options* options = nullptr;
  fulcrum_result* result = nullptr;
  fulcrum_error* error = nullptr;
  std::string out;
  if (fulcrum_data_new(program, "llr", &data, &error) != FULCRUM_OK ||
      fulcrum_data_load(data, nullptr, &error) != FULCRUM_OK ||
      fulcrum_run_options_new(&options) != FULCRUM_OK ||
      fulcrum_run_options_set_period(options, "2017-Q3") != FULCRUM_OK ||
      fulcrum_run(data, options, &result, &error) != FULCRUM_OK) {
    out = "error: " + take(error);
  } else {
    char* text = nullptr;
    size_t length = 0;
    if (fulcrum_result_format(result, FULCRUM_FORMAT_CSV, &text, &length) == FULCRUM_OK)
      out.assign(text, length);
    fulcrum_string_free(text);
  }
  fulcrum_result_free(result);
  fulcrum_run_options_free(options);
  fulcrum_data_free(data);
  return out;
}

std::string fileText(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(CApiProgramCache, ARecompileRunsAsTheCliOnBothEngines) {
  for (fulcrum_engine engine : {FULCRUM_ENGINE_JIT, FULCRUM_ENGINE_INTERPRETER}) {
    const std::string cli = cliCsv(std::string("run ") + kLlr +
                                   " --framework llr --period 2017-Q3 --format csv --engine " +
                                   (engine == FULCRUM_ENGINE_JIT ? "jit" : "interp"));
    ASSERT_NE(cli, "");
    std::string message;
    Program first = compileFile(kLlr, engine, &message);
    ASSERT_TRUE(first) << message;
    EXPECT_EQ(llrCsv(first.get()), cli);
    // The second compile is the cache's; the first handle is freed before it runs, the second
    // still holds the program.
    Program second = compileFile(kLlr, engine, &message);
    ASSERT_TRUE(second) << message;
    first.reset();
    EXPECT_EQ(llrCsv(second.get()), cli);
  }
}

// The same name, another text: a key of the name alone would return the first program, whose
// outputs lack the added metric.
TEST(CApiProgramCache, AChangedTextIsANewProgram) {
  const std::string text = fileText(std::string(FULCRUM_SOURCE_DIR) + "/" + kLlr);
  const size_t at = text.find("  metric won:");
  ASSERT_NE(at, std::string::npos);
  std::string added = text;
  added.insert(at, "  metric cache_probe: number = 1\n");
  Program original = compileText(kLlr, text);
  ASSERT_TRUE(original);
  const size_t outputs = outputCount(original.get(), "llr");
  Program changed = compileText(kLlr, added);
  ASSERT_TRUE(changed);
  EXPECT_EQ(outputCount(changed.get(), "llr"), outputs + 1);
  Program again = compileText(kLlr, text);
  ASSERT_TRUE(again);
  EXPECT_EQ(outputCount(again.get(), "llr"), outputs);
}

// A framework file and the module it imports, in a scratch folder; the import is changed
// between compiles, and an import path names another module of the same name.
TEST(CApiProgramCache, AChangedImportOrImportPathIsANewProgram) {
  const fs::path dir =
      fs::temp_directory_path() / ("fulcrum_api_cache_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "lib");
  const std::string root = (dir / "pay.fulcrum").string();
  std::ofstream(root) << "import \"rules\"\n"
                         "entity rep from \"reps.csv\" {\n  key name: text\n}\n"
                         "table deals from \"deals.csv\" {\n  owner: rep\n  value: money\n}\n"
                         "framework pay {\n  subject rep\n  cadence quarter\n"
                         "  metric won: money = sum(deals.value)\n"
                         "  metric payout: money = payout_of(won)\n}\n";
  const std::string good = "fn payout_of(won: money): money = won * 0.1\n";
  const std::string bad = "fn payout_of(won: money): money = won * \"ten percent\"\n";
  std::ofstream(dir / "lib" / "rules.fulcrum") << bad;
  std::string message;
  // Not next to the file: the import path's module, which does not check.
  EXPECT_FALSE(compileFile(root, FULCRUM_ENGINE_JIT, &message, (dir / "lib").c_str()));
  EXPECT_NE(message.find("rules.fulcrum"), std::string::npos) << message;
  // Next to the file, a good module: found before the import path's.
  std::ofstream(dir / "rules.fulcrum") << good;
  message.clear();
  EXPECT_TRUE(compileFile(root, FULCRUM_ENGINE_JIT, &message, (dir / "lib").c_str())) << message;
  // The module next to the file turns bad at the same size, with the same import path (the same
  // key, so the replay of the recorded reads must see it): the program is not the cached one.
  const std::string badSameSize = "fn payout_of(won: money): money = won * \"t\"\n";
  ASSERT_EQ(badSameSize.size(), good.size());
  std::ofstream(dir / "rules.fulcrum") << badSameSize;
  message.clear();
  EXPECT_FALSE(compileFile(root, FULCRUM_ENGINE_JIT, &message, (dir / "lib").c_str()));
  EXPECT_NE(message.find("rules.fulcrum"), std::string::npos) << message;
  std::ofstream(dir / "rules.fulcrum") << good;
  message.clear();
  EXPECT_TRUE(compileFile(root, FULCRUM_ENGINE_JIT, &message, (dir / "lib").c_str())) << message;
  fs::remove_all(dir);
}

TEST(CApiProgramCache, ThreadsCompileAndRunOneProgram) {
  std::string message;
  Program reference = compileFile(kLlr, FULCRUM_ENGINE_JIT, &message);
  ASSERT_TRUE(reference) << message;
  const std::string expected = llrCsv(reference.get());
  ASSERT_EQ(expected.find("error"), std::string::npos) << expected;
  std::atomic<int> same{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      std::string error;
      Program program = compileFile(kLlr, FULCRUM_ENGINE_JIT, &error);
      if (program && llrCsv(program.get()) == expected)
        ++same;
    });
  for (std::thread& thread : threads)
    thread.join();
  EXPECT_EQ(same, 4);
}

} // namespace
