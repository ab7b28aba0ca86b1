// The shared statistics (see statistics.hpp for what each computes and its conventions).

#include "statistics/statistics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>

#include "common/text.hpp"
#include "journeygraph/error.hpp"

namespace journeygraph::detail {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// Indices of the non-NaN entries of p, sorted by p ascending (stable: ties keep input order, so the
// adjustment never depends on anything but the input).
std::vector<std::size_t> sorted_tested(const std::vector<double>& p) {
  std::vector<std::size_t> idx;
  for (std::size_t i = 0; i < p.size(); ++i)
    if (!std::isnan(p[i])) idx.push_back(i);
  std::stable_sort(idx.begin(), idx.end(), [&](std::size_t x, std::size_t y) { return p[x] < p[y]; });
  return idx;
}
}  // namespace

double normal_quantile(double p) {
  if (!(p > 0 && p < 1)) return kNaN;
  // Acklam's rational approximation (relative error below 1.15e-9) ...
  static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                             1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
  static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                             6.680131188771972e+01, -1.328068155288572e+01};
  static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                             -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
  static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                             3.754408661907416e+00};
  const double low = 0.02425;
  double x;
  if (p < low) {
    const double q = std::sqrt(-2 * std::log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - low) {
    const double q = p - 0.5, r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const double q = std::sqrt(-2 * std::log1p(-p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  // ... refined by Halley steps on Phi(x) - p computed with erfc (full double accuracy in both tails).
  for (int it = 0; it < 2; ++it) {
    const double e = 0.5 * std::erfc(-x / std::sqrt(2.0)) - p;
    const double u = e * std::sqrt(2 * M_PI) * std::exp(x * x / 2);
    x = x - u / (1 + x * u / 2);
  }
  return x;
}

double normal_two_sided_p(double z) {
  if (std::isnan(z)) return kNaN;
  return std::erfc(std::fabs(z) / std::sqrt(2.0));
}

double two_sided_z(double level) { return normal_quantile(0.5 + level / 2); }

Interval wilson_interval(double x, double n, double level) {
  if (!(n > 0)) return {kNaN, kNaN};
  const double z = two_sided_z(level), z2 = z * z;
  const double p = std::min(1.0, std::max(0.0, x / n));
  const double denom = 1 + z2 / n;
  const double centre = (p + z2 / (2 * n)) / denom;
  const double half = z * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom;
  // At p = 0 (or 1) the lower (upper) bound is exactly 0 (1); rounding must not move it.
  return {p == 0 ? 0.0 : std::max(0.0, centre - half), p == 1 ? 1.0 : std::min(1.0, centre + half)};
}

ProportionTest two_proportion_test(double x1, double n1, double x2, double n2) {
  if (!(n1 > 0 && n2 > 0)) return {kNaN, kNaN};
  const double p1 = x1 / n1, p2 = x2 / n2;
  const double pooled = (x1 + x2) / (n1 + n2);
  const double se = std::sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  const double z = se > 0 ? (p2 - p1) / se : 0.0;
  return {z, normal_two_sided_p(z)};
}

void holm_adjust(std::vector<double>& p) {
  const std::vector<std::size_t> idx = sorted_tested(p);
  const std::size_t m = idx.size();
  double running = 0;
  for (std::size_t r = 0; r < m; ++r) {
    running = std::max(running, std::min(1.0, double(m - r) * p[idx[r]]));
    p[idx[r]] = running;
  }
}

void benjamini_hochberg(std::vector<double>& p) {
  const std::vector<std::size_t> idx = sorted_tested(p);
  const std::size_t m = idx.size();
  double running = 1;
  for (std::size_t r = m; r-- > 0;) {
    running = std::min(running, std::min(1.0, double(m) * p[idx[r]] / double(r + 1)));
    p[idx[r]] = running;
  }
}

double fisher_exact_p(double a, double b, double c, double d) {
  for (double v : {a, b, c, d})
    if (!(v >= 0 && v < 0x1p53 && v == std::floor(v)))
      throw InvalidArgument("Fisher's exact test needs non-negative integer counts, got " + format_double(v));
  const double r1 = a + b, r2 = c + d, c1 = a + c;
  const double lo = std::max(0.0, c1 - r2), hi = std::min(r1, c1);
  if (lo == hi) return 1.0;  // one table has these margins
  // P(x + 1) / P(x) of the hypergeometric law of the top-left cell.
  auto log_ratio_up = [&](double x) { return std::log((r1 - x) * (c1 - x)) - std::log((x + 1) * (r2 - c1 + x + 1)); };
  // The mode: floor((r1 + 1)(c1 + 1) / (n + 2)), clamped to the support.
  double mode = std::floor((r1 + 1) * (c1 + 1) / (r1 + r2 + 2));
  mode = std::min(hi, std::max(lo, mode));
  // log P(a) - log P(mode), by walking from the mode to a.
  double la = 0;
  if (a > mode)
    for (double x = mode; x < a; ++x) la += log_ratio_up(x);
  else
    for (double x = mode; x > a; --x) la -= log_ratio_up(x - 1);
  const double threshold = la + std::log1p(1e-7);  // tables no more probable than the observed one
  // Sum exp(l - la) over qualifying tables (numerator) and exp(l) over all (denominator), walking outward
  // from the mode on both sides. Terms fall off faster than geometrically in the tails, so a side stops once
  // a term is below e^-60 of both the observed term and the mode and still shrinking.
  double num = 0, den = 0;
  auto visit = [&](double l) {
    den += std::exp(l);
    if (l <= threshold) num += std::exp(l - la);
  };
  visit(0);
  const double stop = std::min(la, 0.0) - 60;
  double l = 0;
  for (double x = mode; x < hi; ++x) {
    const double step = log_ratio_up(x);
    l += step;
    visit(l);
    if (l < stop && step < -0.1) break;
  }
  l = 0;
  for (double x = mode; x > lo; --x) {
    const double step = -log_ratio_up(x - 1);
    l += step;
    visit(l);
    if (l < stop && step < -0.1) break;
  }
  // p = sum P over qualifying tables = num e^la / den.
  const double p = std::exp(la + std::log(num) - std::log(den));
  return std::min(1.0, p);
}

OddsRatio odds_ratio_wald(double a, double b, double c, double d, double level, double continuity) {
  const double A = a + continuity, B = b + continuity, C = c + continuity, D = d + continuity;
  OddsRatio r;
  const double log_or = std::log(A) + std::log(D) - std::log(B) - std::log(C);
  r.odds_ratio = std::exp(log_or);
  const double se = std::sqrt(1 / A + 1 / B + 1 / C + 1 / D);
  const double z = two_sided_z(level);
  if (std::isfinite(log_or) && std::isfinite(se)) {
    r.lower = std::exp(log_or - z * se);
    r.upper = std::exp(log_or + z * se);
    r.z = log_or / se;
    r.p_value = normal_two_sided_p(r.z);
  } else {
    r.lower = 0;
    r.upper = kInf;
    r.z = kNaN;
    r.p_value = kNaN;
  }
  return r;
}

MantelHaenszel mantel_haenszel(const Table2x2* strata, std::size_t count, double level) {
  double R = 0, S = 0, PR = 0, PS_QR = 0, QS = 0, sum_a = 0, sum_e = 0, sum_v = 0;
  std::size_t used = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const Table2x2& t = strata[i];
    const double n = t.a + t.b + t.c + t.d;
    if (!(n >= 2)) continue;
    ++used;
    const double Ri = t.a * t.d / n, Si = t.b * t.c / n;
    const double Pi = (t.a + t.d) / n, Qi = (t.b + t.c) / n;
    R += Ri;
    S += Si;
    PR += Pi * Ri;
    PS_QR += Pi * Si + Qi * Ri;
    QS += Qi * Si;
    const double r1 = t.a + t.b, r2 = t.c + t.d, c1 = t.a + t.c, c2 = t.b + t.d;
    sum_a += t.a;
    sum_e += r1 * c1 / n;
    sum_v += r1 * r2 * c1 * c2 / (n * n * (n - 1));
  }
  MantelHaenszel m;
  m.strata = used;
  m.odds_ratio = (R == 0 && S == 0) ? kNaN : (S == 0 ? kInf : R / S);
  if (R > 0 && S > 0) {
    m.log_variance = PR / (2 * R * R) + PS_QR / (2 * R * S) + QS / (2 * S * S);
    const double z = two_sided_z(level), se = std::sqrt(m.log_variance), lor = std::log(m.odds_ratio);
    m.lower = std::exp(lor - z * se);
    m.upper = std::exp(lor + z * se);
  } else {
    m.log_variance = m.lower = m.upper = kNaN;
  }
  if (sum_v > 0) {
    m.chi2 = (sum_a - sum_e) * (sum_a - sum_e) / sum_v;
    // chi-square with one degree of freedom: P(chi2 >= x) = P(|Z| >= sqrt x).
    m.p_value = std::erfc(std::sqrt(m.chi2 / 2));
  } else {
    m.chi2 = m.p_value = kNaN;
  }
  return m;
}

std::size_t KaplanMeier::index_at(double t) const {
  const auto it = std::upper_bound(time.begin(), time.end(), t);
  return it == time.begin() ? SIZE_MAX : std::size_t(it - time.begin()) - 1;
}

double KaplanMeier::survival_at(double t) const {
  const std::size_t i = index_at(t);
  return i == SIZE_MAX ? 1.0 : survival[i];
}

double KaplanMeier::greenwood_at(double t) const {
  const std::size_t i = index_at(t);
  return i == SIZE_MAX ? 0.0 : greenwood[i];
}

KaplanMeier kaplan_meier(std::vector<SurvivalObservation> obs) {
  for (const auto& o : obs)
    if (!(o.weight >= 0 && std::isfinite(o.weight) && std::isfinite(o.time)))
      throw InvalidArgument("Kaplan-Meier: an observation has time " + format_double(o.time) + " and weight " +
                            format_double(o.weight) + " (times must be finite, weights finite and >= 0)");
  // Events before censorings at the same time: a censored observation is at risk at its own time. Callers
  // that already hold the observations in this order skip the sort.
  auto before = [](const SurvivalObservation& x, const SurvivalObservation& y) {
    return x.time != y.time ? x.time < y.time : (x.event && !y.event);
  };
  if (!std::is_sorted(obs.begin(), obs.end(), before)) std::sort(obs.begin(), obs.end(), before);
  KaplanMeier km;
  double total = 0;
  for (const auto& o : obs) total += o.weight;
  km.total = total;
  // At risk at time t = total minus the weight of everything observed before t; subtracting running sums
  // would accumulate rounding, so the weight still at risk is summed from the back instead.
  std::vector<double> suffix(obs.size() + 1, 0.0);
  for (std::size_t i = obs.size(); i-- > 0;) suffix[i] = suffix[i + 1] + obs[i].weight;
  double s = 1, gw = 0, pending_censored = 0;
  std::size_t i = 0;
  while (i < obs.size()) {
    const double t = obs[i].time;
    const double n = suffix[i];
    double d = 0, cens = 0;
    std::size_t j = i;
    for (; j < obs.size() && obs[j].time == t; ++j) (obs[j].event ? d : cens) += obs[j].weight;
    if (d > 0) {
      s *= (n - d) / n;
      gw += (n > d) ? d / (n * (n - d)) : kInf;
      km.time.push_back(t);
      km.at_risk.push_back(n);
      km.events.push_back(d);
      km.censored.push_back(pending_censored + cens);
      km.survival.push_back(std::max(0.0, s));
      km.greenwood.push_back(gw);
      pending_censored = 0;
    } else {
      pending_censored += cens;
    }
    i = j;
  }
  km.censored_after = pending_censored;
  return km;
}

Interval survival_interval(double s, double greenwood, double level) {
  if (!(s > 0)) return {0.0, 0.0};
  if (s >= 1 || greenwood == 0) return {s, s};
  if (!std::isfinite(greenwood)) return {0.0, 1.0};
  const double z = two_sided_z(level);
  const double se = std::sqrt(greenwood) / std::fabs(std::log(s));
  return {std::pow(s, std::exp(z * se)), std::pow(s, std::exp(-z * se))};
}

}  // namespace journeygraph::detail
