// Provenance records: made from a run, written all or nothing, read back and compared.
#include "cli/Provenance.h"

#include "GitCommit.h" // FULCRUM_GIT_COMMIT, written at build time (cmake/GitCommit.cmake)
#include "cli/Commands.h"
#include "compiler/driver/SubjectFilter.h"
#include "runtime/data/HostTable.h"
#include "runtime/exec/RunParams.h"
#include "runtime/output/ResultFormat.h"
#include "support/AtomicFile.h"
#include "support/BuildIdentity.h"
#include "support/Calendar.h"
#include "support/PostgresUri.h"
#include "support/Sha256.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <iterator>
#include <sys/stat.h>

namespace fulcrum::cli {

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

constexpr int kRecordVersion = 1;

// The record as JSON text. Strings that are not UTF-8 were refused before (unwritableRecord);
// `replace` keeps a dump from ever throwing.
std::string recordText(const json& record) {
  return record.dump(2, ' ', false, json::error_handler_t::replace);
}

bool isUtf8(const std::string& text) {
  try {
    (void)json(text).dump();
    return true;
  } catch (const json::type_error&) {
    return false;
  }
}

// `d\xFF/reps.csv`: the bytes above ASCII as \xHH, so a message shows the value exactly.
std::string escapedBytes(const std::string& text) {
  std::string shown;
  for (unsigned char c : text)
    shown += c < 0x80 ? std::string(1, static_cast<char>(c)) : fmt::format("\\x{:02X}", c);
  return shown;
}

// The JSON pointer (`/data_files/0/path`) and value of the first string that is not UTF-8.
std::optional<std::pair<std::string, std::string>> firstNonUtf8(const json& value,
                                                                const std::string& at) {
  if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    if (!isUtf8(text))
      return std::pair{at, text};
  } else if (value.is_object()) {
    for (const auto& [key, item] : value.items()) {
      if (!isUtf8(key))
        return std::pair{at + "/" + escapedBytes(key), key};
      if (auto found = firstNonUtf8(item, at + "/" + key))
        return found;
    }
  } else if (value.is_array()) {
    for (size_t i = 0; i < value.size(); ++i)
      if (auto found = firstNonUtf8(value[i], at + "/" + std::to_string(i)))
        return found;
  }
  return std::nullopt;
}

std::string compilerName() {
#if defined(__clang__)
  return std::string("clang ") + __clang_version__;
#elif defined(__GNUC__)
  return std::string("gcc ") + __VERSION__;
#else
  return "unknown";
#endif
}

