/* Open-journey scoring through the C ABI, error paths included, on the golden paths of test_analysis.c:
 *   "a > b"  2 conversions, 1 null, value 20
 *   "b"      1 conversion,  3 nulls, value 5
 *   "a"      0 conversions, 2 nulls
 * Order 1: START -> a 5/9, b 4/9; a -> b 3/5, NULL 2/5; b -> CONVERSION 3/7, NULL 4/7, value per conversion
 * 25/3. P(conversion): START 1/3, a 9/35, b 3/7; expected value a 15/7, b 25/7; touches to go a 3/5, b 0. */

#include "check.h"

static const char* const kPaths[3] = {"a > b", "b", "a"};
static const double kConv[3] = {2, 1, 0};
static const double kNull[3] = {1, 3, 2};
static const double kValue[3] = {20, 5, 0};

static int near(double got, double want) { return fabs(got - want) <= 1e-12 * (fabs(want) > 1 ? fabs(want) : 1); }

static jg_journeys* paths(void) { return path_journeys(3, kPaths, kConv, kNull, kValue); }

static void test_batch(const jg_model* m) {
  /* Histories (a = 0, b = 1): [a], [b], [a, b], [], [b, a]. */
  static const uint64_t offsets[6] = {0, 1, 2, 4, 4, 6};
  static const uint32_t touches[6] = {0, 1, 0, 1, 1, 0};
  static const uint32_t bad[6] = {0, 1, 0, 2, 1, 0};
  static const uint64_t decreasing[6] = {0, 1, 2, 1, 4, 6};
  double p[5], v[5], g[5], lift[2];
  uint32_t matched[5];
  uint8_t backed[5];
  size_t len = 0;
  jg_scorer* s = NULL;
  CHECK_ERR(jg_scorer_create(NULL, NULL, &s), JG_EINVAL, "model is NULL");
  CHECK(s == NULL);
  REQUIRE_OK(jg_scorer_create(m, NULL, &s));
  CHECK_OK(jg_scorer_score_batch(s, offsets, 5, touches, 6, p, v, g, matched, backed));
  CHECK(near(p[0], 9.0 / 35) && near(p[1], 3.0 / 7) && near(p[2], 3.0 / 7) && near(p[3], 1.0 / 3) &&
        near(p[4], 9.0 / 35));
  CHECK(near(v[0], 15.0 / 7) && near(v[1], 25.0 / 7) && near(v[3], 25.0 / 9));
  CHECK(near(g[0], 3.0 / 5) && near(g[1], 0) && near(g[3], 4.0 / 3));
  CHECK(matched[0] == 1 && matched[3] == 0 && backed[0] == 0 && backed[4] == 0);
  /* Outputs are optional. */
  CHECK_OK(jg_scorer_score_batch(s, offsets, 5, touches, 6, NULL, NULL, g, NULL, NULL));
  CHECK_OK(jg_scorer_score_batch(s, NULL, 0, NULL, 0, p, v, g, matched, backed));
  /* Bad input: nothing written. */
  p[0] = -1;
  CHECK_ERR(jg_scorer_score_batch(s, offsets, 5, bad, 6, p, NULL, NULL, NULL, NULL), JG_EINVAL,
            "touch 3 has touchpoint id 2");
  CHECK_ERR(jg_scorer_score_batch(s, decreasing, 5, touches, 6, p, NULL, NULL, NULL, NULL), JG_EINVAL,
            "offsets decrease at history 2");
  CHECK_ERR(jg_scorer_score_batch(s, offsets, 5, touches, 5, p, NULL, NULL, NULL, NULL), JG_EINVAL,
            "only 5 touches");
  CHECK_ERR(jg_scorer_score_batch(s, NULL, 5, touches, 6, p, NULL, NULL, NULL, NULL), JG_EINVAL, "offsets is NULL");
  CHECK_ERR(jg_scorer_score_batch(NULL, offsets, 5, touches, 6, p, NULL, NULL, NULL, NULL), JG_EINVAL,
            "scorer is NULL");
  CHECK(p[0] == -1);

  /* Next best touch after [a]: a again stays in a (self-loops dropped), b lifts 3/7 - 9/35 = 6/35. */
  CHECK_OK(jg_scorer_next_touch_lift(s, touches, 1, NULL, 0, &len));
  CHECK(len == 2);
  CHECK_ERR(jg_scorer_next_touch_lift(s, touches, 1, lift, 1, &len), JG_EBUFS, "needed");
  CHECK_OK(jg_scorer_next_touch_lift(s, touches, 1, lift, 2, &len));
  CHECK(lift[0] == 0 && near(lift[1], 6.0 / 35));
  CHECK_ERR(jg_scorer_next_touch_lift(s, bad + 3, 1, lift, 2, &len), JG_EINVAL, "history[0] = 2");
  jg_scorer_free(s);
  jg_scorer_free(NULL);
}

