// _fulcrum: the native half of the Python package, a thin layer over the C API
// (include/fulcrum/fulcrum.h). It owns the handles (a Program, a Data, a Result), turns a failed
// call into fulcrum.CompileError / DataError / UsageError / Error (defined in fulcrum/errors.py)
// and hands columns out as numpy arrays; the pure-Python package (fulcrum/__init__.py) makes the
// DataFrames and holds the user-facing API. The GIL is released while fulcrum compiles, loads
// and runs, so Python threads may run one program at once.
#include "fulcrum/fulcrum.h"
#include "python/ArrowColumns.h"

#include <limits>
#include <memory>
#include <optional>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <stdexcept>
#include <string>
#include <vector>

namespace py = pybind11;
using fulcrum::python::ArrowColumn;
using fulcrum::python::ColumnKind;

namespace {

std::string text(const char* value) {
  return value ? value : "";
}

py::dict diagnosticDict(const fulcrum_diagnostic& d) {
  py::dict out;
  out["file"] = text(d.file);
  out["line"] = d.line;
  out["column"] = d.column;
  out["severity"] = text(d.severity);
  out["kind"] = text(d.kind);
  out["message"] = text(d.message);
  out["hint"] = text(d.hint);
  out["table"] = text(d.table);
  out["value"] = text(d.value);
  return out;
}

// A failed C call, carried to the translator below (which raises the Python exception).
struct Failure : std::exception {
  fulcrum_status status = FULCRUM_INTERNAL_ERROR;
  std::string message;
  std::vector<fulcrum_diagnostic> diagnostics; // strings copied into `strings`
  std::vector<std::string> strings;
  const char* what() const noexcept override { return message.c_str(); }
};

// Raises the failure of a call (status not OK), with its error's message and diagnostics.
void check(fulcrum_status status, fulcrum_error* error, const char* call) {
  std::unique_ptr<fulcrum_error, void (*)(fulcrum_error*)> owned(error, fulcrum_error_free);
  if (status == FULCRUM_OK)
    return;
  Failure failure;
  failure.status = status;
  if (!error) {
    failure.message = std::string(call) + " failed: " + text(fulcrum_status_name(status));
    throw failure;
  }
  failure.message = text(fulcrum_error_message(error));
  size_t count = fulcrum_error_diagnostic_count(error);
  failure.strings.reserve(count * 8);
  for (size_t i = 0; i < count; ++i) {
    fulcrum_diagnostic d{};
    if (fulcrum_error_diagnostic(error, i, &d) != FULCRUM_OK)
      continue;
    // The error's strings die with it: keep copies.
    auto keep = [&](const char* s) { return failure.strings.emplace_back(text(s)).c_str(); };
    fulcrum_diagnostic copy = d;
    copy.file = keep(d.file);
    copy.severity = keep(d.severity);
    copy.kind = keep(d.kind);
    copy.message = keep(d.message);
    copy.hint = keep(d.hint);
    copy.table = keep(d.table);
    copy.value = keep(d.value);
    failure.diagnostics.push_back(copy);
  }
  throw failure;
}

void check(fulcrum_status status, const char* call) {
  check(status, nullptr, call);
}

const char* typeName(fulcrum_type type) {
  static const char* names[] = {"number", "count", "money",  "percent",  "bool",
                                "text",   "date",  "period", "duration", "reference"};
  auto index = static_cast<size_t>(type);
  return index < sizeof names / sizeof *names ? names[index] : "unknown";
}

py::dict columnDict(const fulcrum_column_info& info) {
  py::dict out;
  out["name"] = text(info.name);
  out["type_name"] = text(info.type_name);
  out["type"] = typeName(info.type);
  out["optional"] = info.optional != 0;
  out["is_key"] = info.is_key != 0;
  return out;
}

const char* orNull(const std::optional<std::string>& value) {
  return value ? value->c_str() : nullptr;
}

struct RunOptions {
  std::unique_ptr<fulcrum_run_options, void (*)(fulcrum_run_options*)> ptr{
      nullptr, fulcrum_run_options_free};
  RunOptions() {
    fulcrum_run_options* raw = nullptr;
    check(fulcrum_run_options_new(&raw), "fulcrum_run_options_new");
    ptr.reset(raw);
  }
  fulcrum_run_options* get() const { return ptr.get(); }
};

class Program {
public:
  static std::shared_ptr<Program> compile(const std::optional<std::string>& path,
                                          const std::optional<std::string>& name,
                                          const std::optional<std::string>& source,
                                          const std::vector<std::string>& importPaths,
                                          const std::string& engine) {
    fulcrum_compile_options* rawOptions = nullptr;
    check(fulcrum_compile_options_new(&rawOptions), "fulcrum_compile_options_new");
    std::unique_ptr<fulcrum_compile_options, void (*)(fulcrum_compile_options*)> options(
        rawOptions, fulcrum_compile_options_free);
    for (const std::string& directory : importPaths)
      check(fulcrum_compile_options_add_import_path(options.get(), directory.c_str()),
            "fulcrum_compile_options_add_import_path");
    if (engine != "jit" && engine != "interpreter") {
      Failure failure;
      failure.status = FULCRUM_USAGE_ERROR;
      failure.message = "unknown engine `" + engine + "`: expected `jit` or `interpreter`";
      throw failure;
    }
    check(fulcrum_compile_options_set_engine(
              options.get(), engine == "jit" ? FULCRUM_ENGINE_JIT : FULCRUM_ENGINE_INTERPRETER),
          "fulcrum_compile_options_set_engine");
    fulcrum_program* raw = nullptr;
    fulcrum_error* error = nullptr;
    fulcrum_status status;
    {
      py::gil_scoped_release unlocked;
      status = path ? fulcrum_compile_file(path->c_str(), options.get(), &raw, &error)
                    : fulcrum_compile_text(name->c_str(), source->data(), source->size(),
                                           options.get(), &raw, &error);
    }
    check(status, error, "fulcrum_compile");
    auto program = std::make_shared<Program>();
    program->ptr.reset(raw);
    return program;
  }

