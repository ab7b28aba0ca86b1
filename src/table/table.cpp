// The result table and its writers: aligned text, CSV, JSON.

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <type_traits>

#include "common/text.hpp"
#include "journeygraph/error.hpp"
#include "journeygraph/table.hpp"
#include "journeygraph/text.hpp"

namespace journeygraph {

const char* column_type_name(ColumnType type) noexcept {
  switch (type) {
    case ColumnType::real: return "float";
    case ColumnType::string: return "string";
    case ColumnType::integer: return "integer";
    case ColumnType::boolean: return "boolean";
    case ColumnType::time: return "time";
  }
  return "?";
}

namespace {
std::size_t size_of(const Table::Column& c) {
  return std::visit(
      [](const auto& v) {
        using V = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<V, TimeColumn>) return v.ticks.size();
        else if constexpr (std::is_same_v<V, BoolColumn>) return v.values.size();
        else return v.size();
      },
      c);
}
}  // namespace

std::size_t Table::rows() const { return columns.empty() ? 0 : size_of(columns[0]); }

std::optional<std::size_t> Table::find(std::string_view column) const {
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == column) return i;
  return std::nullopt;
}

ColumnType Table::type(std::size_t c) const { return static_cast<ColumnType>(columns[c].index()); }

double Table::number(std::size_t c, std::size_t r) const {
  const Column& col = columns[c];
  switch (type(c)) {
    case ColumnType::real: return std::get<std::vector<double>>(col)[r];
    case ColumnType::integer: return double(std::get<std::vector<std::int64_t>>(col)[r]);
    case ColumnType::time: return double(std::get<TimeColumn>(col).ticks[r]);
    case ColumnType::boolean: return std::get<BoolColumn>(col).values[r] ? 1.0 : 0.0;
    case ColumnType::string: break;
  }
  throw InvalidArgument("column '" + names[c] + "' holds strings, not numbers");
}

const Scalar* Table::find_meta(std::string_view key) const {
  for (const auto& [k, v] : meta)
    if (k == key) return &v;
  return nullptr;
}

Table& Table::add(std::string column, std::vector<double> values) {
  names.push_back(std::move(column));
  columns.emplace_back(std::move(values));
  return *this;
}
Table& Table::add(std::string column, std::vector<std::string> values) {
  names.push_back(std::move(column));
  columns.emplace_back(std::move(values));
  return *this;
}
Table& Table::add(std::string column, std::vector<std::int64_t> values) {
  names.push_back(std::move(column));
  columns.emplace_back(std::move(values));
  return *this;
}
Table& Table::add(std::string column, TimeColumn values) {
  names.push_back(std::move(column));
  columns.emplace_back(std::move(values));
  return *this;
}
Table& Table::add(std::string column, BoolColumn values) {
  names.push_back(std::move(column));
  columns.emplace_back(std::move(values));
  return *this;
}
Table& Table::set(std::string key, Scalar value) {
  meta.emplace_back(std::move(key), std::move(value));
  return *this;
}

Table sort_rows(const Table& t, std::string_view column, bool descending) {
  const auto c = t.find(column);
  if (!c) throw InvalidArgument("sort_rows: the table has no column " + detail::show(column));
  if (t.type(*c) == ColumnType::string) throw InvalidArgument("sort_rows: column " + detail::show(column) + " holds strings");
  std::vector<std::size_t> order(t.rows());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
    const double a = t.number(*c, x), b = t.number(*c, y);
    if (std::isnan(a) || std::isnan(b)) return !std::isnan(a) && std::isnan(b);
    return descending ? a > b : a < b;
  });
  Table out;
  out.name = t.name;
  out.names = t.names;
  out.meta = t.meta;
  out.notes = t.notes;
  auto pick = [&](const auto& v) {
    std::decay_t<decltype(v)> w;
    for (std::size_t i : order) w.push_back(v[i]);
    return w;
  };
  for (const Table::Column& col : t.columns)
    out.columns.push_back(std::visit(
        [&](const auto& v) -> Table::Column {
          using V = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<V, TimeColumn>) return TimeColumn{pick(v.ticks), v.unit};
          else if constexpr (std::is_same_v<V, BoolColumn>) return BoolColumn{pick(v.values)};
          else return pick(v);
        },
        col));
  return out;
}

