/* Transition counts, Markov models and removal effects on chains small enough to solve by hand.
 *
 * The golden paths (order 1, self-loops dropped):
 *   "a > b"  2 conversions, 1 null, value 20
 *   "b"      1 conversion,  3 nulls, value 5
 *   "a"      0 conversions, 2 nulls
 * States: 0 START, 1 a, 2 b; 3 CONVERSION, 4 NULL. Transitions (count, probability):
 *   START->a 5 5/9, START->b 4 4/9, a->b 3 3/5, a->NULL 2 2/5, b->CONV 3 3/7, b->NULL 4 4/7.
 * P(conv) = 5/9*3/5*3/7 + 4/9*3/7 = 1/3. Removing a leaves 4/9*3/7 = 4/21, so RE_a = 1 - (4/21)/(1/3) = 3/7;
 * removing b leaves 0, RE_b = 1. Credit: a = (3/7)/(10/7)*3 = 0.9, b = 2.1. Value per conversion of b is
 * 25/3, E(value) = 7/9*3/7*25/3 = 25/9, value removal effects equal the conversion ones, so value credit
 * a = 7.5, b = 17.5. */

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "check.h"

static const char* const kPaths[3] = {"a > b", "b", "a"};
static const double kConv[3] = {2, 1, 0};
static const double kNull[3] = {1, 3, 2};
static const double kValue[3] = {20, 5, 0};

static jg_journeys* golden(void) { return path_journeys(3, kPaths, kConv, kNull, kValue); }

static jg_model* fitted_model(const jg_journeys* js, unsigned order, double smoothing, jg_self_loops loops) {
  jg_model* m = NULL;
  jg_model_options o = JG_MODEL_OPTIONS_INIT;
  o.order = order;
  o.smoothing = smoothing;
  o.self_loops = loops;
  REQUIRE_OK(jg_model_create(&m));
  REQUIRE_OK(jg_model_fit(m, js, &o, NULL));
  return m;
}

static void check_transition(const jg_transition* t, uint32_t from, uint32_t to, double count, double p) {
  CHECK(t->from == from);
  CHECK(t->to == to);
  CHECK(t->count == count);
  CHECK_NEAR(t->probability, p, 1e-15);
}

/* ------------------------------------------------------------------------------------------ counts */

static void test_counts(void) {
  jg_journeys* js = golden();
  jg_journeys *first = NULL, *rest = NULL;
  jg_counts *all = NULL, *a = NULL, *b = NULL, *order2 = NULL, *keep = NULL;
  jg_counts_info info = JG_COUNTS_INFO_INIT;
  jg_model *from_counts = NULL, *from_journeys = NULL;
  jg_model_info mi = JG_MODEL_INFO_INIT, mj = JG_MODEL_INFO_INIT;
  int equal = -1;

  CHECK_OK(jg_counts_create(js, 1, JG_SELF_LOOPS_DROP, NULL, &all));
  CHECK_OK(jg_counts_get_info(all, &info));
  CHECK(info.order == 1 && info.self_loops == JG_SELF_LOOPS_DROP);
  CHECK(info.n_touchpoints == 2 && info.n_states == 2);
  CHECK(info.n_transitions == 3); /* START->a, START->b, a->b */
  CHECK(info.rows == 3 && info.zero_weight_journeys == 0);
  CHECK(info.journeys == 9 && info.total_conversions == 3 && info.total_nulls == 6 && info.total_value == 25);

  /* Counts of two disjoint parts merge into the counts of the whole. */
  REQUIRE_OK(jg_journeys_slice(js, 0, 1, &first));
  REQUIRE_OK(jg_journeys_slice(js, 1, 2, &rest));
  CHECK_OK(jg_counts_create(first, 1, JG_SELF_LOOPS_DROP, NULL, &a));
  CHECK_OK(jg_counts_create(rest, 1, JG_SELF_LOOPS_DROP, NULL, &b));
  CHECK_OK(jg_counts_equal(a, all, &equal));
  CHECK(equal == 0);
  CHECK_OK(jg_counts_merge(a, b));
  CHECK_OK(jg_counts_equal(a, all, &equal));
  CHECK(equal == 1);

  /* A model fitted on merged counts is the model fitted on the journeys. */
  REQUIRE_OK(jg_model_create(&from_counts));
  CHECK_OK(jg_model_fit_counts(from_counts, a, 0.0, NULL));
  from_journeys = fitted_model(js, 1, 0.0, JG_SELF_LOOPS_DROP);
  CHECK_OK(jg_model_get_info(from_counts, &mi));
  CHECK_OK(jg_model_get_info(from_journeys, &mj));
  CHECK(mi.conversion_probability == mj.conversion_probability);
  CHECK(mi.expected_value == mj.expected_value);
  CHECK(mi.n_states == mj.n_states && mi.n_transitions == mj.n_transitions);

  /* Merging counts with themselves doubles them. */
  CHECK_OK(jg_counts_merge(b, b));
  CHECK_OK(jg_counts_get_info(b, &info));
  CHECK(info.journeys == 12 && info.rows == 4);

  /* Counts of other orders or self-loop settings do not merge. */
  CHECK_OK(jg_counts_create(js, 2, JG_SELF_LOOPS_DROP, NULL, &order2));
  CHECK_ERR(jg_counts_merge(all, order2), JG_EINVAL, "cannot merge counts of order 2 into order 1");
  CHECK_OK(jg_counts_create(js, 1, JG_SELF_LOOPS_KEEP, NULL, &keep));
  CHECK_ERR(jg_counts_merge(all, keep), JG_EINVAL, "different self-loop settings");
  CHECK_OK(jg_counts_get_info(keep, &info));
  CHECK(info.self_loops == JG_SELF_LOOPS_KEEP);

  /* Errors. */
  {
    jg_counts* c = (jg_counts*)js;
    jg_exec_options x = JG_EXEC_OPTIONS_INIT;
    CHECK_ERR(jg_counts_create(NULL, 1, JG_SELF_LOOPS_DROP, NULL, &c), JG_EINVAL, "journeys is NULL");
    CHECK(c == NULL);
    CHECK_ERR(jg_counts_create(js, 1, JG_SELF_LOOPS_DROP, NULL, NULL), JG_EINVAL, "out_counts is NULL");
    CHECK_ERR(jg_counts_create(js, 0, JG_SELF_LOOPS_DROP, NULL, &c), JG_EINVAL, "order must be in 1..16, got 0");
    CHECK_ERR(jg_counts_create(js, 17, JG_SELF_LOOPS_DROP, NULL, &c), JG_EINVAL, "got 17");
    CHECK_ERR(jg_counts_create(js, 1, (jg_self_loops)5, NULL, &c), JG_EINVAL, "self_loops is 5");
    x.version = 0;
    CHECK_ERR(jg_counts_create(js, 1, JG_SELF_LOOPS_DROP, &x, &c), JG_EINVAL, "jg_exec_options.version is 0");
    CHECK(c == NULL);
    CHECK_ERR(jg_counts_merge(NULL, all), JG_EINVAL, "counts is NULL");
    CHECK_ERR(jg_counts_merge(all, NULL), JG_EINVAL, "other is NULL");
    CHECK_ERR(jg_counts_equal(NULL, all, &equal), JG_EINVAL, "a is NULL");
    CHECK_ERR(jg_counts_equal(all, NULL, &equal), JG_EINVAL, "b is NULL");
    CHECK_ERR(jg_counts_equal(all, all, NULL), JG_EINVAL, "out_equal is NULL");
    CHECK_ERR(jg_counts_get_info(NULL, &info), JG_EINVAL, "counts is NULL");
    CHECK_ERR(jg_counts_get_info(all, NULL), JG_EINVAL, "out_info is NULL");
    info.version = 0;
    CHECK_ERR(jg_counts_get_info(all, &info), JG_EINVAL, "jg_counts_info.version is 0");
    CHECK_ERR(jg_model_fit_counts(NULL, all, 0.0, NULL), JG_EINVAL, "model is NULL");
    CHECK_ERR(jg_model_fit_counts(from_counts, NULL, 0.0, NULL), JG_EINVAL, "counts is NULL");
    CHECK_ERR(jg_model_fit_counts(from_counts, all, -1.0, NULL), JG_EINVAL, "smoothing must be a finite number >= 0");
    x.version = 0;
    CHECK_ERR(jg_model_fit_counts(from_counts, all, 0.0, &x), JG_EINVAL, "jg_exec_options.version is 0");
  }

  jg_model_free(from_journeys);
  jg_model_free(from_counts);
  jg_counts_free(keep);
  jg_counts_free(order2);
  jg_counts_free(b);
  jg_counts_free(a);
  jg_counts_free(all);
  jg_counts_free(NULL);
  jg_journeys_free(rest);
  jg_journeys_free(first);
  jg_journeys_free(js);
}

