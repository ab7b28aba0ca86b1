/* Time input, separators, instants and splits through the C ABI, as a C program uses them: version 2 of
 * the CSV option structs (time_format, the checked default unit, check_separator) beside version 1, which
 * keeps its old behaviour; how a journey set's times were given (jg_journeys_info version 2);
 * jg_parse_instant, jg_journeys_split_at_time, jg_detect_csv_kind and jg_format_time. */
#include "check.h"

/* Day-first text: the 1st of April and the 2nd of April 2026, 10:00 UTC. */
static const char kDayFirst[] =
    "journey_id,timestamp,touchpoint,conversion\n1,01/04/2026 10:00,search,0\n1,02/04/2026 10:00,email,1\n";
/* Epoch microseconds: 2026-01-01T10:00:00Z and an hour later. */
static const char kMicros[] =
    "journey_id,timestamp,touchpoint,conversion\n1,1767261600000000,search,0\n1,1767265200000000,email,1\n";
/* Epoch seconds and the same instants as ISO text: two journeys on 2023-11-14, one on 2023-11-16. */
static const char kEpoch[] =
    "journey_id,timestamp,touchpoint,conversion\n1,1700000000,search,0\n1,1700000100,email,1\n"
    "2,1700000200,display,0\n3,1700100000,search,1\n";
static const char kIso[] =
    "journey_id,timestamp,touchpoint,conversion\n1,2023-11-14T22:13:20Z,search,0\n1,2023-11-14T22:15:00Z,email,1\n"
    "2,2023-11-14T22:16:40Z,display,0\n3,2023-11-16T02:00:00Z,search,1\n";
static const char kPipes[] = "path,total_conversions,total_null\na|b|c,1,2\nb|c,0,3\nc,1,0\n";

static jg_journeys* read_events(const char* text, const jg_event_csv_options* o) {
  jg_journeys* js = NULL;
  REQUIRE_OK(jg_journeys_parse_events_csv(text, strlen(text), "t.csv", o, NULL, NULL, &js, NULL));
  return js;
}

static void test_event_options_versions(void) {
  jg_event_csv_options v2 = JG_EVENT_CSV_OPTIONS_INIT, v1;
  jg_journeys* js = NULL;
  int64_t t[2];
  size_t len = 0;

  /* Version 2 by default: the unit is not given, so epoch microseconds read as seconds are refused with
   * every reading and the option that fixes it. */
  CHECK(v2.version == 2 && v2.integer_time_unit == JG_TIME_DEFAULT && v2.time_format == NULL);
  CHECK_ERR(jg_journeys_parse_events_csv(kMicros, strlen(kMicros), "us.csv", &v2, NULL, NULL, &js, NULL), JG_EPARSE,
            "us.csv:2:3: field 'timestamp': epoch number \"1767261600000000\" read in seconds");
  CHECK(strstr(jg_last_error_message(), "in us 2026-01-01T10:00:00Z") != NULL);
  CHECK(js == NULL);
  v2.integer_time_unit = JG_TIME_MICROSECONDS;
  js = read_events(kMicros, &v2);
  CHECK_OK(jg_journeys_times(js, 0, t, 2, &len));
  CHECK(len == 2 && t[0] == INT64_C(1767261600000000) && t[1] - t[0] == INT64_C(3600000000));
  jg_journeys_free(js);

  /* Version 1 takes the unit as given, as it always did: the same file is read as (far-future) seconds. */
  memset(&v1, 0xA5, sizeof v1);
  CHECK_OK(jg_event_csv_options_init(&v1, 1));
  CHECK(v1.version == 1 && v1.integer_time_unit == JG_TIME_SECONDS);
  {
    /* the init of version 1 writes nothing past the version-1 fields */
    const unsigned char* tail = (const unsigned char*)&v1.time_format;
    CHECK(tail[0] == 0xA5 && tail[sizeof(const char*) - 1] == 0xA5);
  }
  js = read_events(kMicros, &v1);
  CHECK_OK(jg_journeys_times(js, 0, t, 2, &len));
  CHECK(len == 2 && t[0] == INT64_C(1767261600000000) * 1000 && t[1] - t[0] == INT64_C(3600000000) * 1000);
  jg_journeys_free(js);
  /* ... and refuses the version-2 default, and ignores the version-2 field (not read). */
  v1.integer_time_unit = JG_TIME_DEFAULT;
  CHECK_ERR(jg_journeys_parse_events_csv(kMicros, strlen(kMicros), "us.csv", &v1, NULL, NULL, &js, NULL), JG_EINVAL,
            "options->integer_time_unit is JG_TIME_DEFAULT, which needs version 2 of jg_event_csv_options");
  v1.integer_time_unit = JG_TIME_SECONDS;
  v1.time_format = "%Y";  /* a version-1 caller's struct has no such field: never read */
  js = read_events(kMicros, &v1);
  jg_journeys_free(js);

  /* Day-first text: refused without a format (naming both patterns), read right with one, and a
   * month-first reading would put the touches a month apart (the check can tell). */
  v2 = (jg_event_csv_options)JG_EVENT_CSV_OPTIONS_INIT;
  CHECK_ERR(jg_journeys_parse_events_csv(kDayFirst, strlen(kDayFirst), "d.csv", &v2, NULL, NULL, &js, NULL), JG_EPARSE,
            "d.csv:2:3: field 'timestamp': invalid timestamp \"01/04/2026 10:00\"");
  CHECK(strstr(jg_last_error_message(), "\"%d/%m/%Y %H:%M\" if the day comes first") != NULL);
  v2.time_format = "%d/%m/%Y %H:%M";
  js = read_events(kDayFirst, &v2);
  CHECK_OK(jg_journeys_times(js, 0, t, 2, &len));
  /* 2026-04-01T10:00:00Z is 1775037600 s; times are stored in milliseconds */
  CHECK(len == 2 && t[0] == INT64_C(1775037600000) && t[1] - t[0] == INT64_C(86400000));
  jg_journeys_free(js);
  v2.time_format = "%m/%d/%Y %H:%M";
  js = read_events(kDayFirst, &v2);
  CHECK_OK(jg_journeys_times(js, 0, t, 2, &len));
  CHECK(len == 2 && t[1] - t[0] == INT64_C(31) * 86400000);
  jg_journeys_free(js);
  v2.time_format = "%H:%M";
  CHECK_ERR(jg_journeys_parse_events_csv(kDayFirst, strlen(kDayFirst), "d.csv", &v2, NULL, NULL, &js, NULL), JG_EINVAL,
            "time format \"%H:%M\": it has no year");
  v2.time_format = "";
  CHECK_STATUS(jg_journeys_parse_events_csv(kDayFirst, strlen(kDayFirst), "d.csv", &v2, NULL, NULL, &js, NULL),
               JG_EPARSE);
}

