// Names of the C enumerations: each parse and name function reads or writes the core's own spelling
// (parse_X / X_name of the C++ headers), so every face that goes through C accepts the same names.

#include "internal.hpp"

using namespace journeygraph;
using namespace journeygraph::capi;

namespace journeygraph::capi {

// jg_funnel_journeys, jg_pain_ranking and jg_map_format list their values in the order of the core's enums.
FunnelJourneys to_funnel_journeys(const jg_funnel_journeys& journeys, const char* name) {
  const long long v = enum_value(journeys);
  if (v < JG_FUNNEL_FIRST || v > JG_FUNNEL_ALL)
    invalid(std::string(name) + " is " + std::to_string(v) +
            "; expected JG_FUNNEL_FIRST (0), JG_FUNNEL_REPEAT (1) or JG_FUNNEL_ALL (2)");
  return static_cast<FunnelJourneys>(v);
}

PainRanking to_pain_ranking(const jg_pain_ranking& ranking, const char* name) {
  const long long v = enum_value(ranking);
  if (v < JG_PAIN_DROP_OFFS || v > JG_PAIN_CONVERSION_PROBABILITY)
    invalid(std::string(name) + " is " + std::to_string(v) +
            "; expected JG_PAIN_DROP_OFFS (0), JG_PAIN_EXIT_RATE (1), JG_PAIN_LOST_CONVERSIONS (2) or "
            "JG_PAIN_CONVERSION_PROBABILITY (3)");
  return static_cast<PainRanking>(v);
}

MapFormat to_map_format(const jg_map_format& format, const char* name) {
  const long long v = enum_value(format);
  if (v < JG_MAP_DOT || v > JG_MAP_HTML_REPORT)
    invalid(std::string(name) + " is " + std::to_string(v) + "; expected a jg_map_format value (0 to 7)");
  return static_cast<MapFormat>(v);
}

}  // namespace journeygraph::capi

namespace {

// One parse function: the core's parser on a C string, its value converted by from.
template <class C, class Parse, class From>
jg_status parse_enum(const char* function, const char* name, C* out, Parse parse, From from) {
  return guard(function, [&] {
    need(out, "out");
    *out = from(parse(need(name, "name")));
  });
}

// One name function: the C value checked and converted by to, named by the core's X_name.
template <class C, class To, class Name>
jg_status name_enum(const char* function, C value, const char** out_name, To to, Name name_of) {
  return guard(function, [&] {
    need(out_name, "out_name");
    *out_name = nullptr;
    *out_name = name_of(to(value, "value"));
  });
}

template <class E, class C>
C cast_to(E e) {
  return static_cast<C>(e);
}

}  // namespace

extern "C" {

jg_status jg_time_unit_parse(const char* name, jg_time_unit* out) {
  return parse_enum("jg_time_unit_parse", name, out, parse_time_unit, from_time_unit);
}
jg_status jg_time_unit_name(jg_time_unit value, const char** out_name) {
  return name_enum("jg_time_unit_name", value, out_name, to_time_unit, time_unit_name);
}
jg_status jg_self_loops_parse(const char* name, jg_self_loops* out) {
  return parse_enum("jg_self_loops_parse", name, out, parse_self_loops, from_self_loops);
}
jg_status jg_self_loops_name(jg_self_loops value, const char** out_name) {
  return name_enum("jg_self_loops_name", value, out_name, to_self_loops, self_loops_name);
}
jg_status jg_funnel_journeys_parse(const char* name, jg_funnel_journeys* out) {
  return parse_enum("jg_funnel_journeys_parse", name, out, parse_funnel_journeys,
                    cast_to<FunnelJourneys, jg_funnel_journeys>);
}
jg_status jg_funnel_journeys_name(jg_funnel_journeys value, const char** out_name) {
  return name_enum("jg_funnel_journeys_name", value, out_name, to_funnel_journeys, funnel_journeys_name);
}
jg_status jg_pain_ranking_parse(const char* name, jg_pain_ranking* out) {
  return parse_enum("jg_pain_ranking_parse", name, out, parse_pain_ranking, cast_to<PainRanking, jg_pain_ranking>);
}
jg_status jg_pain_ranking_name(jg_pain_ranking value, const char** out_name) {
  return name_enum("jg_pain_ranking_name", value, out_name, to_pain_ranking, pain_ranking_name);
}
jg_status jg_map_format_parse(const char* name, jg_map_format* out) {
  return parse_enum("jg_map_format_parse", name, out, parse_map_format, cast_to<MapFormat, jg_map_format>);
}
jg_status jg_map_format_name(jg_map_format value, const char** out_name) {
  return name_enum("jg_map_format_name", value, out_name, to_map_format, map_format_name);
}

}  // extern "C"
