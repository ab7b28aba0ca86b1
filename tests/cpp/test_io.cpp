// CSV readers and timestamp parsing: dialect handling and the place named in every error.

#include <catch2/catch.hpp>

#include "journeygraph/error.hpp"
#include "journeygraph/io.hpp"
#include "journeygraph/markov.hpp"

using namespace journeygraph;
using Catch::Matchers::Contains;

namespace {
// Small epoch numbers (1, 5, ...) are read with the unit given: the default unit refuses them (E53).
EventCsvOptions seconds_given() {
  EventCsvOptions o;
  o.time_format.integer_unit = TimeUnit::seconds;
  return o;
}

ParseError parse_error(const std::function<void()>& f) {
  try {
    f();
  } catch (const ParseError& e) {
    return e;
  }
  FAIL("no ParseError");
  throw;
}
}  // namespace

TEST_CASE("paths CSV: quoting, CRLF, BOM, trimming and separators", "[io]") {
  const std::string text =
      "\xEF\xBB\xBFpath,total_conversions,total_null,total_conversion_value\r\n"
      "\"a > b\",1,2,3.5\r\n"
      "\n"
      "\" c >a \",0,1,0\r\n"
      "\"x \"\"quoted\"\" > b\",2,0,4\r\n";
  BuildReport rep;
  JourneySet js = parse_paths_csv(text, "t.csv", {}, &rep);
  REQUIRE(js.size() == 3);
  CHECK(js.path_string(0, "|") == "a|b");
  CHECK(js.path_string(1, "|") == "c|a");
  CHECK(js.path_string(2, "|") == "x \"quoted\"|b");
  CHECK(js.total_conversions() == 3);
  CHECK(js.total_value() == 7.5);
  CHECK(rep.blank_lines == 1);
  CHECK(rep.rows == 3);
  PathCsvOptions o;
  o.separator = "|";
  o.csv.delimiter = ';';
  JourneySet js2 = parse_paths_csv("path;total_conversions\na|b;1\n", "t", o);
  CHECK(js2.path_string(0, ">") == "a>b");
  CHECK(js2.total_nulls() == 0);
}

TEST_CASE("paths CSV errors name file, line, column, field and value", "[io]") {
  auto e = parse_error([] { parse_paths_csv("path,total_conversions,total_null\na>b,1,2\na>c,-1,2\n", "p.csv"); });
  CHECK(e.file() == "p.csv");
  CHECK(e.line() == 3);
  CHECK(e.column() == 5);
  CHECK(e.field() == "total_conversions");
  CHECK(e.value() == "-1");
  CHECK(std::string(e.what()) == "p.csv:3:5: field 'total_conversions': negative count \"-1\"");
  CHECK_THROWS_WITH(parse_paths_csv("path,total_conversions\na>>b,1\n", "p.csv"),
                    Contains("p.csv:2:1: field 'path': empty touchpoint name at position 2"));
  CHECK_THROWS_WITH(parse_paths_csv("path,total_conversions\n,1\n", "p.csv"), Contains("empty path"));
  CHECK_THROWS_WITH(parse_paths_csv("path,total_conversions\na,1,2\n", "p.csv"),
                    Contains("p.csv:2:5: expected 2 fields (as in the header), found 3"));
  CHECK_THROWS_WITH(parse_paths_csv("path,total_conversions\na,nan\n", "p.csv"), Contains("expected a finite number"));
  CHECK_THROWS_WITH(parse_paths_csv("path,total_conversions\n\"a,1\n", "p.csv"), Contains("p.csv:2:1: field 'path': unterminated quoted field"));
  CHECK_THROWS_WITH(parse_paths_csv("path,conversions\na,1\n", "p.csv"),
                    Contains("missing conversions column 'total_conversions'; the header has: 'path', 'conversions'"));
  CHECK_THROWS_WITH(parse_paths_csv("path,Total_Conversions\na,1\n", "p.csv"), Contains("did you mean 'Total_Conversions'?"));
  CHECK_THROWS_WITH(parse_paths_csv("path;total_conversions\na;1\n", "p.csv"), Contains("is the delimiter right?"));
  CHECK_THROWS_WITH(parse_paths_csv("", "p.csv"), Contains("p.csv: empty file"));
  CHECK_THROWS_WITH(parse_paths_csv("path,total_conversions\n", "p.csv"), Contains("no paths"));
  CHECK_THROWS_WITH(parse_paths_csv("path,total_conversions,path\na,1,b\n", "p.csv"), Contains("appears twice"));
  CHECK_THROWS_WITH(parse_paths_csv(std::string("path,total_conversions\na\xff,1\n"), "p.csv"), Contains("not valid UTF-8"));
  CHECK_THROWS_WITH(parse_paths_csv(std::string("path,total_conversions\na,1\0\n", 28), "p.csv"), Contains("NUL byte"));
  CHECK_THROWS_WITH(parse_paths_csv("path,total_conversions,total_conversion_value\na,0,5\n", "p.csv"),
                    Contains("on a path without conversions"));
  CHECK_THROWS_AS(read_paths_csv("/nonexistent/dir/p.csv"), IoError);
}

