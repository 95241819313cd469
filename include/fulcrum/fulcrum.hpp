// Fulcrum's C API for C++: RAII owners of the C handles, and fulcrum::Error (an exception holding
// the error's status and diagnostics) where the C calls return a status. Header-only: it calls
// only include/fulcrum/fulcrum.h, so it works against any libfulcrum of the same major version.
// Exceptions are thrown on this side of the boundary only; the library itself never throws.
//
//   fulcrum::Program program = fulcrum::Program::compileFile("examples/llr/llr.fulcrum");
//   fulcrum::Data data(program, "llr");
//   data.load();
//   fulcrum::RunOptions options;
//   options.period("2017-Q3").param("quota", "900000");
//   std::cout << fulcrum::run(data, options).format(FULCRUM_FORMAT_CSV);
#pragma once

#include "fulcrum/fulcrum.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace fulcrum {

// One diagnostic, its strings copied (fulcrum_diagnostic's live only as long as the error).
struct Diagnostic {
  std::string file;
  uint32_t line = 0, column = 0;
  std::string severity, kind, message, hint, table, value;
};

inline Diagnostic copyDiagnostic(const fulcrum_diagnostic& d) {
  auto text = [](const char* s) { return std::string(s ? s : ""); };
  return Diagnostic{text(d.file),    d.line,       d.column,      text(d.severity), text(d.kind),
                    text(d.message), text(d.hint), text(d.table), text(d.value)};
}

// A failed call: its status, its message as the CLI prints it, and every diagnostic.
class Error : public std::runtime_error {
public:
  Error(fulcrum_status status, std::string message, std::vector<Diagnostic> diagnostics = {})
      : std::runtime_error(message), status_(status), diagnostics_(std::move(diagnostics)) {}
  // Takes over `error` (which may be null: then the status's name is the message).
  static Error from(fulcrum_status status, fulcrum_error* error) {
    std::string message = error ? fulcrum_error_message(error) : "";
    if (message.empty())
      message = fulcrum_status_name(status);
    std::vector<Diagnostic> diagnostics;
    for (size_t i = 0; error && i < fulcrum_error_diagnostic_count(error); ++i) {
      fulcrum_diagnostic d{};
      if (fulcrum_error_diagnostic(error, i, &d) == FULCRUM_OK)
        diagnostics.push_back(copyDiagnostic(d));
    }
    fulcrum_error_free(error);
    return Error(status, std::move(message), std::move(diagnostics));
  }
  fulcrum_status status() const { return status_; }
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

private:
  fulcrum_status status_;
  std::vector<Diagnostic> diagnostics_;
};

namespace detail {

inline void check(fulcrum_status status, fulcrum_error* error = nullptr) {
  if (status != FULCRUM_OK)
    throw Error::from(status, error);
}

template <class T, void (*Free)(T*)> struct Deleter {
  void operator()(T* p) const { Free(p); }
};
template <class T, void (*Free)(T*)> using Handle = std::unique_ptr<T, Deleter<T, Free>>;

inline std::string takeString(char* text, size_t length) {
  std::string out(text ? text : "", text ? length : 0);
  fulcrum_string_free(text);
  return out;
}

inline const char* orNull(const std::optional<std::string>& text) {
  return text ? text->c_str() : nullptr;
}

} // namespace detail

struct Column {
  std::string name, typeName;
  fulcrum_type type = FULCRUM_TYPE_NUMBER;
  bool optional = false, isKey = false;
};

inline Column copyColumn(const fulcrum_column_info& c) {
  return Column{c.name, c.type_name, c.type, c.optional != 0, c.is_key != 0};
}

struct Param {
  std::string name, typeName;
  fulcrum_type type = FULCRUM_TYPE_NUMBER;
  std::optional<std::string> defaultValue;
};

struct Table {
  std::string name, path;
  bool isEntity = false;
  std::vector<Column> fields;
};

