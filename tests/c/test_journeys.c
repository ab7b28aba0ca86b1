/* Journeys from event arrays, path arrays, CSV files and text, and the built-in sample; build reports;
 * per-journey access; slices, segment subsets, writing paths. Expected journeys are worked out by hand
 * from the documented rules in journeygraph.h. */

#include "check.h"

/* ---------------------------------------------------------------------------------------- helpers */

static size_t n_journeys(const jg_journeys* js) {
  jg_journeys_info info = JG_JOURNEYS_INFO_INIT;
  REQUIRE_OK(jg_journeys_get_info(js, &info));
  return info.n_journeys;
}

/* Journey j as "a > b > c". */
static const char* path_of(const jg_journeys* js, size_t j) {
  static char buf[256];
  size_t len = 0;
  REQUIRE_OK(jg_journeys_path_string(js, j, NULL, buf, sizeof buf, &len));
  return buf;
}

static jg_report_counts counts_of(const jg_report* r) {
  jg_report_counts c = JG_REPORT_COUNTS_INIT;
  REQUIRE_OK(jg_report_get_counts(r, &c));
  return c;
}

static void check_outcome(const jg_journeys* js, size_t j, double conversions, double nulls, double value) {
  double c = -1, n = -1, v = -1;
  CHECK_OK(jg_journeys_outcome(js, j, &c, &n, &v));
  CHECK(c == conversions);
  CHECK(n == nulls);
  CHECK(v == value);
}

/* Two journey sets hold the same journeys (paths by name, outcomes). */
static int same_journeys(const jg_journeys* a, const jg_journeys* b) {
  size_t j, n = n_journeys(a);
  if (n != n_journeys(b)) return 0;
  for (j = 0; j < n; ++j) {
    char pa[256];
    double ca, na, va, cb, nb, vb;
    snprintf(pa, sizeof pa, "%s", path_of(a, j));
    if (strcmp(pa, path_of(b, j)) != 0) return 0;
    REQUIRE_OK(jg_journeys_outcome(a, j, &ca, &na, &va));
    REQUIRE_OK(jg_journeys_outcome(b, j, &cb, &nb, &vb));
    if (ca != cb || na != nb || va != vb) return 0;
  }
  return 1;
}

/* ------------------------------------------------------------------------------------ event arrays */

/* Six events of two journey ids, out of order:
 *   idx  journey  time  touchpoint  conversion  value  segment
 *   0    7        100   search      0           5      mobile   (value without conversion: ignored)
 *   1    3        50    email       0           0      desktop
 *   2    7        90    display     0           0      mobile   (earlier than idx 0: reordered)
 *   3    7        200   email       1           30     desktop  (conflicting segment)
 *   4    3        60    email       0           0      desktop
 *   5    7        300   search      0           0      mobile   (after the conversion: a new journey)
 * Journey id 7 comes first (its first event is first). Ordered by time it is display(90) search(100)
 * email(200, converts) search(300). */
static const int64_t kJourney[6] = {7, 3, 7, 7, 3, 7};
static const int64_t kTime[6] = {100, 50, 90, 200, 60, 300};
static const uint32_t kTouch[6] = {0, 1, 2, 1, 1, 0};
static const char* const kTouchNames[3] = {"search", "email", "display"};
static const uint8_t kConv[6] = {0, 0, 0, 1, 0, 0};
static const double kValue[6] = {5, 0, 0, 30, 0, 0};
static const uint32_t kSegment[6] = {0, 1, 0, 1, 1, 0};
static const char* const kSegmentNames[2] = {"mobile", "desktop"};

static jg_event_arrays events_fixture(void) {
  jg_event_arrays ev = JG_EVENT_ARRAYS_INIT;
  ev.n_events = 6;
  ev.journey = kJourney;
  ev.time = kTime;
  ev.time_unit = JG_TIME_SECONDS;
  ev.touchpoint = kTouch;
  ev.touchpoint_names = kTouchNames;
  ev.n_touchpoint_names = 3;
  ev.conversion = kConv;
  ev.value = kValue;
  ev.segment = kSegment;
  ev.segment_names = kSegmentNames;
  ev.n_segment_names = 2;
  return ev;
}

static void test_from_events_defaults(void) {
  jg_event_arrays ev = events_fixture();
  jg_journeys* js = NULL;
  jg_report* rep = NULL;
  jg_journeys_info info = JG_JOURNEYS_INFO_INIT;
  jg_report_counts c;
  uint32_t path[8], seg = 99;
  int64_t times[8];
  size_t len = 0;
  const char* name = NULL;

  CHECK_OK(jg_journeys_from_events(&ev, NULL, NULL, &js, &rep));
  REQUIRE(js != NULL && rep != NULL);
  CHECK_OK(jg_journeys_get_info(js, &info));
  CHECK(info.n_journeys == 3);
  CHECK(info.n_touches == 6);
  CHECK(info.n_touchpoints == 3);
  CHECK(info.n_segments == 2);
  CHECK(info.has_timestamps == 1);
  CHECK(info.time_unit == JG_TIME_SECONDS);
  CHECK(info.has_segments == 1);
  CHECK(info.total_conversions == 1.0);
  CHECK(info.total_nulls == 2.0);
  CHECK(info.total_value == 30.0);
  CHECK(info.memory_bytes > 0);

  CHECK_STR(path_of(js, 0), "display > search > email");
  CHECK_STR(path_of(js, 1), "search");
  CHECK_STR(path_of(js, 2), "email > email");
  check_outcome(js, 0, 1, 0, 30);
  check_outcome(js, 1, 0, 1, 0);
  check_outcome(js, 2, 0, 1, 0);

  /* Dictionary ids keep the given order. */
  CHECK_OK(jg_journeys_touchpoint_name(js, 0, &name));
  CHECK_STR(name, "search");
  CHECK_OK(jg_journeys_touchpoint_name(js, 2, &name));
  CHECK_STR(name, "display");
  CHECK_OK(jg_journeys_path(js, 0, path, 8, &len));
  CHECK(len == 3 && path[0] == 2 && path[1] == 0 && path[2] == 1);
  CHECK_OK(jg_journeys_times(js, 0, times, 8, &len));
  CHECK(len == 3 && times[0] == 90 && times[1] == 100 && times[2] == 200);
  CHECK_OK(jg_journeys_times(js, 1, times, 8, &len));
  CHECK(len == 1 && times[0] == 300);

  /* The segment of a journey is that of its first event. */
  CHECK_OK(jg_journeys_segment(js, 0, &seg));
  CHECK(seg == 0);
  CHECK_OK(jg_journeys_segment(js, 2, &seg));
  CHECK(seg == 1);
  CHECK_OK(jg_journeys_segment_name(js, 1, &name));
  CHECK_STR(name, "desktop");

  c = counts_of(rep);
  CHECK(c.rows == 6);
  CHECK(c.journeys == 3);
  CHECK(c.touches == 6);
  CHECK(c.splits_at_conversion == 1);
  CHECK(c.reordered_events == 1);
  CHECK(c.values_ignored == 1);
  CHECK(c.segment_conflicts == 1);
  CHECK(c.splits_at_gap == 0 && c.touches_dropped_lookback == 0 && c.touches_dropped_max_touches == 0 &&
        c.repeats_collapsed == 0 && c.duplicate_events == 0 && c.zero_weight_journeys == 0 &&
        c.rows_skipped == 0 && c.blank_lines == 0);
  jg_report_free(rep);
  jg_journeys_free(js);
}

