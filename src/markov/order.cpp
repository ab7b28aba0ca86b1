// Choice of the chain's order: in-sample likelihood with AIC/BIC, and held-out likelihood and conversion
// prediction on a seeded split of the journeys.

#include <algorithm>
#include <cmath>
#include <limits>

#include "common/random.hpp"
#include "common/sequence_index.hpp"
#include "common/text.hpp"
#include "journeygraph/analysis.hpp"
#include "journeygraph/error.hpp"
#include "markov/backward.hpp"
#include "markov/walk.hpp"

namespace journeygraph {

namespace {

// How much of `count` journeys goes to the held-out part: each whole journey with probability h (one
// uniform each, from the row's own stream), a fractional remainder likewise. Rows standing for more than
// kExact journeys use the normal approximation of the binomial (its error is then far below one journey).
double held_out_part(double count, double h, detail::CounterRng& rng) {
  constexpr double kExact = 1 << 16;
  const double whole = std::floor(count), frac = count - whole;
  double out = 0;
  if (whole <= kExact) {
    for (double i = 0; i < whole; i += 1) out += rng.uniform() < h ? 1 : 0;
  } else {
    // Box-Muller with two uniforms in (0, 1].
    const double u1 = 1.0 - rng.uniform(), u2 = rng.uniform();
    const double z = std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    out = std::round(whole * h + z * std::sqrt(whole * h * (1 - h)));
    out = std::min(whole, std::max(0.0, out));
  }
  if (frac > 0 && rng.uniform() < h) out += frac;
  return out;
}

struct Split {
  JourneySet train, test;
};

Split split(const JourneySet& js, double h, std::uint64_t seed) {
  JourneySetBuilder train(js.has_timestamps(), js.time_unit()), test(js.has_timestamps(), js.time_unit());
  train.set_touchpoints(js.touchpoints());
  test.set_touchpoints(js.touchpoints());
  for (std::size_t j = 0; j < js.size(); ++j) {
    const double c = js.conversions(j), n = js.nulls(j), v = js.value(j);
    if (!(c + n > 0)) continue;
    detail::CounterRng conv_rng(seed, j, 0), null_rng(seed, j, 1);
    const double tc = held_out_part(c, h, conv_rng), tn = held_out_part(n, h, null_rng);
    const double tv = c > 0 ? v * (tc / c) : 0.0;
    if (tc + tn > 0) test.add(js.path(j), js.times(j), tc, tn, tv);
    if (c - tc + n - tn > 0) train.add(js.path(j), js.times(j), c - tc, n - tn, c - tc > 0 ? v - tv : 0.0);
  }
  return {train.finish(), test.finish()};
}

// Probability of the transition from transient state i to column j of a fitted chain (0 if absent).
double probability(const detail::Chain& ch, std::size_t i, std::uint32_t j) {
  const auto first = ch.columns.begin() + std::ptrdiff_t(ch.row_offsets[i]);
  const auto last = ch.columns.begin() + std::ptrdiff_t(ch.row_offsets[i + 1]);
  const auto it = std::lower_bound(first, last, j);
  return it != last && *it == j ? ch.probabilities[std::size_t(it - ch.columns.begin())] : 0.0;
}

struct Prediction {
  double score, positive, negative;
};

// Weighted ROC AUC (ties count one half); NaN without positives or negatives.
double roc_auc(std::vector<Prediction>& p) {
  std::sort(p.begin(), p.end(), [](const Prediction& a, const Prediction& b) { return a.score < b.score; });
  double pos = 0, neg = 0, area = 0;
  for (std::size_t i = 0; i < p.size();) {
    std::size_t k = i;
    double gp = 0, gn = 0;
    for (; k < p.size() && p[k].score == p[i].score; ++k) {
      gp += p[k].positive;
      gn += p[k].negative;
    }
    area += gp * (neg + 0.5 * gn);  // positives of this score rank above the negatives below it
    pos += gp;
    neg += gn;
    i = k;
  }
  if (!(pos > 0) || !(neg > 0)) return std::numeric_limits<double>::quiet_NaN();
  return area / (pos * neg);
}

}  // namespace

OrderChoice choose_order(const JourneySet& js, const OrderChoiceOptions& o, const Execution& exec) {
  if (o.max_order < 1 || o.max_order > kMaxOrder)
    throw InvalidArgument("max_order must be in 1.." + std::to_string(kMaxOrder) + ", got " +
                          std::to_string(o.max_order));
  if (!std::isfinite(o.holdout) || !(o.holdout > 0) || !(o.holdout < 1))
    throw InvalidArgument("holdout must be in (0, 1), got " + detail::format_double(o.holdout));
  if (!std::isfinite(o.floor) || !(o.floor > 0) || !(o.floor < 1))
    throw InvalidArgument("floor must be in (0, 1), got " + detail::format_double(o.floor));
  const Split parts = split(js, o.holdout, o.seed);
  if (parts.train.size() == 0 || parts.test.size() == 0)
    throw DataError("too few journeys to hold " + detail::format_double(o.holdout) +
                    " of them out: the training or the held-out part is empty");
  const double log_floor = std::log(o.floor);
  OrderChoice out;
  std::vector<std::uint32_t> scratch;
  std::vector<Prediction> predictions;
  for (unsigned k = 1; k <= o.max_order; ++k) {
    OrderScore sc;
    sc.order = k;
    ModelOptions mo;
    mo.order = k;
    mo.smoothing = o.smoothing;
    mo.self_loops = o.self_loops;
    {
      const MarkovModel all = MarkovModel::fit(js, mo, exec);
      const detail::Chain& ch = all.chain();
      sc.states = all.n_states();
      for (std::size_t i = 0; i < ch.size(); ++i) {
        double nonzero = 0;
        for (std::uint64_t q = ch.row_offsets[i]; q < ch.row_offsets[i + 1]; ++q) {
          if (ch.probabilities[q] > 0) nonzero += 1;
          if (ch.row_counts[q] > 0) {
            sc.log_likelihood += ch.row_counts[q] * std::log(ch.probabilities[q]);
            sc.observations += ch.row_counts[q];
          }
        }
        sc.parameters += std::max(0.0, nonzero - 1);
      }
      sc.aic = 2 * sc.parameters - 2 * sc.log_likelihood;
      sc.bic = sc.parameters * std::log(sc.observations) - 2 * sc.log_likelihood;
    }
    const MarkovModel train = MarkovModel::fit(parts.train, mo, exec);
    const detail::Chain& ch = train.chain();
    const std::uint32_t n = static_cast<std::uint32_t>(train.n_states());
    std::vector<double> h;
    detail::BackwardSolver(ch).solve(ch.p_conversion, h);
    const detail::StateLocator locate(train.counts(), parts.test.touchpoints());
    // P(conversion | first i touches) for i < k, before the chain's first state is known: the START row's
    // states that begin with those touches, weighted by their probabilities (short states included).
    detail::SequenceIndex prefixes;
    std::vector<double> prefix_mass, prefix_conv;
    for (std::uint64_t q = ch.row_offsets[0]; q < ch.row_offsets[1]; ++q) {
      const std::uint32_t s = ch.columns[q];
      const auto tokens = train.state_tokens(s);
      for (std::size_t i = 1; i <= std::min<std::size_t>(tokens.size(), k - 1); ++i) {
        const std::uint32_t id = prefixes.intern(tokens.data(), i);
        if (id == prefix_mass.size()) {
          prefix_mass.push_back(0);
          prefix_conv.push_back(0);
        }
        prefix_mass[id] += ch.probabilities[q];
        prefix_conv[id] += ch.probabilities[q] * h[s];
      }
    }
    predictions.clear();
    double loss = 0, weight = 0;
    std::vector<std::uint32_t> mapped_scratch;
    for (std::size_t j = 0; j < parts.test.size(); ++j) {
      const double c = parts.test.conversions(j), nn = parts.test.nulls(j), w = c + nn;
      // Scoring: the journey's transitions under the training chain.
      std::uint32_t prev = MarkovModel::kStartState;  // transient index, or kUnknown
      double ll = 0, unseen = 0;
      auto score = [&](std::uint32_t from, std::uint32_t to) {
        const double p = from == detail::StateLocator::kUnknown || to == detail::StateLocator::kUnknown
                             ? 0.0
                             : probability(ch, from, to);
        if (p > 0) return std::log(p);
        unseen += 1;
        return log_floor;
      };
      locate.walk(parts.test.path(j), scratch, [&](std::uint32_t s) {
        const std::uint32_t state = s == detail::StateLocator::kUnknown ? s : s + 1;
        ll += w * score(prev, state);
        prev = state;
      });
      sc.heldout_log_likelihood += ll;
      sc.unseen += w * unseen;
      if (c > 0) {
        const double u0 = unseen;
        sc.heldout_log_likelihood += c * score(prev, n);
        sc.unseen += c * (unseen - u0);
      }
      if (nn > 0) {
        const double u0 = unseen;
        sc.heldout_log_likelihood += nn * score(prev, n + 1);
        sc.unseen += nn * (unseen - u0);
      }
      sc.heldout_journeys += w;
      // Prediction after every touch, at the same points for every order. Unknown prefixes or states keep
      // the last prediction (START's to begin with).
      const auto path = parts.test.path(j);
      const std::uint32_t* mapped = locate.map(path, mapped_scratch);
      double p_conv = h[MarkovModel::kStartState];
      for (std::size_t i = 1; i <= path.size(); ++i) {
        if (i < k) {
          const std::uint32_t id = prefixes.find(mapped, i);
          if (id != detail::SequenceIndex::kEmpty && prefix_mass[id] > 0) p_conv = prefix_conv[id] / prefix_mass[id];
        } else {
          const std::uint32_t s = locate.find(mapped + (i - k));
          if (s != detail::StateLocator::kUnknown) p_conv = h[s + 1];
        }
        predictions.push_back({p_conv, c, nn});
        const double p = std::min(1 - 1e-15, std::max(1e-15, p_conv));
        loss -= c * std::log(p) + nn * std::log(1 - p);
        weight += w;
      }
    }
    sc.auc = roc_auc(predictions);
    sc.log_loss = weight > 0 ? loss / weight : 0.0;
    out.scores.push_back(sc);
  }
  std::size_t best = 0;
  for (std::size_t i = 1; i < out.scores.size(); ++i)
    if (out.scores[i].heldout_log_likelihood > out.scores[best].heldout_log_likelihood) best = i;
  out.recommended_order = out.scores[best].order;
  return out;
}

}  // namespace journeygraph
