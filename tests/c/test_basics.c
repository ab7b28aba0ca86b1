/* Versions, status codes, the thread-local last error, the versioned structs and their _init()
 * functions, and the caller-buffer protocol (on jg_attribution_list_models). */

#include <pthread.h>

#include "check.h"

static void test_versions(void) {
  char expected[32];
  CHECK_STR(jg_version_string(), JG_VERSION_STRING);
  snprintf(expected, sizeof expected, "%d.%d.%d", JG_VERSION_MAJOR, JG_VERSION_MINOR, JG_VERSION_PATCH);
  CHECK_STR(jg_version_string(), expected);
  CHECK(jg_version_number() == JG_VERSION_NUMBER);
  CHECK(jg_version_number() == (unsigned)(JG_VERSION_MAJOR * 10000 + JG_VERSION_MINOR * 100 + JG_VERSION_PATCH));
}

static void test_status_names(void) {
  CHECK_STR(jg_status_name(JG_OK), "JG_OK");
  CHECK_STR(jg_status_name(JG_EINVAL), "JG_EINVAL");
  CHECK_STR(jg_status_name(JG_ENOMEM), "JG_ENOMEM");
  CHECK_STR(jg_status_name(JG_EBUFS), "JG_EBUFS");
  CHECK_STR(jg_status_name(JG_ESTATE), "JG_ESTATE");
  CHECK_STR(jg_status_name(JG_EIO), "JG_EIO");
  CHECK_STR(jg_status_name(JG_EPARSE), "JG_EPARSE");
  CHECK_STR(jg_status_name(JG_EDATA), "JG_EDATA");
  CHECK_STR(jg_status_name(JG_EINTERRUPTED), "JG_EINTERRUPTED");
  CHECK_STR(jg_status_name(JG_EINTERNAL), "JG_EINTERNAL");
  CHECK_STR(jg_status_name((jg_status)-42), "JG_E?");
  CHECK_STR(jg_status_name((jg_status)7), "JG_E?");
  /* The codes are part of the ABI. */
  CHECK(JG_OK == 0 && JG_EINVAL == -1 && JG_ENOMEM == -2 && JG_EBUFS == -3 && JG_ESTATE == -4 && JG_EIO == -5 &&
        JG_EPARSE == -6 && JG_EDATA == -7 && JG_EINTERRUPTED == -8 && JG_EINTERNAL == -9);
}

static void test_last_error(void) {
  jg_model* model = NULL;
  CHECK(jg_last_error_message() != NULL);
  CHECK_ERR(jg_model_create(NULL), JG_EINVAL, "jg_model_create: out_model is NULL");
  /* The message stays until the next status-returning call ... */
  CHECK_STR(jg_version_string(), JG_VERSION_STRING);
  CHECK(strstr(jg_last_error_message(), "out_model is NULL") != NULL);
  /* ... which clears it on success. */
  CHECK_OK(jg_model_create(&model));
  CHECK_STR(jg_last_error_message(), "");
  jg_model_free(model);
}

struct thread_result {
  jg_status status;
  char message[256];
};

static void* fail_in_thread(void* arg) {
  struct thread_result* r = (struct thread_result*)arg;
  jg_model_info info = JG_MODEL_INFO_INIT;
  r->status = jg_model_get_info(NULL, &info);
  snprintf(r->message, sizeof r->message, "%s", jg_last_error_message());
  return NULL;
}

static void test_last_error_is_thread_local(void) {
  pthread_t thread;
  struct thread_result r;
  memset(&r, 0, sizeof r);
  CHECK_ERR(jg_journeys_get_info(NULL, NULL), JG_EINVAL, "jg_journeys_get_info: journeys is NULL");
  REQUIRE(pthread_create(&thread, NULL, fail_in_thread, &r) == 0);
  REQUIRE(pthread_join(thread, NULL) == 0);
  CHECK(r.status == JG_EINVAL);
  CHECK(strstr(r.message, "jg_model_get_info: model is NULL") != NULL);
  /* This thread's message is untouched by the other thread's failure. */
  CHECK(strstr(jg_last_error_message(), "jg_journeys_get_info: journeys is NULL") != NULL);
}

/* Every versioned struct: _init() sets the version, rejects NULL and unknown versions. (That _init() and
 * the _INIT macro give the C++ library's defaults, field by field, is checked by test_c_vs_cpp.) */
