/* Result tables through the C ABI: every result as a jg_table, equal to what the older per-field calls
 * return, and the table accessors (types, integers, times, metadata, text forms) with their error paths.
 *
 * The golden paths of test_markov.c (order 1):
 *   "a > b"  2 conversions, 1 null, value 20
 *   "b"      1 conversion,  3 nulls, value 5
 *   "a"      0 conversions, 2 nulls
 * Removal effects a 3/7, b 1; Markov credit a 0.9, b 2.1 (value 7.5, 17.5); P(conversion) 1/3. */

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "check.h"

static const char* const kPaths[3] = {"a > b", "b", "a"};
static const double kConv[3] = {2, 1, 0};
static const double kNull[3] = {1, 3, 2};
static const double kValue[3] = {20, 5, 0};

static jg_journeys* paths(void) { return path_journeys(3, kPaths, kConv, kNull, kValue); }

/* Column `name` of t as doubles into out (at most 8 rows); returns the rows. */
static size_t numbers(const jg_table* t, const char* name, double* out) {
  size_t len = 0;
  CHECK_OK(jg_table_numbers(t, name, out, 8, &len));
  return len;
}

static double meta(const jg_table* t, const char* key) {
  double v = NAN;
  CHECK_OK(jg_table_meta_number(t, key, &v));
  return v;
}

static void test_attribution_and_removal(void) {
  jg_journeys* js = paths();
  const char* models[2] = {"markov", "linear"};
  jg_attribution_options o = JG_ATTRIBUTION_OPTIONS_INIT;
  jg_attribution* at = NULL;
  jg_table* t = NULL;
  jg_removal* re = NULL;
  double v[8], w[8];
  const char* name = NULL;
  size_t rows = 0, cols = 0, len = 0;
  o.models = models;
  o.n_models = 2;
  REQUIRE_OK(jg_attribution_create(js, &o, NULL, &at));
  REQUIRE_OK(jg_attribution_table(at, &t));
  CHECK_OK(jg_table_name(t, &name));
  CHECK_STR(name, "attribution");
  CHECK_OK(jg_table_size(t, &rows, &cols));
  CHECK(rows == 2 && cols == 7); /* touchpoint, removal_effect(_value), markov, linear, markov_value, linear_value */
  CHECK_OK(jg_table_column_name(t, 3, &name));
  CHECK_STR(name, "markov");
  CHECK(numbers(t, "markov", v) == 2);
  CHECK_OK(jg_attribution_conversions(at, "markov", w, 8, &len));
  CHECK(v[0] == w[0] && v[1] == w[1]);
  CHECK_NEAR(v[0], 0.9, 1e-14);
  CHECK(numbers(t, "linear_value", v) == 2);
  CHECK_OK(jg_attribution_value(at, "linear", w, 8, &len));
  CHECK(v[0] == w[0] && v[1] == w[1]);
  CHECK_NEAR(meta(t, "conversion_probability"), 1.0 / 3, 1e-15);
  CHECK(meta(t, "order") == 1 && meta(t, "total_conversions") == 3);
  CHECK_OK(jg_table_meta_string(t, "models", &name));
  CHECK_STR(name, "markov,linear");
  jg_table_free(t); /* a failed call sets its out_table to NULL */
  t = NULL;
  CHECK_ERR(jg_attribution_table(NULL, &t), JG_EINVAL, "attribution is NULL");
  CHECK_ERR(jg_attribution_table(at, NULL), JG_EINVAL, "out_table is NULL");
  jg_table_free(t);

  REQUIRE_OK(jg_attribution_removal(at, &re));
  REQUIRE_OK(jg_removal_table(re, &t));
  CHECK(numbers(t, "removal_effect", v) == 2);
  CHECK_OK(jg_removal_get(re, JG_REMOVAL_EFFECT, w, 8, &len));
  CHECK(v[0] == w[0] && v[1] == w[1]);
  CHECK_NEAR(v[0], 3.0 / 7, 1e-15);
  CHECK(numbers(t, "conversion_probability_without", v) == 2);
  CHECK_OK(jg_removal_get(re, JG_REMOVAL_CONVERSION_PROBABILITY_WITHOUT, w, 8, &len));
  CHECK(v[0] == w[0] && v[1] == w[1]);
  jg_table_free(t); /* a failed call sets its out_table to NULL */
  t = NULL;
  CHECK_ERR(jg_removal_table(NULL, &t), JG_EINVAL, "removal is NULL");
  jg_table_free(t);
  jg_removal_free(re);
  jg_attribution_free(at);
  jg_journeys_free(js);
}

