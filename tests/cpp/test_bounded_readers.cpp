// Readers that refuse what they cannot read right, in bounded time and memory: the stages reader (duplicate
// columns, unsorted files of many lines, a stage column that is no stage column), model and counts files
// checked by their header before any large read (a directory, /dev/zero, a large file that is no model), and
// the synthetic generator, which never cuts journeys it was asked to make long.

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "journeygraph/error.hpp"
#include "journeygraph/io.hpp"
#include "journeygraph/journey_map.hpp"
#include "journeygraph/markov.hpp"
#include "journeygraph/samples.hpp"
#include "test_files.hpp"

using namespace journeygraph;
using jgtest::TempFile;

namespace {

template <class E, class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  }
  FAIL("the expected error was not thrown");
  return {};
}

}  // namespace

TEST_CASE("S01 a stages file with a duplicated column is refused", "[bad-inputs][stages]") {
  const std::string text = "touchpoint,stage,stage\nsearch,awareness,purchase\n";
  const ParseError e = [&] {
    try {
      parse_stages_csv(text, "st.csv");
    } catch (const ParseError& x) {
      return x;
    }
    FAIL("accepted");
    throw;
  }();
  CHECK(std::string(e.what()) == "st.csv:1:18: field 'stage': column 'stage' appears twice (fields 2 and 3)");
  CHECK(e.value() == "stage");
  CHECK_THROWS_WITH(parse_stages_csv("touchpoint,touchpoint,stage\na,b,c\n", "st.csv"),
                    "st.csv:1:12: field 'touchpoint': column 'touchpoint' appears twice (fields 1 and 2)");
}

TEST_CASE("S02 an unsorted stages file of many lines is read whole and right", "[bad-inputs][stages]") {
  // 200,000 touchpoints in descending name order: each row used to be inserted at the front of a sorted vector.
  const std::size_t n = 200000;
  std::string text = "touchpoint,stage\n";
  for (std::size_t i = n; i-- > 0;) text += "tp" + std::to_string(1000000 + i) + "," + (i % 3 ? "consideration" : "awareness") + "\n";
  const StageMap m = parse_stages_csv(text, "big.csv");
  REQUIRE(m.assignments().size() == n);
  CHECK(m.stages() == std::vector<std::string>{"consideration", "awareness"});  // order of first appearance
  for (std::size_t i : {std::size_t(0), std::size_t(1), n / 2, n - 1})
    CHECK(m.stage_of("tp" + std::to_string(1000000 + i)) == std::optional<std::uint32_t>(i % 3 ? 0u : 1u));
  for (std::size_t i = 1; i < n; ++i) REQUIRE(m.assignments()[i - 1].first < m.assignments()[i].first);
}

TEST_CASE("S03 more than 1000 distinct stages: the stage column is named as the likely mistake", "[bad-inputs][stages]") {
  std::string text = "touchpoint,stage\n";
  for (int i = 0; i < 1001; ++i) text += "tp" + std::to_string(i) + ",s" + std::to_string(i) + "\n";
  CHECK_THROWS_WITH(parse_stages_csv(text, "ids.csv"),
                    "ids.csv:1002:8: field 'stage': more than 1000 distinct stages: is 'stage' the stage column?");
  text.resize(text.rfind("tp1000"));
  CHECK(parse_stages_csv(text, "ids.csv").size() == 1000);
}

TEST_CASE("M01 a directory given as a model file is an IoError naming it", "[bad-inputs][model-file]") {
  const std::string dir = std::string(JG_TEST_TMP_DIR);
  CHECK(error_of<IoError>([&] { MarkovModel::load(dir); }) == "cannot read " + dir + ": Is a directory");
  CHECK(error_of<IoError>([&] { TransitionCounts::load(dir); }) == "cannot read " + dir + ": Is a directory");
  CHECK(error_of<IoError>([&] { MarkovModel::load(dir + "/none.jgm"); }) ==
        "cannot open " + dir + "/none.jgm: No such file or directory");
}

TEST_CASE("M02 /dev/zero and a large file that is no model are refused by the header alone", "[bad-inputs][model-file]") {
  // /dev/zero never ends: reading it whole used to grow to gigabytes before the magic was checked.
  CHECK(error_of<ParseError>([] { MarkovModel::load("/dev/zero"); }) ==
        "/dev/zero: byte 8: not a journeygraph model or counts file (bad magic)");
  // 64 MiB of CSV text: the same message after 24 bytes.
  std::string csv = "path,total_conversions\n";
  while (csv.size() < (std::size_t(64) << 20)) csv += "search > email > display,3\n";
  const TempFile f("not_a_model.csv", csv);
  CHECK(error_of<ParseError>([&] { MarkovModel::load(f.path); }) ==
        f.path + ": byte 8: not a journeygraph model or counts file (bad magic)");
}

TEST_CASE("M03 a model file whose declared size differs from the file's is refused with both sizes", "[bad-inputs][model-file]") {
  JourneySetBuilder b;
  b.add({"a", "b"}, 1, 2);
  b.add({"b"}, 0, 1);
  const MarkovModel m = MarkovModel::fit(b.finish(), {});
  const std::string bytes = m.to_bytes();
  const TempFile cut("cut.jgm", bytes.substr(0, bytes.size() - 3));
  CHECK(error_of<ParseError>([&] { MarkovModel::load(cut.path); }) ==
        cut.path + ": byte 24: truncated: the payload of " + std::to_string(bytes.size() - 32) +
            " bytes and its checksum run past the end (" + std::to_string(bytes.size() - 3) + " bytes)");
  const TempFile longer("longer.jgm", bytes + "x");
  CHECK_THAT(error_of<ParseError>([&] { MarkovModel::load(longer.path); }),
             Catch::Matchers::EndsWith("unexpected bytes after the checksum"));
  const TempFile whole("whole.jgm", bytes);
  CHECK(MarkovModel::load(whole.path).to_bytes() == bytes);
}

TEST_CASE("G06 the generator makes long journeys as long as asked, never cut", "[bad-inputs][generate]") {
  SyntheticOptions o;
  o.journeys = 20000;
  o.mean_touches = 100;
  o.seed = 7;
  const EventTable ev = synthetic_events(o);
  // Mean length: events / journeys. The geometric length has a standard deviation of about 99.5, so the mean
  // of 20,000 has a standard error of 0.7; a cut at 200 touches gave about 85.
  const double mean = double(ev.size()) / double(o.journeys);
  CHECK(std::fabs(mean - 100.0) < 3.5);
  std::size_t longest = 0, run = 0;
  for (std::size_t i = 0; i < ev.size(); ++i) {
    run = (i > 0 && ev.journey[i] == ev.journey[i - 1]) ? run + 1 : 1;
    longest = std::max(longest, run);
  }
  CHECK(longest > 200);
  o.mean_touches = 2e6;
  CHECK_THROWS_WITH(synthetic_events(o), "mean_touches must be at most 1000000");
}
