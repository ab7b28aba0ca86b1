/* Every journey's credit, calibration and sequence removal effects through the C ABI, error paths included.
 *
 * The paths, worked out by hand:
 *   row 0 "a > b"  2 conversions, 1 null, value 20
 *   row 1 "b"      1 conversion,  3 nulls, value 5
 *   row 2 "a"      0 conversions, 2 nulls
 *   linear: row 0 gives a and b 1 conversion and 10 value each, row 1 gives b 1 and 5; row 2 has no rows.
 *   markov: row 1 can only credit b (1, value 5), so row 0 gives a all of a's Markov credit and b the rest. */

#include "check.h"

static const char* const kPaths[3] = {"a > b", "b", "a"};
static const double kConv[3] = {2, 1, 0};
static const double kNull[3] = {1, 3, 2};
static const double kValue[3] = {20, 5, 0};

static jg_journeys* paths(void) { return path_journeys(3, kPaths, kConv, kNull, kValue); }

static int near(double a, double b) { return fabs(a - b) <= 1e-12 * (fabs(b) > 1 ? fabs(b) : 1); }

static void test_linear(const jg_journeys* js) {
  const char* models[1] = {"linear"};
  jg_attribution_options o = JG_ATTRIBUTION_OPTIONS_INIT;
  jg_table* t = NULL;
  int64_t key[8];
  double conv[8], value[8];
  size_t rows = 0, cols = 0, n = 0;
  const char* tp = NULL;
  o.models = models;
  o.n_models = 1;
  CHECK_OK(jg_journeys_credit(js, &o, NULL, NULL, &t));
  CHECK_OK(jg_table_size(t, &rows, &cols));
  CHECK(rows == 3 && cols == 7);
  CHECK_OK(jg_table_integers(t, "journey", key, 8, &n));
  CHECK(n == 3 && key[0] == 0 && key[1] == 0 && key[2] == 1);
  CHECK_OK(jg_table_numbers(t, "conversions", conv, 8, &n));
  CHECK_OK(jg_table_numbers(t, "value", value, 8, &n));
  CHECK(conv[0] == 1 && conv[1] == 1 && conv[2] == 1);
  CHECK(value[0] == 10 && value[1] == 10 && value[2] == 5);
  CHECK_OK(jg_table_string(t, "touchpoint", 2, &tp));
  CHECK(strcmp(tp, "b") == 0);
  jg_table_free(t);
}

static void test_markov(const jg_journeys* js) {
  jg_table* t = NULL;
  jg_attribution* at = NULL;
  jg_table* totals = NULL;
  double conv[8], value[8], m_conv[2], m_value[2];
  int64_t key[8];
  size_t n = 0, i;
  const char* tp = NULL;
  const char* models[1] = {"markov"};
  jg_attribution_options o = JG_ATTRIBUTION_OPTIONS_INIT;
  o.models = models;
  o.n_models = 1;
  REQUIRE_OK(jg_attribution_create(js, &o, NULL, &at));
  REQUIRE_OK(jg_attribution_table(at, &totals));
  CHECK_OK(jg_table_numbers(totals, "markov", m_conv, 2, &n));
  CHECK_OK(jg_table_numbers(totals, "markov_value", m_value, 2, &n));
  jg_table_free(totals);
  jg_attribution_free(at);
  CHECK_OK(jg_journeys_credit(js, &o, NULL, NULL, &t));
  CHECK_OK(jg_table_integers(t, "journey", key, 8, &n));
  CHECK(n == 3);
  CHECK_OK(jg_table_numbers(t, "conversions", conv, 8, &n));
  CHECK_OK(jg_table_numbers(t, "value", value, 8, &n));
  for (i = 0; i < 3; ++i) {
    CHECK_OK(jg_table_string(t, "touchpoint", i, &tp));
    if (key[i] == 1) CHECK(near(conv[i], 1) && near(value[i], 5));
    if (key[i] == 0 && strcmp(tp, "a") == 0) CHECK(near(conv[i], m_conv[0]) && near(value[i], m_value[0]));
    if (key[i] == 0 && strcmp(tp, "b") == 0) CHECK(near(conv[i], m_conv[1] - 1) && near(value[i], m_value[1] - 5));
  }
  jg_table_free(t);
}