static void test_model_tables(void) {
  jg_journeys* js = paths();
  jg_model* m = NULL;
  jg_counts* c = NULL;
  jg_analysis* an = NULL;
  jg_table* t = NULL;
  jg_transition tr[16];
  double v[8], w[8];
  const char* s = NULL;
  size_t len = 0, rows = 0, cols = 0, i;
  jg_what_if_edit edit;
  jg_what_if_result wr = JG_WHAT_IF_RESULT_INIT;
  REQUIRE_OK(jg_model_create(&m));
  REQUIRE_OK(jg_model_fit(m, js, NULL, NULL));

  REQUIRE_OK(jg_model_transition_table(m, &t));
  CHECK_OK(jg_model_transitions(m, tr, 16, &len));
  CHECK_OK(jg_table_size(t, &rows, &cols));
  CHECK(rows == len && cols == 4);
  CHECK(numbers(t, "probability", v) == 6);
  for (i = 0; i < 6; ++i) CHECK(v[i] == tr[i].probability);
  CHECK_OK(jg_table_string(t, "from", 0, &s));
  CHECK_STR(s, "(start)");
  CHECK_OK(jg_table_string(t, "to", 5, &s));
  CHECK_STR(s, "(null)");
  CHECK(meta(t, "states") == 3);
  CHECK_OK(jg_table_meta_string(t, "self_loops", &s));
  CHECK_STR(s, "drop");
  jg_table_free(t);
  {
    jg_model* unfitted = NULL;
    REQUIRE_OK(jg_model_create(&unfitted));
    CHECK_ERR(jg_model_transition_table(unfitted, &t), JG_ESTATE, "not fitted");
    CHECK_ERR(jg_model_what_if_table(unfitted, NULL, 0, &t), JG_ESTATE, "not fitted");
    jg_model_free(unfitted);
  }

  REQUIRE_OK(jg_counts_create(js, 1, JG_SELF_LOOPS_DROP, NULL, &c));
  REQUIRE_OK(jg_counts_table(c, &t));
  /* START -> a 5, START -> b 4, a -> b 3, then a -> NULL 2, b -> CONVERSION 3, b -> NULL 4. */
  CHECK(numbers(t, "count", v) == 6);
  CHECK(v[0] == 5 && v[1] == 4 && v[2] == 3 && v[3] == 2 && v[4] == 3 && v[5] == 4);
  CHECK_OK(jg_table_string(t, "to", 4, &s));
  CHECK_STR(s, "(conversion)");
  CHECK(meta(t, "journeys") == 9 && meta(t, "rows") == 3);
  jg_table_free(t); /* a failed call sets its out_table to NULL */
  t = NULL;
  CHECK_ERR(jg_counts_table(NULL, &t), JG_EINVAL, "counts is NULL");
  jg_table_free(t);
  jg_counts_free(c);

  REQUIRE_OK(jg_analysis_create(m, NULL, &an));
  REQUIRE_OK(jg_analysis_table(an, &t));
  CHECK(numbers(t, "conversion_probability", v) == 3);
  CHECK_OK(jg_analysis_get(an, JG_ANALYSIS_CONVERSION_PROBABILITY, w, 8, &len));
  for (i = 0; i < 3; ++i) CHECK(v[i] == w[i]);
  CHECK_NEAR(meta(t, "expected_touches"), 4.0 / 3, 1e-14);
  jg_table_free(t);
  REQUIRE_OK(jg_analysis_touchpoint_table(an, &t));
  CHECK(numbers(t, "expected_visits", v) == 2);
  CHECK_OK(jg_analysis_get(an, JG_ANALYSIS_TOUCHPOINT_VISITS, w, 8, &len));
  CHECK(v[0] == w[0] && v[1] == w[1]);
  jg_table_free(t); /* a failed call sets its out_table to NULL */
  t = NULL;
  CHECK_ERR(jg_analysis_table(NULL, &t), JG_EINVAL, "analysis is NULL");
  CHECK_ERR(jg_analysis_touchpoint_table(an, NULL), JG_EINVAL, "out_table is NULL");
  jg_table_free(t);
  jg_analysis_free(an);

  /* What-if: b always converts; P(conversion) = 5/9 * 3/5 + 4/9 = 7/9. */
  edit.kind = JG_WHAT_IF_SET_PROBABILITY;
  edit.from = "b";
  edit.to = "(conversion)";
  edit.probability = 1.0;
  REQUIRE_OK(jg_model_what_if_table(m, &edit, 1, &t));
  CHECK_OK(jg_model_what_if(m, &edit, 1, &wr));
  CHECK(numbers(t, "after", v) == 3);
  CHECK(v[0] == wr.conversion_probability && v[1] == wr.expected_conversions && v[2] == wr.expected_value);
  CHECK_NEAR(v[0], 7.0 / 9, 1e-14);
  CHECK(numbers(t, "change", w) == 3);
  CHECK(w[0] == v[0] - wr.conversion_probability_before);
  edit.from = "nowhere";
  jg_table_free(t); /* a failed call sets its out_table to NULL */
  t = NULL;
  CHECK_ERR(jg_model_what_if_table(m, &edit, 1, &t), JG_EINVAL, "nowhere");
  jg_table_free(t);
  jg_model_free(m);
  jg_journeys_free(js);
}

