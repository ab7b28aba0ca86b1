// The rule-based attribution models (heuristics and Shapley) on a hand-worked example, their options and
// errors, and the Shapley value checked against its definition over all 2^20 coalitions.

#include <algorithm>
#include <cmath>
#include <random>

#include <catch2/catch.hpp>

#include "journeygraph/attribution.hpp"
#include "journeygraph/error.hpp"
#include "journeygraph/io.hpp"

using namespace journeygraph;
using Catch::Matchers::Contains;

namespace {

constexpr std::int64_t kDay = 86400;

// Touchpoints sorted: direct (0), email (1), search (2).
//   J1 search(0) > direct(1d) > email(2d) > direct(3d)   1 conversion, value 100
//   J2 search(0) > direct(1d)                             2 conversions, value 30
//   J3 email(0)                                           1 conversion, 1 null, value 10
//   J4 direct(0)                                          1 conversion, value 40
//   J5 search(0) > email(1d)                              3 nulls (credits nothing)
// Totals: 5 conversions, value 180.
JourneySet hand_set() {
  JourneySetBuilder b(true, TimeUnit::seconds);
  const std::uint32_t direct = b.touchpoint("direct"), email = b.touchpoint("email"), search = b.touchpoint("search");
  auto add = [&](std::vector<std::uint32_t> p, std::vector<std::int64_t> t, double c, double n, double v) {
    b.add(Span<const std::uint32_t>(p), Span<const std::int64_t>(t), c, n, v);
  };
  add({search, direct, email, direct}, {0, kDay, 2 * kDay, 3 * kDay}, 1, 0, 100);
  add({search, direct}, {0, kDay}, 2, 0, 30);
  add({email}, {0}, 1, 1, 10);
  add({direct}, {0}, 1, 0, 40);
  add({search, email}, {0, kDay}, 0, 3, 0);
  return b.finish();
}

void check_credit(const std::vector<double>& got, const std::vector<double>& want, const char* what) {
  INFO(what);
  REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    INFO("touchpoint " << i << ": " << got[i] << " vs " << want[i]);
    CHECK(std::abs(got[i] - want[i]) <= 1e-12 * std::max(1.0, std::abs(want[i])));
  }
}

void check_model(AttributionModel m, const AttributionOptions& o, std::vector<double> conv, std::vector<double> value) {
  const JourneySet js = hand_set();
  const ModelAttribution a = heuristic_attribution(js, m, o);
  CHECK(a.model == m);
  check_credit(a.conversions, conv, model_name(m));
  check_credit(a.value, value, model_name(m));
}

}  // namespace

