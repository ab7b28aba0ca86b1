// Conversion drivers: feature texts, the header's worked example and other 2x2 tables by hand, stratification
// by length, drop-off, support and ordering rules, determinism, and a small planted-effects study (the full
// one is benchmarks/planted_drivers.cpp).

#include <catch2/catch.hpp>

#include <cmath>
#include <map>

#include "../../benchmarks/planted_drivers.hpp"
#include "journeygraph/drivers.hpp"
#include "journeygraph/error.hpp"
#include "journeygraph/samples.hpp"
#include "statistics/statistics.hpp"

using namespace journeygraph;
using Catch::Matchers::Contains;

namespace {

JourneySet rows(const std::vector<std::pair<std::vector<std::string>, std::pair<double, double>>>& rs) {
  JourneySetBuilder b;
  for (const auto& [p, w] : rs) b.add(p, w.first, w.second);
  return b.finish();
}

const Driver& find(const DriverAnalysis& da, const std::string& feature) {
  for (const Driver& d : da.drivers)
    if (d.feature == feature) return d;
  FAIL("no driver " << feature);
  return da.drivers.front();
}

bool has(const DriverAnalysis& da, const std::string& feature) {
  for (const Driver& d : da.drivers)
    if (d.feature == feature) return true;
  return false;
}

}  // namespace

TEST_CASE("driver feature texts", "[drivers]") {
  DriverFeature f = parse_driver_feature(" website{3} ");
  CHECK(f.kind == DriverKind::at_least);
  CHECK(f.touchpoints == std::vector<std::string>{"website"});
  CHECK(f.n == 3);
  CHECK(parse_driver_feature("a > b > c").kind == DriverKind::kgram);
  CHECK(parse_driver_feature("a > b > c").touchpoints.size() == 3);
  CHECK(parse_driver_feature("a >> b").kind == DriverKind::before);
  CHECK(parse_driver_feature("web site").kind == DriverKind::touchpoint);
  for (const char* t : {"website", "a > b", "a > b > c", "a >> b", "x{2}"})
    CHECK(driver_feature_text(parse_driver_feature(t)) == t);
  CHECK_THROWS_WITH(parse_driver_feature("a > b > c > d"), Contains("at most 3"));
  CHECK_THROWS_WITH(parse_driver_feature("a >> a"), Contains("two different"));
  CHECK_THROWS_WITH(parse_driver_feature("a{1}"), Contains("n >= 2"));
  CHECK_THROWS_WITH(parse_driver_feature("a >  > b"), Contains("empty touchpoint"));
  CHECK_THROWS_WITH(parse_driver_feature(""), Contains("is empty"));
  CHECK(parse_driver_target("drop_off") == DriverTarget::drop_off);
}

TEST_CASE("drivers: the worked example of the header", "[drivers][golden]") {
  // 6 "email > web" converting, 2 not; 2 "web" converting, 10 not.
  const JourneySet js = rows({{{"email", "web"}, {6, 2}}, {{"web"}, {2, 10}}});
  DriverOptions o;
  o.min_support = 0;
  const DriverAnalysis da = conversion_drivers(js, o);
  CHECK(da.journeys == 20);
  CHECK(da.outcome == 8);
  // Candidates: email, web, "email > web", "email >> web"; web is in every journey: untestable.
  CHECK(da.candidates == 4);
  CHECK(da.untestable == 1);
  REQUIRE(da.drivers.size() == 3);
  const Driver& e = find(da, "email");
  CHECK(e.a == 6);
  CHECK(e.b == 2);
  CHECK(e.c == 2);
  CHECK(e.d == 10);
  CHECK(e.rate_with == 0.75);
  CHECK(e.rate_without == Approx(2.0 / 12));
  CHECK(e.odds_ratio == Approx(6.5 * 10.5 / (2.5 * 2.5)).epsilon(1e-14));
  CHECK(e.fisher);  // cells 2 < 5
  CHECK(e.p_value == Approx(0.019369691196316582).epsilon(1e-12));  // scipy.stats.fisher_exact
  // Three identical tables: BH leaves the common p-value as it is.
  CHECK(e.q_value == Approx(e.p_value).epsilon(1e-14));
  CHECK(e.significant);
  // Every email journey has length 2, every other length 1: no stratum has both, no Mantel-Haenszel ratio.
  CHECK(std::isnan(e.mh_odds_ratio));
  CHECK(std::isnan(e.mh_p_value));
  CHECK_FALSE(e.mh_significant);
  CHECK(e.confounded);
  CHECK(find(da, "email > web").a == 6);
  CHECK(find(da, "email >> web").a == 6);
  const DataTable t = driver_table(da);
  CHECK(t.rows() == 3);
  CHECK(t.names[0] == "feature");
  CHECK(std::get<std::vector<std::string>>(t.columns[*t.find("test")])[0] == "fisher");
}

