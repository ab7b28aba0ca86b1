// Choice of the chain's order. Every order scores the same events (each touch and each ending of every
// journey), so that likelihoods, AIC and BIC compare; a held-out event whose history the training chain never
// saw is scored by its longest seen suffix instead of being dropped; the recommendation follows the
// one-standard-error rule.

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>

#include "common/parallel.hpp"
#include "common/random.hpp"
#include "common/sequence_index.hpp"
#include "common/text.hpp"
#include "journeygraph/analysis.hpp"
#include "journeygraph/error.hpp"
#include "markov/backward.hpp"
#include "markov/solver.hpp"
#include "markov/walk.hpp"

namespace journeygraph {

namespace {

struct Split {
  JourneySet train, test;
};

// Whole rows are held out, each with probability h from its own stream. A row of aggregated paths is one
// observed path with the number of journeys that took it: splitting its journeys between the parts would
// let the training part memorise the very paths it is then tested on, so that a chain of high enough order
// to spell out whole paths always looks best on held-out data. For events a row is one journey.
Split split(const JourneySet& js, double h, std::uint64_t seed) {
  JourneySetBuilder train(js.has_timestamps(), js.time_unit()), test(js.has_timestamps(), js.time_unit());
  train.set_touchpoints(js.touchpoints());
  test.set_touchpoints(js.touchpoints());
  for (std::size_t j = 0; j < js.size(); ++j) {
    if (!(js.weight(j) > 0)) continue;
    detail::CounterRng rng(seed, j, 0);
    (rng.uniform() < h ? test : train).add(js.path(j), js.times(j), js.conversions(j), js.nulls(j), js.value(j));
  }
  return {train.finish(), test.finish()};
}

// Under SelfLoops::drop the chains of different orders collapse different repeats (order 1 every run of one
// touchpoint, order 2 only runs of three or more), so they would describe different sequences. Collapsing the
// runs first makes every order see the touches order 1 sees, and drop then equals keep.
JourneySet collapse_runs(const JourneySet& js) {
  JourneySetBuilder b(js.has_timestamps(), js.time_unit());
  b.set_touchpoints(js.touchpoints());
  std::vector<std::uint32_t> path;
  std::vector<std::int64_t> times;
  for (std::size_t j = 0; j < js.size(); ++j) {
    const auto p = js.path(j);
    const auto t = js.times(j);
    path.clear();
    times.clear();
    for (std::size_t i = 0; i < p.size(); ++i) {
      if (!path.empty() && path.back() == p[i]) continue;
      path.push_back(p[i]);
      if (!t.empty()) times.push_back(t[i]);
    }
    b.add(Span<const std::uint32_t>(path), Span<const std::int64_t>(times), js.conversions(j), js.nulls(j),
          js.value(j));
  }
  return b.finish();
}

// Probability of the transition from transient state i to column j of a fitted chain (0 if absent).
double probability(const detail::Chain& ch, std::size_t i, std::uint32_t j) {
  const auto first = ch.columns.begin() + std::ptrdiff_t(ch.row_offsets[i]);
  const auto last = ch.columns.begin() + std::ptrdiff_t(ch.row_offsets[i + 1]);
  const auto it = std::lower_bound(first, last, j);
  return it != last && *it == j ? ch.probabilities[std::size_t(it - ch.columns.begin())] : 0.0;
}

// Probabilities of events under the chains of orders 1..K fitted on the same (training) journeys.
//
// Event i of a journey is its touch i (0-based) or, for i = length, its ending (conversion or null); its
// history is the i touches before it, with START before the first. The chain of order k predicts event i from
// the last k touches when i >= k (the transition out of that k-gram state), and from all i touches with START
// when i < k: START -> first state is the joint probability of the first k touches, and its conditionals are
// ratios of the START row's mass on the states that begin with a given prefix. The product of these
// conditionals over a journey is the chain's probability of the journey, so every order scores the same
// length + 1 events of every journey.
//
// A history the chain never saw backs off to its longest seen suffix: START dropped (the same touches as an
// inner k-gram), then without the oldest touch, and so on down to the last touch alone (the order-1 chain);
// only a last touch never seen in training leaves the base, the training frequency of each event among all
// events. The event then gets the probability the history used gives it, or the floor if that is 0: a seen
// history is the chain's own prediction, and the chain says the event cannot follow it. (Backing off such
// events too would score a chain by more than its probabilities, which sum to 1 over what it saw; the
// excess grows with the order and makes the highest order look best.)
class EventScorer {
 public:
  static constexpr std::uint32_t kConversion = 0xFFFFFFFDu, kNull = 0xFFFFFFFEu;

