// Time input without guessing: the time parser with and without a pattern, the epoch range check, time
// columns for the faces, instants typed by users, splits at a time, and the shape checks of input (separator,
// header kind). Expected instants come from the C library's timegm, not from the parser under test.

#include <catch2/catch.hpp>
#include <cstdint>
#include <ctime>
#include <string>
#include <vector>

#include "journeygraph/error.hpp"
#include "journeygraph/io.hpp"
#include "journeygraph/map.hpp"

using namespace journeygraph;
using Catch::Matchers::Contains;
using Catch::Matchers::EndsWith;
using Catch::Matchers::StartsWith;

namespace {

std::int64_t utc(int year, int month, int day, int hour = 0, int minute = 0, int second = 0) {
  std::tm t{};
  t.tm_year = year - 1900;
  t.tm_mon = month - 1;
  t.tm_mday = day;
  t.tm_hour = hour;
  t.tm_min = minute;
  t.tm_sec = second;
  return std::int64_t(timegm(&t));
}

std::int64_t utc_ms(int year, int month, int day, int hour = 0, int minute = 0, int second = 0) {
  return utc(year, month, day, hour, minute, second) * 1000;
}

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  FAIL("nothing was thrown");
  return {};
}

TimeParser with(const std::string& pattern) {
  TimeFormat f;
  f.pattern = pattern;
  return TimeParser(f);
}

}  // namespace

TEST_CASE("T01 every pattern directive reads what strftime would write", "[time]") {
  CHECK(with("%d/%m/%Y %H:%M").parse("03/04/2026 14:00") == utc_ms(2026, 4, 3, 14, 0));
  CHECK(with("%m/%d/%Y %H:%M").parse("03/04/2026 14:00") == utc_ms(2026, 3, 4, 14, 0));
  CHECK(with("%d.%m.%Y").parse("3.4.2026") == utc_ms(2026, 4, 3));
  CHECK(with("%Y%m%d%H%M%S").parse("20260403140506") == utc_ms(2026, 4, 3, 14, 5, 6));
  CHECK(with("%d %b %Y").parse("3 Apr 2026") == utc_ms(2026, 4, 3));
  CHECK(with("%d %B %Y").parse("03 april 2026") == utc_ms(2026, 4, 3));
  CHECK(with("%b %d, %Y %I:%M %p").parse("Sept 30, 2025 12:15 AM") == utc_ms(2025, 9, 30, 0, 15));
  CHECK(with("%b %d, %Y %I:%M %p").parse("Dec 1, 2025 12:15 pm") == utc_ms(2025, 12, 1, 12, 15));
  CHECK(with("%b %d, %Y %I:%M %p").parse("Dec 1, 2025 1:05 PM") == utc_ms(2025, 12, 1, 13, 5));
  CHECK(with("%Y-%j").parse("2024-366") == utc_ms(2024, 12, 31));
  CHECK(with("%Y-%j").parse("2025-060") == utc_ms(2025, 3, 1));
  CHECK(with("%y-%m-%d").parse("69-01-01") == utc_ms(1969, 1, 1));
  CHECK(with("%y-%m-%d").parse("68-01-01") == utc_ms(2068, 1, 1));
  CHECK(with("%Y-%m-%dT%T.%f%z").parse("2026-04-03T14:05:06.789+02:00") == utc_ms(2026, 4, 3, 12, 5, 6) + 789);
  CHECK(with("%Y-%m-%d %T %z").parse("2026-04-03 14:05:06 -0530") == utc_ms(2026, 4, 3, 19, 35, 6));
  CHECK(with("%Y-%m-%d %T%z").parse("2026-04-03 14:05:06Z") == utc_ms(2026, 4, 3, 14, 5, 6));
  CHECK(with("%Y-%m-%d %H").parse("2026-04-03 07") == utc_ms(2026, 4, 3, 7));
  CHECK(with("%d%%%m%%%Y").parse("03%04%2026") == utc_ms(2026, 4, 3));
  // A space matches a run of blanks; blanks around the value are ignored.
  CHECK(with("%d/%m/%Y %H:%M").parse("  03/04/2026 \t 14:00 ") == utc_ms(2026, 4, 3, 14, 0));
  // Fractions finer than the stored unit (ms for seconds) are truncated; microseconds keep them.
  CHECK(with("%Y-%m-%d %H:%M:%S.%f").parse("2026-04-03 00:00:00.123456789") == utc_ms(2026, 4, 3) + 123);
  TimeFormat us;
  us.pattern = "%Y-%m-%d %H:%M:%S.%f";
  us.integer_unit = TimeUnit::microseconds;
  CHECK(TimeParser(us).parse("2026-04-03 00:00:00.123456789") == utc(2026, 4, 3) * 1000000 + 123456);
}

