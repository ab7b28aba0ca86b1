/* Attribution by model name on the golden paths of test_markov.c, worked out by hand:
 *   "a > b"  2 conversions, 1 null, value 20
 *   "b"      1 conversion,  3 nulls, value 5
 *   "a"      0 conversions, 2 nulls
 *   model        conversions a, b   value a, b
 *   markov       0.9, 2.1           7.5, 17.5   (removal effects 3/7 and 1, see test_markov.c)
 *   first_touch  2, 1               20, 5
 *   last_touch   0, 3               0, 25
 *   linear       1, 2               10, 15      ("a > b" gives half of 2 conversions and of 20 to each) */

#include "check.h"

static const char* const kPaths[4] = {"a > b", "b", "a", "c"};
static const double kConv[4] = {2, 1, 0, 0};
static const double kNull[4] = {1, 3, 2, 0};
static const double kValue[4] = {20, 5, 0, 0};

static jg_journeys* paths(size_t n, const double* conv) { return path_journeys(n, kPaths, conv, kNull, kValue); }

static void check_model(const jg_attribution* at, const char* model, double ca, double cb, double va, double vb) {
  double v[4];
  size_t len = 0;
  CHECK_OK(jg_attribution_conversions(at, model, v, 4, &len));
  CHECK(len == 2);
  CHECK_NEAR(v[0], ca, 1e-14);
  CHECK_NEAR(v[1], cb, 1e-14);
  CHECK_OK(jg_attribution_value(at, model, v, 4, &len));
  CHECK(len == 2);
  CHECK_NEAR(v[0], va, 1e-14);
  CHECK_NEAR(v[1], vb, 1e-14);
}

static void test_defaults(void) {
  jg_journeys* js = paths(3, kConv);
  jg_attribution* at = NULL;
  jg_attribution_info info = JG_ATTRIBUTION_INFO_INIT;
  const char* name = NULL;
  CHECK_OK(jg_attribution_create(js, NULL, NULL, &at));
  CHECK_OK(jg_attribution_get_info(at, &info));
  CHECK(info.n_touchpoints == 2 && info.n_models == 4 && info.order == 1 && info.has_removal == 1);
  CHECK(info.total_conversions == 3 && info.total_nulls == 6 && info.total_value == 25);
  CHECK_OK(jg_attribution_touchpoint_name(at, 0, &name));
  CHECK_STR(name, "a");
  CHECK_OK(jg_attribution_touchpoint_name(at, 1, &name));
  CHECK_STR(name, "b");
  CHECK_OK(jg_attribution_model_name(at, 0, &name));
  CHECK_STR(name, "markov");
  CHECK_OK(jg_attribution_model_name(at, 3, &name));
  CHECK_STR(name, "linear");
  check_model(at, "markov", 0.9, 2.1, 7.5, 17.5);
  check_model(at, "first_touch", 2, 1, 20, 5);
  check_model(at, "last_touch", 0, 3, 0, 25);
  check_model(at, "linear", 1, 2, 10, 15);

  /* The removal effects behind markov equal those of a model fitted directly, bit for bit. */
  {
    jg_removal *from_attribution = NULL, *direct = NULL;
    jg_model* m = NULL;
    double x[2], y[2];
    size_t len = 0;
    int field;
    REQUIRE_OK(jg_model_create(&m));
    REQUIRE_OK(jg_model_fit(m, js, NULL, NULL));
    REQUIRE_OK(jg_removal_create(m, NULL, &direct));
    CHECK_OK(jg_attribution_removal(at, &from_attribution));
    for (field = JG_REMOVAL_EFFECT; field <= JG_REMOVAL_CONVERSION_PROBABILITY_WITHOUT; ++field) {
      CHECK_OK(jg_removal_get(from_attribution, (jg_removal_field)field, x, 2, &len));
      CHECK_OK(jg_removal_get(direct, (jg_removal_field)field, y, 2, &len));
      CHECK(memcmp(x, y, sizeof x) == 0);
    }
    jg_removal_free(from_attribution);
    jg_removal_free(direct);
    jg_model_free(m);
  }
  jg_attribution_free(at);
  jg_journeys_free(js);
}