static void test_path_options_versions(void) {
  jg_path_csv_options v2 = JG_PATH_CSV_OPTIONS_INIT, v1;
  jg_journeys* js = NULL;
  jg_journeys_info info = JG_JOURNEYS_INFO_INIT;
  CHECK(v2.version == 2 && v2.check_separator == 1);
  CHECK_ERR(jg_journeys_parse_paths_csv(kPipes, strlen(kPipes), "p.csv", &v2, NULL, &js, NULL), JG_EPARSE,
            "p.csv:2:1: field 'path': no path holds the separator \">\"");
  CHECK(strstr(jg_last_error_message(), "2 of 3 paths hold \"|\"") != NULL);
  v2.separator = "|";
  REQUIRE_OK(jg_journeys_parse_paths_csv(kPipes, strlen(kPipes), "p.csv", &v2, NULL, &js, NULL));
  CHECK_OK(jg_journeys_get_info(js, &info));
  CHECK(info.n_touchpoints == 3 && info.n_touches == 6);
  jg_journeys_free(js);
  v2.separator = ">";
  v2.check_separator = 0;
  REQUIRE_OK(jg_journeys_parse_paths_csv(kPipes, strlen(kPipes), "p.csv", &v2, NULL, &js, NULL));
  CHECK_OK(jg_journeys_get_info(js, &info));
  CHECK(info.n_touchpoints == 3 && info.n_touches == 3); /* "a|b|c", "b|c", "c" */
  jg_journeys_free(js);
  /* Version 1 checks, as it did, and has no field to turn the check off. */
  memset(&v1, 0xA5, sizeof v1);
  CHECK_OK(jg_path_csv_options_init(&v1, 1));
  CHECK(v1.version == 1 && *(const unsigned char*)&v1.check_separator == 0xA5);
  v1.check_separator = 0; /* not read */
  CHECK_ERR(jg_journeys_parse_paths_csv(kPipes, strlen(kPipes), "p.csv", &v1, NULL, &js, NULL), JG_EPARSE,
            "no path holds the separator");
}

