/* Journey maps through the C ABI, on the hand set of the C++ tests (worked out there and repeated here):
 *   "ad > search > site"   1 conversion
 *   "ad > site"            1 conversion, 1 null
 *   "ad > search"          1 null
 *   "search > ad > site"   1 null
 *   "site"                 1 conversion
 * Stages: ad = awareness, search = consideration, site = purchase. Order-1 chain:
 *   START -> ad 4/6, search 1/6, site 1/6; ad -> search 2/5, site 3/5; search -> ad, site, NULL 1/3 each;
 *   site -> CONVERSION 3/5, NULL 2/5. Absorption: h_site = 3/5, h_ad = 33/65, h_search = 24/65; P = 1/2.
 * Every exported function of the journey-map section is called, with its error paths. */

#include <stdio.h>
#include <string.h>

#include "check.h"

static const char* const kPaths[5] = {"ad > search > site", "ad > site", "ad > search", "search > ad > site", "site"};
static const double kConv[5] = {1, 1, 0, 0, 1};
static const double kNull[5] = {0, 1, 1, 1, 0};

static jg_journeys* hand_set(void) { return path_journeys(5, kPaths, kConv, kNull, NULL); }

static jg_stages* hand_stages(void) {
  static const char* const order[3] = {"awareness", "consideration", "purchase"};
  jg_stages* s = NULL;
  REQUIRE_OK(jg_stages_create(order, 3, &s));
  REQUIRE_OK(jg_stages_assign(s, "ad", "awareness"));
  REQUIRE_OK(jg_stages_assign(s, "search", "consideration"));
  REQUIRE_OK(jg_stages_assign(s, "site", "purchase"));
  return s;
}

static jg_map* hand_map(int with_stages) {
  jg_journeys* js = hand_set();
  jg_stages* st = with_stages ? hand_stages() : NULL;
  jg_map* m = NULL;
  REQUIRE_OK(jg_map_create(js, st, NULL, NULL, &m));
  jg_stages_free(st);
  jg_journeys_free(js);
  return m;
}

/* The number in column `name` at `row`. */
static double number_at(const jg_table* t, const char* name, size_t row) {
  double v[64];
  size_t len = 0;
  REQUIRE_OK(jg_table_numbers(t, name, v, 64, &len));
  REQUIRE(row < len);
  return v[row];
}

/* The row whose string column `key` equals `value`. */
static size_t row_of(const jg_table* t, const char* key, const char* value) {
  size_t rows = 0, cols = 0, r;
  REQUIRE_OK(jg_table_size(t, &rows, &cols));
  for (r = 0; r < rows; ++r) {
    const char* s = NULL;
    REQUIRE_OK(jg_table_string(t, key, r, &s));
    if (strcmp(s, value) == 0) return r;
  }
  fprintf(stderr, "no row with %s = %s\n", key, value);
  exit(2);
}

static void test_stages(void) {
  static const char* const order[2] = {"a", "b"};
  static const char* const dup[2] = {"a", "a"};
  static const char* const with_null[2] = {"a", NULL};
  static const char* const csv_order[2] = {"awareness", "consideration"};
  static const char csv[] = "touchpoint,stage\nad,awareness\nsearch,consideraton\n";
  static const char file[] = JG_TEST_TMP_DIR "/test_journey_map_stages.csv";
  jg_stages* s = NULL;
  jg_stages_csv_options o = JG_STAGES_CSV_OPTIONS_INIT;
  size_t n = 0;
  int64_t index = 0;
  const char* name = NULL;

  CHECK_OK(jg_stages_create(order, 2, &s));
  CHECK_OK(jg_stages_assign(s, "x", "b"));
  CHECK_OK(jg_stages_assign(s, "x", "b"));
  CHECK_ERR(jg_stages_assign(s, "x", "a"), JG_EINVAL, "cannot also be");
  CHECK_ERR(jg_stages_assign(s, "y", "c"), JG_EINVAL, "the stages are: a, b");
  CHECK_ERR(jg_stages_assign(s, "", "a"), JG_EINVAL, "empty");
  CHECK_ERR(jg_stages_assign(NULL, "y", "a"), JG_EINVAL, "stages is NULL");
  CHECK_ERR(jg_stages_assign(s, NULL, "a"), JG_EINVAL, "touchpoint is NULL");
  CHECK_ERR(jg_stages_assign(s, "y", NULL), JG_EINVAL, "stage is NULL");
  CHECK_OK(jg_stages_count(s, &n));
  CHECK(n == 2);
  CHECK_ERR(jg_stages_count(s, NULL), JG_EINVAL, "out_count");
  CHECK_ERR(jg_stages_count(NULL, &n), JG_EINVAL, "stages");
  CHECK_OK(jg_stages_name(s, 1, &name));
  CHECK_STR(name, "b");
  CHECK_ERR(jg_stages_name(s, 2, &name), JG_EINVAL, "out of range");
  CHECK(name == NULL);
  CHECK_ERR(jg_stages_name(s, 0, NULL), JG_EINVAL, "out_name");
  CHECK_OK(jg_stages_stage_of(s, "x", &index));
  CHECK(index == 1);
  CHECK_OK(jg_stages_stage_of(s, "nobody", &index));
  CHECK(index == -1);
  CHECK_ERR(jg_stages_stage_of(s, NULL, &index), JG_EINVAL, "touchpoint");
  CHECK_ERR(jg_stages_stage_of(s, "x", NULL), JG_EINVAL, "out_index");
  jg_stages_free(s);
  jg_stages_free(NULL);

  s = (jg_stages*)&n; /* any non-NULL value: it must be reset on failure */
  CHECK_ERR(jg_stages_create(dup, 2, &s), JG_EINVAL, "twice");
  CHECK(s == NULL);
  CHECK_ERR(jg_stages_create(with_null, 2, &s), JG_EINVAL, "order[1] is NULL");
  CHECK_ERR(jg_stages_create(order, 0, &s), JG_EINVAL, "n_stages is 0");
  CHECK_ERR(jg_stages_create(NULL, 2, &s), JG_EINVAL, "order is NULL");
  CHECK_ERR(jg_stages_create(order, 2, NULL), JG_EINVAL, "out_stages");

  /* CSV: the funnel order, then an unknown stage named with file, line, column and value. */
  CHECK_OK(jg_stages_csv_options_init(&o, JG_STAGES_CSV_OPTIONS_VERSION));
  CHECK_ERR(jg_stages_csv_options_init(&o, 99), JG_EINVAL, "version");
  CHECK_ERR(jg_stages_csv_options_init(NULL, JG_STAGES_CSV_OPTIONS_VERSION), JG_EINVAL, "options");
  CHECK_OK(jg_stages_parse_csv(csv, 29, "stages.csv", NULL, &s)); /* the first row only */
  CHECK_OK(jg_stages_count(s, &n));
  CHECK(n == 1);
  jg_stages_free(s);
  CHECK_OK(jg_stages_parse_csv(csv, sizeof csv - 1, NULL, NULL, &s)); /* no order: both stages appear */
  CHECK_OK(jg_stages_count(s, &n));
  CHECK(n == 2);
  jg_stages_free(s);
  o.order = csv_order;
  o.n_order = 2;
  CHECK_ERR(jg_stages_parse_csv(csv, sizeof csv - 1, "stages.csv", &o, &s), JG_EPARSE,
            "stages.csv:3:8: field 'stage': unknown stage \"consideraton\"");
  CHECK(s == NULL);
  o.order = NULL;
  CHECK_ERR(jg_stages_parse_csv(csv, sizeof csv - 1, "stages.csv", &o, &s), JG_EINVAL, "options->order");
  o.n_order = 0;
  o.stage_column = "phase";
  CHECK_ERR(jg_stages_parse_csv(csv, sizeof csv - 1, "stages.csv", &o, &s), JG_EPARSE, "missing column 'phase'");
  o.stage_column = NULL;
  o.delimiter = '"';
  CHECK_ERR(jg_stages_parse_csv(csv, sizeof csv - 1, "stages.csv", &o, &s), JG_EINVAL, "delimiter");
  o.delimiter = ',';
  o.version = 7;
  CHECK_ERR(jg_stages_parse_csv(csv, sizeof csv - 1, "stages.csv", &o, &s), JG_EINVAL, "version");
  CHECK_ERR(jg_stages_parse_csv("touchpoint,stage\n", 17, "empty.csv", NULL, &s), JG_EDATA, "no touchpoint rows");
  CHECK_ERR(jg_stages_parse_csv(NULL, 5, "x", NULL, &s), JG_EINVAL, "text is NULL");
  CHECK_ERR(jg_stages_parse_csv(csv, sizeof csv - 1, "x", NULL, NULL), JG_EINVAL, "out_stages");

  write_file(file, "stage;touchpoint\npurchase;site\nawareness;ad\n");
  CHECK_OK(jg_stages_csv_options_init(&o, JG_STAGES_CSV_OPTIONS_VERSION));
  o.delimiter = ';';
  CHECK_OK(jg_stages_read_csv(file, &o, &s));
  CHECK_OK(jg_stages_name(s, 0, &name));
  CHECK_STR(name, "purchase");
  CHECK_OK(jg_stages_stage_of(s, "ad", &index));
  CHECK(index == 1);
  jg_stages_free(s);
  CHECK_ERR(jg_stages_read_csv(JG_TEST_TMP_DIR "/no/such/stages.csv", NULL, &s), JG_EIO, "no/such/stages.csv");
  CHECK_ERR(jg_stages_read_csv(NULL, NULL, &s), JG_EINVAL, "file");
  CHECK_ERR(jg_stages_read_csv(file, NULL, NULL), JG_EINVAL, "out_stages");

  CHECK_OK(jg_stages_sample(&s));
  CHECK_OK(jg_stages_count(s, &n));
  CHECK(n == 5);
  CHECK_OK(jg_stages_stage_of(s, "mobile_app", &index));
  CHECK(index == 2);
  jg_stages_free(s);
  CHECK_ERR(jg_stages_sample(NULL), JG_EINVAL, "out_stages");
}

