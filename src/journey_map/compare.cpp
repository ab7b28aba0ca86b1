// Comparison of two journey maps: per-transition two-proportion tests (Holm) and attribution shares.

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "common/text.hpp"
#include "journeygraph/compare.hpp"
#include "journeygraph/error.hpp"
#include "statistics/statistics.hpp"
#include "table/columns.hpp"

namespace journeygraph {

Comparison compare(const JourneyMap& a, const JourneyMap& b, const CompareOptions& options) {
  if (!(options.alpha > 0 && options.alpha < 1))
    throw InvalidArgument("compare: alpha must be in (0, 1), got " + detail::format_double(options.alpha));
  const MarkovModel& ma = a.model();
  const MarkovModel& mb = b.model();
  if (ma.order() != mb.order())
    throw InvalidArgument("compare: the maps have chains of different orders (" + std::to_string(ma.order()) + " and " +
                          std::to_string(mb.order()) + ")");
  if (ma.self_loops() != mb.self_loops()) throw InvalidArgument("compare: the maps count self-loops differently");
  Comparison c;
  c.label_a = options.label_a;
  c.label_b = options.label_b;
  c.alpha = options.alpha;
  c.conversion_probability_a = ma.conversion_probability();
  c.conversion_probability_b = mb.conversion_probability();
  // Observed counts per (from, to), and row totals, by name.
  struct Side {
    std::map<std::pair<std::string, std::string>, double> count;
    std::map<std::string, double> total;
  };
  auto side = [](const MarkovModel& m) {
    Side s;
    for (const Transition& t : m.transitions()) {
      if (t.count > 0) s.count[{t.from, t.to}] += t.count;
      s.total[t.from] += t.count;
    }
    return s;
  };
  const Side A = side(ma), B = side(mb);
  std::map<std::pair<std::string, std::string>, int> keys;
  for (const auto& [k, v] : A.count) keys[k] = 0;
  for (const auto& [k, v] : B.count) keys[k] = 0;
  for (const auto& entry : keys) {
    const auto& k = entry.first;  // a plain reference: lambdas may not capture structured bindings in C++17
    TransitionChange t;
    t.from = k.first;
    t.to = k.second;
    auto get = [&](const Side& s, double& count, double& total) {
      auto ic = s.count.find(k);
      count = ic == s.count.end() ? 0.0 : ic->second;
      auto it = s.total.find(k.first);
      total = it == s.total.end() ? 0.0 : it->second;
    };
    get(A, t.count_a, t.total_a);
    get(B, t.count_b, t.total_b);
    // A state one fit never left has no transition probabilities there, not probabilities 0: NaN, and so is
    // every figure derived from it, so that no sort by difference puts such rows first.
    const double undefined = std::numeric_limits<double>::quiet_NaN();
    t.p_a = t.total_a > 0 ? t.count_a / t.total_a : undefined;
    t.p_b = t.total_b > 0 ? t.count_b / t.total_b : undefined;
    t.difference = t.p_b - t.p_a;
    const detail::ProportionTest test = detail::two_proportion_test(t.count_a, t.total_a, t.count_b, t.total_b);
    t.z = test.z;
    t.p_value = test.p_value;
    c.transitions.push_back(std::move(t));
  }
  std::vector<double> adjusted;
  for (const TransitionChange& t : c.transitions) adjusted.push_back(t.p_value);
  detail::holm_adjust(adjusted);
  for (std::size_t i = 0; i < adjusted.size(); ++i) {
    TransitionChange& t = c.transitions[i];
    t.p_adjusted = adjusted[i];
    t.significant = !std::isnan(t.p_adjusted) && t.p_adjusted < options.alpha;
    if (t.significant) ++c.significant;
  }
  std::stable_sort(c.transitions.begin(), c.transitions.end(), [](const TransitionChange& x, const TransitionChange& y) {
    const bool tx = !std::isnan(x.p_adjusted), ty = !std::isnan(y.p_adjusted);
    if (tx != ty) return tx;
    if (tx && x.p_adjusted != y.p_adjusted) return x.p_adjusted < y.p_adjusted;
    if (tx && std::fabs(x.difference) != std::fabs(y.difference)) return std::fabs(x.difference) > std::fabs(y.difference);
    if (x.from != y.from) return x.from < y.from;
    return x.to < y.to;
  });

  // Attribution shares, matched by touchpoint name.
  const RemovalEffects& ra = a.removal();
  const RemovalEffects& rb = b.removal();
  std::map<std::string, AttributionChange> att;
  for (std::size_t i = 0; i < ra.touchpoints.size(); ++i) {
    auto& x = att[ra.touchpoints[i]];
    x.conversions_a = ra.conversions[i];
    x.share_a = ra.total_conversions > 0 ? ra.conversions[i] / ra.total_conversions : 0.0;
  }
  for (std::size_t i = 0; i < rb.touchpoints.size(); ++i) {
    auto& x = att[rb.touchpoints[i]];
    x.conversions_b = rb.conversions[i];
    x.share_b = rb.total_conversions > 0 ? rb.conversions[i] / rb.total_conversions : 0.0;
  }
  for (auto& [name, x] : att) {
    x.touchpoint = name;
    x.difference = x.share_b - x.share_a;
    c.attribution.push_back(x);
  }
  std::stable_sort(c.attribution.begin(), c.attribution.end(), [](const AttributionChange& x, const AttributionChange& y) {
    return std::fabs(x.difference) > std::fabs(y.difference);
  });
  return c;
}

Table transition_change_table(const Comparison& c) {
  using T = TransitionChange;
  return detail::table_of("transition_changes", c.transitions)
      .text("from", &T::from)
      .text("to", &T::to)
      .real("count_a", &T::count_a)
      .real("total_a", &T::total_a)
      .real("p_a", &T::p_a)
      .real("count_b", &T::count_b)
      .real("total_b", &T::total_b)
      .real("p_b", &T::p_b)
      .real("difference", &T::difference)
      .real("z", &T::z)
      .real("p_value", &T::p_value)
      .real("p_adjusted", &T::p_adjusted)
      .flag("significant", &T::significant)
      .meta("label_a", c.label_a)
      .meta("label_b", c.label_b)
      .meta("alpha", c.alpha)
      .meta("significant", std::int64_t(c.significant))
      .meta("conversion_probability_a", c.conversion_probability_a)
      .meta("conversion_probability_b", c.conversion_probability_b);
}

Table attribution_change_table(const Comparison& c) {
  using A = AttributionChange;
  return detail::table_of("attribution_changes", c.attribution)
      .text("touchpoint", &A::touchpoint)
      .real("conversions_a", &A::conversions_a)
      .real("conversions_b", &A::conversions_b)
      .real("share_a", &A::share_a)
      .real("share_b", &A::share_b)
      .real("difference", &A::difference)
      .meta("label_a", c.label_a)
      .meta("label_b", c.label_b);
}

}  // namespace journeygraph
