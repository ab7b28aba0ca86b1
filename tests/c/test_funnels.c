/* Event funnels, funnel trends, the path explorer, conversion drivers and cleaning through the C ABI, on
 * the worked example of funnel.hpp (times in days from Monday 2026-01-05):
 *   J1: ad@0 > search@1 > buy@2 (converted)     J2: ad@0 > web@1 > search@9 (not converted)
 *   J3: search@0 > ad@1 (converted)             J4: ad@0 > ad@5 > search@6 (converted)
 * Steps ad, search, (conversion) within 7 days, ordered: reached 4, 2, 2; step rates 1, 1/2, 1; the two
 * searches come 1 day after an ad (J4's canonical matching uses its later ad). Strict: 4, 2, 1. */

#include <stdio.h>

#include "check.h"

#define DAY 86400
#define T0 1767571200 /* 2026-01-05T00:00:00Z, a Monday */

static jg_journeys* example(void) {
  static const int64_t journey[] = {1, 1, 1, 2, 2, 2, 3, 3, 4, 4, 4};
  static const int64_t day[] = {0, 1, 2, 0, 1, 9, 0, 1, 0, 5, 6};
  static const uint32_t touch[] = {0, 1, 2, 0, 3, 1, 1, 0, 0, 0, 1};
  static const uint8_t conv[] = {0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 1};
  static const char* const names[] = {"ad", "search", "buy", "web"};
  int64_t time[11];
  jg_event_arrays e = JG_EVENT_ARRAYS_INIT;
  jg_journeys* js = NULL;
  size_t i;
  for (i = 0; i < 11; ++i) time[i] = T0 + day[i] * DAY;
  e.n_events = 11;
  e.journey = journey;
  e.time = time;
  e.touchpoint = touch;
  e.touchpoint_names = names;
  e.n_touchpoint_names = 4;
  e.conversion = conv;
  REQUIRE_OK(jg_journeys_from_events(&e, NULL, NULL, &js, NULL));
  return js;
}

static size_t column(const jg_table* t, const char* name, double* out, size_t capacity) {
  size_t len = 0;
  CHECK_OK(jg_table_numbers(t, name, out, capacity, &len));
  return len;
}

static const char* table_name(const jg_table* t) {
  const char* name = NULL;
  CHECK_OK(jg_table_name(t, &name));
  return name ? name : "";
}

static void test_event_funnel(const jg_journeys* js) {
  static const char* const steps[] = {"ad", "search", "(conversion)"};
  jg_funnel_options o;
  jg_funnel_options init = JG_FUNNEL_OPTIONS_INIT;
  jg_table* t = NULL;
  double reached[8], rate[8], prev[8], v = 0;
  size_t n;
  CHECK_OK(jg_funnel_options_init(&o, JG_FUNNEL_OPTIONS_VERSION));
  CHECK(o.level == init.level && o.alpha == init.alpha && o.window_seconds == 0 && o.n_steps == 0);
  CHECK_ERR(jg_funnel_options_init(&o, 99u), JG_EINVAL, "version");
  o.steps = steps;
  o.n_steps = 3;
  o.window_seconds = 7.0 * DAY;
  REQUIRE_OK(jg_event_funnel(js, &o, NULL, &t));
  CHECK(strcmp(table_name(t), "event_funnel") == 0);
  n = column(t, "reached", reached, 8);
  CHECK(n == 3 && reached[0] == 4 && reached[1] == 2 && reached[2] == 2);
  column(t, "step_rate", rate, 8);
  CHECK(rate[0] == 1 && rate[1] == 0.5 && rate[2] == 1);
  column(t, "time_from_previous_median_s", prev, 8);
  CHECK(isnan(prev[0]) && fabs(prev[1] - DAY) < 1e-9);
  CHECK_OK(jg_table_meta_number(t, "window_s", &v));
  CHECK(v == 7.0 * DAY);
  jg_table_free(t);

  o.order = "strict";
  REQUIRE_OK(jg_event_funnel(js, &o, NULL, &t));
  column(t, "reached", reached, 8);
  CHECK(reached[0] == 4 && reached[1] == 2 && reached[2] == 1);
  jg_table_free(t);

  o.order = "sideways";
  CHECK_ERR(jg_event_funnel(js, &o, NULL, &t), JG_EINVAL, "sideways");
  CHECK(t == NULL);
  o.order = NULL;
  o.by_segment = 1;
  CHECK_ERR(jg_event_funnel(js, &o, NULL, &t), JG_ESTATE, "segment");
  CHECK_ERR(jg_event_funnel(js, NULL, NULL, &t), JG_EINVAL, "options");
}

static void test_trends(const jg_journeys* js) {
  static const char* const steps[] = {"ad", "search", "(conversion)"};
  jg_funnel_options o = JG_FUNNEL_OPTIONS_INIT;
  jg_trend_options to;
  jg_table *t = NULL, *c = NULL;
  double x[8];
  size_t n;
  o.steps = steps;
  o.n_steps = 3;
  o.window_seconds = 7.0 * DAY;
  CHECK_OK(jg_trend_options_init(&to, JG_TREND_OPTIONS_VERSION));
  to.period = "week";
  /* Entries at the first ad: J1, J2, J4 on day 0, J3 on day 1. J1 completes after 2 days, J4 after 6 (entry
   * ad@0; the search is within the window of ad@5); J2 and J3 never complete and are observed to the last
   * timestamp, day 9, past the 7-day horizon. Kaplan-Meier: 1 - 3/4 = 1/4 at 2 days, 1 - 3/4 x 2/3 = 1/2 at 6.
   * The week ends on day 7, its horizon on day 14 > day 9: incomplete. */
  REQUIRE_OK(jg_funnel_trends(js, &o, &to, NULL, &t, &c));
  CHECK(strcmp(table_name(t), "funnel_trends") == 0 && strcmp(table_name(c), "conversion_curve") == 0);
  n = column(t, "entered", x, 8);
  CHECK(n == 1 && x[0] == 4);
  column(t, "conversion", x, 8);
  CHECK(fabs(x[0] - 0.5) < 1e-12);
  column(t, "complete", x, 8);
  CHECK(x[0] == 0);
  n = column(c, "conversion", x, 8);
  CHECK(n == 2 && fabs(x[0] - 0.25) < 1e-12 && fabs(x[1] - 0.5) < 1e-12);
  column(c, "time_s", x, 8);
  CHECK(x[0] == 2.0 * DAY && x[1] == 6.0 * DAY);
  jg_table_free(t);
  jg_table_free(c);
  to.period = "fortnight";
  CHECK_ERR(jg_funnel_trends(js, &o, &to, NULL, &t, NULL), JG_EINVAL, "fortnight");
}

