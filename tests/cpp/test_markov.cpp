// Markov chains and attribution on small cases worked out by hand, plus properties that must hold exactly.

#include <Eigen/Dense>
#include <catch2/catch.hpp>
#include <map>
#include <random>

#include "journeygraph/attribution.hpp"
#include "journeygraph/error.hpp"
#include "journeygraph/io.hpp"
#include "journeygraph/samples.hpp"

using namespace journeygraph;
using Catch::Matchers::Contains;

namespace {

// J1: a > b converts (value 10); J2: a, not converted; J3: b, converts once (value 30) and fails once.
JourneySet hand_set() {
  JourneySetBuilder b;
  b.add({"a", "b"}, 1, 0, 10);
  b.add({"a"}, 0, 1, 0);
  b.add({"b"}, 1, 1, 30);
  return b.finish();
}

std::size_t index_of(const std::vector<std::string>& v, const std::string& x) {
  return static_cast<std::size_t>(std::find(v.begin(), v.end(), x) - v.begin());
}

double prob(const MarkovModel& m, const std::string& from, const std::string& to) {
  for (const auto& t : m.transitions())
    if (t.from == from && t.to == to) return t.probability;
  return 0.0;
}

}  // namespace

TEST_CASE("order 1 chain and removal effects by hand", "[markov][golden]") {
  // START -> a 2/4, b 2/4; a -> b 1/2, a -> NULL 1/2; b -> CONV 2/3, b -> NULL 1/3.
  // P(conv) = 1/2 * 1/2 * 2/3 + 1/2 * 2/3 = 1/2. Removing a: 1/3 (RE 1/3); removing b: 0 (RE 1).
  MarkovModel m = MarkovModel::fit(hand_set());
  CHECK(m.n_states() == 3);
  CHECK(prob(m, "(start)", "a") == Approx(0.5).epsilon(1e-15));
  CHECK(prob(m, "a", "b") == Approx(0.5).epsilon(1e-15));
  CHECK(prob(m, "b", "(conversion)") == Approx(2.0 / 3).epsilon(1e-15));
  CHECK(std::abs(m.conversion_probability() - 0.5) < 1e-15);
  // Value: b's mean value per conversion is (10 + 30) / 2 = 20, so E(value) = 1/2 * 20.
  CHECK(std::abs(m.expected_value() - 10.0) < 1e-13);
  RemovalEffects re = removal_effects(m);
  const std::size_t a = index_of(re.touchpoints, "a"), b = index_of(re.touchpoints, "b");
  CHECK(std::abs(re.removal_effect[a] - 1.0 / 3) < 1e-15);
  CHECK(std::abs(re.removal_effect[b] - 1.0) < 1e-15);
  CHECK(std::abs(re.conversions[a] - 0.5) < 1e-14);  // (1/3) / (4/3) * 2
  CHECK(std::abs(re.conversions[b] - 1.5) < 1e-14);
  CHECK(std::abs(re.removal_effect_value[a] - 1.0 / 3) < 1e-15);
  CHECK(std::abs(re.value[a] - 10.0) < 1e-12);  // (1/3) / (4/3) * 40
  CHECK(std::abs(re.value[b] - 30.0) < 1e-12);
  CHECK(std::abs(re.conversion_probability_without[a] - 1.0 / 3) < 1e-15);
}

TEST_CASE("heuristics by hand", "[attribution][golden]") {
  AttributionOptions o;
  o.models = {AttributionModel::first_touch, AttributionModel::last_touch, AttributionModel::linear};
  AttributionResult r = attribute(hand_set(), o);
  REQUIRE(r.touchpoints == std::vector<std::string>{"a", "b"});
  const auto* first = r.find(AttributionModel::first_touch);
  const auto* last = r.find(AttributionModel::last_touch);
  const auto* lin = r.find(AttributionModel::linear);
  REQUIRE((first && last && lin));
  CHECK(first->conversions == std::vector<double>{1, 1});
  CHECK(first->value == std::vector<double>{10, 30});
  CHECK(last->conversions == std::vector<double>{0, 2});
  CHECK(last->value == std::vector<double>{0, 40});
  CHECK(lin->conversions == std::vector<double>{0.5, 1.5});
  CHECK(lin->value == std::vector<double>{5, 35});
  CHECK(r.find(AttributionModel::markov) == nullptr);
  CHECK_FALSE(r.markov.has_value());
}