  struct Score {
    double log_p;
    bool backed_off;  // the history used is shorter than the order's
    bool floored;     // the history used gives the event probability 0
  };

  // chains[k - 1] is the chain of order k (SelfLoops::keep). test: the dictionary the scored paths index.
  EventScorer(const std::vector<MarkovModel>& chains, const Dictionary& test, double floor)
      : chains_(chains), log_floor_(std::log(floor)) {
    for (const auto& m : chains_) locators_.emplace_back(m.counts(), test);
    // Histories anchored at START, of 0..K-1 touches, from the START row of the largest order.
    const MarkovModel& top = chains_.back();
    const detail::Chain& ch = top.chain();
    const auto k = std::size_t(top.order());
    const auto n = static_cast<std::uint32_t>(ch.size());
    for (std::uint64_t q = ch.row_offsets[0]; q < ch.row_offsets[1]; ++q) {
      const std::uint32_t s = ch.columns[q];
      const double w = ch.row_counts[q];
      const auto tokens = top.state_tokens(s);
      for (std::size_t j = 0; j < tokens.size(); ++j) add_prefix(tokens.data(), j, tokens[j], w);
      if (tokens.size() < k) {  // a short state: the journey ends after these touches
        add_prefix(tokens.data(), tokens.size(), kConversion, w * probability(ch, s, n));
        add_prefix(tokens.data(), tokens.size(), kNull, w * probability(ch, s, n + 1));
      }
    }
    // The base: every event of the training journeys, from the order-1 chain (each touch enters its state).
    const detail::Chain& one = chains_.front().chain();
    const auto n1 = static_cast<std::uint32_t>(one.size());
    base_.assign(n1 + 1, 0.0);  // touchpoint states 1..n1-1, then conversion (n1 - 1 + 1) and null
    double total = 0;
    for (std::size_t i = 0; i < one.size(); ++i)
      for (std::uint64_t q = one.row_offsets[i]; q < one.row_offsets[i + 1]; ++q) {
        const std::uint32_t c = one.columns[q];
        base_[c - 1] += one.row_counts[q];
        total += one.row_counts[q];
      }
    for (double& b : base_) b /= total;
  }

  // The path's touchpoints as ids of the chains (unknown ones above the known range), padded.
  const std::uint32_t* map(Span<const std::uint32_t> path, std::vector<std::uint32_t>& scratch) const {
    return locators_.front().map(path, scratch);
  }

  // Event i of the mapped path g (g[i] for a touch; event = kConversion or kNull for the ending) under the
  // chain of order k: its history, or the longest suffix of it that training saw.
  Score event(const std::uint32_t* g, std::size_t i, std::uint32_t event, unsigned k) const {
    if (i < k) {
      const std::uint32_t id = prefixes_.find(g, i);
      if (id != detail::SequenceIndex::kEmpty) {
        const auto it = prefix_next_.find(key(id, event));
        return finish(it == prefix_next_.end() ? 0.0 : it->second / prefix_mass_[id], false);
      }
    }
    for (std::size_t m = std::min<std::size_t>(k, i); m >= 1; --m) {
      const detail::StateLocator& loc = locators_[m - 1];
      const std::uint32_t s = loc.find(g + (i - m));
      if (s == detail::StateLocator::kUnknown) continue;
      const detail::Chain& ch = chains_[m - 1].chain();
      const auto n = static_cast<std::uint32_t>(ch.size());
      double p = 0;
      if (event == kConversion || event == kNull) {
        p = probability(ch, s + 1, event == kConversion ? n : n + 1);
      } else {
        const std::uint32_t next = loc.find(g + (i - m + 1));
        if (next != detail::StateLocator::kUnknown) p = probability(ch, s + 1, next + 1);
      }
      return finish(p, m < k);
    }
    const std::size_t b = event == kConversion           ? base_.size() - 2
                          : event == kNull               ? base_.size() - 1
                          : event < base_.size() - 2 ? std::size_t(event)
                                                         : base_.size();
    return finish(b < base_.size() ? base_[b] : 0.0, true);
  }

