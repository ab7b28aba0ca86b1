/* Names of the C enumerations: every accepted name parses to its value and back (written out here, the
 * spelling of the command line and of docs), the former names parse too, and a bad name or value is
 * JG_EINVAL with a message listing the accepted names. */

#include "check.h"

/* A value and its name, as every face spells it. */
typedef struct {
  int value;
  const char* name;
} named;

static const named kTimeUnits[] = {{JG_TIME_SECONDS, "s"},
                                   {JG_TIME_MILLISECONDS, "ms"},
                                   {JG_TIME_MICROSECONDS, "us"},
                                   {JG_TIME_NANOSECONDS, "ns"}};
static const named kSelfLoops[] = {{JG_SELF_LOOPS_DROP, "drop"}, {JG_SELF_LOOPS_KEEP, "keep"}};
static const named kFunnelJourneys[] = {{JG_FUNNEL_FIRST, "first"}, {JG_FUNNEL_REPEAT, "repeat"}, {JG_FUNNEL_ALL, "all"}};
static const named kPainRankings[] = {{JG_PAIN_DROP_OFFS, "drop_offs"},
                                      {JG_PAIN_EXIT_RATE, "unconverted_exit_share"},
                                      {JG_PAIN_LOST_CONVERSIONS, "conversions_at_risk"},
                                      {JG_PAIN_CONVERSION_PROBABILITY, "conversion_probability"}};
static const named kMapFormats[] = {{JG_MAP_DOT, "dot"},           {JG_MAP_GRAPHML, "graphml"},
                                    {JG_MAP_JSON, "json"},         {JG_MAP_SANKEY_JSON, "sankey_json"},
                                    {JG_MAP_SVG_GRAPH, "svg"},     {JG_MAP_SVG_FUNNEL, "funnel_svg"},
                                    {JG_MAP_SVG_SANKEY, "sankey_svg"}, {JG_MAP_HTML_REPORT, "html"}};