static void test_map_and_tables(void) {
  jg_journeys* js = hand_set();
  jg_stages* st = hand_stages();
  jg_map* m = NULL;
  jg_map_options mo = JG_MAP_OPTIONS_INIT;
  jg_model_options model = JG_MODEL_OPTIONS_INIT;
  jg_map_info info = JG_MAP_INFO_INIT;
  jg_table* t = NULL;
  size_t rows = 0, cols = 0, col = 0, len = 0;
  jg_column_kind kind = JG_COLUMN_STRING;
  const char* s = NULL;
  double v[8];
  char text[4096];
  static const char* const two[2] = {"awareness", "purchase"};
  jg_stages* partial = NULL;

  CHECK_OK(jg_map_options_init(&mo, JG_MAP_OPTIONS_VERSION));
  CHECK_ERR(jg_map_options_init(&mo, 0), JG_EINVAL, "version");
  CHECK_ERR(jg_map_options_init(NULL, JG_MAP_OPTIONS_VERSION), JG_EINVAL, "options");
  mo.model = &model;
  CHECK_OK(jg_map_create(js, st, &mo, NULL, &m));
  CHECK_OK(jg_map_info_init(&info, JG_MAP_INFO_VERSION));
  CHECK_ERR(jg_map_info_init(&info, 2), JG_EINVAL, "version");
  CHECK_OK(jg_map_get_info(m, &info));
  CHECK(info.n_touchpoints == 3 && info.n_nodes == 6 && info.n_edges == 10 && info.n_stages == 3);
  CHECK(info.order == 1 && info.has_timestamps == 0);
  CHECK(info.journeys == 6 && info.conversions == 3);
  CHECK_NEAR(info.conversion_probability, 0.5, 1e-14);
  info.version = 5;
  CHECK_ERR(jg_map_get_info(m, &info), JG_EINVAL, "version");
  CHECK_ERR(jg_map_get_info(NULL, &info), JG_EINVAL, "map");
  CHECK_OK(jg_map_stage_name(m, 2, &s));
  CHECK_STR(s, "purchase");
  CHECK_ERR(jg_map_stage_name(m, 3, &s), JG_EINVAL, "out of range");
  CHECK_ERR(jg_map_stage_name(m, 0, NULL), JG_EINVAL, "out_name");

  /* A touchpoint without a stage is an error unless other_stage names one. */
  REQUIRE_OK(jg_stages_create(two, 2, &partial));
  REQUIRE_OK(jg_stages_assign(partial, "ad", "awareness"));
  REQUIRE_OK(jg_stages_assign(partial, "site", "purchase"));
  {
    jg_map* bad = (jg_map*)&len;
    CHECK_ERR(jg_map_create(js, partial, NULL, NULL, &bad), JG_EINVAL, "\"search\" has no stage");
    CHECK(bad == NULL);
    mo.other_stage = "other";
    CHECK_OK(jg_map_create(js, partial, &mo, NULL, &bad));
    CHECK_OK(jg_map_stage_name(bad, 2, &s));
    CHECK_STR(s, "other");
    jg_map_free(bad);
    mo.other_stage = NULL;
    model.order = 0;
    CHECK_ERR(jg_map_create(js, st, &mo, NULL, &bad), JG_EINVAL, "order");
    model.order = 1;
    mo.version = 3;
    CHECK_ERR(jg_map_create(js, st, &mo, NULL, &bad), JG_EINVAL, "version");
    CHECK_ERR(jg_map_create(NULL, st, NULL, NULL, &bad), JG_EINVAL, "journeys");
    CHECK_ERR(jg_map_create(js, st, NULL, NULL, NULL), JG_EINVAL, "out_map");
  }
  jg_stages_free(partial);
  jg_map_free(NULL);

  /* Nodes: 0 start, 1 ad, 2 search, 3 site, 4 conversion, 5 null. */
  CHECK_OK(jg_map_nodes(m, &t));
  CHECK_OK(jg_table_size(t, &rows, &cols));
  CHECK(rows == 6 && cols == 7);
  CHECK_OK(jg_table_column_name(t, 1, &s));
  CHECK_STR(s, "name");
  CHECK_ERR(jg_table_column_name(t, 7, &s), JG_EINVAL, "out of range");
  CHECK_OK(jg_table_column_kind(t, 1, &kind));
  CHECK(kind == JG_COLUMN_STRING);
  CHECK_OK(jg_table_column_kind(t, 4, &kind));
  CHECK(kind == JG_COLUMN_NUMBER);
  CHECK_ERR(jg_table_column_kind(t, 9, &kind), JG_EINVAL, "out of range");
  CHECK_OK(jg_table_find_column(t, "visits", &col));
  CHECK(col == 4);
  CHECK_ERR(jg_table_find_column(t, "visitz", &col), JG_EINVAL, "the table has: node, name, kind");
  CHECK_OK(jg_table_string(t, "name", 3, &s));
  CHECK_STR(s, "site");
  CHECK_OK(jg_table_string(t, "stage", 1, &s));
  CHECK_STR(s, "awareness");
  CHECK_OK(jg_table_string(t, "kind", 4, &s));
  CHECK_STR(s, "conversion");
  CHECK_ERR(jg_table_string(t, "name", 6, &s), JG_EINVAL, "out of range");
  CHECK_ERR(jg_table_string(t, "visits", 0, &s), JG_EINVAL, "holds numbers");
  CHECK_ERR(jg_table_numbers(t, "name", v, 8, &len), JG_EINVAL, "holds strings");
  CHECK_OK(jg_table_numbers(t, "visits", NULL, 0, &len));
  CHECK(len == 6);
  CHECK_ERR(jg_table_numbers(t, "visits", v, 3, &len), JG_EBUFS, "needed");
  CHECK(len == 6);
  CHECK_OK(jg_table_numbers(t, "visits", v, 8, &len));
  CHECK(v[1] == 5 && v[2] == 3 && v[3] == 5); /* ad 1 + 2 + 1 + 1, search 3, site 1 + 2 + 1 + 1 */
  CHECK_ERR(jg_table_numbers(t, NULL, v, 8, &len), JG_EINVAL, "name");
  CHECK_ERR(jg_table_numbers(t, "visits", NULL, 8, &len), JG_EINVAL, "capacity");
  CHECK_ERR(jg_table_size(t, NULL, &cols), JG_EINVAL, "out_rows");
  CHECK_ERR(jg_table_size(NULL, &rows, &cols), JG_EINVAL, "table");
  CHECK_ERR(jg_table_find_column(t, "visits", NULL), JG_EINVAL, "out_column");
  CHECK_ERR(jg_table_column_kind(t, 0, NULL), JG_EINVAL, "out_kind");
  CHECK_OK(jg_table_to_text(t, JG_TABLE_CSV, NULL, 0, &len));
  CHECK(len > 10 && len < sizeof text);
  CHECK_OK(jg_table_to_text(t, JG_TABLE_CSV, text, sizeof text, &len));
  CHECK(strncmp(text, "node,name,kind,stage,visits,journeys,conversions\n0,(start),start,,6,6,3\n", 72) == 0);
  CHECK(strlen(text) + 1 == len);
  CHECK_OK(jg_table_to_text(t, JG_TABLE_JSON, text, sizeof text, &len));
  CHECK(strstr(text, "\"name\": \"search\"") != NULL);
  CHECK_ERR(jg_table_to_text(t, JG_TABLE_JSON, text, 4, &len), JG_EBUFS, "needed");
  CHECK_ERR(jg_table_to_text(t, (jg_table_format)5, text, sizeof text, &len), JG_EINVAL, "format");
  jg_table_free(t);
  jg_table_free(NULL);
  CHECK_ERR(jg_map_nodes(NULL, &t), JG_EINVAL, "map");
  CHECK_ERR(jg_map_nodes(m, NULL), JG_EINVAL, "out_table");

  /* Edges: ad -> search 2 of 5, site -> (null) 2 of 5; no timings without timestamps (NaN). */
  CHECK_OK(jg_map_edges(m, &t));
  CHECK_OK(jg_table_size(t, &rows, &cols));
  CHECK(rows == 10);
  {
    size_t r = 0;
    const char* from = NULL;
    const char* to = NULL;
    for (r = 0; r < rows; ++r) {
      REQUIRE_OK(jg_table_string(t, "source", r, &from));
      REQUIRE_OK(jg_table_string(t, "target", r, &to));
      if (strcmp(from, "ad") == 0 && strcmp(to, "search") == 0) {
        CHECK(number_at(t, "count", r) == 2);
        CHECK_NEAR(number_at(t, "probability", r), 0.4, 1e-15);
        CHECK(isnan(number_at(t, "time_median_s", r)));
      }
    }
  }
  jg_table_free(t);
  CHECK_ERR(jg_map_edges(NULL, &t), JG_EINVAL, "map");
  jg_map_free(m);
  jg_stages_free(st);
  jg_journeys_free(js);
}

