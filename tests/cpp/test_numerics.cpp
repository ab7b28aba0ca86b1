// Numerical robustness through the public API: unreachable conversion, dead-end states, probabilities near
// 0 and 1, and cycles of 10^4 states (order 1 with self-loops dropped or kept, and a long order-4 cycle).
// Every answer is finite and checked against an independent solve (chain_reference.hpp) to 1e-12, and
// P(conversion) also against the exact share of converting weight (the fitted counts are a flow).

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "chain_reference.hpp"
#include "journeygraph/attribution.hpp"
#include "journeygraph/error.hpp"
#include "journeygraph/io.hpp"

using namespace journeygraph;

namespace {

JourneySet journeys_of(const std::vector<jgtest::RefJourney>& js) {
  JourneySetBuilder b;
  for (const auto& j : js) b.add(j.path, j.conversions, j.nulls, j.value);
  return b.finish();
}

double converting_share(const JourneySet& js) {
  return js.total_conversions() / (js.total_conversions() + js.total_nulls());
}

// Model, removal effects and credits against the O(states) solver for chains of single successors.
void check_functional(const JourneySet& js, unsigned order, SelfLoops loops, bool with_removal) {
  ModelOptions o;
  o.order = order;
  o.self_loops = loops;
  const MarkovModel m = MarkovModel::fit(js, o);
  const auto ref =
      jgtest::functional_reference_attribution(jgtest::ref_journeys(js), order, loops == SelfLoops::keep, with_removal);
  CHECK(m.n_states() == ref.transient_states);
  INFO(std::setprecision(17) << "P(conversion) " << m.conversion_probability() << ", reference "
                              << ref.conversion_probability << ", share " << converting_share(js));
  CHECK(jgtest::close(ref.conversion_probability, converting_share(js), 1e-12));
  CHECK(jgtest::close(m.conversion_probability(), ref.conversion_probability, 1e-12));
  CHECK(jgtest::close(m.expected_value(), ref.expected_value, 1e-12));
  if (!with_removal) return;
  const RemovalEffects re = removal_effects(m);
  REQUIRE(re.touchpoints == ref.touchpoints);
  for (std::size_t t = 0; t < re.touchpoints.size(); ++t) {
    INFO("touchpoint " << re.touchpoints[t] << ": " << re.removal_effect[t] << " vs " << ref.removal_effect[t]);
    CHECK(jgtest::close(re.conversion_probability_without[t], ref.conversion_probability_without[t], 1e-12,
                        ref.conversion_probability));
    CHECK(jgtest::close(re.removal_effect[t], ref.removal_effect[t], 1e-12, 1.0));
    CHECK(jgtest::close(re.removal_effect_value[t], ref.removal_effect_value[t], 1e-12, 1.0));
    CHECK(jgtest::close(re.conversions[t], ref.conversions[t], 1e-12, ref.total_conversions));
  }
}

// The cyclic de Bruijn sequence over k symbols in which every n-gram appears once (Lyndon words of length
// dividing n, concatenated in order).
std::vector<int> de_bruijn(int k, int n) {
  std::vector<int> a(std::size_t(k * n), 0), seq;
  std::function<void(int, int)> gen = [&](int t, int p) {
    if (t > n) {
      if (n % p == 0)
        for (int j = 1; j <= p; ++j) seq.push_back(a[std::size_t(j)]);
      return;
    }
    a[std::size_t(t)] = a[std::size_t(t - p)];
    gen(t + 1, p);
    for (int j = a[std::size_t(t - p)] + 1; j < k; ++j) {
      a[std::size_t(t)] = j;
      gen(t + 1, t);
    }
  };
  gen(1, 1);
  return seq;
}

}  // namespace

TEST_CASE("N01 conversion unreachable: P = 0 exactly, attribution refused", "[numerics]") {
  // Cycles and dead ends, but no journey converts.
  const JourneySet js = journeys_of({{{"a", "b", "a", "b", "c"}, 0, 3, 0}, {{"b", "a"}, 0, 1, 0}, {{"c"}, 0, 2, 0}});
  for (unsigned order : {1u, 2u}) {
    ModelOptions o;
    o.order = order;
    const MarkovModel m = MarkovModel::fit(js, o);
    CHECK(m.conversion_probability() == 0.0);
    CHECK(m.expected_value() == 0.0);
    for (const auto& t : m.transitions()) {
      CHECK(std::isfinite(t.probability));
      CHECK(t.to != "(conversion)");
    }
    CHECK(jgtest::dense_model_conversion_probability(m) == 0.0);
    CHECK_THROWS_AS(removal_effects(m), DataError);
  }
  CHECK_THROWS_AS(attribute(js), DataError);
}