static void test_info_instant_split(void) {
  jg_journeys *epoch = read_events(kEpoch, NULL), *iso = read_events(kIso, NULL), *before = NULL, *from = NULL;
  jg_journeys* paths = NULL;
  jg_journeys_info info = JG_JOURNEYS_INFO_INIT, v1;
  int64_t at = 0, at_iso = 0;

  CHECK_OK(jg_journeys_get_info(epoch, &info));
  CHECK(info.version == 2 && info.time_kind == JG_TIME_KIND_EPOCH && info.epoch_unit == JG_TIME_SECONDS &&
        info.time_unit == JG_TIME_MILLISECONDS);
  CHECK_OK(jg_journeys_get_info(iso, &info));
  CHECK(info.time_kind == JG_TIME_KIND_DATES);
  {
    jg_path_csv_options po = JG_PATH_CSV_OPTIONS_INIT;
    po.separator = "|";
    REQUIRE_OK(jg_journeys_parse_paths_csv(kPipes, strlen(kPipes), "p.csv", &po, NULL, &paths, NULL));
  }
  CHECK_OK(jg_journeys_get_info(paths, &info));
  CHECK(info.time_kind == JG_TIME_KIND_NONE && info.has_timestamps == 0);
  /* A version-1 info is filled up to memory_bytes only. */
  memset(&v1, 0xA5, sizeof v1);
  CHECK_OK(jg_journeys_info_init(&v1, 1));
  CHECK(v1.version == 1 && *(const unsigned char*)&v1.time_kind == 0xA5);
  CHECK_OK(jg_journeys_get_info(epoch, &v1));
  CHECK(v1.n_journeys == 3 && *(const unsigned char*)&v1.time_kind == 0xA5);

  /* Instants: a bare number is epoch seconds for the epoch file, refused with a hint for the ISO one; ISO
   * text reads the same on both. */
  CHECK_OK(jg_parse_instant(epoch, "1700050000", NULL, &at));
  CHECK(at == INT64_C(1700050000000));
  CHECK_OK(jg_parse_instant(epoch, "60", NULL, &at));
  CHECK(at == 60000);
  CHECK_ERR(jg_parse_instant(iso, "1700050000", NULL, &at), JG_EINVAL,
            "the instant \"1700050000\" is a bare number, but the journeys' times were given as dates");
  CHECK_OK(jg_parse_instant(iso, "2023-11-15T12:06:40Z", NULL, &at_iso));
  CHECK_OK(jg_parse_instant(epoch, "2023-11-15 12:06:40", "", &at));
  CHECK(at == at_iso && at == INT64_C(1700050000000));
  CHECK_OK(jg_parse_instant(iso, "15/11/2023 12:06", "%d/%m/%Y %H:%M", &at));
  CHECK(at == INT64_C(1700050000000) - 40000);
  CHECK_ERR(jg_parse_instant(paths, "2023-11-15", NULL, &at), JG_ESTATE, "");
  CHECK_ERR(jg_parse_instant(epoch, NULL, NULL, &at), JG_EINVAL, "text is NULL");
  CHECK_ERR(jg_parse_instant(epoch, "1", NULL, NULL), JG_EINVAL, "out_ticks is NULL");

  /* Splits: 2 journeys before, 1 from; an empty side is named and both outputs stay NULL. */
  CHECK_OK(jg_journeys_split_at_time(epoch, INT64_C(1700050000000), &before, &from));
  CHECK_OK(jg_journeys_get_info(before, &info));
  CHECK(info.n_journeys == 2 && info.time_kind == JG_TIME_KIND_EPOCH);
  CHECK_OK(jg_journeys_get_info(from, &info));
  CHECK(info.n_journeys == 1 && info.total_conversions == 1.0);
  jg_journeys_free(before);
  jg_journeys_free(from);
  before = from = (jg_journeys*)&info; /* must be reset on failure */
  CHECK_ERR(jg_journeys_split_at_time(epoch, 60000, &before, &from), JG_EDATA,
            "split at 1970-01-01T00:01:00Z: no journey of positive weight starts before it, so the first part is empty");
  CHECK(before == NULL && from == NULL);
  CHECK_ERR(jg_journeys_split_at_time(iso, INT64_C(1800000000000), &before, &from), JG_EDATA,
            "so the second part is empty");
  CHECK_ERR(jg_journeys_split_at_time(paths, 0, &before, &from), JG_ESTATE, "");
  CHECK_ERR(jg_journeys_split_at_time(epoch, 0, NULL, &from), JG_EINVAL, "out_before is NULL");
  jg_journeys_free(epoch);
  jg_journeys_free(iso);
  jg_journeys_free(paths);
}

