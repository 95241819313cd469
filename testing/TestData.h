// A test's data: its inline rows written to CSV files in a fresh folder, its fixture files, its
// period, as-of date and params, as one RunRequest that the ordinary loader reads. A test is
// hermetic: a table or entity the framework reads and the test gives no rows for is empty; the
// framework's declared files are never read.
#pragma once

#include "compiler/driver/Compilation.h"
#include "runtime/Program.h"

#include <string>
#include <vector>

namespace fulcrum::testing {

// The folder of a test's CSV files, removed with it.
class TestDataFolder {
public:
  TestDataFolder() = default;
  TestDataFolder(const TestDataFolder&) = delete;
  TestDataFolder& operator=(const TestDataFolder&) = delete;
  ~TestDataFolder();
  bool create(std::string& error);
  const std::string& path() const { return path_; }

private:
  std::string path_;
};

// Where each written record came from: a CSV file's line -> the test row's position.
struct WrittenRow {
  std::string file; // the CSV file written
  uint32_t firstLine = 0, lastLine = 0;
  SourceRange row;
};

struct TestInputs {
  runtime::RunRequest request;
  std::string folder; // where the rows were written
  std::vector<WrittenRow> written;
  // What is wrong with the test's data before anything is loaded (a reference to a key no row
  // of the test holds, rows both inline and from a fixture), `file:line:col: error: ...` each.
  std::vector<std::string> errors;
};

// Writes the test's rows for every table and entity the plan reads into `folder` and fills the
// request; `errors` when the test's data is wrong.
TestInputs prepareTestInputs(const ast::TestDecl& test, const runtime::Plan& plan,
                             const Compilation& compilation, const TestDataFolder& folder);

// A load error from one of the written files, rewritten to name the test (`title`) and the row it
// came from; a written file named in another message is called `the test's rows of TABLE`; a
// fixture's messages are otherwise unchanged. Sets `inRows` when the error is in a written row.
std::string testRowError(const std::string& message, const std::string& title,
                         const TestInputs& inputs, const SourceManager& sources, bool& inRows);

// `file:line:col` of a position.
std::string locationOf(const SourceRange& range, const SourceManager& sources);

} // namespace fulcrum::testing
