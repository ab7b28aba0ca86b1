/* One lifecycle: handles made finished in one call equal, bit for bit, the ones the deprecated in-place calls
 * fill (models fitted on journeys or counts or opened from a file or bytes, merged counts, assigned stages),
 * with the error paths of the new calls. */

#include <stdlib.h>
#include <string.h>

#include "check.h"

static const char* const kPaths[3] = {"a > b", "b", "a"};
static const double kConv[3] = {2, 1, 0};
static const double kNull[3] = {1, 3, 2};
static const double kValue[3] = {20, 5, 0};

static jg_journeys* paths(size_t n) { return path_journeys(n, kPaths, kConv, kNull, kValue); }

/* Every transition and the value per conversion of a and b are equal, bit for bit. */
static void check_same_model(const jg_model* a, const jg_model* b) {
  jg_transition ta[32], tb[32];
  size_t na = 0, nb = 0, i;
  CHECK_OK(jg_model_transitions(a, ta, 32, &na));
  CHECK_OK(jg_model_transitions(b, tb, 32, &nb));
  CHECK(na == nb && na > 0);
  for (i = 0; i < na && i < nb; ++i)
    CHECK(ta[i].from == tb[i].from && ta[i].to == tb[i].to && ta[i].count == tb[i].count &&
          ta[i].probability == tb[i].probability);
}

static void test_models(void) {
  jg_journeys* js = paths(3);
  jg_model_options o = JG_MODEL_OPTIONS_INIT;
  jg_model *old = NULL, *made = NULL, *from_counts = NULL, *opened = NULL, *from_bytes = NULL;
  jg_counts* counts = NULL;
  unsigned char* bytes = NULL;
  size_t len = 0;
  const char* file = JG_TEST_TMP_DIR "/test_lifecycle.jgm";
  o.smoothing = 0.5;
  REQUIRE_OK(jg_model_create(&old));
  REQUIRE_OK(jg_model_fit(old, js, &o, NULL));
  REQUIRE_OK(jg_model_create_fitted(js, &o, NULL, &made));
  check_same_model(old, made);
  REQUIRE_OK(jg_counts_create(js, 1, JG_SELF_LOOPS_DROP, NULL, &counts));
  REQUIRE_OK(jg_model_create_from_counts(counts, 0.5, NULL, &from_counts));
  check_same_model(made, from_counts);
  REQUIRE_OK(jg_model_save(made, file));
  REQUIRE_OK(jg_model_open(file, NULL, 0, NULL, &opened));
  check_same_model(made, opened);
  REQUIRE_OK(jg_model_to_bytes(made, NULL, 0, &len));
  bytes = (unsigned char*)malloc(len);
  REQUIRE(bytes != NULL);
  REQUIRE_OK(jg_model_to_bytes(made, bytes, len, &len));
  REQUIRE_OK(jg_model_open(NULL, bytes, len, NULL, &from_bytes));
  check_same_model(made, from_bytes);

  jg_model_free(made); /* a failed call sets its out_model to NULL */
  made = NULL;
  o.order = 0;
  CHECK_ERR(jg_model_create_fitted(js, &o, NULL, &made), JG_EINVAL, "order must be in 1..16, got 0");
  CHECK(made == NULL);
  CHECK_ERR(jg_model_create_fitted(NULL, NULL, NULL, &made), JG_EINVAL, "journeys is NULL");
  CHECK_ERR(jg_model_create_fitted(js, NULL, NULL, NULL), JG_EINVAL, "out_model is NULL");
  CHECK_ERR(jg_model_create_from_counts(counts, -1, NULL, &made), JG_EINVAL, "smoothing must be a finite number >= 0");
  CHECK_ERR(jg_model_create_from_counts(NULL, 0, NULL, &made), JG_EINVAL, "counts is NULL");
  CHECK_ERR(jg_model_open(JG_TEST_TMP_DIR "/no/such.jgm", NULL, 0, NULL, &made), JG_EIO, "cannot");
  CHECK_ERR(jg_model_open(NULL, bytes, 3, NULL, &made), JG_EPARSE, "<bytes>");
  CHECK_ERR(jg_model_open(NULL, NULL, 5, NULL, &made), JG_EINVAL, "bytes is NULL");
  CHECK(made == NULL);
  free(bytes);
  jg_model_free(from_bytes);
  jg_model_free(opened);
  jg_model_free(from_counts);
  jg_counts_free(counts);
  jg_model_free(old);
  jg_journeys_free(js);
}