TEST_CASE("order 2: short states, collapsed repeats and removal by hand", "[markov][golden]") {
  // a > a > b converts; b alone fails. Order 2 states: (a,a), (a,b), short (b).
  // (a,a) -> (a,b) -> CONV with certainty; START -> (a,a) 1/2, -> (b) 1/2; P(conv) = 1/2.
  JourneySetBuilder jb;
  jb.add({"a", "a", "b"}, 1, 0, 0);
  jb.add({"b"}, 0, 1, 0);
  ModelOptions o;
  o.order = 2;
  MarkovModel m = MarkovModel::fit(jb.finish(), o);
  CHECK(m.n_states() == 4);
  CHECK(m.state_name(1) == "a > a");
  CHECK(m.state_name(2) == "a > b");
  CHECK(m.state_name(3) == "b");
  CHECK(prob(m, "a > a", "a > b") == 1.0);
  CHECK(m.conversion_probability() == 0.5);
  RemovalEffects re = removal_effects(m);
  CHECK(re.removal_effect[index_of(re.touchpoints, "a")] == 1.0);
  CHECK(re.removal_effect[index_of(re.touchpoints, "b")] == 1.0);  // (a,b) contains b
}

TEST_CASE("self-loops: keep counts repeats, absorption probabilities are unchanged at order 1", "[markov]") {
  JourneySetBuilder jb;
  jb.add({"a", "a", "a", "b"}, 1, 0, 0);
  jb.add({"a", "b", "b"}, 0, 2, 0);
  jb.add({"b", "a"}, 1, 1, 0);
  JourneySet js = jb.finish();
  ModelOptions keep;
  keep.self_loops = SelfLoops::keep;
  MarkovModel mk = MarkovModel::fit(js, keep), md = MarkovModel::fit(js);
  CHECK(prob(mk, "a", "a") == Approx(2.0 / 7).epsilon(1e-15));  // a: 2 self, 3 to b, 1 conv, 1 null
  CHECK(prob(md, "a", "a") == 0.0);
  CHECK(std::abs(mk.conversion_probability() - md.conversion_probability()) < 1e-15);
  RemovalEffects rk = removal_effects(mk), rd = removal_effects(md);
  for (std::size_t i = 0; i < rk.removal_effect.size(); ++i)
    CHECK(std::abs(rk.removal_effect[i] - rd.removal_effect[i]) < 1e-15);
}

TEST_CASE("smoothing adds alpha to every candidate transition", "[markov][golden]") {
  // Order 1 over {a, b}: a's candidates are b, CONV and NULL (no self-loop). Observed a -> b 1, a -> NULL 1.
  JourneySetBuilder jb;
  jb.add({"a", "b"}, 1, 0, 0);
  jb.add({"a"}, 0, 1, 0);
  ModelOptions o;
  o.smoothing = 0.5;
  MarkovModel m = MarkovModel::fit(jb.finish(), o);
  CHECK(prob(m, "a", "b") == Approx(1.5 / 3.5).epsilon(1e-15));
  CHECK(prob(m, "a", "(conversion)") == Approx(0.5 / 3.5).epsilon(1e-15));
  CHECK(prob(m, "a", "(null)") == Approx(1.5 / 3.5).epsilon(1e-15));
  CHECK(prob(m, "b", "a") == Approx(0.5 / 2.5).epsilon(1e-15));
  CHECK(prob(m, "(start)", "a") == 1.0);  // the START row is not smoothed
  CHECK_THROWS_AS(MarkovModel::fit(jb.finish(), ModelOptions{1, -1.0}), InvalidArgument);
}

TEST_CASE("maximum-likelihood chains reproduce the observed conversion rate at every order", "[markov]") {
  // Flow conservation: with MLE transitions, P(conversion) equals conversions / (conversions + nulls).
  const JourneySet js = read_paths_csv(JG_REFERENCE_DIR "/pathdata.csv");
  const double rate = js.total_conversions() / (js.total_conversions() + js.total_nulls());
  for (unsigned k = 1; k <= 6; ++k) {
    MarkovModel m = MarkovModel::fit(js, ModelOptions{k});
    INFO("order " << k << " states " << m.n_states());
    CHECK(std::abs(m.conversion_probability() - rate) < 1e-13);
    CHECK(m.solve_residual() < 1e-12);
  }
}

TEST_CASE("attribute reports the residual of the solves behind its markov numbers", "[attribution]") {
  const JourneySet js = read_paths_csv(JG_REFERENCE_DIR "/pathdata.csv");
  AttributionOptions o;
  o.markov.order = 3;
  AttributionResult r = attribute(js, o);
  RemovalEffects re = removal_effects(MarkovModel::fit(js, o.markov));
  REQUIRE(r.markov.has_value());
  CHECK(r.markov->max_residual == re.max_residual);
  CHECK(re.max_residual > 0.0);  // cyclic components: rounding is visible
  CHECK(re.max_residual < 1e-14);
}

