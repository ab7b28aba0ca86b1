// Result tables through the C ABI: names, typed columns, metadata, and their text forms.

#include "capi/internal.hpp"
#include "journeygraph/io.hpp"
#include "journeygraph/text.hpp"

namespace journeygraph::capi {
namespace {

const Table& table_of(const jg_table* t) { return need(t, "table")->table; }

// Index of the column `name` of t, or InvalidArgument listing the columns.
std::size_t column(const Table& t, const char* name) {
  need(name, "name");
  if (auto i = t.find(name)) return *i;
  std::string have;
  for (const auto& n : t.names) have += std::string(have.empty() ? "" : ", ") + n;
  invalid(std::string("no column '") + name + "' (the table has: " + have + ")");
}

// Index of the metadata entry `key`, or InvalidArgument listing the keys.
std::size_t meta_index(const Table& t, const char* key) {
  need(key, "key");
  for (std::size_t i = 0; i < t.meta.size(); ++i)
    if (t.meta[i].first == key) return i;
  std::string have;
  for (const auto& [k, v] : t.meta) have += std::string(have.empty() ? "" : ", ") + k;
  invalid(std::string("no metadata '") + key + "' (the table has: " + (have.empty() ? "none" : have) + ")");
}

// Hands the table in format f (a jg_table_format's value, read by enum_value: a caller's out-of-range value is
// not a valid enumerator) to sink: CSV and the JSON document in pieces as they are made, the other forms
// whole. With no sink it only checks the format (InvalidArgument naming the known ones).
void table_text(const Table& t, long long f, const TextSink& sink) {
  if (f < JG_TABLE_CSV || f > JG_TABLE_CSV_RAW)
    invalid("format is " + std::to_string(f) +
            "; expected JG_TABLE_CSV (0), JG_TABLE_JSON (1), JG_TABLE_TEXT (2), JG_TABLE_DOCUMENT (3) or "
            "JG_TABLE_CSV_RAW (4)");
  if (!sink) return;
  CsvOptions csv;
  switch (f) {
    case JG_TABLE_CSV_RAW: csv.guard_formulas = false; [[fallthrough]];
    case JG_TABLE_CSV: write_csv(t, sink, csv); break;
    case JG_TABLE_JSON: sink(to_json(t)); break;
    case JG_TABLE_TEXT: sink(to_text(t)); break;
    default: write_json_document(t, sink); break;
  }
}

}  // namespace

jg_table* new_table(Table t) {
  std::vector<std::string> text;
  for (const auto& [key, value] : t.meta)
    text.push_back(std::visit(
        [](const auto& v) -> std::string {
          using V = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<V, std::string>) return v;
          else if constexpr (std::is_same_v<V, double>) return format_number(v);
          else return std::to_string(v);
        },
        value));
  return new jg_table{std::move(t), std::move(text)};
}

}  // namespace journeygraph::capi

using namespace journeygraph;
using namespace journeygraph::capi;