/* ------------------------------------------------------------------------------------------ models */

static void test_golden_model(void) {
  jg_journeys* js = golden();
  jg_model* m = fitted_model(js, 1, 0.0, JG_SELF_LOOPS_DROP);
  jg_model_info info = JG_MODEL_INFO_INIT;
  jg_transition t[8];
  double vpc[4];
  uint32_t tokens[4];
  size_t len = 0;
  const char* name = NULL;
  int is_fitted = 0;

  CHECK_OK(jg_model_is_fitted(m, &is_fitted));
  CHECK(is_fitted == 1);
  CHECK_OK(jg_model_get_info(m, &info));
  CHECK(info.order == 1 && info.smoothing == 0.0 && info.self_loops == JG_SELF_LOOPS_DROP);
  CHECK(info.n_states == 3 && info.n_touchpoints == 2 && info.n_transitions == 6);
  CHECK_NEAR(info.conversion_probability, 1.0 / 3.0, 1e-15);
  CHECK_NEAR(info.expected_value, 25.0 / 9.0, 1e-15);
  CHECK(info.journeys == 9 && info.total_conversions == 3 && info.total_nulls == 6 && info.total_value == 25);

  CHECK_OK(jg_model_touchpoint_name(m, 0, &name));
  CHECK_STR(name, "a");
  CHECK_OK(jg_model_touchpoint_name(m, 1, &name));
  CHECK_STR(name, "b");
  CHECK_OK(jg_model_state_name(m, 0, &name));
  CHECK_STR(name, "(start)");
  CHECK_OK(jg_model_state_name(m, 2, &name));
  CHECK_STR(name, "b");
  CHECK_OK(jg_model_state_name(m, 3, &name));
  CHECK_STR(name, "(conversion)");
  CHECK_OK(jg_model_state_name(m, 4, &name));
  CHECK_STR(name, "(null)");
  CHECK_OK(jg_model_state_tokens(m, 2, tokens, 4, &len));
  CHECK(len == 1 && tokens[0] == 1);
  CHECK_OK(jg_model_state_tokens(m, 0, tokens, 4, &len));
  CHECK(len == 0);
  CHECK_OK(jg_model_state_tokens(m, 4, NULL, 0, &len));
  CHECK(len == 0);

  CHECK_OK(jg_model_transitions(m, NULL, 0, &len));
  CHECK(len == 6);
  CHECK_OK(jg_model_transitions(m, t, 8, &len));
  REQUIRE(len == 6);
  check_transition(&t[0], 0, 1, 5, 5.0 / 9.0);
  check_transition(&t[1], 0, 2, 4, 4.0 / 9.0);
  check_transition(&t[2], 1, 2, 3, 3.0 / 5.0);
  check_transition(&t[3], 1, 4, 2, 2.0 / 5.0);
  check_transition(&t[4], 2, 3, 3, 3.0 / 7.0);
  check_transition(&t[5], 2, 4, 4, 4.0 / 7.0);

  CHECK_OK(jg_model_value_per_conversion(m, vpc, 4, &len));
  CHECK(len == 3);
  CHECK(vpc[0] == 0 && vpc[1] == 0);
  CHECK_NEAR(vpc[2], 25.0 / 3.0, 1e-15);

  /* Removal effects. */
  {
    jg_removal* r = NULL;
    jg_removal_info ri = JG_REMOVAL_INFO_INIT;
    double v[2];
    CHECK_OK(jg_removal_create(m, NULL, &r));
    CHECK_OK(jg_removal_get_info(r, &ri));
    CHECK(ri.n_touchpoints == 2);
    CHECK_NEAR(ri.conversion_probability, 1.0 / 3.0, 1e-15);
    CHECK_NEAR(ri.expected_value, 25.0 / 9.0, 1e-15);
    CHECK(ri.total_conversions == 3 && ri.total_value == 25);
    CHECK_OK(jg_removal_touchpoint_name(r, 1, &name));
    CHECK_STR(name, "b");
    CHECK_OK(jg_removal_get(r, JG_REMOVAL_EFFECT, v, 2, &len));
    CHECK(len == 2);
    CHECK_NEAR(v[0], 3.0 / 7.0, 1e-15);
    CHECK_NEAR(v[1], 1.0, 1e-15);
    CHECK_OK(jg_removal_get(r, JG_REMOVAL_EFFECT_VALUE, v, 2, &len));
    CHECK_NEAR(v[0], 3.0 / 7.0, 1e-15);
    CHECK_NEAR(v[1], 1.0, 1e-15);
    CHECK_OK(jg_removal_get(r, JG_REMOVAL_CONVERSIONS, v, 2, &len));
    CHECK_NEAR(v[0], 0.9, 1e-14);
    CHECK_NEAR(v[1], 2.1, 1e-14);
    CHECK_OK(jg_removal_get(r, JG_REMOVAL_VALUE, v, 2, &len));
    CHECK_NEAR(v[0], 7.5, 1e-14);
    CHECK_NEAR(v[1], 17.5, 1e-14);
    CHECK_OK(jg_removal_get(r, JG_REMOVAL_CONVERSION_PROBABILITY_WITHOUT, v, 2, &len));
    CHECK_NEAR(v[0], 4.0 / 21.0, 1e-15);
    CHECK_NEAR(v[1], 0.0, 1e-15);
    jg_removal_free(r);
  }
  jg_model_free(m);
  jg_journeys_free(js);
}