TEST_CASE("removal effects at order 2 equal an independent dense solve", "[markov][attribution]") {
  const JourneySet js = read_paths_csv(JG_REFERENCE_DIR "/pathdata.csv");
  MarkovModel m = MarkovModel::fit(js, ModelOptions{2});
  RemovalEffects re = removal_effects(m);
  const std::size_t n = m.n_states();
  const auto& rows = m.row_offsets();
  const auto& cols = m.columns();
  const auto& p = m.probabilities();
  for (std::size_t t = 0; t < re.touchpoints.size(); ++t) {
    // Backward formulation, independent of the solver: (I - Q_KK) h = r_K, P = h[START].
    std::vector<bool> removed(n, false);
    for (std::size_t i = 1; i < n; ++i)
      for (auto tok : m.state_tokens(i)) removed[i] = removed[i] || tok == t;
    Eigen::MatrixXd a = Eigen::MatrixXd::Identity(Eigen::Index(n), Eigen::Index(n));
    Eigen::VectorXd r = Eigen::VectorXd::Zero(Eigen::Index(n));
    for (std::size_t i = 0; i < n; ++i) {
      if (removed[i]) continue;
      for (std::uint64_t e = rows[i]; e < rows[i + 1]; ++e) {
        if (cols[e] == n) r[Eigen::Index(i)] += p[e];
        else if (cols[e] < n && !removed[cols[e]]) a(Eigen::Index(i), cols[e]) -= p[e];
      }
    }
    Eigen::VectorXd h = a.partialPivLu().solve(r);
    INFO(re.touchpoints[t]);
    CHECK(std::abs(re.conversion_probability_without[t] - h[0]) <= 1e-12 * h[0]);
  }
}

TEST_CASE("counts of a partition merge into the counts of the whole", "[markov][counts]") {
  EventTable ev = sample_events(3000, 7);
  JourneySet js = build_journeys(ev.arrays());
  for (unsigned k : {1u, 3u}) {
    TransitionCounts whole = TransitionCounts::count(js, k);
    TransitionCounts merged = TransitionCounts::count(js.slice(0, 1000), k);
    merged.merge(TransitionCounts::count(js.slice(1000, 1500), k));
    merged.merge(TransitionCounts::count(js.slice(2500, js.size() - 2500), k));
    CHECK(merged == whole);
    CHECK(MarkovModel::fit(merged).conversion_probability() == MarkovModel::fit(whole).conversion_probability());
  }
  TransitionCounts a = TransitionCounts::count(js, 1), b = TransitionCounts::count(js, 2);
  CHECK_THROWS_AS(a.merge(b), InvalidArgument);
}

namespace {
// The counts of js at orders 1 to 3, self-loops kept and dropped, by 2 and 3 parts (threads) are those of one
// table, bit for bit.
void check_counts_by_parts(const JourneySet& js) {
  Execution one, two, three;
  one.threads = 1;
  two.threads = 2;
  three.threads = 3;
  for (unsigned k : {1u, 2u, 3u})
    for (SelfLoops loops : {SelfLoops::drop, SelfLoops::keep}) {
      CAPTURE(k, loops == SelfLoops::drop);
      const TransitionCounts base = TransitionCounts::count(js, k, loops, one);
      CHECK(base == TransitionCounts::count(js, k, loops, two));
      CHECK(base == TransitionCounts::count(js, k, loops, three));
    }
}
}  // namespace

TEST_CASE("counting gives the same bits with any thread count", "[markov][determinism]") {
  SyntheticOptions so;
  so.journeys = 150000;
  so.touchpoints = 30;
  JourneySet js = build_journeys(synthetic_events(so).arrays());
  // One thread counts into one table; more split the states into a part per worker (with the edges leaving
  // them), which the canonical order must put back exactly: orders 1 (30 touchpoints: the dense table), 2 and 3,
  // self-loops kept and dropped, 2 and 3 parts.
  check_counts_by_parts(js);
  Execution one, two;
  one.threads = 1;
  two.threads = 2;
  // Order 1 over more touchpoints than the dense table takes goes through the parts too.
  so.journeys = 70000;
  so.touchpoints = 600;
  JourneySet wide = build_journeys(synthetic_events(so).arrays());
  REQUIRE(wide.touchpoints().size() > 512);
  CHECK(TransitionCounts::count(wide, 1, SelfLoops::drop, one) == TransitionCounts::count(wide, 1, SelfLoops::drop, two));
}