TEST_CASE("drivers: Wald test for large cells, Mantel-Haenszel removes a length effect", "[drivers][golden]") {
  // Length 1: 40 "a" (10 convert), 160 "b" (40 convert): conversion 25 % with or without a.
  // Length 3: 90 "a > c > c" (45 convert), 10 "b > c > c" (5 convert): 50 % with or without a.
  // Raw: a converts 55/130, not-a 45/170: odds ratio about 2; within each length it is exactly 1.
  const JourneySet js = rows({{{"a"}, {10, 30}},
                              {{"b"}, {40, 120}},
                              {{"a", "c", "c"}, {45, 45}},
                              {{"b", "c", "c"}, {5, 5}}});
  DriverOptions o;
  o.min_support = 0;
  o.before = false;
  o.kgrams.clear();
  o.at_least.clear();
  const DriverAnalysis da = conversion_drivers(js, o);
  const Driver& a = find(da, "a");
  CHECK(a.a == 55);
  CHECK(a.b == 75);
  CHECK(a.c == 45);
  CHECK(a.d == 125);
  CHECK_FALSE(a.fisher);
  const auto w = detail::odds_ratio_wald(55, 75, 45, 125, 0.95);
  CHECK(a.odds_ratio == w.odds_ratio);
  CHECK(a.p_value == w.p_value);
  CHECK(a.lower == w.lower);
  // Strata (10, 30, 40, 120) and (45, 45, 5, 5): a d / n = 1200/200 = 6 and 225/100 = 2.25, b c / n = 6 and
  // 2.25: MH odds ratio exactly 1, CMH statistic 0.
  CHECK(a.mh_odds_ratio == Approx(1.0).epsilon(1e-14));
  CHECK(a.mh_p_value == Approx(1.0).epsilon(1e-12));
  CHECK(a.significant);
  CHECK_FALSE(a.mh_significant);
  CHECK(a.confounded);
  // c is in every length-3 journey and none of length 1: confounded entirely.
  CHECK(std::isnan(find(da, "c").mh_odds_ratio));
  // Length strata of 1 pool everything: the MH ratio is the raw (uncorrected) ratio.
  o.length_strata = 1;
  const DriverAnalysis pooled_analysis = conversion_drivers(js, o);
  const Driver& pooled = find(pooled_analysis, "a");
  CHECK(pooled.mh_odds_ratio == Approx(55.0 * 125 / (75.0 * 45)).epsilon(1e-13));
}

TEST_CASE("drivers: drop-off after a step uses the part of the journey from that step on", "[drivers][golden]") {
  //   "ad > web > chat" x 10: 2 convert (8 drop)     "ad > web > cart" x 10: 8 convert (2 drop)
  //   "ad" x 5: never reached web (excluded)
  const JourneySet js = rows({{{"ad", "web", "chat"}, {2, 8}}, {{"ad", "web", "cart"}, {8, 2}}, {{"ad"}, {0, 5}}});
  DriverOptions o;
  o.target = DriverTarget::drop_off;
  o.after = "web";
  o.min_support = 0;
  const DriverAnalysis da = conversion_drivers(js, o);
  CHECK(da.target == DriverTarget::drop_off);
  CHECK(da.journeys == 20);
  CHECK(da.excluded == 5);
  CHECK(da.outcome == 10);  // drop-offs
  const Driver& chat = find(da, "chat");
  CHECK(chat.a == 8);  // with chat and dropped
  CHECK(chat.b == 2);
  CHECK(chat.c == 2);
  CHECK(chat.d == 8);
  CHECK(chat.odds_ratio == Approx(8.5 * 8.5 / (2.5 * 2.5)));
  CHECK(find(da, "web > chat").a == 8);
  CHECK_FALSE(has(da, "ad"));  // before the step: not part of the analysed journeys
  o.after.clear();
  CHECK_THROWS_WITH(conversion_drivers(js, o), Contains("needs `after`"));
  o.after = "nowhere";
  CHECK_THROWS_WITH(conversion_drivers(js, o), Contains("matches no touchpoint"));
}

