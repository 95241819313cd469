// What a run was computed from (`--provenance PATH`, the `provenance` object of `--format json`,
// the report's footer) and `run --verify-provenance PATH`, which runs again from a record's
// inputs and names every input or result that differs (docs/provenance.md).
#pragma once

#include "cli/RunOptions.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace fulcrum::cli {

// The record of one run: the framework files read (the root first) and every data file, each
// with its SHA-256 (data files also with size, modification time and rows loaded and rejected),
// params as given and as used, period, as-of, engine, --only, Fulcrum's version and build, and
// the SHA-256 of the result as `--format csv` prints it. Data files that cannot be read again
// are recorded with the system's reason in `error`.
// `resultCsv`: what result_sha256 hashes when the command's result is not the table (alerts: the
// feed as --format csv prints it). Report's --periods/--as-of-every and alerts' --since and state
// file (its hash before the run) are recorded too.
nlohmann::json provenanceRecord(const RunOptions& options, const Compilation& compilation,
                                const runtime::Program& program, const runtime::RunResult& result,
                                const std::string* resultCsv = nullptr);
// A record that JSON cannot hold exactly (a path or param that is not UTF-8): prints which field
// and its bytes, and returns kExitDataError, before anything is written; nullopt when it is fine.
std::optional<int> unwritableRecord(const RunOptions& options, const nlohmann::json& record);
// Writes the record to options.provenance (all or nothing) when it is set; the exit status when
// it could not be written.
std::optional<int> writeProvenance(const RunOptions& options, const nlohmann::json& record);

// `--format json` with --provenance: `{"provenance": RECORD, "KEY": ARRAY}`, the array's text as
// the format printed it (no number reprinted).
std::string jsonWithProvenance(const nlohmann::json& record, const std::string& key,
                               const std::string& array);

// `run --verify-provenance PATH`: fills `options` from the record's inputs (the framework file
// and name, period, as-of, params and --data as given, engine, --only, --lib), for the command
// line's own flags to override. The exit status (with the reason printed) when the record cannot
// be read.
std::optional<int> readProvenanceInputs(const std::string& path, RunOptions& options,
                                        nlohmann::json& record);
// Compares a record with the rerun's: prints each difference (the file, old and new size and
// hash; a param's old and new value) or that all match; kExitOk when nothing differs, else
// kExitCheckViolated (language.md: a comparison that finds a change).
// With Compared::FilesOnly (a rerun that failed, `rerun` from rehashedFiles): the files alone,
// said to be so; never "verified". The caller's exit status is the rerun's.
enum class Compared { Everything, FilesOnly };
int compareProvenance(const nlohmann::json& recorded, const nlohmann::json& rerun,
                      Compared compared = Compared::Everything);

// The record with each of its framework and data files hashed again as they are now (for a
// rerun that failed before it could make a record of its own).
nlohmann::json rehashedFiles(const nlohmann::json& recorded);

// The footer line of the report: the framework files and data files with their short hashes and
// rows, the params used, the engine and version; nothing that changes from run to run of the
// same inputs (no time, no build).
std::string provenanceSummary(const nlohmann::json& record);

} // namespace fulcrum::cli