static void test_tables(const jg_model* m, const jg_journeys* js) {
  jg_table* t = NULL;
  double p[3];
  size_t len = 0;
  jg_model* unfitted = NULL;
  REQUIRE_OK(jg_score_histories(m, js, NULL, &t));
  CHECK_OK(jg_table_numbers(t, "conversion_probability", p, 3, &len));
  CHECK(len == 3 && near(p[0], 3.0 / 7) && near(p[1], 3.0 / 7) && near(p[2], 9.0 / 35));
  jg_table_free(t);
  /* Paths have no timestamps: no open journeys to find. */
  CHECK_ERR(jg_score_open_journeys(m, js, 86400, NULL, &t), JG_ESTATE, "timestamps");
  CHECK(t == NULL);
  REQUIRE_OK(jg_model_create(&unfitted));
  CHECK_ERR(jg_score_histories(unfitted, js, NULL, &t), JG_ESTATE, "not fitted");
  CHECK_ERR(jg_scorer_create(unfitted, NULL, NULL), JG_EINVAL, "out_scorer is NULL");
  jg_model_free(unfitted);
}

static void test_open(void) {
  /* Journey 1 converted, 2 ended a day before the data's end, 3 is within the hour before it. */
  static const int64_t journey[] = {1, 1, 2, 3, 3};
  static const int64_t time[] = {0, 3600, 86400, 170000, 172800};
  static const uint32_t touch[] = {0, 1, 0, 0, 1};
  static const uint8_t conv[] = {0, 1, 0, 0, 0};
  static const char* const names[] = {"a", "b"};
  jg_event_arrays e = JG_EVENT_ARRAYS_INIT;
  jg_journeys* ev = NULL;
  jg_model* m = NULL;
  jg_table* t = NULL;
  int64_t rows[2];
  size_t len = 0;
  double open = 0;
  e.n_events = 5;
  e.journey = journey;
  e.time = time;
  e.touchpoint = touch;
  e.touchpoint_names = names;
  e.n_touchpoint_names = 2;
  e.conversion = conv;
  REQUIRE_OK(jg_journeys_from_events(&e, NULL, NULL, &ev, NULL));
  REQUIRE_OK(jg_model_create_fitted(ev, NULL, NULL, &m));
  CHECK_ERR(jg_score_open_journeys(m, ev, 0, NULL, &t), JG_EINVAL, "window");
  REQUIRE_OK(jg_score_open_journeys(m, ev, 3600, NULL, &t));
  CHECK_OK(jg_table_integers(t, "journey", rows, 2, &len));
  CHECK(len == 1 && rows[0] == 3); /* the open journey by its id in the events, not its row */
  CHECK_OK(jg_table_meta_number(t, "open", &open));
  CHECK(open == 1);
  jg_table_free(t);
  jg_model_free(m);
  jg_journeys_free(ev);
}

