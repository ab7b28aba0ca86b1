/* Chain analysis, simulation and order choice through the C ABI, error paths included, on the golden paths
 * of test_markov.c:
 *   "a > b"  2 conversions, 1 null, value 20
 *   "b"      1 conversion,  3 nulls, value 5
 *   "a"      0 conversions, 2 nulls */

#include "check.h"

static const char* const kPaths[3] = {"a > b", "b", "a"};
static const double kConv[3] = {2, 1, 0};
static const double kNull[3] = {1, 3, 2};
static const double kValue[3] = {20, 5, 0};

static jg_journeys* paths(void) { return path_journeys(3, kPaths, kConv, kNull, kValue); }

static jg_model* fitted(const jg_journeys* js) {
  jg_model* m = NULL;
  REQUIRE_OK(jg_model_create(&m));
  REQUIRE_OK(jg_model_fit(m, js, NULL, NULL));
  return m;
}

static void test_analysis(void) {
  /* Order 1 on the paths: START -> a 5/9, b 4/9; a -> b 3/5, NULL 2/5; b -> CONVERSION 3/7, NULL 4/7;
   * b's value per conversion 25/3.
   *   conversion probability  START 1/3, a 9/35, b 3/7
   *   expected value          START 25/9, a 15/7, b 25/7
   *   expected visits         START 1, a 5/9, b 4/9 + 5/9 * 3/5 = 7/9
   *   touches to go           START 5/9 + 7/9 = 4/3, a 3/5, b 0 */
  jg_journeys* js = paths();
  jg_model* m = fitted(js);
  jg_model* unfitted = NULL;
  jg_analysis* an = NULL;
  jg_analysis_info info = JG_ANALYSIS_INFO_INIT, fresh;
  double v[4];
  size_t len = 0;
  REQUIRE_OK(jg_model_create(&unfitted));
  CHECK_OK(jg_analysis_create(m, NULL, &an));
  CHECK_OK(jg_analysis_get_info(an, &info));
  CHECK(info.n_states == 3 && info.n_touchpoints == 2);
  CHECK_NEAR(info.expected_touches, 4.0 / 3, 1e-15);
  CHECK(info.max_residual < 1e-15);
  CHECK_OK(jg_analysis_get(an, JG_ANALYSIS_CONVERSION_PROBABILITY, v, 4, &len));
  CHECK(len == 3);
  CHECK_NEAR(v[0], 1.0 / 3, 1e-15);
  CHECK_NEAR(v[1], 9.0 / 35, 1e-15);
  CHECK_NEAR(v[2], 3.0 / 7, 1e-15);
  CHECK_OK(jg_analysis_get(an, JG_ANALYSIS_EXPECTED_VALUE, v, 4, &len));
  CHECK_NEAR(v[0], 25.0 / 9, 1e-14);
  CHECK_NEAR(v[1], 15.0 / 7, 1e-14);
  CHECK_NEAR(v[2], 25.0 / 7, 1e-14);
  CHECK_OK(jg_analysis_get(an, JG_ANALYSIS_EXPECTED_VISITS, v, 4, &len));
  CHECK_NEAR(v[0], 1, 1e-15);
  CHECK_NEAR(v[1], 5.0 / 9, 1e-15);
  CHECK_NEAR(v[2], 7.0 / 9, 1e-15);
  CHECK_OK(jg_analysis_get(an, JG_ANALYSIS_TOUCHES_TO_GO, v, 4, &len));
  CHECK_NEAR(v[0], 4.0 / 3, 1e-15);
  CHECK_NEAR(v[1], 0.6, 1e-15);
  CHECK_NEAR(v[2], 0, 1e-15);
  CHECK_OK(jg_analysis_get(an, JG_ANALYSIS_TOUCHPOINT_VISITS, v, 4, &len));
  CHECK(len == 2);
  CHECK_NEAR(v[0], 5.0 / 9, 1e-15);
  CHECK_NEAR(v[1], 7.0 / 9, 1e-15);

  CHECK_OK(jg_analysis_info_init(&fresh, JG_ANALYSIS_INFO_VERSION));
  CHECK(fresh.n_states == 0);
  CHECK_ERR(jg_analysis_info_init(NULL, JG_ANALYSIS_INFO_VERSION), JG_EINVAL, "info is NULL");
  CHECK_ERR(jg_analysis_info_init(&fresh, 0), JG_EINVAL, ".version is 0");
  info.version = 9;
  CHECK_ERR(jg_analysis_get_info(an, &info), JG_EINVAL, "jg_analysis_info.version is 9");
  CHECK_ERR(jg_analysis_get_info(NULL, &info), JG_EINVAL, "analysis is NULL");
  CHECK_ERR(jg_analysis_get(an, (jg_analysis_field)5, v, 4, &len), JG_EINVAL, "field is 5");
  CHECK_ERR(jg_analysis_get(an, JG_ANALYSIS_EXPECTED_VALUE, v, 2, &len), JG_EBUFS, "are needed");
  CHECK(len == 3);
  jg_analysis_free(an);
  CHECK_ERR(jg_analysis_create(unfitted, NULL, &an), JG_ESTATE, "the model is not fitted");
  CHECK(an == NULL);
  CHECK_ERR(jg_analysis_create(NULL, NULL, &an), JG_EINVAL, "model is NULL");
  CHECK_ERR(jg_analysis_create(m, NULL, NULL), JG_EINVAL, "out_analysis is NULL");
  jg_analysis_free(an);
  jg_analysis_free(NULL);
  jg_model_free(unfitted);
  jg_model_free(m);
  jg_journeys_free(js);
}