TEST_CASE("every rule-based model by hand", "[attribution][golden]") {
  AttributionOptions o;
  o.heuristics.half_life = double(kDay);
  // Order of every vector: direct, email, search.
  SECTION("first_touch: J1 -> search, J2 -> search (2), J3 -> email, J4 -> direct") {
    check_model(AttributionModel::first_touch, o, {1, 1, 3}, {40, 10, 130});
  }
  SECTION("last_touch: J1, J2 (2), J4 -> direct; J3 -> email") {
    check_model(AttributionModel::last_touch, o, {4, 1, 0}, {170, 10, 0});
  }
  SECTION("last_non_direct: J1 -> email, J2 -> search (2), J3 -> email, J4 only direct -> direct") {
    check_model(AttributionModel::last_non_direct, o, {1, 2, 2}, {40, 110, 30});
  }
  SECTION("last_non_direct with nothing excluded is last_touch") {
    o.heuristics.excluded.clear();
    check_model(AttributionModel::last_non_direct, o, {4, 1, 0}, {170, 10, 0});
  }
  SECTION("last_non_direct excluding email: J1 -> direct (its last touch), J3 only email -> email") {
    o.heuristics.excluded = {"email", "not-in-the-data"};
    check_model(AttributionModel::last_non_direct, o, {4, 1, 0}, {170, 10, 0});
  }
  SECTION("linear: J1 1/4 per touch (direct twice: 1/2), J2 1/2 each of 2, J3, J4 whole") {
    // direct 1/2 + 1 + 1, email 1/4 + 1, search 1/4 + 1; value direct 50 + 15 + 40, email 25 + 10, search 25 + 15
    check_model(AttributionModel::linear, o, {2.5, 1.25, 1.25}, {105, 35, 40});
  }
  SECTION("position_based 40/20/40: J1 search .4, direct .1 + .4, email .1; J2 (two touches) 50/50") {
    // direct .5 + 1 + 1, email .1 + 1, search .4 + 1; value direct 50 + 15 + 40, email 10 + 10, search 40 + 15
    check_model(AttributionModel::position_based, o, {2.5, 1.1, 1.4}, {105, 20, 55});
  }
  SECTION("position_based 30/50: J1 search .3, middle .1 each, direct .5; J2 3/8 : 5/8") {
    o.heuristics.first_weight = 0.3;
    o.heuristics.last_weight = 0.5;
    // direct .1 + .5 + 2 * 5/8 + 1 = 2.85, email .1 + 1, search .3 + 2 * 3/8 = 1.05
    // value direct 60 + 18.75 + 40, email 10 + 10, search 30 + 11.25
    check_model(AttributionModel::position_based, o, {2.85, 1.1, 1.05}, {118.75, 20, 41.25});
  }
  SECTION("position_based 0/0: the middle touches share everything, two touches split equally") {
    o.heuristics.first_weight = 0;
    o.heuristics.last_weight = 0;
    // J1: direct(2nd) .5, email .5; J2: 1 each
    check_model(AttributionModel::position_based, o, {2.5, 1.5, 1}, {105, 60, 15});
  }
  SECTION("j_curve 20/60: J1 search .2, direct .1 + .6, email .1; J2 25/75") {
    // direct .7 + 1.5 + 1, email .1 + 1, search .2 + .5; value direct 70 + 22.5 + 40, email 20, search 20 + 7.5
    check_model(AttributionModel::j_curve, o, {3.2, 1.1, 0.7}, {132.5, 20, 27.5});
  }
  SECTION("inverse_j 60/20: J1 search .6, direct .1 + .2, email .1; J2 75/25") {
    // direct .3 + .5 + 1, email 1.1, search .6 + 1.5; value direct 30 + 7.5 + 40, email 20, search 60 + 22.5
    check_model(AttributionModel::inverse_j, o, {1.8, 1.1, 2.1}, {77.5, 20, 82.5});
  }
  SECTION("time_decay, half-life one day") {
    // J1 ages 3, 2, 1, 0 days: weights 1/8, 1/4, 1/2, 1 (sum 15/8): search 1/15, direct 10/15, email 4/15.
    // J2 ages 1, 0 days: weights 1/2, 1: search 1/3, direct 2/3 of 2 conversions and of 30.
    // direct 2/3 + 4/3 + 1 = 3, email 4/15 + 1 = 19/15, search 1/15 + 2/3 = 11/15
    // value direct 200/3 + 20 + 40 = 380/3, email 80/3 + 10 = 110/3, search 20/3 + 10 = 50/3
    check_model(AttributionModel::time_decay, o, {3, 19.0 / 15, 11.0 / 15}, {380.0 / 3, 110.0 / 3, 50.0 / 3});
  }
  SECTION("time_decay with a half-life of two days") {
    o.heuristics.half_life = 2.0 * kDay;
    // J1 weights 2^-1.5, 2^-1, 2^-0.5, 1; J2 weights 2^-0.5, 1.
    const double a = std::pow(2.0, -1.5), b = 0.5, c = std::pow(2.0, -0.5), s1 = a + b + c + 1, s2 = c + 1;
    check_model(AttributionModel::time_decay, o,
                {(b + 1) / s1 + 2 / s2 + 1, c / s1 + 1, a / s1 + 2 * c / s2},
                {100 * (b + 1) / s1 + 30 / s2 + 40, 100 * c / s1 + 10, 100 * a / s1 + 30 * c / s2});
  }
  SECTION("participation: every distinct touchpoint gets the whole journey") {
    // direct J1 + J2 (2) + J4, email J1 + J3, search J1 + J2 (2)
    check_model(AttributionModel::participation, o, {4, 2, 3}, {170, 110, 130});
  }
  SECTION("shapley: R({search,direct,email}) = 1, R({search,direct}) = 2, R({email}) = 1, R({direct}) = 1") {
    // phi_direct = 1/3 + 2/2 + 1, phi_email = 1/3 + 1, phi_search = 1/3 + 2/2
    // value: direct 100/3 + 15 + 40, email 100/3 + 10, search 100/3 + 15
    check_model(AttributionModel::shapley, o, {7.0 / 3, 4.0 / 3, 4.0 / 3}, {265.0 / 3, 130.0 / 3, 145.0 / 3});
    check_model(AttributionModel::ordered_shapley, o, {7.0 / 3, 4.0 / 3, 4.0 / 3}, {265.0 / 3, 130.0 / 3, 145.0 / 3});
  }
  SECTION("shapley capped at coalitions of 2: J1 keeps its 2 most recent touchpoints, direct and email") {
    o.shapley.max_coalition = 2;
    // phi_direct = 1/2 + 1 + 1, phi_email = 1/2 + 1, phi_search = 1; value direct 50 + 15 + 40, email 50 + 10
    check_model(AttributionModel::shapley, o, {2.5, 1.5, 1}, {105, 60, 15});
  }
}