TEST_CASE("counting by parts: zero weights, fractional weights, repeats and progress", "[markov][determinism]") {
  // Journeys of 1-8 touches over 20 touchpoints with runs of repeats (self-loops), a tenth of zero weight,
  // fractional weights and values: the parts (2 and 3 threads) give the counts of one table, bit for bit, at
  // orders 1 to 3 with self-loops kept and dropped, and order 1 over 600 touchpoints (no dense table) too.
  auto build = [](unsigned tps, std::uint32_t seed) {
    std::mt19937 rng(seed);
    JourneySetBuilder b;
    for (int j = 0; j < 70000; ++j) {
      std::vector<std::string> path(1 + rng() % 8);
      for (std::size_t i = 0; i < path.size(); ++i)
        path[i] = i > 0 && rng() % 3 == 0 ? path[i - 1] : "t" + std::to_string(rng() % tps);
      const bool zero = rng() % 10 == 0;
      const double conv = zero ? 0.0 : double(rng() % 3) * 0.5, nulls = zero ? 0.0 : 0.25 + double(rng() % 2);
      b.add(path, conv, nulls, conv > 0 ? 1.5 * conv : 0.0);
    }
    return b.finish();
  };
  Execution one, two;
  one.threads = 1;
  two.threads = 2;
  const JourneySet js = build(20, 3);
  REQUIRE(TransitionCounts::count(js, 1, SelfLoops::drop, one).zero_weight_journeys() > 0);
  check_counts_by_parts(js);
  const JourneySet wide = build(600, 4);
  REQUIRE(wide.touchpoints().size() > 512);
  for (SelfLoops loops : {SelfLoops::drop, SelfLoops::keep})
    CHECK(TransitionCounts::count(wide, 1, loops, one) == TransitionCounts::count(wide, 1, loops, two));
  // The "count" stage reports a fraction that never steps back, and ends at 1.
  std::vector<double> seen;
  Execution watched;
  watched.threads = 2;
  watched.progress = [&seen](double f, const char* stage) {
    if (std::string(stage) == "count") seen.push_back(f);
    return true;
  };
  TransitionCounts::count(js, 3, SelfLoops::drop, watched);
  REQUIRE(!seen.empty());
  CHECK(seen.back() == 1.0);
  for (std::size_t i = 1; i < seen.size(); ++i) CHECK(seen[i] >= seen[i - 1]);
}

TEST_CASE("a model fitted from counts moved in equals one fitted from a copy", "[markov]") {
  SyntheticOptions so;
  so.journeys = 5000;
  so.touchpoints = 8;
  JourneySet js = build_journeys(synthetic_events(so).arrays());
  TransitionCounts counts = TransitionCounts::count(js, 2);
  const TransitionCounts kept = counts;
  const MarkovModel copied = MarkovModel::fit(kept);
  const MarkovModel moved = MarkovModel::fit(std::move(counts));
  CHECK(moved.counts() == kept);
  CHECK(moved.conversion_probability() == copied.conversion_probability());
  CHECK(moved.n_states() == copied.n_states());
}