TEST_CASE("N02 conversion unreachable from part of the chain: those touchpoints earn nothing", "[numerics]") {
  // x and y are only on journeys that never convert and share no state with converting ones.
  const JourneySet js = journeys_of({{{"a", "b"}, 2, 1, 4}, {{"b"}, 1, 1, 1}, {{"x", "y", "x"}, 0, 5, 0}, {{"y"}, 0, 1, 0}});
  jgtest::check_against_reference(js, 1);
  const RemovalEffects re = removal_effects(MarkovModel::fit(js));
  for (std::size_t t = 0; t < re.touchpoints.size(); ++t)
    if (re.touchpoints[t] == "x" || re.touchpoints[t] == "y") {
      CHECK(re.removal_effect[t] == 0.0);
      CHECK(re.conversions[t] == 0.0);
    }
}

TEST_CASE("N03 a state whose only data ends the journey", "[numerics]") {
  // "end" is never followed by anything: its row is CONVERSION and NULL only. "stuck" repeats itself and
  // ends (a self-loop when kept).
  const JourneySet js = journeys_of({{{"a", "end"}, 1, 0, 3}, {{"a", "b", "end"}, 0, 2, 0},
                                     {{"b", "stuck", "stuck", "stuck"}, 1, 1, 2}});
  for (unsigned order : {1u, 2u, 3u}) {
    jgtest::check_against_reference(js, order, SelfLoops::drop);
    jgtest::check_against_reference(js, order, SelfLoops::keep);
  }
  const MarkovModel m = MarkovModel::fit(js);
  for (std::size_t t = 0; t < m.touchpoints().size(); ++t)
    CHECK(jgtest::close(jgtest::dense_model_conversion_probability(m, long(t)),
                        removal_effects(m).conversion_probability_without[t], 1e-12, 1.0));
}

TEST_CASE("N04 probabilities near 0: one conversion in 1e9 weight", "[numerics]") {
  const JourneySet js = journeys_of({{{"a", "b"}, 1, 999999999 - 4, 5}, {{"b", "c", "a"}, 0, 4, 0}});
  CHECK(js.total_conversions() + js.total_nulls() == 1e9);
  const MarkovModel m = MarkovModel::fit(js);
  CHECK(jgtest::close(m.conversion_probability(), 1e-9, 1e-12));
  for (unsigned order : {1u, 2u}) jgtest::check_against_reference(js, order);
  // Weights far below 1 are weights like any other, down to 2^-64; below that they are refused (they could
  // not be summed exactly).
  const JourneySet tiny = journeys_of({{{"a", "b"}, 1e-15, 1, 1e-15}, {{"b", "a"}, 0, 3e-19, 0}});
  CHECK(jgtest::close(MarkovModel::fit(tiny).conversion_probability(), converting_share(tiny), 1e-12));
  jgtest::check_against_reference(tiny, 1);
  CHECK_THROWS_WITH(journeys_of({{{"a", "b"}, 1e-300, 1, 0}}),
                    "journey 0: conversions 1e-300 is too small (non-zero weights and values must be at least 2^-64)");
}

TEST_CASE("N05 probabilities near 1: one non-conversion in 1e9 weight", "[numerics]") {
  const JourneySet js = journeys_of({{{"a", "b"}, 999999999 - 7, 1, 3}, {{"b", "c", "a", "b"}, 7, 0, 7}});
  const MarkovModel m = MarkovModel::fit(js);
  CHECK(jgtest::close(m.conversion_probability(), 1.0 - 1e-9, 1e-12));
  CHECK(m.conversion_probability() < 1.0);
  for (unsigned order : {1u, 2u}) jgtest::check_against_reference(js, order);
}

TEST_CASE("N06 a state that almost never exits: 1 exit in 1e9 passes", "[numerics]") {
  // a <-> b visited 1e9 times by one heavy journey; the exits are the light journeys' ends.
  std::vector<std::string> loop;
  for (int i = 0; i < 2000; ++i) loop.push_back(i % 2 ? "b" : "a");
  const JourneySet js = journeys_of({{loop, 0, 5e5, 0}, {{"a", "c"}, 1, 0, 1}, {{"b"}, 1, 1, 2}});
  jgtest::check_against_reference(js, 1);
  jgtest::check_against_reference(js, 2, SelfLoops::keep);
}

TEST_CASE("N07 10^4 touchpoints in one order-1 cycle, self-loops dropped and kept", "[numerics][large]") {
  // Journeys run around c00000 -> c00001 -> ... -> c09999 -> c00000 two to three times, some repeating a
  // touchpoint (a self-loop when kept), and end at different places.
  const std::size_t n = 10000;
  std::vector<std::string> names(n);
  for (std::size_t i = 0; i < n; ++i) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "c%05zu", i);
    names[i] = buf;
  }
  std::vector<jgtest::RefJourney> journeys;
  for (std::size_t m = 1; m <= 7; ++m) {
    jgtest::RefJourney j;
    const std::size_t length = 2 * n + m * 997;
    for (std::size_t k = 0; k < length; ++k) {
      const std::size_t t = (k + m * 131) % n;
      j.path.push_back(names[t]);
      if ((t * 7 + m) % 11 == 0) j.path.push_back(names[t]);  // a repeat
    }
    j.conversions = double(m % 2);
    j.nulls = double(1 + m % 3);
    j.value = 10.0 * j.conversions;
    journeys.push_back(std::move(j));
  }
  const JourneySet js = journeys_of(journeys);
  // Removal effects would take one solve of the 10^4-state cycle per touchpoint (10^4 of them); the order-4
  // case below checks removal on a cycle of the same size.
  check_functional(js, 1, SelfLoops::drop, false);
  check_functional(js, 1, SelfLoops::keep, false);
}