static void test_from_events_options(void) {
  jg_event_arrays ev = events_fixture();
  jg_journey_options o = JG_JOURNEY_OPTIONS_INIT;
  jg_journeys* js = NULL;
  jg_report* rep = NULL;
  jg_report_counts c;

  /* No split after conversions: journey 7 keeps going and counts its conversion. */
  o.split_on_conversion = 0;
  CHECK_OK(jg_journeys_from_events(&ev, &o, NULL, &js, &rep));
  CHECK(n_journeys(js) == 2);
  CHECK_STR(path_of(js, 0), "display > search > email > search");
  check_outcome(js, 0, 1, 0, 30);
  CHECK(counts_of(rep).splits_at_conversion == 0);
  jg_report_free(rep);
  jg_journeys_free(js);

  /* Collapse repeats: email > email becomes email. */
  o = (jg_journey_options)JG_JOURNEY_OPTIONS_INIT;
  o.collapse_repeats = 1;
  CHECK_OK(jg_journeys_from_events(&ev, &o, NULL, &js, &rep));
  CHECK_STR(path_of(js, 2), "email");
  CHECK(counts_of(rep).repeats_collapsed == 1);
  jg_report_free(rep);
  jg_journeys_free(js);

  /* Lookback of 50 s drops display(90) and search(100) before email(200). */
  o = (jg_journey_options)JG_JOURNEY_OPTIONS_INIT;
  o.use_lookback = 1;
  o.lookback_seconds = 50;
  CHECK_OK(jg_journeys_from_events(&ev, &o, NULL, &js, &rep));
  CHECK_STR(path_of(js, 0), "email");
  CHECK_STR(path_of(js, 2), "email > email");
  CHECK(counts_of(rep).touches_dropped_lookback == 2);
  jg_report_free(rep);
  jg_journeys_free(js);

  /* The same lookback with millisecond timestamps: durations stay in seconds. */
  {
    int64_t ms[6];
    size_t i;
    for (i = 0; i < 6; ++i) ms[i] = kTime[i] * 1000;
    ev.time = ms;
    ev.time_unit = JG_TIME_MILLISECONDS;
    CHECK_OK(jg_journeys_from_events(&ev, &o, NULL, &js, &rep));
    CHECK_STR(path_of(js, 0), "email");
    CHECK(counts_of(rep).touches_dropped_lookback == 2);
    {
      jg_journeys_info info = JG_JOURNEYS_INFO_INIT;
      CHECK_OK(jg_journeys_get_info(js, &info));
      CHECK(info.time_unit == JG_TIME_MILLISECONDS);
    }
    jg_report_free(rep);
    jg_journeys_free(js);
    ev = events_fixture();
  }

  /* A gap of 60 s splits display > search (null) from email (conversion). */
  o = (jg_journey_options)JG_JOURNEY_OPTIONS_INIT;
  o.use_gap = 1;
  o.gap_seconds = 60;
  CHECK_OK(jg_journeys_from_events(&ev, &o, NULL, &js, &rep));
  CHECK(n_journeys(js) == 4);
  CHECK_STR(path_of(js, 0), "display > search");
  check_outcome(js, 0, 0, 1, 0);
  CHECK_STR(path_of(js, 1), "email");
  check_outcome(js, 1, 1, 0, 30);
  CHECK_STR(path_of(js, 2), "search");
  c = counts_of(rep);
  CHECK(c.splits_at_gap == 1 && c.splits_at_conversion == 1);
  jg_report_free(rep);
  jg_journeys_free(js);

  /* At most one touch: the most recent. */
  o = (jg_journey_options)JG_JOURNEY_OPTIONS_INIT;
  o.max_touches = 1;
  CHECK_OK(jg_journeys_from_events(&ev, &o, NULL, &js, NULL));
  CHECK_STR(path_of(js, 0), "email");
  CHECK_STR(path_of(js, 2), "email");
  jg_journeys_free(js);

  /* Without times, events of a journey keep their input order; without segments there are none. */
  ev.time = NULL;
  ev.segment = NULL;
  CHECK_OK(jg_journeys_from_events(&ev, NULL, NULL, &js, NULL));
  CHECK_STR(path_of(js, 0), "search > display > email");
  {
    jg_journeys_info info = JG_JOURNEYS_INFO_INIT;
    int64_t t[4];
    size_t len = 9;
    uint32_t seg = 9;
    CHECK_OK(jg_journeys_get_info(js, &info));
    CHECK(info.has_timestamps == 0 && info.has_segments == 0 && info.n_segments == 0);
    CHECK_OK(jg_journeys_times(js, 0, t, 4, &len));
    CHECK(len == 0);
    CHECK_OK(jg_journeys_segment(js, 0, &seg));
    CHECK(seg == 0);
  }
  jg_journeys_free(js);

  /* No events at all: an empty set. */
  {
    jg_event_arrays empty = JG_EVENT_ARRAYS_INIT;
    CHECK_OK(jg_journeys_from_events(&empty, NULL, NULL, &js, NULL));
    CHECK(n_journeys(js) == 0);
    jg_journeys_free(js);
  }
}

static void test_from_events_errors(void) {
  jg_event_arrays ev = events_fixture();
  jg_journey_options o = JG_JOURNEY_OPTIONS_INIT;
  jg_exec_options x = JG_EXEC_OPTIONS_INIT;
  jg_journeys* js = (jg_journeys*)&ev; /* must be reset to NULL on failure */
  jg_report* rep = (jg_report*)&ev;
  static const uint32_t bad_touch[6] = {0, 1, 2, 5, 1, 0};
  static const double bad_value[6] = {0, 0, 0, -3, 0, 0};
  static const char* const dup_names[3] = {"search", "email", "search"};
  static const char* const null_name[3] = {"search", NULL, "display"};
  static const char* const bad_utf8[3] = {"search", "em\xffil", "display"};

  CHECK_ERR(jg_journeys_from_events(&ev, NULL, NULL, NULL, NULL), JG_EINVAL, "out_journeys is NULL");
  CHECK_ERR(jg_journeys_from_events(NULL, NULL, NULL, &js, &rep), JG_EINVAL, "jg_journeys_from_events: events is NULL");
  CHECK(js == NULL && rep == NULL);

  ev.version = 0;
  CHECK_ERR(jg_journeys_from_events(&ev, NULL, NULL, &js, NULL), JG_EINVAL, "jg_event_arrays.version is 0");
  ev = events_fixture();
  ev.version = JG_EVENT_ARRAYS_VERSION + 1;
  CHECK_ERR(jg_journeys_from_events(&ev, NULL, NULL, &js, NULL), JG_EINVAL, "jg_event_arrays.version is 2");
  ev = events_fixture();

  o.version = 77;
  CHECK_ERR(jg_journeys_from_events(&ev, &o, NULL, &js, NULL), JG_EINVAL, "jg_journey_options.version is 77");
  x.version = 0;
  CHECK_ERR(jg_journeys_from_events(&ev, NULL, &x, &js, NULL), JG_EINVAL, "jg_exec_options.version is 0");

  ev.journey = NULL;
  CHECK_ERR(jg_journeys_from_events(&ev, NULL, NULL, &js, NULL), JG_EINVAL, "events->journey is NULL");
  ev = events_fixture();
  ev.touchpoint = NULL;
  CHECK_ERR(jg_journeys_from_events(&ev, NULL, NULL, &js, NULL), JG_EINVAL, "events->touchpoint is NULL");
  ev = events_fixture();
  ev.touchpoint_names = NULL;
  CHECK_ERR(jg_journeys_from_events(&ev, NULL, NULL, &js, NULL), JG_EINVAL, "events->touchpoint_names is NULL");
  ev = events_fixture();
  ev.touchpoint_names = null_name;
  CHECK_ERR(jg_journeys_from_events(&ev, NULL, NULL, &js, NULL), JG_EINVAL, "events->touchpoint_names[1] is NULL");
  ev = events_fixture();
  ev.touchpoint_names = dup_names;
  CHECK_ERR(jg_journeys_from_events(&ev, NULL, NULL, &js, NULL), JG_EINVAL, "\"search\" appears twice");
  ev = events_fixture();
  ev.touchpoint_names = bad_utf8;
  CHECK_ERR(jg_journeys_from_events(&ev, NULL, NULL, &js, NULL), JG_EINVAL, "is not valid UTF-8");
  ev = events_fixture();
  ev.touchpoint = bad_touch;
  CHECK_ERR(jg_journeys_from_events(&ev, NULL, NULL, &js, NULL), JG_EINVAL, "event 3: touchpoint code 5 is outside [0, 3)");
  ev = events_fixture();
  ev.n_touchpoint_names = 2;
  CHECK_ERR(jg_journeys_from_events(&ev, NULL, NULL, &js, NULL), JG_EINVAL, "touchpoint code 2 is outside [0, 2)");
  ev = events_fixture();
  ev.value = bad_value;
  CHECK_ERR(jg_journeys_from_events(&ev, NULL, NULL, &js, NULL), JG_EINVAL, "event 3: the conversion value -3");
  ev = events_fixture();
  ev.time_unit = (jg_time_unit)9;
  CHECK_ERR(jg_journeys_from_events(&ev, NULL, NULL, &js, NULL), JG_EINVAL, "events->time_unit is 9");
  ev = events_fixture();
  ev.segment_names = NULL;
  CHECK_ERR(jg_journeys_from_events(&ev, NULL, NULL, &js, NULL), JG_EINVAL, "events->segment_names is NULL");
  ev = events_fixture();
  ev.n_segment_names = 1;
  CHECK_ERR(jg_journeys_from_events(&ev, NULL, NULL, &js, NULL), JG_EINVAL, "segment code 1 is outside [0, 1)");

  /* Lookback and gap need timestamps and non-negative durations. */
  ev = events_fixture();
  ev.time = NULL;
  o = (jg_journey_options)JG_JOURNEY_OPTIONS_INIT;
  o.use_lookback = 1;
  o.lookback_seconds = 10;
  CHECK_ERR(jg_journeys_from_events(&ev, &o, NULL, &js, NULL), JG_EINVAL, "lookback needs timestamps");
  ev = events_fixture();
  o.lookback_seconds = -1;
  CHECK_ERR(jg_journeys_from_events(&ev, &o, NULL, &js, NULL), JG_EINVAL, "lookback must be a finite number");
  o = (jg_journey_options)JG_JOURNEY_OPTIONS_INIT;
  o.use_gap = 1;
  o.gap_seconds = -5;
  CHECK_ERR(jg_journeys_from_events(&ev, &o, NULL, &js, NULL), JG_EINVAL, "gap must be a finite number");
  CHECK(js == NULL);
}

/* ------------------------------------------------------------------------------------- path arrays */

/* The golden paths of test_markov.c and test_attribution.c:
 *   "a > b"  2 conversions, 1 null, value 20
 *   "b"      1 conversion,  3 nulls, value 5
 *   "a"      0 conversions, 2 nulls */
static const char* const kPaths[3] = {"a > b", "b", " a "};
static const double kPathConv[3] = {2, 1, 0};
static const double kPathNull[3] = {1, 3, 2};
static const double kPathValue[3] = {20, 5, 0};
static const uint32_t kCodes[4] = {0, 1, 1, 0};
static const uint64_t kOffsets[4] = {0, 2, 3, 4};
static const char* const kCodeNames[2] = {"a", "b"};

static jg_path_arrays string_paths(void) {
  jg_path_arrays p = JG_PATH_ARRAYS_INIT;
  p.n_paths = 3;
  p.paths = kPaths;
  p.conversions = kPathConv;
  p.nulls = kPathNull;
  p.values = kPathValue;
  return p;
}

