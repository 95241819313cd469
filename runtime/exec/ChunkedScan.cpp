// Chunked, multi-threaded scans (see ChunkedScan.h). A chunk is run by the ordinary scan kernel
// (interpreted or JIT-compiled) over column pointers moved to the chunk's first row, into a
// thread's private accumulators, which are then merged into the run's in chunk order.
#include "runtime/exec/ChunkedScan.h"

#include "runtime/exec/Aggregation.h"
#include "runtime/exec/MatchedRows.h"
#include "support/Threads.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <system_error>
#include <vector>

namespace fulcrum::runtime {
namespace {

// A chunk is worth its merge only when it reads far more rows than the accumulators it merges
// (clearing, merging and flushing them costs about what scanning 64 rows per accumulator does:
// at 16 the chunks' overhead was a fifth of a JIT-compiled count scan's CPU time, issue 24).
constexpr int64_t kMinChunkRows = 1 << 16;
constexpr int64_t kRowsPerMergedAccumulator = 64;
constexpr size_t kMaxChunks = 64;

size_t storageBytes(Storage storage) {
  switch (storage) {
  case Storage::F64:
    return sizeof(double);
  case Storage::I32:
    return sizeof(int32_t);
  case Storage::U8:
    return sizeof(uint8_t);
  }
  return 0;
}

// A scan can be cut when its updates merge exactly and every column it reads at the current row
// belongs to the scanned table: a reference into the same table reads absolute rows.
bool canChunk(const Plan& plan, const ScanKernel& scan) {
  if (scan.peerStage >= 0)
    return false;
  for (const AggregateUpdate& update : scan.updates)
    if (!aggregateInfo(update.kind).merges())
      return false;
  return canScanRowRange(plan, scan);
}

// A scan's arguments over rows [begin, end) of its table: its columns, row -> subject map and
// alert matches moved to row `begin` (other columns as they are). Owns the moved pointers.
struct RowRangeArgs {
  std::vector<const void*> values;
  std::vector<const uint8_t*> valid;
  MatchedRowsAt matchedAt; // alert matches name rows of the table, not of the range
  KernelArgs part{};