class CompileOptions {
public:
  CompileOptions() {
    fulcrum_compile_options* made = nullptr;
    detail::check(fulcrum_compile_options_new(&made));
    handle_.reset(made);
  }
  CompileOptions& importPath(const std::string& directory) {
    detail::check(fulcrum_compile_options_add_import_path(handle_.get(), directory.c_str()));
    return *this;
  }
  CompileOptions& engine(fulcrum_engine engine) {
    detail::check(fulcrum_compile_options_set_engine(handle_.get(), engine));
    return *this;
  }
  const fulcrum_compile_options* get() const { return handle_.get(); }

private:
  detail::Handle<fulcrum_compile_options, fulcrum_compile_options_free> handle_;
};

// A compiled program: immutable, shareable between threads (copies share it).
class Program {
public:
  static Program compileFile(const std::string& path, const CompileOptions* options = nullptr) {
    fulcrum_program* made = nullptr;
    fulcrum_error* error = nullptr;
    detail::check(
        fulcrum_compile_file(path.c_str(), options ? options->get() : nullptr, &made, &error),
        error);
    return Program(made);
  }
  static Program compileText(const std::string& name, const std::string& text,
                             const CompileOptions* options = nullptr) {
    fulcrum_program* made = nullptr;
    fulcrum_error* error = nullptr;
    detail::check(fulcrum_compile_text(name.c_str(), text.data(), text.size(),
                                       options ? options->get() : nullptr, &made, &error),
                  error);
    return Program(made);
  }

  std::vector<std::string> frameworks() const {
    size_t count = 0;
    detail::check(fulcrum_program_framework_count(get(), &count));
    std::vector<std::string> names;
    for (size_t i = 0; i < count; ++i) {
      const char* name = nullptr;
      detail::check(fulcrum_program_framework_name(get(), i, &name));
      names.emplace_back(name);
    }
    return names;
  }
  std::vector<Diagnostic> warnings() const {
    size_t count = 0;
    detail::check(fulcrum_program_warning_count(get(), &count));
    std::vector<Diagnostic> out;
    for (size_t i = 0; i < count; ++i) {
      fulcrum_diagnostic d{};
      detail::check(fulcrum_program_warning(get(), i, &d));
      out.push_back(copyDiagnostic(d));
    }
    return out;
  }
  std::vector<Column> outputs(const std::optional<std::string>& framework = {}) const {
    size_t count = 0;
    detail::check(fulcrum_program_output_count(get(), detail::orNull(framework), &count));
    std::vector<Column> out;
    for (size_t i = 0; i < count; ++i) {
      fulcrum_column_info c{};
      detail::check(fulcrum_program_output(get(), detail::orNull(framework), i, &c));
      out.push_back(copyColumn(c));
    }
    return out;
  }
  std::vector<Param> params(const std::optional<std::string>& framework = {}) const {
    size_t count = 0;
    detail::check(fulcrum_program_param_count(get(), detail::orNull(framework), &count));
    std::vector<Param> out;
    for (size_t i = 0; i < count; ++i) {
      fulcrum_param_info p{};
      detail::check(fulcrum_program_param(get(), detail::orNull(framework), i, &p));
      out.push_back(
          Param{p.name, p.type_name, p.type,
                p.default_value ? std::optional<std::string>(p.default_value) : std::nullopt});
    }
    return out;
  }
  std::vector<Table> tables(const std::optional<std::string>& framework = {}) const {
    size_t count = 0;
    detail::check(fulcrum_program_table_count(get(), detail::orNull(framework), &count));
    std::vector<Table> out;
    for (size_t i = 0; i < count; ++i) {
      fulcrum_table_info t{};
      detail::check(fulcrum_program_table(get(), detail::orNull(framework), i, &t));
      Table table{t.name, t.path, t.is_entity != 0, {}};
      for (size_t f = 0; f < t.field_count; ++f) {
        fulcrum_column_info c{};
        detail::check(fulcrum_program_field(get(), detail::orNull(framework), t.name, f, &c));
        table.fields.push_back(copyColumn(c));
      }
      out.push_back(std::move(table));
    }
    return out;
  }
  struct TestOutcome {
    size_t passed = 0, failed = 0;
    std::string report;
  };
  TestOutcome test() const {
    TestOutcome out;
    char* report = nullptr;
    fulcrum_error* error = nullptr;
    detail::check(fulcrum_program_test(get(), &out.passed, &out.failed, &report, &error), error);
    out.report = detail::takeString(report, report ? std::char_traits<char>::length(report) : 0);
    return out;
  }
  const fulcrum_program* get() const { return handle_.get(); }

private:
  explicit Program(fulcrum_program* made) : handle_(made, fulcrum_program_free) {}
  std::shared_ptr<fulcrum_program> handle_;
};