static jg_path_arrays code_paths(void) {
  jg_path_arrays p = JG_PATH_ARRAYS_INIT;
  p.n_paths = 3;
  p.touches = kCodes;
  p.offsets = kOffsets;
  p.touchpoint_names = kCodeNames;
  p.n_touchpoint_names = 2;
  p.conversions = kPathConv;
  p.nulls = kPathNull;
  p.values = kPathValue;
  return p;
}

static void test_from_paths(void) {
  jg_path_arrays s = string_paths(), k = code_paths();
  jg_journeys *a = NULL, *b = NULL;
  jg_report* rep = NULL;
  jg_journeys_info info = JG_JOURNEYS_INFO_INIT;
  jg_report_counts c;

  CHECK_OK(jg_journeys_from_paths(&s, NULL, &a, &rep));
  CHECK_OK(jg_journeys_get_info(a, &info));
  CHECK(info.n_journeys == 3 && info.n_touches == 4 && info.n_touchpoints == 2);
  CHECK(info.has_timestamps == 0 && info.has_segments == 0);
  CHECK(info.total_conversions == 3 && info.total_nulls == 6 && info.total_value == 25);
  CHECK_STR(path_of(a, 0), "a > b");
  CHECK_STR(path_of(a, 1), "b");
  CHECK_STR(path_of(a, 2), "a");
  check_outcome(a, 0, 2, 1, 20);
  check_outcome(a, 2, 0, 2, 0);
  c = counts_of(rep);
  CHECK(c.rows == 3 && c.journeys == 3 && c.touches == 4 && c.zero_weight_journeys == 0);
  jg_report_free(rep);

  CHECK_OK(jg_journeys_from_paths(&k, NULL, &b, NULL));
  CHECK(same_journeys(a, b));
  jg_journeys_free(b);

  /* Another separator; nulls and values are optional; zero-weight rows are counted. */
  {
    static const char* const piped[2] = {"a|b", "b |a"};
    static const double conv[2] = {1, 0};
    jg_path_arrays p = JG_PATH_ARRAYS_INIT;
    p.n_paths = 2;
    p.paths = piped;
    p.separator = "|";
    p.conversions = conv;
    CHECK_OK(jg_journeys_from_paths(&p, NULL, &b, &rep));
    CHECK_STR(path_of(b, 1), "b > a");
    check_outcome(b, 1, 0, 0, 0);
    CHECK(counts_of(rep).zero_weight_journeys == 1);
    jg_report_free(rep);
    jg_journeys_free(b);
  }
  /* No rows: an empty set. */
  {
    jg_path_arrays p = JG_PATH_ARRAYS_INIT;
    CHECK_OK(jg_journeys_from_paths(&p, NULL, &b, NULL));
    CHECK(n_journeys(b) == 0);
    jg_journeys_free(b);
  }
  jg_journeys_free(a);
}

static int cancel_immediately(double fraction, const char* stage, void* user) {
  int* calls = (int*)user;
  (void)fraction;
  CHECK(stage != NULL && stage[0] != '\0');
  ++*calls;
  return 1;
}

static void test_from_paths_errors(void) {
  jg_path_arrays p = string_paths();
  jg_journeys* js = NULL;
  static const char* const empty_name[1] = {"a >  > b"};
  static const char* const bad_utf8[1] = {"a > \xc3\x28"};
  static const char* const null_path[2] = {"a", NULL};
  static const double negative[3] = {2, -1, 0};
  static const double value_no_conv[3] = {0, 1, 0};
  static const double nan_conv[3] = {2, 1, NAN};
  static const uint64_t decreasing[4] = {0, 2, 1, 4};
  static const uint32_t out_of_range[4] = {0, 1, 7, 0};
  static const uint64_t empty_path[4] = {0, 2, 2, 4};

  CHECK_ERR(jg_journeys_from_paths(&p, NULL, NULL, NULL), JG_EINVAL, "out_journeys is NULL");
  CHECK_ERR(jg_journeys_from_paths(NULL, NULL, &js, NULL), JG_EINVAL, "paths is NULL");
  p.version = 3;
  CHECK_ERR(jg_journeys_from_paths(&p, NULL, &js, NULL), JG_EINVAL, "jg_path_arrays.version is 3");
  p = string_paths();
  p.touches = kCodes;
  CHECK_ERR(jg_journeys_from_paths(&p, NULL, &js, NULL), JG_EINVAL, "both paths->paths and paths->touches are set");
  p = string_paths();
  p.paths = NULL;
  CHECK_ERR(jg_journeys_from_paths(&p, NULL, &js, NULL), JG_EINVAL, "paths->paths and paths->offsets are NULL");
  p = string_paths();
  p.conversions = NULL;
  CHECK_ERR(jg_journeys_from_paths(&p, NULL, &js, NULL), JG_EINVAL, "paths->conversions is NULL");
  p = string_paths();
  p.n_paths = 1;
  p.paths = empty_name;
  CHECK_ERR(jg_journeys_from_paths(&p, NULL, &js, NULL), JG_EINVAL, "row 0, column 'paths': empty touchpoint name at position 2");
  p.paths = bad_utf8;
  CHECK_ERR(jg_journeys_from_paths(&p, NULL, &js, NULL), JG_EINVAL, "is not valid UTF-8 (byte 4)");
  p = string_paths();
  p.n_paths = 2;
  p.paths = null_path;
  CHECK_ERR(jg_journeys_from_paths(&p, NULL, &js, NULL), JG_EINVAL, "paths->paths[1] is NULL");
  p = string_paths();
  p.separator = "";
  CHECK_ERR(jg_journeys_from_paths(&p, NULL, &js, NULL), JG_EINVAL, "paths->separator is empty");
  p = string_paths();
  p.nulls = negative;
  CHECK_ERR(jg_journeys_from_paths(&p, NULL, &js, NULL), JG_EINVAL, "row 1, column 'nulls': negative count -1");
  p = string_paths();
  p.conversions = value_no_conv;
  CHECK_ERR(jg_journeys_from_paths(&p, NULL, &js, NULL), JG_EINVAL, "row 0, column 'values': value 20 on a path without conversions");
  p = string_paths();
  p.conversions = nan_conv;
  CHECK_ERR(jg_journeys_from_paths(&p, NULL, &js, NULL), JG_EINVAL, "row 2, column 'conversions': expected a finite count, got nan");

  p = code_paths();
  p.offsets = decreasing;
  CHECK_ERR(jg_journeys_from_paths(&p, NULL, &js, NULL), JG_EINVAL, "row 1, column 'touches': offsets decrease (2 then 1)");
  p = code_paths();
  p.touches = out_of_range;
  CHECK_ERR(jg_journeys_from_paths(&p, NULL, &js, NULL), JG_EINVAL, "row 1, column 'touches': touchpoint code 7 is not below the 2 names");
  p = code_paths();
  p.offsets = empty_path;
  CHECK_ERR(jg_journeys_from_paths(&p, NULL, &js, NULL), JG_EINVAL, "row 1, column 'touches': empty path");
  p = code_paths();
  p.touches = NULL;
  CHECK_ERR(jg_journeys_from_paths(&p, NULL, &js, NULL), JG_EINVAL, "paths->touches is NULL");
  p = code_paths();
  p.touchpoint_names = NULL;
  CHECK_ERR(jg_journeys_from_paths(&p, NULL, &js, NULL), JG_EINVAL, "paths->touchpoint_names is NULL");

  /* Cancelled by the progress callback before the first row. */
  {
    int calls = 0;
    jg_exec_options x = JG_EXEC_OPTIONS_INIT;
    x.progress = cancel_immediately;
    x.user = &calls;
    p = string_paths();
    CHECK_ERR(jg_journeys_from_paths(&p, &x, &js, NULL), JG_EINTERRUPTED, "cancelled by the progress callback");
    CHECK(calls == 1);
    p = code_paths();
    CHECK_ERR(jg_journeys_from_paths(&p, &x, &js, NULL), JG_EINTERRUPTED, "cancelled by the progress callback");
    CHECK(calls == 2);
  }
  CHECK(js == NULL);
}

/* ---------------------------------------------------------------------------------------- CSV */