/* Smoothing alpha = 1 adds 1 to every candidate of a touchpoint state: a -> {b, CONV, NULL} with counts
 * {3, 0, 2} gives {4, 1, 3}/8; b -> {a, CONV, NULL} with {0, 3, 4} gives {1, 4, 5}/10. The chain now has a
 * cycle: x_a = 1/8 + 1/2 x_b, x_b = 2/5 + 1/10 x_a, so x_a = 13/38, x_b = 33/76 and
 * P(conv) = 5/9 x_a + 4/9 x_b = 131/342. */
static void test_smoothing(void) {
  jg_journeys* js = golden();
  jg_model* m = fitted_model(js, 1, 1.0, JG_SELF_LOOPS_DROP);
  jg_model_info info = JG_MODEL_INFO_INIT;
  jg_transition t[8];
  size_t len = 0;
  CHECK_OK(jg_model_get_info(m, &info));
  CHECK(info.smoothing == 1.0);
  CHECK_NEAR(info.conversion_probability, 131.0 / 342.0, 1e-14);
  CHECK_OK(jg_model_transitions(m, t, 8, &len));
  REQUIRE(len == 8);
  check_transition(&t[0], 0, 1, 5, 5.0 / 9.0);
  check_transition(&t[1], 0, 2, 4, 4.0 / 9.0);
  check_transition(&t[2], 1, 2, 3, 4.0 / 8.0);
  check_transition(&t[3], 1, 3, 0, 1.0 / 8.0);
  check_transition(&t[4], 1, 4, 2, 3.0 / 8.0);
  check_transition(&t[5], 2, 1, 0, 1.0 / 10.0);
  check_transition(&t[6], 2, 3, 3, 4.0 / 10.0);
  check_transition(&t[7], 2, 4, 4, 5.0 / 10.0);
  jg_model_free(m);
  jg_journeys_free(js);
}

/* "a > a > b" converting: dropping self-loops gives START->a->b->CONV; keeping them adds a->a. */
static void test_self_loops(void) {
  static const char* const p[1] = {"a > a > b"};
  static const double one[1] = {1};
  jg_journeys* js = path_journeys(1, p, one, NULL, NULL);
  jg_model* drop = fitted_model(js, 1, 0.0, JG_SELF_LOOPS_DROP);
  jg_model* keep = fitted_model(js, 1, 0.0, JG_SELF_LOOPS_KEEP);
  jg_transition t[8];
  size_t len = 0;
  jg_model_info info = JG_MODEL_INFO_INIT;
  CHECK_OK(jg_model_transitions(drop, t, 8, &len));
  REQUIRE(len == 3);
  check_transition(&t[1], 1, 2, 1, 1.0);
  CHECK_OK(jg_model_transitions(keep, t, 8, &len));
  REQUIRE(len == 4);
  check_transition(&t[1], 1, 1, 1, 0.5);
  check_transition(&t[2], 1, 2, 1, 0.5);
  CHECK_OK(jg_model_get_info(keep, &info));
  CHECK(info.self_loops == JG_SELF_LOOPS_KEEP);
  CHECK_NEAR(info.conversion_probability, 1.0, 1e-15);
  jg_model_free(keep);
  jg_model_free(drop);
  jg_journeys_free(js);
}

