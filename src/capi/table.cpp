// Result tables through the C ABI: sizes, column names and kinds, values, and their CSV and JSON text.

#include "capi/internal.hpp"

namespace journeygraph::capi {
namespace {

const DataTable& table_of(const jg_table* t) { return need(t, "table")->table; }

// The column `name` of t, or InvalidArgument listing the columns.
const DataTable::Column& column(const DataTable& t, const char* name) {
  need(name, "name");
  if (auto i = t.find(name)) return t.columns[*i];
  std::string have;
  for (const auto& n : t.names) have += std::string(have.empty() ? "" : ", ") + n;
  invalid(std::string("no column '") + name + "' (the table has: " + have + ")");
}

}  // namespace
}  // namespace journeygraph::capi

using namespace journeygraph;
using namespace journeygraph::capi;

extern "C" {

void jg_table_free(jg_table* table) { delete table; }

jg_status jg_table_size(const jg_table* table, size_t* out_rows, size_t* out_columns) {
  return guard("jg_table_size", [&] {
    const DataTable& t = table_of(table);
    need(out_rows, "out_rows");
    need(out_columns, "out_columns");
    *out_rows = t.rows();
    *out_columns = t.columns.size();
  });
}

jg_status jg_table_column_name(const jg_table* table, size_t column, const char** out_name) {
  return guard("jg_table_column_name", [&] {
    const DataTable& t = table_of(table);
    need(out_name, "out_name");
    *out_name = nullptr;
    check_index(column, t.names.size(), "column");
    *out_name = t.names[column].c_str();
  });
}

jg_status jg_table_column_kind(const jg_table* table, size_t column, jg_column_kind* out_kind) {
  return guard("jg_table_column_kind", [&] {
    const DataTable& t = table_of(table);
    need(out_kind, "out_kind");
    check_index(column, t.columns.size(), "column");
    *out_kind = std::holds_alternative<std::vector<double>>(t.columns[column]) ? JG_COLUMN_NUMBER : JG_COLUMN_STRING;
  });
}

jg_status jg_table_find_column(const jg_table* table, const char* name, size_t* out_column) {
  return guard("jg_table_find_column", [&] {
    const DataTable& t = table_of(table);
    need(out_column, "out_column");
    const DataTable::Column& c = column(t, name);
    *out_column = static_cast<size_t>(&c - t.columns.data());
  });
}

jg_status jg_table_numbers(const jg_table* table, const char* name, double* out, size_t capacity, size_t* out_len) {
  return guard("jg_table_numbers", [&] {
    const DataTable& t = table_of(table);
    need(out_len, "out_len");
    *out_len = 0;
    const auto* v = std::get_if<std::vector<double>>(&column(t, name));
    if (!v) invalid(std::string("column '") + name + "' holds strings (use jg_table_string)");
    write_array(v->data(), v->size(), out, capacity, out_len, "out");
  });
}

jg_status jg_table_string(const jg_table* table, const char* name, size_t row, const char** out_value) {
  return guard("jg_table_string", [&] {
    const DataTable& t = table_of(table);
    need(out_value, "out_value");
    *out_value = nullptr;
    const auto* v = std::get_if<std::vector<std::string>>(&column(t, name));
    if (!v) invalid(std::string("column '") + name + "' holds numbers (use jg_table_numbers)");
    check_index(row, v->size(), "row");
    *out_value = (*v)[row].c_str();
  });
}

jg_status jg_table_to_text(const jg_table* table, jg_table_format format, char* out, size_t capacity, size_t* out_len) {
  return guard("jg_table_to_text", [&] {
    const DataTable& t = table_of(table);
    need(out_len, "out_len");
    *out_len = 0;
    std::string text;
    switch (enum_value(format)) {
      case JG_TABLE_CSV: text = to_csv(t); break;
      case JG_TABLE_JSON: text = to_json(t); break;
      default:
        invalid("format is " + std::to_string(enum_value(format)) + "; expected JG_TABLE_CSV (0) or JG_TABLE_JSON (1)");
    }
    write_string(text, out, capacity, out_len, "out");
  });
}

}  // extern "C"