#define CHECK_INIT(type, macro, init_fn, version_macro)                                      \
  do {                                                                                       \
    type from_macro = macro;                                                                 \
    type from_fn;                                                                            \
    memset(&from_fn, 0xA5, sizeof from_fn);                                                  \
    CHECK(from_macro.version == version_macro);                                              \
    CHECK_OK(init_fn(&from_fn, version_macro));                                              \
    CHECK(from_fn.version == version_macro);                                                 \
    CHECK_ERR(init_fn(NULL, version_macro), JG_EINVAL, "is NULL");                           \
    CHECK_ERR(init_fn(&from_fn, 0), JG_EINVAL, ".version is 0");                             \
    CHECK_ERR(init_fn(&from_fn, version_macro + 1), JG_EINVAL, "knows versions 1 to");       \
  } while (0)

static void test_struct_inits(void) {
  CHECK_INIT(jg_exec_options, JG_EXEC_OPTIONS_INIT, jg_exec_options_init, JG_EXEC_OPTIONS_VERSION);
  CHECK_INIT(jg_journey_options, JG_JOURNEY_OPTIONS_INIT, jg_journey_options_init, JG_JOURNEY_OPTIONS_VERSION);
  CHECK_INIT(jg_event_arrays, JG_EVENT_ARRAYS_INIT, jg_event_arrays_init, JG_EVENT_ARRAYS_VERSION);
  CHECK_INIT(jg_path_arrays, JG_PATH_ARRAYS_INIT, jg_path_arrays_init, JG_PATH_ARRAYS_VERSION);
  CHECK_INIT(jg_model_options, JG_MODEL_OPTIONS_INIT, jg_model_options_init, JG_MODEL_OPTIONS_VERSION);
  CHECK_INIT(jg_attribution_options, JG_ATTRIBUTION_OPTIONS_INIT, jg_attribution_options_init,
             JG_ATTRIBUTION_OPTIONS_VERSION);
  CHECK_INIT(jg_journeys_info, JG_JOURNEYS_INFO_INIT, jg_journeys_info_init, JG_JOURNEYS_INFO_VERSION);
  CHECK_INIT(jg_report_counts, JG_REPORT_COUNTS_INIT, jg_report_counts_init, JG_REPORT_COUNTS_VERSION);
  CHECK_INIT(jg_counts_info, JG_COUNTS_INFO_INIT, jg_counts_info_init, JG_COUNTS_INFO_VERSION);
  CHECK_INIT(jg_model_info, JG_MODEL_INFO_INIT, jg_model_info_init, JG_MODEL_INFO_VERSION);
  CHECK_INIT(jg_removal_info, JG_REMOVAL_INFO_INIT, jg_removal_info_init, JG_REMOVAL_INFO_VERSION);
  CHECK_INIT(jg_attribution_info, JG_ATTRIBUTION_INFO_INIT, jg_attribution_info_init, JG_ATTRIBUTION_INFO_VERSION);

  /* A few defaults spelled out (all of them are compared with the C++ defaults by test_c_vs_cpp). */
  {
    jg_exec_options e;
    jg_journey_options j;
    jg_model_options m;
    jg_attribution_options a;
    CHECK_OK(jg_exec_options_init(&e, JG_EXEC_OPTIONS_VERSION));
    CHECK(e.threads == 0 && e.progress == NULL && e.user == NULL);
    CHECK_OK(jg_journey_options_init(&j, JG_JOURNEY_OPTIONS_VERSION));
    CHECK(j.split_on_conversion == 1 && j.use_lookback == 0 && j.use_gap == 0 && j.collapse_repeats == 0 &&
          j.max_touches == 0);
    CHECK_OK(jg_model_options_init(&m, JG_MODEL_OPTIONS_VERSION));
    CHECK(m.order == 1 && m.smoothing == 0.0 && m.self_loops == JG_SELF_LOOPS_DROP);
    CHECK_OK(jg_attribution_options_init(&a, JG_ATTRIBUTION_OPTIONS_VERSION));
    CHECK(a.models == NULL && a.n_models == 0 && a.markov == NULL);
  }

  /* The CSV option structs hold pointers to static strings: compare them as strings. */
  {
    jg_event_csv_options a = JG_EVENT_CSV_OPTIONS_INIT, b;
    CHECK_OK(jg_event_csv_options_init(&b, JG_EVENT_CSV_OPTIONS_VERSION));
    CHECK(a.version == b.version && a.delimiter == b.delimiter && a.skip_bad_rows == b.skip_bad_rows &&
          a.max_field_bytes == b.max_field_bytes && a.integer_time_unit == b.integer_time_unit &&
          a.integer_time_unit == JG_TIME_DEFAULT && a.time_format == NULL && b.time_format == NULL);
    CHECK_STR(b.journey.name, a.journey.name);
    CHECK_STR(b.time.name, a.time.name);
    CHECK_STR(b.touchpoint.name, a.touchpoint.name);
    CHECK_STR(b.conversion.name, a.conversion.name);
    CHECK_STR(b.value.name, a.value.name);
    CHECK_STR(b.segment.name, a.segment.name);
    CHECK(a.journey.required == b.journey.required && a.time.required == b.time.required &&
          a.touchpoint.required == b.touchpoint.required && a.conversion.required == b.conversion.required &&
          a.value.required == b.value.required && a.segment.required == b.segment.required);
    CHECK_ERR(jg_event_csv_options_init(NULL, JG_EVENT_CSV_OPTIONS_VERSION), JG_EINVAL, "options is NULL");
    CHECK_ERR(jg_event_csv_options_init(&b, 0), JG_EINVAL, "jg_event_csv_options.version is 0");
    CHECK_ERR(jg_event_csv_options_init(&b, JG_EVENT_CSV_OPTIONS_VERSION + 1), JG_EINVAL, "knows versions 1 to 2");
  }
  {
    jg_path_csv_options a = JG_PATH_CSV_OPTIONS_INIT, b;
    CHECK_OK(jg_path_csv_options_init(&b, JG_PATH_CSV_OPTIONS_VERSION));
    CHECK(a.version == b.version && a.delimiter == b.delimiter && a.skip_bad_rows == b.skip_bad_rows &&
          a.max_field_bytes == b.max_field_bytes && a.check_separator == 1 && b.check_separator == 1);
    CHECK_STR(b.path.name, a.path.name);
    CHECK_STR(b.conversions.name, a.conversions.name);
    CHECK_STR(b.nulls.name, a.nulls.name);
    CHECK_STR(b.value.name, a.value.name);
    CHECK_STR(b.separator, a.separator);
    CHECK(a.path.required == b.path.required && a.conversions.required == b.conversions.required &&
          a.nulls.required == b.nulls.required && a.value.required == b.value.required);
    CHECK_ERR(jg_path_csv_options_init(NULL, JG_PATH_CSV_OPTIONS_VERSION), JG_EINVAL, "options is NULL");
    CHECK_ERR(jg_path_csv_options_init(&b, 0), JG_EINVAL, "jg_path_csv_options.version is 0");
    CHECK_ERR(jg_path_csv_options_init(&b, 99), JG_EINVAL, "jg_path_csv_options.version is 99");
  }
}

