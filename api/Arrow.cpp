// Arrow columns across the C boundary: a table bound from a host's struct array (checked here,
// loaded with the loader's rules at fulcrum_data_load), and a result handed out as one.
#include "api/Handles.h"
#include "runtime/arrow/ArrowExport.h"
#include "runtime/arrow/ArrowImport.h"
#include "runtime/bind/DataSources.h"

using namespace fulcrum;
using namespace fulcrum::api;

namespace {

// The structs are the caller's to give up on every path, failures included: a call that did not
// take them would leave the host unsure whether to release them.
void releaseGiven(ArrowSchema* schema, ArrowArray* array) {
  if (array && array->release)
    array->release(array);
  if (schema && schema->release)
    schema->release(schema);
}

// The loader's schema of `table` as the framework reads it, or null when it reads no such table.
std::unique_ptr<runtime::TableSchema> schemaOf(const runtime::Plan& plan,
                                               const std::string& table) {
  for (const auto* list : {&plan.tables, &plan.referencedEntities})
    for (const runtime::PlanTable& declared : *list)
      if (declared.name == table && !declared.isGroup && !declared.isCompany && declared.feed < 0)
        return std::make_unique<runtime::TableSchema>(
            runtime::schemaFor(declared, runtime::hostTableLabel(table)));
  return nullptr;
}

} // namespace

fulcrum_status fulcrum::api::arrowColumnsError(fulcrum_error** error, const std::string& table,
                                               std::string message) {
  auto made = std::make_unique<fulcrum_error>();
  made->status = FULCRUM_DATA_ERROR;
  made->message = runtime::hostTableLabel(table) + ": error: " + message + "\n";
  Diag diag;
  diag.file = runtime::hostTableLabel(table);
  diag.kind = "BadArrow";
  diag.message = std::move(message);
  diag.table = table;
  made->diagnostics.push_back(std::move(diag));
  return fail(error, std::move(made));
}

extern "C" {

fulcrum_status fulcrum_data_bind_arrow(fulcrum_data* data, const char* table,
                                       struct ArrowSchema* schema, struct ArrowArray* array,
                                       fulcrum_error** error) {
  const fulcrum_status status = guarded(error, [&] {
    if (!data)
      return nullArgument(error, "data");
    if (!table)
      return nullArgument(error, "table");
    if (!schema)
      return nullArgument(error, "schema");
    if (!array)
      return nullArgument(error, "array");
    if (data->loaded)
      return fail(error, FULCRUM_USAGE_ERROR, "the data is loaded already; bind before loading");
    if (fulcrum_status status = checkDeclaredTable(*data, table, error); status != FULCRUM_OK)
      return status;
    std::string problem;
    auto host = runtime::arrow::ArrowHostTable::take(table, schema, array, problem);
    if (!host)
      return arrowColumnsError(error, table, problem);
    // The columns must fit the fields now, not only when loading: the host learns which call
    // was wrong.
    if (auto fields = schemaOf(data->runtime->plan(), table))
      if (std::string mismatch = host->mismatch(*fields); !mismatch.empty())
        return arrowColumnsError(error, table, mismatch);
    data->request.dataPaths.erase(table); // the last binding of a table wins
    data->request.hostTables[table] = std::move(host);
    return FULCRUM_OK;
  });
  releaseGiven(schema, array); // released already when taken (their release is null then)
  return status;
}

fulcrum_status fulcrum_result_to_arrow(const fulcrum_result* result, struct ArrowSchema* schema_out,
                                       struct ArrowArray* array_out) {
  return guarded(nullptr, [&] {
    if (!result || !schema_out || !array_out)
      return FULCRUM_USAGE_ERROR;
    std::string problem;
    return runtime::arrow::exportResult(result->result.table, schema_out, array_out, problem)
               ? FULCRUM_OK
               : FULCRUM_DATA_ERROR; // out of memory
  });
}

} // extern "C"