static void test_chosen_models(void) {
  jg_journeys* js = paths(3, kConv);
  jg_attribution* at = NULL;
  jg_attribution_info info = JG_ATTRIBUTION_INFO_INIT;
  jg_attribution_options o = JG_ATTRIBUTION_OPTIONS_INIT;
  jg_model_options mo = JG_MODEL_OPTIONS_INIT;
  static const char* const chosen[3] = {"linear", "markov", "linear"};
  const char* name = NULL;
  double v[2];
  size_t len = 0;

  /* Duplicates are ignored, the order is the requested one; chain options reach the markov model. */
  o.models = chosen;
  o.n_models = 3;
  mo.order = 2;
  o.markov = &mo;
  CHECK_OK(jg_attribution_create(js, &o, NULL, &at));
  CHECK_OK(jg_attribution_get_info(at, &info));
  CHECK(info.n_models == 2 && info.order == 2 && info.has_removal == 1);
  CHECK_OK(jg_attribution_model_name(at, 0, &name));
  CHECK_STR(name, "linear");
  CHECK_OK(jg_attribution_model_name(at, 1, &name));
  CHECK_STR(name, "markov");
  CHECK_ERR(jg_attribution_conversions(at, "first_touch", v, 2, &len), JG_EINVAL,
            "model 'first_touch' was not requested (the attribution has: linear, markov)");
  CHECK_ERR(jg_attribution_value(at, "last_touch", v, 2, &len), JG_EINVAL, "model 'last_touch' was not requested");
  jg_attribution_free(at);

  /* Heuristics only: no removal effects. */
  {
    static const char* const first[1] = {"first_touch"};
    jg_removal* r = (jg_removal*)&o;
    o.models = first;
    o.n_models = 1;
    o.markov = NULL;
    CHECK_OK(jg_attribution_create(js, &o, NULL, &at));
    CHECK_OK(jg_attribution_get_info(at, &info));
    CHECK(info.n_models == 1 && info.has_removal == 0);
    check_model(at, "first_touch", 2, 1, 20, 5);
    CHECK_ERR(jg_attribution_removal(at, &r), JG_ESTATE, "the markov model was not requested");
    CHECK(r == NULL);
    jg_attribution_free(at);
  }

  /* Every model that applies to these journeys, by the names the library lists: models added later need
   * no new code here. */
  {
    const char* all[32];
    size_t n = 0, i;
    REQUIRE_OK(jg_attribution_list_models_for(js, all, 32, &n));
    o.models = all;
    o.n_models = n;
    CHECK_OK(jg_attribution_create(js, &o, NULL, &at));
    CHECK_OK(jg_attribution_get_info(at, &info));
    CHECK(info.n_models == n);
    for (i = 0; i < n; ++i) {
      double conv[2], sum;
      CHECK_OK(jg_attribution_model_name(at, i, &name));
      CHECK_STR(name, all[i]);
      CHECK_OK(jg_attribution_conversions(at, all[i], conv, 2, &len));
      /* Every model hands out all conversions; participation gives each touchpoint its journeys' whole. */
      sum = conv[0] + conv[1];
      if (strcmp(all[i], "participation") == 0) CHECK_NEAR(sum, 5.0, 1e-13);
      else CHECK_NEAR(sum, 3.0, 1e-13);
    }
    jg_attribution_free(at);
  }
  jg_journeys_free(js);
}

