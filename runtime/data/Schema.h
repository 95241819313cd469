// What the loader is asked to load: tables, their fields, and which file column feeds each.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace fulcrum::runtime {

// How a field's values are stored. Numbers, counts, money, percents and durations are Number.
enum class ValueKind : uint8_t { Number, Bool, Text, Date, Period, Reference };

const char* valueKindName(ValueKind kind);

struct FieldSchema {
  std::string name;   // the field's name in the program
  std::string column; // the file column it reads
  ValueKind kind = ValueKind::Text;
  bool optional = false;       // `T?`: the cell may be empty
  std::string typeName;        // as the user wrote it (money, count, percent, date, rep...)
  std::string referencedTable; // for Reference: the entity's name
  // `in 1..5` (Number only): a cell outside is rejected. Either end may be open.
  std::optional<double> minimum, maximum;
  // The program never reads the field's values (DataSources.h, `markFieldsRead`): the loader
  // checks only that a required cell is present and keeps no value, so a source may give any
  // non-empty text for a present cell (a database source fetches only whether it is NULL).
  bool presenceOnly = false;
};

struct TableSchema {
  std::string name;
  std::string path;
  bool isEntity = false;
  int keyField = -1; // index into fields, or -1
  std::vector<FieldSchema> fields;
};

} // namespace fulcrum::runtime