const char* table_format_name(TableFormat format) noexcept {
  switch (format) {
    case TableFormat::text: return "table";
    case TableFormat::csv: return "csv";
    case TableFormat::json: return "json";
  }
  return "?";
}

TableFormat parse_table_format(std::string_view name) {
  for (TableFormat f : {TableFormat::text, TableFormat::csv, TableFormat::json})
    if (name == table_format_name(f)) return f;
  throw InvalidArgument("unknown table format " + detail::show(name) + " (formats: table, csv, json)");
}

namespace {

// A cell of a column that is not a float column, as text (quoted=false) or as JSON (quoted=true).
std::string cell(const Table& t, std::size_t c, std::size_t r, bool json) {
  const Table::Column& col = t.columns[c];
  switch (t.type(c)) {
    case ColumnType::string: {
      const std::string& s = std::get<std::vector<std::string>>(col)[r];
      return json ? detail::json_quote(s, true) : s;
    }
    case ColumnType::integer: return std::to_string(std::get<std::vector<std::int64_t>>(col)[r]);
    case ColumnType::boolean: return std::get<BoolColumn>(col).values[r] ? "true" : "false";
    case ColumnType::time: {
      const TimeColumn& tc = std::get<TimeColumn>(col);
      const std::string s = format_time(tc.ticks[r], tc.unit);
      return json ? "\"" + s + "\"" : s;
    }
    case ColumnType::real: {
      const double x = std::get<std::vector<double>>(col)[r];
      if (json) return detail::json_number(x);
      return std::isfinite(x) ? detail::format_double(x) : (std::isnan(x) ? "" : x > 0 ? "inf" : "-inf");
    }
  }
  return {};
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char ch : s) q += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return q + "\"";
}

// A string cell a spreadsheet would read as a formula gets a leading "'"; a cell that is a number as a whole
// ("-3", "+1.5e3") is left alone: a spreadsheet reads it as that number, which is harmless.
std::string formula_guarded(std::string s) {
  if (s.empty() || std::string_view("=+-@\t\r").find(s[0]) == std::string_view::npos) return s;
  if (parse_number(s)) return s;
  return "'" + s;
}

std::string scalar_json(const Scalar& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return detail::json_quote(*s, true);
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  return detail::json_number(std::get<double>(v));
}

std::string scalar_text(const Scalar& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  // A whole number (a count: 1895, 2500000) is written whole, never 2.5e+06; other numbers to 6 digits.
  const double x = std::get<double>(v);
  char buf[32];
  if (std::fabs(x) < 1e15 && x == std::floor(x)) std::snprintf(buf, sizeof buf, "%.0f", x);
  else std::snprintf(buf, sizeof buf, "%.6g", x);
  return buf;
}

}  // namespace

namespace {
// Text handed to a sink in pieces of about kPiece bytes (the last one shorter).
constexpr std::size_t kPiece = std::size_t(1) << 16;

struct Pieces {
  const TextSink& sink;
  std::string out;
  void flush_if_full() {
    if (out.size() >= kPiece) flush();
  }
  void flush() {
    if (!out.empty()) sink(out);
    out.clear();
  }
};

// The rows of to_json: "[" ... "]" with no final newline.
void json_rows(const Table& t, Pieces& p) {
  p.out += "[";
  const std::size_t rows = t.rows();
  for (std::size_t r = 0; r < rows; ++r) {
    p.out += r ? ",\n  {" : "\n  {";
    for (std::size_t c = 0; c < t.columns.size(); ++c)
      p.out += (c ? ", " : "") + detail::json_quote(t.names[c], true) + ": " + cell(t, c, r, true);
    p.out += "}";
    p.flush_if_full();
  }
  p.out += rows ? "\n]" : "]";
}
}  // namespace

