// The shared statistics against hand computations, reference values of independent implementations (SciPy,
// statsmodels; quoted with the call that produced them), and coverage of every interval at its stated level.

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <vector>

#include "common/random.hpp"
#include "journeygraph/error.hpp"
#include "statistics/statistics.hpp"

namespace d = journeygraph::detail;

namespace {

double binom_pmf(int x, int n, double p) {
  return std::exp(std::lgamma(n + 1.0) - std::lgamma(x + 1.0) - std::lgamma(n - x + 1.0) + x * std::log(p) +
                  (n - x) * std::log1p(-p));
}

// Exponential draw from a counter-based stream.
double exponential(d::CounterRng& rng, double rate) { return -std::log1p(-rng.uniform()) / rate; }

}  // namespace

TEST_CASE("normal quantile inverts the normal distribution function", "[statistics]") {
  CHECK(d::normal_quantile(0.5) == Approx(0.0).margin(1e-15));
  // scipy.stats.norm.ppf(0.975), norm.ppf(1e-10)
  CHECK(d::normal_quantile(0.975) == Approx(1.959963984540054).epsilon(1e-14));
  CHECK(d::normal_quantile(1e-10) == Approx(-6.361340902404056).epsilon(1e-13));
  CHECK(d::two_sided_z(0.95) == Approx(1.959963984540054).epsilon(1e-14));
  for (double p : {1e-300, 1e-12, 0.001, 0.02425, 0.1, 0.3, 0.7, 0.9, 0.97575, 0.999, 1 - 1e-12}) {
    const double x = d::normal_quantile(p);
    const double back = 0.5 * std::erfc(-x / std::sqrt(2.0));
    CHECK(back == Approx(p).epsilon(1e-13));
  }
  CHECK(std::isnan(d::normal_quantile(0)));
  CHECK(std::isnan(d::normal_quantile(1)));
  CHECK(d::normal_two_sided_p(1.959963984540054) == Approx(0.05).epsilon(1e-13));
}

TEST_CASE("Wilson interval: hand computation, bounds solve the score equation, edges", "[statistics]") {
  const auto w = d::wilson_interval(8, 10, 0.95);
  // statsmodels proportion_confint(8, 10, method="wilson")
  CHECK(w.lower == Approx(0.49016247153664183).epsilon(1e-13));
  CHECK(w.upper == Approx(0.9433178485456247).epsilon(1e-13));
  // Both bounds pi solve (x/n - pi)^2 = z^2 pi (1 - pi) / n.
  const double z = 1.959963984540054;
  for (double pi : {w.lower, w.upper}) CHECK((0.8 - pi) * (0.8 - pi) == Approx(z * z * pi * (1 - pi) / 10).epsilon(1e-12));
  const auto zero = d::wilson_interval(0, 10, 0.95);
  CHECK(zero.lower == 0.0);
  CHECK(zero.upper == Approx(0.27753279986288926).epsilon(1e-13));
  const auto all = d::wilson_interval(10, 10, 0.95);
  CHECK(all.upper == 1.0);
  CHECK(all.lower == Approx(1 - 0.27753279986288926).epsilon(1e-13));
  CHECK(std::isnan(d::wilson_interval(0, 0, 0.95).lower));
}

TEST_CASE("Wilson interval covers at its level (exact binomial coverage)", "[statistics][coverage]") {
  // Exact coverage: sum over x of P(X = x) [p in interval(x)]. Wilson's coverage oscillates around the level;
  // averaged over p it is close to it, and never far below.
  for (int n : {20, 50, 200}) {
    double sum = 0, worst = 1;
    int count = 0;
    for (double p = 0.05; p < 0.951; p += 0.01) {
      double cover = 0;
      for (int x = 0; x <= n; ++x) {
        const auto iv = d::wilson_interval(x, n, 0.95);
        if (iv.lower <= p && p <= iv.upper) cover += binom_pmf(x, n, p);
      }
      sum += cover;
      worst = std::min(worst, cover);
      ++count;
    }
    INFO("n = " << n);
    CHECK(sum / count == Approx(0.95).margin(0.01));
    CHECK(worst > 0.90);
  }
}

