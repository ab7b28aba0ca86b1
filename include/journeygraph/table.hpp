#pragma once
/// \file table.hpp
/// Result tables: named columns of equal length, and their text forms.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace journeygraph {

/// A result table in long format: named columns of numbers or of strings, all of the same length. The
/// *_table functions below build one from an analysis result; each costs O(rows x columns) and copies the
/// values (the result stays valid on its own).
struct DataTable {
  using Column = std::variant<std::vector<double>, std::vector<std::string>>;
  std::vector<std::string> names;
  std::vector<Column> columns;
  /// Number of rows. Complexity: O(1).
  std::size_t rows() const;
  /// Index of a column by name, or nullopt. Complexity: O(columns).
  std::optional<std::size_t> find(std::string_view name) const;
  /// Append a column. Precondition: same length as the others.
  void add(std::string name, std::vector<double> values) { names.push_back(std::move(name)); columns.emplace_back(std::move(values)); }
  void add(std::string name, std::vector<std::string> values) { names.push_back(std::move(name)); columns.emplace_back(std::move(values)); }
};

/// A table as CSV (RFC 4180, numbers in shortest round-trip form, NaN as an empty field). Complexity: O(cells).
std::string to_csv(const DataTable& table);
/// A table as a JSON array of row objects (non-finite numbers become null). Complexity: O(cells).
std::string to_json(const DataTable& table);

}  // namespace journeygraph