  fulcrum_program* get() const { return ptr.get(); }

  std::vector<std::string> frameworks() const {
    size_t count = 0;
    check(fulcrum_program_framework_count(get(), &count), "fulcrum_program_framework_count");
    std::vector<std::string> names;
    for (size_t i = 0; i < count; ++i) {
      const char* name = nullptr;
      check(fulcrum_program_framework_name(get(), i, &name), "fulcrum_program_framework_name");
      names.push_back(text(name));
    }
    return names;
  }

  py::list outputs(const std::optional<std::string>& framework) const {
    size_t count = 0;
    check(fulcrum_program_output_count(get(), orNull(framework), &count),
          "fulcrum_program_output_count");
    py::list out;
    for (size_t i = 0; i < count; ++i) {
      fulcrum_column_info info{};
      check(fulcrum_program_output(get(), orNull(framework), i, &info), "fulcrum_program_output");
      out.append(columnDict(info));
    }
    return out;
  }

  py::list params(const std::optional<std::string>& framework) const {
    size_t count = 0;
    check(fulcrum_program_param_count(get(), orNull(framework), &count),
          "fulcrum_program_param_count");
    py::list out;
    for (size_t i = 0; i < count; ++i) {
      fulcrum_param_info info{};
      check(fulcrum_program_param(get(), orNull(framework), i, &info), "fulcrum_program_param");
      py::dict param;
      param["name"] = text(info.name);
      param["type_name"] = text(info.type_name);
      param["type"] = typeName(info.type);
      param["default"] = info.default_value ? py::object(py::str(info.default_value)) : py::none();
      out.append(param);
    }
    return out;
  }

  py::list tables(const std::optional<std::string>& framework) const {
    size_t count = 0;
    check(fulcrum_program_table_count(get(), orNull(framework), &count),
          "fulcrum_program_table_count");
    py::list out;
    for (size_t i = 0; i < count; ++i) {
      fulcrum_table_info info{};
      check(fulcrum_program_table(get(), orNull(framework), i, &info), "fulcrum_program_table");
      py::list fields;
      for (size_t f = 0; f < info.field_count; ++f) {
        fulcrum_column_info field{};
        check(fulcrum_program_field(get(), orNull(framework), info.name, f, &field),
              "fulcrum_program_field");
        fields.append(columnDict(field));
      }
      py::dict table;
      table["name"] = text(info.name);
      table["path"] = text(info.path);
      table["is_entity"] = info.is_entity != 0;
      table["fields"] = fields;
      out.append(table);
    }
    return out;
  }