TEST_CASE("skipping bad rows counts and reports them", "[io]") {
  PathCsvOptions o;
  o.csv.skip_bad_rows = true;
  BuildReport rep;
  JourneySet js = parse_paths_csv("path,total_conversions\na,1\nb,x\nc,2\nd,-1\n", "p.csv", o, &rep);
  CHECK(js.size() == 2);
  CHECK(rep.rows == 4);
  CHECK(rep.rows_skipped == 2);
  REQUIRE(rep.skipped_examples.size() == 2);
  CHECK_THAT(rep.skipped_examples[0], Contains("p.csv:3:3"));
  CHECK_THAT(rep.summary(), Contains("2 malformed rows skipped"));
  CHECK(js.touchpoints().size() == 2);  // b and d never made it into the dictionary
}

TEST_CASE("events CSV: columns, flags, ISO times and optional columns", "[io]") {
  const std::string text =
      "journey_id,timestamp,touchpoint,conversion,value,device\n"
      "u1,2024-03-01T12:30:00Z,search,0,,mobile\n"
      "u1,2024-03-01 12:31:00,email,yes,19.5,mobile\n"
      "u2,2024-03-02,search,false,,desktop\n";
  EventCsvOptions o;
  o.segment = Column("device");
  BuildReport rep;
  JourneySet js = parse_events_csv(text, "e.csv", o, {}, &rep);
  REQUIRE(js.size() == 2);
  CHECK(js.path_string(0, ">") == "search>email");
  CHECK(js.conversions(0) == 1);
  CHECK(js.value(0) == 19.5);
  CHECK(js.time_unit() == TimeUnit::milliseconds);
  CHECK(js.times(0)[0] == 1709296200000);
  CHECK(js.segments().name(js.segment(1)) == "desktop");
  EventCsvOptions bare = seconds_given();
  BuildReport rep2;
  JourneySet js2 = parse_events_csv("journey_id,timestamp,touchpoint\n1,5,a\n1,6,b\n", "e.csv", bare, {}, &rep2);
  CHECK(js2.total_conversions() == 0);
  CHECK_THAT(rep2.summary(), Contains("no conversion column 'conversion'"));
  CHECK_THROWS_WITH(parse_events_csv("journey_id,timestamp,touchpoint,conversion\n1,5,a,maybe\n", "e.csv", bare),
                    Contains("e.csv:2:7: field 'conversion': expected a conversion flag"));
  CHECK_THROWS_WITH(parse_events_csv("journey_id,timestamp,touchpoint\n1,2024-13-01,a\n", "e.csv"),
                    Contains("e.csv:2:3: field 'timestamp': invalid timestamp \"2024-13-01\": month 13"));
  CHECK_THROWS_WITH(parse_events_csv("journey_id,timestamp,touchpoint\n1,5,\n", "e.csv", bare), Contains("empty touchpoint"));
  EventCsvOptions need_value = seconds_given();
  need_value.value = Column("revenue");
  CHECK_THROWS_WITH(parse_events_csv("journey_id,timestamp,touchpoint\n1,5,a\n", "e.csv", need_value),
                    Contains("missing value column 'revenue'"));
}