TEST_CASE("drivers: support, explicit features, ordering, errors", "[drivers]") {
  const EventTable ev = sample_events(20000, 42);
  const JourneySet js = build_journeys(ev.arrays());
  DriverOptions o;
  o.min_support = 200;
  const DriverAnalysis da = conversion_drivers(js, o);
  CHECK(da.below_support > 0);
  CHECK(da.drivers.size() + da.below_support + da.untestable == da.candidates);
  for (const Driver& d : da.drivers) {
    CHECK(d.support >= 200);
    CHECK(d.a + d.b + d.c + d.d == Approx(da.journeys));
    CHECK(d.lower <= d.odds_ratio);
    CHECK(d.odds_ratio <= d.upper);
    CHECK(d.q_value >= d.p_value);
  }
  // Sorted by the interval bound nearest 1, strongest first; then by p-value.
  auto strength = [](const Driver& d) { return d.lower > 1 ? std::log(d.lower) : d.upper < 1 ? -std::log(d.upper) : 0.0; };
  for (std::size_t i = 1; i < da.drivers.size(); ++i) {
    CHECK(strength(da.drivers[i - 1]) >= strength(da.drivers[i]));
    if (strength(da.drivers[i - 1]) == 0 && strength(da.drivers[i]) == 0)
      CHECK(da.drivers[i - 1].p_value <= da.drivers[i].p_value);
  }
  // Explicit features give the same rows as discovery.
  DriverOptions e;
  e.features = {"website", "paid_search > website", "email_newsletter >> store_visit", "website{2}"};
  const DriverAnalysis de = conversion_drivers(js, e);
  REQUIRE(de.drivers.size() == 4);
  for (const Driver& d : de.drivers) {
    const Driver& same = find(da, d.feature);
    CHECK(d.a == same.a);
    CHECK(d.b == same.b);
    CHECK(d.mh_odds_ratio == same.mh_odds_ratio);
  }
  // Many strata make the table of every possible feature too large for one dense pass: the two-pass path
  // (support first, then the candidates) must find the same features with the same counts.
  DriverOptions two_pass = o;
  two_pass.length_strata = 400;
  const DriverAnalysis dt = conversion_drivers(js, two_pass);
  CHECK(dt.candidates == da.candidates);
  CHECK(dt.below_support == da.below_support);
  REQUIRE(dt.drivers.size() == da.drivers.size());
  for (const Driver& d : dt.drivers) {
    const Driver& same = find(da, d.feature);
    CHECK(d.a == same.a);
    CHECK(d.d == same.d);
    CHECK(d.p_value == same.p_value);
  }
  e.features = {"websight"};
  CHECK_THROWS_WITH(conversion_drivers(js, e), Contains("closest: \"website\""));
  DriverOptions bad;
  bad.kgrams = {4};
  CHECK_THROWS_WITH(conversion_drivers(js, bad), Contains("2 or 3"));
  bad = {};
  bad.at_least = {1};
  CHECK_THROWS_AS(conversion_drivers(js, bad), InvalidArgument);
  bad = {};
  bad.length_strata = 0;
  CHECK_THROWS_AS(conversion_drivers(js, bad), InvalidArgument);
  // Nothing to explain when every journey converts.
  CHECK_THROWS_AS(conversion_drivers(rows({{{"a"}, {1, 0}}, {{"b"}, {2, 0}}})), DataError);
  // Same bits with any thread count.
  Execution one, two;
  one.threads = 1;
  two.threads = 2;
  CHECK(to_csv(driver_table(conversion_drivers(js, o, one))) == to_csv(driver_table(conversion_drivers(js, o, two))));
}

