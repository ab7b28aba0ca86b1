// Bootstrap confidence intervals for every attribution model (see include/journeygraph/uncertainty.hpp).

#include "attribution/bootstrap.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <memory>
#include <stdexcept>
#include <unordered_map>

#include "attribution/rules.hpp"
#include "common/parallel.hpp"
#include "journeygraph/error.hpp"
#include "markov/reweight.hpp"
#include "markov/walk.hpp"

namespace journeygraph::detail {

namespace {

constexpr std::uint32_t kNone = 0xFFFFFFFFu;

// log(k!) without lgamma (which is not thread-safe in glibc): a table below 32, Stirling's series above
// (error below 1e-15 relative there).
double log_factorial(double k) {
  static const std::array<double, 32> table = [] {
    std::array<double, 32> t{};
    double acc = 0;
    t[0] = 0;
    for (int i = 1; i < 32; ++i) t[i] = acc += std::log(double(i));
    return t;
  }();
  if (k < 32) return table[static_cast<std::size_t>(k)];
  const double x = k + 1, x2 = x * x;
  return (x - 0.5) * std::log(x) - x + 0.91893853320467274178 +
         (1.0 / 12 - (1.0 / 360 - (1.0 / 1260 - 1.0 / (1680 * x2)) / x2) / x2) / x;
}

}  // namespace

double poisson(double mean, CounterRng& rng) {
  if (!(mean > 0)) return 0;
  if (mean < 10) {
    // Inversion: walk up the cumulative distribution from 0.
    // Rows of event journeys all have mean 1: their e^-1 is computed once (the same bits as every time).
    static const double exp_minus_one = std::exp(-1.0);
    const double u = rng.uniform();
    double p = mean == 1.0 ? exp_minus_one : std::exp(-mean), cdf = p;
    double k = 0;
    while (u > cdf && p > 0) {
      k += 1;
      p *= mean / k;
      cdf += p;
    }
    return k;
  }
  // PTRS: W. Hormann, "The transformed rejection method for generating Poisson random variables",
  // Insurance: Mathematics and Economics 12 (1993). Acceptance rate above 0.9 for every mean >= 10.
  const double smu = std::sqrt(mean), log_mean = std::log(mean);
  const double b = 0.931 + 2.53 * smu, a = -0.059 + 0.02483 * b;
  const double inv_alpha = 1.1239 + 1.1328 / (b - 3.4), v_r = 0.9277 - 3.6224 / (b - 2);
  while (true) {
    const double u = rng.uniform() - 0.5, v = rng.uniform();
    const double us = 0.5 - std::abs(u);
    const double k = std::floor((2 * a / us + b) * u + mean + 0.43);
    if (us >= 0.07 && v <= v_r) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (std::log(v) + std::log(inv_alpha) - std::log(a / (us * us) + b) <= -mean + k * log_mean - log_factorial(k))
      return k;
  }
}

RowDraw draw_row(std::uint64_t seed, std::uint64_t replicate, std::uint64_t row, double conversions, double nulls,
                 double value) {
  RowDraw d;
  if (conversions > 0) {
    CounterRng g(seed, replicate, 2 * row);
    d.conversions = poisson(conversions, g);
    if (d.conversions > 0 && value != 0) d.value = value * (d.conversions / conversions);
  }
  if (nulls > 0) {
    CounterRng g(seed, replicate, 2 * row + 1);
    d.nulls = poisson(nulls, g);
  }
  return d;
}

Resampler::Resampler(const JourneySet& js, const AttributionOptions& options, const TransitionCounts* markov_counts,
                     const Progress* progress)
    : js_(js), n_touchpoints_(js.touchpoints().size()), counts_(markov_counts) {
  auto check = [progress](std::size_t i) {
    if (progress && (i & 0xFFFF) == 0xFFFF) progress->poll();
  };
  path_of_row_.assign(js.size(), kNone);
  for (std::size_t j = 0; j < js.size(); ++j) {
    check(j);
    if (!(js.weight(j) > 0)) continue;
    path_of_row_[j] = paths_.intern(js.path(j));
    if (js.conversions(j) > 0) converting_rows_.push_back(j);
  }
  const std::size_t np = paths_.size();
  const auto rank = sorted_rank(js);

  // Shares of one conversion per path (or per converting row for models that read timestamps).
  std::vector<AttributionModel> done;
  std::vector<Share> shares;
  for (AttributionModel m : options.models) {
    if (m == AttributionModel::markov || std::find(done.begin(), done.end(), m) != done.end()) continue;
    done.push_back(m);
    const CreditRule rule(m, options, js, progress);
    RuleShares rs{m, rule.needs_times(), {0}, {}, {}};
    std::size_t added = 0;
    auto add = [&](Span<const std::uint32_t> path, Span<const std::int64_t> times) {
      check(added++);
      rule.shares(path, times, shares);
      for (const auto& s : shares) {
        rs.touchpoint.push_back(rank[s.touchpoint]);
        rs.share.push_back(s.share);
      }
      rs.offsets.push_back(rs.touchpoint.size());
    };
    if (rs.per_row) {
      need_rows_ = true;
      for (std::uint64_t j : converting_rows_) add(js.path(j), js.times(j));
    } else {
      for (std::uint32_t p = 0; p < np; ++p) add(paths_.sequence(p), {});
    }
    rules_.push_back(std::move(rs));
  }

  if (!counts_) return;
  // The base edges and the last state of each path, walked as TransitionCounts::count walks a journey.
  const TransitionCounts& tc = *counts_;
  const StateLocator locate(tc, js.touchpoints());
  std::unordered_map<std::uint64_t, std::uint32_t> edge_index;
  edge_index.reserve(tc.edges().size() * 2);
  for (std::uint32_t e = 0; e < tc.edges().size(); ++e) {
    const auto& edge = tc.edges()[e];
    const std::uint64_t from = edge.from == TransitionCounts::kStart ? 0 : std::uint64_t(edge.from) + 1;
    edge_index.emplace((from << 32) | edge.to, e);
  }
  auto broken = [] { throw std::logic_error("bootstrap: a path does not match the counts of its model"); };
  edge_offsets_.assign(1, 0);
  last_state_.assign(np, 0);
  std::vector<std::uint32_t> scratch;
  for (std::uint32_t p = 0; p < np; ++p) {
    check(p);
    std::uint64_t from = 0;  // START
    locate.walk(paths_.sequence(p), scratch, [&](std::uint32_t s) {
      if (s == StateLocator::kUnknown) broken();
      const auto it = edge_index.find((from << 32) | s);
      if (it == edge_index.end()) broken();
      edge_ids_.push_back(it->second);
      from = std::uint64_t(s) + 1;
    });
    last_state_[p] = std::uint32_t(from - 1);
    edge_offsets_.push_back(edge_ids_.size());
  }
}

void Resampler::draw(std::uint64_t seed, std::uint64_t r, Replicate& rep, const LoopPoll* poll) const {
  const std::size_t np = paths_.size();
  rep.path_conversions.assign(np, 0.0);
  rep.path_nulls.assign(np, 0.0);
  rep.path_value.assign(np, ExactSum());
  rep.rows = 0;
  if (need_rows_) {
    rep.row_conversions.assign(converting_rows_.size(), 0.0);
    rep.row_value.assign(converting_rows_.size(), 0.0);
  }
  std::size_t ci = 0;
  for (std::size_t j = 0; j < path_of_row_.size(); ++j) {
    if (poll && (j & 0xFFFF) == 0xFFFF) poll->poll();
    const std::uint32_t p = path_of_row_[j];
    if (p == kNone) continue;
    const double c = js_.conversions(j);
    const RowDraw d = draw_row(seed, r, j, c, js_.nulls(j), js_.value(j));
    rep.path_conversions[p] += d.conversions;
    rep.path_nulls[p] += d.nulls;
    if (d.value != 0) rep.path_value[p].add(d.value);
    if (d.conversions + d.nulls > 0) ++rep.rows;
    if (need_rows_ && c > 0) {
      rep.row_conversions[ci] = d.conversions;
      rep.row_value[ci] = d.value;
      ++ci;
    }
  }
  rep.path_value_sum.resize(np);
  for (std::size_t p = 0; p < np; ++p) rep.path_value_sum[p] = rep.path_value[p].value();
}

TransitionCounts Resampler::markov_counts(Replicate& rep, const LoopPoll* poll) const {
  const TransitionCounts& tc = *counts_;
  const std::size_t ns = tc.n_states();
  rep.edge_weight.assign(tc.edges().size(), 0.0);
  rep.end_conversions.assign(ns, 0.0);
  rep.end_nulls.assign(ns, 0.0);
  rep.end_value.assign(ns, ExactSum());
  for (std::size_t p = 0; p < paths_.size(); ++p) {
    if (poll && (p & 0xFFFF) == 0xFFFF) poll->poll();
    const double w = rep.path_conversions[p] + rep.path_nulls[p];
    if (w == 0) continue;
    for (std::uint64_t q = edge_offsets_[p]; q < edge_offsets_[p + 1]; ++q) rep.edge_weight[edge_ids_[q]] += w;
    const std::uint32_t s = last_state_[p];
    rep.end_conversions[s] += rep.path_conversions[p];
    rep.end_nulls[s] += rep.path_nulls[p];
    rep.end_value[s].add(rep.path_value[p]);
  }
  return reweighted_counts(tc, rep.edge_weight, rep.end_conversions, rep.end_nulls, rep.end_value, rep.rows);
}

void Resampler::credit(AttributionModel model, const Replicate& rep, double* conv, double* value) const {
  const std::size_t nt = n_touchpoints_;
  std::fill(conv, conv + nt, 0.0);
  std::fill(value, value + nt, 0.0);
  const RuleShares* rule = nullptr;
  for (const auto& r : rules_)
    if (r.model == model) rule = &r;
  if (!rule) throw std::logic_error("bootstrap: no shares for a requested model");
  if (model == AttributionModel::fractribution) {
    // Its shares depend on the path rates, which the replicate redraws: computed again from its draws.
    const auto rank = sorted_rank(js_);
    auto rate = [&](const std::uint32_t* path, std::size_t len) {
      const std::uint32_t id = paths_.find(path, len);
      if (id == SequenceIndex::kEmpty) return 0.0;
      const double w = rep.path_conversions[id] + rep.path_nulls[id];
      return w > 0 ? rep.path_conversions[id] / w : 0.0;
    };
    std::vector<double> score;
    std::vector<std::uint32_t> scratch;
    std::vector<Share> shares;
    for (std::uint32_t p = 0; p < paths_.size(); ++p) {
      const double c = rep.path_conversions[p];
      if (c == 0) continue;
      fractribution_shares(paths_.sequence(p), rate, score, scratch, shares);
      for (const auto& x : shares) {
        conv[rank[x.touchpoint]] += c * x.share;
        value[rank[x.touchpoint]] += rep.path_value_sum[p] * x.share;
      }
    }
    return;
  }
  const bool per_row = rule->per_row;
  const std::size_t units = per_row ? converting_rows_.size() : paths_.size();
  for (std::size_t u = 0; u < units; ++u) {
    const double c = per_row ? rep.row_conversions[u] : rep.path_conversions[u];
    if (c == 0) continue;
    const double v = per_row ? rep.row_value[u] : rep.path_value_sum[u];
    for (std::uint64_t q = rule->offsets[u]; q < rule->offsets[u + 1]; ++q) {
      conv[rule->touchpoint[q]] += c * rule->share[q];
      value[rule->touchpoint[q]] += v * rule->share[q];
    }
  }
}

double quantile_sorted(const std::vector<double>& sorted, double q) {
  const double h = double(sorted.size() - 1) * q;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  if (lo + 1 >= sorted.size()) return sorted.back();
  // Equal neighbours (two infinities among them) and exact order statistics need no interpolation; for finite
  // values this gives the same bits as the interpolation would.
  if (sorted[lo + 1] == sorted[lo] || h == double(lo)) return sorted[lo];
  return sorted[lo] + (h - double(lo)) * (sorted[lo + 1] - sorted[lo]);
}

namespace {

// Replicate scratch shared by the worker threads: each work item borrows one and gives it back.
class ScratchPool {
 public:
  std::unique_ptr<Resampler::Replicate> take() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (free_.empty()) return std::make_unique<Resampler::Replicate>();
    auto p = std::move(free_.back());
    free_.pop_back();
    return p;
  }
  void give(std::unique_ptr<Resampler::Replicate> p) {
    std::lock_guard<std::mutex> lock(mutex_);
    free_.push_back(std::move(p));
  }