  std::string sourceDigest() const {
    char digest[65] = {};
    check(fulcrum_program_source_digest(get(), digest), "fulcrum_program_source_digest");
    return digest;
  }

  py::list warnings() const {
    size_t count = 0;
    check(fulcrum_program_warning_count(get(), &count), "fulcrum_program_warning_count");
    py::list out;
    for (size_t i = 0; i < count; ++i) {
      fulcrum_diagnostic d{};
      check(fulcrum_program_warning(get(), i, &d), "fulcrum_program_warning");
      out.append(diagnosticDict(d));
    }
    return out;
  }

  py::tuple test() const {
    size_t passed = 0, failed = 0;
    char* report = nullptr;
    fulcrum_error* error = nullptr;
    fulcrum_status status;
    {
      py::gil_scoped_release unlocked;
      status = fulcrum_program_test(get(), &passed, &failed, &report, &error);
    }
    std::unique_ptr<char, void (*)(char*)> owned(report, fulcrum_string_free);
    check(status, error, "fulcrum_program_test");
    return py::make_tuple(passed, failed, text(report));
  }

  std::unique_ptr<fulcrum_program, void (*)(fulcrum_program*)> ptr{nullptr, fulcrum_program_free};
};

class Result {
public:
  // `data` is kept alive as long as the result: fulcrum's result may refer to its rows.
  Result(fulcrum_result* raw, std::shared_ptr<const void> data)
      : data_(std::move(data)), ptr(raw, fulcrum_result_free) {}
  fulcrum_result* get() const { return ptr.get(); }

  size_t rows() const {
    size_t count = 0;
    check(fulcrum_result_row_count(get(), &count), "fulcrum_result_row_count");
    return count;
  }

  py::list columns() const {
    size_t count = 0;
    check(fulcrum_result_column_count(get(), &count), "fulcrum_result_column_count");
    py::list out;
    for (size_t i = 0; i < count; ++i) {
      fulcrum_column_info info{};
      check(fulcrum_result_column(get(), i, &info), "fulcrum_result_column");
      out.append(columnDict(info));
    }
    return out;
  }

  // One column: (values, missing) where missing is a bool array. Numbers and percents come as
  // float64 (NaN where missing), money as int64 units of 1/10,000, counts, bools and dates
  // (days since 1970-01-01) as int64; everything else as a list of str (None where missing).
  py::tuple column(size_t column) const {
    fulcrum_column_info info{};
    check(fulcrum_result_column(get(), column, &info), "fulcrum_result_column");
    size_t n = rows();
    py::array_t<bool> missing(static_cast<py::ssize_t>(n));
    bool* isMissing = missing.mutable_data();
    for (size_t row = 0; row < n; ++row) {
      int value = 0;
      check(fulcrum_result_is_missing(get(), row, column, &value), "fulcrum_result_is_missing");
      isMissing[row] = value != 0;
    }
    switch (info.type) {
    case FULCRUM_TYPE_NUMBER:
    case FULCRUM_TYPE_PERCENT: {
      py::array_t<double> values(static_cast<py::ssize_t>(n));
      double* out = values.mutable_data();
      for (size_t row = 0; row < n; ++row) {
        out[row] = std::numeric_limits<double>::quiet_NaN();
        if (!isMissing[row])
          check(fulcrum_result_number(get(), row, column, &out[row]), "fulcrum_result_number");
      }
      return py::make_tuple(values, missing);
    }
    case FULCRUM_TYPE_MONEY:
    case FULCRUM_TYPE_COUNT:
    case FULCRUM_TYPE_BOOL:
    case FULCRUM_TYPE_DATE: {
      py::array_t<int64_t> values(static_cast<py::ssize_t>(n));
      int64_t* out = values.mutable_data();
      for (size_t row = 0; row < n; ++row) {
        out[row] = 0;
        if (isMissing[row])
          continue;
        if (info.type == FULCRUM_TYPE_MONEY) {
          check(fulcrum_result_money_units(get(), row, column, &out[row]),
                "fulcrum_result_money_units");
        } else {
          double number = 0;
          check(fulcrum_result_number(get(), row, column, &number), "fulcrum_result_number");
          out[row] = static_cast<int64_t>(number);
        }
      }
      return py::make_tuple(values, missing);
    }
    default: {
      py::list values;
      for (size_t row = 0; row < n; ++row) {
        if (isMissing[row]) {
          values.append(py::none());
          continue;
        }
        const char* cell = nullptr;
        check(fulcrum_result_text(get(), row, column, &cell), "fulcrum_result_text");
        values.append(py::str(text(cell)));
      }
      return py::make_tuple(values, missing);
    }
    }
  }