static void test_events_csv(void) {
  /* Custom column names, ';' delimiter, ISO times, yes/no flags, a segment column. */
  static const char text[] =
      "user;when;channel;bought;amount;device\n"
      "u1;2024-03-01T10:00:00Z;ads;no;;phone\n"
      "u1;2024-03-01T10:05:00Z;shop;yes;12.5;phone\n"
      "\n"
      "u2;2024-03-02;shop;no;;desktop\n";
  jg_event_csv_options o = JG_EVENT_CSV_OPTIONS_INIT;
  jg_journeys* js = NULL;
  jg_report* rep = NULL;
  int64_t t[4];
  size_t len = 0;
  jg_journeys_info info = JG_JOURNEYS_INFO_INIT;
  o.delimiter = ';';
  o.journey.name = "user";
  o.time.name = "when";
  o.touchpoint.name = "channel";
  o.conversion.name = "bought";
  o.value.name = "amount";
  o.segment.name = "device";
  CHECK_OK(jg_journeys_parse_events_csv(text, strlen(text), "events.csv", &o, NULL, NULL, &js, &rep));
  CHECK_OK(jg_journeys_get_info(js, &info));
  CHECK(info.n_journeys == 2 && info.has_segments == 1 && info.time_unit == JG_TIME_MILLISECONDS);
  CHECK_STR(path_of(js, 0), "ads > shop");
  check_outcome(js, 0, 1, 0, 12.5);
  CHECK_STR(path_of(js, 1), "shop");
  CHECK_OK(jg_journeys_times(js, 0, t, 4, &len));
  CHECK(len == 2 && t[0] == INT64_C(1709287200000) && t[1] - t[0] == 300000);
  CHECK(counts_of(rep).blank_lines == 1);
  jg_report_free(rep);
  jg_journeys_free(js);

  /* Integer times in microseconds are stored in microseconds. */
  {
    static const char us[] = "journey_id,timestamp,touchpoint\n1,5,a\n1,7,b\n";
    jg_event_csv_options u = JG_EVENT_CSV_OPTIONS_INIT;
    u.integer_time_unit = JG_TIME_MICROSECONDS;
    CHECK_OK(jg_journeys_parse_events_csv(us, strlen(us), "us.csv", &u, NULL, NULL, &js, NULL));
    CHECK_OK(jg_journeys_get_info(js, &info));
    CHECK(info.time_unit == JG_TIME_MICROSECONDS);
    CHECK_OK(jg_journeys_times(js, 0, t, 4, &len));
    CHECK(len == 2 && t[0] == 5 && t[1] == 7);
    jg_journeys_free(js);
  }

  /* Journey options apply to CSV events too; optional columns that are absent are noted. */
  {
    static const char plain[] = "journey_id,timestamp,touchpoint\n1,1,a\n1,2,a\n1,3,b\n";
    jg_journey_options jo = JG_JOURNEY_OPTIONS_INIT;
    jg_event_csv_options eo = JG_EVENT_CSV_OPTIONS_INIT; /* the unit given: times 1, 2, 3 are no real epochs */
    eo.integer_time_unit = JG_TIME_SECONDS;
    size_t n_notes = 0;
    const char* note = NULL;
    jo.collapse_repeats = 1;
    CHECK_OK(jg_journeys_parse_events_csv(plain, strlen(plain), "plain.csv", &eo, &jo, NULL, &js, &rep));
    CHECK_STR(path_of(js, 0), "a > b");
    CHECK(counts_of(rep).repeats_collapsed == 1);
    CHECK_OK(jg_report_note_count(rep, &n_notes));
    CHECK(n_notes >= 2);
    /* The first note names the columns used; a later one says no conversion column was found. */
    CHECK_OK(jg_report_note(rep, 0, &note));
    CHECK(note != NULL && strncmp(note, "columns: journey 'journey_id', time 'timestamp', touchpoint 'touchpoint'", 72) == 0);
    CHECK_OK(jg_report_note(rep, 1, &note));
    CHECK(note != NULL && strstr(note, "conversion") != NULL);
    jg_report_free(rep);
    jg_journeys_free(js);
  }
}

static void test_paths_csv(void) {
  static const char text[] =
      "path,total_conversions,total_null,total_conversion_value\n"
      "a > b,2,1,20\n"
      "b,1,3,5\n"
      "a,0,2,0\n";
  static const char file[] = JG_TEST_TMP_DIR "/test_journeys_paths.csv";
  jg_journeys *a = NULL, *b = NULL, *c = NULL;
  jg_path_arrays golden = string_paths();
  jg_report* rep = NULL;

  CHECK_OK(jg_journeys_parse_paths_csv(text, strlen(text), "paths.csv", NULL, NULL, &a, NULL));
  CHECK_OK(jg_journeys_from_paths(&golden, NULL, &c, NULL));
  CHECK(same_journeys(a, c));
  write_file(file, text);
  CHECK_OK(jg_journeys_read_paths_csv(file, NULL, NULL, &b, &rep));
  CHECK(same_journeys(a, b));
  CHECK(counts_of(rep).rows == 3);
  jg_report_free(rep);
  jg_journeys_free(b);

  /* Other column names, delimiter and separator; an absent optional column is noted. */
  {
    static const char t2[] = "route\tconv\na | b\t2\nb\t1\n";
    jg_path_csv_options o = JG_PATH_CSV_OPTIONS_INIT;
    size_t n_notes = 0, i;
    int found = 0;
    o.delimiter = '\t';
    o.path.name = "route";
    o.conversions.name = "conv";
    o.separator = "|";
    CHECK_OK(jg_journeys_parse_paths_csv(t2, strlen(t2), "t2.tsv", &o, NULL, &b, &rep));
    CHECK_STR(path_of(b, 0), "a > b");
    check_outcome(b, 0, 2, 0, 0);
    CHECK_OK(jg_report_note_count(rep, &n_notes));
    CHECK(n_notes == 2);
    for (i = 0; i < n_notes; ++i) {
      const char* note = NULL;
      CHECK_OK(jg_report_note(rep, i, &note));
      if (note && strstr(note, "total_null")) found = 1;
    }
    CHECK(found);
    jg_report_free(rep);
    jg_journeys_free(b);
  }

  /* The reference data set. */
  {
    jg_journeys_info info = JG_JOURNEYS_INFO_INIT;
    CHECK_OK(jg_journeys_read_paths_csv(JG_TEST_DATA_DIR "/reference/pathdata.csv", NULL, NULL, &b, NULL));
    CHECK_OK(jg_journeys_get_info(b, &info));
    CHECK(info.n_journeys == 10000);
    CHECK(info.total_conversions == 19785);
    CHECK(info.total_nulls == 68602);
    jg_journeys_free(b);
  }
  jg_journeys_free(c);
  jg_journeys_free(a);
}

static void test_csv_errors(void) {
  jg_journeys* js = NULL;
  jg_report* rep = NULL;
  static const char neg[] = "path,total_conversions\na > b,1\nb,-1\n";
  static const char header_only[] = "path,total_conversions\n";
  static const char no_column[] = "route,total_conversions\na,1\n";
  static const char bad_time[] = "journey_id,timestamp,touchpoint\n1,2024-13-01,a\n";
  static const char bad_file[] = JG_TEST_TMP_DIR "/test_journeys_bad.csv";

  /* Parse errors name file, line, column, field and value. */
  CHECK_ERR(jg_journeys_parse_paths_csv(neg, strlen(neg), "neg.csv", NULL, NULL, &js, NULL), JG_EPARSE,
            "neg.csv:3:3: field 'total_conversions': negative count \"-1\"");
  write_file(bad_file, neg);
  CHECK_ERR(jg_journeys_read_paths_csv(bad_file, NULL, NULL, &js, NULL), JG_EPARSE,
            "test_journeys_bad.csv:3:3: field 'total_conversions'");
  CHECK_ERR(jg_journeys_parse_events_csv(bad_time, strlen(bad_time), "t.csv", NULL, NULL, NULL, &js, NULL),
            JG_EPARSE, "t.csv:2:3: field 'timestamp'");
  CHECK_ERR(jg_journeys_parse_paths_csv(no_column, strlen(no_column), "nc.csv", NULL, NULL, &js, NULL), JG_EPARSE,
            "nc.csv:1");
  /* No rows. */
  CHECK_ERR(jg_journeys_parse_paths_csv(header_only, strlen(header_only), "h.csv", NULL, NULL, &js, NULL), JG_EDATA,
            "h.csv: no paths");
  CHECK_ERR(jg_journeys_parse_events_csv("journey_id,timestamp,touchpoint\n", 32, "e.csv", NULL, NULL, NULL, &js, NULL),
            JG_EDATA, "e.csv: no events");
  CHECK_ERR(jg_journeys_parse_paths_csv(NULL, 0, "empty.csv", NULL, NULL, &js, NULL), JG_EPARSE, "empty.csv");
  /* Files that cannot be read. */
  CHECK_ERR(jg_journeys_read_paths_csv(JG_TEST_TMP_DIR "/no/such/file.csv", NULL, NULL, &js, NULL), JG_EIO,
            "cannot open");
  CHECK_ERR(jg_journeys_read_events_csv(JG_TEST_TMP_DIR "/no/such/file.csv", NULL, NULL, NULL, &js, NULL), JG_EIO,
            "no/such/file.csv");
  /* Skipping bad rows: counted, with the message of the skipped row. */
  {
    jg_path_csv_options o = JG_PATH_CSV_OPTIONS_INIT;
    size_t n = 0;
    const char* msg = NULL;
    o.skip_bad_rows = 1;
    CHECK_OK(jg_journeys_parse_paths_csv(neg, strlen(neg), "neg.csv", &o, NULL, &js, &rep));
    CHECK(n_journeys(js) == 1);
    CHECK(counts_of(rep).rows_skipped == 1);
    CHECK_OK(jg_report_skipped_example_count(rep, &n));
    CHECK(n == 1);
    CHECK_OK(jg_report_skipped_example(rep, 0, &msg));
    CHECK(msg != NULL && strstr(msg, "neg.csv:3:3") != NULL);
    CHECK_ERR(jg_report_skipped_example(rep, 1, &msg), JG_EINVAL, "skipped example 1 is out of range (there are 1)");
    CHECK(msg == NULL);
    jg_report_free(rep);
    jg_journeys_free(js);
    js = NULL;
  }
  /* Invalid arguments and options. */
  {
    jg_event_csv_options eo = JG_EVENT_CSV_OPTIONS_INIT;
    jg_path_csv_options po = JG_PATH_CSV_OPTIONS_INIT;
    jg_journey_options jo = JG_JOURNEY_OPTIONS_INIT;
    jg_exec_options xo = JG_EXEC_OPTIONS_INIT;
    CHECK_ERR(jg_journeys_read_paths_csv(NULL, NULL, NULL, &js, NULL), JG_EINVAL, "file is NULL");
    CHECK_ERR(jg_journeys_read_paths_csv(bad_file, NULL, NULL, NULL, NULL), JG_EINVAL, "out_journeys is NULL");
    CHECK_ERR(jg_journeys_read_events_csv(NULL, NULL, NULL, NULL, &js, NULL), JG_EINVAL, "file is NULL");
    CHECK_ERR(jg_journeys_read_events_csv(bad_file, NULL, NULL, NULL, NULL, NULL), JG_EINVAL, "out_journeys is NULL");
    CHECK_ERR(jg_journeys_parse_paths_csv(NULL, 5, "x", NULL, NULL, &js, NULL), JG_EINVAL, "text is NULL");
    CHECK_ERR(jg_journeys_parse_paths_csv(neg, strlen(neg), NULL, NULL, NULL, &js, NULL), JG_EINVAL, "name is NULL");
    CHECK_ERR(jg_journeys_parse_paths_csv(neg, strlen(neg), "x", NULL, NULL, NULL, NULL), JG_EINVAL,
              "out_journeys is NULL");
    CHECK_ERR(jg_journeys_parse_events_csv(NULL, 5, "x", NULL, NULL, NULL, &js, NULL), JG_EINVAL, "text is NULL");
    CHECK_ERR(jg_journeys_parse_events_csv(bad_time, strlen(bad_time), NULL, NULL, NULL, NULL, &js, NULL), JG_EINVAL,
              "name is NULL");
    CHECK_ERR(jg_journeys_parse_events_csv(bad_time, strlen(bad_time), "x", NULL, NULL, NULL, NULL, NULL), JG_EINVAL,
              "out_journeys is NULL");
    eo.version = 0;
    CHECK_ERR(jg_journeys_read_events_csv(bad_file, &eo, NULL, NULL, &js, NULL), JG_EINVAL,
              "jg_event_csv_options.version is 0");
    CHECK_ERR(jg_journeys_parse_events_csv(bad_time, strlen(bad_time), "x", &eo, NULL, NULL, &js, NULL), JG_EINVAL,
              "jg_event_csv_options.version is 0");
    eo = (jg_event_csv_options)JG_EVENT_CSV_OPTIONS_INIT;
    eo.integer_time_unit = (jg_time_unit)-1;
    CHECK_ERR(jg_journeys_read_events_csv(bad_file, &eo, NULL, NULL, &js, NULL), JG_EINVAL,
              "options->integer_time_unit is -1");
    jo.version = 0;
    CHECK_ERR(jg_journeys_read_events_csv(bad_file, NULL, &jo, NULL, &js, NULL), JG_EINVAL,
              "jg_journey_options.version is 0");
    xo.version = 0;
    CHECK_ERR(jg_journeys_read_events_csv(bad_file, NULL, NULL, &xo, &js, NULL), JG_EINVAL,
              "jg_exec_options.version is 0");
    CHECK_ERR(jg_journeys_read_paths_csv(bad_file, NULL, &xo, &js, NULL), JG_EINVAL, "jg_exec_options.version is 0");
    CHECK_ERR(jg_journeys_parse_paths_csv(neg, strlen(neg), "x", NULL, &xo, &js, NULL), JG_EINVAL,
              "jg_exec_options.version is 0");
    po.version = 3;
    CHECK_ERR(jg_journeys_read_paths_csv(bad_file, &po, NULL, &js, NULL), JG_EINVAL, "jg_path_csv_options.version is 3");
    po = (jg_path_csv_options)JG_PATH_CSV_OPTIONS_INIT;
    po.separator = "";
    CHECK_ERR(jg_journeys_read_paths_csv(bad_file, &po, NULL, &js, NULL), JG_EINVAL, "the path separator is empty");
    po = (jg_path_csv_options)JG_PATH_CSV_OPTIONS_INIT;
    po.path.name = NULL;
    CHECK_ERR(jg_journeys_read_paths_csv(bad_file, &po, NULL, &js, NULL), JG_EINVAL, "the path column name is empty");
  }
  CHECK(js == NULL);
}