static void test_calibration_and_csv(const jg_journeys* js) {
  const char* names[2] = {"a", "b"};
  const double external[2] = {1, 1};
  jg_credit_options c;
  jg_table* t = NULL;
  size_t rows = 0, cols = 0, n = 0;
  double ratio[2];
  FILE* f;
  char line[256];
  CHECK_OK(jg_credit_options_init(&c, JG_CREDIT_OPTIONS_VERSION));
  CHECK(c.max_iterations == 1000 && c.calibration_model == NULL && c.tolerance == 1e-14);
  CHECK_ERR(jg_credit_options_init(&c, 99), JG_EINVAL, "version");
  CHECK_ERR(jg_journeys_calibration(js, NULL, &c, NULL, &t), JG_EINVAL, "calibration_model is NULL");
  CHECK(t == NULL);
  c.calibration_model = "markov";
  c.calibration_touchpoints = names;
  c.calibration_conversions = external;
  c.n_calibration = 2;
  CHECK_OK(jg_journeys_calibration(js, NULL, &c, NULL, &t));
  CHECK_OK(jg_table_size(t, &rows, &cols));
  CHECK(rows == 2 && cols == 5);
  CHECK_OK(jg_table_numbers(t, "ratio", ratio, 2, &n));
  CHECK(ratio[0] > 0 && ratio[1] > 0);
  jg_table_free(t);
  CHECK_OK(jg_journeys_credit(js, NULL, &c, NULL, &t));
  jg_table_free(t);
  CHECK_OK(jg_journeys_credit_write_csv(js, NULL, NULL, NULL, JG_TEST_TMP_DIR "/credit_c.csv"));
  f = fopen(JG_TEST_TMP_DIR "/credit_c.csv", "r");
  CHECK(f != NULL);
  if (f) {
    CHECK(fgets(line, sizeof line, f) != NULL);
    CHECK(strcmp(line, "journey,part,model,touchpoint,conversions,value,in_journey\n") == 0);
    fclose(f);
  }
  CHECK_ERR(jg_journeys_credit_write_csv(js, NULL, NULL, NULL, JG_TEST_TMP_DIR "/no/such/dir/x.csv"), JG_EIO,
            "no/such/dir");
  CHECK_ERR(jg_journeys_credit_write_csv(js, NULL, NULL, NULL, NULL), JG_EINVAL, "file");
  names[1] = "zz";
  CHECK_ERR(jg_journeys_credit(js, NULL, &c, NULL, &t), JG_EINVAL, "zz");
  CHECK(t == NULL);
  c.max_iterations = 0;
  CHECK_ERR(jg_journeys_credit(js, NULL, &c, NULL, &t), JG_EINVAL, "max_iterations");
}

static void test_sequences(const jg_journeys* js) {
  jg_sequence_options s;
  jg_table* t = NULL;
  size_t rows = 0, cols = 0, n = 0;
  double re[4];
  const char* seq = NULL;
  CHECK_OK(jg_sequence_options_init(&s, JG_SEQUENCE_OPTIONS_VERSION));
  CHECK(s.top_length == 2 && s.top_n == 0 && s.sequences == NULL);
  CHECK_ERR(jg_sequence_options_init(NULL, JG_SEQUENCE_OPTIONS_VERSION), JG_EINVAL, "options");
  s.sequences = "a>b";
  s.top_n = 1;
  CHECK_OK(jg_journeys_sequence_removal(js, NULL, &s, NULL, &t));
  CHECK_OK(jg_table_size(t, &rows, &cols));
  CHECK(rows == 1 && cols == 6); /* the only observed pair is the named one */
  CHECK_OK(jg_table_string(t, "sequence", 0, &seq));
  CHECK(strcmp(seq, "a > b") == 0);
  CHECK_OK(jg_table_numbers(t, "removal_effect", re, 4, &n));
  CHECK(re[0] > 0 && re[0] <= 1);
  jg_table_free(t);
  s.sequences = "a>";
  CHECK_ERR(jg_journeys_sequence_removal(js, NULL, &s, NULL, &t), JG_EINVAL, "empty touchpoint name");
  s.sequences = "a>b>a";
  CHECK_ERR(jg_journeys_sequence_removal(js, NULL, &s, NULL, &t), JG_EINVAL, "order >= 2");
  CHECK_ERR(jg_journeys_sequence_removal(NULL, NULL, &s, NULL, &t), JG_EINVAL, "journeys");
}

int main(void) {
  jg_journeys* js = paths();
  test_linear(js);
  test_markov(js);
  test_calibration_and_csv(js);
  test_sequences(js);
  jg_journeys_free(js);
  return finish("test_credit");
}