static void test_funnel_and_pain_points(void) {
  jg_map* m = hand_map(1);
  jg_map* plain = hand_map(0);
  jg_table* t = NULL;
  jg_pain_options po = JG_PAIN_OPTIONS_INIT;
  jg_exec_options one = JG_EXEC_OPTIONS_INIT;
  size_t rows = 0, cols = 0;
  const char* s = NULL;
  one.threads = 1;

  /* Funnel: awareness reached by 5 (all advance); consideration 3 (2 advance, 1 drops); purchase 5
   * (3 convert, 2 drop); moves: awareness 2 forward and 3 skipping, consideration 1 back. */
  CHECK_OK(jg_map_funnel(m, &one, &t));
  CHECK_OK(jg_table_size(t, &rows, &cols));
  CHECK(rows == 3 && cols == 24);
  /* Stage to stage: consideration after awareness 2 of 5 (J1, J3), purchase after consideration 2 of 3. */
  CHECK(number_at(t, "from_previous", 1) == 2);
  CHECK_NEAR(number_at(t, "step_rate", 2), 2.0 / 3, 1e-15);
  CHECK(number_at(t, "journeys", 0) == 5 && number_at(t, "advanced", 0) == 5);
  CHECK(number_at(t, "moves_forward", 0) == 2 && number_at(t, "moves_skipping", 0) == 3);
  CHECK(number_at(t, "dropped", 1) == 1 && number_at(t, "moves_backward", 1) == 1);
  CHECK(number_at(t, "skipped_over", 1) == 3);
  CHECK(number_at(t, "converted", 2) == 3 && number_at(t, "dropped", 2) == 2);
  CHECK_NEAR(number_at(t, "dropped_share", 1), 1.0 / 3, 1e-15);
  CHECK(isnan(number_at(t, "time_in_stage_median_s", 0)));
  jg_table_free(t);
  CHECK_ERR(jg_map_funnel(plain, NULL, &t), JG_ESTATE, "no stages");
  CHECK(t == NULL);
  CHECK_ERR(jg_map_funnel(NULL, NULL, &t), JG_EINVAL, "map");
  one.version = 9;
  CHECK_ERR(jg_map_funnel(m, &one, &t), JG_EINVAL, "version");
  one.version = JG_EXEC_OPTIONS_VERSION;

  /* Stage flows: the 10 non-zero entries; start -> awareness 4, purchase -> (null) 2. */
  CHECK_OK(jg_map_stage_flows(m, NULL, &t));
  CHECK_OK(jg_table_size(t, &rows, &cols));
  CHECK(rows == 10 && cols == 3);
  CHECK_OK(jg_table_string(t, "from", 0, &s));
  CHECK_STR(s, "(start)");
  CHECK(number_at(t, "flow", 0) == 4);
  CHECK_OK(jg_table_string(t, "to", 9, &s));
  CHECK_STR(s, "(null)");
  CHECK(number_at(t, "flow", 9) == 2);
  jg_table_free(t);
  CHECK_ERR(jg_map_stage_flows(plain, NULL, &t), JG_ESTATE, "no stages");
  CHECK_ERR(jg_map_stage_flows(m, NULL, NULL), JG_EINVAL, "out_table");

  /* Pain points, by drop-offs: site 6 * 5/6 * 2/5 = 2, search 6 * 1/2 * 1/3 = 1, ad 0. */
  CHECK_OK(jg_pain_options_init(&po, JG_PAIN_OPTIONS_VERSION));
  CHECK_ERR(jg_pain_options_init(&po, 2), JG_EINVAL, "version");
  CHECK_OK(jg_map_pain_points(m, NULL, &t));
  CHECK_OK(jg_table_string(t, "touchpoint", 0, &s));
  CHECK_STR(s, "site");
  CHECK_OK(jg_table_string(t, "stage", 0, &s));
  CHECK_STR(s, "purchase");
  CHECK_NEAR(number_at(t, "drop_offs", 0), 2, 1e-14);
  CHECK_NEAR(number_at(t, "unconverted_exit_share", 0), 0.4, 1e-15);
  CHECK_NEAR(number_at(t, "unconverted_exit_share", 1), 1.0 / 3, 1e-15);
  CHECK_NEAR(number_at(t, "conversion_probability", row_of(t, "touchpoint", "ad")), 33.0 / 65, 1e-14);
  CHECK_NEAR(number_at(t, "conversion_probability", row_of(t, "touchpoint", "search")), 24.0 / 65, 1e-14);
  /* Conversions at risk: each removal effect's share of their sum (11/15 + 0.32 + 1 = 154/75) times the 3
   * conversions: ad 165/154, search 72/154 (site 225/154; they add up to 3). */
  CHECK_NEAR(number_at(t, "removal_effect", row_of(t, "touchpoint", "ad")), 11.0 / 15, 1e-14);
  CHECK_NEAR(number_at(t, "conversions_at_risk", row_of(t, "touchpoint", "ad")), 165.0 / 154, 1e-13);
  CHECK_NEAR(number_at(t, "conversions_at_risk", row_of(t, "touchpoint", "search")), 72.0 / 154, 1e-13);
  CHECK(number_at(t, "journeys", row_of(t, "touchpoint", "search")) == 3);
  jg_table_free(t);
  po.rank_by = JG_PAIN_LOST_CONVERSIONS;
  CHECK_OK(jg_map_pain_points(m, &po, &t));
  CHECK_OK(jg_table_string(t, "touchpoint", 1, &s));
  CHECK_STR(s, "ad");
  jg_table_free(t);
  po.rank_by = JG_PAIN_CONVERSION_PROBABILITY;
  po.min_journeys = 4;
  CHECK_OK(jg_map_pain_points(m, &po, &t));
  CHECK_OK(jg_table_string(t, "touchpoint", 2, &s));
  CHECK_STR(s, "search"); /* 3 journeys: flagged and last */
  CHECK(number_at(t, "small_sample", 2) == 1);
  jg_table_free(t);
  po.rank_by = JG_PAIN_EXIT_RATE;
  po.min_journeys = 0;
  CHECK_OK(jg_map_pain_points(m, &po, &t));
  CHECK_OK(jg_table_string(t, "touchpoint", 0, &s));
  CHECK_STR(s, "site");
  jg_table_free(t);
  po.rank_by = (jg_pain_ranking)7;
  CHECK_ERR(jg_map_pain_points(m, &po, &t), JG_EINVAL, "rank_by is 7");
  po.rank_by = JG_PAIN_DROP_OFFS;
  po.min_journeys = -1;
  CHECK_ERR(jg_map_pain_points(m, &po, &t), JG_EINVAL, "min_journeys");
  CHECK_ERR(jg_map_pain_points(NULL, NULL, &t), JG_EINVAL, "map");
  jg_map_free(plain);
  jg_map_free(m);
}