static int cancel_reading(double fraction, const char* stage, void* user) {
  (void)user;
  CHECK(fraction >= 0.0 && fraction <= 1.0);
  CHECK_STR(stage, "read");
  return 1;
}

static void test_csv_cancel(void) {
  /* Progress is reported every 65536 rows: 70000 rows get one call, which cancels. */
  const size_t rows = 70000;
  const char header[] = "path,total_conversions\n";
  const char row[] = "a > b,1\n";
  size_t size = strlen(header) + rows * strlen(row), i;
  char* text = (char*)malloc(size + 1);
  char* at = text;
  jg_journeys* js = NULL;
  jg_exec_options x = JG_EXEC_OPTIONS_INIT;
  REQUIRE(text != NULL);
  memcpy(at, header, strlen(header));
  at += strlen(header);
  for (i = 0; i < rows; ++i, at += strlen(row)) memcpy(at, row, strlen(row));
  *at = '\0';
  x.progress = cancel_reading;
  CHECK_ERR(jg_journeys_parse_paths_csv(text, size, "big.csv", NULL, &x, &js, NULL), JG_EINTERRUPTED,
            "cancelled by the progress callback while reading big.csv");
  CHECK(js == NULL);
  x.progress = NULL;
  CHECK_OK(jg_journeys_parse_paths_csv(text, size, "big.csv", NULL, &x, &js, NULL));
  CHECK(n_journeys(js) == rows);
  jg_journeys_free(js);
  free(text);
}

/* --------------------------------------------------------------------------------- sample, access */

static void test_sample(void) {
  jg_journeys *a = NULL, *b = NULL, *c = NULL;
  jg_report* rep = NULL;
  jg_journeys_info info = JG_JOURNEYS_INFO_INIT;
  jg_journey_options o = JG_JOURNEY_OPTIONS_INIT;
  const char* seg = NULL;

  CHECK_OK(jg_journeys_sample(300, 42, NULL, NULL, &a, &rep));
  CHECK_OK(jg_journeys_get_info(a, &info));
  CHECK(info.n_journeys > 300);
  CHECK(info.has_timestamps == 1 && info.has_segments == 1 && info.n_segments == 2);
  CHECK(info.total_conversions > 0 && info.total_value > 0);
  CHECK(counts_of(rep).rows >= info.n_touches);
  CHECK_OK(jg_journeys_segment_name(a, 0, &seg));
  CHECK(seg != NULL && (strcmp(seg, "mobile") == 0 || strcmp(seg, "desktop") == 0));
  jg_report_free(rep);

  /* Same seed, same journeys; another seed, other journeys. */
  CHECK_OK(jg_journeys_sample(300, 42, NULL, NULL, &b, NULL));
  CHECK(same_journeys(a, b));
  jg_journeys_free(b);
  CHECK_OK(jg_journeys_sample(300, 7, NULL, NULL, &b, NULL));
  CHECK(!same_journeys(a, b));
  jg_journeys_free(b);

  /* Journey options apply. */
  o.use_lookback = 1;
  o.lookback_seconds = 86400;
  CHECK_OK(jg_journeys_sample(300, 42, &o, NULL, &c, &rep));
  CHECK(counts_of(rep).touches_dropped_lookback > 0);
  jg_report_free(rep);
  jg_journeys_free(c);

  /* No customers, no journeys. */
  CHECK_OK(jg_journeys_sample(0, 42, NULL, NULL, &c, NULL));
  CHECK(n_journeys(c) == 0);
  jg_journeys_free(c);
  c = NULL;

  CHECK_ERR(jg_journeys_sample(300, 42, NULL, NULL, NULL, NULL), JG_EINVAL, "out_journeys is NULL");
  o.version = 0;
  CHECK_ERR(jg_journeys_sample(300, 42, &o, NULL, &c, NULL), JG_EINVAL, "jg_journey_options.version is 0");
  {
    jg_exec_options x = JG_EXEC_OPTIONS_INIT;
    x.version = 5;
    CHECK_ERR(jg_journeys_sample(300, 42, NULL, &x, &c, NULL), JG_EINVAL, "jg_exec_options.version is 5");
  }
  CHECK(c == NULL);
  jg_journeys_free(a);
}

