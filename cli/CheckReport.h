// The report of `fulcrum check`, one kind per `--format`: text (stderr), JSON, SARIF 2.1.0 and
// GitHub Actions annotations (stdout). CheckCommand feeds it each file's diagnostics and the data
// errors of `--with-data`, then finishes it; the format decides what goes where.
#pragma once

#include "compiler/diag/Diagnostic.h"

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace fulcrum::cli {

// A data error of `--with-data` (a file that cannot be read, a cell that does not fit), split
// from the loader's `file[:line[:col]]: error: message`; no file when it names no place.
struct DataError {
  std::string file;              // a data file's path; empty for a source that is not a file
  std::string source;            // such a source's label (`postgresql:deals`), else empty
  uint32_t line = 0, column = 0; // 0 when not known
  std::string message;
};
DataError parseDataError(const std::string& text);

// The rule id of data errors in SARIF and GitHub annotations: they have no DiagKind, as they
// are the data's, not the source's.
inline constexpr std::string_view kDataErrorRule = "DataError";

class CheckReport {
public:
  virtual ~CheckReport() = default;
  // One file's diagnostics, while its sources are alive.
  virtual void addDiagnostics(const std::vector<Diagnostic>& diagnostics,
                              const SourceManager& sources) = 0;
  // A data error as the loader printed it.
  virtual void addDataError(const std::string& text) = 0;
  // After the last file, with the totals of every file.
  virtual void finish(size_t errors, size_t warnings) = 0;
};

// The report for `--format NAME`, or null when there is no such format.
std::unique_ptr<CheckReport> makeCheckReport(std::string_view format);
// The formats, as the usage text lists them: `text|json|sarif|github`.
std::string checkFormatNames();

std::unique_ptr<CheckReport> makeSarifReport(); // cli/SarifReport.cpp
// The SARIF 2.1.0 log of fulcrum's `results` under `rules` (cli/SarifReport.cpp), as printed.
std::string sarifLog(const nlohmann::ordered_json& rules, const nlohmann::ordered_json& results);
// A result's location: a file, and a 1-based line and column (0: not known).
nlohmann::ordered_json sarifLocation(const std::string& path, uint32_t line, uint32_t column);
std::unique_ptr<CheckReport> makeGithubAnnotations(); // cli/GithubAnnotations.cpp

} // namespace fulcrum::cli
