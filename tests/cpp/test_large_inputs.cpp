// Generated cases of the bad-input catalogue (tests/BAD_INPUTS.md, "G" rows): inputs too large to store,
// and constructs placed across the file reader's buffer boundary. Each is read from memory and, where the
// file reader matters, from a temporary file; the two must agree.

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include "chain_reference.hpp"
#include "journeygraph/attribution.hpp"
#include "journeygraph/error.hpp"
#include "journeygraph/io.hpp"
#include "test_files.hpp"

using namespace journeygraph;
using jgtest::TempFile;
using jgtest::Lcg;

namespace {

// The generated files use small epoch numbers (1, 2, i): the unit is given, as for such data it must be.
EventCsvOptions seconds_given() {
  EventCsvOptions o;
  o.time_format.integer_unit = TimeUnit::seconds;
  return o;
}

// The file reader's first read (its buffer size): records across this offset need a second read.
constexpr std::size_t kChunk = std::size_t(1) << 22;

void check_same(const JourneySet& a, const JourneySet& b) {
  REQUIRE(a.size() == b.size());
  CHECK(a.offsets() == b.offsets());
  CHECK(a.touchpoints().names() == b.touchpoints().names());
  CHECK(a.touches() == b.touches());
  CHECK(a.timestamps() == b.timestamps());
  CHECK(a.conversions_column() == b.conversions_column());
  CHECK(a.nulls_column() == b.nulls_column());
  CHECK(a.values_column() == b.values_column());
}

std::string error_of_events(const std::string& text, const std::string& file, const EventCsvOptions& o = seconds_given()) {
  try {
    if (file.empty()) parse_events_csv(text, "generated.csv", o);
    else read_events_csv(file, o);
  } catch (const ParseError& e) {
    std::string w = e.what();
    return w.substr(w.find(':'));  // without the file name, which differs
  }
  return "no error";
}

}  // namespace

TEST_CASE("G01 one journey of 1M touches", "[bad-inputs][large]") {
  const std::size_t n = 1000000;
  const char* names[] = {"search", "email", "display", "social", "video", "affiliate", "direct"};
  std::string text = "journey_id,timestamp,touchpoint,conversion,value\n";
  text.reserve(n * 24);
  Lcg rng{7};
  for (std::size_t i = 0; i < n; ++i)
    text += "long," + std::to_string(i) + "," + names[rng.next(7)] + ",0,\n";
  // A few short converting journeys so that there is something to attribute.
  text += "s1,1,search,0,\ns1,2,email,1,10\ns2,1,display,1,4\ns3,5,social,0,\ns3,6,search,1,1\n";
  TempFile file("one_journey_1m_touches.csv", text);
  BuildReport rep, rep_file;
  const JourneySet js = parse_events_csv(text, "generated.csv", seconds_given(), {}, &rep);
  check_same(js, read_events_csv(file.path, seconds_given(), {}, &rep_file));
  CHECK(rep.rows == n + 5);
  CHECK(rep.journeys == 4);
  CHECK(rep.touches == n + 5);
  CHECK(rep_file.touches == rep.touches);
  CHECK(js.path(0).size() == n);
  // P(conversion) to 1e-12: the solve works on the counts themselves and refines its answer, so this chain,
  // which almost never leaves its cycle of 7 states, loses no digits.
  jgtest::check_against_reference(js, 1, SelfLoops::drop, 1e-12);
  jgtest::check_against_reference(js, 3, SelfLoops::drop, 1e-12);
}

TEST_CASE("G02 1M distinct touchpoints", "[bad-inputs][large]") {
  // Row i: "t<i> > hub" with i % 3 == 0 converting. START -> t_i -> hub -> end, so P(conversion) is the
  // converting weight over the total weight, and first-touch credits t_i with its own conversions.
  const std::size_t n = 1000000;
  std::string text = "path,total_conversions,total_null\n";
  text.reserve(n * 24);
  double conv = 0, weight = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const int c = i % 3 == 0 ? 1 : 0;
    text += "t" + std::to_string(i) + " > hub," + std::to_string(c) + ",1\n";
    conv += c;
    weight += c + 1;
  }
  const JourneySet js = parse_paths_csv(text);
  CHECK(js.touchpoints().size() == n + 1);
  const MarkovModel m = MarkovModel::fit(js);
  CHECK(m.n_states() == n + 2);
  // To 1e-12: the 1M inflows of "hub" are compensated sums.
  CHECK(jgtest::close(m.conversion_probability(), conv / weight, 1e-12));
  AttributionOptions o;
  o.models = {AttributionModel::first_touch};
  const AttributionResult r = attribute(js, o);
  REQUIRE(r.touchpoints.size() == n + 1);
  const ModelAttribution* first = r.find(AttributionModel::first_touch);
  std::size_t wrong = 0;
  for (std::size_t t = 0; t < r.touchpoints.size(); ++t) {
    const std::string& name = r.touchpoints[t];
    const double want = name == "hub" ? 0.0 : (std::stoul(name.substr(1)) % 3 == 0 ? 1.0 : 0.0);
    wrong += first->conversions[t] != want;
  }
  CHECK(wrong == 0);
}