static void test_simulation(void) {
  jg_journeys* js = paths();
  jg_model* m = fitted(js);
  jg_model* unfitted = NULL;
  jg_journeys *a = NULL, *b = NULL, *c = NULL;
  jg_simulation_options o = JG_SIMULATION_OPTIONS_INIT, f;
  jg_exec_options one = JG_EXEC_OPTIONS_INIT, two = JG_EXEC_OPTIONS_INIT;
  jg_journeys_info ia = JG_JOURNEYS_INFO_INIT, ib = JG_JOURNEYS_INFO_INIT;
  size_t j;
  int same = 1;
  one.threads = 1;
  two.threads = 2;
  REQUIRE_OK(jg_model_create(&unfitted));
  CHECK_OK(jg_simulation_options_init(&f, JG_SIMULATION_OPTIONS_VERSION));
  CHECK(f.journeys == 10000 && f.seed == 0 && f.max_touches == 10000);
  CHECK_ERR(jg_simulation_options_init(NULL, JG_SIMULATION_OPTIONS_VERSION), JG_EINVAL, "options is NULL");
  o.journeys = 30000;
  o.seed = 11;
  CHECK_OK(jg_model_simulate(m, &o, &one, &a));
  CHECK_OK(jg_model_simulate(m, &o, &two, &b));
  CHECK_OK(jg_journeys_get_info(a, &ia));
  CHECK_OK(jg_journeys_get_info(b, &ib));
  CHECK(ia.n_journeys == 30000 && ia.has_timestamps == 0);
  /* P(conversion) = 1/3; every converted journey carries b's value per conversion 25/3. */
  CHECK(fabs(ia.total_conversions / 30000.0 - 1.0 / 3) < 5 * sqrt(2.0 / 9 / 30000));
  CHECK_NEAR(ia.total_value, ia.total_conversions * 25.0 / 3, 1e-9);
  CHECK(ia.total_conversions == ib.total_conversions && ia.n_touches == ib.n_touches);
  for (j = 0; j < 200; ++j) {
    uint32_t pa[64], pb[64];
    size_t la = 0, lb = 0;
    CHECK_OK(jg_journeys_path(a, j, pa, 64, &la));
    CHECK_OK(jg_journeys_path(b, j, pb, 64, &lb));
    same &= la == lb && memcmp(pa, pb, la * sizeof *pa) == 0;
  }
  CHECK(same);
  CHECK_OK(jg_model_simulate(m, NULL, NULL, &c));
  CHECK_OK(jg_journeys_get_info(c, &ia));
  CHECK(ia.n_journeys == 10000);
  jg_journeys_free(c);
  c = NULL;

  o.max_touches = 0;
  CHECK_ERR(jg_model_simulate(m, &o, NULL, &c), JG_EINVAL, "max_touches must be at least 1");
  /* O03: a size that cannot be held is a size error naming the limit, never JG_EINTERNAL. */
  o = (jg_simulation_options)JG_SIMULATION_OPTIONS_INIT;
  o.journeys = SIZE_MAX;
  CHECK_ERR(jg_model_simulate(m, &o, NULL, &c), JG_EINVAL, "simulation journeys must be at most 4294967296 (2^32)");
  o = (jg_simulation_options)JG_SIMULATION_OPTIONS_INIT;
  o.version = 2;
  CHECK_ERR(jg_model_simulate(m, &o, NULL, &c), JG_EINVAL, "jg_simulation_options.version is 2");
  CHECK_ERR(jg_model_simulate(unfitted, NULL, NULL, &c), JG_ESTATE, "the model is not fitted");
  CHECK_ERR(jg_model_simulate(NULL, NULL, NULL, &c), JG_EINVAL, "model is NULL");
  CHECK_ERR(jg_model_simulate(m, NULL, NULL, NULL), JG_EINVAL, "out_journeys is NULL");
  CHECK(c == NULL);
  jg_journeys_free(b);
  jg_journeys_free(a);
  jg_model_free(unfitted);
  jg_model_free(m);
  jg_journeys_free(js);
}