/* Order 2: "a > b > c" has states (a b) and (b c); the journey "c" is the short state (c). */
static void test_order2(void) {
  static const char* const p[2] = {"a > b > c", "c"};
  static const double conv[2] = {1, 0}, nulls[2] = {0, 1};
  jg_journeys* js = path_journeys(2, p, conv, nulls, NULL);
  jg_model* m = fitted_model(js, 2, 0.0, JG_SELF_LOOPS_DROP);
  jg_model_info info = JG_MODEL_INFO_INIT;
  uint32_t tokens[4];
  size_t len = 0;
  const char* name = NULL;
  CHECK_OK(jg_model_get_info(m, &info));
  CHECK(info.order == 2 && info.n_states == 4 && info.n_touchpoints == 3);
  CHECK_NEAR(info.conversion_probability, 0.5, 1e-15);
  CHECK_OK(jg_model_state_name(m, 1, &name));
  CHECK_STR(name, "a > b");
  CHECK_OK(jg_model_state_name(m, 2, &name));
  CHECK_STR(name, "b > c");
  CHECK_OK(jg_model_state_name(m, 3, &name));
  CHECK_STR(name, "c");
  CHECK_OK(jg_model_state_name(m, 4, &name));
  CHECK_STR(name, "(conversion)");
  CHECK_OK(jg_model_state_tokens(m, 2, tokens, 4, &len));
  CHECK(len == 2 && tokens[0] == 1 && tokens[1] == 2);
  CHECK_OK(jg_model_state_tokens(m, 3, tokens, 4, &len));
  CHECK(len == 1 && tokens[0] == 2);
  jg_model_free(m);
  jg_journeys_free(js);
}

/* ---------------------------------------------------------------------------------- model errors */

static void test_unfitted_model(void) {
  jg_model* m = NULL;
  jg_model_info info = JG_MODEL_INFO_INIT;
  jg_transition t[4];
  double v[4];
  uint32_t tokens[4];
  size_t len = 5;
  const char* name = "x";
  jg_removal* r = (jg_removal*)&info;
  int f = -1;
  CHECK_OK(jg_model_create(&m));
  CHECK_OK(jg_model_is_fitted(m, &f));
  CHECK(f == 0);
  CHECK_ERR(jg_model_get_info(m, &info), JG_ESTATE, "jg_model_get_info: the model is not fitted");
  CHECK_ERR(jg_model_touchpoint_name(m, 0, &name), JG_ESTATE, "not fitted");
  CHECK(name == NULL);
  CHECK_ERR(jg_model_state_name(m, 0, &name), JG_ESTATE, "not fitted");
  CHECK_ERR(jg_model_state_tokens(m, 0, tokens, 4, &len), JG_ESTATE, "not fitted");
  CHECK(len == 0);
  CHECK_ERR(jg_model_transitions(m, t, 4, &len), JG_ESTATE, "jg_model_transitions: the model is not fitted");
  CHECK_ERR(jg_model_value_per_conversion(m, v, 4, &len), JG_ESTATE, "not fitted");
  CHECK_ERR(jg_removal_create(m, NULL, &r), JG_ESTATE, "jg_removal_create: the model is not fitted");
  CHECK(r == NULL);
  jg_model_free(m);
}

