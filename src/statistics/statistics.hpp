#pragma once
// The statistics every analysis shares, in one place: normal quantiles, Wilson intervals, the pooled
// two-proportion z-test, Holm and Benjamini-Hochberg adjustments, Fisher's exact test, odds ratios (Wald on the
// log scale), the Mantel-Haenszel odds ratio with the Robins-Breslow-Greenland variance and the
// Cochran-Mantel-Haenszel test, and the Kaplan-Meier estimate with Greenwood's variance.
//
// Counts are journey weights: they may be fractional (a path row stands for many journeys); every formula
// treats a weight as that many observations. Functions that need integers (Fisher's test) say so.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace journeygraph::detail {

// The p-quantile of the standard normal distribution, p in (0, 1): Acklam's rational approximation refined by
// one Halley step on erfc, accurate to a few ulps. NaN outside (0, 1).
double normal_quantile(double p);

// Two-sided p-value of a standard normal statistic: P(|Z| >= |z|) = erfc(|z| / sqrt 2). NaN for NaN.
double normal_two_sided_p(double z);

// The z of a two-sided interval at `level` (0.95 -> 1.959963984540054). Precondition: 0 < level < 1.
double two_sided_z(double level);

struct Interval {
  double lower;
  double upper;
};

// Wilson score interval of the proportion x / n at `level`: centre (p + z^2 / 2n) / (1 + z^2 / n), half-width
// z sqrt(p (1 - p) / n + z^2 / 4n^2) / (1 + z^2 / n). NaN bounds when n <= 0. Precondition: 0 <= x <= n.
Interval wilson_interval(double x, double n, double level);

struct ProportionTest {
  double z;        // (p2 - p1) / se, se from the pooled proportion; 0 when se == 0; NaN when untestable
  double p_value;  // two-sided; NaN when untestable (n1 or n2 is 0)
};

// Two-proportion z-test of x1 / n1 against x2 / n2 with the pooled variance
// p (1 - p) (1 / n1 + 1 / n2), p = (x1 + x2) / (n1 + n2).
ProportionTest two_proportion_test(double x1, double n1, double x2, double n2);

// Holm's step-down adjustment, in place: the m non-NaN p-values sorted ascending get
// max over j <= i of min(1, (m - j) p_(j)) (0-based j); NaN entries stay NaN and are not counted in m.
void holm_adjust(std::vector<double>& p);

// Benjamini-Hochberg q-values, in place: for the m non-NaN p-values sorted ascending,
// q_(i) = min over j >= i of min(1, m p_(j) / (j + 1)) (0-based); NaN entries stay NaN and are not counted.
void benjamini_hochberg(std::vector<double>& p);

// Fisher's exact test of the 2x2 table [[a, b], [c, d]] (rows: with / without the feature; columns: outcome /
// not), two-sided: the sum of the hypergeometric probabilities of the tables with the same margins that are no
// more probable than the observed one (relative tolerance 1e-7, as R and SciPy). Computed from ratios of
// successive probabilities walked outward from the mode, in log space, so it neither overflows nor loses the
// small p-values. Precondition: the cells are non-negative integers (checked: InvalidArgument otherwise).
// Complexity: O(|a - mode| + tail length), at most O(min(a + b, a + c)).
double fisher_exact_p(double a, double b, double c, double d);

struct OddsRatio {
  double odds_ratio;  // (a + k)(d + k) / ((b + k)(c + k)), k the continuity
  double lower;       // exp(log OR -/+ z se), se = sqrt(sum 1 / (cell + k))
  double upper;
  double z;           // log OR / se
  double p_value;     // two-sided Wald p-value
};

// The odds ratio of [[a, b], [c, d]] with a Wald interval on the log scale at `level`; `continuity` is added to
// every cell first (0.5: Haldane-Anscombe / Gart). With continuity 0 and a zero cell the bounds are 0 or inf.
OddsRatio odds_ratio_wald(double a, double b, double c, double d, double level, double continuity = 0.5);

// One stratum of a stratified 2x2 analysis: a = with & outcome, b = with & not, c = without & outcome,
// d = without & not.
struct Table2x2 {
  double a = 0, b = 0, c = 0, d = 0;
};

struct MantelHaenszel {
  double odds_ratio;   // sum(a d / n) / sum(b c / n); 0 or inf when one sum is 0; NaN when both are
  double lower;        // exp(log OR -/+ z sqrt(var)), var of Robins, Breslow and Greenland (1986); NaN when
  double upper;        //   the ratio is 0, inf or NaN
  double log_variance; // the RBG variance of log OR
  double chi2;         // Cochran-Mantel-Haenszel statistic without continuity correction:
                       //   (sum a - sum E a)^2 / sum Var a, E a = r1 c1 / n, Var a = r1 r2 c1 c2 / (n^2 (n - 1))
  double p_value;      // P(chi2_1 >= chi2); NaN when sum Var a == 0
  std::size_t strata;  // strata with n >= 2 (the others carry no information and are skipped)
};

// The Mantel-Haenszel odds ratio over strata, its RBG interval at `level`, and the CMH test of a common odds
// ratio of 1. Complexity: O(strata).
MantelHaenszel mantel_haenszel(const Table2x2* strata, std::size_t count, double level);

// One observation for Kaplan-Meier: a time, a weight, and whether the event happened at that time (otherwise the
// observation is censored there).
struct SurvivalObservation {
  double time;
  double weight;
  bool event;
};

// The Kaplan-Meier estimate of S(t) = P(T > t), one point per distinct event time (ascending). At a time with
// events d and censorings, the censored observations count as still at risk (they leave just after).
// greenwood is sum d / (n (n - d)) over event times up to t, so Var S(t) = S(t)^2 greenwood (Greenwood, 1926);
// it is +inf once n == d (S drops to 0).
struct KaplanMeier {
  std::vector<double> time;
  std::vector<double> at_risk;   // weight with observed time >= time
  std::vector<double> events;    // event weight at time
  std::vector<double> censored;  // censored weight in (previous event time, time]
  std::vector<double> survival;
  std::vector<double> greenwood;
  double total = 0;              // total weight
  double censored_after = 0;     // censored weight after the last event time

  // Index of the last event time <= t, or SIZE_MAX when t is before the first event time. O(log events).
  std::size_t index_at(double t) const;
  // S(t) and the Greenwood sum at t (1 and 0 before the first event). O(log events).
  double survival_at(double t) const;
  double greenwood_at(double t) const;
};

// Complexity: O(n log n) for the sort. Preconditions: weights >= 0 and finite, times finite (checked:
// InvalidArgument).
KaplanMeier kaplan_meier(std::vector<SurvivalObservation> observations);

// The log(-log) ("exponential Greenwood", Kalbfleisch-Prentice) interval of S at `level` from S and the Greenwood
// sum: S^exp(+-z sqrt(greenwood) / |log S|). Degenerate S gives [S, S] at S = 1 and [0, 0] at S = 0.
Interval survival_interval(double survival, double greenwood, double level);

}  // namespace journeygraph::detail
