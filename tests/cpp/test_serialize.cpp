// Saved counts and models: exact round trips, and rejection of every truncation and single-bit flip.

#include <catch2/catch.hpp>
#include <cstdio>

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