TEST_CASE("T02 a value that does not match the pattern is refused with the place of the mismatch", "[time]") {
  const TimeParser p = with("%d/%m/%Y %H:%M");
  CHECK(message_of([&] { p.parse("2026-04-03 14:00"); }) ==
        "invalid timestamp \"2026-04-03 14:00\": it does not match the time format \"%d/%m/%Y %H:%M\": expected \"/\" at byte 3");
  CHECK(message_of([&] { p.parse("1700000000"); }) ==
        "invalid timestamp \"1700000000\": it does not match the time format \"%d/%m/%Y %H:%M\": expected \"/\" at byte 3");
  CHECK(message_of([&] { p.parse("31/02/2026 10:00"); }) == "invalid timestamp \"31/02/2026 10:00\": day 31 is not in 1..28");
  CHECK(message_of([&] { p.parse("29/02/2024 24:00"); }) == "invalid timestamp \"29/02/2024 24:00\": hour 24 is not in 0..23");
  CHECK(message_of([&] { p.parse("03/04/26 14:00"); }) ==
        "invalid timestamp \"03/04/26 14:00\": it does not match the time format \"%d/%m/%Y %H:%M\": expected 4 digits "
        "for the year (%Y) at byte 9");
  CHECK(message_of([&] { p.parse("03/04/2026 14:00:00"); }) ==
        "invalid timestamp \"03/04/2026 14:00:00\": it does not match the time format \"%d/%m/%Y %H:%M\": unexpected "
        "text \":00\" after the time format's end at byte 17");
  CHECK(message_of([&] { with("%Y-%j").parse("2025-366"); }) == "invalid timestamp \"2025-366\": day of the year 366 is not in 1..365");
  CHECK(message_of([&] { with("%d %b %Y").parse("3 Foo 2026"); }) ==
        "invalid timestamp \"3 Foo 2026\": it does not match the time format \"%d %b %Y\": expected an English month name (%b) at byte 3");
  CHECK(message_of([&] { with("%Y-%m-%d %I:%M %p").parse("2026-01-01 13:00 PM"); }) ==
        "invalid timestamp \"2026-01-01 13:00 PM\": hour (%I) 13 is not in 1..12");
  CHECK_THROWS_AS(p.parse(""), InvalidArgument);
}

TEST_CASE("T03 patterns that cannot read a full date are refused when given", "[time]") {
  auto refused = [](const std::string& pattern, const std::string& why) {
    CHECK(message_of([&] { with(pattern); }) == "time format \"" + pattern + "\": " + why);
  };
  refused("%H:%M", "it has no year (%Y or %y)");
  refused("%Y-%m", "it needs a month and a day (%m or %b, and %d) or a day of the year (%j)");
  refused("%Y-%m-%d %Q", "unknown directive %Q at byte 10 (known: %Y %y %m %b %B %d %j %H %I %p %M %S %f %z %T %%)");
  refused("%Y-%m-%d %", "it ends with a lone '%' (write %% for a percent sign)");
  refused("%Y-%m-%d %Y", "the field of %Y is given twice");
  refused("%Y-%j-%d", "%j (day of the year) cannot be combined with a month or a day");
  refused("%Y-%m-%d %I:%M", "%I (hour 1-12) and %p (AM/PM) go together");
  refused("%Y-%m-%d %H:%M %f", "%f (fraction of a second) needs %S");
  refused("%Y-%m-%d %M", "minutes or seconds without an hour (%H or %I)");
}

