// Journeys from events: grouping, ordering and every JourneyOptions rule, each drop counted.

#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>

#include "journeygraph/attribution.hpp"
#include "journeygraph/error.hpp"
#include "journeygraph/io.hpp"
#include "journeygraph/samples.hpp"

using namespace journeygraph;
using Catch::Matchers::Contains;

namespace {

struct Events {
  std::vector<std::int64_t> journey, time;
  std::vector<std::uint32_t> tp;
  std::vector<std::uint8_t> conv;
  std::vector<double> value;
  std::vector<std::string> names{"a", "b", "c"};
  void add(std::int64_t j, std::int64_t t, std::uint32_t p, bool c = false, double v = 0) {
    journey.push_back(j);
    time.push_back(t);
    tp.push_back(p);
    conv.push_back(c ? 1 : 0);
    value.push_back(v);
  }
  EventArrays arrays() const {
    EventArrays a;
    a.journey = {journey.data(), journey.size()};
    a.time = {time.data(), time.size()};
    a.touchpoint = Span<const std::uint32_t>(tp.data(), tp.size());
    a.touchpoint_names = names;
    a.conversion = {conv.data(), conv.size()};
    a.value = {value.data(), value.size()};
    return a;
  }
};

std::vector<std::string> paths(const JourneySet& js) {
  std::vector<std::string> out;
  for (std::size_t j = 0; j < js.size(); ++j) out.push_back(js.path_string(j, ">") + (js.conversions(j) > 0 ? "+" : "-"));
  return out;
}

}  // namespace

TEST_CASE("events are grouped by journey in first-seen order and sorted by time, ties stable", "[journeys]") {
  Events e;
  e.add(7, 30, 2);
  e.add(3, 10, 0);
  e.add(7, 10, 0);
  e.add(3, 10, 1);  // tie with the earlier event of journey 3: keeps input order
  e.add(7, 20, 1, true, 9.5);
  BuildReport rep;
  JourneySet js = build_journeys(e.arrays(), {}, &rep);
  // Journey 7: a(10) b(20, converts) | c(30) starts a new journey.
  CHECK(paths(js) == std::vector<std::string>{"a>b+", "c-", "a>b-"});
  CHECK(js.value(0) == 9.5);
  CHECK(js.times(0)[0] == 10);
  CHECK(rep.rows == 5);
  CHECK(rep.journeys == 3);
  CHECK(rep.touches == 5);
  CHECK(rep.splits_at_conversion == 1);
  CHECK(rep.reordered_events == 1);  // journey 7: 30 then 10
  CHECK(js.touchpoints().size() == 3);
}

TEST_CASE("no split after conversion counts every conversion of the journey", "[journeys]") {
  Events e;
  e.add(1, 1, 0, true, 5);
  e.add(1, 2, 1);
  e.add(1, 3, 2, true, 7);
  JourneyOptions o;
  o.split_on_conversion = false;
  JourneySet js = build_journeys(e.arrays(), o);
  REQUIRE(js.size() == 1);
  CHECK(js.conversions(0) == 2);
  CHECK(js.nulls(0) == 0);
  CHECK(js.value(0) == 12);
  CHECK(js.path_string(0, ">") == "a>b>c");
}

TEST_CASE("gap, lookback, collapse and max touches", "[journeys]") {
  Events e;  // one journey: a(0) a(10) b(20) ... gap ... c(1000) b(1010) converts
  e.add(1, 0, 0);
  e.add(1, 10, 0);
  e.add(1, 20, 1);
  e.add(1, 1000, 2);
  e.add(1, 1010, 1, true, 3);
  SECTION("gap splits, the earlier part ends without conversion") {
    JourneyOptions o;
    o.gap = 500;
    BuildReport rep;
    JourneySet js = build_journeys(e.arrays(), o, &rep);
    CHECK(paths(js) == std::vector<std::string>{"a>a>b-", "c>b+"});
    CHECK(rep.splits_at_gap == 1);
  }
  SECTION("lookback drops touches older than W before the journey's end") {
    JourneyOptions o;
    o.lookback = 1000;  // end 1010: keeps t >= 10
    BuildReport rep;
    JourneySet js = build_journeys(e.arrays(), o, &rep);
    CHECK(paths(js) == std::vector<std::string>{"a>b>c>b+"});
    CHECK(rep.touches_dropped_lookback == 1);
  }
  SECTION("collapse repeats") {
    JourneyOptions o;
    o.collapse_repeats = true;
    BuildReport rep;
    JourneySet js = build_journeys(e.arrays(), o, &rep);
    CHECK(paths(js) == std::vector<std::string>{"a>b>c>b+"});
    CHECK(rep.repeats_collapsed == 1);
    CHECK(js.times(0)[0] == 0);  // the run keeps its first touch
  }
  SECTION("max touches keeps the most recent") {
    JourneyOptions o;
    o.max_touches = 2;
    BuildReport rep;
    JourneySet js = build_journeys(e.arrays(), o, &rep);
    CHECK(paths(js) == std::vector<std::string>{"c>b+"});
    CHECK(rep.touches_dropped_max_touches == 3);
  }
  SECTION("times drive the options but need not be stored") {
    JourneyOptions o;
    o.gap = 500;
    o.store_timestamps = false;
    JourneySet js = build_journeys(e.arrays(), o);
    CHECK(paths(js) == std::vector<std::string>{"a>a>b-", "c>b+"});
    CHECK_FALSE(js.has_timestamps());
    CHECK(js.times(0).empty());
    o.store_timestamps = true;
    JourneySet with_times = build_journeys(e.arrays(), o);
    CHECK(with_times.has_timestamps());
    CHECK(js.memory_bytes() + 8 * js.touch_count() <= with_times.memory_bytes());
  }
  SECTION("durations in seconds follow the time unit") {
    std::vector<std::int64_t> ms(e.time);
    for (auto& t : ms) t *= 1000;
    EventArrays a = e.arrays();
    a.time = {ms.data(), ms.size()};
    a.time_unit = TimeUnit::milliseconds;
    JourneyOptions o;
    o.gap = 500;
    CHECK(build_journeys(a, o).size() == 2);
  }
}