static void test_merged_counts(void) {
  jg_journeys *all = paths(3), *first = NULL, *rest = NULL;
  jg_counts *whole = NULL, *a = NULL, *b = NULL, *merged = NULL, *wrong = NULL;
  const jg_counts* parts[2];
  int equal = 0;
  REQUIRE_OK(jg_journeys_slice(all, 0, 1, &first));
  REQUIRE_OK(jg_journeys_slice(all, 1, 2, &rest));
  REQUIRE_OK(jg_counts_create(all, 2, JG_SELF_LOOPS_DROP, NULL, &whole));
  REQUIRE_OK(jg_counts_create(first, 2, JG_SELF_LOOPS_DROP, NULL, &a));
  REQUIRE_OK(jg_counts_create(rest, 2, JG_SELF_LOOPS_DROP, NULL, &b));
  parts[0] = a;
  parts[1] = b;
  REQUIRE_OK(jg_counts_create_merged(parts, 2, &merged));
  CHECK_OK(jg_counts_equal(merged, whole, &equal));
  CHECK(equal == 1);
  CHECK_OK(jg_counts_merge(a, b)); /* the deprecated in-place merge gives the same */
  CHECK_OK(jg_counts_equal(a, whole, &equal));
  CHECK(equal == 1);
  jg_counts_free(merged); /* a failed call sets its out_counts to NULL */
  merged = NULL;
  REQUIRE_OK(jg_counts_create(rest, 1, JG_SELF_LOOPS_DROP, NULL, &wrong));
  parts[1] = wrong;
  CHECK_ERR(jg_counts_create_merged(parts, 2, &merged), JG_EINVAL, "order");
  CHECK(merged == NULL);
  parts[1] = NULL;
  CHECK_ERR(jg_counts_create_merged(parts, 2, &merged), JG_EINVAL, "parts[1] is NULL");
  CHECK_ERR(jg_counts_create_merged(parts, 0, &merged), JG_EINVAL, "n_parts is 0");
  CHECK_ERR(jg_counts_create_merged(NULL, 1, &merged), JG_EINVAL, "parts is NULL");
  jg_counts_free(wrong);
  jg_counts_free(b);
  jg_counts_free(a);
  jg_counts_free(whole);
  jg_journeys_free(rest);
  jg_journeys_free(first);
  jg_journeys_free(all);
}

static void test_stages(void) {
  static const char* const order[2] = {"awareness", "purchase"};
  static const char* const touchpoints[2] = {"ad", "shop"};
  static const char* const stages[2] = {"awareness", "purchase"};
  static const char* const wrong[2] = {"awareness", "retention"};
  jg_stages *made = NULL, *old = NULL;
  int64_t a = -2, b = -2;
  REQUIRE_OK(jg_stages_create_assigned(order, 2, touchpoints, stages, 2, &made));
  REQUIRE_OK(jg_stages_create(order, 2, &old));
  CHECK_OK(jg_stages_assign(old, "ad", "awareness"));
  CHECK_OK(jg_stages_assign(old, "shop", "purchase"));
  CHECK_OK(jg_stages_stage_of(made, "shop", &a));
  CHECK_OK(jg_stages_stage_of(old, "shop", &b));
  CHECK(a == 1 && b == 1);
  jg_stages_free(made);
  CHECK_ERR(jg_stages_create_assigned(order, 2, touchpoints, wrong, 2, &made), JG_EINVAL, "retention");
  CHECK(made == NULL);
  CHECK_ERR(jg_stages_create_assigned(order, 2, NULL, stages, 2, &made), JG_EINVAL, "touchpoints is NULL");
  CHECK_ERR(jg_stages_create_assigned(order, 0, NULL, NULL, 0, &made), JG_EINVAL, "n_stages is 0");
  REQUIRE_OK(jg_stages_create_assigned(order, 2, NULL, NULL, 0, &made));
  CHECK_OK(jg_stages_stage_of(made, "shop", &a));
  CHECK(a == -1);
  jg_stages_free(made);
  jg_stages_free(old);
}

int main(void) {
  test_models();
  test_merged_counts();
  test_stages();
  return finish("test_lifecycle");
}
