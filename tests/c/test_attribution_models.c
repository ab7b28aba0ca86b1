/* Attribution models beyond removal effects through the C ABI: rule-based models and Shapley with their
 * options, and bootstrap intervals, error paths included.
 *
 * The paths of test_attribution.c, worked out by hand:
 *   "a > b"  2 conversions, 1 null, value 20
 *   "b"      1 conversion,  3 nulls, value 5
 *   "a"      0 conversions, 2 nulls
 *   model                     conversions a, b   value a, b
 *   last_non_direct           0, 3               0, 25       (nothing named "direct": last touch)
 *     excluding b             2, 1               20, 5       ("b" alone falls back to its last touch)
 *   position_based 40/40      1, 2               10, 15      (two touches: 50/50)
 *   position_based 30/50      0.75, 2.25         7.5, 17.5   (two touches: 3/8, 5/8)
 *   j_curve                   0.5, 2.5           5, 20       (two touches: 1/4, 3/4)
 *   participation             2, 3               20, 25
 *   shapley                   1, 2               10, 15      (R({a,b}) = 2 split in halves, R({b}) = 1)
 *     coalitions of 1         0, 3               0, 25       ("a > b" keeps its most recent touchpoint)
 *   ordered_shapley positions a: 1 (first), 0; b: 1 (first), 1 (second) */

#include "check.h"

static const char* const kPaths[3] = {"a > b", "b", "a"};
static const double kConv[3] = {2, 1, 0};
static const double kNull[3] = {1, 3, 2};
static const double kValue[3] = {20, 5, 0};

static jg_journeys* paths(void) { return path_journeys(3, kPaths, kConv, kNull, kValue); }

static jg_attribution* run(const jg_journeys* js, const char* model, const jg_attribution_options* base) {
  jg_attribution_options o = base ? *base : (jg_attribution_options)JG_ATTRIBUTION_OPTIONS_INIT;
  const char* models[1];
  jg_attribution* at = NULL;
  models[0] = model;
  o.models = models;
  o.n_models = 1;
  REQUIRE_OK(jg_attribution_create(js, &o, NULL, &at));
  return at;
}

static void check_credit(const jg_journeys* js, const char* model, const jg_attribution_options* o, double ca,
                         double cb, double va, double vb) {
  jg_attribution* at = run(js, model, o);
  double v[2];
  size_t len = 0;
  CHECK_OK(jg_attribution_conversions(at, model, v, 2, &len));
  CHECK(len == 2);
  CHECK_NEAR(v[0], ca, 1e-14);
  CHECK_NEAR(v[1], cb, 1e-14);
  CHECK_OK(jg_attribution_value(at, model, v, 2, &len));
  CHECK_NEAR(v[0], va, 1e-13);
  CHECK_NEAR(v[1], vb, 1e-13);
  jg_attribution_free(at);
}