TEST_CASE("G03 a field of exactly max_field_bytes is read; one byte more is an error", "[bad-inputs][large]") {
  const std::size_t limit = CsvFormat().max_field_bytes;
  const std::string header = "journey_id,timestamp,touchpoint\n";
  const std::string at_limit = header + "1,1," + std::string(limit, 'a') + "\n";
  const std::string over = header + "1,1,\"" + std::string(limit + 1, 'b') + "\"\n";
  TempFile f1("field_at_limit.csv", at_limit), f2("field_over_limit.csv", over);
  const JourneySet js = read_events_csv(f1.path, seconds_given());
  CHECK(js.touchpoints().name(0).size() == limit);
  check_same(js, parse_events_csv(at_limit, "<memory>", seconds_given()));
  const std::string want = ":2:5: field 'touchpoint': field longer than " + std::to_string(limit) +
                           " bytes (max_field_bytes); it starts with \"\\\"" + std::string(39, 'b') + "\"";
  CHECK(error_of_events(over, "") == want);
  CHECK(error_of_events(over, f2.path) == want);
}

TEST_CASE("G04 a path row of 1M touches needs a larger max_field_bytes", "[bad-inputs][large]") {
  const std::size_t n = 1000000;
  std::string path;
  path.reserve(n * 6);
  Lcg rng{11};
  for (std::size_t i = 0; i < n; ++i) path += (i ? ">c" : "c") + std::to_string(rng.next(10));
  const std::string text = "path,total_conversions,total_null\n" + path + ",1,0\nc1 > c2,0,3\n";
  try {
    parse_paths_csv(text, "long_path.csv");
    FAIL("no ParseError");
  } catch (const ParseError& e) {
    CHECK(e.line() == 2);
    CHECK(e.column() == 1);
    CHECK(std::string(e.what()) == "long_path.csv:2:1: field 'path': field longer than 1048576 bytes (max_field_bytes); "
                                   "it starts with \"" + path.substr(0, 40) + "\"");
  }
  PathCsvOptions o;
  o.csv.max_field_bytes = path.size();
  BuildReport rep;
  const JourneySet js = parse_paths_csv(text, "long_path.csv", o, &rep);
  CHECK(rep.touches == n + 2);
  CHECK(js.path(0).size() == n);
  // As in G01, P(conversion) to 1e-12.
  jgtest::check_against_reference(js, 1, SelfLoops::drop, 1e-12);
  jgtest::check_against_reference(js, 2, SelfLoops::keep, 1e-12);
}

TEST_CASE("G05 constructs across the file reader's buffer boundary", "[bad-inputs][large]") {
  // Filler rows up to `at` bytes, then a construct that starts there; for several offsets around the end of
  // the first read, the file reader must see what the in-memory reader sees.
  const std::string header = "journey_id,timestamp,touchpoint,conversion,value\r\n";
  const std::vector<std::string> constructs = {
      "2,5,\"q\"\"uote\r\nline\",0,\r\n3,6,after,1,1\r\n",  // escaped quote and CRLF inside quotes
      "2,5,caf\xC3\xA9,1,2\r\n",                               // a two-byte UTF-8 character
      "2,5,ok,0,\r\n\r\n\r\n3,6,x,1,1\r\n",                   // blank CRLF lines
      std::string("2,5,bad") + '\0' + "byte,0,\r\n",                 // a NUL byte (error)
      "2,5,\"x\"y,0,\r\n3,6,z,1,1\r\n",                        // text after a quote (error, skippable)
  };
  // Long filler rows keep the row count (and the time under sanitizers) down.
  const std::string fill(200, 'f');
  for (std::size_t c = 0; c < constructs.size(); ++c) {
    for (std::size_t back : {0, 1, 2, 5}) {
      const std::size_t at = kChunk - back;
      std::string text = header;
      std::size_t i = 0;
      while (text.size() < at - 300) text += "1," + std::to_string(i++) + "," + fill + ",0,\r\n";
      // The last filler row pads exactly to `at`.
      std::string last = "1," + std::to_string(i) + ",";
      const std::size_t pad = at - text.size() - last.size() - std::string(",0,\r\n").size();
      text += last + std::string(pad, 'p') + ",0,\r\n";
      REQUIRE(text.size() == at);
      text += constructs[c];
      INFO("construct " << c << " at offset " << at);
      TempFile file("boundary.csv", text);
      for (bool skip : {false, true}) {
        EventCsvOptions o = seconds_given();
        o.csv.skip_bad_rows = skip;
        const std::string mem_error = error_of_events(text, "", o);
        CHECK(mem_error == error_of_events(text, file.path, o));
        if (mem_error != "no error") continue;
        if (skip && c < 3) continue;  // nothing to skip in the constructs that are not errors
        BuildReport a, b;
        check_same(parse_events_csv(text, "generated.csv", o, {}, &a), read_events_csv(file.path, o, {}, &b));
        CHECK(a.rows == b.rows);
        CHECK(a.rows_skipped == b.rows_skipped);
        CHECK(a.blank_lines == b.blank_lines);
        CHECK(a.touches == b.touches);
      }
    }
  }
}
