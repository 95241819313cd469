// Scans split into row chunks that several threads take in turn. Chunk boundaries depend only on
// the data (rows, subjects, the scan's aggregates), never on the thread count, and every chunk's
// partial accumulators are merged in chunk order: results are bit-identical for any --threads.
#pragma once

#include "runtime/exec/Engine.h"

#include <cstddef>
#include <cstdint>

namespace fulcrum::runtime {

// How a scan of `rows` rows is cut: `chunks` ranges of about equal size (1: not cut at all).
size_t scanChunkCount(const ScanKernel& scan, int64_t rows, int64_t subjects);

// Runs scan `index` over args.rows rows with up to `threads` threads (0: every core), adding
// into args.accumulators exactly as one chunk after another would.
void runScanInChunks(const Engine& engine, const Plan& plan, size_t index, const KernelArgs& args,
                     unsigned threads);

// Runs scan `index` over rows [begin, end) of its table only (args.rows is not read), adding into
// args.accumulators as if those rows came right after the ones scanned before: an alert
// session's new rows. Matched rows are numbered as rows of the table. Only for a scan that
// canScanRowRange() (its columns of the current row can be moved to `begin`).
void runScanOverRows(const Engine& engine, const Plan& plan, size_t index, const KernelArgs& args,
                     int64_t begin, int64_t end);
// Whether a scan may run over a range of rows: none of its nodes reads its own table at an
// absolute row (a reference into the same table).
bool canScanRowRange(const Plan& plan, const ScanKernel& scan);

} // namespace fulcrum::runtime