static void test_detect_and_format(void) {
  jg_csv_kind kind = JG_CSV_EVENTS;
  char reason[256], small[4];
  size_t len = 0;
  static const char* const file = JG_TEST_TMP_DIR "/test_time_input_paths.csv";
  FILE* f;

  CHECK_OK(jg_detect_csv_kind(NULL, kEpoch, strlen(kEpoch), NULL, NULL, &kind, reason, sizeof reason, &len));
  CHECK(kind == JG_CSV_EVENTS && len == strlen(reason) + 1);
  CHECK_STR(reason, "the header has the columns 'journey_id' and 'touchpoint' of an event log");
  /* Only the size (and the kind), then a buffer too small. */
  kind = JG_CSV_UNKNOWN;
  CHECK_OK(jg_detect_csv_kind(NULL, kEpoch, strlen(kEpoch), NULL, NULL, &kind, NULL, 0, &len));
  CHECK(kind == JG_CSV_EVENTS && len == strlen(reason) + 1);
  CHECK_ERR(jg_detect_csv_kind(NULL, kEpoch, strlen(kEpoch), NULL, NULL, &kind, small, sizeof small, &len), JG_EBUFS,
            "out_reason holds 4");
  /* From a file; column names and the delimiter from the options. */
  f = fopen(file, "wb");
  REQUIRE_OK(f != NULL ? JG_OK : JG_EIO);
  fputs("route;conv\na>b;1\n", f);
  REQUIRE_OK(fclose(f) == 0 ? JG_OK : JG_EIO);
  {
    jg_path_csv_options po = JG_PATH_CSV_OPTIONS_INIT;
    po.delimiter = ';';
    po.path.name = "route";
    po.conversions.name = "conv";
    CHECK_OK(jg_detect_csv_kind(file, NULL, 0, NULL, &po, &kind, reason, sizeof reason, &len));
    CHECK(kind == JG_CSV_PATHS);
    CHECK(strstr(reason, "'route' and 'conv' of aggregated paths") != NULL);
    /* with the default names the same header is neither */
    CHECK_OK(jg_detect_csv_kind(file, NULL, 0, NULL, NULL, &kind, reason, sizeof reason, &len));
    CHECK(kind == JG_CSV_UNKNOWN && strstr(reason, "the header has neither") != NULL);
  }
  {
    static const char both[] = "journey_id,touchpoint,path,total_conversions\n";
    CHECK_OK(jg_detect_csv_kind(NULL, both, strlen(both), NULL, NULL, &kind, reason, sizeof reason, &len));
    CHECK(kind == JG_CSV_UNKNOWN && strstr(reason, "columns of both an event log") != NULL);
  }
  CHECK_ERR(jg_detect_csv_kind(NULL, "", 0, NULL, NULL, &kind, reason, sizeof reason, &len), JG_EPARSE,
            "empty file: expected a header row");
  CHECK_ERR(jg_detect_csv_kind(JG_TEST_TMP_DIR "/no/such.csv", NULL, 0, NULL, NULL, &kind, reason, sizeof reason, &len),
            JG_EIO, "no/such.csv");
  CHECK_ERR(jg_detect_csv_kind(NULL, NULL, 3, NULL, NULL, &kind, reason, sizeof reason, &len), JG_EINVAL,
            "length is 3");
  CHECK_ERR(jg_detect_csv_kind(NULL, "a", 1, NULL, NULL, NULL, reason, sizeof reason, &len), JG_EINVAL,
            "out_kind is NULL");

  /* Times as text: whole seconds, milliseconds with their fraction, a year before 1970. */
  CHECK_OK(jg_format_time(INT64_C(1700000000), JG_TIME_SECONDS, reason, sizeof reason, &len));
  CHECK_STR(reason, "2023-11-14T22:13:20Z");
  CHECK(len == 21);
  CHECK_OK(jg_format_time(INT64_C(1700000000250), JG_TIME_MILLISECONDS, reason, sizeof reason, &len));
  CHECK_STR(reason, "2023-11-14T22:13:20.25Z");
  CHECK_OK(jg_format_time(INT64_C(-86400), JG_TIME_SECONDS, reason, sizeof reason, &len));
  CHECK_STR(reason, "1969-12-31T00:00:00Z");
  CHECK_ERR(jg_format_time(0, JG_TIME_SECONDS, small, sizeof small, &len), JG_EBUFS, "out holds 4");
  CHECK(len == 21);
  CHECK_ERR(jg_format_time(0, JG_TIME_DEFAULT, reason, sizeof reason, &len), JG_EINVAL, "unit is 4");
  CHECK_ERR(jg_format_time(0, JG_TIME_SECONDS, reason, sizeof reason, NULL), JG_EINVAL, "out_len is NULL");
}

int main(void) {
  test_event_options_versions();
  test_path_options_versions();
  test_info_instant_split();
  test_detect_and_format();
  return finish("test_time_input");
}
