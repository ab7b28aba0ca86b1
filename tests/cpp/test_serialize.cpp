// Saved counts and models: exact round trips, and rejection of every truncation and single-bit flip.

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "journeygraph/attribution.hpp"
#include "journeygraph/error.hpp"
#include "journeygraph/io.hpp"
#include "journeygraph/samples.hpp"

using namespace journeygraph;
using Catch::Matchers::Contains;

TEST_CASE("counts and models round-trip bit for bit", "[serialize]") {
  JourneySet js = build_journeys(sample_events(2000, 5).arrays());
  for (unsigned k : {1u, 3u}) {
    for (SelfLoops loops : {SelfLoops::drop, SelfLoops::keep}) {
      TransitionCounts c = TransitionCounts::count(js, k, loops);
      TransitionCounts back = TransitionCounts::from_bytes(c.to_bytes());
      CHECK(back == c);
      MarkovModel m = MarkovModel::fit(c, 0.25);
      const std::string file = "jg_test_model_" + std::to_string(k) + ".jgm";
      m.save(file);
      MarkovModel loaded = MarkovModel::load(file);
      std::remove(file.c_str());
      CHECK(loaded.smoothing() == 0.25);
      CHECK(loaded.probabilities() == m.probabilities());
      CHECK(loaded.conversion_probability() == m.conversion_probability());
      RemovalEffects a = removal_effects(m), b = removal_effects(loaded);
      CHECK(a.removal_effect == b.removal_effect);
      CHECK(a.value == b.value);
    }
  }
  // Merging loaded partial counts is still exact.
  TransitionCounts p1 = TransitionCounts::from_bytes(TransitionCounts::count(js.slice(0, 700), 2).to_bytes());
  p1.merge(TransitionCounts::from_bytes(TransitionCounts::count(js.slice(700, js.size() - 700), 2).to_bytes()));
  CHECK(p1 == TransitionCounts::count(js, 2));
}

TEST_CASE("every truncation and every single-bit flip is rejected", "[serialize]") {
  JourneySetBuilder b;
  b.add({"a", "b", "c"}, 2, 1, 7.5);
  b.add({"b", "a"}, 0, 3, 0);
  const std::string bytes = MarkovModel::fit(b.finish(), ModelOptions{2}).to_bytes();
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    INFO("prefix of " << n << " bytes");
    CHECK_THROWS_AS(MarkovModel::from_bytes(bytes.substr(0, n), "m.jgm"), ParseError);
  }
  std::size_t rejected = 0;
  for (std::size_t i = 0; i < bytes.size(); ++i)
    for (int bit = 0; bit < 8; ++bit) {
      std::string bad = bytes;
      bad[i] = static_cast<char>(bad[i] ^ (1 << bit));
      try {
        MarkovModel::from_bytes(bad, "m.jgm");
      } catch (const ParseError&) {
        ++rejected;
      }
    }
  CHECK(rejected == bytes.size() * 8);
  CHECK_THROWS_WITH(MarkovModel::from_bytes(bytes + "x", "m.jgm"), Contains("m.jgm: byte"));
  std::string newer = bytes;
  newer[8] = 2;
  CHECK_THROWS_WITH(MarkovModel::from_bytes(newer, "m.jgm"), Contains("format version 2 is newer than this library reads"));
  std::string flipped = bytes;
  flipped[40] = static_cast<char>(flipped[40] ^ 4);
  CHECK_THROWS_WITH(MarkovModel::from_bytes(flipped, "m.jgm"), Contains("checksum mismatch"));
  CHECK_THROWS_WITH(MarkovModel::from_bytes("hello, world", "m.jgm"), Contains("bad magic"));
  const std::string counts = TransitionCounts::count(b.finish(), 1).to_bytes();
  CHECK_THROWS_WITH(MarkovModel::from_bytes(counts, "c.jgm"), Contains("holds transition counts, not a model"));
  CHECK_THROWS_AS(MarkovModel::load("/nonexistent/m.jgm"), IoError);
  CHECK_THROWS_AS(MarkovModel().to_bytes(), StateError);
}