static void test_paths_and_sankey(void) {
  jg_map* m = hand_map(1);
  jg_map* plain = hand_map(0);
  jg_table *variants = NULL, *probable = NULL, *lengths = NULL, *time = NULL, *t = NULL;
  jg_path_options po = JG_PATH_OPTIONS_INIT;
  jg_sankey_options so = JG_SANKEY_OPTIONS_INIT;
  size_t rows = 0, cols = 0;
  const char* s = NULL;

  CHECK_OK(jg_path_options_init(&po, JG_PATH_OPTIONS_VERSION));
  CHECK_ERR(jg_path_options_init(&po, 3), JG_EINVAL, "version");
  CHECK_OK(jg_map_paths(m, NULL, NULL, &variants, &probable, &lengths, &time));
  /* Variants: "ad > site" has weight 2; the rest 1 each, in order of first appearance. */
  CHECK_OK(jg_table_size(variants, &rows, &cols));
  CHECK(rows == 5);
  CHECK_OK(jg_table_string(variants, "path", 0, &s));
  CHECK_STR(s, "ad > site");
  CHECK_NEAR(number_at(variants, "share", 0), 2.0 / 6, 1e-15);
  CHECK_NEAR(number_at(variants, "cumulative_share", 4), 1, 1e-15);
  /* Loop-free chain paths: ad > site 6/25, site 1/10, ad > search > site 4/75, search > site 1/30,
   * search > ad > site 1/50. */
  CHECK_OK(jg_table_size(probable, &rows, &cols));
  CHECK(rows == 5);
  CHECK_OK(jg_table_string(probable, "path", 2, &s));
  CHECK_STR(s, "ad > search > site");
  CHECK_NEAR(number_at(probable, "probability", 0), 6.0 / 25, 1e-15);
  CHECK_NEAR(number_at(probable, "probability", 2), 4.0 / 75, 1e-15);
  CHECK_NEAR(number_at(probable, "probability", 4), 1.0 / 50, 1e-15);
  /* Lengths 1, 2, 3 with 1, 3, 2 journeys; no timestamps, so no time bins. */
  CHECK(number_at(lengths, "journeys", 1) == 3);
  CHECK_OK(jg_table_size(time, &rows, &cols));
  CHECK(rows == 0 && cols == 4);
  jg_table_free(variants);
  jg_table_free(probable);
  jg_table_free(lengths);
  jg_table_free(time);
  po.top = 2;
  po.most_probable = 1;
  CHECK_OK(jg_map_paths(m, &po, NULL, &variants, &probable, NULL, NULL));
  CHECK_OK(jg_table_size(variants, &rows, &cols));
  CHECK(rows == 2);
  CHECK_OK(jg_table_size(probable, &rows, &cols));
  CHECK(rows == 1);
  jg_table_free(variants);
  jg_table_free(probable);
  po.version = 0;
  variants = (jg_table*)&rows;
  CHECK_ERR(jg_map_paths(m, &po, NULL, &variants, NULL, NULL, NULL), JG_EINVAL, "version");
  CHECK(variants == NULL);
  CHECK_ERR(jg_map_paths(NULL, NULL, NULL, &variants, NULL, NULL, NULL), JG_EINVAL, "map");

  /* Sankey by stage: 1. awareness -> 2. consideration 2 (the first link in order). */
  CHECK_OK(jg_sankey_options_init(&so, JG_SANKEY_OPTIONS_VERSION));
  CHECK_ERR(jg_sankey_options_init(&so, 4), JG_EINVAL, "version");
  CHECK_OK(jg_map_sankey(m, NULL, &t));
  CHECK_OK(jg_table_size(t, &rows, &cols));
  CHECK(rows == 11);
  CHECK_OK(jg_table_string(t, "source", 0, &s));
  CHECK_STR(s, "1. awareness");
  CHECK_OK(jg_table_string(t, "target", 0, &s));
  CHECK_STR(s, "2. consideration");
  CHECK(number_at(t, "value", 0) == 2);
  jg_table_free(t);
  CHECK_OK(jg_map_sankey(plain, &so, &t)); /* -1: touchpoints without stages */
  CHECK_OK(jg_table_string(t, "source", 0, &s));
  CHECK_STR(s, "1. ad");
  jg_table_free(t);
  so.by_stage = 1;
  CHECK_ERR(jg_map_sankey(plain, &so, &t), JG_ESTATE, "stages");
  so.by_stage = 2;
  CHECK_ERR(jg_map_sankey(m, &so, &t), JG_EINVAL, "by_stage is 2");
  so.by_stage = -1;
  so.max_steps = 0;
  CHECK_ERR(jg_map_sankey(m, &so, &t), JG_EINVAL, "max_steps");
  CHECK_ERR(jg_map_sankey(m, NULL, NULL), JG_EINVAL, "out_table");
  jg_map_free(plain);
  jg_map_free(m);
}