static void test_rule_models(void) {
  jg_journeys* js = paths();
  jg_attribution_options o = JG_ATTRIBUTION_OPTIONS_INIT;
  static const char* const only_b[1] = {"b"};
  static const char* const none[1] = {"unused"};
  check_credit(js, "last_non_direct", NULL, 0, 3, 0, 25);
  o.excluded = only_b;
  o.n_excluded = 1;
  check_credit(js, "last_non_direct", &o, 2, 1, 20, 5);
  o.excluded = none; /* non-NULL with 0 entries: nothing excluded */
  o.n_excluded = 0;
  check_credit(js, "last_non_direct", &o, 0, 3, 0, 25);
  check_credit(js, "position_based", NULL, 1, 2, 10, 15);
  o = (jg_attribution_options)JG_ATTRIBUTION_OPTIONS_INIT;
  o.first_weight = 0.3;
  o.last_weight = 0.5;
  check_credit(js, "position_based", &o, 0.75, 2.25, 7.5, 17.5);
  check_credit(js, "j_curve", NULL, 0.5, 2.5, 5, 20);
  check_credit(js, "inverse_j", NULL, 1.5, 1.5, 15, 10);
  check_credit(js, "participation", NULL, 2, 3, 20, 25);
  check_credit(js, "shapley", NULL, 1, 2, 10, 15);
  o = (jg_attribution_options)JG_ATTRIBUTION_OPTIONS_INIT;
  o.max_coalition = 1;
  check_credit(js, "shapley", &o, 0, 3, 0, 25);

  /* The ordered breakdown. */
  {
    jg_attribution* at = run(js, "ordered_shapley", NULL);
    jg_attribution* plain = run(js, "linear", NULL);
    double p[8];
    size_t len = 0, positions = 0;
    CHECK_OK(jg_attribution_positions(at, JG_MEASURE_CONVERSIONS, NULL, 0, &len, &positions));
    CHECK(len == 4 && positions == 2);
    CHECK_ERR(jg_attribution_positions(at, JG_MEASURE_CONVERSIONS, p, 3, &len, &positions), JG_EBUFS, "are needed");
    CHECK(len == 4);
    CHECK_OK(jg_attribution_positions(at, JG_MEASURE_CONVERSIONS, p, 8, &len, &positions));
    CHECK_NEAR(p[0], 1, 1e-15);
    CHECK_NEAR(p[1], 0, 1e-15);
    CHECK_NEAR(p[2], 1, 1e-15);
    CHECK_NEAR(p[3], 1, 1e-15);
    CHECK_OK(jg_attribution_positions(at, JG_MEASURE_VALUE, p, 8, &len, &positions));
    CHECK_NEAR(p[0], 10, 1e-14); /* a first in "a > b": half of 20 */
    CHECK_NEAR(p[2], 5, 1e-14);  /* b first: "b" alone */
    CHECK_NEAR(p[3], 10, 1e-14); /* b second in "a > b" */
    CHECK_ERR(jg_attribution_positions(at, JG_MEASURE_REMOVAL_EFFECT, p, 8, &len, &positions), JG_EINVAL,
              "positions exist for JG_MEASURE_CONVERSIONS");
    CHECK_ERR(jg_attribution_positions(at, JG_MEASURE_CONVERSIONS, p, 8, &len, NULL), JG_EINVAL,
              "out_positions is NULL");
    CHECK_ERR(jg_attribution_positions(NULL, JG_MEASURE_CONVERSIONS, p, 8, &len, &positions), JG_EINVAL,
              "attribution is NULL");
    CHECK_ERR(jg_attribution_positions(plain, JG_MEASURE_CONVERSIONS, p, 8, &len, &positions), JG_ESTATE,
              "ordered_shapley model was not requested");
    jg_attribution_free(plain);
    jg_attribution_free(at);
  }
  jg_journeys_free(js);
}

static void test_time_decay(void) {
  /* One journey: a at t = 0, b one day later, converting with value 30. Half-life one day: weights 1/2 and
   * 1, so a gets 1/3 and b 2/3 (value 10 and 20). */
  static const int64_t journey[2] = {7, 7};
  static const int64_t times[2] = {0, 86400};
  static const uint32_t touch[2] = {0, 1};
  static const char* const names[2] = {"a", "b"};
  static const uint8_t conversion[2] = {0, 1};
  static const double value[2] = {0, 30};
  jg_event_arrays ev = JG_EVENT_ARRAYS_INIT;
  jg_journeys *js = NULL, *no_times = paths();
  jg_attribution_options o = JG_ATTRIBUTION_OPTIONS_INIT;
  jg_attribution* at = NULL;
  static const char* const td[1] = {"time_decay"};
  const char* names_out[16];
  size_t n = 0, i;
  int has_time_decay = 0;
  ev.n_events = 2;
  ev.journey = journey;
  ev.time = times;
  ev.touchpoint = touch;
  ev.touchpoint_names = names;
  ev.n_touchpoint_names = 2;
  ev.conversion = conversion;
  ev.value = value;
  REQUIRE_OK(jg_journeys_from_events(&ev, NULL, NULL, &js, NULL));
  o.half_life_seconds = 86400;
  check_credit(js, "time_decay", &o, 1.0 / 3, 2.0 / 3, 10, 20);
  o.half_life_seconds = 2 * 86400.0; /* weights 2^-1/2 and 1 */
  check_credit(js, "time_decay", &o, 0.70710678118654752 / 1.70710678118654752, 1 / 1.70710678118654752,
               30 * 0.70710678118654752 / 1.70710678118654752, 30 / 1.70710678118654752);
  {
    /* Default half-life, 7 days: weights 2^(-1/7) and 1. */
    const double w = pow(2.0, -1.0 / 7);
    check_credit(js, "time_decay", NULL, w / (w + 1), 1 / (w + 1), 30 * w / (w + 1), 30 / (w + 1));
  }

  /* Journeys without timestamps: time_decay is refused and left out of the applicable models. */
  o = (jg_attribution_options)JG_ATTRIBUTION_OPTIONS_INIT;
  o.models = td;
  o.n_models = 1;
  CHECK_ERR(jg_attribution_create(no_times, &o, NULL, &at), JG_EINVAL, "time_decay model needs touch timestamps");
  CHECK(at == NULL);
  CHECK_OK(jg_attribution_list_models_for(no_times, NULL, 0, &n));
  CHECK(n == 12);
  CHECK_OK(jg_attribution_list_models_for(no_times, names_out, 16, &n));
  for (i = 0; i < n; ++i) has_time_decay |= strcmp(names_out[i], "time_decay") == 0;
  CHECK(!has_time_decay);
  CHECK_OK(jg_attribution_list_models_for(js, names_out, 16, &n));
  CHECK(n == 13);
  CHECK_STR(names_out[8], "time_decay");
  CHECK_ERR(jg_attribution_list_models_for(js, names_out, 3, &n), JG_EBUFS, "are needed");
  CHECK_ERR(jg_attribution_list_models_for(NULL, names_out, 16, &n), JG_EINVAL, "journeys is NULL");
  CHECK_ERR(jg_attribution_list_models_for(js, names_out, 16, NULL), JG_EINVAL, "out_len is NULL");
  jg_journeys_free(no_times);
  jg_journeys_free(js);
}

