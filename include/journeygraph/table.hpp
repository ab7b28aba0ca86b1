#pragma once
/// \file table.hpp
/// Result tables. Every result of the library leaves it as one Table: named, typed columns of equal length
/// plus a few headline figures (the metadata), with one set of writers (aligned text, CSV, JSON). Column
/// names are the contract: they are written once, by the *_table function of each result, and are the
/// same on every face (the command line, C, Python); docs/tables.md lists them.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "journeygraph/journeys.hpp"

namespace journeygraph {

/// Type of a table column (in the order of the alternatives of Table::Column).
enum class ColumnType {
  real,     ///< double; NaN where a value does not exist
  string,   ///< UTF-8 text
  integer,  ///< int64
  time,     ///< an instant: int64 ticks since 1970-01-01T00:00:00Z in a TimeUnit
  boolean,  ///< true or false
};
/// "float", "string", "integer", "time", "boolean".
const char* column_type_name(ColumnType type) noexcept;

/// The values of a time column: ticks since the Unix epoch (UTC) in unit.
struct TimeColumn {
  std::vector<std::int64_t> ticks;
  TimeUnit unit = TimeUnit::seconds;
};

/// The values of a boolean column (0 = false, anything else = true).
struct BoolColumn {
  std::vector<std::uint8_t> values;
};

/// A one-line definition of a column of a result ("step_rate": "journeys that reached this step / those that
/// reached the previous one").
struct ColumnNote {
  std::string column;
  std::string definition;
};

/// A headline figure or setting of a result (its totals, the options it ran with).
using Scalar = std::variant<std::string, std::int64_t, double>;

/// A result table: named columns of one type each, all of the same length, and metadata (key, value)
/// pairs. A value type; the *_table functions build one from a result in O(rows x columns) and copy the
/// values, so the table stays valid on its own.
struct Table {
  using Column = std::variant<std::vector<double>, std::vector<std::string>, std::vector<std::int64_t>, TimeColumn,
                              BoolColumn>;
  /// What the table holds ("attribution", "funnel", ...): its heading in text and JSON.
  std::string name;
  std::vector<std::string> names;
  std::vector<Column> columns;
  /// Headline figures in a fixed order (docs/tables.md lists them with the columns).
  std::vector<std::pair<std::string, Scalar>> meta;
  /// One-line definitions of columns whose meaning is not plain from the name, in column order (may be
  /// empty); a note's column may also name a group of columns ("time_in_stage" for its _median_s, _mean_s
  /// and _p90_s) or the rows ("(journeys)"). Every writer and face carries them: the text writer prints them under the rows, the JSON
  /// document under "notes", the C ABI through jg_table_note, Python as attrs["notes"]. CSV has no place
  /// for them.
  std::vector<ColumnNote> notes;