class Cancel {
public:
  Cancel() {
    fulcrum_cancel* made = nullptr;
    detail::check(fulcrum_cancel_new(&made));
    handle_.reset(made);
  }
  void request() { detail::check(fulcrum_cancel_request(handle_.get())); } // any thread
  void reset() { detail::check(fulcrum_cancel_reset(handle_.get())); }
  fulcrum_cancel* get() const { return handle_.get(); }

private:
  detail::Handle<fulcrum_cancel, fulcrum_cancel_free> handle_;
};

class RunOptions {
public:
  RunOptions() {
    fulcrum_run_options* made = nullptr;
    detail::check(fulcrum_run_options_new(&made));
    handle_.reset(made);
  }
  RunOptions& period(const std::string& period) {
    detail::check(fulcrum_run_options_set_period(get(), period.c_str()));
    return *this;
  }
  RunOptions& asOf(const std::string& date) {
    detail::check(fulcrum_run_options_set_as_of(get(), date.c_str()));
    return *this;
  }
  RunOptions& param(const std::string& name, const std::string& value) {
    detail::check(fulcrum_run_options_set_param(get(), name.c_str(), value.c_str()));
    return *this;
  }
  RunOptions& clearParams() {
    detail::check(fulcrum_run_options_clear_params(get()));
    return *this;
  }
  RunOptions& threads(unsigned threads) {
    detail::check(fulcrum_run_options_set_threads(get(), threads));
    return *this;
  }
  RunOptions& memoryLimit(uint64_t bytes) {
    detail::check(fulcrum_run_options_set_memory_limit(get(), bytes));
    return *this;
  }
  RunOptions& skipBadRows(bool skip) {
    detail::check(fulcrum_run_options_set_skip_bad_rows(get(), skip ? 1 : 0));
    return *this;
  }
  RunOptions& alerts(bool alerts) {
    detail::check(fulcrum_run_options_set_alerts(get(), alerts ? 1 : 0));
    return *this;
  }
  // The token must outlive the calls made with these options.
  RunOptions& cancel(Cancel* cancel) {
    detail::check(fulcrum_run_options_set_cancel(get(), cancel ? cancel->get() : nullptr));
    return *this;
  }
  fulcrum_run_options* get() const { return handle_.get(); }

private:
  detail::Handle<fulcrum_run_options, fulcrum_run_options_free> handle_;
};

struct Alert {
  std::string subject, alert, title, date, message;
  std::optional<std::string> priority;
  std::string identity;
};

// A list of alerts, copied out of the C list.
inline std::vector<Alert> copyAlerts(const fulcrum_alert_list* list) {
  size_t count = 0;
  detail::check(fulcrum_alert_list_count(list, &count));
  std::vector<Alert> out;
  for (size_t i = 0; i < count; ++i) {
    fulcrum_alert a{};
    detail::check(fulcrum_alert_list_get(list, i, &a));
    out.push_back(Alert{a.subject, a.alert, a.title, a.date, a.message,
                        a.priority ? std::optional<std::string>(a.priority) : std::nullopt,
                        a.identity});
  }
  return out;
}

// An owned alert list (an alert session's feeds hand them out).
class AlertList {
public:
  explicit AlertList(fulcrum_alert_list* list) : handle_(list) {}
  std::vector<Alert> alerts() const { return copyAlerts(handle_.get()); }
  const fulcrum_alert_list* get() const { return handle_.get(); }

private:
  detail::Handle<fulcrum_alert_list, fulcrum_alert_list_free> handle_;
};

