// The rejects file of `--on-error skip`: each rejected row, with its reasons, as CSV.
#pragma once

#include "runtime/data/TableParser.h"

#include <string>
#include <vector>

namespace fulcrum::runtime {

// Writes `table,file,line,reason,record` rows (record: the row as written in its file) for every
// rejected row of every usable table. False, with `error` set, if the file cannot be written.
bool writeRejects(const std::string& path, const std::vector<ParsedTable>& tables,
                  std::string& error);

// `text` as one CSV field: quoted (quotes doubled) when it holds a comma, quote or line break.
std::string csvQuote(std::string_view text);

} // namespace fulcrum::runtime
