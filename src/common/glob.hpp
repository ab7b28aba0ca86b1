#pragma once
// Wildcard patterns over touchpoint names, shared by the cleaning rules, funnel steps, path anchors and driver
// features: '*' matches any run of bytes (also none), a backslash makes the next character literal, every
// other character matches itself. A pattern matches a name only as a whole.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "journeygraph/journeys.hpp"

namespace journeygraph::detail {

// Whether pattern has an unescaped '*'.
inline bool has_wildcard(std::string_view pattern) noexcept {
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '\\') ++i;
    else if (pattern[i] == '*') return true;
  }
  return false;
}

// pattern with its escapes removed (for a pattern without wildcards: the name it stands for).
inline std::string unescape_pattern(std::string_view pattern) {
  std::string out;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '\\' && i + 1 < pattern.size()) ++i;
    out += pattern[i];
  }
  return out;
}

// Whether the whole of text matches pattern. Greedy with one backtrack point (the last '*'), so O(|p| |t|) at
// worst and linear in the usual case.
inline bool glob_match(std::string_view p, std::string_view t) noexcept {
  std::size_t pi = 0, ti = 0, star = std::string_view::npos, mark = 0;
  while (ti < t.size()) {
    if (pi < p.size() && p[pi] == '*') {
      star = ++pi;
      mark = ti;
      continue;
    }
    if (pi < p.size()) {
      std::size_t q = pi;
      if (p[q] == '\\' && q + 1 < p.size()) ++q;
      if (p[q] == t[ti]) {
        pi = q + 1;
        ++ti;
        continue;
      }
    }
    if (star == std::string_view::npos) return false;
    pi = star;
    ti = ++mark;
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

// Ids of the touchpoints of dict that pattern matches, ascending. Complexity: O(touchpoints x name length)
// with a wildcard, O(length) without.
inline std::vector<std::uint32_t> match_touchpoints(const Dictionary& dict, std::string_view pattern) {
  std::vector<std::uint32_t> ids;
  if (!has_wildcard(pattern)) {
    if (auto id = dict.find(unescape_pattern(pattern))) ids.push_back(*id);
    return ids;
  }
  for (std::uint32_t id = 0; id < dict.size(); ++id)
    if (glob_match(pattern, dict.name(id))) ids.push_back(id);
  return ids;
}

}  // namespace journeygraph::detail