// `2017-12-31T17:45:00Z`, to the second (the mtime's nanoseconds are left out).
std::string utcTime(const struct timespec& when) {
  std::tm utc{};
  gmtime_r(&when.tv_sec, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

// When this process started (before any file was read): a data file modified since may not hold
// the bytes the run loaded.
const struct timespec kProcessStart = [] {
  struct timespec now {};
  clock_gettime(CLOCK_REALTIME, &now);
  return now;
}();

bool operator<(const struct timespec& a, const struct timespec& b) {
  return a.tv_sec != b.tv_sec ? a.tv_sec < b.tv_sec : a.tv_nsec < b.tv_nsec;
}

// Where a table was read from: its `--data` override, else its declaration's `from`.
std::string tableSource(const runtime::Program& program, const RunOptions& options,
                        const std::string& table) {
  if (auto it = options.request.dataPaths.find(table); it != options.request.dataPaths.end())
    return it->second;
  const runtime::Plan& plan = program.plan();
  for (const auto* tables : {&plan.tables, &plan.referencedEntities})
    for (const runtime::PlanTable& declared : *tables)
      if (declared.name == table)
        return declared.path;
  return "";
}

json fileEntry(const std::string& path) {
  json entry = {{"path", path}};
  std::string hex, error;
  uint64_t size = 0;
  if (!sha256File(path, hex, size, error)) {
    entry["error"] = error;
    return entry;
  }
  entry["size"] = size;
  entry["sha256"] = hex;
  return entry;
}

// Params as the run used them: each `param`'s value (its default or the --param override), as
// CSV prints it; and the period and as-of day the run resolved.
void usedParams(const runtime::Program& program, const RunOptions& options, json& record) {
  const runtime::Plan& plan = program.plan();
  runtime::StringCodes codes;
  std::vector<std::string> strings;
  const runtime::RunParamValues values = runtime::computeRunParams(
      plan, options.request.period, options.request.asOf, options.request.params, codes, strings);
  json used = json::object();
  for (size_t i = 0; i < plan.runParams.size(); ++i) {
    const runtime::RunParamSpec& spec = plan.runParams[i];
    if (spec.kind == runtime::RunParamKind::UserParam)
      used[spec.name] = values.valid.size() > i && !values.valid[i]
                            ? json(nullptr)
                            : json(runtime::rawValue(spec.paramType, values.values[i], strings,
                                                     plan.fiscalStart));
  }
  record["params"]["used"] = used;
  if (values.errors.empty()) {
    record["period_used"] = formatPeriod(values.period);
    record["as_of_used"] = formatDate(values.asOf);
  }
}

// A file whose recorded hash may not be of the bytes the run used: said on stderr and in the
// record (`changed_since_read`), which verify then cannot vouch for.
void changedSinceRead(const RunOptions& options, json& entry, const std::string& why) {
  entry["changed_since_read"] = why;
  std::fprintf(stderr,
               "fulcrum %s: warning: provenance: `%s` changed since the run read it (%s); its "
               "recorded SHA-256 may not be of the bytes the run used\n",
               options.command.c_str(), entry["path"].get<std::string>().c_str(), why.c_str());
}

std::string engineName(runtime::EngineKind engine) {
  return engine == runtime::EngineKind::Jit ? "jit" : "interp";
}

std::string shortHash(const json& entry) {
  return entry.contains("sha256") ? entry["sha256"].get<std::string>().substr(0, 12) : "unreadable";
}

std::string text(const json& value) {
  return value.is_string() ? value.get<std::string>() : value.is_null() ? "-" : value.dump();
}

} // namespace

json provenanceRecord(const RunOptions& options, const Compilation& compilation,
                      const runtime::Program& program, const runtime::RunResult& result,
                      const std::string* resultCsv) {
  json record;
  record["provenance_version"] = kRecordVersion;
  record["fulcrum"] = {{"version", kFulcrumVersion},
                       {"build_id", buildIdentity()},
                       {"git_commit", FULCRUM_GIT_COMMIT},
                       {"compiler", compilerName()}};
  record["command"] = options.command;
  record["framework"] = options.framework;
  json files = json::array();
  for (const auto& module : compilation.modules) {
    const SourceFile& source = compilation.sources.file(module->file);
    json entry = fileEntry(source.location.empty() ? source.path : source.location);
    // The hash is of the file as it is now; the compiler read it before the run. A file whose
    // bytes are not the text compiled (with or without the byte order mark the reader drops)
    // changed in between.
    if (entry.contains("sha256") && entry["sha256"] != sha256Hex(source.text) &&
        entry["sha256"] != sha256Hex("\xEF\xBB\xBF" + source.text))
      changedSinceRead(options, entry, "its bytes are not the text that was compiled");
    if (module->implicit)
      entry["implicit"] = true; // the standard library's okr, which grades objectives
    // A module of the standard library is also named as an import names it (`stdlib/okr`):
    // where the library is installed differs from machine to machine.
    std::error_code ec;
    fs::path relative = fs::relative(fs::weakly_canonical(entry["path"].get<std::string>(), ec),
                                     fs::weakly_canonical(stdlibDirectory(), ec), ec);
    if (!ec && !relative.empty() && relative.native().rfind("..", 0) != 0)
      entry["stdlib"] = "stdlib/" + relative.replace_extension().string();
    files.push_back(std::move(entry));
  }
  record["framework_files"] = std::move(files);
  json data = json::array();
  for (const runtime::LoadSummary& summary : result.summaries) {
    if (runtime::isTableSourceLabel(summary.path)) {
      // A database table or a host's: no file to hash; the query it was (without a password).
      data.push_back({{"path", summary.path},
                      {"table", summary.table},
                      {"source", withoutPassword(tableSource(program, options, summary.table))},
                      {"rows", summary.rowsInFile},
                      {"loaded", summary.loaded},
                      {"rejected", summary.rejected}});
      continue;
    }
    struct stat before {
    }, after{};
    const bool statted = ::stat(summary.path.c_str(), &before) == 0;
    json entry = fileEntry(summary.path);
    entry["table"] = summary.table;
    if (statted)
      entry["modified"] = utcTime(before.st_mtim);
    // The hash is of a second read, after the load: a file modified since this process started,
    // or while it was hashed, may not hold the bytes the run loaded.
    if (statted && !(before.st_mtim < kProcessStart))
      changedSinceRead(
          options, entry,
          fmt::format("it was modified at {}, after the run started", utcTime(before.st_mtim)));
    else if (statted && ::stat(summary.path.c_str(), &after) == 0 &&
             (after.st_size != before.st_size || before.st_mtim < after.st_mtim ||
              after.st_mtim < before.st_mtim))
      changedSinceRead(options, entry, "it changed while it was hashed");
    entry["rows"] = summary.rowsInFile;
    entry["loaded"] = summary.loaded;
    entry["rejected"] = summary.rejected;
    data.push_back(std::move(entry));
  }
  record["data_files"] = std::move(data);
  json overrides = json::object();
  for (const auto& [table, path] : options.request.dataPaths)
    overrides[table] = withoutPassword(path);
  record["data_overrides"] = std::move(overrides);
  record["params"] = {{"given", options.request.params}};
  usedParams(program, options, record);
  record["period"] = options.request.period;
  record["as_of"] = options.request.asOf;
  record["engine"] = engineName(options.engine);
  record["only"] = options.only.empty() ? json(nullptr) : json(options.only);
  record["libraries"] = options.compile.libraryDirs;
  record["on_error"] = options.request.skipBadRows ? "skip" : "fail";
  // What only some commands take: report's series of periods, alerts' --since and state file
  // (hashed before this run updates it).
  if (!options.periods.empty())
    record["periods"] = options.periods;
  if (!options.asOfEvery.empty())
    record["as_of_every"] = options.asOfEvery;
  if (options.command == "alerts") {
    record["since"] = options.since.empty() ? json(nullptr) : json(options.since);
    record["state"] = options.state.empty() ? json(nullptr) : fileEntry(options.state);
  }
  record["result_sha256"] = sha256Hex(
      resultCsv ? *resultCsv : runtime::formatResult(result.table, runtime::OutputFormat::Csv));
  return record;
}

std::optional<int> writeProvenance(const RunOptions& options, const json& record) {
  if (options.provenance.empty())
    return std::nullopt;
  std::string error;
  if (!writeFileAtomically(options.provenance, recordText(record) + "\n",
                           AtomicFile::Access::Output, error)) {
    std::fprintf(stderr, "fulcrum %s: cannot write `%s`: %s\n", options.command.c_str(),
                 options.provenance.c_str(), error.c_str());
    return kExitDataError;
  }
  return std::nullopt;
}

std::optional<int> unwritableRecord(const RunOptions& options, const json& record) {
  auto found = firstNonUtf8(record, "");
  if (!found)
    return std::nullopt;
  std::fprintf(stderr,
               "fulcrum %s: --provenance: %s is `%s`, which is not UTF-8; a provenance record is "
               "JSON text and cannot hold it exactly (rename the file or directory); nothing "
               "written\n",
               options.command.c_str(), found->first.c_str(), escapedBytes(found->second).c_str());
  return kExitDataError;
}

std::optional<int> readProvenanceInputs(const std::string& path, RunOptions& options,
                                        json& record) {
  std::ifstream in(path, std::ios::binary);
  auto fail = [&](const std::string& why) {
    std::fprintf(stderr, "fulcrum run: --verify-provenance `%s`: %s\n", path.c_str(), why.c_str());
    return kExitDataError;
  };
  if (!in)
    return fail(fmt::format("cannot read it: {}", std::strerror(errno)));
  const std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  try {
    record = json::parse(content);
  } catch (const json::parse_error& e) {
    // The line and column of the byte the parser stopped at (e.byte counts from 1).
    const size_t at = std::min<size_t>(e.byte == 0 ? 0 : e.byte - 1, content.size());
    const size_t line =
        1 + static_cast<size_t>(std::count(
                content.begin(), content.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
    const size_t lineStart = content.rfind('\n', at == 0 ? 0 : at - 1);
    const size_t column = lineStart == std::string::npos || at == 0 ? at + 1 : at - lineStart;
    return fail(
        fmt::format("not a provenance record: line {}, column {}: not valid JSON", line, column));
  }
  if (!record.is_object())
    return fail("not a provenance record (not a JSON object)");
  if (!record.contains("provenance_version"))
    return fail("not a provenance record (no `provenance_version`)");
  if (record["provenance_version"] != kRecordVersion)
    return fail(fmt::format("a provenance record of version {}; this Fulcrum reads version {}",
                            text(record["provenance_version"]), kRecordVersion));
  // Verify replays `fulcrum run`: a record whose result is something else cannot be compared.
  if (record.value("command", json()) == "alerts")
    return fail("a record of `fulcrum alerts` (its result is the alert feed, after --since and the "
                "state file); --verify-provenance replays the records of `fulcrum run` and of "
                "one-period `fulcrum report`");
  for (const char* field : {"periods", "as_of_every"})
    if (record.contains(field) && !record[field].is_null())
      return fail(fmt::format("a record of `fulcrum report --{}` (a series of runs); "
                              "--verify-provenance replays one run",
                              std::string(field) == "periods" ? "periods" : "as-of-every"));
  try {
    const json& files = record.at("framework_files");
    if (!files.is_array() || files.empty())
      return fail("it names no framework file");
    options.file = files.at(0).at("path").get<std::string>();
    options.framework = record.at("framework").get<std::string>();
    options.request.period = record.at("period").get<std::string>();
    options.request.asOf = record.at("as_of").get<std::string>();
    options.request.params =
        record.at("params").at("given").get<std::map<std::string, std::string>>();
    options.request.dataPaths =
        record.at("data_overrides").get<std::map<std::string, std::string>>();
    // Read as the command line's --engine and --on-error read them: an unknown value is refused.
    for (const auto& [field, flag] : {std::pair{"engine", "--engine"}, {"on_error", "--on-error"}})
      if (std::string error = applyOption(options, flag, record.at(field).get<std::string>());
          !error.empty())
        return fail(fmt::format("`{}`: {}", field, error));
    if (record.at("only").is_string())
      options.only = record["only"].get<std::string>();
    options.compile.libraryDirs = record.at("libraries").get<std::vector<std::string>>();
  } catch (const json::exception& e) {
    return fail(fmt::format("a field is missing or of the wrong kind ({})", e.what()));
  }
  return std::nullopt;
}

std::string jsonWithProvenance(const json& record, const std::string& key,
                               const std::string& array) {
  std::string body = array;
  while (!body.empty() && body.back() == '\n')
    body.pop_back();
  return fmt::format("{{\"provenance\": {},\n\"{}\": {}}}\n", recordText(record), key, body);
}

int compareProvenance(const json& recorded, const json& rerun, Compared compared) {
  const bool filesOnly = compared == Compared::FilesOnly;
  std::vector<std::string> changes;
  // The framework files, then the data files, each matched by what it is to the run: a data
  // file by its table and path (two tables may read one file), a framework file of the standard
  // library by its import name (the library's folder differs from machine to machine: an
  // installed copy, FULCRUM_STDLIB), any other by its path.
  for (const char* kind : {"framework_files", "data_files"}) {
    const bool data = std::string(kind) == "data_files";
    auto identity = [&](const json& entry) {
      if (data)
        return json::array({entry.value("table", json()), entry.value("path", json())});
      return entry.contains("stdlib") ? json::array({"stdlib", entry["stdlib"]})
                                      : json::array({"path", entry.value("path", json())});
    };
    auto label = [&](const json& entry) {
      return data ? fmt::format("data file `{}` (table {})", text(entry["path"]),
                                text(entry.value("table", json())))
             : entry.contains("stdlib") ? fmt::format("framework file `{}` ({})",
                                                      text(entry["stdlib"]), text(entry["path"]))
                                        : fmt::format("framework file `{}`", text(entry["path"]));
    };
    const json beforeFiles = recorded.value(kind, json::array());
    const json afterFiles = rerun.value(kind, json::array());
    for (const json& before : beforeFiles) {
      const json* after = nullptr;
      for (const json& candidate : afterFiles)
        if (identity(candidate) == identity(before))
          after = &candidate;
      if (!after) {
        changes.push_back(label(before) + ": no longer read");
      } else if (after->value("source", json()) != before.value("source", json())) {
        changes.push_back(fmt::format("{}: read from {} -> {}", label(before),
                                      text(before.value("source", json())),
                                      text(after->value("source", json()))));
      } else if (after->contains("error") && !before.contains("error")) {
        changes.push_back(
            fmt::format("{}: cannot be read now: {}", label(before), text((*after)["error"])));
      } else if (after->value("sha256", json()) != before.value("sha256", json()) ||
                 after->value("size", json()) != before.value("size", json())) {
        changes.push_back(fmt::format(
            "{}: size {} -> {}, sha256 {} -> {}", label(before), text(before.value("size", json())),
            text(after->value("size", json())), text(before.value("sha256", json())),
            text(after->value("sha256", json()))));
      } else if (data && (after->value("loaded", json()) != before.value("loaded", json()) ||
                          after->value("rejected", json()) != before.value("rejected", json()))) {
        changes.push_back(fmt::format("{}: rows loaded {} -> {}, rejected {} -> {}", label(before),
                                      text(before["loaded"]), text((*after)["loaded"]),
                                      text(before["rejected"]), text((*after)["rejected"])));
      }
    }
    for (const json& after : afterFiles) {
      bool known = false;
      for (const json& before : beforeFiles)
        known = known || identity(before) == identity(after);
      if (!known)
        changes.push_back(label(after) + ": read now, not before");
    }
  }
  if (filesOnly) { // the rerun failed: no params used, no result to compare
    std::printf("the rerun failed, so the params and the result were not compared; the recorded "
                "files as they are now:\n");
    if (changes.empty())
      std::printf("  %zu framework file(s), %zu data file(s): unchanged\n",
                  rerun.value("framework_files", json::array()).size(),
                  rerun.value("data_files", json::array()).size());
    for (const std::string& change : changes)
      std::printf("  %s\n", change.c_str());
    return changes.empty() ? kExitOk : kExitCheckViolated;
  }
  const json usedBefore = recorded.value("params", json::object()).value("used", json::object());
  const json usedAfter = rerun.value("params", json::object()).value("used", json::object());
  for (const auto& [name, value] : usedBefore.items())
    if (!usedAfter.contains(name))
      changes.push_back(fmt::format("param `{}`: was {}, now not declared", name, text(value)));
    else if (usedAfter[name] != value)
      changes.push_back(
          fmt::format("param `{}`: {} -> {}", name, text(value), text(usedAfter[name])));
  for (const auto& [name, value] : usedAfter.items())
    if (!usedBefore.contains(name))
      changes.push_back(fmt::format("param `{}`: new, {}", name, text(value)));
  // Inputs the command line can override: each one that differs is a cause, named before the
  // result. The engine is a note only (the two engines agree byte for byte), as is the build.
  for (const char* field : {"period_used", "as_of_used", "only", "on_error", "libraries"})
    if (recorded.value(field, json()) != rerun.value(field, json()))
      changes.push_back(fmt::format("{}: {} -> {}", field, text(recorded.value(field, json())),
                                    text(rerun.value(field, json()))));
  std::vector<std::string> notes;
  if (recorded.value("engine", json()) != rerun.value("engine", json()))
    notes.push_back(fmt::format("engine: {} -> {} (the engines agree byte for byte)",
                                text(recorded.value("engine", json())),
                                text(rerun.value("engine", json()))));
  const json builtBefore = recorded.value("fulcrum", json::object());
  const json builtAfter = rerun.value("fulcrum", json::object());
  for (const char* field : {"version", "git_commit", "build_id", "compiler"})
    if (builtBefore.value(field, json()) != builtAfter.value(field, json()))
      notes.push_back(fmt::format("fulcrum {}: recorded by {}, verified by {}", field,
                                  text(builtBefore.value(field, json())),
                                  text(builtAfter.value(field, json()))));
  auto printNotes = [&] {
    for (const std::string& note : notes)
      std::printf("  note: %s\n", note.c_str());
  };
  const bool sameResult =
      recorded.value("result_sha256", json()) == rerun.value("result_sha256", json());
  if (!sameResult)
    changes.push_back(fmt::format("the result (as --format csv prints it): sha256 {} -> {}",
                                  text(recorded.value("result_sha256", json())),
                                  text(rerun.value("result_sha256", json()))));
  if (changes.empty()) {
    std::printf("provenance verified: %zu framework file(s), %zu data file(s), the params and the "
                "result match\n",
                rerun.value("framework_files", json::array()).size(),
                rerun.value("data_files", json::array()).size());
    printNotes();
    return kExitOk;
  }
  std::printf("provenance differs (%zu change%s):\n", changes.size(),
              changes.size() == 1 ? "" : "s");
  for (const std::string& change : changes)
    std::printf("  %s\n", change.c_str());
  printNotes();
  return kExitCheckViolated;
}

json rehashedFiles(const json& recorded) {
  json now = recorded;
  for (const char* kind : {"framework_files", "data_files"})
    if (now.contains(kind) && now[kind].is_array())
      for (json& entry : now[kind]) {
        if (entry.contains("source"))
          continue; // a database table: nothing to hash
        const json fresh = fileEntry(text(entry.value("path", json())));
        entry.erase("size");
        entry.erase("sha256");
        entry.erase("error");
        entry.update(fresh);
      }
  return now;
}

std::string provenanceSummary(const json& record) {
  std::string out = "Computed from";
  bool first = true;
  for (const json& entry : record.value("framework_files", json::array())) {
    out += fmt::format("{} {} (sha256 {})", first ? "" : ",",
                       text(entry.contains("stdlib") ? entry["stdlib"] : entry["path"]),
                       shortHash(entry));
    first = false;
  }
  for (const json& entry : record.value("data_files", json::array()))
    out +=
        fmt::format(", {} ({}, {} rows, {} loaded, {} rejected)", text(entry["path"]),
                    entry.contains("source") ? text(entry["source"]) : "sha256 " + shortHash(entry),
                    text(entry.value("rows", json())), text(entry.value("loaded", json())),
                    text(entry.value("rejected", json())));
  std::string params;
  const json used = record.value("params", json::object()).value("used", json::object());
  for (const auto& [name, value] : used.items())
    params += fmt::format("{}{} = {}", params.empty() ? "" : ", ", name, text(value));
  out += fmt::format("; params: {}", params.empty() ? "none" : params);
  if (record.value("only", json()).is_string())
    out += fmt::format("; only the subjects where {}", text(record["only"]));
  out += fmt::format("; engine {}; fulcrum {}.", text(record.value("engine", json())),
                     text(record.value("fulcrum", json::object()).value("version", json())));
  return out;
}

} // namespace fulcrum::cli