namespace {
// A hand-made counts or model file of order 1 (the layout of src/markov/serialize.cpp): touchpoints, edges as
// (from, to, count) with from = -1 for START, and per state its conversions and nulls. Totals: the ends.
std::string handmade_file(std::uint32_t kind, double smoothing, const std::vector<std::string>& touchpoints,
                          const std::vector<std::tuple<int, int, double>>& edges,
                          const std::vector<std::pair<double, double>>& ends) {
  std::string p;
  auto u8 = [&](unsigned v) { p.push_back(static_cast<char>(v)); };
  auto u32 = [&](std::uint32_t v) { for (int i = 0; i < 4; ++i) u8((v >> (8 * i)) & 0xFF); };
  auto u64 = [&](std::uint64_t v) { for (int i = 0; i < 8; ++i) u8((v >> (8 * i)) & 0xFF); };
  // Non-negative integers below 2^64 as 192-bit fixed point (128 fraction bits): words 0, 0, the integer.
  auto sum = [&](double x) { u64(0); u64(0); u64(static_cast<std::uint64_t>(x)); };
  u32(1);
  u8(0);
  std::uint64_t sbits;
  std::memcpy(&sbits, &smoothing, 8);
  u64(sbits);
  u32(static_cast<std::uint32_t>(touchpoints.size()));
  for (const auto& t : touchpoints) {
    u32(static_cast<std::uint32_t>(t.size()));
    p += t;
  }
  u64(touchpoints.size());  // one state per touchpoint
  for (std::size_t s = 0; s < touchpoints.size(); ++s) u8(1);
  for (std::size_t s = 0; s < touchpoints.size(); ++s) u32(static_cast<std::uint32_t>(s));
  u64(edges.size());
  for (const auto& e : edges) {
    u32(static_cast<std::uint32_t>(std::get<0>(e)));
    u32(static_cast<std::uint32_t>(std::get<1>(e)));
  }
  u64(3 * (edges.size() + 3 * ends.size() + 4));
  for (const auto& e : edges) sum(std::get<2>(e));
  double conv = 0, nulls = 0;
  for (const auto& e : ends) {
    sum(e.first);
    conv += e.first;
  }
  for (const auto& e : ends) {
    sum(e.second);
    nulls += e.second;
  }
  for (std::size_t s = 0; s < ends.size(); ++s) sum(0);
  sum(conv + nulls);
  sum(conv);
  sum(nulls);
  sum(0);
  u64(0);
  u64(1);
  std::uint64_t crc = ~0ULL;  // CRC-64/ECMA-182, reflected
  for (unsigned char c : p) {
    crc ^= c;
    for (int k = 0; k < 8; ++k) crc = (crc & 1) ? (crc >> 1) ^ 0xC96C5795D7870F42ULL : crc >> 1;
  }
  crc = ~crc;
  std::string out("\x89JGM\r\n\x1a\n", 8);
  auto put = [&](std::uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
  };
  put(1, 4);
  put(kind, 4);
  put(p.size(), 8);
  out += p;
  put(crc, 8);
  return out;
}
}  // namespace