static void test_money(const jg_journeys* js) {
  /* Default models (markov, first_touch, last_touch, linear). last_touch credits b with 3 conversions and
   * value 25; spend a 10, b 30: cost per conversion 10, ROAS 25/30. */
  const char* file = JG_TEST_TMP_DIR "/scoring_spend.csv";
  FILE* f = fopen(file, "w");
  jg_attribution* at = NULL;
  jg_table* t = NULL;
  char model[64];
  double cpa[8], roas[8], change[8];
  size_t len = 0, i;
  const char* s = NULL;
  REQUIRE_OK(f != NULL ? JG_OK : JG_EIO);
  fputs("touchpoint,spend\na,10\nb,30\n", f);
  fclose(f);
  REQUIRE_OK(jg_attribution_create(js, NULL, NULL, &at));
  REQUIRE_OK(jg_attribution_money_table(at, file, NULL, &t));
  CHECK_OK(jg_table_numbers(t, "cost_per_conversion", cpa, 8, &len));
  CHECK(len == 8);
  CHECK_OK(jg_table_numbers(t, "roas", roas, 8, &len));
  for (i = 0; i < len; ++i) {
    CHECK_OK(jg_table_string(t, "model", i, &s));
    strcpy(model, s);
    CHECK_OK(jg_table_string(t, "touchpoint", i, &s));
    if (strcmp(model, "last_touch") == 0 && strcmp(s, "b") == 0) CHECK(near(cpa[i], 10) && near(roas[i], 25.0 / 30));
  }
  jg_table_free(t);
  CHECK_ERR(jg_attribution_money_table(at, JG_TEST_TMP_DIR "/no_such_spend.csv", NULL, &t), JG_EIO, "no_such_spend");
  CHECK_ERR(jg_attribution_money_table(at, file, "2026-01", &t), JG_EINVAL, "no 'period' column");
  CHECK_ERR(jg_attribution_money_table(at, NULL, NULL, &t), JG_EINVAL, "spend_file is NULL");
  CHECK(t == NULL);
  REQUIRE_OK(jg_attribution_comparison_table(at, "last_touch", &t));
  CHECK_OK(jg_table_numbers(t, "conversions_change", change, 8, &len));
  CHECK(len == 6); /* 2 touchpoints x 3 other models */
  CHECK_OK(jg_table_meta_string(t, "baseline", &s));
  CHECK(strcmp(s, "last_touch") == 0);
  jg_table_free(t);
  /* Without a baseline: the default, last_touch (computed among the default models). */
  REQUIRE_OK(jg_attribution_comparison_table(at, NULL, &t));
  CHECK_OK(jg_table_meta_string(t, "baseline", &s));
  CHECK(strcmp(s, "last_touch") == 0);
  jg_table_free(t);
  CHECK_ERR(jg_attribution_comparison_table(at, "shapley", &t), JG_EINVAL, "was not computed");
  CHECK_ERR(jg_attribution_comparison_table(at, "nonsense", &t), JG_EINVAL, "nonsense");
  jg_attribution_free(at);
}

/* The default baseline: last_touch when among the models, else the first. */
static void test_default_baseline(void) {
  static const char* const with_last[3] = {"markov", "linear", "last_touch"};
  static const char* const without[2] = {"shapley", "markov"};
  static const char* const bad[2] = {"markov", "lasttouch"};
  static const char* const null_name[2] = {"markov", NULL};
  const char* name = "unset";
  CHECK_OK(jg_attribution_default_baseline(with_last, 3, &name));
  CHECK(name && strcmp(name, "last_touch") == 0);
  CHECK_OK(jg_attribution_default_baseline(with_last + 2, 1, &name));
  CHECK(name && strcmp(name, "last_touch") == 0);
  CHECK_OK(jg_attribution_default_baseline(without, 2, &name));
  CHECK(name && strcmp(name, "shapley") == 0);
  CHECK_ERR(jg_attribution_default_baseline(bad, 2, &name), JG_EINVAL, "lasttouch");
  CHECK(name == NULL);
  CHECK(strstr(jg_last_error_message(), "last_touch") != NULL);
  CHECK_ERR(jg_attribution_default_baseline(with_last, 0, &name), JG_EINVAL, "no model");
  CHECK_ERR(jg_attribution_default_baseline(NULL, 2, &name), JG_EINVAL, "models is NULL");
  CHECK_ERR(jg_attribution_default_baseline(null_name, 2, &name), JG_EINVAL, "models[1] is NULL");
  CHECK_ERR(jg_attribution_default_baseline(with_last, 3, NULL), JG_EINVAL, "out_name is NULL");
}

int main(void) {
  jg_journeys* js = paths();
  jg_model* m = NULL;
  REQUIRE_OK(jg_model_create_fitted(js, NULL, NULL, &m));
  test_batch(m);
  test_tables(m, js);
  test_open();
  test_money(js);
  test_default_baseline();
  jg_model_free(m);
  jg_journeys_free(js);
  return finish("test_scoring");
}