static void test_model_errors(void) {
  jg_journeys* js = golden();
  jg_model* m = NULL;
  jg_model_options o = JG_MODEL_OPTIONS_INIT;
  jg_exec_options x = JG_EXEC_OPTIONS_INIT;
  jg_model_info before = JG_MODEL_INFO_INIT, after = JG_MODEL_INFO_INIT;
  jg_transition t[8];
  double v[4];
  uint32_t tokens[4];
  size_t len = 0;
  const char* name = NULL;
  int f = 0;

  CHECK_ERR(jg_model_create(NULL), JG_EINVAL, "out_model is NULL");
  REQUIRE_OK(jg_model_create(&m));
  CHECK_ERR(jg_model_fit(NULL, js, NULL, NULL), JG_EINVAL, "jg_model_fit: model is NULL");
  CHECK_ERR(jg_model_fit(m, NULL, NULL, NULL), JG_EINVAL, "jg_model_fit: journeys is NULL");
  o.version = 9;
  CHECK_ERR(jg_model_fit(m, js, &o, NULL), JG_EINVAL, "jg_model_options.version is 9");
  o = (jg_model_options)JG_MODEL_OPTIONS_INIT;
  o.order = 0;
  CHECK_ERR(jg_model_fit(m, js, &o, NULL), JG_EINVAL, "order must be in 1..16, got 0");
  o.order = 17;
  CHECK_ERR(jg_model_fit(m, js, &o, NULL), JG_EINVAL, "order must be in 1..16, got 17");
  o = (jg_model_options)JG_MODEL_OPTIONS_INIT;
  o.smoothing = -0.5;
  CHECK_ERR(jg_model_fit(m, js, &o, NULL), JG_EINVAL, "smoothing must be a finite number >= 0, got -0.5");
  o.smoothing = NAN;
  CHECK_ERR(jg_model_fit(m, js, &o, NULL), JG_EINVAL, "smoothing must be a finite number >= 0");
  o = (jg_model_options)JG_MODEL_OPTIONS_INIT;
  o.self_loops = (jg_self_loops)3;
  CHECK_ERR(jg_model_fit(m, js, &o, NULL), JG_EINVAL, "options->self_loops is 3");
  x.version = 0;
  CHECK_ERR(jg_model_fit(m, js, NULL, &x), JG_EINVAL, "jg_exec_options.version is 0");
  CHECK_OK(jg_model_is_fitted(m, &f));
  CHECK(f == 0);

  /* No journey with positive weight: no model. */
  {
    static const char* const p[1] = {"a"};
    static const double zero[1] = {0};
    jg_journeys* empty = path_journeys(1, p, zero, zero, NULL);
    jg_path_arrays none = JG_PATH_ARRAYS_INIT;
    jg_journeys* no_rows = NULL;
    CHECK_ERR(jg_model_fit(m, empty, NULL, NULL), JG_EDATA, "no journeys with a positive weight");
    REQUIRE_OK(jg_journeys_from_paths(&none, NULL, &no_rows, NULL));
    CHECK_ERR(jg_model_fit(m, no_rows, NULL, NULL), JG_EDATA, "no journeys with a positive weight");
    jg_journeys_free(no_rows);
    /* A failed fit leaves a fitted model as it was. */
    CHECK_OK(jg_model_fit(m, js, NULL, NULL));
    CHECK_OK(jg_model_get_info(m, &before));
    CHECK_ERR(jg_model_fit(m, empty, NULL, NULL), JG_EDATA, "no journeys");
    CHECK_OK(jg_model_get_info(m, &after));
    CHECK(before.conversion_probability == after.conversion_probability && before.n_states == after.n_states);
    jg_journeys_free(empty);
  }

  /* Accessors of a fitted model. */
  CHECK_ERR(jg_model_is_fitted(NULL, &f), JG_EINVAL, "model is NULL");
  CHECK_ERR(jg_model_is_fitted(m, NULL), JG_EINVAL, "out_fitted is NULL");
  CHECK_ERR(jg_model_get_info(NULL, &after), JG_EINVAL, "model is NULL");
  CHECK_ERR(jg_model_get_info(m, NULL), JG_EINVAL, "out_info is NULL");
  after.version = 0;
  CHECK_ERR(jg_model_get_info(m, &after), JG_EINVAL, "jg_model_info.version is 0");
  CHECK_ERR(jg_model_touchpoint_name(NULL, 0, &name), JG_EINVAL, "model is NULL");
  CHECK_ERR(jg_model_touchpoint_name(m, 0, NULL), JG_EINVAL, "out_name is NULL");
  CHECK_ERR(jg_model_touchpoint_name(m, 2, &name), JG_EINVAL, "touchpoint index 2 is out of range (there are 2)");
  CHECK_ERR(jg_model_state_name(NULL, 0, &name), JG_EINVAL, "model is NULL");
  CHECK_ERR(jg_model_state_name(m, 0, NULL), JG_EINVAL, "out_name is NULL");
  CHECK_ERR(jg_model_state_name(m, 5, &name), JG_EINVAL, "state 5 is out of range (there are 5)");
  CHECK_ERR(jg_model_state_tokens(NULL, 1, tokens, 4, &len), JG_EINVAL, "model is NULL");
  CHECK_ERR(jg_model_state_tokens(m, 1, tokens, 4, NULL), JG_EINVAL, "out_len is NULL");
  CHECK_ERR(jg_model_state_tokens(m, 5, tokens, 4, &len), JG_EINVAL, "state 5 is out of range");
  CHECK_ERR(jg_model_state_tokens(m, 1, tokens, 0, &len), JG_EBUFS, "out_tokens holds 0 elements but 1 are needed");
  CHECK(len == 1);
  CHECK_ERR(jg_model_state_tokens(m, 1, NULL, 1, &len), JG_EINVAL, "out_tokens is NULL but capacity is 1");
  CHECK_ERR(jg_model_transitions(NULL, t, 8, &len), JG_EINVAL, "model is NULL");
  CHECK_ERR(jg_model_transitions(m, t, 8, NULL), JG_EINVAL, "out_len is NULL");
  CHECK_ERR(jg_model_transitions(m, t, 5, &len), JG_EBUFS, "out holds 5 elements but 6 are needed");
  CHECK(len == 6);
  CHECK_ERR(jg_model_transitions(m, NULL, 8, &len), JG_EINVAL, "out is NULL but capacity is 8");
  CHECK_ERR(jg_model_value_per_conversion(NULL, v, 4, &len), JG_EINVAL, "model is NULL");
  CHECK_ERR(jg_model_value_per_conversion(m, v, 4, NULL), JG_EINVAL, "out_len is NULL");
  CHECK_ERR(jg_model_value_per_conversion(m, v, 2, &len), JG_EBUFS, "are needed");
  CHECK(len == 3);
  CHECK_ERR(jg_model_value_per_conversion(m, NULL, 2, &len), JG_EINVAL, "out is NULL but capacity is 2");

  jg_model_free(m);
  jg_model_free(NULL);
  jg_journeys_free(js);
}