/* A touchpoint used only by a zero-weight journey is in the result with no credit. */
static void test_zero_weight_touchpoint(void) {
  jg_journeys* js = paths(4, kConv);
  jg_attribution* at = NULL;
  jg_removal* r = NULL;
  jg_removal_info ri = JG_REMOVAL_INFO_INIT;
  double v[3];
  size_t len = 0;
  const char* name = NULL;
  CHECK_OK(jg_attribution_create(js, NULL, NULL, &at));
  CHECK_OK(jg_attribution_touchpoint_name(at, 2, &name));
  CHECK_STR(name, "c");
  CHECK_OK(jg_attribution_conversions(at, "markov", v, 3, &len));
  CHECK(len == 3);
  CHECK_NEAR(v[0], 0.9, 1e-14);
  CHECK_NEAR(v[1], 2.1, 1e-14);
  CHECK(v[2] == 0.0);
  CHECK_OK(jg_attribution_removal(at, &r));
  CHECK_OK(jg_removal_get_info(r, &ri));
  CHECK(ri.n_touchpoints == 3);
  CHECK_OK(jg_removal_touchpoint_name(r, 2, &name));
  CHECK_STR(name, "c");
  CHECK_OK(jg_removal_get(r, JG_REMOVAL_EFFECT, v, 3, &len));
  CHECK(v[2] == 0.0);
  CHECK_OK(jg_removal_get(r, JG_REMOVAL_CONVERSION_PROBABILITY_WITHOUT, v, 3, &len));
  CHECK(v[2] == ri.conversion_probability);
  jg_removal_free(r);
  jg_attribution_free(at);
  jg_journeys_free(js);
}

static int cancel(double fraction, const char* stage, void* user) {
  (void)fraction;
  (void)stage;
  (void)user;
  return -1;
}