TEST_CASE("event array errors name the event and the value", "[journeys]") {
  Events e;
  e.add(1, 0, 0);
  e.add(1, 5, 1, true, 2);
  SECTION("code out of range") {
    e.tp[1] = 3;
    CHECK_THROWS_WITH(build_journeys(e.arrays()), Contains("event 1: touchpoint code 3 is outside [0, 3)"));
  }
  SECTION("negative pandas code") {
    std::vector<std::int8_t> codes{0, -1};
    EventArrays a = e.arrays();
    a.touchpoint = Span<const std::int8_t>(codes.data(), codes.size());
    CHECK_THROWS_WITH(build_journeys(a), Contains("event 1: touchpoint code -1"));
  }
  SECTION("length mismatch") {
    e.time.pop_back();
    CHECK_THROWS_WITH(build_journeys(e.arrays()), Contains("time has 1 entries but journey has 2"));
  }
  SECTION("conversion value") {
    e.value[1] = -4;
    CHECK_THROWS_WITH(build_journeys(e.arrays()), Contains("event 1: the conversion value -4"));
    e.value[1] = std::nan("");
    CHECK_THROWS_WITH(build_journeys(e.arrays()), Contains("NaN"));
  }
  SECTION("value on a non-conversion event is counted, not used") {
    e.value[0] = 4;
    BuildReport rep;
    JourneySet js = build_journeys(e.arrays(), {}, &rep);
    CHECK(rep.values_ignored == 1);
    CHECK(js.total_value() == 2);
  }
  SECTION("options that need timestamps") {
    EventArrays a = e.arrays();
    a.time = {};
    JourneyOptions o;
    o.gap = 10;
    CHECK_THROWS_WITH(build_journeys(a, o), Contains("gap needs timestamps"));
  }
  SECTION("duplicate names") {
    e.names = {"a", "a", "c"};
    CHECK_THROWS_WITH(build_journeys(e.arrays()), Contains("appears twice"));
  }
}

TEST_CASE("journeys from events and from the equivalent aggregated paths give identical models", "[journeys]") {
  EventTable ev = sample_events(4000, 11);
  JourneySet from_events = build_journeys(ev.arrays());
  const std::string file = "jg_test_equivalent_paths.csv";
  write_paths_csv(from_events, file);
  JourneySet from_paths = read_paths_csv(file);
  std::remove(file.c_str());
  CHECK(from_paths.size() < from_events.size());  // identical paths were merged
  CHECK(from_paths.total_conversions() == from_events.total_conversions());
  for (unsigned k : {1u, 2u, 3u}) {
    MarkovModel a = MarkovModel::fit(from_events, ModelOptions{k}), b = MarkovModel::fit(from_paths, ModelOptions{k});
    INFO("order " << k);
    CHECK(a.n_states() == b.n_states());
    CHECK(a.row_offsets() == b.row_offsets());
    CHECK(a.columns() == b.columns());
    CHECK(a.probabilities() == b.probabilities());
    CHECK(a.row_counts() == b.row_counts());
    CHECK(a.conversion_probability() == b.conversion_probability());
    RemovalEffects ra = removal_effects(a), rb = removal_effects(b);
    CHECK(ra.removal_effect == rb.removal_effect);
    CHECK(ra.conversions == rb.conversions);
    // Values went through a text file with per-path sums: equal to rounding.
    for (std::size_t t = 0; t < ra.value.size(); ++t) CHECK(std::abs(ra.value[t] - rb.value[t]) <= 1e-9 * ra.total_value);
  }
}

TEST_CASE("journey set slicing and segments", "[journeys]") {
  EventTable ev = sample_events(500, 3);
  JourneySet js = build_journeys(ev.arrays());
  REQUIRE(js.has_segments());
  CHECK(js.segments().names() == std::vector<std::string>{"desktop", "mobile"});
  JourneySet d = js.segment_subset(0), m = js.segment_subset(1);
  CHECK(d.size() + m.size() == js.size());
  JourneySet s = js.slice(10, 20);
  CHECK(s.size() == 20);
  CHECK(s.path_string(0) == js.path_string(10));
  CHECK_THROWS_AS(js.slice(js.size(), 1), InvalidArgument);
  CHECK(js.memory_bytes() > 0);
  // 12 bytes per touch with timestamps and 36 per journey: what the storage promises.
  CHECK(js.memory_bytes() <= 12 * js.touch_count() + 36 * js.size() + 4096 + js.memory_bytes() / 2);
}
