// The result tables of journeys and events.

#include <numeric>
#include <unordered_map>

#include "common/text.hpp"
#include "journeygraph/error.hpp"
#include "journeygraph/io.hpp"
#include "journeygraph/samples.hpp"
#include "table/columns.hpp"

namespace journeygraph {

Table event_table(const EventTable& e) {
  std::vector<std::size_t> rows(e.size());
  std::iota(rows.begin(), rows.end(), std::size_t(0));
  auto t = detail::table_of("events", rows)
               .integer("journey_id", [&](std::size_t i) { return e.journey[i]; })
               .integer("timestamp", [&](std::size_t i) { return e.time[i]; })
               .text("touchpoint", [&](std::size_t i) { return e.touchpoint_names[e.touchpoint[i]]; })
               .flag("conversion", [&](std::size_t i) { return e.conversion[i] != 0; })
               .real("value", [&](std::size_t i) { return e.value[i]; })
               .meta("time_unit", time_unit_name(e.time_unit));
  if (!e.segment.empty()) t.text("segment", [&](std::size_t i) { return e.segment_names[e.segment[i]]; });
  return t;
}

Table journey_table(const JourneySet& js, std::string_view separator) {
  std::vector<std::size_t> rows(js.size());
  std::iota(rows.begin(), rows.end(), std::size_t(0));
  auto t = detail::table_of("journeys", rows)
               .text("path", [&](std::size_t j) { return js.path_string(j, separator); })
               .integer("touches", [&](std::size_t j) { return js.path(j).size(); })
               .real("conversions", [&](std::size_t j) { return js.conversions(j); })
               .real("nulls", [&](std::size_t j) { return js.nulls(j); })
               .real("value", [&](std::size_t j) { return js.value(j); });
  if (js.has_segments()) t.text("segment", [&](std::size_t j) { return js.segments().name(js.segment(j)); });
  Table out = t;
  if (js.has_timestamps()) {
    TimeColumn start{{}, js.time_unit()}, end{{}, js.time_unit()};
    for (std::size_t j = 0; j < js.size(); ++j) {
      start.ticks.push_back(js.times(j).front());
      end.ticks.push_back(js.times(j).back());
    }
    out.add("start_time", std::move(start)).add("end_time", std::move(end));
  }
  return out;
}

Table path_table(const JourneySet& js, std::string_view separator) {
  const std::string_view core = detail::trim(separator);
  if (core.empty()) throw InvalidArgument("the path separator is empty");
  for (const auto& name : js.touchpoints().names())
    if (name.find(core) != std::string::npos)
      throw InvalidArgument("touchpoint " + detail::show(name) + " contains the path separator " + detail::show(core));
  struct Path {
    std::string path;
    double conversions = 0, nulls = 0, value = 0;
  };
  std::unordered_map<std::string, std::size_t> index;
  std::vector<Path> paths;
  for (std::size_t j = 0; j < js.size(); ++j) {
    std::string p = js.path_string(j, separator);
    auto [it, added] = index.emplace(p, paths.size());
    if (added) paths.push_back({std::move(p)});
    Path& x = paths[it->second];
    x.conversions += js.conversions(j);
    x.nulls += js.nulls(j);
    x.value += js.value(j);
  }
  return detail::table_of("aggregated_paths", paths)
      .text("path", &Path::path)
      .real("total_conversions", &Path::conversions)
      .real("total_null", &Path::nulls)
      .real("total_conversion_value", &Path::value);
}

}  // namespace journeygraph
