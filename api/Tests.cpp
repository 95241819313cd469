// fulcrum_program_test: the program's `test` blocks, run by the runner `fulcrum test` uses
// (testing/TestRunner.h), on both engines; the report is the CLI's text.
#include "api/Handles.h"
#include "testing/TestReport.h"
#include "testing/TestRunner.h"

#include <cstdlib>
#include <cstring>

using namespace fulcrum;
using namespace fulcrum::api;

extern "C" {

fulcrum_status fulcrum_program_test(const fulcrum_program* program, size_t* passed, size_t* failed,
                                    char** report, fulcrum_error** error) {
  return guarded(error, [&] {
    if (report)
      *report = nullptr;
    if (!program)
      return nullArgument(error, "program");
    if (!passed || !failed)
      return nullArgument(error, passed ? "failed" : "passed");
    const Compilation& compilation = *program->compilation;
    const std::string path = compilation.sources.size() ? compilation.sources.file(0).path : "";
    std::string log; // what `fulcrum test` prints on stderr: not the report
    std::vector<testing::TestFileResult> files;
    {
      // Lowering reads the compilation: one at a time with the program's own frameworks.
      std::lock_guard<std::mutex> making(program->compiled->lowering());
      files.push_back(testing::runTestFile(path, compilation, {}, nullptr, log));
    }
    for (const testing::TestCaseResult& test : files[0].tests)
      if (test.dataError)
        return fail(error, FULCRUM_DATA_ERROR,
                    test.errors.empty() ? "a test's fixture has a data error" : test.errors[0]);
    if (!files[0].compileErrors.empty())
      return fail(error, FULCRUM_COMPILE_ERROR, files[0].compileErrors, "CompileError");
    const testing::TestCounts counts = testing::countTests(files);
    *passed = counts.passed;
    *failed = counts.failed;
    if (report) {
      const std::string text = testing::testReportText(files);
      char* copy = static_cast<char*>(std::malloc(text.size() + 1));
      if (!copy)
        throw std::bad_alloc();
      std::memcpy(copy, text.data(), text.size() + 1);
      *report = copy;
    }
    return FULCRUM_OK;
  });
}

} // extern "C"
