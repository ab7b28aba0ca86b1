#pragma once
// Output helpers for the CLI: an in-memory table printed as aligned text or CSV, and JSON fragments.

#include <ostream>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/text.hpp"

namespace journeygraph::cli {

using Cell = std::variant<std::string, double>;

struct Table {
  std::vector<std::string> columns;
  std::vector<std::vector<Cell>> rows;
};

// Aligned text; numbers with `decimals` digits after the point.
void print_text(std::ostream& os, const Table& t, int decimals = 2);
// RFC 4180 CSV; numbers in shortest round-trip form.
void print_csv(std::ostream& os, const Table& t);
// A JSON string literal (UTF-8 passed through, control characters escaped).
inline std::string json_string(std::string_view s) { return detail::json_quote(s); }
// A JSON number in shortest round-trip form (non-finite becomes null).
using detail::json_number;
// An array of row objects keyed by column name.
void print_json_rows(std::ostream& os, const Table& t, const std::string& indent);

}  // namespace journeygraph::cli