static void test_order_and_map(void) {
  jg_journeys* js = NULL;
  jg_stages* st = NULL;
  jg_map* map = NULL;
  jg_table* t = NULL;
  jg_order_options o = JG_ORDER_OPTIONS_INIT;
  jg_order_score s[4];
  jg_what_if_edit edit;
  jg_what_if_result wr = JG_WHAT_IF_RESULT_INIT;
  double v[8];
  unsigned recommended = 0;
  size_t len = 0;
  REQUIRE_OK(jg_journeys_sample(400, 3, NULL, NULL, &js, NULL));
  o.max_order = 2;
  REQUIRE_OK(jg_order_table(js, &o, NULL, &t));
  CHECK_OK(jg_order_choose(js, &o, NULL, s, 4, &len, &recommended));
  CHECK(numbers(t, "heldout_log_likelihood", v) == 2);
  CHECK(v[0] == s[0].heldout_log_likelihood && v[1] == s[1].heldout_log_likelihood);
  CHECK(meta(t, "recommended_order") == recommended);
  {
    /* Every order scores the same events, and the rule behind the recommendation is in the metadata. */
    const char* rule = NULL;
    double held[8];
    CHECK(numbers(t, "observations", v) == 2 && v[0] == v[1] && v[0] == s[0].observations && v[0] > 0);
    CHECK(numbers(t, "heldout_events", held) == 2 && held[0] == held[1] && held[0] > 0);
    CHECK_OK(jg_table_meta_string(t, "rule", &rule));
    CHECK(strncmp(rule, "the smallest order whose held-out log-likelihood is within one standard error", 77) == 0);
  }
  {
    int64_t orders[4];
    jg_column_type type = JG_TYPE_FLOAT;
    size_t column = 0;
    CHECK_OK(jg_table_integers(t, "order", orders, 4, &len));
    CHECK(len == 2 && orders[0] == 1 && orders[1] == 2);
    CHECK_OK(jg_table_find_column(t, "order", &column));
    CHECK_OK(jg_table_column_type(t, column, &type));
    CHECK(type == JG_TYPE_INTEGER);
    CHECK_ERR(jg_table_integers(t, "auc", orders, 4, &len), JG_EINVAL, "holds floats");
  }
  jg_table_free(t); /* a failed call sets its out_table to NULL */
  t = NULL;
  o.holdout = 2;
  CHECK_ERR(jg_order_table(js, &o, NULL, &t), JG_EINVAL, "holdout must be in (0, 1)");
  CHECK(t == NULL);

  REQUIRE_OK(jg_stages_sample(&st));
  REQUIRE_OK(jg_map_create(js, st, NULL, NULL, &map));
  edit.kind = JG_WHAT_IF_REMOVE_TOUCHPOINT;
  edit.from = "website";
  edit.to = NULL;
  edit.probability = 0;
  REQUIRE_OK(jg_map_what_if_table(map, &edit, 1, &t));
  CHECK_OK(jg_map_what_if(map, &edit, 1, &wr));
  CHECK(numbers(t, "before", v) == 3 && v[0] == wr.conversion_probability_before);
  CHECK(meta(t, "max_residual") == wr.max_residual);
  jg_table_free(t); /* a failed call sets its out_table to NULL */
  t = NULL;
  CHECK_ERR(jg_map_what_if_table(NULL, &edit, 1, &t), JG_EINVAL, "map is NULL");
  jg_table_free(t);
  {
    /* The funnel counts first journeys by default (the sample is split at conversions, so some journeys
     * follow one); funnel_journeys picks repeat journeys or all: first + repeat = all, stage by stage. */
    jg_map_options mo = JG_MAP_OPTIONS_INIT;
    jg_map *repeat = NULL, *all = NULL;
    jg_table *tf = NULL, *tr = NULL, *ta = NULL;
    double f[8], r[8], a[8];
    const char* counted = NULL;
    size_t n = 0, i;
    CHECK(mo.funnel_journeys == JG_FUNNEL_FIRST);
    mo.funnel_journeys = JG_FUNNEL_REPEAT;
    REQUIRE_OK(jg_map_create(js, st, &mo, NULL, &repeat));
    mo.funnel_journeys = JG_FUNNEL_ALL;
    REQUIRE_OK(jg_map_create(js, st, &mo, NULL, &all));
    REQUIRE_OK(jg_map_funnel(map, NULL, &tf));
    REQUIRE_OK(jg_map_funnel(repeat, NULL, &tr));
    REQUIRE_OK(jg_map_funnel(all, NULL, &ta));
    CHECK_OK(jg_table_meta_string(tf, "counted", &counted));
    CHECK(strcmp(counted, "first") == 0);
    CHECK_OK(jg_table_meta_string(tr, "counted", &counted));
    CHECK(strcmp(counted, "repeat") == 0);
    CHECK(meta(tr, "journeys") > 0 && meta(tf, "left_out") == meta(tr, "journeys"));
    n = numbers(tf, "journeys", f);
    CHECK(n == 5 && numbers(tr, "journeys", r) == n && numbers(ta, "journeys", a) == n);
    for (i = 0; i < n; ++i) CHECK_NEAR(f[i] + r[i], a[i], 1e-9);
    jg_table_free(tf);
    jg_table_free(tr);
    jg_table_free(ta);
    jg_map_free(repeat);
    jg_map_free(all);
    /* A version-1 struct ends before funnel_journeys: its maps count first journeys. */
    CHECK_OK(jg_map_options_init(&mo, 1));
    CHECK(mo.version == 1);
    mo.funnel_journeys = (jg_funnel_journeys)7;
    mo.version = JG_MAP_OPTIONS_VERSION;
    CHECK_ERR(jg_map_create(js, st, &mo, NULL, &repeat), JG_EINVAL, "funnel_journeys is 7");
    CHECK(repeat == NULL);
  }
  jg_map_free(map);
  jg_stages_free(st);
  jg_journeys_free(js);
}