TEST_CASE("T04 without a pattern: epoch numbers and ISO-8601 only, other forms refused with the pattern that reads them", "[time]") {
  const TimeParser p;  // default: seconds, checked by the readers
  bool epoch = false;
  CHECK(p.parse("1700000000", &epoch) == 1700000000000);
  CHECK(epoch);
  CHECK(p.parse("2026-04-03T14:00:00+02:00", &epoch) == utc_ms(2026, 4, 3, 12));
  CHECK_FALSE(epoch);
  CHECK(p.unit() == TimeUnit::milliseconds);
  CHECK(p.checks_epoch_range());
  auto refused = [&](const std::string& value, const std::string& why) {
    CHECK(message_of([&] { p.parse(value); }) == "invalid timestamp \"" + value + "\": " + why);
  };
  const std::string option = "give the time format (--time-format, time_format=)";
  refused("03/04/2026 14:00", "the day and the month cannot be told apart; " + option +
                                  ": \"%d/%m/%Y %H:%M\" if the day comes first, \"%m/%d/%Y %H:%M\" if the month does");
  refused("3-4-26", "the day and the month cannot be told apart; " + option + ": \"%d-%m-%y\" if the day comes first, "
                    "\"%m-%d-%y\" if the month does");
  // One order is certain for this value; it is still refused (the next row may be ambiguous) with that pattern.
  refused("31/12/2025 23:59:59", "not an epoch number or ISO-8601 (YYYY-MM-DD, YYYY-MM-DDTHH:MM:SS.fff+HH:MM); " + option +
                                     " \"%d/%m/%Y %H:%M:%S\"");
  refused("12/31/2025 11:59 PM", "not an epoch number or ISO-8601 (YYYY-MM-DD, YYYY-MM-DDTHH:MM:SS.fff+HH:MM); " + option +
                                     " \"%m/%d/%Y %I:%M %p\"");
  refused("2025/12/31", "not an epoch number or ISO-8601 (YYYY-MM-DD, YYYY-MM-DDTHH:MM:SS.fff+HH:MM); " + option + " \"%Y/%m/%d\"");
  refused("Dec 31, 2025", "not an epoch number or ISO-8601 (YYYY-MM-DD, YYYY-MM-DDTHH:MM:SS.fff+HH:MM); " + option + " \"%b %d, %Y\"");
  refused("31 Dec 2025 10:00:00.5Z", "not an epoch number or ISO-8601 (YYYY-MM-DD, YYYY-MM-DDTHH:MM:SS.fff+HH:MM); " + option +
                                         " \"%d %b %Y %H:%M:%S.%f%z\"");
  refused("yesterday", "expected an epoch number or an ISO-8601 date and time (YYYY-MM-DD, YYYY-MM-DDTHH:MM:SS.fff+HH:MM); "
                       "for another form give the time format (--time-format, time_format=), e.g. \"%d/%m/%Y %H:%M\"");
  // An offset is suggested as %z only in the shapes %z reads (+HH, +HHMM, +HH:MM): three digits or
  // +HHMM:MM get no pattern (found by the time-parser fuzz target).
  refused("31-12-25T14:05:06.5-002", "expected an epoch number or an ISO-8601 date and time (YYYY-MM-DD, "
                                     "YYYY-MM-DDTHH:MM:SS.fff+HH:MM); for another form give the time format "
                                     "(--time-format, time_format=), e.g. \"%d/%m/%Y %H:%M\"");
  refused("31-12-25T14:05:06-0200:00", "expected an epoch number or an ISO-8601 date and time (YYYY-MM-DD, "
                                       "YYYY-MM-DDTHH:MM:SS.fff+HH:MM); for another form give the time format "
                                       "(--time-format, time_format=), e.g. \"%d/%m/%Y %H:%M\"");
  refused("31-12-25T14:05:06-02", "not an epoch number or ISO-8601 (YYYY-MM-DD, YYYY-MM-DDTHH:MM:SS.fff+HH:MM); " + option +
                                      " \"%d-%m-%yT%H:%M:%S%z\"");
  CHECK(with("%d-%m-%yT%H:%M:%S%z").parse("31-12-25T14:05:06-02") == utc_ms(2025, 12, 31, 16, 5, 6));
  // An offset of the right shape but out of range is a range error (the pattern fits), not a mismatch.
  CHECK(message_of([&] { with("%m-%d-%yT%H:%M:%S%z").parse("4-13-00T12:30:02+42:00"); }) ==
        "invalid timestamp \"4-13-00T12:30:02+42:00\": time zone offset +42:00 is out of range (at most 23:59)");
  // Spaces after the date are spelled out in the suggested pattern, which then reads the value.
  refused("31-12-25T  4:05:06", "not an epoch number or ISO-8601 (YYYY-MM-DD, YYYY-MM-DDTHH:MM:SS.fff+HH:MM); " + option +
                                    " \"%d-%m-%yT  %H:%M:%S\"");
  CHECK(with("%d-%m-%yT  %H:%M:%S").parse("31-12-25T  4:05:06") == utc_ms(2025, 12, 31, 4, 5, 6));
  // And each suggested pattern reads the value it was suggested for.
  CHECK(with("%m/%d/%Y %I:%M %p").parse("12/31/2025 11:59 PM") == utc_ms(2025, 12, 31, 23, 59));
  CHECK(with("%d %b %Y %H:%M:%S.%f%z").parse("31 Dec 2025 10:00:00.5Z") == utc_ms(2025, 12, 31, 10) + 500);
}