TEST_CASE("ordered Shapley: credit by position of first appearance", "[attribution][golden]") {
  const JourneySet js = hand_set();
  ShapleyResult s = shapley_attribution(js);
  // J1 first appearances: search (0), direct (1), email (2), each 1/3; J2: search (0), direct (1), 1 each;
  // J3: email (0); J4: direct (0).
  CHECK(s.coalitions == 4);
  REQUIRE(s.positions.positions == 3);
  check_credit(s.positions.conversions, {1, 4.0 / 3, 0, /*email*/ 1, 0, 1.0 / 3, /*search*/ 4.0 / 3, 0, 0}, "positions");
  check_credit(s.positions.value,
               {40, 100.0 / 3 + 15, 0, /*email*/ 10, 0, 100.0 / 3, /*search*/ 100.0 / 3 + 15, 0, 0}, "value");
  // Capped at 2: J1 (search, direct, email by first appearance) keeps its two most recent touchpoints,
  // direct and email, at their positions in the journey, 2nd and 3rd (not 1st and 2nd of the coalition):
  // 1/2 each. J2 search 1st, direct 2nd; J3 email 1st; J4 direct 1st.
  ShapleyOptions cap;
  cap.max_coalition = 2;
  s = shapley_attribution(js, cap);
  REQUIRE(s.positions.positions == 3);
  check_credit(s.positions.conversions, {1, 1.5, 0, /*email*/ 1, 0, 0.5, /*search*/ 1, 0, 0}, "capped positions");
  check_credit(s.positions.value, {40, 50 + 15, 0, /*email*/ 10, 0, 50, /*search*/ 15, 0, 0}, "capped value");
  check_credit(s.conversions, {2.5, 1.5, 1}, "capped totals");
  // A journey whose cap leaves out its first touchpoints: a > b > a > c > d capped at 2 keeps c and d, the
  // 3rd and 4th distinct touchpoints; the 3 conversions split 1.5 each.
  JourneySetBuilder late;
  late.add({"a", "b", "a", "c", "d"}, 3, 0, 6);
  s = shapley_attribution(late.finish(), cap);
  REQUIRE(s.positions.positions == 4);
  check_credit(s.positions.conversions, {0, 0, 0, 0, /*b*/ 0, 0, 0, 0, /*c*/ 0, 0, 1.5, 0, /*d*/ 0, 0, 0, 1.5},
               "late positions");
  check_credit(s.positions.value, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 3}, "late value");
  CHECK(s.touchpoints == std::vector<std::string>{"a", "b", "c", "d"});
  CHECK(s.coalitions == 1);

  AttributionOptions o;
  o.models = {AttributionModel::ordered_shapley, AttributionModel::shapley};
  AttributionResult r = attribute(js, o);
  REQUIRE(r.positions.has_value());
  CHECK(r.positions->positions == 3);
  CHECK(r.find(AttributionModel::shapley)->conversions == r.find(AttributionModel::ordered_shapley)->conversions);
}