 private:
  std::mutex mutex_;
  std::vector<std::unique_ptr<Resampler::Replicate>> free_;
};

// samples[r * nt + t] for the replicates r with ok[r] (all if ok is empty).
Intervals summarize(const std::vector<double>& samples, const std::vector<std::uint8_t>& ok,
                    const std::vector<double>& estimate, double confidence, std::size_t replicates) {
  const std::size_t nt = estimate.size();
  Intervals out;
  out.standard_error.assign(nt, 0.0);
  out.lower.assign(nt, 0.0);
  out.upper.assign(nt, 0.0);
  std::vector<double> v;
  double width = 0;
  std::size_t counted = 0;
  for (std::size_t t = 0; t < nt; ++t) {
    v.clear();
    for (std::size_t r = 0; r < replicates; ++r)
      if (ok.empty() || ok[r]) v.push_back(samples[r * nt + t]);
    if (v.size() < 2) continue;
    double mean = 0;
    for (double x : v) mean += x;
    mean /= double(v.size());
    double ss = 0;
    for (double x : v) ss += (x - mean) * (x - mean);
    out.standard_error[t] = std::sqrt(ss / double(v.size() - 1));
    std::sort(v.begin(), v.end());
    out.lower[t] = quantile_sorted(v, (1 - confidence) / 2);
    out.upper[t] = quantile_sorted(v, (1 + confidence) / 2);
    if (estimate[t] != 0) {
      width += (out.upper[t] - out.lower[t]) / std::abs(estimate[t]);
      ++counted;
    }
  }
  out.stability = counted ? width / double(counted) : 0.0;
  return out;
}

}  // namespace