  /// Number of rows. Complexity: O(1).
  std::size_t rows() const;
  /// Index of a column by name, or nullopt. Complexity: O(columns).
  std::optional<std::size_t> find(std::string_view column) const;
  /// Type of column c. Precondition: c < columns.size(). Complexity: O(1).
  ColumnType type(std::size_t c) const;
  /// Row r of a column that is not a string column, as a double (integers and ticks converted, booleans 0
  /// or 1). Precondition: c and r in range, type(c) != string. Complexity: O(1).
  double number(std::size_t c, std::size_t r) const;
  /// The metadata value of key, or nullptr. Complexity: O(meta).
  const Scalar* find_meta(std::string_view key) const;
  /// Append a column (precondition: as long as the others) and return *this. Complexity: O(1) amortised.
  Table& add(std::string column, std::vector<double> values);
  Table& add(std::string column, std::vector<std::string> values);
  Table& add(std::string column, std::vector<std::int64_t> values);
  Table& add(std::string column, TimeColumn values);
  Table& add(std::string column, BoolColumn values);
  /// Append a metadata entry and return *this. Complexity: O(1) amortised.
  Table& set(std::string key, Scalar value);
};

/// The rows of table ordered by a column that is not a string column, largest first (descending) or
/// smallest first; ties keep their order, NaN goes last. Throws InvalidArgument for an unknown or string
/// column. Complexity: O(rows log rows + cells).
Table sort_rows(const Table& table, std::string_view column, bool descending = true);

/// The former name of Table, kept for existing code.
using DataTable = Table;

/// Text forms of a table.
enum class TableFormat {
  text,  ///< aligned columns for people, with the name and metadata above
  csv,   ///< RFC 4180, a header row, no metadata
  json,  ///< {"table": name, "meta": {...}, "rows": [{...}, ...]}
};
/// "table", "csv", "json" (the names the command line's --format takes).
const char* table_format_name(TableFormat format) noexcept;
/// Inverse of table_format_name; throws InvalidArgument listing the names.
TableFormat parse_table_format(std::string_view name);

/// Options of to_csv().
struct CsvOptions {
  /// Guard against spreadsheet formulas: a cell of a string column that starts with '=', '+', '-', '@', a
  /// tab or a carriage return, and is not as a whole a number (see parse_number), is written with a "'"
  /// in front, so a spreadsheet shows it as text instead of evaluating it ("=cmd|' /C calc'!A0" is written
  /// "'=cmd|' /C calc'!A0"). Numeric columns are never changed. Turn it off for programs that read the file
  /// back (the CSV readers do not remove the "'").
  bool guard_formulas = true;
};

/// Options of to_text() (and of write_table()).
struct TextOptions {
  /// Digits after the decimal point of float columns. Counts print as whole numbers: integer columns always,
  /// and a float column whose values are all whole numbers (counts of journeys, touches, conversions) is
  /// shown without decimals; so is a whole-number metadata value (other metadata numbers: 6 significant
  /// digits).
  int decimals = 4;
  /// The columns shown, in this order (names the table does not have are skipped); empty = every column.
  std::vector<std::string> columns;
  /// When set, rows are shown by this (numeric) column, largest first (see sort_rows).
  std::string sort_by;
  /// Rows shown, from the first (0 = all).
  std::size_t max_rows = 0;
  /// Show the table's name and its metadata above the columns.
  bool heading = true;
  /// The CSV options write_table uses for TableFormat::csv.
  CsvOptions csv;
  /// Lines printed under the rows, each as given (e.g. one-line definitions of the columns, or the rule
  /// behind a recommendation); none by default.
  std::vector<std::string> notes;
  /// Widest line of the rows (bytes; 0 = no limit, the default). A table wider than this is printed in blocks
  /// of columns, one after the other, each headed "columns N-M of K" and repeating the key columns (the string
  /// columns the shown columns start with, see key_columns(); the first column when none is a string column, as
  /// the order of an order table), so that every cell is printed once, beside
  /// its key. A key plus one column wider than the width still makes a block of its own (its lines longer).
  std::size_t width = 0;
  /// Print the long format instead: long_table() of the shown columns and rows, one line per cell.
  bool long_format = false;
};

/// The number of key columns of a table: the string columns it starts with (the touchpoint, the stage, the
/// segment and step, ...). Complexity: O(columns).
std::size_t key_columns(const Table& table);
/// The table in long format: its key columns (key_columns()), then "column" (the name of another column)
/// and "value", one row per row and other column, in row order then column order. "value" is a float column
/// when every other column is a float, integer or boolean column (integers and booleans converted exactly
/// up to 2^53), else a string column holding each cell as to_csv() writes it. The name, metadata and notes
/// are kept. Complexity: O(cells).
Table long_table(const Table& table);

/// Aligned text: strings left-aligned, numbers right-aligned, missing values (NaN) as "-", booleans as
/// "true"/"false", times in ISO-8601 UTC; then table.notes (a line each, "  column  definition", the
/// definitions aligned) and options.notes, one per line. Control bytes in names, cells
/// and metadata (ESC, BEL, newlines, DEL, the C1 controls U+0080..U+009F) and the bytes of invalid UTF-8 are
/// escaped as in error messages ("\n", "\x1B"), so a name cannot move the cursor or recolour a terminal;
/// valid UTF-8 is kept. Complexity: O(cells).
std::string to_text(const Table& table, const TextOptions& options = {});
/// CSV (RFC 4180): a header row, then one line per row; floats in shortest round-trip form and NaN as an
/// empty field, booleans as true/false, times as ISO-8601 UTC ("2026-01-01T08:30:00Z", with the unit's
/// fraction digits); string cells guarded against spreadsheet formulas unless options.guard_formulas is
/// false (see CsvOptions). Complexity: O(cells).
std::string to_csv(const Table& table, const CsvOptions& options = {});
/// The rows as a JSON array of objects keyed by column name (non-finite numbers become null, booleans
/// true/false, times ISO-8601 strings). Complexity: O(cells).
std::string to_json(const Table& table);
/// The table as one JSON object: {"table": name, "meta": {key: value, ...}, "notes": {column: definition,
/// ...}, "rows": to_json(table)}; "notes" only when the table has notes. Complexity: O(cells).
std::string to_json_document(const Table& table);
/// The table in a format: to_text (with options), to_csv or to_json_document. Complexity: O(cells).
std::string write_table(const Table& table, TableFormat format, const TextOptions& options = {});

/// Receives text in pieces, in order (see write_csv). It may throw to stop the writing: the exception
/// passes through.
using TextSink = std::function<void(std::string_view piece)>;
/// to_csv handed to sink in pieces of about 64 KiB (whole rows; their concatenation is to_csv's text), so a
/// table of millions of rows is written without its whole text in memory, and the sink can check between
/// pieces whether to stop. Complexity: O(cells); memory: one piece.
void write_csv(const Table& table, const TextSink& sink, const CsvOptions& options = {});
/// to_json_document handed to sink in pieces, as write_csv. Complexity: O(cells); memory: one piece.
void write_json_document(const Table& table, const TextSink& sink);

/// Time cells are written by format_time (journeys.hpp).

}  // namespace journeygraph