extern "C" {

void jg_table_free(jg_table* table) { delete table; }

jg_status jg_table_size(const jg_table* table, size_t* out_rows, size_t* out_columns) {
  return guard("jg_table_size", [&] {
    const Table& t = table_of(table);
    *need(out_rows, "out_rows") = t.rows();
    *need(out_columns, "out_columns") = t.columns.size();
  });
}

jg_status jg_table_name(const jg_table* table, const char** out_name) {
  return guard("jg_table_name", [&] { *need(out_name, "out_name") = table_of(table).name.c_str(); });
}

jg_status jg_table_column_name(const jg_table* table, size_t column, const char** out_name) {
  return guard("jg_table_column_name", [&] {
    const Table& t = table_of(table);
    *need(out_name, "out_name") = nullptr;
    check_index(column, t.names.size(), "column");
    *out_name = t.names[column].c_str();
  });
}

jg_status jg_table_column_kind(const jg_table* table, size_t column, jg_column_kind* out_kind) {
  return guard("jg_table_column_kind", [&] {
    const Table& t = table_of(table);
    need(out_kind, "out_kind");
    check_index(column, t.columns.size(), "column");
    *out_kind = t.type(column) == ColumnType::string ? JG_COLUMN_STRING : JG_COLUMN_NUMBER;
  });
}

jg_status jg_table_column_type(const jg_table* table, size_t column, jg_column_type* out_type) {
  return guard("jg_table_column_type", [&] {
    const Table& t = table_of(table);
    need(out_type, "out_type");
    check_index(column, t.columns.size(), "column");
    *out_type = static_cast<jg_column_type>(t.type(column));  // the enums list the types in the same order
  });
}

jg_status jg_table_find_column(const jg_table* table, const char* name, size_t* out_column) {
  return guard("jg_table_find_column", [&] {
    const Table& t = table_of(table);
    *need(out_column, "out_column") = column(t, name);
  });
}

jg_status jg_table_numbers(const jg_table* table, const char* name, double* out, size_t capacity, size_t* out_len) {
  return guard("jg_table_numbers", [&] {
    const Table& t = table_of(table);
    *need(out_len, "out_len") = 0;
    const std::size_t c = column(t, name);
    if (t.type(c) == ColumnType::string) invalid(std::string("column '") + name + "' holds strings (use jg_table_string)");
    write_buffer(t.rows(), out, capacity, out_len, "out", [&](double* dst) {
      for (std::size_t r = 0; r < t.rows(); ++r) dst[r] = t.number(c, r);
    });
  });
}

jg_status jg_table_integers(const jg_table* table, const char* name, int64_t* out, size_t capacity, size_t* out_len) {
  return guard("jg_table_integers", [&] {
    const Table& t = table_of(table);
    *need(out_len, "out_len") = 0;
    const std::size_t c = column(t, name);
    const ColumnType type = t.type(c);
    if (type == ColumnType::string || type == ColumnType::real)
      invalid(std::string("column '") + name + "' holds " + column_type_name(type) + "s, not integers");
    write_buffer(t.rows(), out, capacity, out_len, "out", [&](int64_t* dst) {
      const Table::Column& col = t.columns[c];
      for (std::size_t r = 0; r < t.rows(); ++r)
        dst[r] = type == ColumnType::integer ? std::get<std::vector<std::int64_t>>(col)[r]
                 : type == ColumnType::time  ? std::get<TimeColumn>(col).ticks[r]
                                             : std::get<BoolColumn>(col).values[r] != 0;
    });
  });
}

jg_status jg_table_time_unit(const jg_table* table, const char* name, jg_time_unit* out_unit) {
  return guard("jg_table_time_unit", [&] {
    const Table& t = table_of(table);
    need(out_unit, "out_unit");
    const auto* times = std::get_if<TimeColumn>(&t.columns[column(t, name)]);
    if (!times) invalid(std::string("column '") + name + "' is not a time column");
    *out_unit = from_time_unit(times->unit);
  });
}

jg_status jg_table_string(const jg_table* table, const char* name, size_t row, const char** out_value) {
  return guard("jg_table_string", [&] {
    const Table& t = table_of(table);
    *need(out_value, "out_value") = nullptr;
    const auto* v = std::get_if<std::vector<std::string>>(&t.columns[column(t, name)]);
    if (!v) invalid(std::string("column '") + name + "' holds numbers (use jg_table_numbers)");
    check_index(row, v->size(), "row");
    *out_value = (*v)[row].c_str();
  });
}

jg_status jg_table_meta_count(const jg_table* table, size_t* out_count) {
  return guard("jg_table_meta_count", [&] { *need(out_count, "out_count") = table_of(table).meta.size(); });
}

jg_status jg_table_meta_key(const jg_table* table, size_t index, const char** out_key) {
  return guard("jg_table_meta_key", [&] {
    const Table& t = table_of(table);
    *need(out_key, "out_key") = nullptr;
    check_index(index, t.meta.size(), "metadata index");
    *out_key = t.meta[index].first.c_str();
  });
}

jg_status jg_table_note_count(const jg_table* table, size_t* out_count) {
  return guard("jg_table_note_count", [&] { *need(out_count, "out_count") = table_of(table).notes.size(); });
}

jg_status jg_table_note(const jg_table* table, size_t index, const char** out_column, const char** out_definition) {
  return guard("jg_table_note", [&] {
    const Table& t = table_of(table);
    if (out_column) *out_column = nullptr;
    if (out_definition) *out_definition = nullptr;
    check_index(index, t.notes.size(), "note index");
    if (out_column) *out_column = t.notes[index].column.c_str();
    if (out_definition) *out_definition = t.notes[index].definition.c_str();
  });
}

jg_status jg_table_meta_number(const jg_table* table, const char* key, double* out_value) {
  return guard("jg_table_meta_number", [&] {
    const Table& t = table_of(table);
    need(out_value, "out_value");
    const Scalar& v = t.meta[meta_index(t, key)].second;
    if (std::holds_alternative<std::string>(v)) invalid(std::string("metadata '") + key + "' is a string");
    *out_value = std::holds_alternative<double>(v) ? std::get<double>(v) : double(std::get<std::int64_t>(v));
  });
}

jg_status jg_table_meta_string(const jg_table* table, const char* key, const char** out_value) {
  return guard("jg_table_meta_string", [&] {
    *need(out_value, "out_value") = nullptr;
    *out_value = table->meta_text[meta_index(table_of(table), key)].c_str();
  });
}

jg_status jg_table_to_text(const jg_table* table, jg_table_format format, char* out, size_t capacity, size_t* out_len) {
  return guard("jg_table_to_text", [&] {
    const Table& t = table_of(table);
    *need(out_len, "out_len") = 0;
    std::string text;
    table_text(t, enum_value(format), [&text](std::string_view piece) { text += piece; });
    write_string(text, out, capacity, out_len, "out");
  });
}

jg_status jg_table_write(const jg_table* table, jg_table_format format, const char* file) {
  return guard("jg_table_write", [&] {
    const Table& t = table_of(table);
    need(file, "file");
    const long long f = enum_value(format);
    table_text(t, f, nullptr);  // refuses an unknown format before the file is touched
    TextFileWriter writer(file);
    table_text(t, f, [&writer](std::string_view piece) { writer.write(piece); });
    writer.commit();
  });
}

}  // extern "C"