static void test_paths(const jg_journeys* js) {
  jg_path_explorer_options o;
  jg_path_explorer_options init = JG_PATH_EXPLORER_OPTIONS_INIT;
  jg_table *s = NULL, *v = NULL;
  double step[64], share[64], sum[8] = {0};
  size_t n, i;
  CHECK_OK(jg_path_explorer_options_init(&o, JG_PATH_EXPLORER_OPTIONS_VERSION));
  CHECK(o.max_steps == init.max_steps && o.top == init.top && o.variants == init.variants);
  o.start = "ad";
  o.max_steps = 2;
  o.top = 1;
  REQUIRE_OK(jg_explore_paths(js, &o, NULL, &s, &v));
  CHECK(strcmp(table_name(s), "path_steps") == 0 && strcmp(table_name(v), "path_variants") == 0);
  n = column(s, "step", step, 64);
  column(s, "share", share, 64);
  for (i = 0; i < n; ++i)
    if (step[i] >= 1 && step[i] <= 3) sum[(size_t)step[i]] += share[i];
  /* Every journey has an ad: 4 selected; at every step the shares cover all of them. */
  CHECK(fabs(sum[1] - 1) < 1e-12 && fabs(sum[2] - 1) < 1e-12 && fabs(sum[3] - 1) < 1e-12);
  CHECK(step[0] == 1 && share[0] == 1);
  jg_table_free(s);
  jg_table_free(v);
  o.top = 0;
  CHECK_ERR(jg_explore_paths(js, &o, NULL, &s, NULL), JG_EINVAL, "top");
  CHECK(s == NULL);
}

static void test_drivers(const jg_journeys* js) {
  jg_driver_options o;
  jg_driver_options init = JG_DRIVER_OPTIONS_INIT;
  jg_table* t = NULL;
  double a[32], b[32], c[32], d[32], total = 0;
  size_t n, rows = 0, cols = 0;
  CHECK_OK(jg_driver_options_init(&o, JG_DRIVER_OPTIONS_VERSION));
  CHECK(o.min_support == init.min_support && o.at_least_max == init.at_least_max && o.kgram3 == init.kgram3);
  o.min_support = 1;
  o.kgram2 = o.kgram3 = o.before = 0;
  o.at_least_max = 0;
  REQUIRE_OK(jg_conversion_drivers(js, &o, NULL, &t));
  CHECK(strcmp(table_name(t), "drivers") == 0);
  CHECK_OK(jg_table_size(t, &rows, &cols));
  /* Touchpoints ad, search, buy, web: ad and search are in every journey (untestable); buy and web tested. */
  CHECK(rows == 2);
  n = column(t, "with_outcome", a, 32);
  column(t, "with_other", b, 32);
  column(t, "without_outcome", c, 32);
  column(t, "without_other", d, 32);
  CHECK(n == 2);
  total = a[0] + b[0] + c[0] + d[0];
  CHECK(total == 4 && a[0] + c[0] == 3); /* 3 of the 4 journeys convert */
  jg_table_free(t);
  o.target = "retention";
  CHECK_ERR(jg_conversion_drivers(js, &o, NULL, &t), JG_EINVAL, "retention");
}

static void test_cleaning(const jg_journeys* js) {
  static const char file[] = JG_TEST_TMP_DIR "/test_funnels_rules.csv";
  FILE* f = fopen(file, "w");
  jg_journeys* cleaned = NULL;
  jg_table* t = NULL;
  jg_journeys_info info = JG_JOURNEYS_INFO_INIT;
  double v = 0;
  REQUIRE(f != NULL);
  fputs("action,pattern,replacement\nalias,^(ad|search)$,paid\ndrop,web,\n", f);
  CHECK(fclose(f) == 0);
  REQUIRE_OK(jg_clean_journeys(js, file, 1, &cleaned, &t));
  CHECK(strcmp(table_name(t), "cleaning") == 0);
  CHECK_OK(jg_journeys_get_info(cleaned, &info));
  CHECK(info.n_touchpoints == 2); /* paid, buy */
  CHECK_OK(jg_table_meta_number(t, "touches_dropped", &v));
  CHECK(v == 1);
  jg_table_free(t);
  jg_journeys_free(cleaned);
  CHECK_ERR(jg_clean_journeys(js, JG_TEST_TMP_DIR "/no/such/rules.csv", 0, &cleaned, NULL), JG_EIO, "rules.csv");
  CHECK(cleaned == NULL);
}

int main(void) {
  jg_journeys* js = example();
  test_event_funnel(js);
  test_trends(js);
  test_paths(js);
  test_drivers(js);
  test_cleaning(js);
  jg_journeys_free(js);
  return finish("test_funnels");
}
