/* Embedding Fulcrum from C: compile the LLR framework, bind the Maven CRM files, run a quarter
 * and print the results as CSV, byte for byte what `fulcrum run --format csv` prints.
 *   fulcrum_embed_host_c examples/llr/llr.fulcrum ../shared/datasets/maven-crm 2017-Q3 */
#include <fulcrum/fulcrum.h>
#include <stdio.h>
#include <string.h>

/* Every call returns a status; on failure the error (if any) holds the diagnostics. */
#define TRY(call)                                                                                  \
  if ((status = (call)) != FULCRUM_OK)                                                             \
  goto done

/* A cell as CSV writes it: in quotes, doubled inside, when it holds a comma, quote or newline. */
static void print_field(const char* text, int last) {
  if (!strpbrk(text, ",\"\r\n")) {
    fputs(text, stdout);
  } else {
    putchar('"');
    for (; *text; ++text) {
      if (*text == '"')
        putchar('"');
      putchar(*text);
    }
    putchar('"');
  }
  putchar(last ? '\n' : ',');
}

int main(int argc, char** argv) {
  static const char* const files[][2] = {
      {"rep", "sales_teams.csv"}, {"deals", "sales_pipeline.csv"}, {"account", "accounts.csv"}};
  fulcrum_status status = FULCRUM_USAGE_ERROR;
  fulcrum_error* error = NULL;
  fulcrum_program* program = NULL;
  fulcrum_data* data = NULL;
  fulcrum_run_options* options = NULL;
  fulcrum_result* result = NULL;
  size_t rows = 0, columns = 0;
  char path[4096];
  if (argc != 4) {
    fprintf(stderr, "usage: %s LLR_FILE MAVEN_DIR PERIOD\n", argv[0]);
    return status;
  }
  TRY(fulcrum_compile_file(argv[1], NULL, &program, &error));
  TRY(fulcrum_data_new(program, "llr", &data, &error));
  for (size_t i = 0; i < 3; ++i) { /* `ratings` is read from llr.fulcrum's own `from` file */
    snprintf(path, sizeof path, "%s/%s", argv[2], files[i][1]);
    TRY(fulcrum_data_bind_csv(data, files[i][0], path, &error));
  }
  TRY(fulcrum_run_options_new(&options));
  TRY(fulcrum_run_options_set_period(options, argv[3]));
  TRY(fulcrum_data_load(data, options, &error));
  TRY(fulcrum_run(data, options, &result, &error));
  TRY(fulcrum_result_row_count(result, &rows));
  TRY(fulcrum_result_column_count(result, &columns));
  for (size_t column = 0; column < columns; ++column) { /* the header: the key, then outputs */
    fulcrum_column_info info;
    TRY(fulcrum_result_column(result, column, &info));
    print_field(info.name, column + 1 == columns);
  }
  for (size_t row = 0; row < rows; ++row)
    for (size_t column = 0; column < columns; ++column) {
      const char* text = NULL; /* owned by the result */
      TRY(fulcrum_result_text(result, row, column, &text));
      print_field(text, column + 1 == columns);
    }
done:
  if (status != FULCRUM_OK)
    fprintf(stderr, "%s\n%s", fulcrum_status_name(status),
            error ? fulcrum_error_message(error) : "");
  fulcrum_error_free(error);
  fulcrum_result_free(result);
  fulcrum_run_options_free(options);
  fulcrum_data_free(data);
  fulcrum_program_free(program);
  return (int)status;
}