TEST_CASE("two-proportion z-test: hand computation", "[statistics]") {
  // pooled p = 75/200 = 0.375, se = sqrt(0.375 * 0.625 * (1/100 + 1/100)), z = 0.15 / se
  const auto t = d::two_proportion_test(30, 100, 45, 100);
  CHECK(t.z == Approx(0.15 / std::sqrt(0.375 * 0.625 * 0.02)).epsilon(1e-14));
  CHECK(t.z == Approx(2.1908902300206647).epsilon(1e-13));
  CHECK(t.p_value == Approx(0.02845973691631055).epsilon(1e-12));  // 2 * scipy.stats.norm.sf(z)
  CHECK(std::isnan(d::two_proportion_test(1, 0, 1, 2).p_value));
  CHECK(d::two_proportion_test(0, 10, 0, 10).z == 0.0);
}

TEST_CASE("Holm and Benjamini-Hochberg adjustments: hand computation", "[statistics]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  // m = 4 tested. Sorted: 0.005, 0.01, 0.03, 0.04.
  // Holm: 4 x 0.005 = 0.02, 3 x 0.01 = 0.03, 2 x 0.03 = 0.06, max(0.06, 1 x 0.04) = 0.06.
  std::vector<double> holm{0.01, 0.04, 0.03, nan, 0.005};
  d::holm_adjust(holm);
  CHECK(holm[0] == Approx(0.03));
  CHECK(holm[1] == Approx(0.06));
  CHECK(holm[2] == Approx(0.06));
  CHECK(std::isnan(holm[3]));
  CHECK(holm[4] == Approx(0.02));
  // BH: m p / rank = 0.02, 0.02, 0.04, 0.04; running minimum from the top.
  std::vector<double> bh{0.01, 0.04, 0.03, nan, 0.005};
  d::benjamini_hochberg(bh);
  CHECK(bh[0] == Approx(0.02));
  CHECK(bh[1] == Approx(0.04));
  CHECK(bh[2] == Approx(0.04));
  CHECK(std::isnan(bh[3]));
  CHECK(bh[4] == Approx(0.02));
  std::vector<double> capped{0.9, 0.8};
  d::holm_adjust(capped);
  CHECK(capped[0] == 1.0);
}

TEST_CASE("Fisher's exact test: hand computation and large tables", "[statistics]") {
  // [[3, 1], [1, 3]]: margins 4, 4, 4 of 8; P(x) = C(4, x) C(4, 4 - x) / C(8, 4) = 1, 16, 36, 16, 1 over 70.
  // Tables no more probable than x = 3: x = 0, 1, 3, 4 -> 34 / 70.
  CHECK(d::fisher_exact_p(3, 1, 1, 3) == Approx(34.0 / 70.0).epsilon(1e-13));
  CHECK(d::fisher_exact_p(6, 2, 2, 10) == Approx(0.019369691196316582).epsilon(1e-12));  // scipy fisher_exact
  CHECK(d::fisher_exact_p(0, 0, 3, 4) == 1.0);
  // A large table with one small cell against a direct sum of the hypergeometric law (lgamma) in the test.
  const double a = 2, b = 5000, c = 30, dd = 100000;
  const double r1 = a + b, r2 = c + dd, c1 = a + c, n = r1 + r2;
  auto logp = [&](double x) {
    auto lc = [](double N, double k) { return std::lgamma(N + 1) - std::lgamma(k + 1) - std::lgamma(N - k + 1); };
    return lc(r1, x) + lc(r2, c1 - x) - lc(n, c1);
  };
  double p = 0;
  const double obs = logp(a);
  for (double x = 0; x <= c1; ++x)
    if (logp(x) <= obs + 1e-7) p += std::exp(logp(x));
  CHECK(d::fisher_exact_p(a, b, c, dd) == Approx(p).epsilon(1e-9));
  CHECK(d::fisher_exact_p(a, b, c, dd) == Approx(0.664206949362054).epsilon(1e-9));  // scipy fisher_exact
  // Extreme tables keep tiny p-values instead of underflowing to 0 early.
  const double tiny = d::fisher_exact_p(0, 400, 400, 0);
  CHECK(tiny > 0);
  CHECK(tiny < 1e-200);
  CHECK_THROWS_AS(d::fisher_exact_p(1.5, 2, 3, 4), journeygraph::InvalidArgument);
}

