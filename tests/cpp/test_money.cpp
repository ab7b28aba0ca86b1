// Money: the spend reader, cost per conversion and ROAS by hand, their intervals from the bootstrap
// replicates (and their coverage on simulated data), and the model comparison table.

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "journeygraph/error.hpp"
#include "journeygraph/money.hpp"

using namespace journeygraph;
using Catch::Matchers::Contains;

namespace {

template <class T>
const std::vector<T>& col(const Table& t, const char* name) {
  const auto c = t.find(name);
  REQUIRE(c);
  return std::get<std::vector<T>>(t.columns[*c]);
}

// The row of (model, touchpoint) in a money table.
std::size_t row(const Table& t, const std::string& model, const std::string& tp) {
  const auto& m = col<std::string>(t, "model");
  const auto& p = col<std::string>(t, "touchpoint");
  for (std::size_t r = 0; r < t.rows(); ++r)
    if (m[r] == model && p[r] == tp) return r;
  FAIL("no row " << model << " / " << tp);
  return 0;
}

// R's type-7 quantile of unsorted values, written out independently of the library.
double type7(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  const double h = (double(v.size()) - 1) * p;
  const double lo = std::floor(h);
  const std::size_t i = std::size_t(lo);
  if (i + 1 >= v.size()) return v.back();
  return v[i] + (h - lo) * (v[i + 1] - v[i]);
}

// a > b converts (value 10), b converts (value 30), a > c fails, c converts (value 5).
JourneySet hand_set() {
  JourneySetBuilder b;
  b.add({"a", "b"}, 1, 0, 10);
  b.add({"b"}, 1, 0, 30);
  b.add({"a", "c"}, 0, 1, 0);
  b.add({"c"}, 1, 0, 5);
  return b.finish();
}

}  // namespace

TEST_CASE("spend CSV: columns in any order, periods, and errors that name line, column and value", "[money]") {
  const Spend s = parse_spend_csv("note,spend,touchpoint\nx,100,a\ny, 50.5 ,b\nz,0,d\n", "spend.csv");
  CHECK(s.touchpoints == std::vector<std::string>{"a", "b", "d"});
  CHECK(s.spend == std::vector<double>{100, 50.5, 0});
  CHECK(s.total() == 150.5);
  CHECK(s.rows == 3);

  const std::string periods = "touchpoint,spend,period\na,10,2026-01\na,20,2026-02\nb,5,2026-02\n";
  const Spend all = parse_spend_csv(periods);
  CHECK(all.spend == std::vector<double>{30, 5});
  CHECK(all.periods == std::vector<std::string>{"2026-01", "2026-02"});
  SpendOptions feb;
  feb.period = "2026-02";
  const Spend f = parse_spend_csv(periods, "p.csv", feb);
  CHECK(f.spend == std::vector<double>{20, 5});
  CHECK(f.rows_other_periods == 1);
  feb.period = "2025-12";
  CHECK_THROWS_WITH(parse_spend_csv(periods, "p.csv", feb), Contains("no spend row of period \"2025-12\"") &&
                                                                Contains("\"2026-01\", \"2026-02\""));
  CHECK_THROWS_AS(parse_spend_csv("touchpoint,spend\na,1\n", "s.csv", feb), InvalidArgument);

  CHECK_THROWS_WITH(parse_spend_csv("touchpoint,cost\na,1\n", "s.csv"),
                    Contains("s.csv") && Contains("missing column 'spend'") && Contains("'touchpoint', 'cost'"));
  CHECK_THROWS_WITH(parse_spend_csv("touchpoint,spend\na,1\nb,-3\n", "s.csv"),
                    Contains("s.csv:3:3") && Contains("-3") && Contains(">= 0"));
  CHECK_THROWS_WITH(parse_spend_csv("touchpoint,spend\na,$1\n", "s.csv"), Contains("s.csv:2:3") && Contains("$1"));
  CHECK_THROWS_WITH(parse_spend_csv("touchpoint,spend\na,1\nb,2\na,3\n", "s.csv"),
                    Contains("s.csv:4") && Contains("first on line 2") && Contains("add a period column"));
  CHECK_THROWS_WITH(parse_spend_csv("touchpoint,spend\n,1\n", "s.csv"), Contains("empty touchpoint"));
  CHECK_THROWS_WITH(parse_spend_csv("touchpoint,spend\na\n", "s.csv"), Contains("expected at least 2 fields"));
  CHECK_THROWS_AS(parse_spend_csv("touchpoint,spend\n", "s.csv"), DataError);
  CHECK_THROWS_AS(parse_spend_csv("", "s.csv"), ParseError);
  CHECK_THROWS_AS(read_spend_csv("/nonexistent/spend.csv"), IoError);
}