static void test_order(void) {
  /* In-sample, order 1 (self-loops kept; the paths have none): transitions START -> a 5, b 4; a -> b 3,
   * NULL 2; b -> CONVERSION 3, NULL 4. Parameters 1 + 1 + 1, observations 21. */
  jg_journeys* js = paths();
  jg_order_options o = JG_ORDER_OPTIONS_INIT, f;
  jg_order_score s[4];
  unsigned recommended = 99;
  size_t len = 0;
  const double ll = 5 * log(5.0 / 9) + 4 * log(4.0 / 9) + 3 * log(0.6) + 2 * log(0.4) + 3 * log(3.0 / 7) + 4 * log(4.0 / 7);
  CHECK_OK(jg_order_options_init(&f, JG_ORDER_OPTIONS_VERSION));
  CHECK(f.max_order == 4 && f.holdout == 0.2 && f.seed == 0 && f.smoothing == 0.0 &&
        f.self_loops == JG_SELF_LOOPS_KEEP && f.floor == 1e-6);
  CHECK_ERR(jg_order_options_init(&f, 5), JG_EINVAL, "knows versions 1 to 1");
  o.max_order = 2;
  o.holdout = 0.5;
  CHECK_OK(jg_order_choose(js, &o, NULL, NULL, 0, &len, &recommended));
  CHECK(len == 2);
  CHECK_ERR(jg_order_choose(js, &o, NULL, s, 1, &len, &recommended), JG_EBUFS, "are needed");
  CHECK_OK(jg_order_choose(js, &o, NULL, s, 4, &len, &recommended));
  CHECK(len == 2 && s[0].order == 1 && s[1].order == 2);
  CHECK(recommended == 1 || recommended == 2);
  CHECK(s[recommended - 1].heldout_log_likelihood >= s[2 - recommended].heldout_log_likelihood);
  CHECK_NEAR(s[0].log_likelihood, ll, 1e-13);
  CHECK(s[0].parameters == 3 && s[0].observations == 21 && s[0].states == 3);
  CHECK_NEAR(s[0].aic, 6 - 2 * ll, 1e-13);
  CHECK_NEAR(s[0].bic, 3 * log(21.0) - 2 * ll, 1e-13);
  CHECK(s[1].log_likelihood >= s[0].log_likelihood - 1e-12);
  CHECK(s[0].heldout_journeys > 0 && s[0].heldout_journeys < 9);

  o.max_order = 0;
  CHECK_ERR(jg_order_choose(js, &o, NULL, s, 4, &len, &recommended), JG_EINVAL, "max_order must be in 1..16, got 0");
  o = (jg_order_options)JG_ORDER_OPTIONS_INIT;
  o.holdout = 1.5;
  CHECK_ERR(jg_order_choose(js, &o, NULL, s, 4, &len, &recommended), JG_EINVAL, "holdout must be in (0, 1)");
  o = (jg_order_options)JG_ORDER_OPTIONS_INIT;
  o.self_loops = (jg_self_loops)5;
  CHECK_ERR(jg_order_choose(js, &o, NULL, s, 4, &len, &recommended), JG_EINVAL, "options->self_loops is 5");
  o = (jg_order_options)JG_ORDER_OPTIONS_INIT;
  o.version = 0;
  CHECK_ERR(jg_order_choose(js, &o, NULL, s, 4, &len, &recommended), JG_EINVAL, "jg_order_options.version is 0");
  CHECK_ERR(jg_order_choose(js, NULL, NULL, s, 4, &len, NULL), JG_EINVAL, "out_recommended is NULL");
  CHECK_ERR(jg_order_choose(js, NULL, NULL, s, 4, NULL, &recommended), JG_EINVAL, "out_len is NULL");
  CHECK_ERR(jg_order_choose(NULL, NULL, NULL, s, 4, &len, &recommended), JG_EINVAL, "journeys is NULL");
  {
    /* A single journey cannot be split. */
    static const char* const one_path[1] = {"a"};
    static const double one[1] = {1};
    jg_path_arrays pa = JG_PATH_ARRAYS_INIT;
    jg_journeys* single = NULL;
    pa.n_paths = 1;
    pa.paths = one_path;
    pa.conversions = one;
    REQUIRE_OK(jg_journeys_from_paths(&pa, NULL, &single, NULL));
    CHECK_ERR(jg_order_choose(single, NULL, NULL, s, 4, &len, &recommended), JG_EDATA, "too few journeys");
    jg_journeys_free(single);
  }
  jg_journeys_free(js);
}

