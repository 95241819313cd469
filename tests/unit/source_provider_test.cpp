// A SourceProvider supplies every text of a compilation (the root, its imports): what `fulcrum
// diff REV:PATH` relies on. Diagnostics name files as the provider shows them; imports and `from`
// paths resolve against where the file stands; roles mark bands and scores in the plan.
#include "compiler/driver/Compilation.h"
#include "compiler/lower/Lower.h"

#include <gtest/gtest.h>
#include <map>

namespace fulcrum {
namespace {

// Texts held in memory, shown as `rev:PATH`.
class MemorySources final : public SourceProvider {
public:
  std::map<std::string, std::string> files;
  bool isFile(const std::string& path) const override { return files.count(path) != 0; }
  bool read(const std::string& path, std::string& text, std::string& error) const override {
    auto it = files.find(path);
    if (it == files.end()) {
      error = "not in memory";
      return false;
    }
    text = it->second;
    return true;
  }
  std::string shownName(const std::string& path) const override { return "rev:" + path; }
};

const char* const kRoot = R"(import "rules"
entity rep from "../data/reps.csv" {
  key name: text
}
table deals from "../data/deals.csv" {
  owner: rep
  value: money
}
framework pay {
  subject rep
  cadence quarter
  metric won: money = sum(deals.value)
  metric payout: money = payout_of(won)
  score points out of 5 {
    results 100% = clamp(won / $100k, 0, 1)
  }
  band level = case {
    points >= 2 => "high"
    else => "low"
  }
}
)";

TEST(SourceProvider, RootAndImportsComeFromTheProvider) {
  auto sources = std::make_shared<MemorySources>();
  sources->files["plans/pay.fulcrum"] = kRoot;
  sources->files["plans/rules.fulcrum"] = "fn payout_of(won: money): money = won * 0.1\n";
  CompileOptions options;
  options.sources = sources;
  auto compilation = compileFile("plans/pay.fulcrum", options);
  ASSERT_TRUE(compilation->ok());
  ASSERT_EQ(compilation->sources.size(), 2u);
  EXPECT_EQ(compilation->sources.file(0).path, "rev:plans/pay.fulcrum");
  EXPECT_EQ(compilation->sources.file(0).location, "plans/pay.fulcrum");
  EXPECT_EQ(compilation->sources.file(1).path, "rev:plans/rules.fulcrum");

  // `from` resolves against where the file stands, not against its shown name.
  DiagnosticSink sink;
  std::string error;
  auto plan = lowerFramework(*compilation, "pay", sink, error);
  ASSERT_TRUE(plan) << error;
  EXPECT_EQ(plan->tables[0].path, "plans/../data/reps.csv");

  std::map<std::string, runtime::OutputRole> roles;
  for (const runtime::OutputColumn& column : plan->outputs)
    roles[column.name] = column.role;
  EXPECT_EQ(roles["won"], runtime::OutputRole::Value);
  EXPECT_EQ(roles["points"], runtime::OutputRole::Score);
  EXPECT_EQ(roles["points.results"], runtime::OutputRole::Value);
  EXPECT_EQ(roles["level"], runtime::OutputRole::Band);
}

TEST(SourceProvider, AnImportTheProviderLacksIsNotFoundAndDiagnosticsUseShownNames) {
  auto sources = std::make_shared<MemorySources>();
  sources->files["plans/pay.fulcrum"] = kRoot;
  CompileOptions options;
  options.sources = sources;
  auto compilation = compileFile("plans/pay.fulcrum", options);
  ASSERT_FALSE(compilation->ok());
  const std::string text =
      renderText(compilation->diagnostics.diagnostics().front(), compilation->sources);
  EXPECT_NE(text.find("rev:plans/pay.fulcrum:1:"), std::string::npos) << text;
  EXPECT_NE(text.find("UnknownImport"), std::string::npos) << text;

  auto missing = compileFile("plans/none.fulcrum", options);
  ASSERT_FALSE(missing->ok());
  EXPECT_EQ(missing->sources.file(0).path, "rev:plans/none.fulcrum");
}

} // namespace
} // namespace fulcrum

namespace fulcrum {
namespace {

// The file system's provider reads to the end, not to the size a stat gave: a file of size 0 by
// stat that holds text (as /proc's do; a file that grows while read is the same case) is read
// whole, so `fmt --write` can never write back a prefix of it.
TEST(SourceProvider, TheFileSystemIsReadToTheEndNotToTheStatSize) {
  std::string text, error;
  ASSERT_TRUE(fileSystemSources().read("/proc/self/status", text, error)) << error;
  EXPECT_NE(text.find("Name:"), std::string::npos) << "read " << text.size() << " bytes";
}

} // namespace
} // namespace fulcrum