TEST_CASE("cost per conversion, ROAS and conversions per cost by hand; nothing dropped", "[money]") {
  AttributionOptions o;
  o.models = {AttributionModel::last_touch, AttributionModel::first_touch};
  const AttributionResult res = attribute(hand_set(), o);
  // last_touch: a 0, b 2 conversions (value 40), c 1 (value 5). first_touch: a 1 (10), b 1 (30), c 1 (5).
  // Spend: a 20, b 80, e 7 (a touchpoint the data does not have); c has none.
  const Spend spend = parse_spend_csv("touchpoint,spend\na,20\nb,80\ne,7\n");
  const Table t = money_table(res, spend);
  CHECK(t.name == "money");
  CHECK(t.rows() == 2 * 4);
  CHECK_FALSE(t.find("roas_lower"));
  const auto& cpa = col<double>(t, "cost_per_conversion");
  const auto& roas = col<double>(t, "roas");
  const auto& cpc = col<double>(t, "conversions_per_cost");
  const auto& status = col<std::string>(t, "status");
  std::size_t r = row(t, "last_touch", "b");
  CHECK(cpa[r] == Approx(40.0).epsilon(1e-15));
  CHECK(roas[r] == Approx(0.5).epsilon(1e-15));
  CHECK(cpc[r] == Approx(2.0 / 80).epsilon(1e-15));
  CHECK(status[r] == "ok");
  r = row(t, "last_touch", "a");
  CHECK(std::isnan(cpa[r]));
  CHECK(roas[r] == 0);
  CHECK(status[r] == "no_credit");
  r = row(t, "first_touch", "a");
  CHECK(cpa[r] == Approx(20.0).epsilon(1e-15));
  CHECK(roas[r] == Approx(0.5).epsilon(1e-15));
  r = row(t, "last_touch", "c");
  CHECK(std::isnan(roas[r]));
  CHECK(status[r] == "no_spend");
  r = row(t, "first_touch", "e");
  CHECK(col<double>(t, "spend")[r] == 7);
  CHECK(status[r] == "no_credit");
  CHECK(std::get<std::string>(*t.find_meta("no_credit")) == "e");
  CHECK(std::get<std::string>(*t.find_meta("no_spend")) == "c");
  CHECK(std::get<double>(*t.find_meta("total_spend")) == 107);
}

TEST_CASE("ROAS and cost-per-conversion intervals are percentile intervals of the replicate ratios", "[money]") {
  JourneySetBuilder b;
  std::mt19937_64 rng(5);
  const std::vector<std::string> names = {"a", "b", "c"};
  for (int j = 0; j < 300; ++j) {
    std::vector<std::string> p;
    const int len = 1 + int(rng() % 3);
    for (int i = 0; i < len; ++i) p.push_back(names[rng() % 3]);
    const bool conv = rng() % 3 == 0;
    b.add(p, conv ? 1 : 0, conv ? 0 : 1, conv ? double(10 + rng() % 20) : 0.0);
  }
  AttributionOptions o;
  o.models = {AttributionModel::markov, AttributionModel::last_touch};
  o.bootstrap.replicates = 60;
  o.bootstrap.confidence = 0.9;
  o.bootstrap.seed = 3;
  const AttributionResult res = attribute(b.finish(), o);
  REQUIRE(res.replicates.size() == 2);
  const Spend spend = parse_spend_csv("touchpoint,spend\na,100\nb,250\nc,40\n");
  const Table t = money_table(res, spend);
  CHECK(std::get<double>(*t.find_meta("confidence")) == 0.9);
  for (std::size_t m = 0; m < 2; ++m) {
    const std::string model = model_name(res.models[m].model);
    for (std::size_t tp = 0; tp < 3; ++tp) {
      CAPTURE(model, tp);
      const double s = spend.spend[tp];
      std::vector<double> roas, cpa;
      for (std::size_t r = 0; r < 60; ++r) {
        const double c = res.replicates[m].conversions[r * 3 + tp], v = res.replicates[m].value[r * 3 + tp];
        if (std::isnan(c)) continue;
        roas.push_back(v / s);
        cpa.push_back(c > 0 ? s / c : INFINITY);
      }
      REQUIRE(roas.size() >= 50);
      const std::size_t r = row(t, model, names[tp]);
      CHECK(col<double>(t, "roas_lower")[r] == Approx(type7(roas, 0.05)).epsilon(1e-12));
      CHECK(col<double>(t, "roas_upper")[r] == Approx(type7(roas, 0.95)).epsilon(1e-12));
      CHECK(col<double>(t, "cost_per_conversion_lower")[r] == Approx(type7(cpa, 0.05)).epsilon(1e-12));
      CHECK(col<double>(t, "cost_per_conversion_upper")[r] == Approx(type7(cpa, 0.95)).epsilon(1e-12));
      // The replicates are those of the credit intervals: the value interval scaled by the spend.
      CHECK(col<double>(t, "roas_lower")[r] * s == Approx(res.models[m].value_interval->lower[tp]).epsilon(1e-12));
      CHECK(col<double>(t, "roas")[r] == Approx(res.models[m].value[tp] / s).epsilon(1e-15));
    }
  }
}