TEST_CASE("T05 format_time writes ISO-8601 UTC that the parser reads back", "[time]") {
  CHECK(format_time(0, TimeUnit::seconds) == "1970-01-01T00:00:00Z");
  CHECK(format_time(-1, TimeUnit::seconds) == "1969-12-31T23:59:59Z");
  CHECK(format_time(utc_ms(2024, 2, 29, 23, 59, 59) + 5, TimeUnit::milliseconds) == "2024-02-29T23:59:59.005Z");
  CHECK(format_time(1700000000123456, TimeUnit::microseconds) == "2023-11-14T22:13:20.123456Z");
  CHECK(format_time(-1, TimeUnit::nanoseconds) == "1969-12-31T23:59:59.999999999Z");
  CHECK(format_time(253402300800, TimeUnit::seconds) == "+10000-01-01T00:00:00Z");
  for (std::int64_t t : {std::int64_t(0), std::int64_t(-86399999), std::int64_t(1709296200250), utc_ms(1900, 3, 1)})
    CHECK(parse_timestamp(format_time(t, TimeUnit::milliseconds), TimeUnit::seconds, TimeUnit::milliseconds) == t);
}

TEST_CASE("T06 time columns for the faces: one rule for numbers and text, mixing refused naming the row", "[time]") {
  const std::vector<TimeCell> numbers{std::int64_t(1700000000), 1700000001.0, 1700000001.25};
  const ConvertedTimes a = convert_time_column(Span<const TimeCell>(numbers.data(), numbers.size()), {}, "ts");
  CHECK(a.times == std::vector<std::int64_t>{1700000000000, 1700000001000, 1700000001250});
  CHECK(a.unit == TimeUnit::milliseconds);
  CHECK(a.kind == TimeKind::epoch);
  // Text goes through the same parser as a CSV file: epoch text is an epoch number there too.
  const std::vector<std::string_view> text{"2023-11-14T22:13:20Z", "1700000001", "2023-11-14 22:13:21.250"};
  const ConvertedTimes b = convert_time_column(Span<const std::string_view>(text.data(), text.size()), {}, "ts");
  CHECK(b.times == a.times);
  CHECK(b.kind == TimeKind::mixed);
  // Numbers and text in one column: refused, naming both rows; the labeller names rows the face's way.
  const std::vector<TimeCell> mixed{std::int64_t(1700000000), std::string_view("2023-11-14T22:13:20Z")};
  CHECK(message_of([&] { convert_time_column(Span<const TimeCell>(mixed.data(), mixed.size()), {}, "ts"); }) ==
        "time column \"ts\", row 1: the text \"2023-11-14T22:13:20Z\" in a column that holds numbers (row 0): give one "
        "kind of time per column");
  const RowLabel label = [](std::size_t r) { return "row " + std::to_string(r) + " (index label 'r" + std::to_string(r) + "')"; };
  const std::vector<TimeCell> missing{std::string_view("2026-01-01"), std::monostate{}};
  CHECK(message_of([&] { convert_time_column(Span<const TimeCell>(missing.data(), missing.size()), {}, "ts", label); }) ==
        "time column \"ts\", row 1 (index label 'r1'): missing time");
  const std::vector<TimeCell> nan{std::nan("")};
  CHECK(message_of([&] { convert_time_column(Span<const TimeCell>(nan.data(), nan.size()), {}, "ts"); }) ==
        "time column \"ts\", row 0: missing time (NaN)");
  // Epoch microseconds as plain integers: the same range check as the CSV reader.
  const std::vector<TimeCell> micro{std::int64_t(1700000000000000)};
  CHECK_THAT(message_of([&] { convert_time_column(Span<const TimeCell>(micro.data(), micro.size()), {}, "ts"); }),
             StartsWith("time column \"ts\", row 0: epoch number \"1700000000000000\" read in seconds (the default unit)") &&
                 EndsWith("(--time-unit us, time_unit=\"us\")"));
  TimeFormat us;
  us.integer_unit = TimeUnit::microseconds;
  const ConvertedTimes c = convert_time_column(Span<const TimeCell>(micro.data(), micro.size()), us, "ts");
  CHECK(c.times == std::vector<std::int64_t>{1700000000000000});
  CHECK(c.unit == TimeUnit::microseconds);
  CHECK(c.epoch_unit == TimeUnit::microseconds);
  // Day-first text with its pattern; the ambiguous form without it.
  const std::vector<std::string_view> day_first{"03/04/2026 14:00", "13/04/2026 08:00"};
  TimeFormat dmy;
  dmy.pattern = "%d/%m/%Y %H:%M";
  CHECK(convert_time_column(Span<const std::string_view>(day_first.data(), day_first.size()), dmy, "ts").times ==
        std::vector<std::int64_t>{utc_ms(2026, 4, 3, 14), utc_ms(2026, 4, 13, 8)});
  CHECK_THAT(message_of([&] { convert_time_column(Span<const std::string_view>(day_first.data(), 2), {}, "ts"); }),
             StartsWith("time column \"ts\", row 0: invalid timestamp \"03/04/2026 14:00\": the day and the month cannot be told apart"));
  // The range check for integer columns passed on as they are.
  const std::vector<std::int64_t> ms{1700000000000, 1700000000001};
  CHECK_THAT(message_of([&] { check_epoch_column(Span<const std::int64_t>(ms.data(), ms.size()), {}, "ts"); }),
             StartsWith("time column \"ts\", row 0: epoch number \"1700000000000\"") && EndsWith("(--time-unit ms, time_unit=\"ms\")"));
  TimeFormat given;
  given.integer_unit = TimeUnit::seconds;
  CHECK_NOTHROW(check_epoch_column(Span<const std::int64_t>(ms.data(), ms.size()), given, "ts"));
  const std::vector<std::int64_t> relative{0, 60, 120};
  CHECK_THAT(message_of([&] { check_epoch_column(Span<const std::int64_t>(relative.data(), 3), {}, "ts"); }),
             StartsWith("time column \"ts\", row 2: every epoch number lies before 1971"));
}