TEST_CASE("odds ratio with 0.5 continuity: hand computation", "[statistics]") {
  const auto r = d::odds_ratio_wald(6, 2, 2, 10, 0.95);
  CHECK(r.odds_ratio == Approx(6.5 * 10.5 / (2.5 * 2.5)).epsilon(1e-14));
  const double se = std::sqrt(1 / 6.5 + 1 / 2.5 + 1 / 2.5 + 1 / 10.5);
  CHECK(r.lower == Approx(10.92 * std::exp(-1.959963984540054 * se)).epsilon(1e-13));
  // statsmodels Table2x2([[6.5, 2.5], [2.5, 10.5]]).oddsratio_confint(), .log_oddsratio_pvalue()
  CHECK(r.lower == Approx(1.4668342509721055).epsilon(1e-12));
  CHECK(r.upper == Approx(81.29507469638952).epsilon(1e-12));
  CHECK(r.p_value == Approx(0.019595680244261303).epsilon(1e-11));
  const auto zero = d::odds_ratio_wald(0, 10, 5, 5, 0.95);
  CHECK(std::isfinite(zero.odds_ratio));
  CHECK(zero.odds_ratio == Approx(0.5 * 5.5 / (10.5 * 5.5)));
}

TEST_CASE("odds-ratio interval covers at its level (exact coverage over two binomials)", "[statistics][coverage]") {
  for (auto [n1, n2, p1, p2] : {std::tuple{60, 60, 0.3, 0.5}, std::tuple{100, 80, 0.2, 0.2}, std::tuple{150, 150, 0.1, 0.25}}) {
    const double truth = (p1 / (1 - p1)) / (p2 / (1 - p2));
    double cover = 0;
    for (int x = 0; x <= n1; ++x)
      for (int y = 0; y <= n2; ++y) {
        const auto r = d::odds_ratio_wald(x, n1 - x, y, n2 - y, 0.95);
        if (r.lower <= truth && truth <= r.upper) cover += binom_pmf(x, n1, p1) * binom_pmf(y, n2, p2);
      }
    INFO(n1 << " " << n2 << " " << p1 << " " << p2);
    CHECK(cover > 0.935);
    CHECK(cover < 0.985);
  }
}

TEST_CASE("Mantel-Haenszel odds ratio, RBG variance and CMH test", "[statistics]") {
  // Identical strata with odds ratio (10 x 40) / (20 x 15) = 4/3: the pooled ratio is that ratio.
  d::Table2x2 same[] = {{10, 20, 15, 40}, {10, 20, 15, 40}};
  CHECK(d::mantel_haenszel(same, 2, 0.95).odds_ratio == Approx(4.0 / 3.0).epsilon(1e-14));
  // statsmodels StratifiedTable([[[10,20],[15,40]], [[5,30],[8,90]], [[12,10],[6,11]]]): oddsratio_pooled,
  // logodds_pooled_se ** 2 (RBG), oddsratio_pooled_confint(), test_null_odds(correction=False).
  d::Table2x2 t[] = {{10, 20, 15, 40}, {5, 30, 8, 90}, {12, 10, 6, 11}};
  const auto mh = d::mantel_haenszel(t, 3, 0.95);
  CHECK(mh.odds_ratio == Approx(1.6695742574257428).epsilon(1e-13));
  CHECK(mh.log_variance == Approx(0.1091097387151812).epsilon(1e-12));
  CHECK(mh.lower == Approx(0.8738539644507607).epsilon(1e-12));
  CHECK(mh.upper == Approx(3.189867317030165).epsilon(1e-12));
  CHECK(mh.chi2 == Approx(2.4019083952294578).epsilon(1e-12));
  CHECK(mh.p_value == Approx(0.12118733069518828).epsilon(1e-11));
  CHECK(mh.strata == 3);
  // Strata of fewer than two observations carry nothing.
  d::Table2x2 thin[] = {{1, 0, 0, 0}, {0, 0, 0, 1}};
  const auto none = d::mantel_haenszel(thin, 2, 0.95);
  CHECK(none.strata == 0);
  CHECK(std::isnan(none.odds_ratio));
  CHECK(std::isnan(none.p_value));
}

TEST_CASE("Mantel-Haenszel interval covers a common odds ratio at its level", "[statistics][coverage]") {
  // Three strata with different baselines and a common odds ratio of 2; 2000 seeded replicates.
  const double base[] = {0.1, 0.3, 0.5};
  const int n[] = {80, 120, 60};
  int covered = 0, reps = 2000;
  for (int r = 0; r < reps; ++r) {
    d::CounterRng rng(7, std::uint64_t(r), 0);
    d::Table2x2 t[3];
    for (int s = 0; s < 3; ++s) {
      const double odds0 = base[s] / (1 - base[s]), p1 = 2 * odds0 / (1 + 2 * odds0);
      for (int i = 0; i < n[s]; ++i) {
        const bool exposed = rng.uniform() < 0.5;
        const bool event = rng.uniform() < (exposed ? p1 : base[s]);
        (exposed ? (event ? t[s].a : t[s].b) : (event ? t[s].c : t[s].d)) += 1;
      }
    }
    const auto mh = d::mantel_haenszel(t, 3, 0.95);
    if (mh.lower <= 2 && 2 <= mh.upper) ++covered;
  }
  const double coverage = double(covered) / reps;
  CHECK(coverage > 0.93);
  CHECK(coverage < 0.97);
}