static void test_errors(void) {
  jg_journeys* js = paths(3, kConv);
  jg_attribution* at = NULL;
  jg_attribution_options o = JG_ATTRIBUTION_OPTIONS_INIT;
  jg_model_options mo = JG_MODEL_OPTIONS_INIT;
  jg_exec_options x = JG_EXEC_OPTIONS_INIT;
  jg_attribution_info info = JG_ATTRIBUTION_INFO_INIT;
  static const char* const unknown[2] = {"markov", "shapely"};
  static const char* const with_null[2] = {"markov", NULL};
  const char* name = NULL;
  double v[4];
  size_t len = 0;

  CHECK_ERR(jg_attribution_create(NULL, NULL, NULL, &at), JG_EINVAL, "jg_attribution_create: journeys is NULL");
  CHECK_ERR(jg_attribution_create(js, NULL, NULL, NULL), JG_EINVAL, "out_attribution is NULL");
  o.version = 0;
  CHECK_ERR(jg_attribution_create(js, &o, NULL, &at), JG_EINVAL, "jg_attribution_options.version is 0");
  o = (jg_attribution_options)JG_ATTRIBUTION_OPTIONS_INIT;
  o.models = unknown;
  o.n_models = 2;
  CHECK_ERR(jg_attribution_create(js, &o, NULL, &at), JG_EINVAL,
            "unknown attribution model \"shapely\" (known: markov, first_touch, last_touch, linear");
  o.models = with_null;
  CHECK_ERR(jg_attribution_create(js, &o, NULL, &at), JG_EINVAL, "options->models[1] is NULL");
  o.models = NULL;
  CHECK_ERR(jg_attribution_create(js, &o, NULL, &at), JG_EINVAL, "options->models is NULL");
  o = (jg_attribution_options)JG_ATTRIBUTION_OPTIONS_INIT;
  mo.version = 0;
  o.markov = &mo;
  CHECK_ERR(jg_attribution_create(js, &o, NULL, &at), JG_EINVAL, "jg_model_options.version is 0");
  mo = (jg_model_options)JG_MODEL_OPTIONS_INIT;
  mo.self_loops = (jg_self_loops)2;
  CHECK_ERR(jg_attribution_create(js, &o, NULL, &at), JG_EINVAL, "options->markov->self_loops is 2");
  mo = (jg_model_options)JG_MODEL_OPTIONS_INIT;
  mo.order = 0;
  CHECK_ERR(jg_attribution_create(js, &o, NULL, &at), JG_EINVAL, "order must be in 1..16, got 0");
  x.version = 3;
  CHECK_ERR(jg_attribution_create(js, NULL, &x, &at), JG_EINVAL, "jg_exec_options.version is 3");
  x = (jg_exec_options)JG_EXEC_OPTIONS_INIT;
  x.threads = 1; /* progress is reported between the calling thread's work items */
  x.progress = cancel;
  CHECK_ERR(jg_attribution_create(js, NULL, &x, &at), JG_EINTERRUPTED, "cancelled by the progress callback");
  CHECK(at == NULL);

  /* Data that cannot be attributed. */
  {
    static const double none[3] = {0, 0, 0};
    static const double no_value[4] = {0, 0, 0, 0};
    jg_journeys* lost = path_journeys(3, kPaths, none, kNull, no_value);
    CHECK_ERR(jg_attribution_create(lost, NULL, NULL, &at), JG_EDATA, "the journeys have no conversions");
    jg_journeys_free(lost);
    lost = path_journeys(0, kPaths, none, kNull, no_value);
    CHECK_ERR(jg_attribution_create(lost, NULL, NULL, &at), JG_EDATA, "no journeys to attribute");
    jg_journeys_free(lost);
  }

  REQUIRE_OK(jg_attribution_create(js, NULL, NULL, &at));
  CHECK_ERR(jg_attribution_get_info(NULL, &info), JG_EINVAL, "attribution is NULL");
  CHECK_ERR(jg_attribution_get_info(at, NULL), JG_EINVAL, "out_info is NULL");
  info.version = 0;
  CHECK_ERR(jg_attribution_get_info(at, &info), JG_EINVAL, "jg_attribution_info.version is 0");
  CHECK_ERR(jg_attribution_touchpoint_name(NULL, 0, &name), JG_EINVAL, "attribution is NULL");
  CHECK_ERR(jg_attribution_touchpoint_name(at, 0, NULL), JG_EINVAL, "out_name is NULL");
  CHECK_ERR(jg_attribution_touchpoint_name(at, 2, &name), JG_EINVAL, "touchpoint index 2 is out of range (there are 2)");
  CHECK_ERR(jg_attribution_model_name(NULL, 0, &name), JG_EINVAL, "attribution is NULL");
  CHECK_ERR(jg_attribution_model_name(at, 0, NULL), JG_EINVAL, "out_name is NULL");
  CHECK_ERR(jg_attribution_model_name(at, 4, &name), JG_EINVAL, "model index 4 is out of range (there are 4)");
  CHECK_ERR(jg_attribution_conversions(NULL, "markov", v, 4, &len), JG_EINVAL, "attribution is NULL");
  CHECK_ERR(jg_attribution_conversions(at, NULL, v, 4, &len), JG_EINVAL, "model is NULL");
  CHECK_ERR(jg_attribution_conversions(at, "markov", v, 4, NULL), JG_EINVAL, "out_len is NULL");
  CHECK_ERR(jg_attribution_conversions(at, "Markov", v, 4, &len), JG_EINVAL, "unknown attribution model \"Markov\"");
  CHECK_ERR(jg_attribution_conversions(at, "markov", v, 1, &len), JG_EBUFS, "out holds 1 elements but 2 are needed");
  CHECK(len == 2);
  CHECK_ERR(jg_attribution_conversions(at, "markov", NULL, 1, &len), JG_EINVAL, "out is NULL but capacity is 1");
  CHECK_OK(jg_attribution_conversions(at, "markov", NULL, 0, &len));
  CHECK(len == 2);
  CHECK_ERR(jg_attribution_value(NULL, "markov", v, 4, &len), JG_EINVAL, "attribution is NULL");
  CHECK_ERR(jg_attribution_value(at, NULL, v, 4, &len), JG_EINVAL, "model is NULL");
  CHECK_ERR(jg_attribution_value(at, "markov", v, 4, NULL), JG_EINVAL, "out_len is NULL");
  CHECK_ERR(jg_attribution_value(at, "linear", v, 0, &len), JG_EBUFS, "are needed");
  {
    jg_removal* r = (jg_removal*)&info;
    CHECK_ERR(jg_attribution_removal(NULL, &r), JG_EINVAL, "attribution is NULL");
    CHECK(r == NULL);
  }
  CHECK_ERR(jg_attribution_removal(at, NULL), JG_EINVAL, "out_removal is NULL");
  jg_attribution_free(at);
  jg_attribution_free(NULL);
  jg_journeys_free(js);
}

int main(void) {
  test_defaults();
  test_chosen_models();
  test_zero_weight_touchpoint();
  test_errors();
  return finish("test_attribution");
}