TEST_CASE("T07 instants typed by users follow the data's time kind", "[time]") {
  const EventCsvOptions defaults;
  const std::string epoch_csv =
      "journey_id,timestamp,touchpoint,conversion\n1,1700000000,a,0\n1,1700000100,b,1\n2,1700086400,c,0\n";
  const JourneySet e = parse_events_csv(epoch_csv, "e.csv", defaults);
  CHECK(e.time_kind() == TimeKind::epoch);
  CHECK(e.epoch_unit() == TimeUnit::seconds);
  CHECK(e.time_unit() == TimeUnit::milliseconds);
  // An epoch-seconds file takes 1700000000 as seconds (stored in milliseconds), and ISO text too.
  CHECK(parse_instant("1700000000", e) == 1700000000000);
  CHECK(parse_instant("60", e) == 60000);
  CHECK(parse_instant("2023-11-15", e) == utc_ms(2023, 11, 15));
  // A file of ISO text refuses a bare number, with the range of the data as a hint.
  const std::string iso_csv =
      "journey_id,timestamp,touchpoint,conversion\n1,2023-11-14T22:13:20Z,a,0\n2,2023-11-15T22:13:20Z,c,0\n";
  const JourneySet d = parse_events_csv(iso_csv, "d.csv");
  CHECK(d.time_kind() == TimeKind::dates);
  CHECK(message_of([&] { parse_instant("60", d); }) ==
        "the instant \"60\" is a bare number, but the journeys' times were given as dates, not epoch numbers: give a "
        "date and time such as 2023-11-14T22:13:20Z (the journeys start from 2023-11-14T22:13:20Z to 2023-11-15T22:13:20Z)");
  CHECK(parse_instant("2023-11-15T00:00:00Z", d) == utc_ms(2023, 11, 15));
  // The data's own pattern reads instants too.
  EventCsvOptions dmy;
  dmy.time_format.pattern = "%d/%m/%Y";
  const JourneySet p = parse_events_csv("journey_id,timestamp,touchpoint\n1,03/04/2026,a\n", "p.csv", dmy);
  CHECK(parse_instant("13/04/2026", p, dmy.time_format.pattern) == utc_ms(2026, 4, 13));
  CHECK(parse_instant("2026-04-13", p, dmy.time_format.pattern) == utc_ms(2026, 4, 13));
  // Microsecond epochs: a number is read in microseconds.
  EventCsvOptions us;
  us.time_format.integer_unit = TimeUnit::microseconds;
  const JourneySet m = parse_events_csv("journey_id,timestamp,touchpoint\n1,1700000000000000,a\n", "m.csv", us);
  CHECK(parse_instant("1700000000000001", m) == 1700000000000001);
  // Mixed columns accept both.
  const JourneySet x = parse_events_csv(
      "journey_id,timestamp,touchpoint\n1,1700000000,a\n1,2023-11-14T22:13:21Z,b\n", "x.csv");
  CHECK(x.time_kind() == TimeKind::mixed);
  CHECK(parse_instant("1700000000", x) == 1700000000000);
  // Built from arrays: epoch by default, dates when the face says so; kept by slices.
  const std::vector<std::int64_t> ids{1, 2}, times{5, 9};
  const std::vector<std::uint32_t> tps{0, 0};
  EventArrays ev;
  ev.journey = Span<const std::int64_t>(ids.data(), 2);
  ev.time = Span<const std::int64_t>(times.data(), 2);
  ev.touchpoint = Span<const std::uint32_t>(tps.data(), 2);
  ev.touchpoint_names = {"a"};
  CHECK(build_journeys(ev).time_kind() == TimeKind::epoch);
  ev.time_kind = TimeKind::dates;
  const JourneySet built = build_journeys(ev);
  CHECK(built.slice(0, 1).time_kind() == TimeKind::dates);
  CHECK_THROWS_AS(parse_instant("5", built), InvalidArgument);
  CHECK_THROWS_AS(parse_instant("2026-01-01", parse_events_csv(epoch_csv, "n.csv", [] {
                    EventCsvOptions o;
                    o.time = Column("");
                    return o;
                  }())),
                  StateError);
}

