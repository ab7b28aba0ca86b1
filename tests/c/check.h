/* A minimal test harness for the C tests: checks count failures, print where and why, and the program
 * exits non-zero if any check failed. */
#ifndef JG_TEST_CHECK_H
#define JG_TEST_CHECK_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "journeygraph/journeygraph.h"

static int g_checks = 0;
static int g_failures = 0;

#define CHECK(cond)                                                             \
  do {                                                                          \
    ++g_checks;                                                                 \
    if (!(cond)) {                                                              \
      ++g_failures;                                                             \
      fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
    }                                                                           \
  } while (0)

/* The call returns `want`; on any failure the message must be non-empty, on success empty. */
#define CHECK_STATUS(call, want)                                                                        \
  do {                                                                                                  \
    jg_status got_ = (call);                                                                            \
    const char* msg_ = jg_last_error_message();                                                         \
    ++g_checks;                                                                                         \
    if (got_ != (want) || (got_ == JG_OK) != (msg_[0] == '\0')) {                                       \
      ++g_failures;                                                                                     \
      fprintf(stderr, "%s:%d: %s returned %s, expected %s (message: \"%s\")\n", __FILE__, __LINE__, \
              #call, jg_status_name(got_), jg_status_name(want), msg_);                                 \
    }                                                                                                   \
  } while (0)

#define CHECK_OK(call) CHECK_STATUS(call, JG_OK)

/* The call fails with `want` and the message contains `needle`. */
#define CHECK_ERR(call, want, needle)                                                                 \
  do {                                                                                                \
    jg_status got_ = (call);                                                                          \
    const char* msg_ = jg_last_error_message();                                                       \
    ++g_checks;                                                                                       \
    if (got_ != (want) || strstr(msg_, (needle)) == NULL) {                                           \
      ++g_failures;                                                                                   \
      fprintf(stderr, "%s:%d: %s returned %s (message \"%s\"), expected %s with a message containing \"%s\"\n", \
              __FILE__, __LINE__, #call, jg_status_name(got_), msg_, jg_status_name(want), (needle)); \
    }                                                                                                 \
  } while (0)

/* Stop the program when a precondition of the following checks fails. */
#define REQUIRE_OK(call)                                                                         \
  do {                                                                                           \
    jg_status got_ = (call);                                                                     \
    if (got_ != JG_OK) {                                                                         \
      fprintf(stderr, "%s:%d: %s returned %s: %s\n", __FILE__, __LINE__, #call, jg_status_name(got_), \
              jg_last_error_message());                                                          \
      exit(2);                                                                                   \
    }                                                                                            \
  } while (0)

#define REQUIRE(cond)                                                                  \
  do {                                                                                 \
    if (!(cond)) {                                                                     \
      fprintf(stderr, "%s:%d: REQUIRE(%s) failed\n", __FILE__, __LINE__, #cond);       \
      exit(2);                                                                         \
    }                                                                                  \
  } while (0)

/* |got - want| <= tol * max(1, |want|) */
#define CHECK_NEAR(got, want, tol)                                                                      \
  do {                                                                                                  \
    double g_ = (got), w_ = (want);                                                                     \
    ++g_checks;                                                                                         \
    if (!(fabs(g_ - w_) <= (tol) * (fabs(w_) > 1.0 ? fabs(w_) : 1.0))) {                                \
      ++g_failures;                                                                                     \
      fprintf(stderr, "%s:%d: %s = %.17g, expected %.17g\n", __FILE__, __LINE__, #got, g_, w_);         \
    }                                                                                                   \
  } while (0)

#define CHECK_STR(got, want)                                                                         \
  do {                                                                                               \
    const char* g_ = (got);                                                                          \
    const char* w_ = (want);                                                                         \
    ++g_checks;                                                                                      \
    if (g_ == NULL || strcmp(g_, w_) != 0) {                                                         \
      ++g_failures;                                                                                  \
      fprintf(stderr, "%s:%d: %s = \"%s\", expected \"%s\"\n", __FILE__, __LINE__, #got,            \
              g_ ? g_ : "(null)", w_);                                                               \
    }                                                                                                \
  } while (0)

static int finish(const char* name) {
  printf("%s: %d checks, %d failed\n", name, g_checks, g_failures);
  if (g_checks == 0) return 1;
  return g_failures == 0 ? 0 : 1;
}

/* Journeys of n aggregated paths with their conversions, nulls and values (NULL = none) through
 * jg_journeys_from_paths; the program stops if that fails. The caller frees them (jg_journeys_free). */
static inline jg_journeys* path_journeys(size_t n, const char* const* paths, const double* conversions,
                                         const double* nulls, const double* values) {
  jg_path_arrays a = JG_PATH_ARRAYS_INIT;
  jg_journeys* js = NULL;
  a.n_paths = n;
  a.paths = paths;
  a.conversions = conversions;
  a.nulls = nulls;
  a.values = values;
  REQUIRE_OK(jg_journeys_from_paths(&a, NULL, &js, NULL));
  return js;
}

/* Writes text to path (for CSV fixtures). */
static inline void write_file(const char* path, const char* text) {
  FILE* f = fopen(path, "wb");
  REQUIRE(f != NULL);
  REQUIRE(fputs(text, f) >= 0);
  REQUIRE(fclose(f) == 0);
}

#endif