// Found by fuzzing (tests/fuzz/crashes/model_file/): a file with a valid checksum but counts no journeys can
// make, e.g. states that are entered but never lead to conversion or null. With smoothing the fit accepted
// it (the smoothing is the only way out), and removal_effects then failed on a singular chain; and counts that
// are connected but no flow, whose chain was too ill-conditioned to solve.
TEST_CASE("counts that no journeys can make are refused when loading", "[serialize]") {
  // Sound: START -> a -> b, b ends with 1 conversion and 1 null.
  const std::string good = handmade_file(2, 0.5, {"a", "b"}, {{-1, 0, 2}, {0, 1, 2}}, {{0, 0}, {1, 1}});
  const MarkovModel m = MarkovModel::from_bytes(good, "good.jgm");
  CHECK(m.conversion_probability() > 0);
  CHECK(m.conversion_probability() < 1);
  for (double r : removal_effects(m).removal_effect) CHECK(std::isfinite(r));
  CHECK(TransitionCounts::from_bytes(good).n_states() == 2);
  // A closed cycle: a <-> b, nothing ends.
  const std::string cycle = handmade_file(2, 0.5, {"a", "b"}, {{-1, 0, 1}, {0, 1, 1}, {1, 0, 1}}, {{0, 0}, {0, 0}});
  CHECK_THROWS_WITH(MarkovModel::from_bytes(cycle, "cycle.jgm"),
                    Contains("cycle.jgm") && Contains("inconsistent counts: journeys through state a never end"));
  CHECK_THROWS_AS(TransitionCounts::from_bytes(cycle), ParseError);
  // b is never entered from the start.
  const std::string orphan = handmade_file(2, 0, {"a", "b"}, {{-1, 0, 1}}, {{1, 0}, {0, 1}});
  CHECK_THROWS_WITH(MarkovModel::from_bytes(orphan, "orphan.jgm"),
                    Contains("inconsistent counts: no journey from the start enters state b"));
  // A way out through an edge of count 0 only does not count.
  const std::string dead = handmade_file(1, 0, {"a", "b"}, {{-1, 0, 3}, {0, 1, 0}}, {{0, 0}, {1, 0}});
  CHECK_THROWS_WITH(TransitionCounts::from_bytes(dead, "dead.jgm"), Contains("inconsistent counts"));
  // Connected but not a flow: 5 enter a, 2 leave it (the second reproducer in crashes/ made a chain so
  // ill-conditioned that the solve gave P = 0 and an expected value of -1e285).
  const std::string leak = handmade_file(2, 0, {"a", "b"}, {{-1, 0, 2}, {0, 1, 5}}, {{0, 0}, {1, 1}});
  CHECK_THROWS_WITH(MarkovModel::from_bytes(leak, "leak.jgm"),
                    Contains("inconsistent counts: the weight entering state a differs from the weight leaving it"));
  const std::string more = handmade_file(2, 0, {"a"}, {{-1, 0, 5}}, {{1, 1}});  // journeys' total is 2
  CHECK_THROWS_WITH(MarkovModel::from_bytes(more, "more.jgm"),
                    Contains("inconsistent counts: the start sends out a weight other than the journeys' total"));
  // A flow, but circulating 2^40 times the journeys through a <-> b: the row totals round the exits away
  // (the third reproducer: a self-loop of 8e18 against exits of 38 gave an expected value of -1.8e10).
  const double big = 0x1p40;
  const std::string spin = handmade_file(2, 0, {"a", "b"}, {{-1, 0, 1}, {0, 1, big}, {1, 0, big - 1}}, {{0, 0}, {1, 0}});
  CHECK_THROWS_WITH(MarkovModel::from_bytes(spin, "spin.jgm"), Contains("weigh more than 2^32 times the journeys"));
  // The same cycle behind a large unrelated branch: 1024 journeys go START -> c -> NULL, so the transitions
  // weigh less than 2^32 times all journeys, but the cycle a <-> b, entered by a weight of 1, still circulates
  // 2^41 (the bound holds per strongly connected component).
  const std::string hidden = handmade_file(2, 0, {"a", "b", "c"},
                                           {{-1, 0, 1}, {-1, 2, 1024}, {0, 1, big}, {1, 0, big - 1}},
                                           {{0, 0}, {1, 0}, {0, 1024}});
  CHECK_THROWS_WITH(MarkovModel::from_bytes(hidden, "hidden.jgm"),
                    Contains("hidden.jgm") && Contains("cycle weigh more than 2^32 times the journeys entering it"));
  // With the cycle's circulation within the bound (2^31 per journey entering it), the file loads.
  const double fair = 0x1p31;
  const std::string busy = handmade_file(2, 0, {"a", "b", "c"},
                                         {{-1, 0, 1}, {-1, 2, 1024}, {0, 1, fair}, {1, 0, fair - 1}},
                                         {{0, 0}, {1, 0}, {0, 1024}});
  CHECK(MarkovModel::from_bytes(busy, "busy.jgm").conversion_probability() == Approx(1.0 / 1025.0).epsilon(1e-9));
  const std::string self = handmade_file(2, 0, {"a"}, {{-1, 0, 2}, {0, 0, 3}}, {{1, 1}});
  CHECK_THROWS_WITH(MarkovModel::from_bytes(self, "self.jgm"), Contains("transitions to itself, but self-loops are dropped"));
  const std::string start = handmade_file(2, 0, {"a"}, {{-1, 0, 2}}, {{1, 1}});
  CHECK(MarkovModel::from_bytes(start).conversion_probability() == 0.5);
}