void bootstrap(const JourneySet& js, const AttributionOptions& options, const MarkovModel* fitted,
               AttributionResult& res, const Execution& exec) {
  const BootstrapOptions& bo = options.bootstrap;
  validate(bo);
  const std::size_t reps = bo.replicates, nt = res.touchpoints.size(), nm = res.models.size();
  // Indexing the paths takes a pass over the journeys (seconds for millions): it asks the callback as the
  // stage's start (fraction 0).
  const Progress setup(exec, "bootstrap");
  const Resampler rs(js, options, fitted ? &fitted->counts() : nullptr, &setup);
  std::vector<std::vector<double>> conv(nm, std::vector<double>(reps * nt, 0.0)), value = conv;
  std::vector<double> removal(fitted ? reps * nt : 0, 0.0);
  std::vector<std::uint8_t> markov_ok(reps, 1);
  std::unordered_map<std::string, std::uint32_t> index;
  for (std::uint32_t t = 0; t < nt; ++t) index.emplace(res.touchpoints[t], t);
  ScratchPool pool;
  detail::parallel_for(reps, exec, "bootstrap", [&](std::size_t r, unsigned, const detail::LoopPoll& poll) {
    auto rep = pool.take();
    rs.draw(bo.seed, r, *rep, &poll);
    for (std::size_t m = 0; m < nm; ++m) {
      const AttributionModel model = res.models[m].model;
      if (model != AttributionModel::markov) {
        rs.credit(model, *rep, conv[m].data() + r * nt, value[m].data() + r * nt);
        continue;
      }
      const TransitionCounts counts = rs.markov_counts(*rep, &poll);
      if (!(counts.total_conversions() > 0)) {
        markov_ok[r] = 0;
        continue;
      }
      // One thread inside a replicate; its progress is this loop's poll, so a replicate of a large chain stops
      // within itself when the loop is cancelled.
      Execution one;
      one.threads = 1;
      one.progress = [&poll](double, const char*) {
        poll.poll();
        return true;
      };
      const MarkovModel chain = MarkovModel::fit(counts, options.markov.smoothing, one);
      const RemovalEffects re = removal_effects(chain, one);
      for (std::size_t i = 0; i < re.touchpoints.size(); ++i) {
        const std::uint32_t t = index.at(re.touchpoints[i]);
        conv[m][r * nt + t] = re.conversions[i];
        value[m][r * nt + t] = re.value[i];
        removal[r * nt + t] = re.removal_effect[i];
      }
    }
    pool.give(std::move(rep));
  });

  BootstrapSummary summary;
  summary.replicates = reps;
  summary.confidence = bo.confidence;
  summary.seed = bo.seed;
  std::vector<std::uint8_t> all;
  if (fitted) {
    for (std::uint8_t ok : markov_ok) summary.markov_failed_replicates += ok ? 0 : 1;
    if (reps - summary.markov_failed_replicates < 2)
      throw DataError("bootstrap: fewer than 2 of " + std::to_string(reps) +
                      " replicates drew a conversion, so the markov intervals are undefined (more data or more "
                      "replicates needed)");
  }
  for (std::size_t m = 0; m < nm; ++m) {
    ModelAttribution& ma = res.models[m];
    const auto& ok = ma.model == AttributionModel::markov ? markov_ok : all;
    ma.conversions_interval = summarize(conv[m], ok, ma.conversions, bo.confidence, reps);
    ma.value_interval = summarize(value[m], ok, ma.value, bo.confidence, reps);
    if (!ok.empty())
      for (std::size_t r = 0; r < reps; ++r)
        if (!ok[r])
          for (std::size_t t = 0; t < nt; ++t) conv[m][r * nt + t] = value[m][r * nt + t] = std::nan("");
  }
  res.replicates.resize(nm);
  for (std::size_t m = 0; m < nm; ++m) {
    res.replicates[m].conversions = std::move(conv[m]);
    res.replicates[m].value = std::move(value[m]);
  }
  if (fitted && res.markov)
    res.removal_effect_interval = summarize(removal, markov_ok, res.markov->removal_effect, bo.confidence, reps);
  res.bootstrap = summary;
}

}  // namespace journeygraph::detail