TEST_CASE("Kaplan-Meier and Greenwood: hand computation on a censored example", "[statistics]") {
  // Times 1 (event), 2 (censored), 3 (event), 3 (event), 4 (censored), 5 (event).
  // t = 1: at risk 6, 1 event: S = 5/6, Greenwood sum 1 / (6 x 5).
  // t = 3: at risk 4 (the two 3s, 4, 5), 2 events: S = 5/6 x 2/4 = 5/12, sum += 2 / (4 x 2).
  // t = 5: at risk 1, 1 event: S = 0, sum = inf.
  std::vector<d::SurvivalObservation> obs{{3, 1, true}, {1, 1, true}, {2, 1, false},
                                          {5, 1, true}, {4, 1, false}, {3, 1, true}};
  const auto km = d::kaplan_meier(obs);
  REQUIRE(km.time.size() == 3);
  CHECK(km.time == std::vector<double>{1, 3, 5});
  CHECK(km.at_risk == std::vector<double>{6, 4, 1});
  CHECK(km.events == std::vector<double>{1, 2, 1});
  CHECK(km.censored == std::vector<double>{0, 1, 1});
  CHECK(km.survival[0] == Approx(5.0 / 6).epsilon(1e-15));
  CHECK(km.survival[1] == Approx(5.0 / 12).epsilon(1e-15));
  CHECK(km.survival[2] == 0.0);
  CHECK(km.greenwood[0] == Approx(1.0 / 30).epsilon(1e-15));
  CHECK(km.greenwood[1] == Approx(1.0 / 30 + 1.0 / 4).epsilon(1e-15));
  CHECK(std::isinf(km.greenwood[2]));
  CHECK(km.survival_at(0.5) == 1.0);
  CHECK(km.survival_at(2.9) == Approx(5.0 / 6));
  CHECK(km.survival_at(4) == Approx(5.0 / 12));
  // Greenwood variance at t = 3: S^2 x sum = (5/12)^2 x 17/60; the log(-log) interval from it.
  const double s = 5.0 / 12, gw = 17.0 / 60;
  const auto iv = d::survival_interval(s, gw, 0.95);
  const double se = std::sqrt(gw) / std::fabs(std::log(s));
  CHECK(iv.lower == Approx(std::pow(s, std::exp(1.959963984540054 * se))).epsilon(1e-13));
  CHECK(iv.upper == Approx(std::pow(s, std::exp(-1.959963984540054 * se))).epsilon(1e-13));
  CHECK(iv.lower < s);
  CHECK(iv.upper > s);
  // Weights count as that many observations.
  std::vector<d::SurvivalObservation> doubled;
  for (auto o : obs) doubled.push_back({o.time, 2.0, o.event});
  const auto km2 = d::kaplan_meier(doubled);
  CHECK(km2.survival[1] == Approx(5.0 / 12).epsilon(1e-15));
  CHECK(km2.at_risk[1] == 8.0);
  CHECK_THROWS_AS(d::kaplan_meier({{1, -1, true}}), journeygraph::InvalidArgument);
}

TEST_CASE("Kaplan-Meier log(-log) interval covers at its level", "[statistics][coverage]") {
  // Exponential event times (rate 1), independent uniform censoring on [0, 3]; S(0.7) = exp(-0.7).
  const double truth = std::exp(-0.7);
  int covered = 0;
  const int reps = 2000;
  for (int r = 0; r < reps; ++r) {
    d::CounterRng rng(11, std::uint64_t(r), 0);
    std::vector<d::SurvivalObservation> obs;
    for (int i = 0; i < 120; ++i) {
      const double t = exponential(rng, 1.0), c = 3 * rng.uniform();
      obs.push_back({std::min(t, c), 1.0, t <= c});
    }
    const auto km = d::kaplan_meier(obs);
    const auto iv = d::survival_interval(km.survival_at(0.7), km.greenwood_at(0.7), 0.95);
    if (iv.lower <= truth && truth <= iv.upper) ++covered;
  }
  const double coverage = double(covered) / reps;
  CHECK(coverage > 0.93);
  CHECK(coverage < 0.97);
}