static void test_buffer_protocol(void) {
  const char* names[16];
  const char* small[2];
  size_t n = 12345, i, j;
  /* Size query. */
  CHECK_OK(jg_attribution_list_models(NULL, 0, &n));
  REQUIRE(n >= 4 && n <= 16);
  /* Too small: JG_EBUFS with the size needed, nothing written. */
  small[0] = small[1] = NULL;
  {
    size_t need = 0;
    CHECK_ERR(jg_attribution_list_models(small, 2, &need), JG_EBUFS, "are needed");
    CHECK(need == n);
    CHECK(small[0] == NULL && small[1] == NULL);
  }
  /* NULL buffer with a capacity, NULL out_len. */
  CHECK_ERR(jg_attribution_list_models(NULL, 3, &n), JG_EINVAL, "out_names is NULL but capacity is 3");
  CHECK_ERR(jg_attribution_list_models(names, 16, NULL), JG_EINVAL, "out_len is NULL");
  /* Exact and larger buffers. */
  {
    size_t got = 0;
    CHECK_OK(jg_attribution_list_models(names, n, &got));
    CHECK(got == n);
    CHECK_OK(jg_attribution_list_models(names, 16, &got));
    CHECK(got == n);
  }
  CHECK_STR(names[0], "markov");
  CHECK_STR(names[1], "first_touch");
  CHECK_STR(names[2], "last_touch");
  CHECK_STR(names[3], "linear");
  for (i = 0; i < n; ++i)
    for (j = i + 1; j < n; ++j) CHECK(strcmp(names[i], names[j]) != 0);
}

int main(void) {
  test_versions();
  test_status_names();
  test_last_error();
  test_last_error_is_thread_local();
  test_struct_inits();
  test_buffer_protocol();
  return finish("test_basics");
}