static void test_what_if(void) {
  jg_map* m = hand_map(0);
  jg_journeys* js = hand_set();
  jg_model* model = NULL;
  jg_what_if_result r = JG_WHAT_IF_RESULT_INIT;
  jg_what_if_edit e[2];
  REQUIRE_OK(jg_model_create(&model));

  CHECK_OK(jg_what_if_result_init(&r, JG_WHAT_IF_RESULT_VERSION));
  CHECK_ERR(jg_what_if_result_init(&r, 8), JG_EINVAL, "version");
  /* P(ad -> search) = 0.2: ad -> site becomes 0.8; h_ad = 0.2 h_search + 0.48, h_search = 0.2 + h_ad / 3,
   * so h_ad = 39/70, h_search = 27/70 and P = 4/6 * 39/70 + 1/6 * 27/70 + 1/10 = 15/28. */
  e[0].kind = JG_WHAT_IF_SET_PROBABILITY;
  e[0].from = "ad";
  e[0].to = "search";
  e[0].probability = 0.2;
  CHECK_OK(jg_map_what_if(m, e, 1, &r));
  CHECK_NEAR(r.conversion_probability_before, 0.5, 1e-14);
  CHECK_NEAR(r.conversion_probability, 15.0 / 28, 1e-14);
  CHECK_NEAR(r.expected_conversions, 6 * 15.0 / 28, 1e-13);
  CHECK(r.max_residual < 1e-12);
  /* Removing site leaves no conversion. Removing the edge ad -> search sends all of ad to site: h_ad = 3/5,
   * h_search = 1/3 * 3/5 + 1/3 * h_ad = 2/5, P = 4/6 * 3/5 + 1/6 * 2/5 + 1/6 * 3/5. */
  e[0].kind = JG_WHAT_IF_REMOVE_TOUCHPOINT;
  e[0].from = "site";
  e[0].to = NULL;
  CHECK_OK(jg_map_what_if(m, e, 1, &r));
  CHECK(r.conversion_probability == 0);
  e[0].kind = JG_WHAT_IF_REMOVE_EDGE;
  e[0].from = "ad";
  e[0].to = "search";
  CHECK_OK(jg_map_what_if(m, e, 1, &r));
  CHECK_NEAR(r.conversion_probability, 4.0 / 6 * 0.6 + 1.0 / 6 * (0.2 + 0.2) + 0.1, 1e-14);
  CHECK_OK(jg_map_what_if(m, NULL, 0, &r));
  CHECK_NEAR(r.conversion_probability, 0.5, 1e-14);
  /* Errors. */
  e[0].kind = JG_WHAT_IF_SET_PROBABILITY;
  e[0].to = "nowhere";
  CHECK_ERR(jg_map_what_if(m, e, 1, &r), JG_EINVAL, "\"nowhere\"");
  e[0].to = "search";
  e[0].probability = 2;
  CHECK_ERR(jg_map_what_if(m, e, 1, &r), JG_EINVAL, "[0, 1]");
  e[0].probability = 0.5;
  e[1] = e[0];
  e[1].to = NULL;
  CHECK_ERR(jg_map_what_if(m, e, 2, &r), JG_EINVAL, "edits[1].to is NULL");
  e[1].kind = (jg_what_if_kind)9;
  CHECK_ERR(jg_map_what_if(m, e, 2, &r), JG_EINVAL, "edits[1].kind is 9");
  e[1].kind = JG_WHAT_IF_REMOVE_TOUCHPOINT;
  e[1].from = NULL;
  CHECK_ERR(jg_map_what_if(m, e, 2, &r), JG_EINVAL, "edits[1].from is NULL");
  CHECK_ERR(jg_map_what_if(m, NULL, 1, &r), JG_EINVAL, "edits is NULL");
  CHECK_ERR(jg_map_what_if(NULL, e, 1, &r), JG_EINVAL, "map");
  CHECK_ERR(jg_map_what_if(m, e, 1, NULL), JG_EINVAL, "out_result");
  r.version = 4;
  CHECK_ERR(jg_map_what_if(m, e, 1, &r), JG_EINVAL, "version");
  r.version = JG_WHAT_IF_RESULT_VERSION;

  /* The same on a fitted model. */
  CHECK_ERR(jg_model_what_if(model, e, 1, &r), JG_ESTATE, "not fitted");
  REQUIRE_OK(jg_model_fit(model, js, NULL, NULL));
  e[0].probability = 0.2;
  CHECK_OK(jg_model_what_if(model, e, 1, &r));
  CHECK_NEAR(r.conversion_probability, 15.0 / 28, 1e-14);
  CHECK_ERR(jg_model_what_if(NULL, e, 1, &r), JG_EINVAL, "model");
  jg_model_free(model);
  jg_journeys_free(js);
  jg_map_free(m);
}

