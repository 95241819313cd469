// include/fulcrum/fulcrum.hpp: the RAII wrapper over the C API, errors as fulcrum::Error.
#include "fulcrum/fulcrum.hpp"

#include <cstdio>
#include <gtest/gtest.h>
#include <string>

namespace {

TEST(CppWrapper, RunsAndReadsTheLlrExample) {
  const fulcrum::Program program = fulcrum::Program::compileFile("examples/llr/llr.fulcrum");
  EXPECT_EQ(program.frameworks(), std::vector<std::string>{"llr"});
  EXPECT_EQ(program.params().at(0).name, "quota");
  EXPECT_EQ(program.tables("llr").size(), 4u);
  fulcrum::Data data(program);
  data.load();
  fulcrum::RunOptions options;
  options.period("2017-Q3").param("quota", "100000");
  const fulcrum::Result result = fulcrum::run(data, options);
  EXPECT_EQ(result.rows(), 35u);
  EXPECT_EQ(result.columns().at(0).name, "name");
  EXPECT_EQ(result.format(FULCRUM_FORMAT_CSV).substr(0, 9), "name,won,");
  EXPECT_EQ(result.text(0, 0).empty(), false);
}

TEST(CppWrapper, ErrorsAreExceptionsWithDiagnostics) {
  try {
    fulcrum::Program::compileText("bad.fulcrum", "framework f \"F\" {\n  subject nobody\n}\n");
    FAIL() << "expected fulcrum::Error";
  } catch (const fulcrum::Error& e) {
    EXPECT_EQ(e.status(), FULCRUM_COMPILE_ERROR);
    ASSERT_FALSE(e.diagnostics().empty());
    EXPECT_EQ(e.diagnostics()[0].file, "bad.fulcrum");
    EXPECT_EQ(e.diagnostics()[0].line, 2u);
    EXPECT_NE(std::string(e.what()).find("bad.fulcrum:2:"), std::string::npos) << e.what();
  }
  const fulcrum::Program program = fulcrum::Program::compileFile("examples/llr/llr.fulcrum");
  fulcrum::Data data(program, "llr");
  data.load();
  fulcrum::RunOptions options;
  options.period("2017-Q9");
  try {
    fulcrum::run(data, options);
    FAIL() << "expected fulcrum::Error";
  } catch (const fulcrum::Error& e) {
    EXPECT_EQ(e.status(), FULCRUM_USAGE_ERROR);
  }
  EXPECT_THROW(fulcrum::Data(program, "nope"), fulcrum::Error);
}

} // namespace