  std::string format(const std::string& name) const {
    fulcrum_format format;
    if (name == "csv")
      format = FULCRUM_FORMAT_CSV;
    else if (name == "json")
      format = FULCRUM_FORMAT_JSON;
    else if (name == "table")
      format = FULCRUM_FORMAT_TABLE;
    else {
      Failure failure;
      failure.status = FULCRUM_USAGE_ERROR;
      failure.message = "unknown format `" + name + "`: expected `csv`, `json` or `table`";
      throw failure;
    }
    char* out = nullptr;
    size_t length = 0;
    check(fulcrum_result_format(get(), format, &out, &length), "fulcrum_result_format");
    std::unique_ptr<char, void (*)(char*)> owned(out, fulcrum_string_free);
    return std::string(out ? out : "", out ? length : 0);
  }

  py::list violations() const {
    size_t count = 0;
    check(fulcrum_result_violation_count(get(), &count), "fulcrum_result_violation_count");
    py::list out;
    for (size_t i = 0; i < count; ++i) {
      fulcrum_violation v{};
      check(fulcrum_result_violation(get(), i, &v), "fulcrum_result_violation");
      out.append(py::make_tuple(text(v.check), text(v.subject), text(v.values)));
    }
    return out;
  }

  std::vector<std::string> notes() const {
    size_t count = 0;
    check(fulcrum_result_note_count(get(), &count), "fulcrum_result_note_count");
    std::vector<std::string> out;
    for (size_t i = 0; i < count; ++i) {
      const char* note = nullptr;
      check(fulcrum_result_note(get(), i, &note), "fulcrum_result_note");
      out.push_back(text(note));
    }
    return out;
  }

  // (subject, alert, title, date, message, priority or None, identity) per alert.
  py::list alerts() const {
    const fulcrum_alert_list* list = nullptr;
    check(fulcrum_result_alerts(get(), &list), "fulcrum_result_alerts");
    size_t count = 0;
    check(fulcrum_alert_list_count(list, &count), "fulcrum_alert_list_count");
    py::list out;
    for (size_t i = 0; i < count; ++i) {
      fulcrum_alert a{};
      check(fulcrum_alert_list_get(list, i, &a), "fulcrum_alert_list_get");
      out.append(py::make_tuple(
          text(a.subject), text(a.alert), text(a.title), text(a.date), text(a.message),
          a.priority ? py::object(py::str(a.priority)) : py::none(), text(a.identity)));
    }
    return out;
  }

private:
  std::shared_ptr<const void> data_;
  std::unique_ptr<fulcrum_result, void (*)(fulcrum_result*)> ptr;
};

class Data : public std::enable_shared_from_this<Data> {
public:
  Data(std::shared_ptr<Program> program, const std::optional<std::string>& framework)
      : program_(std::move(program)) {
    fulcrum_data* raw = nullptr;
    fulcrum_error* error = nullptr;
    // The status first: `error` is read only after the call has set it.
    fulcrum_status status = fulcrum_data_new(program_->get(), orNull(framework), &raw, &error);
    check(status, error, "fulcrum_data_new");
    ptr.reset(raw);
  }

  void bindCsv(const std::string& table, const std::string& path) {
    fulcrum_error* error = nullptr;
    fulcrum_status status = fulcrum_data_bind_csv(ptr.get(), table.c_str(), path.c_str(), &error);
    check(status, error, "fulcrum_data_bind_csv");
  }