TEST_CASE("N08 10^4 states in one order-4 cycle (de Bruijn), with removal effects", "[numerics][large]") {
  const std::vector<int> seq = de_bruijn(10, 4);
  REQUIRE(seq.size() == 10000);
  const std::vector<std::string> names = {"search", "email", "display", "social", "video",
                                          "affiliate", "direct", "print", "radio", "tv"};
  std::vector<jgtest::RefJourney> journeys;
  for (std::size_t m = 1; m <= 9; ++m) {
    jgtest::RefJourney j;
    const std::size_t start = m * 1117 % seq.size(), length = 2 * seq.size() + m * 331 + 3;
    for (std::size_t k = 0; k < length; ++k) j.path.push_back(names[std::size_t(seq[(start + k) % seq.size()])]);
    j.conversions = double(m % 3 == 0 ? 2 : m % 2);
    j.nulls = double(1 + m % 4);
    j.value = 5.0 * j.conversions + double(m);
    if (j.conversions == 0) j.value = 0;
    journeys.push_back(std::move(j));
  }
  const JourneySet js = journeys_of(journeys);
  ModelOptions o;
  o.order = 4;
  CHECK(MarkovModel::fit(js, o).n_states() == seq.size() + 1);
  check_functional(js, 4, SelfLoops::drop, true);
}

TEST_CASE("N09 random small chains against the dense solve", "[numerics]") {
  // Seeded random journeys over 6 touchpoints with fractional weights, orders 1 to 3, both loop rules.
  std::uint64_t s = 12345;
  auto next = [&](std::uint32_t n) {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    return std::uint32_t((s >> 33) % n);
  };
  const char* names[] = {"a", "b", "c", "d", "e", "f"};
  for (int round = 0; round < 12; ++round) {
    std::vector<jgtest::RefJourney> journeys;
    for (int j = 0; j < 40; ++j) {
      jgtest::RefJourney r;
      const std::uint32_t len = 1 + next(7);
      for (std::uint32_t k = 0; k < len; ++k) r.path.push_back(names[next(round % 2 ? 3 : 6)]);
      r.conversions = next(3) == 0 ? 0.25 * next(9) : 0.0;
      r.nulls = 0.5 * next(5);
      r.value = r.conversions > 0 ? 0.125 * next(100) : 0.0;
      journeys.push_back(std::move(r));
    }
    journeys[0].conversions = 1;  // at least one conversion
    const JourneySet js = journeys_of(journeys);
    INFO("round " << round);
    for (unsigned order : {1u, 2u, 3u}) {
      jgtest::check_against_reference(js, order, SelfLoops::drop);
      jgtest::check_against_reference(js, order, SelfLoops::keep);
    }
    // The model's own matrix, solved densely with each touchpoint removed.
    const MarkovModel m = MarkovModel::fit(js);
    const RemovalEffects re = removal_effects(m);
    for (std::size_t t = 0; t < m.touchpoints().size(); ++t)
      CHECK(jgtest::close(re.conversion_probability_without[t], jgtest::dense_model_conversion_probability(m, long(t)),
                          1e-12, m.conversion_probability()));
  }
}

TEST_CASE("N10 the two independent solvers agree on small cycles", "[numerics]") {
  // Checks the references themselves: dense elimination and the single-successor solver on de Bruijn
  // cycles small enough for both.
  const std::vector<int> seq = de_bruijn(3, 3);
  const std::vector<std::string> names = {"x", "y", "z"};
  std::vector<jgtest::RefJourney> journeys;
  for (std::size_t m = 1; m <= 5; ++m) {
    jgtest::RefJourney j;
    for (std::size_t k = 0; k < 3 * seq.size() + m * 5; ++k) j.path.push_back(names[std::size_t(seq[(m + k) % seq.size()])]);
    j.conversions = double(m % 2);
    j.nulls = 1;
    j.value = 3.0 * j.conversions;
    journeys.push_back(std::move(j));
  }
  const auto dense = jgtest::reference_attribution(journeys, 3);
  const auto functional = jgtest::functional_reference_attribution(journeys, 3);
  REQUIRE(dense.touchpoints == functional.touchpoints);
  CHECK(jgtest::close(dense.conversion_probability, functional.conversion_probability, 1e-13));
  CHECK(jgtest::close(dense.expected_value, functional.expected_value, 1e-13));
  for (std::size_t t = 0; t < dense.touchpoints.size(); ++t) {
    CHECK(jgtest::close(dense.conversion_probability_without[t], functional.conversion_probability_without[t], 1e-13, 1.0));
    CHECK(jgtest::close(dense.removal_effect_value[t], functional.removal_effect_value[t], 1e-13, 1.0));
  }
}
