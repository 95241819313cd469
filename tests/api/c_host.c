/* A plain C99 host of the C API (compiled with -std=c99 -Wall -Werror -pedantic: the header is
 * valid C): compiles FILE, loads FRAMEWORK's declared tables, runs PERIOD and prints the result as
 * CSV, as `fulcrum run FILE --framework FRAMEWORK --period PERIOD --format csv` does. On an error,
 * prints its message and every diagnostic, and exits with the status. */
#include "fulcrum/fulcrum.h"

#include <stdio.h>

static int report(fulcrum_status status, fulcrum_error* error) {
  size_t i;
  fprintf(stderr, "%s: %s", fulcrum_status_name(status), fulcrum_error_message(error));
  for (i = 0; i < fulcrum_error_diagnostic_count(error); ++i) {
    fulcrum_diagnostic d;
    if (fulcrum_error_diagnostic(error, i, &d) == FULCRUM_OK)
      fprintf(stderr, "  %s:%u:%u %s [%s] table=%s value=%s\n", d.file, (unsigned)d.line,
              (unsigned)d.column, d.message, d.kind, d.table, d.value);
  }
  fulcrum_error_free(error);
  return (int)status;
}

int main(int argc, char** argv) {
  fulcrum_program* program = NULL;
  fulcrum_data* data = NULL;
  fulcrum_run_options* options = NULL;
  fulcrum_result* result = NULL;
  fulcrum_error* error = NULL;
  fulcrum_status status;
  char* csv = NULL;
  size_t length = 0;
  int exit_status = 0;

  if (argc != 4) {
    fprintf(stderr, "usage: c_host FILE FRAMEWORK PERIOD\n");
    return 64;
  }
  if (fulcrum_api_version() < FULCRUM_API_VERSION) {
    fprintf(stderr, "libfulcrum is older than its header\n");
    return 70;
  }
  status = fulcrum_compile_file(argv[1], NULL, &program, &error);
  if (status != FULCRUM_OK)
    return report(status, error);
  status = fulcrum_data_new(program, argv[2], &data, &error);
  if (status == FULCRUM_OK)
    status = fulcrum_data_load(data, NULL, &error);
  if (status == FULCRUM_OK)
    status = fulcrum_run_options_new(&options);
  if (status == FULCRUM_OK)
    status = fulcrum_run_options_set_period(options, argv[3]);
  if (status == FULCRUM_OK)
    status = fulcrum_run(data, options, &result, &error);
  if (status == FULCRUM_OK)
    status = fulcrum_result_format(result, FULCRUM_FORMAT_CSV, &csv, &length);
  if (status == FULCRUM_OK)
    fwrite(csv, 1, length, stdout);
  else
    exit_status = report(status, error);
  fulcrum_string_free(csv);
  fulcrum_result_free(result);
  fulcrum_run_options_free(options);
  fulcrum_data_free(data);
  fulcrum_program_free(program);
  return exit_status;
}