/* The bytes of file into out (NUL-terminated, at most cap - 1); returns their count, or (size_t)-1 if the file
 * cannot be opened. */
static size_t file_text(const char* file, char* out, size_t cap) {
  FILE* f = fopen(file, "rb");
  size_t n;
  if (!f) return (size_t)-1;
  n = fread(out, 1, cap - 1, f);
  out[n] = '\0';
  fclose(f);
  return n;
}

/* jg_table_write gives the bytes of jg_table_to_text in every format, replaces a file only when it succeeds,
 * and names the file and reason when it fails. */
static void test_write(const jg_table* t) {
  static const char* const file = JG_TEST_TMP_DIR "/table_c.txt";
  static const char* const document = "{\n  \"table\": \"journeys\",\n  \"meta\": {},\n  \"rows\": [";
  char want[8192], got[8192];
  size_t len = 0;
  int format;
  for (format = JG_TABLE_CSV; format <= JG_TABLE_CSV_RAW; ++format) {
    CHECK_OK(jg_table_to_text(t, (jg_table_format)format, want, sizeof want, &len));
    CHECK_OK(jg_table_write(t, (jg_table_format)format, file));
    CHECK(file_text(file, got, sizeof got) == len - 1);
    CHECK(strcmp(got, want) == 0);
    if (format == JG_TABLE_CSV) CHECK(strstr(got, "\na > b,2,1,0,0,1970-01-01T00:00:10Z,1970-01-01T00:01:10Z\n"));
    if (format == JG_TABLE_DOCUMENT) CHECK(strncmp(got, document, strlen(document)) == 0);
  }
  /* Refused calls leave the file as it was. */
  CHECK_ERR(jg_table_write(t, (jg_table_format)9, file), JG_EINVAL, "JG_TABLE_DOCUMENT (3)");
  CHECK_ERR(jg_table_write(t, JG_TABLE_CSV, NULL), JG_EINVAL, "file is NULL");
  CHECK_ERR(jg_table_write(NULL, JG_TABLE_CSV, file), JG_EINVAL, "table is NULL");
  CHECK(file_text(file, got, sizeof got) == len - 1 && strcmp(got, want) == 0);
  CHECK_ERR(jg_table_write(t, JG_TABLE_CSV, JG_TEST_TMP_DIR "/no/such/dir/t.csv"), JG_EIO, "no/such/dir");
  CHECK_ERR(jg_table_write(t, JG_TABLE_CSV, JG_TEST_TMP_DIR), JG_EIO, JG_TEST_TMP_DIR);
}

