// A refutation's test block run on both engines (see ConfirmCounterexample.h).
#include "testing/ConfirmCounterexample.h"

#include "testing/TestRunner.h"

namespace fulcrum::testing {

std::optional<std::string> runAppendedTest(const Compilation& compilation, const std::string& block,
                                           const std::string& title,
                                           const CompileOptions& options) {
  if (compilation.sources.size() == 0)
    return std::string("the file has no text");
  const SourceFile& root = compilation.sources.file(0);
  const auto appended = compileSource(root.path, root.text + "\n" + block, options);
  std::string log;
  TestRunOptions engines;
  engines.onlyTitle = title;
  const TestFileResult result = runTestFile(root.path, *appended, engines, nullptr, log);
  if (!result.compileErrors.empty()) {
    // The first error (warnings come first when there are any).
    const std::string& errors = result.compileErrors;
    size_t at = errors.find(": error: ");
    at = at == std::string::npos ? 0 : errors.rfind('\n', at);
    at = at == std::string::npos ? 0 : at + 1;
    return "the test block does not compile: " + errors.substr(at, errors.find('\n', at) - at);
  }
  for (const TestCaseResult& test : result.tests) {
    if (test.title != title)
      continue;
    if (!test.errors.empty())
      return "its rows do not load: " + test.errors.front();
    if (!test.failures.empty())
      return "the engines did not reproduce it: " + test.failures.front().message;
    if (test.engines.size() != 2)
      return std::string("it did not run on both engines");
    return std::nullopt;
  }
  return std::string("the test block was not found after the file");
}

void confirmCounterexamples(const Compilation& compilation, std::vector<prove::CheckProof>& proofs,
                            const CompileOptions& options) {
  for (prove::CheckProof& proof : proofs) {
    if (proof.verdict != prove::Verdict::Refuted || proof.testBlock.empty())
      continue;
    if (auto problem = runAppendedTest(compilation, proof.testBlock, proof.testTitle, options))
      proof.reason = "unconfirmed: " + *problem;
    else
      proof.reason.clear();
  }
}

} // namespace fulcrum::testing
