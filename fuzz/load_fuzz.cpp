// Fuzz target 2: any bytes as CSV files -> loadTables with a fixed schema. The input is cut at
// its first 0x1E byte (ASCII's record separator) into an entity file `rep` and a table file
// `deals` that refers to it (no 0x1E: a fixed rep file, all of the input for deals). Load issues
// are expected; a crash, a hang, a leak, a row lost silently, an issue without a position, or a
// result that depends on the number of threads or on --on-error skip is a bug.
#include "fuzz/LoaderSchemas.h"
#include "fuzz/SameColumn.h"
#include "runtime/data/Loader.h"
#include "runtime/data/ShownText.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace {

using namespace fulcrum::runtime;

// A failed property: report it the way a sanitizer would, so libFuzzer keeps the input.
[[noreturn]] void fail(const char* what, const std::string& detail = "") {
  std::fprintf(stderr, "load_fuzz: %s\n%s\n", what, detail.c_str());
  std::abort();
}

// Files go to a folder of this process's own (several fuzzing jobs may run side by side), in
// memory when /dev/shm exists.
const std::string& workFolder() {
  static const std::string folder = [] {
    struct stat info {};
    const std::string base = stat("/dev/shm", &info) == 0 ? "/dev/shm" : "/tmp";
    std::string path = base + "/load_fuzz." + std::to_string(getpid());
    mkdir(path.c_str(), 0700);
    return path;
  }();
  return folder;
}

void writeFile(const std::string& path, std::string_view bytes) {
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    fail("cannot write an input file", path);
  for (size_t done = 0; done < bytes.size();) {
    const ssize_t wrote = write(fd, bytes.data() + done, bytes.size() - done);
    if (wrote <= 0)
      fail("cannot write an input file", path);
    done += static_cast<size_t>(wrote);
  }
  close(fd);
}

void describeColumn(std::ostringstream& out, const Column& column) {
  out << column.size() << '/' << column.missing << ':';
  for (size_t row = 0; row < column.size(); ++row) {
    out << ' ' << int(column.valid[row]);
    if (!column.valid[row])
      continue;
    switch (column.kind) {
    case ValueKind::Number:
      out << column.numbers[row];
      break;
    case ValueKind::Bool:
      out << int(column.bools[row]);
      break;
    case ValueKind::Text:
      out << column.text(row);
      break;
    case ValueKind::Date:
      out << column.days[row];
      break;
    case ValueKind::Period:
      out << column.periodFirst[row] << ".." << column.periodLast[row];
      break;
    case ValueKind::Reference:
      out << column.rows[row];
      break;
    }
  }
  out << '\n';
}

// Everything a load gives except `ok` (which skip mode changes): tables, issues, summaries.
std::string describe(const LoadResult& result) {
  std::ostringstream out;
  for (const Table& table : result.tables) {
    out << table.schema.name << ' ' << table.rowCount << " lines";
    for (const uint32_t line : table.lines.all())
      out << ' ' << line;
    out << '\n';
    for (const Column& column : table.columns)
      describeColumn(out, column);
    for (size_t i = 0; i < table.keyIndex.size(); ++i)
      out << table.keyIndex.key(i) << '=' << table.keyIndex.row(i) << ' ';
    out << '\n';
  }
  for (const LoadIssue& issue : result.issues)
    out << formatIssue(issue) << " | " << issue.table << ' ' << issue.field << " `" << issue.value
        << "` " << issue.fatal << '\n';
  for (const LoadSummary& summary : result.summaries)
    out << formatSummary(summary) << '\n';
  return out.str();
}

using fulcrum::fuzz::sameColumn;

// Whether two loads gave the same tables, issues and summaries (describe() is the same, without
// building it: executions must stay cheap).
bool sameLoad(const LoadResult& a, const LoadResult& b) {
  if (a.tables.size() != b.tables.size() || a.issues.size() != b.issues.size() ||
      a.summaries.size() != b.summaries.size())
    return false;
  for (size_t t = 0; t < a.tables.size(); ++t) {
    const Table &x = a.tables[t], &y = b.tables[t];
    if (x.rowCount != y.rowCount || x.lines != y.lines || x.columns.size() != y.columns.size() ||
        x.keyIndex.size() != y.keyIndex.size())
      return false;
    for (size_t c = 0; c < x.columns.size(); ++c)
      if (!sameColumn(x.columns[c], y.columns[c]))
        return false;
    for (size_t i = 0; i < x.keyIndex.size(); ++i)
      if (x.keyIndex.key(i) != y.keyIndex.key(i) || x.keyIndex.row(i) != y.keyIndex.row(i))
        return false;
  }
  for (size_t i = 0; i < a.issues.size(); ++i) {
    const LoadIssue &x = a.issues[i], &y = b.issues[i];
    if (x.file != y.file || x.line != y.line || x.column != y.column || x.table != y.table ||
        x.field != y.field || x.value != y.value || x.message != y.message || x.fatal != y.fatal)
      return false;
  }
  for (size_t i = 0; i < a.summaries.size(); ++i) {
    const LoadSummary &x = a.summaries[i], &y = b.summaries[i];
    if (x.table != y.table || x.path != y.path || x.rowsInFile != y.rowsInFile ||
        x.loaded != y.loaded || x.rejected != y.rejected)
      return false;
  }
  return true;
}

