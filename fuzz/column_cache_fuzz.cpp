// Fuzz target 4: any bytes as a column cache file (issue 28: a cache is untrusted input). Two
// fixed CSV files, `rep` and `deals` (every kind of field), are loaded once without a cache; then
// each input becomes the cache of one of them and the files are loaded with --cache. The input's
// first byte chooses: bit 0, which file's cache (0 deals, 1 rep); bit 1, whether the bytes are
// resealed (their trailing checksum recomputed, as a hand-made cache would be); bit 2, whether
// the rest is the cache itself or patches to the valid cache (each patch 3 bytes: an offset into
// it, in units of its size / 65536, and a byte to xor there; a last odd byte cuts it short).
// As it stands, a cache is either refused or gives exactly the CSV's tables: it is never trusted
// blindly. Resealed, it may carry values the checks cannot know (a changed amount); then the load
// must still hold every invariant the engines rely on. A crash, a hang or a leak is a bug too.
#include "fuzz/LoaderSchemas.h"
#include "fuzz/SameColumn.h"
#include "runtime/data/ColumnCache.h"
#include "runtime/data/Loader.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <string>
#include <string_view>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace {

using namespace fulcrum::runtime;

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "column_cache_fuzz: %s\n", what);
  std::abort();
}

const std::string& workFolder() {
  static const std::string folder = [] {
    struct stat info {};
    const std::string base = stat("/dev/shm", &info) == 0 ? "/dev/shm" : "/tmp";
    std::string path = base + "/column_cache_fuzz." + std::to_string(getpid());
    mkdir(path.c_str(), 0700);
    return path;
  }();
  return folder;
}

void writeFile(const std::string& path, std::string_view bytes) {
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    fail("cannot write a file");
  for (size_t done = 0; done < bytes.size();) {
    const ssize_t wrote = write(fd, bytes.data() + done, bytes.size() - done);
    if (wrote <= 0)
      fail("cannot write a file");
    done += static_cast<size_t>(wrote);
  }
  close(fd);
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

struct Fixture {
  std::vector<TableSchema> schemas;
  LoadResult uncached;
  std::string validCache[2]; // deals, rep
  std::string cachePath[2];
};

const Fixture& fixture() {
  static const Fixture fixed = [] {
    Fixture f;
    const std::string& folder = workFolder();
    const std::string reps = folder + "/rep.csv", deals = folder + "/deals.csv";
    writeFile(reps, "name,boss,started\nAnn,,2017-01-02\nBob,Ann,2017-02-03\nCy,Bob,2016-12-31\n");
    writeFile(deals, "id,owner,value,closed,won,quarter,rate,wait,note\n"
                     "1,Ann,$100.25,2017-04-03,true,2017-Q2,50%,2 days,first\n"
                     "2,Bob,,,,,,,\n"
                     "3,Cy,-7,2017-06-30,0,2017-05,1.5,3,\"a, b\"\n"
                     "4,Ann,900719925474.0991,2017-01-01,1,2017-W18,0%,0,first\n");
    f.schemas = fulcrum::fuzz::loaderSchemas(reps, deals);
    f.uncached = loadTables(f.schemas, {});
    if (!f.uncached.ok)
      fail("the fixed files do not load");
    LoadOptions cached;
    cached.columnCache = true;
    if (!loadTables(f.schemas, cached).ok)
      fail("the fixed files do not load with a cache");
    for (size_t t = 0; t < 2; ++t) {
      f.cachePath[t] = cachePath(f.schemas[t], "");
      f.validCache[t] = readFile(f.cachePath[t]);
      if (f.validCache[t].empty())
        fail("no cache was written");
    }
    return f;
  }();
  return fixed;
}

using fulcrum::fuzz::sameColumn;

bool sameTables(const LoadResult& a, const LoadResult& b) {
  if (a.ok != b.ok || a.tables.size() != b.tables.size() || a.issues.size() != b.issues.size())
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
  return true;
}

// What the engines rely on in any load: columns of the loaded rows, missing counts right,
// required fields present, references inside their tables, a key index of distinct rows.
void checkInvariants(const LoadResult& result) {
  if (result.tables.size() != 2)
    fail("a table is missing");
  for (const Table& table : result.tables) {
    if (table.lines.size() != table.rowCount)
      fail("lines do not match the rows");
    for (size_t f = 0; f < table.columns.size(); ++f) {
      const Column& column = table.columns[f];
      const FieldSchema& schema = table.schema.fields[f];
      if (column.size() != table.rowCount || column.kind != schema.kind)
        fail("a column does not hold the loaded rows");
      size_t missing = 0;
      for (size_t row = 0; row < column.size(); ++row) {
        missing += column.valid[row] ? 0 : 1;
        if (!column.valid[row] && !schema.optional)
          fail("a required field is missing in a loaded row");
        if (column.kind == ValueKind::Reference && column.valid[row]) {
          const Table* target = result.table(schema.referencedTable);
          if (!target || column.rows[row] < 0 ||
              static_cast<size_t>(column.rows[row]) >= target->rowCount)
            fail("a loaded reference points outside its table");
        }
      }
      if (missing != column.missing)
        fail("a column's missing count is wrong");
    }
    std::vector<uint8_t> seen(table.rowCount, 0);
    for (size_t i = 0; i < table.keyIndex.size(); ++i) {
      const int32_t row = table.keyIndex.row(i);
      if (row < 0 || static_cast<size_t>(row) >= table.rowCount || seen[static_cast<size_t>(row)])
        fail("the key index maps outside the rows, or two keys to one row");
      seen[static_cast<size_t>(row)] = 1;
    }
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0)
    return 0;
  const Fixture& f = fixture();
  const uint8_t mode = data[0];
  const size_t which = mode & 1;
  const bool reseal = (mode & 2) != 0;
  std::string bytes;
  if (mode & 4) { // patches to the valid cache
    bytes = f.validCache[which];
    size_t i = 1;
    for (; i + 3 <= size; i += 3) {
      const size_t at = (size_t{data[i]} << 8 | data[i + 1]) * bytes.size() / 65536;
      if (at < bytes.size())
        bytes[at] = static_cast<char>(bytes[at] ^ static_cast<char>(data[i + 2]));
    }
    if (i < size && !bytes.empty())
      bytes.resize(size_t{data[i]} * bytes.size() / 256);
  } else {
    bytes.assign(reinterpret_cast<const char*>(data) + 1, size - 1);
  }
  if (reseal)
    sealColumnCache(bytes);
  // The other file's cache is the valid one, so only this input is in question.
  writeFile(f.cachePath[1 - which], f.validCache[1 - which]);
  writeFile(f.cachePath[which], bytes);

  LoadOptions cached;
  cached.columnCache = true;
  cached.threads = 1;
  const LoadResult result = loadTables(f.schemas, cached);
  checkInvariants(result);
  if (!reseal && !sameTables(result, f.uncached))
    fail("a cache as it stood was trusted though its tables differ from the CSV's");
  return 0;
}