/* W01, M01, O01 through the C ABI: a model saved to a full device, a directory loaded as a model, CSV
 * cells guarded against spreadsheet formulas unless JG_TABLE_CSV_RAW. */
static void test_output_hygiene(void) {
  static const char* const names[2] = {"=cmd|' /C calc'!A0", "-3"};
  static const double conv[2] = {1, 1}, nulls[2] = {1, 2};
  jg_path_arrays a = JG_PATH_ARRAYS_INIT;
  jg_journeys* js = NULL;
  jg_model *m = NULL, *loaded = NULL;
  jg_table* t = NULL;
  char text[4096];
  size_t len = 0;
  a.n_paths = 2;
  a.paths = names;
  a.conversions = conv;
  a.nulls = nulls;
  REQUIRE_OK(jg_journeys_from_paths(&a, NULL, &js, NULL));
  m = fitted(js);
  CHECK_ERR(jg_model_save(m, "/dev/full"), JG_EIO, "error writing /dev/full: No space left on device");
  REQUIRE_OK(jg_model_create(&loaded));
  CHECK_ERR(jg_model_load(loaded, "/", NULL), JG_EIO, "cannot read /: Is a directory");
  REQUIRE_OK(jg_model_transition_table(m, &t));
  CHECK_OK(jg_table_to_text(t, JG_TABLE_CSV, text, sizeof text, &len));
  CHECK(strstr(text, "\n(start),'=cmd|' /C calc'!A0,") != NULL);
  CHECK(strstr(text, "\n(start),-3,") != NULL);
  CHECK_OK(jg_table_to_text(t, JG_TABLE_CSV_RAW, text, sizeof text, &len));
  CHECK(strstr(text, "\n(start),=cmd|' /C calc'!A0,") != NULL);
  jg_table_free(t);
  jg_model_free(loaded);
  jg_model_free(m);
  jg_journeys_free(js);
}

int main(void) {
  test_output_hygiene();
  test_analysis();
  test_simulation();
  test_order();
  return finish("test_analysis");
}