  // columns: (name, kind, values, missing) tuples; see ArrowColumns.h.
  void bindColumns(const std::string& table, const py::list& columns) {
    std::vector<ArrowColumn> exported;
    for (py::handle item : columns) {
      auto tuple = py::reinterpret_borrow<py::tuple>(item);
      auto kind = tuple[1].cast<std::string>();
      ColumnKind columnKind = kind == "float64"  ? ColumnKind::Float64
                              : kind == "int64"  ? ColumnKind::Int64
                              : kind == "date32" ? ColumnKind::Date32
                              : kind == "bool"   ? ColumnKind::Bool
                                                 : ColumnKind::Utf8;
      exported.push_back(ArrowColumn{tuple[0].cast<std::string>(), columnKind,
                                     py::reinterpret_borrow<py::object>(tuple[2]),
                                     py::reinterpret_borrow<py::object>(tuple[3])});
    }
    ArrowSchema schema{};
    ArrowArray array{};
    try {
      fulcrum::python::exportColumns(exported, &schema, &array);
    } catch (const std::invalid_argument& bad) {
      Failure failure;
      failure.status = FULCRUM_USAGE_ERROR;
      failure.message = "table `" + table + "`: " + bad.what();
      throw failure;
    }
    fulcrum_error* error = nullptr;
    fulcrum_status status =
        fulcrum_data_bind_arrow(ptr.get(), table.c_str(), &schema, &array, &error);
    // fulcrum took them over on success (and marks our copies released); on a failure that
    // left them with us, we release them.
    if (array.release)
      array.release(&array);
    if (schema.release)
      schema.release(&schema);
    check(status, error, "fulcrum_data_bind_arrow");
  }

  void load(unsigned threads, uint64_t memoryLimit, bool skipBadRows) {
    RunOptions options;
    check(fulcrum_run_options_set_threads(options.get(), threads), "set_threads");
    check(fulcrum_run_options_set_memory_limit(options.get(), memoryLimit), "set_memory_limit");
    check(fulcrum_run_options_set_skip_bad_rows(options.get(), skipBadRows ? 1 : 0),
          "set_skip_bad_rows");
    fulcrum_error* error = nullptr;
    fulcrum_status status;
    {
      py::gil_scoped_release unlocked;
      status = fulcrum_data_load(ptr.get(), options.get(), &error);
    }
    check(status, error, "fulcrum_data_load");
  }

  std::vector<std::string> notes() const {
    size_t count = 0;
    check(fulcrum_data_note_count(ptr.get(), &count), "fulcrum_data_note_count");
    std::vector<std::string> out;
    for (size_t i = 0; i < count; ++i) {
      const char* note = nullptr;
      check(fulcrum_data_note(ptr.get(), i, &note), "fulcrum_data_note");
      out.push_back(text(note));
    }
    return out;
  }

  // params: name and value as `--param name=value` writes them.
  std::shared_ptr<Result> run(const std::optional<std::string>& period,
                              const std::optional<std::string>& asOf,
                              const std::vector<std::pair<std::string, std::string>>& params,
                              bool alerts, unsigned threads) const {
    RunOptions options = runOptions(period, asOf, params);
    check(fulcrum_run_options_set_alerts(options.get(), alerts ? 1 : 0), "set_alerts");
    check(fulcrum_run_options_set_threads(options.get(), threads), "set_threads");
    fulcrum_result* raw = nullptr;
    fulcrum_error* error = nullptr;
    fulcrum_status status;
    {
      py::gil_scoped_release unlocked;
      status = fulcrum_run(ptr.get(), options.get(), &raw, &error);
    }
    auto result = std::make_shared<Result>(raw, shared_from_this());
    check(status, error, "fulcrum_run");
    return result;
  }

  // The partial of this partition's rows of `table` (fulcrum_scan_partial): JSON text.
  std::string scanPartial(const std::string& table, const std::string& partition,
                          const std::optional<std::string>& period,
                          const std::optional<std::string>& asOf,
                          const std::vector<std::pair<std::string, std::string>>& params) const {
    RunOptions options = runOptions(period, asOf, params);
    char* raw = nullptr;
    fulcrum_error* error = nullptr;
    fulcrum_status status;
    {
      py::gil_scoped_release unlocked;
      status = fulcrum_scan_partial(ptr.get(), options.get(), table.c_str(), partition.c_str(),
                                    &raw, &error);
    }
    check(status, error, "fulcrum_scan_partial");
    std::string partial(raw);
    fulcrum_string_free(raw);
    return partial;
  }