void write_csv(const Table& t, const TextSink& sink, const CsvOptions& o) {
  Pieces p{sink, {}};
  auto text = [&](std::string s) { return csv_field(o.guard_formulas ? formula_guarded(std::move(s)) : s); };
  for (std::size_t c = 0; c < t.names.size(); ++c) p.out += (c ? "," : "") + text(t.names[c]);
  p.out += '\n';
  const std::size_t rows = t.rows();
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t c = 0; c < t.columns.size(); ++c) {
      if (c) p.out += ',';
      p.out += t.type(c) == ColumnType::string ? text(cell(t, c, r, false)) : cell(t, c, r, false);
    }
    p.out += '\n';
    p.flush_if_full();
  }
  p.flush();
}

std::string to_csv(const Table& t, const CsvOptions& o) {
  std::string out;
  write_csv(t, [&out](std::string_view piece) { out += piece; }, o);
  return out;
}

std::string to_json(const Table& t) {
  std::string out;
  const TextSink sink = [&out](std::string_view piece) { out += piece; };
  Pieces p{sink, {}};
  json_rows(t, p);
  p.out += "\n";
  p.flush();
  return out;
}

void write_json_document(const Table& t, const TextSink& sink) {
  Pieces p{sink, {}};
  p.out = "{\n  \"table\": " + detail::json_quote(t.name, true) + ",\n  \"meta\": {";
  for (std::size_t i = 0; i < t.meta.size(); ++i)
    p.out += (i ? ", " : "") + detail::json_quote(t.meta[i].first, true) + ": " + scalar_json(t.meta[i].second);
  p.out += "}";
  if (!t.notes.empty()) {
    p.out += ",\n  \"notes\": {";
    for (std::size_t i = 0; i < t.notes.size(); ++i)
      p.out += (i ? ", " : "") + detail::json_quote(t.notes[i].column, true) + ": " +
               detail::json_quote(t.notes[i].definition, true);
    p.out += "}";
  }
  p.out += ",\n  \"rows\": ";
  json_rows(t, p);  // the document closes on the array's last line
  p.out += "\n}\n";
  p.flush();
}

std::string to_json_document(const Table& t) {
  std::string out;
  write_json_document(t, [&out](std::string_view piece) { out += piece; });
  return out;
}

namespace {
// A line of text and its newline, broken into lines of at most width bytes (0: no limit) after a comma or at a
// blank where there is one, the later lines indented by four spaces; never inside a UTF-8 sequence.
std::string fit(const std::string& line, std::size_t width) {
  if (width == 0 || line.size() <= width) return line + "\n";
  const std::string indent = width > 8 ? "    " : "";
  std::string out, rest = line;
  bool first = true;
  while (true) {
    const std::size_t room = first ? width : width - indent.size();
    if (rest.size() <= room) break;
    std::size_t cut = room;
    for (std::size_t i = room; i > room / 2; --i)
      if (rest[i - 1] == ',' || rest[i - 1] == ' ') {
        cut = i;
        break;
      }
    while (cut > 1 && (static_cast<unsigned char>(rest[cut]) & 0xC0) == 0x80) --cut;
    std::string head = rest.substr(0, cut);
    while (!head.empty() && head.back() == ' ') head.pop_back();
    out += (first ? "" : indent) + head + "\n";
    rest = rest.substr(cut);
    while (!rest.empty() && rest.front() == ' ') rest.erase(0, 1);
    first = false;
  }
  return out + (first ? "" : indent) + rest + "\n";
}
}  // namespace

std::size_t key_columns(const Table& t) {
  std::size_t k = 0;
  while (k < t.columns.size() && t.type(k) == ColumnType::string) ++k;
  return k;
}

