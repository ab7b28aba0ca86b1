// The bad-input catalogue (tests/BAD_INPUTS.md): every stored case in tests/data/bad/ and every generated
// one, with its exact outcome. Errors are checked part by part (file, line, column, field, value) and as the
// whole message; each stored case is read both from its file and from memory, and the two must agree.
// Accepted inputs are checked against their documented result: the BuildReport counts, the journeys, and
// for attribution an independent dense solve (chain_reference.hpp).

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "chain_reference.hpp"
#include "journeygraph/attribution.hpp"
#include "journeygraph/error.hpp"
#include "journeygraph/io.hpp"
#include "test_files.hpp"

using namespace journeygraph;
using jgtest::TempFile;
using jgtest::same_report;

namespace {

std::string bad_file(const std::string& rel) { return std::string(JG_TEST_DATA_DIR) + "/bad/" + rel; }

std::string slurp(const std::string& file) {
  std::ifstream f(file, std::ios::binary);
  REQUIRE(f.good());
  return std::string(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

// Options of the stored events cases: most use small epoch numbers (10, 20, ...), which the default unit
// refuses as no real epoch seconds (E53), so the unit is given explicitly, as a user of such data would.
EventCsvOptions seconds_given() {
  EventCsvOptions o;
  o.time_format.integer_unit = TimeUnit::seconds;
  return o;
}

// The expected parts of a ParseError.
struct Expected {
  std::uint64_t line;
  std::uint64_t column;
  std::string field;
  std::string value;
  std::string message;  // what() after "FILE:LINE:COLUMN: field 'NAME': "
};

template <class F>
ParseError parse_error_of(F&& f) {
  try {
    f();
  } catch (const ParseError& e) {
    return e;
  }
  FAIL("no ParseError was thrown");
  throw std::logic_error("unreachable");
}

// what() as error.hpp documents it: "FILE:LINE:COLUMN: field 'NAME': MESSAGE", parts that do not apply left out.
std::string documented_what(const std::string& file, const Expected& want) {
  std::string s = file;
  if (want.line) s += ":" + std::to_string(want.line);
  if (want.line && want.column) s += ":" + std::to_string(want.column);
  s += ": ";
  if (!want.field.empty()) s += "field '" + want.field + "': ";
  return s + want.message;
}

void check_parts(const ParseError& e, const std::string& file, const Expected& want) {
  CHECK(e.kind() == ErrorKind::parse);
  CHECK(e.file() == file);
  CHECK(e.line() == want.line);
  CHECK(e.column() == want.column);
  CHECK(e.field() == want.field);
  CHECK(e.value() == want.value);
  CHECK(std::string(e.what()) == documented_what(file, want));
}

// Reads a stored events case from its file and from memory under the same name: both fail as expected.
void check_events_error(const std::string& rel, const Expected& want, const EventCsvOptions& o = seconds_given(),
                        const JourneyOptions& jo = {}) {
  const std::string file = bad_file(rel);
  INFO("case " << rel);
  check_parts(parse_error_of([&] { read_events_csv(file, o, jo); }), file, want);
  const std::string text = slurp(file);
  check_parts(parse_error_of([&] { parse_events_csv(text, file, o, jo); }), file, want);
}

void check_paths_error(const std::string& rel, const Expected& want, const PathCsvOptions& o = {}) {
  const std::string file = bad_file(rel);
  INFO("case " << rel);
  check_parts(parse_error_of([&] { read_paths_csv(file, o); }), file, want);
  const std::string text = slurp(file);
  check_parts(parse_error_of([&] { parse_paths_csv(text, file, o); }), file, want);
}

// Reads an accepted stored case from its file and from memory; the two results must be identical.
JourneySet read_events_case(const std::string& rel, BuildReport* report = nullptr, const EventCsvOptions& o = seconds_given(),
                            const JourneyOptions& jo = {});
JourneySet read_paths_case(const std::string& rel, BuildReport* report = nullptr, const PathCsvOptions& o = {});

void check_same_journeys(const JourneySet& a, const JourneySet& b) {
  REQUIRE(a.size() == b.size());
  CHECK(a.has_timestamps() == b.has_timestamps());
  for (std::size_t j = 0; j < a.size(); ++j) {
    CHECK(a.path_string(j) == b.path_string(j));
    CHECK(a.conversions(j) == b.conversions(j));
    CHECK(a.nulls(j) == b.nulls(j));
    CHECK(a.value(j) == b.value(j));
    auto ta = a.times(j), tb = b.times(j);
    CHECK(std::vector<std::int64_t>(ta.begin(), ta.end()) == std::vector<std::int64_t>(tb.begin(), tb.end()));
  }
}

JourneySet read_events_case(const std::string& rel, BuildReport* report, const EventCsvOptions& o,
                            const JourneyOptions& jo) {
  const std::string file = bad_file(rel);
  INFO("case " << rel);
  BuildReport from_file, from_memory;
  JourneySet a = read_events_csv(file, o, jo, &from_file);
  JourneySet b = parse_events_csv(slurp(file), file, o, jo, &from_memory);
  check_same_journeys(a, b);
  CHECK(same_report(from_file, from_memory));
  if (report) *report = from_file;
  return a;
}

JourneySet read_paths_case(const std::string& rel, BuildReport* report, const PathCsvOptions& o) {
  const std::string file = bad_file(rel);
  INFO("case " << rel);
  BuildReport from_file, from_memory;
  JourneySet a = read_paths_csv(file, o, &from_file);
  JourneySet b = parse_paths_csv(slurp(file), file, o, &from_memory);
  check_same_journeys(a, b);
  CHECK(same_report(from_file, from_memory));
  if (report) *report = from_file;
  return a;
}

std::vector<std::string> paths_of(const JourneySet& js) {
  std::vector<std::string> out;
  for (std::size_t j = 0; j < js.size(); ++j) out.push_back(js.path_string(j));
  return out;
}

std::vector<double> conversions_of(const JourneySet& js) {
  return std::vector<double>(js.conversions_column().begin(), js.conversions_column().end());
}

std::vector<std::int64_t> times_of(const JourneySet& js, std::size_t j) {
  auto t = js.times(j);
  return std::vector<std::int64_t>(t.begin(), t.end());
}

// Milliseconds since the epoch of a UTC calendar time, by the C library (independent of the parser).
std::int64_t utc_ms(int year, int month, int day, int hour, int minute, int second, int ms = 0) {
  std::tm t{};
  t.tm_year = year - 1900;
  t.tm_mon = month - 1;
  t.tm_mday = day;
  t.tm_hour = hour;
  t.tm_min = minute;
  t.tm_sec = second;
  return std::int64_t(timegm(&t)) * 1000 + ms;
}

// A DataError whose message is exactly `message`.
template <class F>
void check_data_error(F&& f, const std::string& message) {
  try {
    f();
    FAIL("no DataError was thrown");
  } catch (const DataError& e) {
    CHECK(std::string(e.what()) == message);
  }
}

const std::string kNotATime =
    "expected an epoch number or an ISO-8601 date and time (YYYY-MM-DD, YYYY-MM-DDTHH:MM:SS.fff+HH:MM); for another "
    "form give the time format (--time-format, time_format=), e.g. \"%d/%m/%Y %H:%M\"";

}  // namespace

// ============================================================================================ events CSV

TEST_CASE("E01 empty events file", "[bad-inputs][events]") {
  check_events_error("events/empty.csv", {0, 0, "", "", "empty file: expected a header row"});
}

TEST_CASE("E02 file holding only a UTF-8 BOM", "[bad-inputs][events]") {
  check_events_error("events/bom_only.csv", {0, 0, "", "", "empty file: expected a header row"});
}

TEST_CASE("E03 header only", "[bad-inputs][events]") {
  const std::string file = bad_file("events/header_only.csv");
  check_data_error([&] { read_events_csv(file); }, file + ": no events (the file has a header but no valid rows)");
}

TEST_CASE("E04 header and blank lines only: no events, blank lines counted", "[bad-inputs][events]") {
  const std::string file = bad_file("events/blank_lines_only.csv");
  BuildReport rep;
  check_data_error([&] { read_events_csv(file, {}, {}, &rep); },
                   file + ": no events (the file has a header but no valid rows)");
  CHECK(rep.blank_lines == 3);
  CHECK(rep.rows == 0);
}

TEST_CASE("E05 missing required column: the message lists the columns found", "[bad-inputs][events]") {
  check_events_error("events/missing_column.csv",
                     {1, 0, "timestamp", "",
                      "missing time column 'timestamp'; the header has: 'journey_id', 'touchpoint', 'conversion'"});
}

TEST_CASE("E06 misspelt column: a suggestion", "[bad-inputs][events]") {
  check_events_error("events/misspelt_column.csv",
                     {1, 0, "timestamp", "",
                      "missing time column 'timestamp'; the header has: 'journey_id', 'time_stamp', 'touchpoint' "
                      "(did you mean 'time_stamp'?)"});
}

TEST_CASE("E07 duplicated column", "[bad-inputs][events]") {
  check_events_error("events/duplicate_column.csv",
                     {1, 33, "touchpoint", "touchpoint", "column 'touchpoint' appears twice (fields 3 and 4)"});
}

TEST_CASE("E08 wrong delimiter: the header is one field", "[bad-inputs][events]") {
  check_events_error("events/semicolons.csv",
                     {1, 0, "journey_id", "",
                      "missing journey column 'journey_id'; the header has: 'journey_id;timestamp;touchpoint;conversion' "
                      "(the header is one field: is the delimiter right?)"});
}

TEST_CASE("E09 semicolon and tab delimiters when configured", "[bad-inputs][events]") {
  EventCsvOptions semi = seconds_given(), tab = seconds_given();
  semi.csv.delimiter = ';';
  tab.csv.delimiter = '\t';
  const JourneySet a = read_events_case("events/semicolons.csv", nullptr, semi);
  const JourneySet b = read_events_case("events/tabs.tsv", nullptr, tab);
  CHECK(paths_of(a) == std::vector<std::string>{"search > email", "display"});
  CHECK(conversions_of(a) == std::vector<double>{1, 0});
  check_same_journeys(a, b);
}

TEST_CASE("E10 quoted fields holding delimiters, newlines and quotes", "[bad-inputs][events]") {
  BuildReport rep;
  const JourneySet js = read_events_case("events/quoted_delimiters_newlines.csv", &rep);
  REQUIRE(js.size() == 1);
  auto p = js.path(0);
  REQUIRE(p.size() == 3);
  CHECK(js.touchpoints().name(p[0]) == "search, paid");
  CHECK(js.touchpoints().name(p[1]) == "email\nnewsletter");
  CHECK(js.touchpoints().name(p[2]) == "say \"hi\"");
  CHECK(js.conversions(0) == 1);
  CHECK(js.value(0) == 5);
  CHECK(rep.rows == 3);
}

TEST_CASE("E11 an error after a multi-line field names the physical line", "[bad-inputs][events]") {
  check_events_error("events/error_after_multiline_field.csv",
                     {5, 3, "timestamp", "soon", "invalid timestamp \"soon\": " + kNotATime});
}

TEST_CASE("E12 CRLF, lone CR and BOM files read like LF files", "[bad-inputs][events]") {
  const std::string crlf = slurp(bad_file("events/crlf.csv"));
  std::string lf;
  for (char c : crlf)
    if (c != '\r') lf += c;
  const JourneySet want = parse_events_csv(lf, "<memory>", seconds_given());
  CHECK(paths_of(want) == std::vector<std::string>{"search > email", "display"});
  check_same_journeys(read_events_case("events/crlf.csv"), want);
  check_same_journeys(read_events_case("events/cr_only.csv"), want);
  check_same_journeys(read_events_case("events/bom_header.csv"), want);
}

TEST_CASE("E13 an error in a CRLF file", "[bad-inputs][events]") {
  check_events_error("events/crlf_error.csv",
                     {3, 12, "conversion", "maybe",
                      "expected a conversion flag (1/0, true/false, yes/no), got \"maybe\""});
}

TEST_CASE("E14 columns after a BOM count from the first header byte", "[bad-inputs][events]") {
  check_events_error("events/bom_duplicate_column.csv",
                     {1, 22, "timestamp", "timestamp", "column 'timestamp' appears twice (fields 2 and 3)"});
}

TEST_CASE("E15 invalid UTF-8 in a touchpoint", "[bad-inputs][events]") {
  check_events_error("events/invalid_utf8_touchpoint.csv",
                     {2, 6, "touchpoint", "caf\xE9", "touchpoint \"caf\\xE9\" is not valid UTF-8 (byte 3)"});
}

TEST_CASE("E16 invalid UTF-8 in the header", "[bad-inputs][events]") {
  check_events_error("events/invalid_utf8_header.csv",
                     {1, 22, "", "touchpo\xFFint", "header name \"touchpo\\xFFint\" is not valid UTF-8 (byte 7)"});
}

TEST_CASE("E17 UTF-8-encoded surrogate and overlong encoding", "[bad-inputs][events]") {
  check_events_error("events/utf8_surrogate.csv",
                     {3, 6, "touchpoint", "\xED\xA0\x80", "touchpoint \"\\xED\\xA0\\x80\" is not valid UTF-8 (byte 0)"});
  check_events_error("events/utf8_overlong.csv",
                     {2, 6, "touchpoint", "\xC0\xAF", "touchpoint \"\\xC0\\xAF\" is not valid UTF-8 (byte 0)"});
}

TEST_CASE("E18 valid multi-byte UTF-8 names are kept byte for byte", "[bad-inputs][events]") {
  const JourneySet js = read_events_case("events/utf8_names.csv");
  CHECK(paths_of(js) == std::vector<std::string>{"\xF0\x9F\x93\xA7 email > \xE6\xA4\x9C\xE7\xB4\xA2", "caf\xC3\xA9"});
}

TEST_CASE("E19 NUL byte in an unquoted field", "[bad-inputs][events]") {
  check_events_error("events/nul_unquoted.csv", {2, 6, "touchpoint", std::string("sea\0rch", 7),
                                                 "NUL byte at byte 4 of the field \"sea\\x00rch\""});
}

TEST_CASE("E20 NUL byte in a quoted field", "[bad-inputs][events]") {
  check_events_error("events/nul_quoted.csv", {3, 6, "touchpoint", std::string("\"em\0ail\",0,\n", 12),
                                               "NUL byte at byte 4 of the quoted field \"\\\"em\\x00ail\\\",0,\\n\""});
}

TEST_CASE("E21 text after a closing quote", "[bad-inputs][events]") {
  check_events_error("events/text_after_quote.csv",
                     {2, 6, "touchpoint", "\"search\"paid",
                      "unexpected text after the closing quote at byte 9 (a quote inside a field must be doubled) in "
                      "\"\\\"search\\\"paid\""});
}

TEST_CASE("E22 unterminated quote, also with skip_bad_rows", "[bad-inputs][events]") {
  const Expected want{3, 6, "touchpoint", "\"email,0,\n2,30,display,0,\n",
                      "unterminated quoted field: the quote opened here is never closed; the field starts "
                      "\"\\\"email,0,\\n2,30,display,0,\\n\""};
  check_events_error("events/unterminated_quote.csv", want);
  EventCsvOptions skip = seconds_given();
  skip.csv.skip_bad_rows = true;
  check_events_error("events/unterminated_quote.csv", want, skip);
}

TEST_CASE("E23 field over max_field_bytes", "[bad-inputs][events]") {
  EventCsvOptions o = seconds_given();
  o.csv.max_field_bytes = 64;
  const std::string x40(40, 'x');
  check_events_error("events/long_field.csv",
                     {2, 6, "touchpoint", x40,
                      "field longer than 64 bytes (max_field_bytes); it starts with \"" + x40 + "\""},
                     o);
  // At the limit it is accepted.
  o.csv.max_field_bytes = 100;
  CHECK(read_events_case("events/long_field.csv", nullptr, o).touchpoints().name(0) == std::string(100, 'x'));
}

TEST_CASE("E24 empty journey id", "[bad-inputs][events]") {
  check_events_error("events/empty_journey_id.csv", {3, 1, "journey_id", "", "empty journey id"});
}

TEST_CASE("E25 touchpoint of blanks only", "[bad-inputs][events]") {
  check_events_error("events/blank_touchpoint.csv",
                     {2, 6, "touchpoint", "   ", "empty touchpoint (only blanks: \"   \")"});
}

TEST_CASE("E26 ragged row: too few fields", "[bad-inputs][events]") {
  check_events_error("events/short_row.csv",
                     {3, 3, "timestamp", "20",
                      "expected 5 fields (as in the header), found 2; the row ends after \"20\" "
                      "(missing 'touchpoint', 'conversion', 'value')"});
}

TEST_CASE("E27 trailing delimiter: one field too many", "[bad-inputs][events]") {
  check_events_error("events/trailing_delimiter.csv",
                     {2, 16, "", "",
                      "expected 5 fields (as in the header), found 6; the first extra field is \"\" (a trailing delimiter?)"});
}

TEST_CASE("E28 trailing delimiter on every line, header included: an unnamed empty column", "[bad-inputs][events]") {
  const JourneySet js = read_events_case("events/trailing_delimiter_everywhere.csv");
  CHECK(paths_of(js) == std::vector<std::string>{"search > email"});
  CHECK(js.value(0) == 2);
}

TEST_CASE("E29 line of spaces", "[bad-inputs][events]") {
  check_events_error("events/whitespace_line.csv",
                     {3, 1, "journey_id", "   ",
                      "expected 5 fields (as in the header), found 1; the row ends after \"   \" "
                      "(missing 'timestamp', 'touchpoint', 'conversion', 'value')"});
}

TEST_CASE("E30 unparsable timestamps", "[bad-inputs][events]") {
  check_events_error("events/timestamp_unparsable.csv",
                     {2, 3, "timestamp", "yesterday", "invalid timestamp \"yesterday\": " + kNotATime});
  check_events_error("events/timestamp_nan.csv", {2, 3, "timestamp", "nan", "invalid timestamp \"nan\": " + kNotATime});
  check_events_error("events/timestamp_inf.csv", {3, 3, "timestamp", "-inf", "invalid timestamp \"-inf\": " + kNotATime});
}

TEST_CASE("E31 timestamps out of range", "[bad-inputs][events]") {
  check_events_error("events/timestamp_int64_overflow.csv",
                     {2, 3, "timestamp", "99999999999999999999",
                      "invalid timestamp \"99999999999999999999\": integer out of the 64-bit range"});
  check_events_error("events/timestamp_ms_overflow.csv",
                     {2, 3, "timestamp", "9223372036854775807",
                      "invalid timestamp \"9223372036854775807\": out of the representable range"});
}

TEST_CASE("E32 impossible dates and times", "[bad-inputs][events]") {
  check_events_error("events/timestamp_invalid_date.csv",
                     {2, 3, "timestamp", "2023-02-29", "invalid timestamp \"2023-02-29\": day 29 is not in 1..28"});
  check_events_error("events/timestamp_1900_not_leap.csv",
                     {2, 3, "timestamp", "1900-02-29T10:00:00Z",
                      "invalid timestamp \"1900-02-29T10:00:00Z\": day 29 is not in 1..28"});
  check_events_error("events/timestamp_invalid_time.csv",
                     {2, 3, "timestamp", "2024-03-01T24:00:00",
                      "invalid timestamp \"2024-03-01T24:00:00\": hour 24 is not in 0..23"});
  check_events_error("events/timestamp_leap_second.csv",
                     {2, 3, "timestamp", "2016-12-31T23:59:60Z",
                      "invalid timestamp \"2016-12-31T23:59:60Z\": second 60 is not in 0..59"});
}

TEST_CASE("E33 leap days", "[bad-inputs][events]") {
  const JourneySet js = read_events_case("events/leap_days.csv");
  REQUIRE(js.size() == 2);
  CHECK(js.time_unit() == TimeUnit::milliseconds);
  CHECK(times_of(js, 0) == std::vector<std::int64_t>{utc_ms(2024, 2, 29, 0, 0, 0), utc_ms(2024, 2, 29, 23, 59, 59, 999)});
  CHECK(times_of(js, 1) == std::vector<std::int64_t>{utc_ms(2000, 2, 29, 12, 0, 0)});
}

TEST_CASE("E34 ISO-8601 offsets order events by their UTC instant", "[bad-inputs][events]") {
  BuildReport rep;
  const JourneySet js = read_events_case("events/iso_offsets.csv", &rep);
  // 10:00+02:00 is 08:00Z and 03:00:00.250-05:30 is 08:30:00.250Z, before 09:00Z; the conversion at "west"
  // ends the first journey.
  CHECK(paths_of(js) == std::vector<std::string>{"late_local > west", "utc", "east > after"});
  CHECK(times_of(js, 0) == std::vector<std::int64_t>{utc_ms(2024, 3, 1, 8, 0, 0), utc_ms(2024, 3, 1, 8, 30, 0, 250)});
  CHECK(times_of(js, 1) == std::vector<std::int64_t>{utc_ms(2024, 3, 1, 9, 0, 0)});
  CHECK(times_of(js, 2) == std::vector<std::int64_t>{utc_ms(2024, 3, 1, 4, 30, 0), utc_ms(2024, 3, 1, 4, 31, 0)});
  CHECK(conversions_of(js) == std::vector<double>{1, 0, 0});
  CHECK(rep.reordered_events == 1);
  CHECK(rep.splits_at_conversion == 1);
}

TEST_CASE("E35 out-of-order timestamps are sorted (stable) and counted", "[bad-inputs][events]") {
  BuildReport rep;
  const JourneySet js = read_events_case("events/out_of_order.csv", &rep);
  CHECK(paths_of(js) == std::vector<std::string>{"a > a2", "b > c"});
  CHECK(conversions_of(js) == std::vector<double>{1, 0});
  CHECK(rep.reordered_events == 2);
  CHECK(rep.splits_at_conversion == 1);
  CHECK(rep.touches == 4);
}

TEST_CASE("E36 duplicate events are kept and counted", "[bad-inputs][events]") {
  BuildReport rep;
  const JourneySet js = read_events_case("events/duplicate_events.csv", &rep);
  CHECK(paths_of(js) == std::vector<std::string>{"search > search > email > email"});
  CHECK(rep.duplicate_events == 2);
  CHECK(js.value(0) == 4);
}

TEST_CASE("E37 epoch numbers and ISO strings mixed in one column", "[bad-inputs][events]") {
  const JourneySet js = read_events_case("events/mixed_epoch_iso.csv");
  CHECK(times_of(js, 0) == std::vector<std::int64_t>{utc_ms(2024, 3, 1, 10, 0, 0), utc_ms(2024, 3, 1, 10, 0, 1)});
}

TEST_CASE("E38 fractional, negative and padded epoch seconds (floored to milliseconds)", "[bad-inputs][events]") {
  const JourneySet js = read_events_case("events/epoch_fractions.csv");
  CHECK(times_of(js, 0) == std::vector<std::int64_t>{-1500, 1, 2000});
}

TEST_CASE("E39 invalid conversion flag", "[bad-inputs][events]") {
  check_events_error("events/conversion_flag_invalid.csv",
                     {2, 13, "conversion", "maybe", "expected a conversion flag (1/0, true/false, yes/no), got \"maybe\""});
}

TEST_CASE("E40 every documented spelling of the conversion flag", "[bad-inputs][events]") {
  const JourneySet js = read_events_case("events/conversion_flag_spellings.csv");
  CHECK(conversions_of(js) == std::vector<double>{1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 1});
}

TEST_CASE("E41 NaN, negative and overflowing conversion values", "[bad-inputs][events]") {
  check_events_error("events/value_nan.csv", {2, 15, "value", "nan", "expected a finite number, got \"nan\""});
  check_events_error("events/value_negative.csv", {2, 15, "value", "-5", "negative conversion value \"-5\""});
  check_events_error("events/value_overflow.csv",
                     {2, 15, "value", "1e308", "conversion value \"1e308\" is too large (the limit is 2^62)"});
}

TEST_CASE("E42 values on rows without a conversion are ignored and counted", "[bad-inputs][events]") {
  BuildReport rep;
  const JourneySet js = read_events_case("events/value_on_non_conversion.csv", &rep);
  CHECK(rep.values_ignored == 2);
  CHECK(js.total_value() == 5);
}

TEST_CASE("E43 skip_bad_rows skips and counts every kind of malformed row", "[bad-inputs][events]") {
  const std::string file = bad_file("events/skip_bad_rows.csv");
  check_events_error("events/skip_bad_rows.csv",
                     {3, 3, "timestamp", "later", "invalid timestamp \"later\": " + kNotATime});
  EventCsvOptions o = seconds_given();
  o.csv.skip_bad_rows = true;
  BuildReport rep;
  const JourneySet js = read_events_case("events/skip_bad_rows.csv", &rep, o);
  CHECK(paths_of(js) == std::vector<std::string>{"search > email", "search", "display"});
  CHECK(conversions_of(js) == std::vector<double>{0, 1, 1});
  CHECK(rep.rows == 11);
  CHECK(rep.rows_skipped == 7);
  // The first five messages are kept, each naming its line (3, 5, 6, 7, 9); lines 10 (text after a quote,
  // found by the tokenizer) and 12 (trailing delimiter) are skipped too.
  REQUIRE(rep.skipped_examples.size() == 5);
  CHECK(rep.skipped_examples[0] == documented_what(file, {3, 3, "timestamp", "", "invalid timestamp \"later\": " + kNotATime}));
  CHECK(rep.skipped_examples[1] == documented_what(file, {5, 6, "touchpoint", "", "empty touchpoint"}));
  CHECK(rep.skipped_examples[2] ==
        documented_what(file, {6, 14, "conversion", "", "expected a conversion flag (1/0, true/false, yes/no), got \"maybe\""}));
  CHECK(rep.skipped_examples[3] ==
        documented_what(file, {7, 3, "timestamp", "",
                               "expected 5 fields (as in the header), found 2; the row ends after \"30\" "
                               "(missing 'touchpoint', 'conversion', 'value')"}));
  CHECK(rep.skipped_examples[4] == documented_what(file, {9, 14, "value", "", "expected a finite number, got \"nan\""}));
}

TEST_CASE("E44 blank lines are skipped, counted, and keep line numbers right", "[bad-inputs][events]") {
  BuildReport rep;
  const JourneySet js = read_events_case("events/blank_lines.csv", &rep);
  CHECK(paths_of(js) == std::vector<std::string>{"search > email"});
  CHECK(rep.blank_lines == 4);
  check_events_error("events/blank_lines_error.csv",
                     {7, 12, "conversion", "2", "expected a conversion flag (1/0, true/false, yes/no), got \"2\""});
}

TEST_CASE("E45 touches after a conversion start a new journey", "[bad-inputs][events]") {
  BuildReport rep;
  const JourneySet js = read_events_case("events/split_at_conversion.csv", &rep);
  CHECK(paths_of(js) == std::vector<std::string>{"search > email", "display > search", "email"});
  CHECK(conversions_of(js) == std::vector<double>{1, 1, 0});
  CHECK(rep.splits_at_conversion == 2);
  JourneyOptions no_split;
  no_split.split_on_conversion = false;
  const JourneySet whole = read_events_case("events/split_at_conversion.csv", nullptr, seconds_given(), no_split);
  CHECK(paths_of(whole) == std::vector<std::string>{"search > email > display > search > email"});
  CHECK(conversions_of(whole) == std::vector<double>{2});
  CHECK(whole.value(0) == 5);
}

TEST_CASE("E46 all journeys convert: attribution matches a dense solve", "[bad-inputs][events]") {
  const JourneySet js = read_events_case("events/all_converting.csv");
  CHECK(js.total_nulls() == 0);
  CHECK(js.total_conversions() == 4);
  jgtest::check_against_reference(js, 1);
  jgtest::check_against_reference(js, 2);
  CHECK(MarkovModel::fit(js).conversion_probability() == 1.0);
}

TEST_CASE("E47 no journey converts: the model says 0, attribution refuses", "[bad-inputs][events]") {
  const JourneySet js = read_events_case("events/none_converting.csv");
  CHECK(js.size() == 3);
  const MarkovModel m = MarkovModel::fit(js);
  CHECK(m.conversion_probability() == 0.0);
  CHECK(m.expected_value() == 0.0);
  check_data_error([&] { removal_effects(m); },
                   "the model has no conversions (P(conversion) = 0): removal effects are undefined");
  check_data_error([&] { attribute(js); }, "the journeys have no conversions: nothing to attribute");
}

TEST_CASE("E48 interleaved journey ids keep first-seen order", "[bad-inputs][events]") {
  BuildReport rep;
  const JourneySet js = read_events_case("events/unsorted_journey_ids.csv", &rep);
  CHECK(paths_of(js) == std::vector<std::string>{"b1 > b2", "a1 > a2", "c1"});
  CHECK(rep.reordered_events == 1);
}

TEST_CASE("E49 touchpoint names holding the path separator", "[bad-inputs][events]") {
  const JourneySet js = read_events_case("events/separator_in_touchpoint.csv");
  CHECK(paths_of(js) == std::vector<std::string>{"search > paid > email"});
  CHECK(js.path(0).size() == 2);
  CHECK(js.touchpoints().name(js.path(0)[0]) == "search > paid");
  // Writing them as paths would be ambiguous: refused, naming the touchpoint.
  try {
    write_paths_csv(js, std::string(JG_TEST_TMP_DIR) + "/separator_in_touchpoint_paths.csv");
    FAIL("no InvalidArgument");
  } catch (const InvalidArgument& e) {
    CHECK(std::string(e.what()) == "touchpoint \"search > paid\" contains the path separator \">\"");
  }
}

TEST_CASE("E50 no time column: file order", "[bad-inputs][events]") {
  EventCsvOptions o = seconds_given();
  o.time = Column("");
  const JourneySet js = read_events_case("events/no_time_column.csv", nullptr, o);
  CHECK(paths_of(js) == std::vector<std::string>{"c > a > b"});
  CHECK_FALSE(js.has_timestamps());
}

TEST_CASE("E51 day-first dates are refused with both patterns, then read right with the time format", "[bad-inputs][events]") {
  // Read by default: refused, never guessed (3 April or March 4?).
  check_events_error("events/day_first.csv",
                     {2, 3, "timestamp", "03/04/2026 14:00",
                      "invalid timestamp \"03/04/2026 14:00\": the day and the month cannot be told apart; give the time "
                      "format (--time-format, time_format=): \"%d/%m/%Y %H:%M\" if the day comes first, \"%m/%d/%Y "
                      "%H:%M\" if the month does"},
                     EventCsvOptions{});
  // With the day-first pattern: 3 April, 5 April, 13 April and 2 May, by the C library's own calendar.
  EventCsvOptions o;
  o.time_format.pattern = "%d/%m/%Y %H:%M";
  const JourneySet js = read_events_case("events/day_first.csv", nullptr, o);
  REQUIRE(js.size() == 2);
  CHECK(times_of(js, 0) == std::vector<std::int64_t>{utc_ms(2026, 4, 3, 14, 0, 0), utc_ms(2026, 4, 5, 9, 30, 0)});
  CHECK(times_of(js, 1) == std::vector<std::int64_t>{utc_ms(2026, 4, 13, 8, 0, 0), utc_ms(2026, 5, 2, 10, 15, 0)});
  CHECK(js.time_kind() == TimeKind::dates);
  // The month-first pattern reads the first rows but stops at month 13, naming it.
  o.time_format.pattern = "%m/%d/%Y %H:%M";
  check_events_error("events/day_first.csv",
                     {4, 3, "timestamp", "13/04/2026 08:00", "invalid timestamp \"13/04/2026 08:00\": month 13 is not in 1..12"},
                     o);
}

TEST_CASE("E52 epoch microseconds read in the default unit are refused, then read right with the unit", "[bad-inputs][events]") {
  const std::string file = bad_file("events/epoch_microseconds.csv");
  const ParseError e = parse_error_of([&] { read_events_csv(file); });
  CHECK(e.file() == file);
  CHECK(e.line() == 2);
  CHECK(e.column() == 3);
  CHECK(e.field() == "timestamp");
  CHECK(e.value() == "1700000000000000");
  const std::string what = e.what();
  CHECK_THAT(what, Catch::Matchers::StartsWith(file + ":2:3: field 'timestamp': epoch number \"1700000000000000\" read in "
                                                        "seconds (the default unit) is +53872825-06-17T22:13:20Z, after the year 2200; in ms "
                                                        "+55840-11-08T22:13:20Z, "));
  CHECK_THAT(what, Catch::Matchers::Contains("in us 2023-11-14T22:13:20Z, in ns 1970-01-20T16:13:20Z"));
  CHECK_THAT(what, Catch::Matchers::EndsWith("give the unit of the epoch numbers (--time-unit us, time_unit=\"us\")"));
  // The same text from memory fails the same way.
  CHECK(std::string(parse_error_of([&] { parse_events_csv(slurp(file), file); }).what()) == what);
  // With the unit: microseconds kept as they are, and lookback works on real durations.
  EventCsvOptions o;
  o.time_format.integer_unit = TimeUnit::microseconds;
  const JourneySet js = read_events_case("events/epoch_microseconds.csv", nullptr, o);
  CHECK(js.time_unit() == TimeUnit::microseconds);
  CHECK(js.time_kind() == TimeKind::epoch);
  CHECK(js.epoch_unit() == TimeUnit::microseconds);
  CHECK(times_of(js, 0) == std::vector<std::int64_t>{1700000000000000, 1700000600000000});
  CHECK(times_of(js, 1) == std::vector<std::int64_t>{1700003600000000, 1700003600500000});
  CHECK(times_of(js, 0)[0] == utc_ms(2023, 11, 14, 22, 13, 20) * 1000);
  JourneyOptions jo;
  jo.lookback = 300;  // 5 minutes: drops the search 10 minutes before the email
  BuildReport rep;
  const JourneySet cut = read_events_case("events/epoch_microseconds.csv", &rep, o, jo);
  CHECK(paths_of(cut) == std::vector<std::string>{"email", "display > search"});
  CHECK(rep.touches_dropped_lookback == 1);
}

TEST_CASE("E53 epoch numbers all before 1971 in the default unit are refused; the unit given reads them", "[bad-inputs][events]") {
  check_events_error("events/epoch_relative_seconds.csv",
                     {4, 3, "timestamp", "86400",
                      "every epoch number lies before 1971 when read in seconds (the default unit); the largest, "
                      "\"86400\", is 1970-01-02T00:00:00Z: these are no epoch seconds of real events (relative times or "
                      "counters?); to read them as seconds anyway, give the unit explicitly (--time-unit s, time_unit=\"s\")"},
                     EventCsvOptions{});
  const JourneySet js = read_events_case("events/epoch_relative_seconds.csv");
  CHECK(paths_of(js) == std::vector<std::string>{"search > email", "display"});
  CHECK(times_of(js, 1) == std::vector<std::int64_t>{86400000});
}

// ============================================================================================ paths CSV

TEST_CASE("P01 empty paths file", "[bad-inputs][paths]") {
  check_paths_error("paths/empty.csv", {0, 0, "", "", "empty file: expected a header row"});
}

TEST_CASE("P02 paths header only", "[bad-inputs][paths]") {
  const std::string file = bad_file("paths/header_only.csv");
  check_data_error([&] { read_paths_csv(file); }, file + ": no paths (the file has a header but no valid rows)");
}

TEST_CASE("P03 missing counts column", "[bad-inputs][paths]") {
  check_paths_error("paths/missing_column.csv",
                    {1, 0, "total_conversions", "",
                     "missing conversions column 'total_conversions'; the header has: 'path', 'conversions', 'nulls'"});
}

TEST_CASE("P04 duplicated path column", "[bad-inputs][paths]") {
  check_paths_error("paths/duplicate_column.csv",
                    {1, 24, "path", "path", "column 'path' appears twice (fields 1 and 3)"});
}

TEST_CASE("P05 tab-separated file read as commas", "[bad-inputs][paths]") {
  check_paths_error("paths/wrong_delimiter.csv",
                    {1, 0, "path", "",
                     "missing path column 'path'; the header has: 'path\ttotal_conversions\ttotal_null' "
                     "(the header is one field: is the delimiter right?)"});
}

TEST_CASE("P06 NaN, inf and out-of-range counts", "[bad-inputs][paths]") {
  check_paths_error("paths/count_nan.csv", {2, 7, "total_conversions", "NaN", "expected a finite number, got \"NaN\""});
  check_paths_error("paths/count_inf.csv", {2, 9, "total_null", "inf", "expected a finite number, got \"inf\""});
  check_paths_error("paths/count_out_of_range.csv",
                    {2, 7, "total_conversions", "1e309", "expected a finite number, got \"1e309\""});
}

TEST_CASE("P07 negative count", "[bad-inputs][paths]") {
  check_paths_error("paths/count_negative.csv", {3, 3, "total_conversions", "-2", "negative count \"-2\""});
}

TEST_CASE("P08 counts that are not numbers", "[bad-inputs][paths]") {
  check_paths_error("paths/count_garbage.csv",
                    {2, 7, "total_conversions", "12abc", "expected a finite number, got \"12abc\""});
  check_paths_error("paths/count_hex.csv", {2, 7, "total_conversions", "0x10", "expected a finite number, got \"0x10\""});
  check_paths_error("paths/count_empty.csv", {2, 9, "total_null", "", "expected a finite number, got \"\""});
}

TEST_CASE("P09 fractional counts are weights", "[bad-inputs][paths]") {
  const JourneySet js = read_paths_case("paths/fractional_counts.csv");
  CHECK(js.total_conversions() == 0.5 + 1e-3 + 1.0);
  CHECK(js.total_nulls() == 1.25 + 2.5e1 + 0);
  CHECK(js.total_value() == 2.5 + 0.125);
  jgtest::check_against_reference(js, 1);
}

TEST_CASE("P10 negative zero counts are zero", "[bad-inputs][paths]") {
  const JourneySet js = read_paths_case("paths/negative_zero.csv");
  for (std::size_t j = 0; j < 2; ++j) {
    CHECK(js.conversions(j) == 0);
    CHECK_FALSE(std::signbit(js.conversions(j)));
  }
}

TEST_CASE("P11 counts beyond 2^62 (sums are exact only below it)", "[bad-inputs][paths]") {
  check_paths_error("paths/count_overflow_row.csv",
                    {2, 7, "total_conversions", "1e308", "count \"1e308\" is too large (the limit is 2^62)"});
  check_paths_error("paths/count_overflow_total.csv",
                    {2, 3, "total_conversions", "1e308", "count \"1e308\" is too large (the limit is 2^62)"});
}

TEST_CASE("P12 bad conversion values", "[bad-inputs][paths]") {
  check_paths_error("paths/value_without_conversions.csv",
                    {2, 11, "total_conversion_value", "12.5", "value \"12.5\" on a path without conversions"});
  check_paths_error("paths/value_negative.csv", {2, 11, "total_conversion_value", "-1", "negative value \"-1\""});
  check_paths_error("paths/value_nan.csv", {2, 7, "total_conversion_value", "nan", "expected a finite number, got \"nan\""});
  check_paths_error("paths/value_overflow.csv",
                    {2, 7, "total_conversion_value", "1.5e308", "value \"1.5e308\" is too large (the limit is 2^62)"});
}

TEST_CASE("P13 empty and blank paths", "[bad-inputs][paths]") {
  check_paths_error("paths/empty_path.csv", {3, 1, "path", "", "empty path"});
  check_paths_error("paths/blank_path.csv", {2, 1, "path", " \t ", "empty path (only blanks: \" \\t \")"});
}

TEST_CASE("P14 empty touchpoint names between separators", "[bad-inputs][paths]") {
  check_paths_error("paths/empty_touchpoint_between.csv",
                    {2, 1, "path", "a >> b", "empty touchpoint name at position 2 of path \"a >> b\""});
  check_paths_error("paths/trailing_separator.csv",
                    {2, 1, "path", "a > b >", "empty touchpoint name at position 3 of path \"a > b >\""});
  check_paths_error("paths/separator_only.csv", {2, 1, "path", ">", "empty touchpoint name at position 1 of path \">\""});
}

TEST_CASE("P15 touchpoint names holding the separator split; a longer separator keeps them", "[bad-inputs][paths]") {
  const JourneySet split = read_paths_case("paths/separator_in_name.csv");
  CHECK(paths_of(split) == std::vector<std::string>{"a > b > c"});
  PathCsvOptions o;
  o.separator = " > ";
  const JourneySet kept = read_paths_case("paths/separator_in_name.csv", nullptr, o);
  REQUIRE(kept.path(0).size() == 2);
  CHECK(kept.touchpoints().name(kept.path(0)[0]) == "a>b");
  CHECK(kept.touchpoints().name(kept.path(0)[1]) == "c");
}

TEST_CASE("P16 quoted paths holding the delimiter and quotes", "[bad-inputs][paths]") {
  const JourneySet js = read_paths_case("paths/quoted_path_with_delimiter.csv");
  CHECK(paths_of(js) == std::vector<std::string>{"search, paid > email", "say \"hi\" > email"});
  CHECK(js.touchpoints().size() == 3);
}

TEST_CASE("P17 invalid UTF-8 in a path", "[bad-inputs][paths]") {
  check_paths_error("paths/invalid_utf8_path.csv",
                    {2, 1, "path", "a > \xFF\xFE", "path \"a > \\xFF\\xFE\" is not valid UTF-8 (byte 4)"});
}

TEST_CASE("P18 CRLF paths file", "[bad-inputs][paths]") {
  const std::string crlf = slurp(bad_file("paths/crlf.csv"));
  std::string lf;
  for (char c : crlf)
    if (c != '\r') lf += c;
  check_same_journeys(read_paths_case("paths/crlf.csv"), parse_paths_csv(lf));
}

TEST_CASE("P19 zero-weight paths are kept, counted and ignored by the model", "[bad-inputs][paths]") {
  BuildReport rep;
  const JourneySet js = read_paths_case("paths/zero_weight.csv", &rep);
  CHECK(js.size() == 3);
  CHECK(rep.zero_weight_journeys == 1);
  const MarkovModel m = MarkovModel::fit(js);
  CHECK(m.touchpoints() == std::vector<std::string>{"a", "b"});
  CHECK(m.counts().zero_weight_journeys() == 1);
  jgtest::check_against_reference(js, 1);
  // attribute() lists "z" (it is in the journeys) with no credit from the Markov model.
  const AttributionResult r = attribute(js);
  CHECK(r.touchpoints == std::vector<std::string>{"a", "b", "z"});
  CHECK(r.find(AttributionModel::markov)->conversions[2] == 0.0);
  CHECK(r.markov->conversion_probability_without[2] == r.markov->conversion_probability);
}

TEST_CASE("P20 only zero-weight paths: read, but nothing to fit", "[bad-inputs][paths]") {
  BuildReport rep;
  const JourneySet js = read_paths_case("paths/all_zero_weight.csv", &rep);
  CHECK(rep.zero_weight_journeys == 2);
  check_data_error([&] { MarkovModel::fit(js); },
                   "no journeys with a positive weight (conversions + nulls) to fit a model on");
  check_data_error([&] { attribute(js); }, "the journeys have no conversions: nothing to attribute");
}

TEST_CASE("P21 all paths convert", "[bad-inputs][paths]") {
  const JourneySet js = read_paths_case("paths/all_converting.csv");
  CHECK(js.total_nulls() == 0);
  jgtest::check_against_reference(js, 1);
  jgtest::check_against_reference(js, 2);
  jgtest::check_against_reference(js, 1, SelfLoops::keep);
}

TEST_CASE("P22 no path converts", "[bad-inputs][paths]") {
  const JourneySet js = read_paths_case("paths/none_converting.csv");
  const MarkovModel m = MarkovModel::fit(js);
  CHECK(m.conversion_probability() == 0.0);
  for (const auto& t : m.transitions()) CHECK(t.to != "(conversion)");
  check_data_error([&] { removal_effects(m); },
                   "the model has no conversions (P(conversion) = 0): removal effects are undefined");
  check_data_error([&] { attribute(js); }, "the journeys have no conversions: nothing to attribute");
}

TEST_CASE("P23 order larger than any path: each path is one short state", "[bad-inputs][paths]") {
  const JourneySet js = read_paths_case("paths/order_larger_than_paths.csv");
  ModelOptions o;
  o.order = 5;
  CHECK(MarkovModel::fit(js, o).n_states() == js.size() + 1);
  jgtest::check_against_reference(js, 5);
  jgtest::check_against_reference(js, kMaxOrder);
}

TEST_CASE("P24 absent optional nulls column", "[bad-inputs][paths]") {
  BuildReport rep;
  const JourneySet js = read_paths_case("paths/nulls_column_absent.csv", &rep);
  CHECK(js.total_nulls() == 0);
  CHECK(rep.notes == std::vector<std::string>{"no nulls column 'total_null'", "no value column 'total_conversion_value'"});
}

TEST_CASE("P25 skip_bad_rows on a paths file", "[bad-inputs][paths]") {
  check_paths_error("paths/skip_bad_rows.csv",
                    {3, 1, "path", "a >> b", "empty touchpoint name at position 2 of path \"a >> b\""});
  PathCsvOptions o;
  o.csv.skip_bad_rows = true;
  BuildReport rep;
  const JourneySet js = read_paths_case("paths/skip_bad_rows.csv", &rep, o);
  CHECK(paths_of(js) == std::vector<std::string>{"a > b", "b > c", "a > c"});
  CHECK(rep.rows == 9);
  CHECK(rep.rows_skipped == 6);
  CHECK(rep.skipped_examples.size() == 5);
  // A touchpoint seen only in skipped rows is not kept.
  CHECK(js.touchpoints().size() == 3);
}

TEST_CASE("P26 duplicate path rows add up like one merged row", "[bad-inputs][paths]") {
  const JourneySet js = read_paths_case("paths/duplicate_paths.csv");
  CHECK(js.size() == 4);
  const JourneySet merged = parse_paths_csv("path,total_conversions,total_null,total_conversion_value\n"
                                            "a > b,3,7,7\nb,0,1,0\n");
  for (unsigned order : {1u, 2u}) {
    ModelOptions o;
    o.order = order;
    const auto a = MarkovModel::fit(js, o).transitions(), b = MarkovModel::fit(merged, o).transitions();
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
      CHECK(a[i].from == b[i].from);
      CHECK(a[i].to == b[i].to);
      CHECK(a[i].count == b[i].count);
      CHECK(a[i].probability == b[i].probability);
    }
  }
}

TEST_CASE("P27 blanks around names and numbers are trimmed", "[bad-inputs][paths]") {
  const JourneySet js = read_paths_case("paths/trimmed_names.csv");
  CHECK(paths_of(js) == std::vector<std::string>{"a > b", "b > a"});
  const JourneySet nums = read_paths_case("paths/plus_and_spaces.csv");
  CHECK(nums.conversions(0) == 3);
  CHECK(nums.nulls(0) == 2);
  CHECK(nums.value(0) == 1.5);
}

TEST_CASE("P28 repeated touchpoints: self-loops dropped or kept", "[bad-inputs][paths]") {
  const JourneySet js = read_paths_case("paths/self_loops.csv");
  jgtest::check_against_reference(js, 1, SelfLoops::drop);
  jgtest::check_against_reference(js, 1, SelfLoops::keep);
  jgtest::check_against_reference(js, 2, SelfLoops::keep);
}

// ============================================================================================ both readers

TEST_CASE("P29 a '|'-separated file read with the default separator is refused naming '|'", "[bad-inputs][paths]") {
  check_paths_error("paths/pipe_separated.csv",
                    {2, 1, "path", "search|email|display",
                     "no path holds the separator \">\", so every path would be one touchpoint, but 3 of 4 paths hold \"|\" "
                     "(the first: \"search|email|display\"): set the separator to \"|\" (--sep, sep=)"});
  PathCsvOptions o;
  o.separator = "|";
  const JourneySet js = read_paths_case("paths/pipe_separated.csv", nullptr, o);
  CHECK(paths_of(js) == std::vector<std::string>{"search > email > display", "email", "display > search",
                                                  "search > display > email"});
  // A separator of several characters is looked for as a whole: " > " is not in "a>b" paths either.
  o.separator = " ; ";
  check_paths_error("paths/pipe_separated.csv",
                    {2, 1, "path", "search|email|display",
                     "no path holds the separator \" ; \", so every path would be one touchpoint, but 3 of 4 paths hold "
                     "\"|\" (the first: \"search|email|display\"): set the separator to \"|\" (--sep, sep=)"},
                    o);
}

TEST_CASE("P30 one-touch paths whose names hold a '/': refused by the check, read with it off", "[bad-inputs][paths]") {
  check_paths_error("paths/one_touch_names_with_slash.csv",
                    {2, 1, "path", "google/cpc",
                     "no path holds the separator \">\", so every path would be one touchpoint, but 2 of 3 paths hold \"/\" "
                     "(the first: \"google/cpc\"): set the separator to \"/\" (--sep, sep=)"});
  PathCsvOptions o;
  o.check_separator = false;
  const JourneySet js = read_paths_case("paths/one_touch_names_with_slash.csv", nullptr, o);
  CHECK(paths_of(js) == std::vector<std::string>{"google/cpc", "facebook/paid", "email"});
  // One path holding the separator is enough to trust it; a minority of other characters is no sign either.
  CHECK_NOTHROW(parse_paths_csv("path,total_conversions\na/b,1\nc>d,1\ne/f,1\n"));
  CHECK_NOTHROW(parse_paths_csv("path,total_conversions\na/b,1\nc,1\nd,1\n"));
}

TEST_CASE("X01 missing file and directory", "[bad-inputs]") {
  const std::string missing = bad_file("no_such_file.csv");
  try {
    read_paths_csv(missing);
    FAIL("no IoError");
  } catch (const IoError& e) {
    CHECK(std::string(e.what()) == "cannot open " + missing + ": No such file or directory");
  }
  const std::string dir = bad_file("events");
  try {
    read_events_csv(dir);
    FAIL("no IoError");
  } catch (const IoError& e) {
    CHECK(std::string(e.what()) == "error reading " + dir + ": Is a directory");
  }
}

TEST_CASE("X02 max_field_bytes at its largest value means no limit", "[bad-inputs]") {
  EventCsvOptions e = seconds_given();
  e.csv.max_field_bytes = SIZE_MAX;
  check_same_journeys(read_events_case("events/quoted_delimiters_newlines.csv", nullptr, e),
                      read_events_case("events/quoted_delimiters_newlines.csv"));
  PathCsvOptions p;
  p.csv.max_field_bytes = SIZE_MAX;
  check_same_journeys(read_paths_case("paths/quoted_path_with_delimiter.csv", nullptr, p),
                      read_paths_case("paths/quoted_path_with_delimiter.csv"));
}

TEST_CASE("X04 a delimiter that is the quote, a line end or NUL", "[bad-inputs]") {
  const std::pair<char, std::string> cases[] = {
      {'"', "\\\""}, {'\n', "\\n"}, {'\r', "\\r"}, {'\0', "\\x00"}};
  for (const auto& [delimiter, shown] : cases) {
    EventCsvOptions e = seconds_given();
    e.csv.delimiter = delimiter;
    PathCsvOptions p;
    p.csv.delimiter = delimiter;
    const std::string want =
        "the CSV delimiter cannot be \"" + shown + "\" (the quote, a line end or NUL)";
    INFO(want);
    try {
      read_events_csv(bad_file("events/tabs.tsv"), e);
      FAIL("no InvalidArgument");
    } catch (const InvalidArgument& x) {
      CHECK(std::string(x.what()) == want);
    }
    try {
      parse_paths_csv("path,total_conversions\na,1\n", "p.csv", p);
      FAIL("no InvalidArgument");
    } catch (const InvalidArgument& x) {
      CHECK(std::string(x.what()) == want);
    }
  }
}

TEST_CASE("X05 weights and values at 2^62 or more are refused; sums beyond the exact range too", "[bad-inputs]") {
  auto invalid = [](auto&& f, const std::string& message) {
    try {
      f();
      FAIL("no InvalidArgument");
    } catch (const InvalidArgument& e) {
      CHECK(std::string(e.what()) == message);
    }
  };
  const double limit = 4611686018427387904.0;  // 2^62
  JourneySetBuilder b;
  invalid([&] { b.add({"a"}, 1e308, 1e308); }, "journey 0: conversions 1e+308 is too large (the limit is 2^62)");
  invalid([&] { b.add({"a"}, 0, limit); }, "journey 0: nulls 4611686018427387904 is too large (the limit is 2^62)");
  invalid([&] { b.add({"b"}, 1, 0, 1.7e308); }, "journey 0: value 1.7e+308 is too large (the limit is 2^62)");
  // Each below the limit, but the journey's weight (conversions + nulls) is not.
  invalid([&] { b.add({"a"}, 3e18, 3e18); },
          "journey 0: conversions + nulls 6e+18 is too large (the limit of a journey's weight is 2^62)");
  try {
    parse_paths_csv("path,total_conversions,total_null\na > b,1,1\nb,3e18,3e18\n", "heavy.csv");
    FAIL("no ParseError");
  } catch (const ParseError& e) {
    CHECK(e.line() == 3);
    CHECK(e.field() == "total_null");
    CHECK(e.value() == "3e18");
    CHECK_THAT(std::string(e.what()), Catch::Matchers::StartsWith("heavy.csv:3:") &&
                                          Catch::Matchers::Contains("conversions 3e+18 + nulls \"3e18\" is too large"));
  }
  // Just below the limit is accepted, but four of them exceed what the exact 128-bit sums hold: counting
  // refuses instead of rounding.
  const double big = limit / 2;
  for (int i = 0; i < 4; ++i) b.add({"a"}, big, 0);
  CHECK(b.size() == 4);  // the refused journeys were not added
  const JourneySet js = b.finish();
  invalid([&] { TransitionCounts::count(js, 1); }, "a sum of weights or values is too large");
  // Events given as arrays: a conversion worth 1e308.
  const std::vector<std::int64_t> journey{1, 2};
  const std::vector<std::uint32_t> touchpoint{0, 0};
  const std::vector<std::uint8_t> conversion{1, 1};
  const std::vector<double> value{5, 1e308};
  EventArrays ev;
  ev.journey = journey;
  ev.touchpoint = Span<const std::uint32_t>(touchpoint);
  ev.touchpoint_names = {"a"};
  ev.conversion = conversion;
  ev.value = value;
  invalid([&] { build_journeys(ev); }, "journey 1: value 1e+308 is too large (the limit is 2^62)");
}

TEST_CASE("X03 every stored case is in this test and in BAD_INPUTS.md", "[bad-inputs]") {
  // By its place in the tree, not __FILE__: a build may name sources by relative paths (ccache, -ffile-prefix-map).
  const std::string self = slurp(std::string(JG_TEST_DATA_DIR) + "/../cpp/test_bad_inputs.cpp");
  const std::string doc = slurp(std::string(JG_TEST_DATA_DIR) + "/../BAD_INPUTS.md");
  std::size_t files = 0;
  for (const char* dir : {"events", "paths"}) {
    const std::string listing = std::string(JG_TEST_DATA_DIR) + "/bad/" + dir;
    for (const auto& entry : std::filesystem::directory_iterator(listing)) {
      const std::string rel = std::string(dir) + "/" + entry.path().filename().string();
      INFO(rel);
      CHECK(self.find("\"" + rel + "\"") != std::string::npos);
      CHECK(doc.find(rel) != std::string::npos);
      ++files;
    }
  }
  CHECK(files >= 95);
}