// The tables of one framework: bind, load once, then run from any number of threads.
class Data {
public:
  // `framework` may be left out when the program declares one. The program must outlive it.
  explicit Data(const Program& program, const std::optional<std::string>& framework = {}) {
    fulcrum_data* made = nullptr;
    fulcrum_error* error = nullptr;
    detail::check(fulcrum_data_new(program.get(), detail::orNull(framework), &made, &error), error);
    handle_.reset(made);
  }
  Data& bindCsv(const std::string& table, const std::string& path) {
    fulcrum_error* error = nullptr;
    detail::check(fulcrum_data_bind_csv(get(), table.c_str(), path.c_str(), &error), error);
    return *this;
  }
  Data& load(const RunOptions* options = nullptr) {
    fulcrum_error* error = nullptr;
    detail::check(fulcrum_data_load(get(), options ? options->get() : nullptr, &error), error);
    return *this;
  }
  std::vector<std::string> notes() const {
    size_t count = 0;
    detail::check(fulcrum_data_note_count(get(), &count));
    std::vector<std::string> out;
    for (size_t i = 0; i < count; ++i) {
      const char* note = nullptr;
      detail::check(fulcrum_data_note(get(), i, &note));
      out.emplace_back(note);
    }
    return out;
  }
  fulcrum_data* get() const { return handle_.get(); }

private:
  detail::Handle<fulcrum_data, fulcrum_data_free> handle_;
};

struct Violation {
  std::string check, subject, values;
};

class Result {
public:
  explicit Result(fulcrum_result* result) : handle_(result) {}
  size_t rows() const {
    size_t n = 0;
    detail::check(fulcrum_result_row_count(get(), &n));
    return n;
  }
  std::vector<Column> columns() const {
    size_t n = 0;
    detail::check(fulcrum_result_column_count(get(), &n));
    std::vector<Column> out;
    for (size_t i = 0; i < n; ++i) {
      fulcrum_column_info c{};
      detail::check(fulcrum_result_column(get(), i, &c));
      out.push_back(copyColumn(c));
    }
    return out;
  }
  bool missing(size_t row, size_t column) const {
    int out = 0;
    detail::check(fulcrum_result_is_missing(get(), row, column, &out));
    return out != 0;
  }
  double number(size_t row, size_t column) const {
    double out = 0;
    detail::check(fulcrum_result_number(get(), row, column, &out));
    return out;
  }
  int64_t moneyUnits(size_t row, size_t column) const {
    int64_t out = 0;
    detail::check(fulcrum_result_money_units(get(), row, column, &out));
    return out;
  }
  std::string text(size_t row, size_t column) const {
    const char* out = nullptr;
    detail::check(fulcrum_result_text(get(), row, column, &out));
    return out;
  }
  std::string format(fulcrum_format format) const {
    char* out = nullptr;
    size_t length = 0;
    detail::check(fulcrum_result_format(get(), format, &out, &length));
    return detail::takeString(out, length);
  }
  std::vector<Violation> violations() const {
    size_t n = 0;
    detail::check(fulcrum_result_violation_count(get(), &n));
    std::vector<Violation> out;
    for (size_t i = 0; i < n; ++i) {
      fulcrum_violation v{};
      detail::check(fulcrum_result_violation(get(), i, &v));
      out.push_back(Violation{v.check, v.subject, v.values});
    }
    return out;
  }
  std::vector<std::string> notes() const {
    size_t n = 0;
    detail::check(fulcrum_result_note_count(get(), &n));
    std::vector<std::string> out;
    for (size_t i = 0; i < n; ++i) {
      const char* note = nullptr;
      detail::check(fulcrum_result_note(get(), i, &note));
      out.emplace_back(note);
    }
    return out;
  }
  std::vector<Alert> alerts() const {
    const fulcrum_alert_list* list = nullptr;
    detail::check(fulcrum_result_alerts(get(), &list));
    return copyAlerts(list);
  }
  const fulcrum_result* get() const { return handle_.get(); }

private:
  detail::Handle<fulcrum_result, fulcrum_result_free> handle_;
};

inline Result run(const Data& data, const RunOptions& options) {
  fulcrum_result* result = nullptr;
  fulcrum_error* error = nullptr;
  detail::check(fulcrum_run(data.get(), options.get(), &result, &error), error);
  return Result(result);
}

} // namespace fulcrum