TEST_CASE("timestamps and durations", "[io]") {
  const auto s = TimeUnit::seconds, ms = TimeUnit::milliseconds;
  CHECK(parse_timestamp("2024-03-01T12:30:00Z", s, s) == 1709296200);
  CHECK(parse_timestamp("2024-02-29T23:59:59", s, s) == 1709251199);
  CHECK(parse_timestamp("2026-01-01", s, s) == 1767225600);
  CHECK(parse_timestamp("1969-12-31T23:59:59Z", s, s) == -1);
  CHECK(parse_timestamp("2024-03-01T12:30:00+02:00", s, s) == 1709289000);
  CHECK(parse_timestamp("2024-03-01T12:30:00+0200", s, s) == 1709289000);
  CHECK(parse_timestamp("2024-03-01T12:30:00.250Z", s, ms) == 1709296200250);
  CHECK(parse_timestamp("1709296200", s, ms) == 1709296200000);
  CHECK(parse_timestamp("1709296200.25", s, ms) == 1709296200250);
  CHECK(parse_timestamp("-5", s, s) == -5);
  CHECK_THROWS_WITH(parse_timestamp("2023-02-29", s, s), Contains("day 29 is not in 1..28"));
  CHECK_THROWS_WITH(parse_timestamp("2024-03-01T24:00", s, s), Contains("hour 24"));
  CHECK_THROWS_WITH(parse_timestamp("yesterday", s, s), Contains("expected an epoch number or an ISO-8601 date"));
  CHECK(parse_time_unit("us") == TimeUnit::microseconds);
  CHECK_THROWS_WITH(parse_time_unit("sec"), "unknown time unit \"sec\" (known: s, ms, us, ns); did you mean 's'?");
  CHECK_THROWS_WITH(parse_timestamp("2024-3-01", s, s), Contains("expected 2 digits for the month"));
  CHECK_THROWS_WITH(parse_timestamp("99999999999999999999", s, s), Contains("64-bit range"));
  CHECK_THROWS_WITH(parse_timestamp("9223372036854775807", s, ms), Contains("representable range"));
  CHECK(parse_duration("90") == 90);
  CHECK(parse_duration("15m") == 900);
  CHECK(parse_duration("1.5h") == 5400);
  CHECK(parse_duration("30d") == 2592000);
  CHECK(parse_duration("2w") == 1209600);
  CHECK_THROWS_WITH(parse_duration("3 fortnights"), Contains("unknown unit"));
  CHECK_THROWS_AS(parse_duration("-1d"), InvalidArgument);
}

TEST_CASE("events CSV: a file grouped by journey streams, an interleaved one is read whole; same journeys", "[io]") {
  const std::string grouped =
      "journey_id,timestamp,touchpoint,conversion,value\n"
      "u1,1,a,0,\nu1,3,b,1,4.5\nu1,2,c,0,\nu1,9,a,0,\n"  // out of time order within u1; split after b
      "u2,5,c,0,\nu2,6,c,0,\n"
      "u3,7,b,1,2\n";
  const std::string interleaved =
      "journey_id,timestamp,touchpoint,conversion,value\n"
      "u1,1,a,0,\nu2,5,c,0,\nu1,3,b,1,4.5\nu3,7,b,1,2\nu1,2,c,0,\nu2,6,c,0,\nu1,9,a,0,\n";
  JourneyOptions o;
  o.gap = 100;
  BuildReport ra, rb;
  const JourneySet a = parse_events_csv(grouped, "g.csv", seconds_given(), o, &ra);
  const JourneySet b = parse_events_csv(interleaved, "i.csv", seconds_given(), o, &rb);
  REQUIRE(a.size() == 4);
  REQUIRE(b.size() == a.size());
  for (std::size_t j = 0; j < a.size(); ++j) {
    CHECK(a.path_string(j) == b.path_string(j));
    CHECK(a.conversions(j) == b.conversions(j));
    CHECK(a.value(j) == b.value(j));
    CHECK(std::vector<std::int64_t>(a.times(j).begin(), a.times(j).end()) ==
          std::vector<std::int64_t>(b.times(j).begin(), b.times(j).end()));
  }
  CHECK(a.path_string(0) == "a > c > b");  // time order: a(1) c(2) b(3), converts at b
  CHECK(a.path_string(1) == "a");
  CHECK(ra.rows == 7);
  CHECK(rb.rows == 7);
  CHECK(ra.reordered_events == 1);
  CHECK(ra.splits_at_conversion == 1);
  CHECK(ra.splits_at_conversion == rb.splits_at_conversion);
  CHECK(ra.duplicate_events == rb.duplicate_events);
  CHECK(MarkovModel::fit(a, ModelOptions{2}).probabilities() == MarkovModel::fit(b, ModelOptions{2}).probabilities());
}
