// The result table and its text forms (CSV, JSON).

#include <cmath>

#include "common/text.hpp"
#include "journeygraph/table.hpp"

namespace journeygraph {

std::size_t DataTable::rows() const {
  if (columns.empty()) return 0;
  return std::visit([](const auto& v) { return v.size(); }, columns[0]);
}

std::optional<std::size_t> DataTable::find(std::string_view name) const {
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return i;
  return std::nullopt;
}

std::string to_csv(const DataTable& t) {
  auto cell = [](const std::string& s) {
    if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string q = "\"";
    for (char ch : s) q += ch == '"' ? std::string("\"\"") : std::string(1, ch);
    return q + "\"";
  };
  std::string out;
  for (std::size_t c = 0; c < t.names.size(); ++c) out += (c ? "," : "") + cell(t.names[c]);
  out += '\n';
  const std::size_t rows = t.rows();
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t c = 0; c < t.columns.size(); ++c) {
      if (c) out += ',';
      if (const auto* s = std::get_if<std::vector<std::string>>(&t.columns[c])) out += cell((*s)[r]);
      else {
        const double x = std::get<std::vector<double>>(t.columns[c])[r];
        out += std::isfinite(x) ? detail::format_double(x) : (std::isnan(x) ? "" : x > 0 ? "inf" : "-inf");
      }
    }
    out += '\n';
  }
  return out;
}

std::string to_json(const DataTable& t) {
  std::string out = "[";
  const std::size_t rows = t.rows();
  for (std::size_t r = 0; r < rows; ++r) {
    out += r ? ",\n  {" : "\n  {";
    for (std::size_t c = 0; c < t.columns.size(); ++c) {
      if (c) out += ", ";
      out += detail::json_quote(t.names[c]) + ": ";
      if (const auto* s = std::get_if<std::vector<std::string>>(&t.columns[c])) out += detail::json_quote((*s)[r]);
      else out += detail::json_number(std::get<std::vector<double>>(t.columns[c])[r]);
    }
    out += "}";
  }
  return out + (rows ? "\n]\n" : "]\n");
}

}  // namespace journeygraph