TEST_CASE("journeys of one and two touches under the position models", "[attribution][golden]") {
  JourneySetBuilder b;
  b.add({"a"}, 1, 0, 8);
  b.add({"b", "c"}, 1, 0, 8);
  const JourneySet js = b.finish();
  AttributionOptions o;
  // a alone takes everything; b > c splits first : last.
  check_credit(heuristic_attribution(js, AttributionModel::position_based, o).conversions, {1, 0.5, 0.5}, "U");
  check_credit(heuristic_attribution(js, AttributionModel::j_curve, o).conversions, {1, 0.25, 0.75}, "J");
  check_credit(heuristic_attribution(js, AttributionModel::inverse_j, o).value, {8, 6, 2}, "inverse J");
}

TEST_CASE("attribution options are checked, naming the value", "[attribution]") {
  const JourneySet js = hand_set();
  AttributionOptions o;
  o.models = {AttributionModel::position_based};
  o.heuristics.first_weight = 0.7;
  CHECK_THROWS_WITH(attribute(js, o), Contains("first_weight + last_weight must be <= 1") && Contains("0.7"));
  o.heuristics.first_weight = -0.1;
  CHECK_THROWS_WITH(attribute(js, o), Contains("first_weight must be in [0, 1], got -0.1"));
  o.heuristics.first_weight = 0.4;
  o.heuristics.half_life = 0;
  CHECK_THROWS_WITH(attribute(js, o), Contains("half_life") && Contains("got 0"));
  o.heuristics.half_life = 3600;
  o.heuristics.excluded = {""};
  CHECK_THROWS_AS(attribute(js, o), InvalidArgument);

  // time_decay needs timestamps; applicable_models() leaves it out for journeys without them.
  JourneySetBuilder b;
  b.add({"a", "b"}, 1, 0, 0);
  const JourneySet no_times = b.finish();
  AttributionOptions td;
  td.models = {AttributionModel::time_decay};
  CHECK_THROWS_WITH(attribute(no_times, td), Contains("time_decay model needs touch timestamps"));
  CHECK_THROWS_AS(heuristic_attribution(no_times, AttributionModel::time_decay), InvalidArgument);
  const auto models = applicable_models(no_times);
  CHECK(std::find(models.begin(), models.end(), AttributionModel::time_decay) == models.end());
  CHECK(models.size() + 1 == all_models().size());
  CHECK(applicable_models(js).size() == all_models().size());
  CHECK_THROWS_AS(heuristic_attribution(js, AttributionModel::markov), InvalidArgument);
}

TEST_CASE("model names round-trip", "[attribution]") {
  const char* expected[] = {"markov",         "first_touch", "last_touch", "linear",
                            "last_non_direct", "position_based", "j_curve", "inverse_j",
                            "time_decay",      "participation",  "shapley", "ordered_shapley",
                            "fractribution"};
  const auto models = all_models();
  REQUIRE(models.size() == 13);
  for (std::size_t i = 0; i < models.size(); ++i) {
    CHECK(std::string(model_name(models[i])) == expected[i]);
    CHECK(parse_model(expected[i]) == models[i]);
  }
  CHECK_THROWS_WITH(parse_model("shapely"), Contains("unknown attribution model") && Contains("ordered_shapley"));
}

