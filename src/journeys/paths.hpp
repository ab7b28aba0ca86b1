#pragma once
// Splitting a path string ("a > b > c") into touchpoint names: the one rule of the paths CSV reader and of
// build_journeys(PathArrays).

#include <cstddef>
#include <string_view>

#include "common/text.hpp"

namespace journeygraph::detail {

// Calls on_name(name) for each name of path split at separator, trimmed of spaces and tabs. Returns 0 when
// every name is non-empty, else the 1-based position of the first empty one (on_name is not called for it
// or for the names after it). Precondition: separator is not empty.
template <class OnName>
std::size_t split_path(std::string_view path, std::string_view separator, OnName&& on_name) {
  std::size_t start = 0, position = 1;
  while (true) {
    const std::size_t at = path.find(separator, start);
    const std::string_view name = trim(path.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (name.empty()) return position;
    on_name(name);
    if (at == std::string_view::npos) return 0;
    start = at + separator.size();
    ++position;
  }
}

}  // namespace journeygraph::detail