  // The run with the partials in place of the partitioned tables' scans
  // (fulcrum_run_from_partials).
  std::shared_ptr<Result>
  runFromPartials(const std::vector<std::string>& partials,
                  const std::optional<std::string>& period, const std::optional<std::string>& asOf,
                  const std::vector<std::pair<std::string, std::string>>& params) const {
    RunOptions options = runOptions(period, asOf, params);
    std::vector<const char*> texts;
    for (const std::string& partial : partials)
      texts.push_back(partial.c_str());
    fulcrum_result* raw = nullptr;
    fulcrum_error* error = nullptr;
    fulcrum_status status;
    {
      py::gil_scoped_release unlocked;
      status = fulcrum_run_from_partials(ptr.get(), options.get(), texts.data(), texts.size(), &raw,
                                         &error);
    }
    auto result = std::make_shared<Result>(raw, shared_from_this());
    check(status, error, "fulcrum_run_from_partials");
    return result;
  }

private:
  static RunOptions runOptions(const std::optional<std::string>& period,
                               const std::optional<std::string>& asOf,
                               const std::vector<std::pair<std::string, std::string>>& params) {
    RunOptions options;
    if (period)
      check(fulcrum_run_options_set_period(options.get(), period->c_str()), "set_period");
    if (asOf)
      check(fulcrum_run_options_set_as_of(options.get(), asOf->c_str()), "set_as_of");
    for (const auto& [name, value] : params)
      check(fulcrum_run_options_set_param(options.get(), name.c_str(), value.c_str()), "set_param");
    return options;
  }

  std::shared_ptr<Program> program_; // a data's handle refers to its program
  std::unique_ptr<fulcrum_data, void (*)(fulcrum_data*)> ptr{nullptr, fulcrum_data_free};
};

} // namespace

PYBIND11_MODULE(_fulcrum, m) {
  m.doc() = "Fulcrum's C API for Python; use the `fulcrum` package, not this module";
  m.attr("API_VERSION") = fulcrum_api_version();
  m.attr("VERSION") = text(fulcrum_version());

  py::register_exception_translator([](std::exception_ptr thrown) {
    try {
      if (thrown)
        std::rethrow_exception(thrown);
    } catch (const Failure& failure) {
      py::list diagnostics;
      for (const fulcrum_diagnostic& d : failure.diagnostics)
        diagnostics.append(diagnosticDict(d));
      py::object error =
          py::module_::import("fulcrum.errors")
              .attr("from_status")(static_cast<int>(failure.status), failure.message, diagnostics);
      PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(error.ptr())), error.ptr());
    }
  });

  py::class_<Program, std::shared_ptr<Program>>(m, "Program")
      .def_static("compile_file",
                  [](const std::string& path, const std::vector<std::string>& importPaths,
                     const std::string& engine) {
                    return Program::compile(path, std::nullopt, std::nullopt, importPaths, engine);
                  })
      .def_static("compile_text",
                  [](const std::string& name, const std::string& source,
                     const std::vector<std::string>& importPaths, const std::string& engine) {
                    return Program::compile(std::nullopt, name, source, importPaths, engine);
                  })
      .def("frameworks", &Program::frameworks)
      .def("outputs", &Program::outputs, py::arg("framework") = py::none())
      .def("params", &Program::params, py::arg("framework") = py::none())
      .def("tables", &Program::tables, py::arg("framework") = py::none())
      .def("warnings", &Program::warnings)
      .def("source_digest", &Program::sourceDigest)
      .def("test", &Program::test);

  py::class_<Data, std::shared_ptr<Data>>(m, "Data")
      .def(py::init<std::shared_ptr<Program>, const std::optional<std::string>&>())
      .def("bind_csv", &Data::bindCsv)
      .def("bind_columns", &Data::bindColumns)
      .def("load", &Data::load)
      .def("notes", &Data::notes)
      .def("run", &Data::run)
      .def("scan_partial", &Data::scanPartial)
      .def("run_from_partials", &Data::runFromPartials);

  py::class_<Result, std::shared_ptr<Result>>(m, "Result")
      .def("rows", &Result::rows)
      .def("columns", &Result::columns)
      .def("column", &Result::column)
      .def("format", &Result::format)
      .def("violations", &Result::violations)
      .def("notes", &Result::notes)
      .def("alerts", &Result::alerts);
}