TEST_CASE("ROAS intervals cover the true ROAS at their level (simulated)", "[money][coverage]") {
  // Journeys arrive as a Poisson process (400 expected), each one touch: a with probability 0.6, else b;
  // a converts with probability 0.3, b with 0.1, value 10 per conversion. Last-touch value credit of a has
  // expectation 400 * 0.6 * 0.3 * 10 = 720; with spend 1000 the true ROAS is 0.72 (b: 400 * 0.4 * 0.1 * 10
  // / 200 = 0.8). The 90 % intervals of 300 data sets must cover at a rate within 3 standard errors of 0.9.
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> u(0, 1);
  std::poisson_distribution<int> arrivals(400);
  const Spend spend = parse_spend_csv("touchpoint,spend\na,1000\nb,200\n");
  const int sets = 300;
  int cover_a = 0, cover_b = 0;
  for (int k = 0; k < sets; ++k) {
    JourneySetBuilder b;
    const int n = arrivals(rng);
    for (int j = 0; j < n; ++j) {
      const bool a = u(rng) < 0.6;
      const bool conv = u(rng) < (a ? 0.3 : 0.1);
      b.add({a ? "a" : "b"}, conv ? 1 : 0, conv ? 0 : 1, conv ? 10.0 : 0.0);
    }
    AttributionOptions o;
    o.models = {AttributionModel::last_touch};
    o.bootstrap.replicates = 199;
    o.bootstrap.confidence = 0.9;
    o.bootstrap.seed = std::uint64_t(k);
    const Table t = money_table(attribute(b.finish(), o), spend);
    const auto& lo = col<double>(t, "roas_lower");
    const auto& hi = col<double>(t, "roas_upper");
    const std::size_t ra = row(t, "last_touch", "a"), rb = row(t, "last_touch", "b");
    cover_a += lo[ra] <= 0.72 && 0.72 <= hi[ra];
    cover_b += lo[rb] <= 0.8 && 0.8 <= hi[rb];
  }
  const double se = std::sqrt(0.9 * 0.1 / sets);
  CHECK(std::abs(double(cover_a) / sets - 0.9) <= 3 * se);
  CHECK(std::abs(double(cover_b) / sets - 0.9) <= 3 * se);
}

TEST_CASE("model comparison: percent change of every model against the baseline", "[money]") {
  AttributionOptions o;
  o.models = {AttributionModel::last_touch, AttributionModel::first_touch, AttributionModel::linear};
  const AttributionResult res = attribute(hand_set(), o);
  CHECK(default_baseline(res) == AttributionModel::last_touch);
  const Table t = comparison_table(res, AttributionModel::last_touch);
  CHECK(t.name == "model_comparison");
  CHECK(t.rows() == 3 * 2);
  CHECK(std::get<std::string>(*t.find_meta("baseline")) == "last_touch");
  const auto& tp = col<std::string>(t, "touchpoint");
  const auto& model = col<std::string>(t, "model");
  const auto& change = col<double>(t, "conversions_change");
  const auto& vchange = col<double>(t, "value_change");
  for (std::size_t r = 0; r < t.rows(); ++r) {
    CAPTURE(tp[r], model[r]);
    CHECK(model[r] != "last_touch");
    // last_touch: a 0, b 2, c 1; first_touch: a 1, b 1, c 1; linear: a 0.5, b 1.5, c 1.
    if (tp[r] == "a") CHECK(std::isnan(change[r]));
    if (tp[r] == "b" && model[r] == "first_touch") CHECK(change[r] == Approx(-50.0).epsilon(1e-15));
    if (tp[r] == "b" && model[r] == "linear") CHECK(change[r] == Approx(-25.0).epsilon(1e-15));
    // value: last_touch b 40; first_touch b 30; linear b 5 + 30 = 35.
    if (tp[r] == "b" && model[r] == "first_touch") CHECK(vchange[r] == Approx(-25.0).epsilon(1e-15));
    if (tp[r] == "b" && model[r] == "linear") CHECK(vchange[r] == Approx(-12.5).epsilon(1e-15));
    if (tp[r] == "c") CHECK(change[r] == 0);
  }
  CHECK_THROWS_WITH(comparison_table(res, AttributionModel::markov),
                    Contains("'markov' was not computed") && Contains("last_touch, first_touch, linear"));
  o.models = {AttributionModel::linear};
  CHECK(default_baseline(attribute(hand_set(), o)) == AttributionModel::linear);
}

TEST_CASE("the default baseline: last_touch when among the models, else the first", "[money]") {
  using M = AttributionModel;
  CHECK(default_baseline(std::vector<M>{M::markov, M::linear, M::last_touch}) == M::last_touch);
  CHECK(default_baseline(std::vector<M>{M::last_touch}) == M::last_touch);
  CHECK(default_baseline(std::vector<M>{M::shapley, M::markov}) == M::shapley);
  CHECK(default_baseline(std::vector<std::string>{"markov", "first_touch", "last_touch", "linear"}) == "last_touch");
  CHECK(default_baseline(std::vector<std::string>{"linear", "markov"}) == "linear");
  CHECK_THROWS_AS(default_baseline(std::vector<M>{}), InvalidArgument);
  CHECK_THROWS_AS(default_baseline(std::vector<std::string>{}), InvalidArgument);
  CHECK_THROWS_WITH(default_baseline(std::vector<std::string>{"markov", "lasttouch"}),
                    Contains("lasttouch") && Contains("last_touch"));
}
