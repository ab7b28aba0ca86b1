#include "cli/output.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "journeygraph/text.hpp"

namespace journeygraph::cli {
namespace {
std::string text_cell(const Cell& c, int decimals) {
  if (const auto* s = std::get_if<std::string>(&c)) return *s;
  double x = std::get<double>(c);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, x);
  return buf;
}
std::string csv_cell(const Cell& c) {
  if (const auto* s = std::get_if<std::string>(&c)) {
    if (s->find_first_of(",\"\r\n") == std::string::npos) return *s;
    std::string q = "\"";
    for (char ch : *s) q += ch == '"' ? std::string("\"\"") : std::string(1, ch);
    return q + "\"";
  }
  return format_number(std::get<double>(c));
}
}  // namespace

void print_text(std::ostream& os, const Table& t, int decimals) {
  std::vector<std::size_t> width(t.columns.size());
  for (std::size_t c = 0; c < t.columns.size(); ++c) width[c] = t.columns[c].size();
  std::vector<std::vector<std::string>> cells;
  for (const auto& r : t.rows) {
    cells.emplace_back();
    for (std::size_t c = 0; c < r.size(); ++c) {
      cells.back().push_back(text_cell(r[c], decimals));
      width[c] = std::max(width[c], cells.back().back().size());
    }
  }
  auto line = [&](const std::vector<std::string>& v, const std::vector<Cell>* kinds) {
    for (std::size_t c = 0; c < v.size(); ++c) {
      bool left = kinds ? std::holds_alternative<std::string>((*kinds)[c]) : c == 0;
      std::string pad(width[c] - v[c].size(), ' ');
      if (c) os << "  ";
      os << (left ? v[c] + pad : pad + v[c]);
    }
    os << '\n';
  };
  line(t.columns, nullptr);
  std::size_t total = 0;
  for (auto w : width) total += w + 2;
  os << std::string(total > 2 ? total - 2 : 0, '-') << '\n';
  for (std::size_t r = 0; r < cells.size(); ++r) line(cells[r], &t.rows[r]);
}

void print_csv(std::ostream& os, const Table& t) {
  for (std::size_t c = 0; c < t.columns.size(); ++c) os << (c ? "," : "") << csv_cell(Cell(t.columns[c]));
  os << '\n';
  for (const auto& r : t.rows) {
    for (std::size_t c = 0; c < r.size(); ++c) os << (c ? "," : "") << csv_cell(r[c]);
    os << '\n';
  }
}


void print_json_rows(std::ostream& os, const Table& t, const std::string& indent) {
  os << "[";
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    os << (r ? ",\n" : "\n") << indent << "  {";
    for (std::size_t c = 0; c < t.columns.size(); ++c) {
      os << (c ? ", " : "") << json_string(t.columns[c]) << ": ";
      const Cell& cell = t.rows[r][c];
      if (const auto* s = std::get_if<std::string>(&cell)) os << json_string(*s);
      else os << json_number(std::get<double>(cell));
    }
    os << "}";
  }
  os << "\n" << indent << "]";
}

}  // namespace journeygraph::cli
