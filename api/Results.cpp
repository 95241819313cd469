// Reading a result: its cells, its text in the CLI's formats, its checks' violations and notes.
#include "api/Handles.h"
#include "runtime/output/ResultFormat.h"
#include "support/Money.h"

#include <cstdlib>
#include <cstring>

using namespace fulcrum;
using namespace fulcrum::api;

namespace {

const runtime::ResultTable& tableOf(const fulcrum_result& result) {
  return result.result.table;
}

// Whether (row, column) names a cell; column 0 is the subject's key.
bool inRange(const fulcrum_result* result, size_t row, size_t column) {
  return result && row < tableOf(*result).subjects() && column < result->columns.size();
}

} // namespace

extern "C" {

fulcrum_status fulcrum_result_row_count(const fulcrum_result* result, size_t* out) {
  if (!result || !out)
    return FULCRUM_USAGE_ERROR;
  *out = tableOf(*result).subjects();
  return FULCRUM_OK;
}

fulcrum_status fulcrum_result_column_count(const fulcrum_result* result, size_t* out) {
  if (!result || !out)
    return FULCRUM_USAGE_ERROR;
  *out = result->columns.size();
  return FULCRUM_OK;
}

fulcrum_status fulcrum_result_column(const fulcrum_result* result, size_t column,
                                     fulcrum_column_info* out) {
  if (!result || !out || column >= result->columns.size())
    return FULCRUM_USAGE_ERROR;
  const Description::Column& c = result->columns[column];
  out->name = c.name.c_str();
  out->type_name = c.typeName.c_str();
  out->type = c.type;
  out->optional = c.optional ? 1 : 0;
  out->is_key = c.isKey ? 1 : 0;
  return FULCRUM_OK;
}

fulcrum_status fulcrum_result_is_missing(const fulcrum_result* result, size_t row, size_t column,
                                         int* out) {
  if (!inRange(result, row, column) || !out)
    return FULCRUM_USAGE_ERROR;
  *out = column == 0 ? 0 : !tableOf(*result).present(column - 1, row);
  return FULCRUM_OK;
}

fulcrum_status fulcrum_result_number(const fulcrum_result* result, size_t row, size_t column,
                                     double* out) {
  if (!inRange(result, row, column) || !out || column == 0)
    return FULCRUM_USAGE_ERROR;
  const runtime::ResultTable& table = tableOf(*result);
  const runtime::ValueType kind = table.columns[column - 1].kind;
  if (kind == runtime::ValueType::Text || kind == runtime::ValueType::Period ||
      kind == runtime::ValueType::Reference || !table.present(column - 1, row))
    return FULCRUM_USAGE_ERROR;
  const double value = table.value(column - 1, row);
  *out = kind == runtime::ValueType::Money ? moneyDollars(value) : value;
  return FULCRUM_OK;
}

fulcrum_status fulcrum_result_money_units(const fulcrum_result* result, size_t row, size_t column,
                                          int64_t* out) {
  if (!inRange(result, row, column) || !out || column == 0)
    return FULCRUM_USAGE_ERROR;
  const runtime::ResultTable& table = tableOf(*result);
  if (table.columns[column - 1].kind != runtime::ValueType::Money ||
      !table.present(column - 1, row))
    return FULCRUM_USAGE_ERROR;
  *out = static_cast<int64_t>(table.value(column - 1, row));
  return FULCRUM_OK;
}

fulcrum_status fulcrum_result_text(const fulcrum_result* result, size_t row, size_t column,
                                   const char** out) {
  return guarded(nullptr, [&] {
    if (!inRange(result, row, column) || !out)
      return FULCRUM_USAGE_ERROR;
    const runtime::ResultTable& table = tableOf(*result);
    std::lock_guard<std::mutex> lock(result->textLock);
    std::unique_ptr<std::string>& text = result->texts[row * result->columns.size() + column];
    if (!text)
      text =
          std::make_unique<std::string>(column == 0 ? table.keys[row] : table.raw(column - 1, row));
    *out = text->c_str();
    return FULCRUM_OK;
  });
}

fulcrum_status fulcrum_result_format(const fulcrum_result* result, fulcrum_format format,
                                     char** out, size_t* length) {
  return guarded(nullptr, [&] {
    if (out)
      *out = nullptr;
    if (!result || !out)
      return FULCRUM_USAGE_ERROR;
    runtime::OutputFormat shape;
    switch (format) {
    case FULCRUM_FORMAT_CSV:
      shape = runtime::OutputFormat::Csv;
      break;
    case FULCRUM_FORMAT_JSON:
      shape = runtime::OutputFormat::Json;
      break;
    case FULCRUM_FORMAT_TABLE:
      shape = runtime::OutputFormat::Table;
      break;
    default:
      return FULCRUM_USAGE_ERROR;
    }
    // The function `fulcrum run --format` prints with (cli/RunCommand.cpp).
    const std::string text = runtime::formatResult(tableOf(*result), shape);
    char* copy = static_cast<char*>(std::malloc(text.size() + 1));
    if (!copy)
      throw std::bad_alloc();
    std::memcpy(copy, text.data(), text.size());
    copy[text.size()] = '\0';
    *out = copy;
    if (length)
      *length = text.size();
    return FULCRUM_OK;
  });
}

fulcrum_status fulcrum_result_violation_count(const fulcrum_result* result, size_t* out) {
  if (!result || !out)
    return FULCRUM_USAGE_ERROR;
  *out = result->result.violations.size();
  return FULCRUM_OK;
}

fulcrum_status fulcrum_result_violation(const fulcrum_result* result, size_t index,
                                        fulcrum_violation* out) {
  if (!result || !out || index >= result->result.violations.size())
    return FULCRUM_USAGE_ERROR;
  const runtime::CheckViolation& v = result->result.violations[index];
  out->check = v.check.c_str();
  out->subject = v.subject.c_str();
  out->values = result->violationValues[index].c_str();
  return FULCRUM_OK;
}

fulcrum_status fulcrum_result_note_count(const fulcrum_result* result, size_t* out) {
  if (!result || !out)
    return FULCRUM_USAGE_ERROR;
  *out = result->notes.size();
  return FULCRUM_OK;
}

fulcrum_status fulcrum_result_note(const fulcrum_result* result, size_t index, const char** out) {
  if (!result || !out || index >= result->notes.size())
    return FULCRUM_USAGE_ERROR;
  *out = result->notes[index].c_str();
  return FULCRUM_OK;
}

} // extern "C"