static void test_options(void) {
  jg_journeys* js = paths();
  jg_attribution_options o = JG_ATTRIBUTION_OPTIONS_INIT, f;
  jg_attribution* at = NULL;
  static const char* const with_null[2] = {"x", NULL};
  unsigned char bytes[sizeof(jg_attribution_options)];
  size_t prefix = (size_t)((const char*)&o.excluded - (const char*)&o), i;
  int untouched = 1;

  /* Defaults of version 2. */
  CHECK_OK(jg_attribution_options_init(&f, JG_ATTRIBUTION_OPTIONS_VERSION));
  CHECK(JG_ATTRIBUTION_OPTIONS_VERSION == 2u);
  CHECK(f.excluded == NULL && f.n_excluded == 0 && f.first_weight == 0.4 && f.last_weight == 0.4 &&
        f.half_life_seconds == 604800.0 && f.max_coalition == 0 && f.bootstrap_replicates == 0 &&
        f.confidence == 0.95 && f.seed == 0);
  /* Version 1 writes only the version-1 prefix (an older caller's struct is that long). */
  memset(bytes, 0xA5, sizeof bytes);
  CHECK_OK(jg_attribution_options_init((jg_attribution_options*)(void*)bytes, 1));
  for (i = prefix; i < sizeof bytes; ++i) untouched &= bytes[i] == 0xA5;
  CHECK(untouched);
  CHECK(((jg_attribution_options*)(void*)bytes)->version == 1);
  /* A version-1 struct's later fields are never read: garbage there does not matter. */
  memcpy(&f, bytes, sizeof f);
  f.confidence = 7;
  f.first_weight = -3;
  f.bootstrap_replicates = 1;
  CHECK_OK(jg_attribution_create(js, &f, NULL, &at));
  jg_attribution_free(at);
  at = NULL;

  o.first_weight = 0.8;
  CHECK_ERR(jg_attribution_create(js, &o, NULL, &at), JG_EINVAL, "first_weight + last_weight must be <= 1");
  o = (jg_attribution_options)JG_ATTRIBUTION_OPTIONS_INIT;
  o.last_weight = 1.5;
  CHECK_ERR(jg_attribution_create(js, &o, NULL, &at), JG_EINVAL, "last_weight must be in [0, 1], got 1.5");
  o = (jg_attribution_options)JG_ATTRIBUTION_OPTIONS_INIT;
  o.half_life_seconds = -1;
  CHECK_ERR(jg_attribution_create(js, &o, NULL, &at), JG_EINVAL, "half_life must be a finite number of seconds > 0");
  o = (jg_attribution_options)JG_ATTRIBUTION_OPTIONS_INIT;
  o.n_excluded = 2;
  CHECK_ERR(jg_attribution_create(js, &o, NULL, &at), JG_EINVAL, "options->excluded is NULL but options->n_excluded is 2");
  o.excluded = with_null;
  CHECK_ERR(jg_attribution_create(js, &o, NULL, &at), JG_EINVAL, "options->excluded[1] is NULL");
  o = (jg_attribution_options)JG_ATTRIBUTION_OPTIONS_INIT;
  o.bootstrap_replicates = 1;
  CHECK_ERR(jg_attribution_create(js, &o, NULL, &at), JG_EINVAL, "at least 2");
  o.bootstrap_replicates = 10;
  o.confidence = 1.5;
  CHECK_ERR(jg_attribution_create(js, &o, NULL, &at), JG_EINVAL, "confidence must be in (0, 1), got 1.5");
  o = (jg_attribution_options)JG_ATTRIBUTION_OPTIONS_INIT;
  o.version = 3;
  CHECK_ERR(jg_attribution_create(js, &o, NULL, &at), JG_EINVAL, "knows versions 1 to 2");
  CHECK(at == NULL);
  jg_journeys_free(js);
}