Table long_table(const Table& t) {
  const std::size_t keys = key_columns(t), n = t.rows();
  bool numeric = true;
  for (std::size_t c = keys; c < t.columns.size(); ++c) {
    const ColumnType type = t.type(c);
    numeric = numeric && (type == ColumnType::real || type == ColumnType::integer || type == ColumnType::boolean);
  }
  Table out;
  out.name = t.name;
  out.meta = t.meta;
  out.notes = t.notes;
  const std::size_t cells = n * (t.columns.size() - keys);
  for (std::size_t k = 0; k < keys; ++k) {
    const auto& src = std::get<std::vector<std::string>>(t.columns[k]);
    std::vector<std::string> v;
    v.reserve(cells);
    for (std::size_t r = 0; r < n; ++r)
      for (std::size_t c = keys; c < t.columns.size(); ++c) v.push_back(src[r]);
    out.add(t.names[k], std::move(v));
  }
  std::vector<std::string> column;
  std::vector<double> numbers;
  std::vector<std::string> texts;
  column.reserve(cells);
  for (std::size_t r = 0; r < n; ++r)
    for (std::size_t c = keys; c < t.columns.size(); ++c) {
      column.push_back(t.names[c]);
      if (numeric) numbers.push_back(t.number(c, r));
      else texts.push_back(cell(t, c, r, false));
    }
  out.add("column", std::move(column));
  if (numeric) out.add("value", std::move(numbers));
  else out.add("value", std::move(texts));
  return out;
}