TEST_CASE("every model credits the total conversions and value, except participation", "[attribution]") {
  const JourneySet js = read_paths_csv(JG_REFERENCE_DIR "/pathdata.csv");
  AttributionOptions o;
  o.models = applicable_models(js);
  const AttributionResult r = attribute(js, o);
  for (const auto& m : r.models) {
    double c = 0, v = 0;
    for (double x : m.conversions) c += x;
    for (double x : m.value) v += x;
    INFO(model_name(m.model));
    if (m.model == AttributionModel::participation) {
      CHECK(c > r.total_conversions);
    } else {
      CHECK(std::abs(c - r.total_conversions) < 1e-9 * r.total_conversions);
      CHECK(std::abs(v - r.total_value) < 1e-9 * r.total_value);
    }
  }
}

TEST_CASE("Shapley over 20 touchpoints equals the Shapley value of its game, all 2^20 coalitions", "[attribution][shapley]") {
  // Independent check: v(S) = sum of R(T) over T subset of S, built over every coalition by a subset-sum
  // transform, then phi_j = sum over S without j of |S|! (n - |S| - 1)! / n! (v(S + j) - v(S)).
  constexpr unsigned n = 20;
  std::mt19937_64 rng(7);
  JourneySetBuilder b;
  std::vector<std::string> names;
  for (unsigned i = 0; i < n; ++i) names.push_back("t" + std::to_string(100 + i));
  std::vector<double> R(std::size_t(1) << n, 0.0);
  double total = 0;
  for (int j = 0; j < 20000; ++j) {
    const std::size_t len = 1 + rng() % 8;
    std::vector<std::string> path;
    std::uint32_t mask = 0;
    for (std::size_t i = 0; i < len; ++i) {
      // Skewed popularity, so that some coalitions are frequent and others rare.
      const unsigned t = unsigned(std::min<std::uint64_t>(rng() % n, rng() % n));
      path.push_back(names[t]);
      mask |= 1u << t;
    }
    const double conv = double(rng() % 3), nulls = double(rng() % 2);
    if (conv + nulls == 0) continue;
    b.add(path, conv, nulls, 0.0);
    R[mask] += conv;
    total += conv;
  }
  const JourneySet js = b.finish();
  REQUIRE(js.touchpoints().size() == n);
  std::vector<double> v = R;
  for (unsigned i = 0; i < n; ++i)
    for (std::size_t s = 0; s < v.size(); ++s)
      if (s & (std::size_t(1) << i)) v[s] += v[s ^ (std::size_t(1) << i)];
  std::vector<double> weight(n);  // |S|! (n - |S| - 1)! / n!
  for (unsigned k = 0; k < n; ++k) weight[k] = std::exp(std::lgamma(k + 1.0) + std::lgamma(double(n - k)) - std::lgamma(n + 1.0));
  std::vector<double> phi(n, 0.0);
  for (std::size_t s = 0; s < v.size(); ++s) {
    const unsigned size = unsigned(__builtin_popcountll(s));
    for (unsigned j = 0; j < n; ++j)
      if (!(s & (std::size_t(1) << j))) phi[j] += weight[size] * (v[s | (std::size_t(1) << j)] - v[s]);
  }
  // names are t100..t119: sorted order is index order.
  const ShapleyResult s = shapley_attribution(js);
  double sum = 0;
  for (unsigned j = 0; j < n; ++j) {
    INFO("touchpoint " << j);
    CHECK(std::abs(s.conversions[j] - phi[j]) < 1e-9 * total);
    sum += s.conversions[j];
  }
  CHECK(std::abs(sum - total) < 1e-9 * total);  // efficiency
  CHECK(s.coalitions > 1000);
}
