// Journeys from aggregated path arrays (text or codes): the rules of the paths CSV reader, with the row and
// the column in every error message.

#include "journeys/paths.hpp"

#include <cmath>
#include <unordered_map>

#include "journeygraph/error.hpp"
#include "journeygraph/io.hpp"

namespace journeygraph {

namespace {

[[noreturn]] void fail(std::size_t row, const std::string& column, const std::string& what) {
  throw InvalidArgument("row " + std::to_string(row) + ", column '" + column + "': " + what);
}

// A count or value of a row: finite, >= 0 and below 2^62.
double amount(const Span<const double>& col, std::size_t row, const Column& column, const char* what) {
  if (col.empty()) return 0.0;
  const double v = col[row];
  const std::string shown = detail::format_double(v);
  if (!std::isfinite(v)) fail(row, column.name, std::string("expected a finite ") + what + ", got " + shown);
  if (v < 0) fail(row, column.name, std::string("negative ") + what + " " + shown);
  if (v >= kMaxWeight) fail(row, column.name, std::string(what) + " " + shown + " is too large (the limit is 2^62)");
  return v;
}

// The names of the code form: each non-empty, valid UTF-8 and given once.
Dictionary code_names(const std::vector<std::string>& names) {
  std::unordered_map<std::string_view, std::size_t> seen;
  for (std::size_t i = 0; i < names.size(); ++i) {
    const std::string at = "touchpoint name " + std::to_string(i) + " " + detail::show(names[i]);
    if (names[i].empty()) throw InvalidArgument("touchpoint name " + std::to_string(i) + " is empty");
    if (const std::size_t bad = detail::utf8_invalid_at(names[i]); bad != std::string::npos)
      throw InvalidArgument(at + " is not valid UTF-8 (byte " + std::to_string(bad) + ")");
    if (auto [it, fresh] = seen.emplace(names[i], i); !fresh)
      throw InvalidArgument(at + " appears twice (names " + std::to_string(it->second) + " and " + std::to_string(i) + ")");
  }
  return Dictionary(names);
}

}  // namespace

JourneySet build_journeys(const PathArrays& a, BuildReport* report, const Execution& exec) {
  const bool text = !a.paths.empty(), codes = !a.offsets.empty();
  if (text && codes) throw InvalidArgument("give each path either as text or as codes, not both");
  const std::size_t rows = text ? a.paths.size() : codes ? a.offsets.size() - 1 : 0;
  for (const auto& [col, column] : {std::pair{&a.conversions, &a.columns.conversions}, {&a.nulls, &a.columns.nulls},
                                    {&a.values, &a.columns.value}})
    if (!col->empty() && col->size() != rows)
      throw InvalidArgument("column '" + column->name + "' has " + std::to_string(col->size()) + " rows but the path "
                            "column has " + std::to_string(rows));
  const std::string& sep = a.columns.separator;
  if (text && sep.empty()) throw InvalidArgument("the path separator is empty");
  JourneySetBuilder b;
  if (codes) b.set_touchpoints(code_names(a.touchpoint_names));
  BuildReport local;
  BuildReport& rep = report ? *report : local;
  const std::string& path_column = a.columns.path.name;
  std::vector<std::uint32_t> ids;
  for (std::size_t j = 0; j < rows; ++j) {
    if (exec.progress && (j & 0xFFFF) == 0 && !exec.progress(double(j) / double(rows), "build"))
      throw Interrupted("cancelled by the progress callback while building journeys from paths");
    ids.clear();
    if (text) {
      const std::string_view path = a.paths[j];
      if (const std::size_t bad = detail::utf8_invalid_at(path); bad != std::string_view::npos)
        fail(j, path_column, "path " + detail::show(path) + " is not valid UTF-8 (byte " + std::to_string(bad) + ")");
      if (detail::trim(path).empty()) fail(j, path_column, "empty path");
      if (const std::size_t empty = detail::split_path(path, sep, [&](std::string_view n) { ids.push_back(b.touchpoint(n)); }))
        fail(j, path_column, "empty touchpoint name at position " + std::to_string(empty) + " of path " + detail::show(path));
    } else {
      const std::uint64_t first = a.offsets[j], last = a.offsets[j + 1];
      if (last < first)
        fail(j, path_column, "offsets decrease (" + std::to_string(first) + " then " + std::to_string(last) + ")");
      if (last > a.touches.size())
        fail(j, path_column, "offset " + std::to_string(last) + " is beyond the " + std::to_string(a.touches.size()) + " codes");
      if (last == first) fail(j, path_column, "empty path");
      for (std::uint64_t q = first; q < last; ++q) {
        if (a.touches[q] >= a.touchpoint_names.size())
          fail(j, path_column, "touchpoint code " + std::to_string(a.touches[q]) + " is not below the " +
                                   std::to_string(a.touchpoint_names.size()) + " names");
        ids.push_back(a.touches[q]);
      }
    }
    const double c = amount(a.conversions, j, a.columns.conversions, "count");
    const double n = amount(a.nulls, j, a.columns.nulls, "count");
    const double v = amount(a.values, j, a.columns.value, "value");
    if (v > 0 && c == 0) fail(j, a.columns.value.name, "value " + detail::format_double(v) + " on a path without conversions");
    if (c + n == 0) ++rep.zero_weight_journeys;
    b.key(static_cast<std::int64_t>(j));  // the row, 0-based: where the caller finds the path
    b.add(Span<const std::uint32_t>(ids.data(), ids.size()), {}, c, n, v);
  }
  rep.rows += rows;
  JourneySet set = b.finish();
  rep.journeys += set.size();
  rep.touches += set.touch_count();
  return set;
}

}  // namespace journeygraph
