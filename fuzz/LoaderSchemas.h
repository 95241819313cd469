// The two tables the loader's fuzz targets read (load_fuzz: one thread against several;
// column_cache_fuzz: a cache against the CSV): every kind of field, a text key and a
// self-reference in `rep`; a numeric key, a required reference and every other type, optional or
// not, in `deals`.
#pragma once

#include "runtime/data/Schema.h"

#include <string>
#include <vector>

namespace fulcrum::fuzz {

inline runtime::FieldSchema loaderField(std::string name, runtime::ValueKind kind,
                                        std::string typeName, bool optional) {
  std::string referenced = kind == runtime::ValueKind::Reference ? typeName : "";
  std::string column = name;
  return runtime::FieldSchema{std::move(name), std::move(column),   kind,
                              optional,        std::move(typeName), std::move(referenced)};
}

// `reps` and `deals` are the files' paths.
inline std::vector<runtime::TableSchema> loaderSchemas(const std::string& reps,
                                                       const std::string& deals) {
  using runtime::ValueKind;
  return {runtime::TableSchema{"deals",
                               deals,
                               false,
                               0,
                               {loaderField("id", ValueKind::Number, "count", false),
                                loaderField("owner", ValueKind::Reference, "rep", false),
                                loaderField("value", ValueKind::Number, "money", true),
                                loaderField("closed", ValueKind::Date, "date", true),
                                loaderField("won", ValueKind::Bool, "bool", true),
                                loaderField("quarter", ValueKind::Period, "period", true),
                                loaderField("rate", ValueKind::Number, "percent", true),
                                loaderField("wait", ValueKind::Number, "duration", true),
                                loaderField("note", ValueKind::Text, "text", true)}},
          runtime::TableSchema{"rep",
                               reps,
                               true,
                               0,
                               {loaderField("name", ValueKind::Text, "text", false),
                                loaderField("boss", ValueKind::Reference, "rep", true),
                                loaderField("started", ValueKind::Date, "date", false)}}};
}

} // namespace fulcrum::fuzz