TEST_CASE("T08 a split at a time with an empty side names the split and the side", "[time]") {
  const JourneySet e = parse_events_csv(
      "journey_id,timestamp,touchpoint,conversion\n1,1767225600,a,0\n1,1767225700,b,1\n2,1767312000,c,0\n", "e.csv");
  auto [before, after] = split_at_time(e, parse_instant("1767300000", e));
  CHECK(before.size() == 1);
  CHECK(after.size() == 1);
  CHECK(before.time_kind() == TimeKind::epoch);
  CHECK(message_of([&] { split_at_time(e, parse_instant("60", e)); }) ==
        "split at 1970-01-01T00:01:00Z: no journey of positive weight starts before it, so the first part is empty "
        "(the journeys start from 2026-01-01T00:00:00Z to 2026-01-02T00:00:00Z)");
  CHECK(message_of([&] { split_at_time(e, parse_instant("2027-01-01", e)); }) ==
        "split at 2027-01-01T00:00:00Z: no journey of positive weight starts at or after it, so the second part is "
        "empty (the journeys start from 2026-01-01T00:00:00Z to 2026-01-02T00:00:00Z)");
  CHECK_THROWS_AS(split_at_time(read_paths_csv(std::string(JG_REFERENCE_DIR) + "/pathdata.csv"), 0), StateError);
}