std::string to_text(const Table& table, const TextOptions& o) {
  const Table sorted = o.sort_by.empty() ? Table() : sort_rows(table, o.sort_by);
  const Table& t = o.sort_by.empty() ? table : sorted;
  std::vector<std::size_t> shown;
  if (o.columns.empty()) {
    for (std::size_t c = 0; c < t.columns.size(); ++c) shown.push_back(c);
  } else {
    for (const auto& name : o.columns)
      if (auto c = t.find(name)) shown.push_back(*c);
  }
  const std::size_t rows = o.max_rows ? std::min(o.max_rows, t.rows()) : t.rows();
  if (o.long_format) {
    // The shown columns and rows, melted; then printed as any table.
    Table part;
    part.name = t.name;
    part.meta = t.meta;
    part.notes = t.notes;
    for (std::size_t c : shown) {
      std::visit([&](const auto& col) {
        using C = std::decay_t<decltype(col)>;
        C v;
        if constexpr (std::is_same_v<C, TimeColumn>) {
          v.unit = col.unit;
          v.ticks.assign(col.ticks.begin(), col.ticks.begin() + rows);
        } else if constexpr (std::is_same_v<C, BoolColumn>) {
          v.values.assign(col.values.begin(), col.values.begin() + rows);
        } else {
          v.assign(col.begin(), col.begin() + rows);
        }
        part.add(t.names[c], std::move(v));
      }, t.columns[c]);
    }
    TextOptions lo;
    lo.decimals = o.decimals;
    lo.heading = o.heading;
    lo.notes = o.notes;
    lo.width = o.width;
    return to_text(long_table(part), lo);
  }
  std::vector<std::vector<std::string>> cells(shown.size());
  std::vector<std::size_t> width(shown.size());
  for (std::size_t k = 0; k < shown.size(); ++k) {
    const std::size_t c = shown[k];
    width[k] = detail::escape_controls(t.names[c], true).size();
    const auto* v = std::get_if<std::vector<double>>(&t.columns[c]);
    const bool whole = v && std::all_of(v->begin(), v->end(), [](double x) { return !std::isfinite(x) || x == std::floor(x); });
    for (std::size_t r = 0; r < rows; ++r) {
      std::string s;
      if (v) {
        char buf[64];
        if (std::isfinite((*v)[r])) std::snprintf(buf, sizeof buf, "%.*f", whole ? 0 : o.decimals, (*v)[r]);
        else std::snprintf(buf, sizeof buf, "-");
        s = buf;
      } else {
        s = cell(t, c, r, false);
        if (t.type(c) == ColumnType::string) s = detail::escape_controls(s, true);
      }
      width[k] = std::max(width[k], s.size());
      cells[k].push_back(std::move(s));
    }
  }
  std::string out;
  if (o.heading) {
    if (!t.name.empty()) out += detail::escape_controls(t.name, true) + "\n";
    for (const auto& [key, value] : t.meta)
      out += fit("  " + detail::escape_controls(key, true) + ": " + detail::escape_controls(scalar_text(value), true), o.width);
    if (!t.name.empty() || !t.meta.empty()) out += "\n";
  }
  // Blocks of columns: all of them in one when they fit the width; otherwise the key columns (the string
  // columns the shown ones start with) in every block and the others packed into blocks in order.
  std::size_t keys = 0;
  while (keys < shown.size() && t.type(shown[keys]) == ColumnType::string) ++keys;
  if (keys == 0 && shown.size() > 1) keys = 1;  // no string column first: the first column names the rows
  auto span = [&](const std::vector<std::size_t>& ks) {
    std::size_t w = 0;
    for (std::size_t k : ks) w += width[k] + 2;
    return w > 2 ? w - 2 : 0;
  };
  std::vector<std::size_t> all(shown.size());
  for (std::size_t k = 0; k < shown.size(); ++k) all[k] = k;
  std::vector<std::vector<std::size_t>> blocks;
  if (o.width == 0 || span(all) <= o.width || keys == shown.size()) {
    blocks.push_back(all);
  } else {
    std::vector<std::size_t> block(all.begin(), all.begin() + keys);
    for (std::size_t k = keys; k < shown.size(); ++k) {
      block.push_back(k);
      if (block.size() > keys + 1 && span(block) > o.width) {
        block.pop_back();
        blocks.push_back(block);
        block.assign(all.begin(), all.begin() + keys);
        block.push_back(k);
      }
    }
    blocks.push_back(block);
  }
  for (std::size_t b = 0; b < blocks.size(); ++b) {
    const std::vector<std::size_t>& ks = blocks[b];
    auto line = [&](auto&& text_of) {
      std::string l;
      for (std::size_t i = 0; i < ks.size(); ++i) {
        const std::size_t k = ks[i];
        const std::string s = text_of(k);
        const std::string pad(width[k] - std::min(width[k], s.size()), ' ');
        l += (i ? "  " : "") + (t.type(shown[k]) == ColumnType::string ? s + pad : pad + s);
      }
      while (!l.empty() && l.back() == ' ') l.pop_back();
      out += l + "\n";
    };
    if (blocks.size() > 1) {
      if (b) out += "\n";
      out += "columns " + std::to_string(ks[keys] + 1) + "-" + std::to_string(ks.back() + 1) + " of " +
             std::to_string(shown.size()) + "\n";
    }
    line([&](std::size_t k) { return detail::escape_controls(t.names[shown[k]], true); });
    out += std::string(span(ks), '-') + "\n";
    for (std::size_t r = 0; r < rows; ++r) line([&](std::size_t k) { return cells[k][r]; });
  }
  // Every note, shown columns or not: a note may define a group of columns ("time_in_stage" for its median,
  // mean and p90) or the rows ("(journeys)").
  std::size_t note_width = 0;
  for (const ColumnNote& n : t.notes) note_width = std::max(note_width, detail::escape_controls(n.column, true).size());
  for (const ColumnNote& n : t.notes) {
    const std::string column = detail::escape_controls(n.column, true);
    out += fit("  " + column + std::string(note_width - column.size() + 2, ' ') + detail::escape_controls(n.definition, true),
               o.width);
  }
  for (const auto& note : o.notes) out += fit(note, o.width);
  return out;
}

std::string write_table(const Table& table, TableFormat format, const TextOptions& options) {
  switch (format) {
    case TableFormat::text: return to_text(table, options);
    case TableFormat::csv: return to_csv(table, options.csv);
    case TableFormat::json: return to_json_document(table);
  }
  return {};
}

}  // namespace journeygraph