/* Every name of table parses to its value, and the value's name is that name again. */
#define CHECK_ROUND_TRIP(type, table)                                          \
  do {                                                                          \
    size_t i_;                                                                  \
    for (i_ = 0; i_ < sizeof table / sizeof table[0]; ++i_) {                   \
      type v_;                                                                  \
      const char* name_ = NULL;                                                 \
      CHECK_OK(type##_parse(table[i_].name, &v_));                              \
      CHECK((int)v_ == table[i_].value);                                        \
      CHECK_OK(type##_name(v_, &name_));                                        \
      CHECK(name_ && strcmp(name_, table[i_].name) == 0);                       \
    }                                                                           \
  } while (0)

/* name parses to want (a name accepted beside the table's). */
#define CHECK_PARSES(type, name, want) \
  do {                                 \
    type v_;                           \
    CHECK_OK(type##_parse(name, &v_)); \
    CHECK(v_ == (want));               \
  } while (0)

/* The message of the last call names every accepted name. */
static void check_lists(const named* names, size_t n) {
  size_t i;
  for (i = 0; i < n; ++i) CHECK(strstr(jg_last_error_message(), names[i].name) != NULL);
}

static void test_time_units(void) {
  const size_t n = sizeof kTimeUnits / sizeof kTimeUnits[0];
  CHECK_ROUND_TRIP(jg_time_unit, kTimeUnits);
  {
    jg_time_unit v = JG_TIME_MILLISECONDS;
    const char* name = "unset";
    CHECK_ERR(jg_time_unit_parse("sec", &v), JG_EINVAL, "sec");
    check_lists(kTimeUnits, n);
    CHECK(v == JG_TIME_MILLISECONDS);
    CHECK_ERR(jg_time_unit_parse(NULL, &v), JG_EINVAL, "name is NULL");
    CHECK_ERR(jg_time_unit_parse("s", NULL), JG_EINVAL, "out is NULL");
    CHECK_ERR(jg_time_unit_name(JG_TIME_DEFAULT, &name), JG_EINVAL, "JG_TIME_SECONDS (0)");
    CHECK(name == NULL);
    CHECK_ERR(jg_time_unit_name(JG_TIME_SECONDS, NULL), JG_EINVAL, "out_name is NULL");
  }
}

static void test_self_loops(void) {
  const size_t n = sizeof kSelfLoops / sizeof kSelfLoops[0];
  jg_self_loops v = JG_SELF_LOOPS_KEEP;
  const char* name = NULL;
  CHECK_ROUND_TRIP(jg_self_loops, kSelfLoops);
  CHECK_ERR(jg_self_loops_parse("Drop", &v), JG_EINVAL, "Drop");
  check_lists(kSelfLoops, n);
  CHECK_ERR(jg_self_loops_name((jg_self_loops)7, &name), JG_EINVAL, "value is 7");
}

static void test_funnel_journeys(void) {
  const size_t n = sizeof kFunnelJourneys / sizeof kFunnelJourneys[0];
  jg_funnel_journeys v = JG_FUNNEL_FIRST;
  const char* name = NULL;
  CHECK_ROUND_TRIP(jg_funnel_journeys, kFunnelJourneys);
  CHECK_ERR(jg_funnel_journeys_parse("every", &v), JG_EINVAL, "every");
  check_lists(kFunnelJourneys, n);
  CHECK_ERR(jg_funnel_journeys_name((jg_funnel_journeys)3, &name), JG_EINVAL, "JG_FUNNEL_ALL (2)");
  CHECK_ERR(jg_funnel_journeys_name((jg_funnel_journeys)-1, &name), JG_EINVAL, "value is -1");
}

static void test_pain_rankings(void) {
  const size_t n = sizeof kPainRankings / sizeof kPainRankings[0];
  jg_pain_ranking v = JG_PAIN_DROP_OFFS;
  const char* name = NULL;
  CHECK_ROUND_TRIP(jg_pain_ranking, kPainRankings);
  /* The former names. */
  CHECK_PARSES(jg_pain_ranking, "exit_rate", JG_PAIN_EXIT_RATE);
  CHECK_PARSES(jg_pain_ranking, "lost_conversions", JG_PAIN_LOST_CONVERSIONS);
  CHECK_ERR(jg_pain_ranking_parse("dropoffs", &v), JG_EINVAL, "dropoffs");
  check_lists(kPainRankings, n);
  CHECK(v == JG_PAIN_DROP_OFFS);
  CHECK_ERR(jg_pain_ranking_name((jg_pain_ranking)4, &name), JG_EINVAL, "JG_PAIN_CONVERSION_PROBABILITY (3)");
}

static void test_map_formats(void) {
  const size_t n = sizeof kMapFormats / sizeof kMapFormats[0];
  jg_map_format v = JG_MAP_DOT;
  const char* name = NULL;
  CHECK_ROUND_TRIP(jg_map_format, kMapFormats);
  /* The spelling of the enum's constants. */
  CHECK_PARSES(jg_map_format, "svg_graph", JG_MAP_SVG_GRAPH);
  CHECK_PARSES(jg_map_format, "svg_funnel", JG_MAP_SVG_FUNNEL);
  CHECK_PARSES(jg_map_format, "svg_sankey", JG_MAP_SVG_SANKEY);
  CHECK_ERR(jg_map_format_parse("pdf", &v), JG_EINVAL, "pdf");
  check_lists(kMapFormats, n);
  CHECK_ERR(jg_map_format_parse("", &v), JG_EINVAL, "map format");
  CHECK_ERR(jg_map_format_name((jg_map_format)8, &name), JG_EINVAL, "0 to 7");
}

int main(void) {
  test_time_units();
  test_self_loops();
  test_funnel_journeys();
  test_pain_rankings();
  test_map_formats();
  return finish("test_enums");
}