TEST_CASE("drivers: planted effects are found, nulls mostly not, length confounding is flagged", "[drivers][planted]") {
  // Small version of benchmarks/planted_drivers (100k journeys, 20 seeds): 60k journeys, 3 seeds.
  DriverOptions o;
  o.length_strata = 64;
  double sum_fdp = 0, sum_fdp_mh = 0, sum_power = 0;
  const auto fs = planted::features();
  for (std::uint64_t seed = 101; seed < 104; ++seed) {
    const DriverAnalysis da = conversion_drivers(planted::journeys(60000, seed), o);
    std::size_t R = 0, V = 0, R_mh = 0, V_mh = 0, strong = 0, found = 0, common = 0;
    for (const Driver& d : da.drivers) {
      const planted::Truth t = planted::truth(d.feature);
      if (d.significant) {
        ++R;
        V += t == planted::Truth::null;
      }
      if (d.mh_significant) {
        ++R_mh;
        V_mh += t == planted::Truth::null || t == planted::Truth::confounded;
      }
      for (std::size_t f = 0; f < fs.size(); ++f)
        if (fs[f].text == d.feature && planted::marginal_odds_ratio(f) >= 1.5) {
          ++strong;
          found += d.significant;
          if (fs[f].share >= 0.1) common += d.significant;  // the well-supported ones: found every time
        }
      if (d.feature == "q" || d.feature == "w") {
        INFO("seed " << seed << " " << d.feature);
        CHECK(d.significant);      // length makes them look like drivers ...
        CHECK_FALSE(d.mh_significant);  // ... but not within journeys of the same length
        CHECK(d.confounded);
      }
    }
    INFO("seed " << seed);
    CHECK(strong == 8);
    CHECK(common == 6);
    sum_power += double(found) / double(strong);
    REQUIRE(R > 0);
    REQUIRE(R_mh > 0);
    sum_fdp += double(V) / double(R);
    sum_fdp_mh += double(V_mh) / double(R_mh);
  }
  CHECK(sum_power / 3 >= 0.8);
  CHECK(sum_fdp / 3 <= 0.08);
  CHECK(sum_fdp_mh / 3 <= 0.08);
  // The exact marginal odds ratios the study scores against lie between 1 and the conditional ones (averaging
  // a logistic model over independent factors pulls odds ratios towards 1).
  for (std::size_t f = 0; f < fs.size(); ++f) {
    const double m = planted::marginal_odds_ratio(f), c = fs[f].conditional_or;
    INFO(fs[f].text);
    CHECK(std::min(1.0, c) < m);
    CHECK(m < std::max(1.0, c));
  }
}

// Over more than 32,768 journeys the counting pass is split into chunks (up to 8, their tables summed in
// order) even when the features are many: the counts must equal a direct count, with the same bits on 1 and 2
// threads.
TEST_CASE("drivers: counts over many chunks equal a direct count, on any thread count", "[drivers]") {
  const JourneySet js = build_journeys(sample_events(120000, 7).arrays());
  REQUIRE(js.size() > 3 * 32768);
  DriverOptions o;
  o.min_support = 50;
  Execution one, two;
  one.threads = 1;
  two.threads = 2;
  const DriverAnalysis da = conversion_drivers(js, o, two);
  CHECK(to_csv(driver_table(conversion_drivers(js, o, one))) == to_csv(driver_table(da)));
  // Each touchpoint feature's cells by hand: the weight of the journeys that touch it, converted or not.
  std::size_t checked = 0;
  for (std::uint32_t t = 0; t < js.touchpoints().size(); ++t) {
    double yes = 0, no = 0;
    for (std::size_t j = 0; j < js.size(); ++j) {
      const auto p = js.path(j);
      if (std::find(p.begin(), p.end(), t) == p.end()) continue;
      yes += js.conversions(j);
      no += js.nulls(j);
    }
    const std::string name(js.touchpoints().name(t));
    if (!has(da, name)) continue;
    const Driver& d = find(da, name);
    CHECK(d.a == yes);
    CHECK(d.b == no);
    CHECK(d.a + d.b + d.c + d.d == da.journeys);
    ++checked;
  }
  CHECK(checked >= 5);
  // Fractional weights, whose sums depend on their grouping: still the same bits on 1 and 2 threads.
  JourneySetBuilder b;
  for (std::size_t j = 0; j < js.size(); ++j) {
    std::vector<std::string> path;
    for (std::uint32_t t : js.path(j)) path.emplace_back(js.touchpoints().name(t));
    b.add(path, js.conversions(j) * 0.3, js.nulls(j) * 0.7 + 0.1 * double(j % 3));
  }
  const JourneySet fractional = b.finish();
  CHECK(to_csv(driver_table(conversion_drivers(fractional, o, one))) ==
        to_csv(driver_table(conversion_drivers(fractional, o, two))));
  DriverOptions strata;
  strata.length_strata = kMaxLengthStrata + 1;
  CHECK_THROWS_WITH(conversion_drivers(js, strata), Contains("length_strata must be in [1, 100000]"));
}