static void test_access_errors(void) {
  jg_path_arrays p = string_paths();
  jg_journeys* js = NULL;
  jg_journeys_info info = JG_JOURNEYS_INFO_INIT;
  uint32_t path[4] = {9, 9, 9, 9}, seg = 0;
  int64_t times[4];
  size_t len = 77;
  char text[16];
  const char* name = NULL;
  double c, n, v;
  REQUIRE_OK(jg_journeys_from_paths(&p, NULL, &js, NULL));

  CHECK_ERR(jg_journeys_get_info(NULL, &info), JG_EINVAL, "journeys is NULL");
  CHECK_ERR(jg_journeys_get_info(js, NULL), JG_EINVAL, "out_info is NULL");
  info.version = 0;
  CHECK_ERR(jg_journeys_get_info(js, &info), JG_EINVAL, "jg_journeys_info.version is 0");

  CHECK_ERR(jg_journeys_touchpoint_name(NULL, 0, &name), JG_EINVAL, "journeys is NULL");
  CHECK_ERR(jg_journeys_touchpoint_name(js, 0, NULL), JG_EINVAL, "out_name is NULL");
  CHECK_ERR(jg_journeys_touchpoint_name(js, 2, &name), JG_EINVAL, "touchpoint id 2 is out of range (there are 2)");
  CHECK(name == NULL);
  CHECK_ERR(jg_journeys_segment_name(NULL, 0, &name), JG_EINVAL, "journeys is NULL");
  CHECK_ERR(jg_journeys_segment_name(js, 0, NULL), JG_EINVAL, "out_name is NULL");
  CHECK_ERR(jg_journeys_segment_name(js, 0, &name), JG_EINVAL, "segment id 0 is out of range (there are 0)");

  /* Caller buffers: size query, too small, exact. */
  CHECK_OK(jg_journeys_path(js, 0, NULL, 0, &len));
  CHECK(len == 2);
  len = 0;
  CHECK_ERR(jg_journeys_path(js, 0, path, 1, &len), JG_EBUFS, "out_touchpoints holds 1 elements but 2 are needed");
  CHECK(len == 2 && path[0] == 9);
  CHECK_OK(jg_journeys_path(js, 0, path, 2, &len));
  CHECK(len == 2 && path[0] == 0 && path[1] == 1 && path[2] == 9);
  CHECK_ERR(jg_journeys_path(js, 0, NULL, 2, &len), JG_EINVAL, "out_touchpoints is NULL but capacity is 2");
  CHECK_ERR(jg_journeys_path(js, 0, path, 4, NULL), JG_EINVAL, "out_len is NULL");
  CHECK_ERR(jg_journeys_path(NULL, 0, path, 4, &len), JG_EINVAL, "journeys is NULL");
  CHECK_ERR(jg_journeys_path(js, 3, path, 4, &len), JG_EINVAL, "journey 3 is out of range (there are 3)");

  CHECK_ERR(jg_journeys_times(NULL, 0, times, 4, &len), JG_EINVAL, "journeys is NULL");
  CHECK_ERR(jg_journeys_times(js, 0, times, 4, NULL), JG_EINVAL, "out_len is NULL");
  CHECK_ERR(jg_journeys_times(js, 9, times, 4, &len), JG_EINVAL, "journey 9 is out of range");

  CHECK_ERR(jg_journeys_outcome(NULL, 0, &c, &n, &v), JG_EINVAL, "journeys is NULL");
  CHECK_ERR(jg_journeys_outcome(js, 0, NULL, &n, &v), JG_EINVAL, "out_conversions is NULL");
  CHECK_ERR(jg_journeys_outcome(js, 0, &c, NULL, &v), JG_EINVAL, "out_nulls is NULL");
  CHECK_ERR(jg_journeys_outcome(js, 0, &c, &n, NULL), JG_EINVAL, "out_value is NULL");
  CHECK_ERR(jg_journeys_outcome(js, 3, &c, &n, &v), JG_EINVAL, "journey 3 is out of range");

  CHECK_ERR(jg_journeys_segment(NULL, 0, &seg), JG_EINVAL, "journeys is NULL");
  CHECK_ERR(jg_journeys_segment(js, 0, NULL), JG_EINVAL, "out_segment is NULL");
  CHECK_ERR(jg_journeys_segment(js, 3, &seg), JG_EINVAL, "journey 3 is out of range");

  /* Strings: *out_len counts the NUL. */
  CHECK_OK(jg_journeys_path_string(js, 0, NULL, NULL, 0, &len));
  CHECK(len == 6); /* "a > b" */
  CHECK_ERR(jg_journeys_path_string(js, 0, NULL, text, 5, &len), JG_EBUFS, "out holds 5 elements but 6 are needed");
  CHECK(len == 6);
  CHECK_OK(jg_journeys_path_string(js, 0, NULL, text, 6, &len));
  CHECK_STR(text, "a > b");
  CHECK_OK(jg_journeys_path_string(js, 0, ",", text, sizeof text, &len));
  CHECK_STR(text, "a,b");
  CHECK(len == 4);
  CHECK_ERR(jg_journeys_path_string(NULL, 0, NULL, text, 16, &len), JG_EINVAL, "journeys is NULL");
  CHECK_ERR(jg_journeys_path_string(js, 0, NULL, text, 16, NULL), JG_EINVAL, "out_len is NULL");
  CHECK_ERR(jg_journeys_path_string(js, 0, NULL, NULL, 16, &len), JG_EINVAL, "out is NULL but capacity is 16");
  CHECK_ERR(jg_journeys_path_string(js, 5, NULL, text, 16, &len), JG_EINVAL, "journey 5 is out of range");
  jg_journeys_free(js);
}

static void test_slice_subset_write(void) {
  jg_event_arrays ev = events_fixture();
  jg_path_arrays p = string_paths();
  jg_journeys *events = NULL, *paths = NULL, *part = NULL, *back = NULL;
  static const char file[] = JG_TEST_TMP_DIR "/test_journeys_written.csv";
  REQUIRE_OK(jg_journeys_from_events(&ev, NULL, NULL, &events, NULL));
  REQUIRE_OK(jg_journeys_from_paths(&p, NULL, &paths, NULL));

  /* Slices keep journeys [first, first + count). */
  CHECK_OK(jg_journeys_slice(events, 1, 2, &part));
  CHECK(n_journeys(part) == 2);
  CHECK_STR(path_of(part, 0), "search");
  CHECK_STR(path_of(part, 1), "email > email");
  jg_journeys_free(part);
  CHECK_OK(jg_journeys_slice(events, 3, 0, &part));
  CHECK(n_journeys(part) == 0);
  jg_journeys_free(part);
  part = (jg_journeys*)&ev;
  CHECK_ERR(jg_journeys_slice(events, 2, 2, &part), JG_EINVAL, "slice [2, 4) is outside the 3 journeys");
  CHECK(part == NULL);
  CHECK_ERR(jg_journeys_slice(NULL, 0, 1, &part), JG_EINVAL, "journeys is NULL");
  CHECK_ERR(jg_journeys_slice(events, 0, 1, NULL), JG_EINVAL, "out_journeys is NULL");

  /* Segment subsets: desktop (1) is journey id 3's journey only. */
  CHECK_OK(jg_journeys_segment_subset(events, 1, &part));
  CHECK(n_journeys(part) == 1);
  CHECK_STR(path_of(part, 0), "email > email");
  jg_journeys_free(part);
  CHECK_OK(jg_journeys_segment_subset(events, 0, &part));
  CHECK(n_journeys(part) == 2);
  jg_journeys_free(part);
  CHECK_ERR(jg_journeys_segment_subset(events, 2, &part), JG_EINVAL, "segment id 2 is out of range");
  CHECK_ERR(jg_journeys_segment_subset(paths, 0, &part), JG_ESTATE, "the journeys have no segments");
  CHECK_ERR(jg_journeys_segment_subset(NULL, 0, &part), JG_EINVAL, "journeys is NULL");
  CHECK_ERR(jg_journeys_segment_subset(events, 0, NULL), JG_EINVAL, "out_journeys is NULL");
  CHECK(part == NULL);

  /* Write and read back. */
  CHECK_OK(jg_journeys_write_paths_csv(paths, file, NULL));
  CHECK_OK(jg_journeys_read_paths_csv(file, NULL, NULL, &back, NULL));
  CHECK(same_journeys(paths, back));
  jg_journeys_free(back);
  CHECK_OK(jg_journeys_write_paths_csv(paths, file, " | "));
  {
    jg_path_csv_options o = JG_PATH_CSV_OPTIONS_INIT;
    o.separator = "|";
    CHECK_OK(jg_journeys_read_paths_csv(file, &o, NULL, &back, NULL));
    CHECK(same_journeys(paths, back));
    jg_journeys_free(back);
  }
  CHECK_ERR(jg_journeys_write_paths_csv(paths, file, "a"), JG_EINVAL, "touchpoint \"a\" contains the path separator");
  CHECK_ERR(jg_journeys_write_paths_csv(paths, JG_TEST_TMP_DIR "/no/such/dir/x.csv", NULL), JG_EIO, "cannot write");
  CHECK_ERR(jg_journeys_write_paths_csv(NULL, file, NULL), JG_EINVAL, "journeys is NULL");
  CHECK_ERR(jg_journeys_write_paths_csv(paths, NULL, NULL), JG_EINVAL, "file is NULL");

  jg_journeys_free(paths);
  jg_journeys_free(events);
  jg_journeys_free(NULL);
}

static void test_report_errors(void) {
  jg_path_arrays p = string_paths();
  jg_journeys* js = NULL;
  jg_report* rep = NULL;
  jg_report_counts c = JG_REPORT_COUNTS_INIT;
  char buf[512];
  size_t len = 0, n = 0;
  const char* s = NULL;
  REQUIRE_OK(jg_journeys_from_paths(&p, NULL, &js, &rep));

  CHECK_ERR(jg_report_get_counts(NULL, &c), JG_EINVAL, "report is NULL");
  CHECK_ERR(jg_report_get_counts(rep, NULL), JG_EINVAL, "out_counts is NULL");
  c.version = 0;
  CHECK_ERR(jg_report_get_counts(rep, &c), JG_EINVAL, "jg_report_counts.version is 0");

  CHECK_OK(jg_report_summary(rep, NULL, 0, &len));
  CHECK(len > 1 && len <= sizeof buf);
  CHECK_ERR(jg_report_summary(rep, buf, len - 1, &n), JG_EBUFS, "are needed");
  CHECK(n == len);
  CHECK_OK(jg_report_summary(rep, buf, sizeof buf, &n));
  CHECK(n == len && strlen(buf) + 1 == len);
  CHECK(strstr(buf, "3") != NULL);
  CHECK_ERR(jg_report_summary(NULL, buf, sizeof buf, &n), JG_EINVAL, "report is NULL");
  CHECK_ERR(jg_report_summary(rep, buf, sizeof buf, NULL), JG_EINVAL, "out_len is NULL");
  CHECK_ERR(jg_report_summary(rep, NULL, 4, &n), JG_EINVAL, "out is NULL but capacity is 4");

  CHECK_OK(jg_report_note_count(rep, &n));
  CHECK(n == 0);
  CHECK_ERR(jg_report_note_count(NULL, &n), JG_EINVAL, "report is NULL");
  CHECK_ERR(jg_report_note_count(rep, NULL), JG_EINVAL, "out_count is NULL");
  CHECK_ERR(jg_report_note(rep, 0, &s), JG_EINVAL, "note 0 is out of range (there are 0)");
  CHECK_ERR(jg_report_note(NULL, 0, &s), JG_EINVAL, "report is NULL");
  CHECK_ERR(jg_report_note(rep, 0, NULL), JG_EINVAL, "out_note is NULL");
  CHECK_OK(jg_report_skipped_example_count(rep, &n));
  CHECK(n == 0);
  CHECK_ERR(jg_report_skipped_example_count(NULL, &n), JG_EINVAL, "report is NULL");
  CHECK_ERR(jg_report_skipped_example_count(rep, NULL), JG_EINVAL, "out_count is NULL");
  CHECK_ERR(jg_report_skipped_example(NULL, 0, &s), JG_EINVAL, "report is NULL");
  CHECK_ERR(jg_report_skipped_example(rep, 0, NULL), JG_EINVAL, "out_message is NULL");

  jg_report_free(rep);
  jg_report_free(NULL);
  jg_journeys_free(js);
}