static void test_removal_errors(void) {
  jg_journeys* js = golden();
  jg_model* m = fitted_model(js, 1, 0.0, JG_SELF_LOOPS_DROP);
  jg_removal* r = NULL;
  jg_removal_info info = JG_REMOVAL_INFO_INIT;
  jg_exec_options x = JG_EXEC_OPTIONS_INIT;
  double v[4];
  size_t len = 0;
  const char* name = NULL;

  CHECK_ERR(jg_removal_create(NULL, NULL, &r), JG_EINVAL, "model is NULL");
  CHECK_ERR(jg_removal_create(m, NULL, NULL), JG_EINVAL, "out_removal is NULL");
  x.version = 0;
  CHECK_ERR(jg_removal_create(m, &x, &r), JG_EINVAL, "jg_exec_options.version is 0");
  /* No conversions: removal effects are undefined. */
  {
    static const char* const p[2] = {"a > b", "b"};
    static const double zero[2] = {0, 0}, nulls[2] = {1, 2};
    jg_journeys* lost = path_journeys(2, p, zero, nulls, NULL);
    jg_model* none = fitted_model(lost, 1, 0.0, JG_SELF_LOOPS_DROP);
    CHECK_ERR(jg_removal_create(none, NULL, &r), JG_EDATA, "the model has no conversions");
    CHECK(r == NULL);
    jg_model_free(none);
    jg_journeys_free(lost);
  }
  REQUIRE_OK(jg_removal_create(m, NULL, &r));
  CHECK_ERR(jg_removal_get_info(NULL, &info), JG_EINVAL, "removal is NULL");
  CHECK_ERR(jg_removal_get_info(r, NULL), JG_EINVAL, "out_info is NULL");
  info.version = 2;
  CHECK_ERR(jg_removal_get_info(r, &info), JG_EINVAL, "jg_removal_info.version is 2");
  CHECK_ERR(jg_removal_touchpoint_name(NULL, 0, &name), JG_EINVAL, "removal is NULL");
  CHECK_ERR(jg_removal_touchpoint_name(r, 0, NULL), JG_EINVAL, "out_name is NULL");
  CHECK_ERR(jg_removal_touchpoint_name(r, 2, &name), JG_EINVAL, "touchpoint index 2 is out of range");
  CHECK_ERR(jg_removal_get(NULL, JG_REMOVAL_EFFECT, v, 4, &len), JG_EINVAL, "removal is NULL");
  CHECK_ERR(jg_removal_get(r, JG_REMOVAL_EFFECT, v, 4, NULL), JG_EINVAL, "out_len is NULL");
  CHECK_ERR(jg_removal_get(r, (jg_removal_field)99, v, 4, &len), JG_EINVAL, "field is 99");
  CHECK_ERR(jg_removal_get(r, JG_REMOVAL_VALUE, v, 1, &len), JG_EBUFS, "out holds 1 elements but 2 are needed");
  CHECK(len == 2);
  CHECK_ERR(jg_removal_get(r, JG_REMOVAL_VALUE, NULL, 1, &len), JG_EINVAL, "out is NULL but capacity is 1");
  CHECK_OK(jg_removal_get(r, JG_REMOVAL_VALUE, NULL, 0, &len));
  CHECK(len == 2);
  jg_removal_free(r);
  jg_removal_free(NULL);
  jg_model_free(m);
  jg_journeys_free(js);
}

/* ------------------------------------------------------------------------ progress and cancellation */

struct progress_log {
  int calls;
  int cancel_at; /* cancel on this call (1-based); 0 = never */
  int bad;       /* a fraction outside [0, 1] or an empty stage was seen */
  char stages[8][32];
  int n_stages;
};

static int log_progress(double fraction, const char* stage, void* user) {
  struct progress_log* log = (struct progress_log*)user;
  int i, seen = 0;
  ++log->calls;
  if (!(fraction >= 0.0 && fraction <= 1.0) || stage == NULL || stage[0] == '\0') log->bad = 1;
  for (i = 0; stage && i < log->n_stages; ++i)
    if (strcmp(log->stages[i], stage) == 0) seen = 1;
  if (stage && !seen && log->n_stages < 8) snprintf(log->stages[log->n_stages++], 32, "%s", stage);
  return log->cancel_at != 0 && log->calls >= log->cancel_at;
}

static int has_stage(const struct progress_log* log, const char* stage) {
  int i;
  for (i = 0; i < log->n_stages; ++i)
    if (strcmp(log->stages[i], stage) == 0) return 1;
  return 0;
}

static void test_progress(void) {
  /* 40000 journeys: more than one counting chunk, so counting reports progress. */
  const size_t n = 40000;
  static const char* const names[3] = {"a", "b", "c"};
  uint32_t* touches = (uint32_t*)malloc(2 * n * sizeof(uint32_t));
  uint64_t* offsets = (uint64_t*)malloc((n + 1) * sizeof(uint64_t));
  double* conv = (double*)malloc(n * sizeof(double));
  double* nulls = (double*)malloc(n * sizeof(double));
  jg_path_arrays p = JG_PATH_ARRAYS_INIT;
  jg_journeys* js = NULL;
  jg_model* m = NULL;
  jg_removal* r = NULL;
  jg_exec_options x = JG_EXEC_OPTIONS_INIT;
  struct progress_log log;
  size_t i;
  int f = 1;
  REQUIRE(touches && offsets && conv && nulls);
  for (i = 0; i < n; ++i) {
    touches[2 * i] = (uint32_t)(i % 3);
    touches[2 * i + 1] = (uint32_t)((i / 3) % 3);
    offsets[i] = 2 * i;
    conv[i] = (double)(i % 4 == 0);
    nulls[i] = 1.0 - conv[i];
  }
  offsets[n] = 2 * n;
  p.n_paths = n;
  p.touches = touches;
  p.offsets = offsets;
  p.touchpoint_names = names;
  p.n_touchpoint_names = 3;
  p.conversions = conv;
  p.nulls = nulls;
  REQUIRE_OK(jg_journeys_from_paths(&p, NULL, &js, NULL));
  REQUIRE_OK(jg_model_create(&m));
  x.threads = 2;
  x.progress = log_progress;
  x.user = &log;

  /* Cancelled while counting: the model stays unfitted. */
  memset(&log, 0, sizeof log);
  log.cancel_at = 1;
  CHECK_ERR(jg_model_fit(m, js, NULL, &x), JG_EINTERRUPTED, "cancelled by the progress callback during 'count'");
  CHECK(log.calls == 1);
  CHECK_OK(jg_model_is_fitted(m, &f));
  CHECK(f == 0);

  /* Not cancelled: progress is reported, the fit succeeds. */
  memset(&log, 0, sizeof log);
  CHECK_OK(jg_model_fit(m, js, NULL, &x));
  CHECK(log.calls >= 1 && !log.bad && has_stage(&log, "count"));
  CHECK_OK(jg_model_is_fitted(m, &f));
  CHECK(f == 1);

  /* Removal effects report between touchpoints solved by the calling thread (with more threads the
   * workers may solve them all), and can be cancelled. */
  x.threads = 1;
  memset(&log, 0, sizeof log);
  CHECK_OK(jg_removal_create(m, &x, &r));
  CHECK(log.calls >= 1 && !log.bad && has_stage(&log, "removal effects"));
  jg_removal_free(r);
  r = NULL;
  memset(&log, 0, sizeof log);
  log.cancel_at = 1;
  CHECK_ERR(jg_removal_create(m, &x, &r), JG_EINTERRUPTED, "during 'removal effects'");
  CHECK(r == NULL);

  /* Counts too. */
  x.threads = 2;
  {
    jg_counts* c = NULL;
    memset(&log, 0, sizeof log);
    log.cancel_at = 1;
    CHECK_ERR(jg_counts_create(js, 1, JG_SELF_LOOPS_DROP, &x, &c), JG_EINTERRUPTED, "during 'count'");
    CHECK(c == NULL);
  }
  jg_model_free(m);
  jg_journeys_free(js);
  free(nulls);
  free(conv);
  free(offsets);
  free(touches);
}