 private:
  static std::uint64_t key(std::uint32_t prefix, std::uint32_t event) {
    return (std::uint64_t(prefix) << 32) | event;
  }
  void add_prefix(const std::uint32_t* tokens, std::size_t len, std::uint32_t event, double w) {
    const std::uint32_t id = prefixes_.intern(tokens, len);
    if (id == prefix_mass_.size()) prefix_mass_.push_back(0);
    prefix_mass_[id] += w;
    prefix_next_[key(id, event)] += w;
  }
  Score finish(double p, bool backed_off) const {
    return p > 0 ? Score{std::log(p), backed_off, false} : Score{log_floor_, backed_off, true};
  }

  const std::vector<MarkovModel>& chains_;
  std::vector<detail::StateLocator> locators_;
  double log_floor_;
  detail::SequenceIndex prefixes_;
  std::vector<double> prefix_mass_;
  std::unordered_map<std::uint64_t, double> prefix_next_;
  std::vector<double> base_;  // by touchpoint id of the chains, then conversion and null
};

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

// Standard error of the total of x over sampled units (held-out rows): sqrt(G s^2), s^2 the sample variance
// of the G values.
double total_standard_error(const std::vector<double>& x) {
  const double g = double(x.size());
  if (!(g > 1)) return std::numeric_limits<double>::quiet_NaN();
  double sum = 0;
  for (double v : x) sum += v;
  const double mean = sum / g;
  double ss = 0;
  for (double v : x) ss += (v - mean) * (v - mean);
  return std::sqrt(g * ss / (g - 1));
}

constexpr const char* kOrderRule =
    "the smallest order whose held-out log-likelihood is within one standard error of the highest (the "
    "standard error of their difference over held-out rows)";

}  // namespace

OrderChoice choose_order(const JourneySet& input, const OrderChoiceOptions& o, const Execution& exec) {
  if (o.max_order < 1 || o.max_order > kMaxOrder)
    throw InvalidArgument("max_order must be in 1.." + std::to_string(kMaxOrder) + ", got " +
                          std::to_string(o.max_order));
  if (!std::isfinite(o.holdout) || !(o.holdout > 0) || !(o.holdout < 1))
    throw InvalidArgument("holdout must be in (0, 1), got " + detail::format_double(o.holdout));
  if (!std::isfinite(o.floor) || !(o.floor > 0) || !(o.floor < 1))
    throw InvalidArgument("floor must be in (0, 1), got " + detail::format_double(o.floor));
  const bool collapse = o.self_loops == SelfLoops::drop;
  const JourneySet collapsed = collapse ? collapse_runs(input) : JourneySet();
  const JourneySet& js = collapse ? collapsed : input;
  const Split parts = split(js, o.holdout, o.seed);
  if (parts.train.size() == 0 || parts.test.size() == 0)
    throw DataError("too few journeys to hold out " + detail::format_double(o.holdout) + " of the " +
                    std::to_string(js.size()) + " rows (seed " + std::to_string(o.seed) +
                    "): the training or the held-out part is empty; another seed or holdout share may split them");
  ModelOptions mo;
  mo.smoothing = o.smoothing;
  mo.self_loops = SelfLoops::keep;  // equal to drop on collapsed runs
  std::vector<MarkovModel> train;
  train.reserve(o.max_order);
  for (unsigned k = 1; k <= o.max_order; ++k) {
    mo.order = k;
    train.push_back(MarkovModel::fit(parts.train, mo, exec));
  }
  const EventScorer scorer(train, parts.test.touchpoints(), o.floor);

  // The scored events: every touch and every ending, weighted by the journeys a row stands for.
  auto events_of = [](const JourneySet& s) {
    double e = 0;
    for (std::size_t j = 0; j < s.size(); ++j) e += s.weight(j) * double(s.path(j).size() + 1);
    return e;
  };
  const double events = events_of(js), heldout_events = events_of(parts.test);

  OrderChoice out;
  out.rule = kOrderRule;
  std::vector<std::uint32_t> scratch, mapped_scratch;
  std::vector<Prediction> predictions;
  // Held-out log-likelihood of every held-out row (all the journeys it stands for), order by order.
  const std::size_t rows = parts.test.size();
  std::vector<double> row_ll(rows * o.max_order);
  for (unsigned k = 1; k <= o.max_order; ++k) {
    OrderScore sc;
    sc.order = k;
    sc.observations = events;
    sc.heldout_events = heldout_events;
    mo.order = k;
    {
      const MarkovModel all = MarkovModel::fit(js, mo, exec);
      const detail::Chain& ch = all.chain();
      sc.states = all.n_states();
      // Sum over the chain's transitions = sum over the events (see EventScorer).
      for (std::size_t i = 0; i < ch.size(); ++i) {
        double nonzero = 0;
        for (std::uint64_t q = ch.row_offsets[i]; q < ch.row_offsets[i + 1]; ++q) {
          if (ch.probabilities[q] > 0) nonzero += 1;
          if (ch.row_counts[q] > 0) sc.log_likelihood += ch.row_counts[q] * std::log(ch.probabilities[q]);
        }
        sc.parameters += std::max(0.0, nonzero - 1);
      }
      sc.aic = 2 * sc.parameters - 2 * sc.log_likelihood;
      sc.bic = sc.parameters * std::log(sc.observations) - 2 * sc.log_likelihood;
    }
    const MarkovModel& model = train[k - 1];
    const detail::Chain& ch = model.chain();
    std::vector<double> h;
    detail::BackwardSolver(ch).solve(ch.p_conversion, h);
    const detail::StateLocator locate(model.counts(), parts.test.touchpoints());
    // P(conversion | first i touches) for i < k, before the chain's first state is known: the START row's
    // states that begin with those touches, weighted by their probabilities (short states included).
    detail::SequenceIndex prefixes;
    std::vector<double> prefix_mass, prefix_conv;
    for (std::uint64_t q = ch.row_offsets[0]; q < ch.row_offsets[1]; ++q) {
      const std::uint32_t s = ch.columns[q];
      const auto tokens = model.state_tokens(s);
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
    // Scoring the held-out rows runs on the calling thread (seconds for millions): it reports as the stage
    // "order", the orders done and this one's share of rows.
    const detail::Progress progress(exec, "order");
    for (std::size_t j = 0; j < parts.test.size(); ++j) {
      if ((j & 0xFFF) == 0xFFF)
        progress.report((double(k - 1) + double(j) / double(rows)) / double(o.max_order));
      const double c = parts.test.conversions(j), nn = parts.test.nulls(j), w = c + nn;
      const auto path = parts.test.path(j);
      const std::uint32_t* g = scorer.map(path, scratch);
      // Scoring: every touch, then the ending the journey had.
      double ll = 0, backed_off = 0, floored = 0;
      auto tally = [&](const EventScorer::Score& e, double weight_of_event) {
        if (e.backed_off) backed_off += weight_of_event;
        if (e.floored) floored += weight_of_event;
        return e.log_p;
      };
      for (std::size_t i = 0; i < path.size(); ++i) ll += tally(scorer.event(g, i, g[i], k), w);
      const double ll_conv = c > 0 ? tally(scorer.event(g, path.size(), EventScorer::kConversion, k), c) : 0.0;
      const double ll_null = nn > 0 ? tally(scorer.event(g, path.size(), EventScorer::kNull, k), nn) : 0.0;
      row_ll[(k - 1) * rows + j] = w * ll + c * ll_conv + nn * ll_null;
      sc.heldout_log_likelihood += row_ll[(k - 1) * rows + j];
      sc.unseen += backed_off;
      sc.floored += floored;
      sc.heldout_journeys += w;
      // Prediction after every touch, at the same points for every order. Unknown prefixes or states keep
      // the last prediction (START's to begin with).
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
    progress.report(double(k) / double(o.max_order));
    sc.auc = roc_auc(predictions);
    sc.log_loss = weight > 0 ? loss / weight : 0.0;
    out.scores.push_back(sc);
  }
  std::size_t best = 0;
  for (std::size_t i = 1; i < out.scores.size(); ++i)
    if (out.scores[i].heldout_log_likelihood > out.scores[best].heldout_log_likelihood) best = i;
  out.best_order = out.scores[best].order;
  out.recommended_order = out.best_order;
  std::vector<double> difference(rows);
  for (std::size_t i = out.scores.size(); i-- > 0;) {
    OrderScore& sc = out.scores[i];
    for (std::size_t j = 0; j < rows; ++j) difference[j] = row_ll[i * rows + j] - row_ll[best * rows + j];
    sc.heldout_difference_se = i == best ? 0.0 : total_standard_error(difference);
    // A NaN standard error (one held-out row) recommends nothing but the best.
    if (out.scores[best].heldout_log_likelihood - sc.heldout_log_likelihood <= sc.heldout_difference_se)
      out.recommended_order = sc.order;
  }
  return out;
}

}  // namespace journeygraph