static jg_map* single(double conversions, double nulls, unsigned order) {
  static const char* const x[1] = {"x"};
  jg_path_arrays a = JG_PATH_ARRAYS_INIT;
  jg_model_options mo = JG_MODEL_OPTIONS_INIT;
  jg_map_options o = JG_MAP_OPTIONS_INIT;
  jg_journeys* js = NULL;
  jg_map* m = NULL;
  a.n_paths = 1;
  a.paths = x;
  a.conversions = &conversions;
  a.nulls = &nulls;
  mo.order = order;
  o.model = &mo;
  REQUIRE_OK(jg_journeys_from_paths(&a, NULL, &js, NULL));
  REQUIRE_OK(jg_map_create(js, NULL, &o, NULL, &m));
  jg_journeys_free(js);
  return m;
}

static void test_compare_and_windows(void) {
  /* x -> conversion 20/100 against 40/100: z = 0.2 / sqrt(0.3 * 0.7 * 0.02) = 3.0861, p = 0.002028;
   * Holm over 3 tested transitions gives 3p for both x -> conversion and x -> null. */
  jg_map* a = single(20, 80, 1);
  jg_map* b = single(40, 60, 1);
  jg_map* c = single(40, 60, 2);
  jg_table *tr = NULL, *at = NULL;
  jg_compare_options o = JG_COMPARE_OPTIONS_INIT;
  jg_compare_info info = JG_COMPARE_INFO_INIT;
  jg_journeys *js = NULL, *early = NULL, *paths = hand_set();
  jg_journeys_info ji = JG_JOURNEYS_INFO_INIT, ei = JG_JOURNEYS_INFO_INIT;
  size_t rows = 0, cols = 0;
  const double z = 0.2 / sqrt(0.3 * 0.7 * 0.02);

  CHECK_OK(jg_compare_options_init(&o, JG_COMPARE_OPTIONS_VERSION));
  CHECK_ERR(jg_compare_options_init(&o, 2), JG_EINVAL, "version");
  CHECK_OK(jg_compare_info_init(&info, JG_COMPARE_INFO_VERSION));
  CHECK_ERR(jg_compare_info_init(NULL, JG_COMPARE_INFO_VERSION), JG_EINVAL, "info");
  CHECK_OK(jg_map_compare(a, b, &o, &tr, &at, &info));
  CHECK(info.n_transitions == 3 && info.significant == 2);
  CHECK_NEAR(info.conversion_probability_a, 0.2, 1e-15);
  CHECK_NEAR(info.conversion_probability_b, 0.4, 1e-15);
  CHECK_NEAR(fabs(number_at(tr, "z", 0)), z, 1e-12);
  CHECK_NEAR(number_at(tr, "p_adjusted", 0), 3 * erfc(z / sqrt(2.0)), 1e-15);
  CHECK(number_at(tr, "significant", 1) == 1);
  CHECK(number_at(tr, "significant", 2) == 0);
  CHECK_OK(jg_table_size(at, &rows, &cols));
  CHECK(rows == 1 && number_at(at, "share_a", 0) == 1);
  jg_table_free(tr);
  jg_table_free(at);
  CHECK_OK(jg_map_compare(a, b, NULL, &tr, NULL, NULL));
  jg_table_free(tr);
  o.alpha = 1.5;
  CHECK_ERR(jg_map_compare(a, b, &o, &tr, NULL, NULL), JG_EINVAL, "alpha");
  CHECK(tr == NULL);
  o.alpha = 0.05;
  CHECK_ERR(jg_map_compare(a, c, &o, &tr, &at, NULL), JG_EINVAL, "orders");
  CHECK(tr == NULL && at == NULL);
  info.version = 0;
  CHECK_ERR(jg_map_compare(a, b, &o, &tr, NULL, &info), JG_EINVAL, "version");
  o.version = 5;
  CHECK_ERR(jg_map_compare(a, b, &o, &tr, NULL, NULL), JG_EINVAL, "version");
  CHECK_ERR(jg_map_compare(NULL, b, NULL, &tr, NULL, NULL), JG_EINVAL, "a is NULL");
  CHECK_ERR(jg_map_compare(a, NULL, NULL, &tr, NULL, NULL), JG_EINVAL, "b is NULL");
  CHECK_ERR(jg_map_compare(a, b, NULL, NULL, NULL, NULL), JG_EINVAL, "out_transitions");

  /* Time windows of the sample: the first 45 days and the rest partition the journeys. */
  REQUIRE_OK(jg_journeys_sample(500, 3, NULL, NULL, &js, NULL));
  CHECK_OK(jg_journeys_time_window(js, 0, 1767225600 + 45 * 86400, &early));
  REQUIRE_OK(jg_journeys_get_info(js, &ji));
  REQUIRE_OK(jg_journeys_get_info(early, &ei));
  CHECK(ei.n_journeys > 0 && ei.n_journeys < ji.n_journeys);
  {
    jg_journeys* late = NULL;
    jg_journeys_info li = JG_JOURNEYS_INFO_INIT;
    CHECK_OK(jg_journeys_time_window(js, 1767225600 + 45 * 86400, INT64_MAX, &late));
    REQUIRE_OK(jg_journeys_get_info(late, &li));
    CHECK(ei.n_journeys + li.n_journeys == ji.n_journeys);
    jg_journeys_free(late);
  }
  jg_journeys_free(early);
  CHECK_ERR(jg_journeys_time_window(js, 10, 5, &early), JG_EINVAL, "from");
  CHECK(early == NULL);
  CHECK_ERR(jg_journeys_time_window(paths, 0, 1, &early), JG_ESTATE, "timestamps");
  CHECK_ERR(jg_journeys_time_window(NULL, 0, 1, &early), JG_EINVAL, "journeys");
  CHECK_ERR(jg_journeys_time_window(js, 0, 1, NULL), JG_EINVAL, "out_journeys");
  jg_journeys_free(js);
  jg_journeys_free(paths);
  jg_map_free(a);
  jg_map_free(b);
  jg_map_free(c);
}