/* ------------------------------------------------------------------------------- concurrent reads */

struct reader {
  const jg_model* model;
  jg_status status;
  double effects[8];
  size_t len;
  char first_state[64];
};

static void* read_model(void* arg) {
  struct reader* r = (struct reader*)arg;
  jg_removal* removal = NULL;
  jg_exec_options x = JG_EXEC_OPTIONS_INIT;
  const char* name = NULL;
  x.threads = 1;
  r->status = jg_removal_create(r->model, &x, &removal);
  if (r->status == JG_OK) r->status = jg_removal_get(removal, JG_REMOVAL_EFFECT, r->effects, 8, &r->len);
  if (r->status == JG_OK) r->status = jg_model_state_name(r->model, 1, &name);
  if (r->status == JG_OK) snprintf(r->first_state, sizeof r->first_state, "%s", name);
  jg_removal_free(removal);
  return NULL;
}

static void test_concurrent_reads(void) {
  jg_journeys* js = golden();
  jg_model* m = fitted_model(js, 1, 0.5, JG_SELF_LOOPS_DROP);
  struct reader readers[4];
  pthread_t threads[4];
  struct reader alone;
  int i;
  memset(&alone, 0, sizeof alone);
  alone.model = m;
  read_model(&alone);
  REQUIRE(alone.status == JG_OK && alone.len == 2);
  for (i = 0; i < 4; ++i) {
    memset(&readers[i], 0, sizeof readers[i]);
    readers[i].model = m;
    REQUIRE(pthread_create(&threads[i], NULL, read_model, &readers[i]) == 0);
  }
  for (i = 0; i < 4; ++i) {
    REQUIRE(pthread_join(threads[i], NULL) == 0);
    CHECK(readers[i].status == JG_OK);
    CHECK(readers[i].len == 2);
    CHECK(memcmp(readers[i].effects, alone.effects, 2 * sizeof(double)) == 0);
    CHECK_STR(readers[i].first_state, "a");
  }
  jg_model_free(m);
  jg_journeys_free(js);
}