  RowRangeArgs(const Plan& plan, const ScanKernel& scan, const KernelArgs& args, int64_t begin,
               int64_t end, int64_t* scratch)
      : values(plan.columns.size()), valid(plan.columns.size()) {
    for (size_t c = 0; c < plan.columns.size(); ++c) {
      const BoundColumnSpec& spec = plan.columns[c];
      const bool moved = !spec.slotInput && spec.table == scan.table && args.columnValues[c];
      values[c] = moved ? static_cast<const char*>(args.columnValues[c]) +
                              static_cast<size_t>(begin) * storageBytes(spec.storage)
                        : args.columnValues[c];
      valid[c] = moved ? args.columnValid[c] + begin : args.columnValid[c];
    }
    part = args;
    if (args.matchedRows) {
      matchedAt = *static_cast<const MatchedRowsAt*>(args.matchedRows);
      matchedAt.firstRow += begin;
      part.matchedRows = &matchedAt;
    }
    part.columnValues = values.data();
    part.columnValid = valid.data();
    part.rowSubjects = args.rowSubjects + begin;
    part.rows = end - begin;
    part.scratch = scratch;
  }
  RowRangeArgs(const RowRangeArgs&) = delete; // `part` points into it
  RowRangeArgs& operator=(const RowRangeArgs&) = delete;
};

// Adds one chunk's accumulators (`part`) for every subject of `update` into `total`, as if the
// chunk's rows had been accumulated into `total` after the rows before it.
void mergeUpdate(const AggregateUpdate& update, int64_t subjects, const double* part,
                 double* total) {
  const int64_t first = update.aggregate * subjects * kAccumulatorWidth;
  for (int64_t s = 0; s < subjects; ++s)
    mergeAggregate(update.kind, total + first + s * kAccumulatorWidth,
                   part + first + s * kAccumulatorWidth);
}

void clearUpdate(const AggregateUpdate& update, int64_t subjects, double* accumulators) {
  double* first = accumulators + update.aggregate * subjects * kAccumulatorWidth;
  std::fill(first, first + subjects * kAccumulatorWidth, 0.0);
}

} // namespace

bool canScanRowRange(const Plan& plan, const ScanKernel& scan) {
  for (const PNode& node : scan.nodes)
    if (node.op == POp::RefColumn && plan.columns[node.a].table == scan.table)
      return false;
  return true;
}

void runScanOverRows(const Engine& engine, const Plan& plan, size_t index, const KernelArgs& args,
                     int64_t begin, int64_t end) {
  const auto scratchWords =
      static_cast<size_t>(std::max<int64_t>(0, engine.scratchPerSubject(index) * args.subjects));
  std::vector<int64_t> scratch(scratchWords, 0);
  RowRangeArgs range(plan, plan.scans[index], args, begin, end,
                     scratch.empty() ? nullptr : scratch.data());
  engine.runScan(index, range.part);
}

size_t scanChunkCount(const ScanKernel& scan, int64_t rows, int64_t subjects) {
  const int64_t merged =
      subjects * static_cast<int64_t>(scan.updates.size()) * kRowsPerMergedAccumulator;
  const int64_t chunkRows = std::max(kMinChunkRows, merged);
  const int64_t chunks = rows / chunkRows;
  return static_cast<size_t>(std::clamp<int64_t>(chunks, 1, kMaxChunks));
}

void runScanInChunks(const Engine& engine, const Plan& plan, size_t index, const KernelArgs& args,
                     unsigned threads) {
  const ScanKernel& scan = plan.scans[index];
  const size_t chunks = canChunk(plan, scan) ? scanChunkCount(scan, args.rows, args.subjects) : 1;
  // Zeroed scratch for the kernel (which leaves it zeroed), one block per thread.
  const auto scratchWords =
      static_cast<size_t>(std::max<int64_t>(0, engine.scratchPerSubject(index) * args.subjects));
  if (chunks == 1) {
    std::vector<int64_t> scratch(scratchWords, 0);
    KernelArgs whole = args;
    whole.scratch = scratch.empty() ? nullptr : scratch.data();
    engine.runScan(index, whole);
    return;
  }
  const size_t workers = std::min<size_t>(threadsFor(threads), chunks);
  const size_t accumulatorCount =
      static_cast<size_t>(plan.aggregateCount * args.subjects * kAccumulatorWidth);
  // Rows split as evenly as they go: the first `rows % chunks` chunks get one row more.
  const auto chunkCount = static_cast<int64_t>(chunks);
  auto chunkBegin = [&](size_t chunk) {
    const auto c = static_cast<int64_t>(chunk);
    return args.rows / chunkCount * c + std::min(c, args.rows % chunkCount);
  };

  std::atomic<size_t> nextChunk{0};
  std::mutex mergeLock;
  std::condition_variable merged;
  size_t mergedChunks = 0;

  auto work = [&] {
    std::vector<double> own(accumulatorCount, 0.0);
    std::vector<int64_t> scratch(scratchWords, 0);
    for (size_t chunk = nextChunk++; chunk < chunks; chunk = nextChunk++) {
      RowRangeArgs range(plan, scan, args, chunkBegin(chunk), chunkBegin(chunk + 1),
                         scratch.empty() ? nullptr : scratch.data());
      KernelArgs& part = range.part;
      // The first chunk adds straight into the run's accumulators: nothing comes before it.
      const bool direct = chunk == 0;
      if (!direct) {
        for (const AggregateUpdate& update : scan.updates)
          clearUpdate(update, args.subjects, own.data());
        part.accumulators = own.data();
      }
      engine.runScan(index, part);
      std::unique_lock<std::mutex> lock(mergeLock);
      merged.wait(lock, [&] { return mergedChunks == chunk; });
      if (!direct)
        for (const AggregateUpdate& update : scan.updates)
          mergeUpdate(update, args.subjects, own.data(), args.accumulators);
      ++mergedChunks;
      merged.notify_all();
    }
  };

  onThreads(workers, [&](size_t) { work(); });
}

} // namespace fulcrum::runtime
