// The text forms of options: durations as parse_duration reads them, the columns an events table used.

#include <cmath>

#include "common/text.hpp"
#include "journeygraph/io.hpp"

namespace journeygraph {

std::string format_duration(double seconds) {
  for (const auto& [unit, scale] : {std::pair<const char*, double>{"d", 86400}, {"h", 3600}, {"m", 60}})
    if (seconds != 0 && std::fmod(seconds, scale) == 0) return detail::format_double(seconds / scale) + unit;
  return detail::format_double(seconds) + "s";
}

std::string columns_note(const EventCsvOptions& c) {
  std::string note;
  for (const auto& [role, column] : {std::pair<const char*, const Column*>{"journey", &c.journey}, {"time", &c.time},
                                     {"touchpoint", &c.touchpoint}, {"conversion", &c.conversion}, {"value", &c.value},
                                     {"segment", &c.segment}})
    if (!column->name.empty()) note += (note.empty() ? "columns: " : ", ") + std::string(role) + " '" + column->name + "'";
  return note;
}

}  // namespace journeygraph