/* Saved counts and models: round trips through files and bytes, and every error path. */
static void test_saved_models(void) {
  jg_journeys* js = golden();
  jg_model* m = fitted_model(js, 1, 0.0, JG_SELF_LOOPS_DROP);
  jg_model* loaded = NULL;
  jg_model* unfitted = NULL;
  jg_counts* counts = NULL;
  jg_counts* back = NULL;
  jg_attribution* attr = NULL;
  jg_attribution_info info = JG_ATTRIBUTION_INFO_INIT;
  jg_model_info mi = JG_MODEL_INFO_INIT, li = JG_MODEL_INFO_INIT;
  unsigned char small[8];
  unsigned char* buf = NULL;
  size_t len = 0, got = 0;
  int equal = 0;
  double conv[2];
  const char* file = "jg_c_test_model.jgm";
  const char* cfile = "jg_c_test_counts.jgm";

  /* Model through a file: identical results. */
  CHECK_OK(jg_model_save(m, file));
  CHECK_OK(jg_model_create(&loaded));
  CHECK_OK(jg_model_load(loaded, file, NULL));
  CHECK_OK(jg_model_get_info(m, &mi));
  CHECK_OK(jg_model_get_info(loaded, &li));
  CHECK(mi.conversion_probability == li.conversion_probability);
  CHECK(li.conversion_probability == 1.0 / 3.0 || fabs(li.conversion_probability - 1.0 / 3.0) < 1e-15);

  /* Attribution of the loaded model: a = 0.9, b = 2.1 conversions (worked out at the top of this file). */
  CHECK_OK(jg_attribution_create_from_model(loaded, NULL, &attr));
  CHECK_OK(jg_attribution_get_info(attr, &info));
  CHECK(info.n_models == 1 && info.n_touchpoints == 2 && info.has_removal == 1);
  CHECK_OK(jg_attribution_conversions(attr, "markov", conv, 2, &got));
  CHECK(got == 2 && fabs(conv[0] - 0.9) < 1e-14 && fabs(conv[1] - 2.1) < 1e-14);
  jg_attribution_free(attr);
  attr = NULL;

  /* Model through bytes: size query, too small a buffer, then the real thing. */
  CHECK_OK(jg_model_to_bytes(m, NULL, 0, &len));
  CHECK(len > 24);
  CHECK_ERR(jg_model_to_bytes(m, small, sizeof small, &got), JG_EBUFS, "are needed");
  CHECK(got == len);
  buf = (unsigned char*)malloc(len);
  CHECK_OK(jg_model_to_bytes(m, buf, len, &got));
  CHECK_OK(jg_model_from_bytes(loaded, buf, len, NULL));
  CHECK_OK(jg_model_get_info(loaded, &li));
  CHECK(mi.conversion_probability == li.conversion_probability);
  /* A corrupted or truncated copy is rejected and leaves the model as it was. */
  buf[len / 2] ^= 1;
  CHECK_ERR(jg_model_from_bytes(loaded, buf, len, NULL), JG_EPARSE, "checksum mismatch");
  buf[len / 2] ^= 1;
  CHECK_ERR(jg_model_from_bytes(loaded, buf, len - 1, NULL), JG_EPARSE, "truncated");
  CHECK_OK(jg_model_get_info(loaded, &li));
  CHECK(mi.conversion_probability == li.conversion_probability);

  /* Counts through a file and bytes; loaded counts equal the originals exactly. */
  REQUIRE_OK(jg_counts_create(js, 2, JG_SELF_LOOPS_DROP, NULL, &counts));
  CHECK_OK(jg_counts_save(counts, cfile));
  CHECK_OK(jg_counts_load(cfile, &back));
  CHECK_OK(jg_counts_equal(counts, back, &equal));
  CHECK(equal == 1);
  jg_counts_free(back);
  back = NULL;
  free(buf);
  CHECK_OK(jg_counts_to_bytes(counts, NULL, 0, &len));
  buf = (unsigned char*)malloc(len);
  CHECK_OK(jg_counts_to_bytes(counts, buf, len, &got));
  CHECK_OK(jg_counts_from_bytes(buf, len, &back));
  CHECK_OK(jg_counts_equal(counts, back, &equal));
  CHECK(equal == 1);
  jg_counts_free(back);
  back = NULL;
  /* A counts file is not a model. */
  CHECK_ERR(jg_model_load(loaded, cfile, NULL), JG_EPARSE, "not a model");

  /* Errors. */
  CHECK_OK(jg_model_create(&unfitted));
  CHECK_ERR(jg_model_save(unfitted, file), JG_ESTATE, "not fitted");
  CHECK_ERR(jg_model_to_bytes(unfitted, NULL, 0, &got), JG_ESTATE, "not fitted");
  CHECK_ERR(jg_attribution_create_from_model(unfitted, NULL, &attr), JG_ESTATE, "not fitted");
  CHECK(attr == NULL);
  CHECK_ERR(jg_attribution_create_from_model(NULL, NULL, &attr), JG_EINVAL, "model is NULL");
  CHECK_ERR(jg_attribution_create_from_model(m, NULL, NULL), JG_EINVAL, "out_attribution is NULL");
  CHECK_ERR(jg_model_save(NULL, file), JG_EINVAL, "model is NULL");
  CHECK_ERR(jg_model_save(m, NULL), JG_EINVAL, "file is NULL");
  CHECK_ERR(jg_model_save(m, "/nonexistent/dir/m.jgm"), JG_EIO, "cannot write");
  CHECK_ERR(jg_model_load(NULL, file, NULL), JG_EINVAL, "model is NULL");
  CHECK_ERR(jg_model_load(loaded, NULL, NULL), JG_EINVAL, "file is NULL");
  CHECK_ERR(jg_model_load(loaded, "/nonexistent/m.jgm", NULL), JG_EIO, "cannot open");
  CHECK_ERR(jg_model_to_bytes(NULL, NULL, 0, &got), JG_EINVAL, "model is NULL");
  CHECK_ERR(jg_model_to_bytes(m, NULL, 0, NULL), JG_EINVAL, "out_len is NULL");
  CHECK_ERR(jg_model_from_bytes(NULL, buf, len, NULL), JG_EINVAL, "model is NULL");
  CHECK_ERR(jg_model_from_bytes(loaded, NULL, 5, NULL), JG_EINVAL, "bytes is NULL");
  CHECK_ERR(jg_model_from_bytes(loaded, buf, 0, NULL), JG_EPARSE, "truncated");
  CHECK_ERR(jg_counts_save(NULL, cfile), JG_EINVAL, "counts is NULL");
  CHECK_ERR(jg_counts_save(counts, NULL), JG_EINVAL, "file is NULL");
  CHECK_ERR(jg_counts_load(NULL, &back), JG_EINVAL, "file is NULL");
  CHECK_ERR(jg_counts_load(cfile, NULL), JG_EINVAL, "out_counts is NULL");
  CHECK_ERR(jg_counts_load("/nonexistent/c.jgm", &back), JG_EIO, "cannot open");
  CHECK(back == NULL);
  CHECK_ERR(jg_counts_to_bytes(NULL, NULL, 0, &got), JG_EINVAL, "counts is NULL");
  CHECK_ERR(jg_counts_from_bytes(NULL, 3, &back), JG_EINVAL, "bytes is NULL");
  CHECK_ERR(jg_counts_from_bytes(buf, len, NULL), JG_EINVAL, "out_counts is NULL");
  CHECK_ERR(jg_counts_from_bytes((const unsigned char*)"hello", 5, &back), JG_EPARSE, "truncated");
  CHECK(back == NULL);

  remove(file);
  remove(cfile);
  free(buf);
  jg_counts_free(counts);
  jg_model_free(unfitted);
  jg_model_free(loaded);
  jg_model_free(m);
  jg_journeys_free(js);
}

int main(void) {
  test_saved_models();
  test_counts();
  test_golden_model();
  test_smoothing();
  test_self_loops();
  test_order2();
  test_unfitted_model();
  test_model_errors();
  test_removal_errors();
  test_progress();
  test_concurrent_reads();
  return finish("test_markov");
}