static void test_exports(void) {
  jg_journeys* js = NULL;
  jg_stages* st = NULL;
  jg_map* m = NULL;
  jg_map* plain = hand_map(0);
  jg_export_options o = JG_EXPORT_OPTIONS_INIT;
  jg_sankey_options so = JG_SANKEY_OPTIONS_INIT;
  size_t len = 0, again = 0;
  char small[8];
  static const char file[] = JG_TEST_TMP_DIR "/test_journey_map_report.html";
  int f;
  static const char* const starts[8] = {"digraph", "<?xml", "{", "{", "<svg", "<svg", "<svg", "<!DOCTYPE html>"};
  REQUIRE_OK(jg_journeys_sample(400, 9, NULL, NULL, &js, NULL));
  REQUIRE_OK(jg_stages_sample(&st));
  REQUIRE_OK(jg_map_create(js, st, NULL, NULL, &m));

  {  /* the static initializer and the init function give the same defaults */
    jg_export_options made;
    CHECK_OK(jg_export_options_init(&made, JG_EXPORT_OPTIONS_VERSION));
    CHECK(o.version == made.version && o.title == made.title && o.max_edges == made.max_edges &&
          o.sankey == made.sankey && o.top_paths == made.top_paths && o.pain_points == made.pain_points &&
          o.event_funnel == made.event_funnel && o.path_explorer == made.path_explorer &&
          o.drivers == made.drivers && o.drivers_shown == made.drivers_shown &&
          o.model_comparison == made.model_comparison && o.spend_file == made.spend_file &&
          o.spend_period == made.spend_period && o.segment_switch == made.segment_switch &&
          o.period_switch == made.period_switch && o.time_format == made.time_format);
  }
  CHECK_OK(jg_export_options_init(&o, JG_EXPORT_OPTIONS_VERSION));
  CHECK_ERR(jg_export_options_init(&o, 6), JG_EINVAL, "version");
  o.title = "Sample";
  o.sankey = &so;
  for (f = JG_MAP_DOT; f <= JG_MAP_HTML_REPORT; ++f) {
    char* text;
    CHECK_OK(jg_map_export(m, (jg_map_format)f, &o, NULL, 0, &len));
    CHECK(len > 100);
    text = (char*)malloc(len);
    REQUIRE(text != NULL);
    CHECK_OK(jg_map_export(m, (jg_map_format)f, &o, text, len, &again));
    CHECK(again == len && strlen(text) + 1 == len);
    CHECK(strncmp(text, starts[f], strlen(starts[f])) == 0);
    if (f == JG_MAP_SVG_GRAPH || f == JG_MAP_HTML_REPORT) CHECK(strstr(text, "Sample") != NULL);
    free(text);
  }
  CHECK_ERR(jg_map_export(m, JG_MAP_DOT, NULL, small, sizeof small, &len), JG_EBUFS, "needed");
  CHECK(len > sizeof small);
  CHECK_ERR(jg_map_export(m, (jg_map_format)8, NULL, NULL, 0, &len), JG_EINVAL, "format is 8");
  CHECK_ERR(jg_map_export(m, JG_MAP_DOT, NULL, NULL, 4, &len), JG_EINVAL, "capacity");
  CHECK_ERR(jg_map_export(m, JG_MAP_DOT, NULL, NULL, 0, NULL), JG_EINVAL, "out_len");
  CHECK_ERR(jg_map_export(NULL, JG_MAP_DOT, NULL, NULL, 0, &len), JG_EINVAL, "map");
  CHECK_ERR(jg_map_export(plain, JG_MAP_SVG_FUNNEL, NULL, NULL, 0, &len), JG_ESTATE, "no stages");
  so.by_stage = 1;
  CHECK_ERR(jg_map_export(plain, JG_MAP_SANKEY_JSON, &o, NULL, 0, &len), JG_ESTATE, "stages");
  so.version = 0;
  CHECK_ERR(jg_map_export(m, JG_MAP_SANKEY_JSON, &o, NULL, 0, &len), JG_EINVAL, "version");
  o.version = 0;
  CHECK_ERR(jg_map_export(m, JG_MAP_DOT, &o, NULL, 0, &len), JG_EINVAL, "version");

  CHECK_OK(jg_map_write(m, JG_MAP_HTML_REPORT, NULL, file));
  {
    FILE* h = fopen(file, "rb");
    char head[16] = {0};
    REQUIRE(h != NULL);
    CHECK(fread(head, 1, 15, h) == 15);
    CHECK(strcmp(head, "<!DOCTYPE html>") == 0);
    fclose(h);
  }
  CHECK_ERR(jg_map_write(m, JG_MAP_DOT, NULL, JG_TEST_TMP_DIR "/no/such/dir/map.dot"), JG_EIO, "no/such/dir");
  CHECK_ERR(jg_map_write(m, JG_MAP_DOT, NULL, NULL), JG_EINVAL, "file");
  CHECK_ERR(jg_map_write(NULL, JG_MAP_DOT, NULL, file), JG_EINVAL, "map");
  CHECK_ERR(jg_map_write(plain, JG_MAP_SVG_FUNNEL, NULL, file), JG_ESTATE, "no stages");
  jg_map_free(plain);
  jg_map_free(m);
  jg_stages_free(st);
  jg_journeys_free(js);
}

/* A transition out of a state that one map never reaches cannot be tested: the hand set against journeys
 * that only touch x. Every figure derived from the missing side is NaN and the row is not significant. */
static void test_untestable_comparison_rows(void) {
  jg_map* a = hand_map(0);
  jg_map* b = single(1, 1, 1);
  jg_table *tr = NULL, *at = NULL;
  static const char* const derived[5] = {"p_b", "difference", "z", "p_value", "p_adjusted"};
  size_t rows = 0, cols = 0, r, k, untestable = 0;
  CHECK_OK(jg_map_compare(a, b, NULL, &tr, &at, NULL));
  CHECK_OK(jg_table_size(tr, &rows, &cols));
  for (r = 0; r < rows; ++r) {
    const char* from = NULL;
    REQUIRE_OK(jg_table_string(tr, "from", r, &from));
    if (strcmp(from, "search") != 0) continue;
    ++untestable;
    CHECK(number_at(tr, "total_b", r) == 0 && number_at(tr, "significant", r) == 0);
    for (k = 0; k < 5; ++k) CHECK(isnan(number_at(tr, derived[k], r)));
  }
  CHECK(untestable == 3);
  /* (start) -> search is tested: b's START row exists (p_b = 0). */
  r = row_of(tr, "to", "search");
  CHECK(number_at(tr, "p_b", r) == 0 && !isnan(number_at(tr, "p_adjusted", r)));
  jg_table_free(tr);
  jg_table_free(at);
  jg_map_free(a);
  jg_map_free(b);
}

/* The version-1 layout of jg_export_options, as a caller compiled against the old header has it. */
typedef struct export_options_v1 {
  unsigned version;
  const char* title;
  size_t max_edges;
  const jg_sankey_options* sankey;
  size_t top_paths;
  size_t pain_points;
} export_options_v1;

/* The report of `m` with options o, as a new string (NULL on failure, with the status checked by the caller). */
static char* report_of(const jg_map* m, const jg_export_options* o, jg_status* status) {
  size_t len = 0;
  char* text;
  *status = jg_map_export(m, JG_MAP_HTML_REPORT, o, NULL, 0, &len);
  if (*status != JG_OK) return NULL;
  text = (char*)malloc(len);
  if (!text) return NULL;
  *status = jg_map_export(m, JG_MAP_HTML_REPORT, o, text, len, &len);
  if (*status != JG_OK) {
    free(text);
    return NULL;
  }
  return text;
}