static void test_accessors(void) {
  jg_journeys* js = NULL;
  jg_table* t = NULL;
  const char* s = NULL;
  int64_t ticks[4];
  char text[4096];
  jg_column_type type = JG_TYPE_FLOAT;
  jg_time_unit unit = JG_TIME_NANOSECONDS;
  size_t n = 0, len = 0, column = 0;
  double x = 0;
  /* Two journeys with times: 7 (a at 10 s, b at 70 s, converts) and 8 (b at 5 s). */
  static const int64_t journey[3] = {7, 7, 8};
  static const int64_t time[3] = {10, 70, 5};
  static const uint32_t touch[3] = {0, 1, 1};
  static const char* const names[2] = {"a", "b"};
  static const uint8_t conversion[3] = {0, 1, 0};
  jg_event_arrays ev = JG_EVENT_ARRAYS_INIT;
  ev.n_events = 3;
  ev.journey = journey;
  ev.time = time;
  ev.touchpoint = touch;
  ev.touchpoint_names = names;
  ev.n_touchpoint_names = 2;
  ev.conversion = conversion;
  REQUIRE_OK(jg_journeys_from_events(&ev, NULL, NULL, &js, NULL));
  REQUIRE_OK(jg_journeys_table(js, NULL, &t));
  CHECK_OK(jg_table_string(t, "path", 0, &s));
  CHECK_STR(s, "a > b");
  CHECK_OK(jg_table_find_column(t, "start_time", &column));
  CHECK_OK(jg_table_column_type(t, column, &type));
  CHECK(type == JG_TYPE_TIME);
  CHECK_OK(jg_table_time_unit(t, "start_time", &unit));
  CHECK(unit == JG_TIME_SECONDS);
  CHECK_OK(jg_table_integers(t, "end_time", ticks, 4, &len));
  CHECK(len == 2 && ticks[0] == 70 && ticks[1] == 5);
  CHECK_ERR(jg_table_time_unit(t, "touches", &unit), JG_EINVAL, "is not a time column");
  CHECK_ERR(jg_table_integers(t, "path", ticks, 4, &len), JG_EINVAL, "holds strings");
  CHECK_ERR(jg_table_integers(t, "touches", ticks, 1, &len), JG_EBUFS, "are needed");
  CHECK_OK(jg_table_meta_count(t, &n));
  CHECK(n == 0);
  CHECK_ERR(jg_table_meta_key(t, 0, &s), JG_EINVAL, "out of range");
  CHECK_OK(jg_table_note_count(t, &n)); /* the journeys table defines no column */
  CHECK(n == 0);
  CHECK_ERR(jg_table_note(t, 0, &s, NULL), JG_EINVAL, "note index 0 is out of range");
  CHECK_ERR(jg_table_meta_number(t, "nothing", &x), JG_EINVAL, "no metadata 'nothing' (the table has: none)");
  CHECK_OK(jg_table_to_text(t, JG_TABLE_CSV, text, sizeof text, &len));
  CHECK(strstr(text, "a > b,2,1,0,0,1970-01-01T00:00:10Z,1970-01-01T00:01:10Z\n") != NULL);
  CHECK_OK(jg_table_to_text(t, JG_TABLE_DOCUMENT, text, sizeof text, &len));
  CHECK(strncmp(text, "{\n  \"table\": \"journeys\",\n  \"meta\": {},\n  \"rows\": [", 49) == 0);
  CHECK_OK(jg_table_to_text(t, JG_TABLE_TEXT, text, sizeof text, &len));
  CHECK(strncmp(text, "journeys\n\npath ", 15) == 0);
  CHECK_ERR(jg_table_to_text(t, (jg_table_format)9, text, sizeof text, &len), JG_EINVAL, "JG_TABLE_DOCUMENT (3)");
  test_write(t);
  CHECK_ERR(jg_table_name(NULL, &s), JG_EINVAL, "table is NULL");
  CHECK_ERR(jg_table_column_type(t, 99, &type), JG_EINVAL, "out of range");
  jg_table_free(t); /* a failed call sets its out_table to NULL */
  t = NULL;
  CHECK_ERR(jg_journeys_table(NULL, NULL, &t), JG_EINVAL, "journeys is NULL");
  jg_table_free(t);
  {
    jg_map* map = NULL;
    REQUIRE_OK(jg_map_create(js, NULL, NULL, NULL, &map));
    REQUIRE_OK(jg_map_pain_points(map, NULL, &t));
    CHECK_OK(jg_table_meta_count(t, &n));
    CHECK(n == 0);
    CHECK_OK(jg_table_find_column(t, "small_sample", &column));
    CHECK_OK(jg_table_column_type(t, column, &type));
    CHECK(type == JG_TYPE_BOOLEAN);
    { /* the column notes: counted, read one by one, and the same in the JSON document and the text */
      const char* def = NULL;
      size_t k;
      CHECK_OK(jg_table_note_count(t, &n));
      CHECK(n == 8);
      CHECK_OK(jg_table_note(t, 0, &s, &def));
      CHECK_STR(s, "journeys");
      CHECK_STR(def, "observed journeys that touched it (the sample behind its figures)");
      CHECK_OK(jg_table_note(t, 7, &s, NULL));
      CHECK_STR(s, "conversions_at_risk");
      def = "unset";
      s = "unset";
      CHECK_ERR(jg_table_note(t, 8, &s, &def), JG_EINVAL, "note index 8 is out of range");
      CHECK(s == NULL && def == NULL);
      CHECK_ERR(jg_table_note_count(t, NULL), JG_EINVAL, "out_count is NULL");
      CHECK_OK(jg_table_to_text(t, JG_TABLE_DOCUMENT, text, sizeof text, &len));
      CHECK(strstr(text, "\n  \"notes\": {\"journeys\": \"observed journeys that touched it (the sample behind its "
                         "figures)\", \"visits\": \"observed touches of it\", ") != NULL);
      CHECK_OK(jg_table_to_text(t, JG_TABLE_TEXT, text, sizeof text, &len));
      for (k = 0; k < n; ++k) {
        char line[512];
        const char* column = NULL;
        CHECK_OK(jg_table_note(t, k, &column, &def));
        /* "  COLUMN" padded to the longest column ("unconverted_exit_share", 22) plus two spaces, then the text */
        snprintf(line, sizeof line, "\n  %-24s%s\n", column, def);
        CHECK(strstr(text, line) != NULL);
      }
    }
    jg_table_free(t);
    REQUIRE_OK(jg_map_paths(map, NULL, NULL, &t, NULL, NULL, NULL));
    CHECK_OK(jg_table_meta_count(t, &n));
    CHECK(n == 2);
    CHECK_OK(jg_table_meta_key(t, 0, &s));
    CHECK_STR(s, "distinct_paths");
    CHECK(meta(t, "distinct_paths") == 2);
    CHECK_OK(jg_table_meta_string(t, "journeys", &s));
    CHECK_STR(s, "2");
    jg_table_free(t);
    jg_map_free(map);
  }
  jg_journeys_free(js);
}

int main(void) {
  test_attribution_and_removal();
  test_model_tables();
  test_order_and_map();
  test_accessors();
  return finish("test_tables");
}
