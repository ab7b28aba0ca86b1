// Stage maps: the funnel order and the stage of each touchpoint, from code or from a CSV file.

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "common/text.hpp"
#include "io/csv.hpp"
#include "journeygraph/error.hpp"
#include "journeygraph/stages.hpp"
#include "journeygraph/samples.hpp"

namespace journeygraph {

namespace {
std::string stage_list(const std::vector<std::string>& order) {
  std::string s;
  for (std::size_t i = 0; i < order.size(); ++i) s += (i ? ", " : "") + order[i];
  return s;
}
}  // namespace

StageMap::StageMap(std::vector<std::string> order) : order_(std::move(order)) {
  if (order_.empty()) throw InvalidArgument("a stage map needs at least one stage");
  for (std::size_t i = 0; i < order_.size(); ++i) {
    if (order_[i].empty()) throw InvalidArgument("stage " + std::to_string(i + 1) + " has an empty name");
    for (std::size_t j = 0; j < i; ++j)
      if (order_[j] == order_[i]) throw InvalidArgument("stage " + detail::show(order_[i]) + " is listed twice");
  }
}

StageMap::StageMap(std::vector<std::string> order, const std::vector<std::pair<std::string, std::string>>& assignment)
    : StageMap(std::move(order)) {
  for (const auto& [tp, st] : assignment) assign(tp, st);
}

std::optional<std::uint32_t> StageMap::stage_index(std::string_view stage) const {
  for (std::size_t i = 0; i < order_.size(); ++i)
    if (order_[i] == stage) return static_cast<std::uint32_t>(i);
  return std::nullopt;
}

void StageMap::assign(std::string_view touchpoint, std::string_view stage) {
  if (touchpoint.empty()) throw InvalidArgument("a touchpoint name is empty");
  auto s = stage_index(stage);
  if (!s)
    throw InvalidArgument("unknown stage " + detail::show(stage) + " for touchpoint " + detail::show(touchpoint) +
                          " (the stages are: " + stage_list(order_) + ")");
  auto it = std::lower_bound(assigned_.begin(), assigned_.end(), touchpoint,
                             [](const auto& p, std::string_view t) { return p.first < t; });
  if (it != assigned_.end() && it->first == touchpoint) {
    if (it->second != *s)
      throw InvalidArgument("touchpoint " + detail::show(touchpoint) + " is in stage " +
                            detail::show(order_[it->second]) + " and cannot also be in " + detail::show(stage));
    return;
  }
  assigned_.insert(it, {std::string(touchpoint), *s});
}

std::optional<std::uint32_t> StageMap::stage_of(std::string_view touchpoint) const {
  auto it = std::lower_bound(assigned_.begin(), assigned_.end(), touchpoint,
                             [](const auto& p, std::string_view t) { return p.first < t; });
  if (it != assigned_.end() && it->first == touchpoint) return it->second;
  return std::nullopt;
}

StageMap sample_stage_map() {
  StageMap m(sample_stage_order(), sample_stages());
  m.set_source("the built-in sample");
  return m;
}

namespace {

constexpr std::size_t kMaxStages = 1000;

StageMap read_stages(detail::CsvReader& r, const StageCsvOptions& o) {
  const std::string& name = r.name();
  if (!r.next()) throw ParseError(name, 0, 0, "", "", "empty file: expected a header row with columns '" +
                                                          o.touchpoint_column + "' and '" + o.stage_column + "'");
  const std::uint64_t header_line = r.line();
  std::size_t tp_col = ~std::size_t(0), st_col = ~std::size_t(0);
  std::string have;
  for (std::size_t i = 0; i < r.size(); ++i) {
    std::string h(detail::trim(r.field(i)));
    have += (i ? ", '" : "'") + h + "'";
    for (auto [col, want] : {std::pair{&tp_col, &o.touchpoint_column}, std::pair{&st_col, &o.stage_column}}) {
      if (h != *want) continue;
      // Reading either copy of a duplicated column would be a guess.
      if (*col != ~std::size_t(0))
        throw ParseError(name, header_line, r.column(i), *want, h,
                         "column '" + *want + "' appears twice (fields " + std::to_string(*col + 1) + " and " +
                             std::to_string(i + 1) + ")");
      *col = i;
    }
  }
  for (auto [col, want] : {std::pair{tp_col, &o.touchpoint_column}, std::pair{st_col, &o.stage_column}})
    if (col == ~std::size_t(0))
      throw ParseError(name, header_line, 0, *want, "",
                       "missing column '" + *want + "' (the header has: " + have + ")");
  // With an explicit order every stage must be in it; without, stages are taken in order of appearance.
  const bool fixed = !o.order.empty();
  StageMap map = fixed ? StageMap(o.order) : StageMap();
  std::vector<std::string> seen_order;
  std::unordered_set<std::string> seen_stages;
  std::unordered_set<std::string> fixed_stages(o.order.begin(), o.order.end());
  struct Row {
    std::string touchpoint, stage;
    std::uint64_t line, column;
  };
  std::vector<Row> rows;
  std::unordered_map<std::string, std::size_t> first_row;
  while (r.next()) {
    if (r.size() <= std::max(tp_col, st_col))
      r.fail(r.size() ? r.size() - 1 : 0, "",
             "expected at least " + std::to_string(std::max(tp_col, st_col) + 1) + " fields, got " +
                 std::to_string(r.size()));
    std::string tp(detail::trim(r.field(tp_col))), st(detail::trim(r.field(st_col)));
    if (tp.empty()) r.fail(tp_col, o.touchpoint_column, "empty touchpoint name");
    if (st.empty()) r.fail(st_col, o.stage_column, "empty stage for touchpoint " + detail::show(tp));
    for (std::size_t c : {tp_col, st_col}) {
      std::string_view v = r.field(c);
      std::size_t bad = detail::utf8_invalid_at(v);
      if (bad != std::string::npos)
        throw ParseError(name, r.line(), r.column(c) + bad, c == tp_col ? o.touchpoint_column : o.stage_column,
                         detail::show(v), "not valid UTF-8");
    }
    if (fixed && !fixed_stages.count(st))
      throw ParseError(name, r.line(), r.column(st_col), o.stage_column, st,
                       "unknown stage " + detail::show(st) + " (the stages are: " + stage_list(o.order) + ")");
    if (!fixed && seen_stages.insert(st).second) {
      // StageMap looks stages up by a scan: a funnel has a handful. Thousands mean the wrong column.
      if (seen_order.size() == kMaxStages)
        throw ParseError(name, r.line(), r.column(st_col), o.stage_column, st,
                         "more than " + std::to_string(kMaxStages) + " distinct stages: is '" + o.stage_column +
                             "' the stage column?");
      seen_order.push_back(st);
    }
    auto [it, fresh] = first_row.emplace(tp, rows.size());
    if (!fresh && rows[it->second].stage != st)
      throw ParseError(name, r.line(), r.column(st_col), o.stage_column, st,
                       "touchpoint " + detail::show(tp) + " was given stage " + detail::show(rows[it->second].stage) +
                           " on line " + std::to_string(rows[it->second].line) + " and now " + detail::show(st));
    rows.push_back({tp, st, r.line(), r.column(st_col)});
  }
  if (rows.empty()) throw DataError(name + ": no touchpoint rows after the header");
  if (!fixed) map = StageMap(seen_order);
  // Assigning in touchpoint order appends to the map's sorted list; file order would insert in the middle,
  // O(rows^2) for an unsorted file. Rows repeating a touchpoint agree (checked above).
  std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.touchpoint < b.touchpoint; });
  for (const Row& row : rows) map.assign(row.touchpoint, row.stage);
  map.set_source(name);
  return map;
}

}  // namespace

StageMap read_stages_csv(const std::string& file, const StageCsvOptions& options) {
  detail::CsvReader r(file, options.csv);
  return read_stages(r, options);
}

StageMap parse_stages_csv(std::string_view text, const std::string& name, const StageCsvOptions& options) {
  detail::CsvReader r(text, name, options.csv);
  return read_stages(r, options);
}

}  // namespace journeygraph