TEST_CASE("T09 the header says whether a file holds events or paths, and why", "[io]") {
  CsvKindGuess g = detect_csv_kind({"journey_id", "timestamp", "touchpoint", "conversion"});
  CHECK(g.kind == CsvKind::events);
  CHECK(g.reason == "the header has the columns 'journey_id' and 'touchpoint' of an event log");
  g = detect_csv_kind({"path", "total_conversions", "total_null"});
  CHECK(g.kind == CsvKind::paths);
  CHECK(g.reason == "the header has the columns 'path' and 'total_conversions' of aggregated paths");
  g = detect_csv_kind({"journey_id", "path", "total_conversions", "touchpoint"});
  CHECK(g.kind == CsvKind::unknown);
  CHECK(g.reason == "the header has columns of both an event log ('journey_id', 'touchpoint') and aggregated paths "
                    "('path', 'total_conversions')");
  g = detect_csv_kind({"a", "b"});
  CHECK(g.kind == CsvKind::unknown);
  // Column names follow the options.
  EventCsvOptions eo;
  eo.journey = Column("cid");
  CHECK(detect_csv_kind({"cid", "touchpoint"}, eo).kind == CsvKind::events);
  CHECK(detect_csv_kind({"cid", "touchpoint"}).kind == CsvKind::unknown);
  CHECK(read_csv_header(std::string(JG_REFERENCE_DIR) + "/pathdata.csv") ==
        std::vector<std::string>{"path", "total_conversions", "total_conversion_value", "total_null"});
  CHECK_THROWS_AS(read_csv_header(std::string(JG_TEST_TMP_DIR) + "/no_such_file.csv"), IoError);
}