/* Version 2 of jg_export_options: each report section and menu, read into the core's options. */
static void test_report_sections(void) {
  jg_journeys* js = NULL;
  jg_stages* st = NULL;
  jg_map* m = NULL;
  jg_export_options o;
  jg_funnel_options fo = JG_FUNNEL_OPTIONS_INIT;
  jg_path_explorer_options po = JG_PATH_EXPLORER_OPTIONS_INIT;
  jg_driver_options dr;
  jg_attribution_options ao = JG_ATTRIBUTION_OPTIONS_INIT;
  static const char* const steps[3] = {"stage:awareness", "stage:consideration", "(conversion)"};
  static const char* const models[2] = {"markov", "last_touch"};
  static const char spend[] = JG_TEST_TMP_DIR "/test_journey_map_spend.csv";
  static const char* const ids[6] = {"<section id=\"event-funnel\"", "<section id=\"path-explorer\"",
                                     "<section id=\"drivers\"", "<section id=\"models\"", "<section id=\"money\"",
                                     "<section id=\"s0-models\""};
  export_options_v1* v1;
  jg_status status;
  char *all, *plain, *old, *text;
  FILE* h;
  int i;
  REQUIRE_OK(jg_journeys_sample(400, 9, NULL, NULL, &js, NULL));
  REQUIRE_OK(jg_stages_sample(&st));
  REQUIRE_OK(jg_map_create(js, st, NULL, NULL, &m));
  REQUIRE_OK(jg_driver_options_init(&dr, JG_DRIVER_OPTIONS_VERSION));
  h = fopen(spend, "wb");
  REQUIRE(h != NULL);
  CHECK(fputs("touchpoint,spend\nemail,800\nsocial_ad,6000\n", h) >= 0);
  CHECK(fclose(h) == 0);

  /* Defaults: no section, no menu, drivers_shown as the core's. */
  CHECK_OK(jg_export_options_init(&o, JG_EXPORT_OPTIONS_VERSION));
  CHECK(o.version == 2 && o.event_funnel == NULL && o.model_comparison == NULL && o.spend_file == NULL &&
        o.segment_switch == 0 && o.period_switch == NULL && o.drivers_shown == 20);
  plain = report_of(m, &o, &status);
  CHECK(status == JG_OK && plain != NULL);

  fo.steps = steps;
  fo.n_steps = 3;
  fo.window_seconds = 30 * 86400.0;
  dr.min_support = 10;
  ao.models = models;
  ao.n_models = 2;
  o.event_funnel = &fo;
  o.path_explorer = &po;
  o.drivers = &dr;
  o.drivers_shown = 5;
  o.model_comparison = &ao;
  o.spend_file = spend;
  o.segment_switch = 1;
  o.period_switch = "week";
  all = report_of(m, &o, &status);
  CHECK(status == JG_OK && all != NULL);
  for (i = 0; i < 6 && all && plain; ++i) {
    CHECK(strstr(all, ids[i]) != NULL);
    if (i < 5) CHECK(strstr(plain, ids[i]) == NULL);
  }
  if (all) {
    CHECK(strstr(all, "<select id=\"jg-segment\"") != NULL);
    CHECK(strstr(all, "<select id=\"jg-period\"") != NULL);
    CHECK(strstr(all, "<option value=\"p0-\">20") != NULL); /* a week label "20YY-Www" */
    CHECK(strstr(all, "-W") != NULL);
  }
  /* Each section alone. */
  {
    jg_export_options one;
    size_t n = 0;
    for (i = 0; i < 5; ++i) {
      CHECK_OK(jg_export_options_init(&one, JG_EXPORT_OPTIONS_VERSION));
      if (i == 0) one.event_funnel = &fo;
      if (i == 1) one.path_explorer = &po;
      if (i == 2) one.drivers = &dr;
      if (i >= 3) one.model_comparison = &ao;
      if (i == 4) one.spend_file = spend;
      text = report_of(m, &one, &status);
      CHECK(status == JG_OK && text != NULL);
      if (text) {
        CHECK(strstr(text, ids[i]) != NULL);
        CHECK(strstr(text, "jg-segment") == NULL && strstr(text, "jg-period") == NULL);
      }
      free(text);
    }
    CHECK_OK(jg_export_options_init(&one, JG_EXPORT_OPTIONS_VERSION));
    one.period_switch = "2000-01-01";
    text = report_of(m, &one, &status);
    CHECK(status == JG_OK && text != NULL && strstr(text, "<option value=\"p0-\">from 2000-01-01 on</option>") != NULL);
    CHECK(text != NULL && strstr(text, "1 period without journeys left out of the period menu: before 2000-01-01.") != NULL);
    free(text);
    /* Bad input: named. */
    one.period_switch = "fortnight";
    CHECK_ERR(jg_map_export(m, JG_MAP_HTML_REPORT, &one, NULL, 0, &n), JG_EINVAL, "fortnight");
    one.period_switch = NULL;
    one.spend_file = spend;
    CHECK_ERR(jg_map_write(m, JG_MAP_HTML_REPORT, &one, JG_TEST_TMP_DIR "/test_journey_map_money.html"), JG_EINVAL,
              "model comparison");
    one.spend_file = NULL;
    one.spend_period = "2026-01";
    CHECK_ERR(jg_map_write(m, JG_MAP_HTML_REPORT, &one, JG_TEST_TMP_DIR "/test_journey_map_money.html"), JG_EINVAL,
              "spend_file");
    one.spend_period = NULL;
    one.drivers = &dr;
    one.drivers_shown = 0;
    CHECK_ERR(jg_map_write(m, JG_MAP_HTML_REPORT, &one, JG_TEST_TMP_DIR "/test_journey_map_money.html"), JG_EINVAL,
              "drivers_shown");
    one.drivers_shown = 20;
    fo.version = 0;
    one.event_funnel = &fo;
    CHECK_ERR(jg_map_write(m, JG_MAP_HTML_REPORT, &one, JG_TEST_TMP_DIR "/test_journey_map_money.html"), JG_EINVAL,
              "version");
    fo.version = JG_FUNNEL_OPTIONS_VERSION;
  }
  {
    /* Paths without timestamps: the period menu is refused, naming the option. */
    jg_map* untimed = hand_map(0);
    jg_export_options one;
    size_t len = 0;
    CHECK_OK(jg_export_options_init(&one, JG_EXPORT_OPTIONS_VERSION));
    one.period_switch = "month";
    CHECK_ERR(jg_map_export(untimed, JG_MAP_HTML_REPORT, &one, NULL, 0, &len), JG_ESTATE, "period-switch");
    jg_map_free(untimed);
  }

  /* A version-1 caller: its struct ends after pain_points (on the heap, exactly that size, so that a read past
   * it is caught under valgrind), and it gets the report without sections. */
  v1 = (export_options_v1*)malloc(sizeof *v1);
  REQUIRE(v1 != NULL);
  CHECK_OK(jg_export_options_init((jg_export_options*)v1, 1));
  CHECK(v1->version == 1 && v1->top_paths == 10 && v1->pain_points == 12 && v1->title == NULL);
  old = report_of(m, (const jg_export_options*)v1, &status);
  CHECK(status == JG_OK && old != NULL && plain != NULL && strcmp(old, plain) == 0);
  v1->title = "Old caller";
  free(old);
  old = report_of(m, (const jg_export_options*)v1, &status);
  CHECK(status == JG_OK && old != NULL && strstr(old, "<title>Old caller</title>") != NULL);
  CHECK(old != NULL && strstr(old, "id=\"models\"") == NULL);
  free(old);
  free(v1);

  free(all);
  free(plain);
  remove(spend);
  jg_map_free(m);
  jg_stages_free(st);
  jg_journeys_free(js);
}

int main(void) {
  test_stages();
  test_map_and_tables();
  test_funnel_and_pain_points();
  test_paths_and_sankey();
  test_what_if();
  test_compare_and_windows();
  test_untestable_comparison_rows();
  test_exports();
  test_report_sections();
  return finish("test_journey_map");
}