/* ------------------------------------------------------------------ bad-input catalogue (A01 - A19) */

/* The rows of the "Arrays through the C ABI" table of tests/BAD_INPUTS.md that the tests above do not
 * already check with the catalogued message. Each block is labelled with its row. */
static void test_bad_input_arrays(void) {
  static const int64_t ids[5] = {5, 2, 5, 9, 2};
  static const uint32_t touch[5] = {0, 1, 2, 0, 0};
  static const char* const names[3] = {"a", "b", "c"};
  static const uint8_t conv[5] = {0, 0, 1, 0, 0};
  jg_event_arrays ev = JG_EVENT_ARRAYS_INIT;
  jg_journeys* js = NULL;
  jg_report* rep = NULL;
  jg_report_counts c;
  ev.n_events = 5;
  ev.journey = ids;
  ev.touchpoint = touch;
  ev.touchpoint_names = names;
  ev.n_touchpoint_names = 3;
  ev.conversion = conv;

  /* A01: NULL handles and outputs name the function and the argument; outputs stay NULL. */
  js = (jg_journeys*)&ev;
  CHECK_ERR(jg_journeys_from_events(NULL, NULL, NULL, &js, NULL), JG_EINVAL, "jg_journeys_from_events: events is NULL");
  CHECK(js == NULL);
  CHECK_ERR(jg_journeys_from_paths(NULL, NULL, &js, NULL), JG_EINVAL, "jg_journeys_from_paths: paths is NULL");
  CHECK_ERR(jg_journeys_from_events(&ev, NULL, NULL, NULL, NULL), JG_EINVAL,
            "jg_journeys_from_events: out_journeys is NULL");
  {
    jg_journeys_info info = JG_JOURNEYS_INFO_INIT;
    CHECK_ERR(jg_journeys_get_info(NULL, &info), JG_EINVAL, "jg_journeys_get_info: journeys is NULL");
  }

  /* A02: a NULL required array while n > 0. */
  {
    jg_event_arrays e = ev;
    e.journey = NULL;
    CHECK_ERR(jg_journeys_from_events(&e, NULL, NULL, &js, NULL), JG_EINVAL,
              "jg_journeys_from_events: events->journey is NULL");
    e = ev;
    e.touchpoint_names = NULL;
    CHECK_ERR(jg_journeys_from_events(&e, NULL, NULL, &js, NULL), JG_EINVAL,
              "jg_journeys_from_events: events->touchpoint_names is NULL");
  }

  /* A03: n = 0 with every array NULL: an empty set, nothing counted. */
  {
    jg_event_arrays e = JG_EVENT_ARRAYS_INIT;
    jg_path_arrays p = JG_PATH_ARRAYS_INIT;
    CHECK_OK(jg_journeys_from_events(&e, NULL, NULL, &js, &rep));
    CHECK(n_journeys(js) == 0);
    c = counts_of(rep);
    CHECK(c.rows == 0 && c.journeys == 0 && c.touches == 0);
    jg_report_free(rep);
    jg_journeys_free(js);
    CHECK_OK(jg_journeys_from_paths(&p, NULL, &js, &rep));
    CHECK(n_journeys(js) == 0);
    CHECK(counts_of(rep).rows == 0);
    jg_report_free(rep);
    jg_journeys_free(js);
  }

  /* A04: interleaved ids are grouped; journeys keep the order of their first event (5, 2, 9); without
   * times a journey's events keep their input order. */
  CHECK_OK(jg_journeys_from_events(&ev, NULL, NULL, &js, &rep));
  CHECK(n_journeys(js) == 3);
  CHECK_STR(path_of(js, 0), "a > c");
  check_outcome(js, 0, 1, 0, 0);
  CHECK_STR(path_of(js, 1), "b > a");
  CHECK_STR(path_of(js, 2), "a");
  CHECK(counts_of(rep).reordered_events == 0);
  jg_report_free(rep);
  jg_journeys_free(js);

  /* A05: times out of order within a journey are sorted stably (equal times keep the input order). */
  {
    static const int64_t one[5] = {1, 1, 1, 1, 1};
    static const int64_t t[5] = {30, 10, 10, 20, 10};
    static const uint32_t tp[5] = {0, 1, 2, 0, 1};
    int64_t times[5];
    size_t len = 0;
    jg_event_arrays e = JG_EVENT_ARRAYS_INIT;
    e.n_events = 5;
    e.journey = one;
    e.time = t;
    e.touchpoint = tp;
    e.touchpoint_names = names;
    e.n_touchpoint_names = 3;
    CHECK_OK(jg_journeys_from_events(&e, NULL, NULL, &js, &rep));
    CHECK_STR(path_of(js, 0), "b > c > b > a > a");
    CHECK_OK(jg_journeys_times(js, 0, times, 5, &len));
    CHECK(len == 5 && times[0] == 10 && times[2] == 10 && times[3] == 20 && times[4] == 30);
    c = counts_of(rep);
    CHECK(c.reordered_events == 2);
    jg_report_free(rep);
    jg_journeys_free(js);
  }

  /* A06: codes out of range of the names array (events, code-form paths). */
  {
    static const uint32_t bad[5] = {0, 1, 3, 0, 0};
    jg_event_arrays e = ev;
    jg_path_arrays p = code_paths();
    static const uint32_t out_of_range[4] = {0, 1, 7, 0};
    e.touchpoint = bad;
    CHECK_ERR(jg_journeys_from_events(&e, NULL, NULL, &js, NULL), JG_EINVAL, "event 2: touchpoint code 3 is outside [0, 3)");
    p.touches = out_of_range;
    CHECK_ERR(jg_journeys_from_paths(&p, NULL, &js, NULL), JG_EINVAL,
              "row 1, column 'touches': touchpoint code 7 is not below the 2 names");
  }

  /* A07: an empty name names its array and entry. */
  {
    static const char* const empty[3] = {"a", "", "c"};
    jg_event_arrays e = ev;
    jg_path_arrays p = code_paths();
    e.touchpoint_names = empty;
    CHECK_ERR(jg_journeys_from_events(&e, NULL, NULL, &js, NULL), JG_EINVAL,
              "jg_journeys_from_events: events->touchpoint_names[1] is empty");
    p.touchpoint_names = empty;
    CHECK_ERR(jg_journeys_from_paths(&p, NULL, &js, NULL), JG_EINVAL,
              "jg_journeys_from_paths: paths->touchpoint_names[1] is empty");
  }

  /* A08: names of blanks are names: kept byte for byte (only path strings are trimmed). */
  {
    static const char* const blank[3] = {"a", "  ", "c"};
    const char* name = NULL;
    jg_event_arrays e = ev;
    e.touchpoint_names = blank;
    CHECK_OK(jg_journeys_from_events(&e, NULL, NULL, &js, NULL));
    CHECK_OK(jg_journeys_touchpoint_name(js, 1, &name));
    CHECK_STR(name, "  ");
    jg_journeys_free(js);
  }

  /* A09: invalid UTF-8 in a name or a path string: the entry or row, the bytes and the byte offset. */
  {
    static const char* const latin1[3] = {"a", "caf\xe9", "c"};
    static const char* const bad_path[1] = {"a > \xc3\x28"};
    jg_event_arrays e = ev;
    jg_path_arrays p = code_paths();
    jg_path_arrays s = string_paths();
    e.touchpoint_names = latin1;
    CHECK_ERR(jg_journeys_from_events(&e, NULL, NULL, &js, NULL), JG_EINVAL,
              "touchpoint name 1 \"caf\\xE9\" is not valid UTF-8 (byte 3)");
    p.touchpoint_names = latin1;
    CHECK_ERR(jg_journeys_from_paths(&p, NULL, &js, NULL), JG_EINVAL,
              "touchpoint name 1 \"caf\\xE9\" is not valid UTF-8 (byte 3)");
    s.n_paths = 1;
    s.paths = bad_path;
    CHECK_ERR(jg_journeys_from_paths(&s, NULL, &js, NULL), JG_EINVAL,
              "row 0, column 'paths': path \"a > \\xC3(\" is not valid UTF-8 (byte 4)");
  }

  /* A10: a duplicated name names both entries. */
  {
    static const char* const dup[3] = {"a", "b", "a"};
    static const char* const dup_seg[2] = {"web", "web"};
    static const uint32_t seg[5] = {0, 0, 0, 0, 0};
    jg_event_arrays e = ev;
    jg_path_arrays p = code_paths();
    e.touchpoint_names = dup;
    CHECK_ERR(jg_journeys_from_events(&e, NULL, NULL, &js, NULL), JG_EINVAL,
              "jg_journeys_from_events: events->touchpoint_names[2] \"a\" appears twice (entries 0 and 2)");
    p.touchpoint_names = dup;
    p.n_touchpoint_names = 3;
    CHECK_ERR(jg_journeys_from_paths(&p, NULL, &js, NULL), JG_EINVAL,
              "paths->touchpoint_names[2] \"a\" appears twice (entries 0 and 2)");
    e = ev;
    e.segment = seg;
    e.segment_names = dup_seg;
    e.n_segment_names = 2;
    CHECK_ERR(jg_journeys_from_events(&e, NULL, NULL, &js, NULL), JG_EINVAL,
              "events->segment_names[1] \"web\" appears twice (entries 0 and 1)");
  }

  /* A11: negative or non-finite counts and values of path rows name the row and the value. */
  {
    static const double neg[3] = {2, -1, 0};
    static const double nan_c[3] = {2, 1, NAN};
    static const double inf_c[3] = {2, INFINITY, 0};
    static const double neg_v[3] = {20, -2, 0};
    jg_path_arrays p = string_paths();
    p.nulls = neg;
    CHECK_ERR(jg_journeys_from_paths(&p, NULL, &js, NULL), JG_EINVAL, "row 1, column 'nulls': negative count -1");
    p = string_paths();
    p.conversions = nan_c;
    CHECK_ERR(jg_journeys_from_paths(&p, NULL, &js, NULL), JG_EINVAL, "row 2, column 'conversions': expected a finite count, got nan");
    p.conversions = inf_c;
    CHECK_ERR(jg_journeys_from_paths(&p, NULL, &js, NULL), JG_EINVAL, "row 1, column 'conversions': expected a finite count, got inf");
    p = string_paths();
    p.values = neg_v;
    CHECK_ERR(jg_journeys_from_paths(&p, NULL, &js, NULL), JG_EINVAL, "row 1, column 'values': negative value -2");
  }

  /* A12: conversion values of events: NaN, infinite and negative ones on converting events fail; on
   * other events values are ignored (non-zero ones other than NaN are counted). */
  {
    static const double nan_v[5] = {0, 0, NAN, 0, 0};
    static const double inf_v[5] = {0, 0, INFINITY, 0, 0};
    static const double neg_v[5] = {0, 0, -3, 0, 0};
    static const double off_v[5] = {NAN, -1, 4, 0, 0};
    jg_event_arrays e = ev;
    e.value = nan_v;
    CHECK_ERR(jg_journeys_from_events(&e, NULL, NULL, &js, NULL), JG_EINVAL, "event 2: the conversion value is NaN");
    e.value = inf_v;
    CHECK_ERR(jg_journeys_from_events(&e, NULL, NULL, &js, NULL), JG_EINVAL,
              "event 2: the conversion value inf is not a finite number >= 0");
    e.value = neg_v;
    CHECK_ERR(jg_journeys_from_events(&e, NULL, NULL, &js, NULL), JG_EINVAL,
              "event 2: the conversion value -3 is not a finite number >= 0");
    e.value = off_v;
    CHECK_OK(jg_journeys_from_events(&e, NULL, NULL, &js, &rep));
    check_outcome(js, 0, 1, 0, 4);
    CHECK(counts_of(rep).values_ignored == 1);
    jg_report_free(rep);
    jg_journeys_free(js);
  }

  /* A13: counts and values of 2^62 or more (weights are summed exactly below 2^62). */
  {
    static const double big_c[3] = {2, 5e18, 0};
    static const double big_v[3] = {20, 5, 1e300};
    static const double conv3[3] = {2, 1, 1};
    static const double big_e[5] = {0, 0, 1e19, 0, 0};
    static const double just_below[3] = {4611686018427387903.0 / 2, 1, 0};
    jg_path_arrays p = string_paths();
    jg_event_arrays e = ev;
    p.conversions = big_c;
    CHECK_ERR(jg_journeys_from_paths(&p, NULL, &js, NULL), JG_EINVAL,
              "row 1, column 'conversions': count 5e+18 is too large (the limit is 2^62)");
    p = string_paths();
    p.nulls = big_c;
    CHECK_ERR(jg_journeys_from_paths(&p, NULL, &js, NULL), JG_EINVAL, "row 1, column 'nulls': count 5e+18 is too large (the limit is 2^62)");
    p = string_paths();
    p.conversions = conv3;
    p.values = big_v;
    CHECK_ERR(jg_journeys_from_paths(&p, NULL, &js, NULL), JG_EINVAL, "row 2, column 'values': value 1e+300 is too large (the limit is 2^62)");
    p = string_paths();
    p.conversions = just_below;
    CHECK_OK(jg_journeys_from_paths(&p, NULL, &js, NULL));
    jg_journeys_free(js);
    e.value = big_e;
    CHECK_ERR(jg_journeys_from_events(&e, NULL, NULL, &js, NULL), JG_EINVAL, "journey 0: value 1e+19 is too large (the limit is 2^62)");
  }

  /* A14: a struct version this library does not know. */
  {
    jg_event_arrays e = ev;
    jg_path_arrays p = string_paths();
    jg_journey_options o = JG_JOURNEY_OPTIONS_INIT;
    e.version = 0;
    CHECK_ERR(jg_journeys_from_events(&e, NULL, NULL, &js, NULL), JG_EINVAL,
              "jg_journeys_from_events: jg_event_arrays.version is 0 but this library");
    CHECK_ERR(jg_journeys_from_events(&e, NULL, NULL, &js, NULL), JG_EINVAL,
              "knows versions 1 to 1; initialise the struct with its _INIT macro or _init() function");
    p.version = 2;
    CHECK_ERR(jg_journeys_from_paths(&p, NULL, &js, NULL), JG_EINVAL, "jg_path_arrays.version is 2");
    o.version = 99;
    CHECK_ERR(jg_journeys_from_events(&ev, &o, NULL, &js, NULL), JG_EINVAL, "jg_journey_options.version is 99");
    CHECK_ERR(jg_event_arrays_init(&e, 5), JG_EINVAL, "5");
  }

  /* A15: out-of-range option fields name the field and the value. */
  {
    jg_event_arrays e = ev;
    jg_journey_options o = JG_JOURNEY_OPTIONS_INIT;
    static const int64_t t[5] = {1, 2, 3, 4, 5};
    e.time = t;
    e.time_unit = (jg_time_unit)-1;
    CHECK_ERR(jg_journeys_from_events(&e, NULL, NULL, &js, NULL), JG_EINVAL,
              "events->time_unit is -1; expected JG_TIME_SECONDS (0)");
    e.time_unit = JG_TIME_SECONDS;
    o.use_gap = 1;
    o.gap_seconds = NAN;
    CHECK_ERR(jg_journeys_from_events(&e, &o, NULL, &js, NULL), JG_EINVAL, "gap must be a finite number of seconds >= 0, got nan");
    o = (jg_journey_options)JG_JOURNEY_OPTIONS_INIT;
    o.use_lookback = 1;
    o.lookback_seconds = INFINITY;
    CHECK_ERR(jg_journeys_from_events(&e, &o, NULL, &js, NULL), JG_EINVAL,
              "lookback must be a finite number of seconds >= 0, got inf");
  }

  /* A16: a path string of the separator only, an empty string, a trailing separator. */
  {
    static const char* const sep_only[1] = {">"};
    static const char* const empty[1] = {""};
    static const char* const trailing[1] = {"a > b >"};
    jg_path_arrays p = string_paths();
    p.n_paths = 1;
    p.paths = sep_only;
    CHECK_ERR(jg_journeys_from_paths(&p, NULL, &js, NULL), JG_EINVAL,
              "row 0, column 'paths': empty touchpoint name at position 1 of path \">\"");
    p.paths = empty;
    CHECK_ERR(jg_journeys_from_paths(&p, NULL, &js, NULL), JG_EINVAL, "row 0, column 'paths': empty path");
    p.paths = trailing;
    CHECK_ERR(jg_journeys_from_paths(&p, NULL, &js, NULL), JG_EINVAL,
              "row 0, column 'paths': empty touchpoint name at position 3 of path \"a > b >\"");
  }

  /* A19: a touchpoint name holding the path separator is one touchpoint; writing paths with that
   * separator is refused. */
  {
    static const char* const sep_names[3] = {"a", "x > y", "c"};
    static const char file[] = JG_TEST_TMP_DIR "/test_journeys_separator.csv";
    jg_event_arrays e = ev;
    e.touchpoint_names = sep_names;
    CHECK_OK(jg_journeys_from_events(&e, NULL, NULL, &js, NULL));
    CHECK_STR(path_of(js, 1), "x > y > a");
    CHECK_ERR(jg_journeys_write_paths_csv(js, file, NULL), JG_EINVAL,
              "touchpoint \"x > y\" contains the path separator \">\"");
    CHECK_OK(jg_journeys_write_paths_csv(js, file, "|"));
    remove(file);
    jg_journeys_free(js);
  }
}

int main(void) {
  test_from_events_defaults();
  test_from_events_options();
  test_from_events_errors();
  test_from_paths();
  test_from_paths_errors();
  test_events_csv();
  test_paths_csv();
  test_csv_errors();
  test_csv_cancel();
  test_sample();
  test_access_errors();
  test_slice_subset_write();
  test_report_errors();
  test_bad_input_arrays();
  return finish("test_journeys");
}
