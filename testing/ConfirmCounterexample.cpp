// A refutation's test block run on both engines (see ConfirmCounterexample.h).
#include "testing/ConfirmCounterexample.h"

#include "testing/TestRunner.h"

#include <algorithm>
#include <cstdio>
#include <fmt/format.h>

namespace fulcrum::testing {

// A diagnostic `PATH:LINE:COLUMN: error: ...` of the file with `block` appended: when it is in
// the block, its position there ("block line 3, column 13: error: ..."), since the line is past
// the end of the file the user has.
static std::string inBlock(const std::string& diagnostic, const SourceFile& root,
                           const std::string& block) {
  const std::string prefix = root.path + ":";
  if (diagnostic.rfind(prefix, 0) != 0)
    return diagnostic;
  size_t line = 0, column = 0;
  int consumed = 0;
  if (std::sscanf(diagnostic.c_str() + prefix.size(), "%zu:%zu:%n", &line, &column, &consumed) !=
          2 ||
      consumed == 0)
    return diagnostic;
  // The block starts on the line after the file's text and the newline appended after it.
  const size_t fileLines =
      static_cast<size_t>(std::count(root.text.begin(), root.text.end(), '\n')) + 1;
  if (line <= fileLines ||
      line > fileLines + static_cast<size_t>(std::count(block.begin(), block.end(), '\n')))
    return diagnostic;
  return fmt::format("block line {}, column {}:{}", line - fileLines, column,
                     diagnostic.substr(prefix.size() + static_cast<size_t>(consumed)));
}

std::optional<std::string> runAppendedTest(const Compilation& compilation, const std::string& block,
                                           const std::string& title,
                                           const CompileOptions& options) {
  if (compilation.sources.size() == 0)
    return std::string("the file has no text");
  const SourceFile& root = compilation.sources.file(0);
  // The file may hold this very block already (pasted after the framework, as docs/prove.md
  // says): the appended copy runs under a title the file does not use.
  std::string runTitle = title;
  std::string runBlock = block;
  const std::string head = "test " + prove::quotedText(title);
  if (root.text.find(head) != std::string::npos && runBlock.rfind(head, 0) == 0) {
    do
      runTitle += " (check --prove)";
    while (root.text.find("test " + prove::quotedText(runTitle)) != std::string::npos);
    runBlock = "test " + prove::quotedText(runTitle) + runBlock.substr(head.size());
  }
  const auto appended = compileSource(root.path, root.text + "\n" + runBlock, options);
  std::string log;
  TestRunOptions engines;
  engines.onlyTitle = runTitle;
  const TestFileResult result = runTestFile(root.path, *appended, engines, nullptr, log);
  if (!result.compileErrors.empty()) {
    // The first error (warnings come first when there are any).
    const std::string& errors = result.compileErrors;
    size_t at = errors.find(": error: ");
    at = at == std::string::npos ? 0 : errors.rfind('\n', at);
    at = at == std::string::npos ? 0 : at + 1;
    return "the test block does not compile: " +
           inBlock(errors.substr(at, errors.find('\n', at) - at), root, runBlock);
  }
  for (const TestCaseResult& test : result.tests) {
    if (test.title != runTitle)
      continue;
    if (!test.errors.empty())
      return "its rows do not load: " + inBlock(test.errors.front(), root, runBlock);
    if (!test.failures.empty()) {
      // Every failure: with several checks violated, the one expected may not come first.
      std::string failures;
      for (const auto& failure : test.failures)
        failures += (failures.empty() ? "" : "; ") + failure.message;
      return "the engines did not reproduce it: " + failures;
    }
    if (test.engines.size() != 2)
      return std::string("it did not run on both engines");
    return std::nullopt;
  }
  return std::string("the test block was not found after the file");
}

void confirmCounterexamples(const Compilation& compilation, std::vector<prove::CheckProof>& proofs,
                            const CompileOptions& options) {
  for (prove::CheckProof& proof : proofs) {
    if (proof.verdict != prove::Verdict::Refuted)
      continue;
    if (!proof.testBlock.empty()) {
      if (auto problem = runAppendedTest(compilation, proof.testBlock, proof.testTitle, options))
        proof.reason = "unconfirmed: " + *problem;
      else
        proof.reason.clear();
    }
    // A check stands refuted only on data: the solver's values alone may be of no data set (its
    // aggregates are free values under facts that do not say everything rows would), and a
    // refuted check fails the command.
    if (proof.question == prove::Question::Check && !proof.reason.empty())
      proof.verdict = prove::Verdict::Unknown;
  }
}

} // namespace fulcrum::testing