TEST_CASE("T10 path splitters of the faces share the separator check", "[io]") {
  const std::vector<std::string_view> pipes{"a|b", "c", "b|a|c"};
  CHECK(message_of([&] { check_path_separator(Span<const std::string_view>(pipes.data(), 3), ">"); }) ==
        "path 0: no path holds the separator \">\", so every path would be one touchpoint, but 2 of 3 paths hold \"|\" "
        "(the first: \"a|b\"): set the separator to \"|\" (--sep, sep=)");
  CHECK_NOTHROW(check_path_separator(Span<const std::string_view>(pipes.data(), 3), "|"));
  const std::vector<std::string_view> arrows{"a -> b", "c", "b -> a"};
  CHECK_THAT(message_of([&] { check_path_separator(Span<const std::string_view>(arrows.data(), 3), "|"); }),
             Contains("2 of 3 paths hold \"->\""));
  const std::vector<std::string_view> fine{"a > b", "c/d", "e"};
  CHECK_NOTHROW(check_path_separator(Span<const std::string_view>(fine.data(), 3), ">"));
}

TEST_CASE("T09 durations are whole seconds plus the remaining ticks over ticks per second", "[time]") {
  constexpr std::int64_t six_days = 6 * 86400;
  CHECK(ticks_per_second(TimeUnit::seconds) == 1);
  CHECK(ticks_per_second(TimeUnit::milliseconds) == 1000);
  CHECK(ticks_per_second(TimeUnit::microseconds) == 1000000);
  CHECK(ticks_per_second(TimeUnit::nanoseconds) == 1000000000);
  // The product the library used before is one rounding off: the test can tell the two apart.
  CHECK(double(six_days * 1000000000) * 1e-9 != 518400.0);
  CHECK(ticks_to_seconds(six_days * 1000000000, TimeUnit::nanoseconds) == 518400.0);
  CHECK(ticks_to_seconds(six_days * 1000000, TimeUnit::microseconds) == 518400.0);
  CHECK(ticks_to_seconds(six_days * 1000, TimeUnit::milliseconds) == 518400.0);
  CHECK(ticks_to_seconds(six_days, TimeUnit::seconds) == 518400.0);
  // A fraction is the remaining ticks divided once: 1.5 s, -0.25 s, 1 ns.
  CHECK(ticks_to_seconds(1500, TimeUnit::milliseconds) == 1.5);
  CHECK(ticks_to_seconds(-250, TimeUnit::milliseconds) == -0.25);
  CHECK(ticks_to_seconds(1, TimeUnit::nanoseconds) == 1.0 / 1e9);
  CHECK(ticks_to_seconds(six_days * 1000000000 + 1, TimeUnit::nanoseconds) == 518400.0 + 1e-9);
  // Non-decreasing across a whole second and at the ends of the range.
  CHECK(ticks_to_seconds(999999999, TimeUnit::nanoseconds) < ticks_to_seconds(1000000000, TimeUnit::nanoseconds));
  CHECK(ticks_to_seconds(INT64_MAX, TimeUnit::nanoseconds) == double(INT64_MAX / 1000000000) + 0.854775807);
  CHECK(ticks_to_seconds(INT64_MIN, TimeUnit::seconds) == double(INT64_MIN));

  // Through an analysis: a journey converting 6 days after its first touch, with times in nanoseconds, takes
  // exactly 518400 s to convert, and its single transition as long.
  const JourneySet ns = parse_events_csv("journey_id,timestamp,touchpoint,conversion\n"
                                         "1,2026-01-01T00:00:00.000000001Z,a,0\n"
                                         "1,2026-01-07T00:00:00.000000001Z,b,1\n",
                                         "ns.csv", [] {
                                           EventCsvOptions o;
                                           o.time_format.integer_unit = TimeUnit::nanoseconds;
                                           return o;
                                         }());
  REQUIRE(ns.time_unit() == TimeUnit::nanoseconds);
  const JourneyMap map(ns);
  const DurationStats t = map.paths().time_to_conversion;
  CHECK(t.count == 1.0);
  CHECK(t.median == 518400.0);
  CHECK(t.mean == 518400.0);
  CHECK(t.p90 == 518400.0);
}