// Every row accounted for, every issue placed and printable, every reference in its table.
void checkLoad(const LoadResult& result, const char* which) {
  struct Detail { // the load as text, only when a check fails
    const LoadResult& result;
    const char* which;
    operator std::string() const { return std::string(which) + "\n" + describe(result); }
  } detail{result, which};
  if (result.summaries.size() != 2 || result.tables.size() != 2)
    fail("a table or summary is missing", detail);
  for (size_t t = 0; t < result.tables.size(); ++t) {
    const LoadSummary& summary = result.summaries[t];
    const Table& table = result.tables[t];
    if (summary.loaded + summary.rejected != summary.rowsInFile)
      fail("loaded + rejected != rows in the file", detail);
    if (table.rowCount != summary.loaded || table.lines.size() != summary.loaded)
      fail("the table's rows are not the loaded rows", detail);
    bool mentioned = false;
    for (const LoadIssue& issue : result.issues)
      mentioned = mentioned || issue.table == summary.table;
    if (summary.rejected > 0 && !mentioned)
      fail("rows were rejected without an issue for their table", detail);
    for (size_t f = 0; f < table.columns.size(); ++f) {
      const Column& column = table.columns[f];
      if (column.size() != summary.loaded || column.kind != table.schema.fields[f].kind)
        fail("a column does not hold the loaded rows", detail);
      size_t missing = 0;
      for (size_t row = 0; row < column.size(); ++row) {
        missing += column.valid[row] ? 0 : 1;
        if (!column.valid[row] && !table.schema.fields[f].optional)
          fail("a required field is missing in a loaded row", detail);
        if (column.kind == ValueKind::Reference && column.valid[row]) {
          const Table* target = result.table(table.schema.fields[f].referencedTable);
          if (!target || column.rows[row] < 0 ||
              static_cast<size_t>(column.rows[row]) >= target->rowCount)
            fail("a loaded reference points outside its table", detail);
        }
      }
      if (missing != column.missing)
        fail("a column's missing count is wrong", detail);
    }
  }
  for (const LoadIssue& issue : result.issues) {
    if (issue.file.empty() || issue.message.empty())
      fail("an issue without a file or a message", detail);
    if (!issue.fatal && issue.line == 0)
      fail("a row issue without a line", detail);
    const std::string text = formatIssue(issue);
    if (text.size() > 4096 || badTextByte(text) != std::string_view::npos)
      fail("an issue whose message is too long or not clean UTF-8", detail);
  }
}

// Records in a CSV text (the header included), read the simple way: quotes toggle, a line
// break outside quotes ends a record. The rejects file is written by the loader, so it is clean.
size_t csvRecords(const std::string& text) {
  size_t records = 0;
  bool quoted = false, inRecord = false;
  for (const char c : text) {
    if (c == '"')
      quoted = !quoted;
    if (c == '\n' && !quoted) {
      records += inRecord ? 1 : 0;
      inRecord = false;
    } else {
      inRecord = true;
    }
  }
  return records + (inRecord ? 1 : 0);
}

std::string readFile(const std::string& path) {
  std::string text;
  if (std::FILE* file = std::fopen(path.c_str(), "rb")) {
    char chunk[1 << 14];
    for (size_t got; (got = std::fread(chunk, 1, sizeof chunk, file)) > 0;)
      text.append(chunk, got);
    std::fclose(file);
  }
  return text;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t cut = input.find('\x1E');
  const std::string_view reps = cut == std::string_view::npos
                                    ? std::string_view("name,boss,started\nAnn,,2017-01-02\n"
                                                       "Bob,Ann,2017-02-03\n")
                                    : input.substr(0, cut);
  const std::string_view deals = cut == std::string_view::npos ? input : input.substr(cut + 1);
  const std::string& folder = workFolder();
  const std::string repsPath = folder + "/rep.csv", dealsPath = folder + "/deals.csv",
                    rejectsPath = folder + "/rejects.csv";
  writeFile(repsPath, reps);
  writeFile(dealsPath, deals);
  const std::vector<TableSchema> tables = fulcrum::fuzz::loaderSchemas(repsPath, dealsPath);

  LoadOptions sequential;
  sequential.threads = 1;
  const LoadResult one = loadTables(tables, sequential);
  checkLoad(one, "one thread");
  bool anyFatal = false;
  for (const LoadIssue& issue : one.issues)
    anyFatal = anyFatal || issue.fatal;
  if (one.ok != one.issues.empty())
    fail("ok does not say whether there are issues", describe(one));

  // The same files on three threads in tiny ranges and with --on-error skip: neither may change
  // the tables, issues or summaries; skip mode is ok unless an issue is fatal, and its rejects
  // file holds one row per rejected row of every usable table. (One load checks both: each one
  // costs threads and files, and executions must stay cheap.)
  LoadOptions split = sequential;
  split.threads = 3;
  split.minBytesPerRange = 1;
  split.skipBadRows = true;
  split.rejectsPath = rejectsPath;
  std::remove(rejectsPath.c_str()); // written only when a row is rejected: none from before
  const LoadResult skipped = loadTables(tables, split);
  if (!sameLoad(skipped, one))
    fail("three threads in tiny ranges with --on-error skip load differently from one thread",
         describe(one) + "--- three threads, skip:\n" + describe(skipped));
  if (skipped.ok == anyFatal)
    fail("skip mode's ok does not match its fatal issues", describe(one));
  size_t rejectedRows = 0;
  for (const LoadSummary& summary : skipped.summaries) {
    bool unusable = false;
    for (const LoadIssue& issue : skipped.issues)
      unusable = unusable || (issue.fatal && issue.table == summary.table);
    rejectedRows += unusable ? 0 : summary.rejected;
  }
  const bool written = std::ifstream(rejectsPath).good();
  const std::string rejects = written ? readFile(rejectsPath) : "";
  if (written ? csvRecords(rejects) != rejectedRows + 1 : rejectedRows != 0)
    fail("the rejects file does not hold every rejected row once", describe(one) + rejects);
  return 0;
}