static void test_bootstrap(void) {
  jg_journeys* js = paths();
  jg_attribution_options o = JG_ATTRIBUTION_OPTIONS_INIT;
  static const char* const models[3] = {"markov", "linear", "ordered_shapley"};
  jg_exec_options one = JG_EXEC_OPTIONS_INIT, two = JG_EXEC_OPTIONS_INIT;
  jg_attribution *a = NULL, *b = NULL, *plain = NULL;
  jg_bootstrap_info info = JG_BOOTSTRAP_INFO_INIT, fresh;
  double lower[2], upper[2], se[2], est[2], other[2], stability = -1;
  size_t len = 0;
  int m, f;
  one.threads = 1;
  two.threads = 2;
  o.models = models;
  o.n_models = 3;
  o.bootstrap_replicates = 60;
  o.confidence = 0.9;
  o.seed = 3;
  REQUIRE_OK(jg_attribution_create(js, &o, &one, &a));
  REQUIRE_OK(jg_attribution_create(js, &o, &two, &b));

  CHECK_OK(jg_bootstrap_info_init(&fresh, JG_BOOTSTRAP_INFO_VERSION));
  CHECK(fresh.version == JG_BOOTSTRAP_INFO_VERSION && fresh.replicates == 0);
  CHECK_ERR(jg_bootstrap_info_init(NULL, JG_BOOTSTRAP_INFO_VERSION), JG_EINVAL, "info is NULL");
  CHECK_ERR(jg_bootstrap_info_init(&fresh, 2), JG_EINVAL, "knows versions 1 to 1");
  CHECK_OK(jg_attribution_bootstrap_info(a, &info));
  CHECK(info.replicates == 60 && info.confidence == 0.9 && info.seed == 3);
  CHECK(info.markov_failed_replicates < 15); /* no conversion drawn: probability e^-3 per replicate */
  info.version = 0;
  CHECK_ERR(jg_attribution_bootstrap_info(a, &info), JG_EINVAL, "jg_bootstrap_info.version is 0");
  CHECK_ERR(jg_attribution_bootstrap_info(a, NULL), JG_EINVAL, "out_info is NULL");

  /* Every interval: lower <= upper, standard errors >= 0, identical for 1 and 2 threads. */
  for (m = 0; m < 3; ++m)
    for (f = JG_MEASURE_CONVERSIONS; f <= JG_MEASURE_REMOVAL_EFFECT; ++f) {
      const jg_measure measure = (jg_measure)f;
      if (measure == JG_MEASURE_REMOVAL_EFFECT && m != 0) continue;
      CHECK_OK(jg_attribution_interval(a, models[m], measure, JG_INTERVAL_LOWER, lower, 2, &len));
      CHECK(len == 2);
      CHECK_OK(jg_attribution_interval(a, models[m], measure, JG_INTERVAL_UPPER, upper, 2, &len));
      CHECK_OK(jg_attribution_interval(a, models[m], measure, JG_INTERVAL_STANDARD_ERROR, se, 2, &len));
      CHECK(lower[0] <= upper[0] && lower[1] <= upper[1] && se[0] >= 0 && se[1] >= 0);
      CHECK_OK(jg_attribution_interval(b, models[m], measure, JG_INTERVAL_UPPER, other, 2, &len));
      CHECK(memcmp(upper, other, sizeof upper) == 0);
      CHECK_OK(jg_attribution_stability(a, models[m], measure, &stability));
      CHECK(stability >= 0);
    }
  /* The estimate of b's linear credit (2 conversions) lies within its interval and the interval has width. */
  CHECK_OK(jg_attribution_conversions(a, "linear", est, 2, &len));
  CHECK_OK(jg_attribution_interval(a, "linear", JG_MEASURE_CONVERSIONS, JG_INTERVAL_LOWER, lower, 2, &len));
  CHECK_OK(jg_attribution_interval(a, "linear", JG_MEASURE_CONVERSIONS, JG_INTERVAL_UPPER, upper, 2, &len));
  CHECK(lower[1] <= est[1] && est[1] <= upper[1] && lower[1] < upper[1]);

  /* Buffers and errors. */
  CHECK_OK(jg_attribution_interval(a, "markov", JG_MEASURE_REMOVAL_EFFECT, JG_INTERVAL_LOWER, NULL, 0, &len));
  CHECK(len == 2);
  CHECK_ERR(jg_attribution_interval(a, "markov", JG_MEASURE_VALUE, JG_INTERVAL_LOWER, lower, 1, &len), JG_EBUFS,
            "are needed");
  CHECK_ERR(jg_attribution_interval(a, "linear", JG_MEASURE_REMOVAL_EFFECT, JG_INTERVAL_LOWER, lower, 2, &len),
            JG_EINVAL, "applies to model 'markov', not 'linear'");
  CHECK_ERR(jg_attribution_interval(a, "first_touch", JG_MEASURE_VALUE, JG_INTERVAL_LOWER, lower, 2, &len), JG_EINVAL,
            "model 'first_touch' was not requested");
  CHECK_ERR(jg_attribution_interval(a, "nope", JG_MEASURE_VALUE, JG_INTERVAL_LOWER, lower, 2, &len), JG_EINVAL,
            "unknown attribution model");
  CHECK_ERR(jg_attribution_interval(a, "linear", (jg_measure)7, JG_INTERVAL_LOWER, lower, 2, &len), JG_EINVAL,
            "measure is 7");
  CHECK_ERR(jg_attribution_interval(a, "linear", JG_MEASURE_VALUE, (jg_interval_field)9, lower, 2, &len), JG_EINVAL,
            "field is 9");
  CHECK_ERR(jg_attribution_interval(a, NULL, JG_MEASURE_VALUE, JG_INTERVAL_LOWER, lower, 2, &len), JG_EINVAL,
            "model is NULL");
  CHECK_ERR(jg_attribution_interval(NULL, "linear", JG_MEASURE_VALUE, JG_INTERVAL_LOWER, lower, 2, &len), JG_EINVAL,
            "attribution is NULL");
  CHECK_ERR(jg_attribution_interval(a, "linear", JG_MEASURE_VALUE, JG_INTERVAL_LOWER, lower, 2, NULL), JG_EINVAL,
            "out_len is NULL");
  CHECK_ERR(jg_attribution_stability(a, "linear", JG_MEASURE_VALUE, NULL), JG_EINVAL, "out_stability is NULL");
  CHECK_ERR(jg_attribution_stability(a, "linear", (jg_measure)-1, &stability), JG_EINVAL, "measure is -1");

  /* Without a bootstrap there are no intervals. */
  plain = run(js, "linear", NULL);
  CHECK_ERR(jg_attribution_interval(plain, "linear", JG_MEASURE_VALUE, JG_INTERVAL_LOWER, lower, 2, &len), JG_ESTATE,
            "ran no bootstrap");
  CHECK_ERR(jg_attribution_stability(plain, "linear", JG_MEASURE_VALUE, &stability), JG_ESTATE, "ran no bootstrap");
  info.version = JG_BOOTSTRAP_INFO_VERSION;
  CHECK_ERR(jg_attribution_bootstrap_info(plain, &info), JG_ESTATE, "ran no bootstrap");
  jg_attribution_free(plain);
  jg_attribution_free(b);
  jg_attribution_free(a);
  jg_journeys_free(js);
}

int main(void) {
  test_rule_models();
  test_time_decay();
  test_options();
  test_bootstrap();
  return finish("test_attribution_models");
}