TEST_CASE("counts list states and edges in canonical order with the weights tallied independently",
          "[markov][counts]") {
  // Random journeys over 12, 16 or 50 touchpoints with weights 1..3; orders whose states are sorted by a radix
  // key (50 touchpoints: 6 bits a token, orders 3 and 10; 16 touchpoints: ranks 1..16 need 5 bits, order 12
  // fills 60) and by comparison (50 touchpoints, order 12: 72 bits), with states short of the order (journeys
  // shorter than it) mixed in.
  for (const auto& [tps, order] :
       {std::pair<unsigned, unsigned>{12, 2}, {16, 12}, {50, 3}, {50, 10}, {50, 12}}) {
    CAPTURE(tps, order);
    std::mt19937_64 rng(1000 + 17 * tps + order);
    JourneySetBuilder b;
    std::vector<std::vector<std::string>> paths;
    std::vector<double> weights;
    for (int j = 0; j < 4000; ++j) {
      std::vector<std::string> path(1 + rng() % 14);
      for (auto& t : path) t = "t" + std::to_string(rng() % tps);
      const double conv = double(rng() % 2), nulls = double(1 + rng() % 2);
      b.add(path, conv, nulls, 0);
      paths.push_back(path);
      weights.push_back(conv + nulls);
    }
    JourneySet js = b.finish();
    TransitionCounts tc = TransitionCounts::count(js, order, SelfLoops::keep);
    // The same counts written out: each state as its names, edges by (from names, to names).
    std::map<std::pair<std::vector<std::string>, std::vector<std::string>>, double> want;
    for (std::size_t j = 0; j < paths.size(); ++j) {
      std::vector<std::string> prev;  // empty: START
      for (std::size_t i = 0; i < paths[j].size(); ++i) {
        // The states are the windows of `order` touches; a journey shorter than that has one, its whole path.
        if (i + 1 < std::min<std::size_t>(order, paths[j].size())) continue;
        const std::size_t first = i + 1 >= order ? i + 1 - order : 0;
        std::vector<std::string> state(paths[j].begin() + std::ptrdiff_t(first), paths[j].begin() + std::ptrdiff_t(i + 1));
        want[{prev, state}] += weights[j];
        prev = state;
      }
    }
    auto names = [&](std::uint32_t s) {
      std::vector<std::string> out;
      if (s == TransitionCounts::kStart) return out;
      for (std::uint32_t t : tc.state(s)) out.push_back(tc.touchpoints()[t]);
      return out;
    };
    REQUIRE(tc.n_states() > (order == 2 ? 100u : 4096u));
    for (std::size_t s = 0; s + 1 < tc.n_states(); ++s) {
      auto x = tc.state(s), y = tc.state(s + 1);
      REQUIRE(std::lexicographical_compare(x.begin(), x.end(), y.begin(), y.end()));
    }
    REQUIRE(tc.edges().size() == want.size());
    std::size_t start_edges = 0;
    for (const auto& e : tc.edges()) start_edges += e.from == TransitionCounts::kStart;
    for (std::size_t i = 0; i < tc.edges().size(); ++i) {
      const auto& e = tc.edges()[i];
      REQUIRE((e.from == TransitionCounts::kStart) == (i < start_edges));
      if (i > 0) {
        const auto& p = tc.edges()[i - 1];
        const bool start = e.from == TransitionCounts::kStart, pstart = p.from == TransitionCounts::kStart;
        REQUIRE((start == pstart ? (p.from < e.from || (p.from == e.from && p.to < e.to)) : pstart));
      }
      auto it = want.find({names(e.from), names(e.to)});
      REQUIRE(it != want.end());
      REQUIRE(e.count == it->second);
    }
  }
}

TEST_CASE("model errors", "[markov]") {
  MarkovModel unfitted;
  CHECK_FALSE(unfitted.fitted());
  CHECK_THROWS_AS(unfitted.conversion_probability(), StateError);
  CHECK_THROWS_AS(removal_effects(unfitted), StateError);
  CHECK_THROWS_AS(MarkovModel::fit(hand_set(), ModelOptions{0}), InvalidArgument);
  CHECK_THROWS_AS(MarkovModel::fit(hand_set(), ModelOptions{kMaxOrder + 1}), InvalidArgument);
  CHECK_THROWS_AS(MarkovModel::fit(JourneySet()), DataError);
  JourneySetBuilder builder;
  builder.add({"a", "b"}, 0, 3, 0);
  const JourneySet none = builder.finish();
  MarkovModel m = MarkovModel::fit(none);
  CHECK(m.conversion_probability() == 0.0);
  CHECK_THROWS_WITH(removal_effects(m), Contains("no conversions"));
  CHECK_THROWS_WITH(attribute(none), Contains("no conversions"));
  CHECK_THROWS_WITH(attribute(JourneySet()), Contains("no journeys"));
}

TEST_CASE("attribute aligns the markov model with every touchpoint", "[attribution]") {
  // "z" appears only in a zero-weight journey: it has no state in the chain but a row in the result.
  JourneySetBuilder jb;
  jb.add({"a", "b"}, 1, 1, 5);
  jb.add({"z"}, 0, 0, 0);
  AttributionResult r = attribute(jb.finish());
  REQUIRE(r.touchpoints == std::vector<std::string>{"a", "b", "z"});
  REQUIRE(r.markov.has_value());
  CHECK(r.markov->removal_effect[2] == 0.0);
  CHECK(r.find(AttributionModel::markov)->conversions[2] == 0.0);
  double sum = 0;
  for (double c : r.find(AttributionModel::markov)->conversions) sum += c;
  CHECK(std::abs(sum - 1.0) < 1e-15);
  CHECK(parse_model("linear") == AttributionModel::linear);
  CHECK_THROWS_WITH(parse_model("lineer"), Contains("known: markov"));
}
