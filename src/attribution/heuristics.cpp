// Rule-based attribution: the heuristic catalogue and the simplified (and ordered) Shapley value.

#include <algorithm>
#include <cmath>
#include <memory>

#include "attribution/rules.hpp"
#include "common/exact.hpp"
#include "common/sequence_index.hpp"
#include "common/text.hpp"
#include "journeygraph/error.hpp"

namespace journeygraph::detail {

void validate(const HeuristicOptions& o) {
  auto weight = [](double w, const char* name) {
    if (!std::isfinite(w) || w < 0 || w > 1)
      throw InvalidArgument(std::string("position_based ") + name + " must be in [0, 1], got " + format_double(w));
  };
  weight(o.first_weight, "first_weight");
  weight(o.last_weight, "last_weight");
  if (o.first_weight + o.last_weight > 1 + 1e-12)
    throw InvalidArgument("position_based first_weight + last_weight must be <= 1, got " +
                          format_double(o.first_weight) + " + " + format_double(o.last_weight));
  if (!std::isfinite(o.half_life) || !(o.half_life > 0))
    throw InvalidArgument("time_decay half_life must be a finite number of seconds > 0, got " +
                          format_double(o.half_life));
  for (const auto& name : o.excluded)
    if (name.empty()) throw InvalidArgument("last_non_direct: an excluded touchpoint name is empty");
}

void validate(const ShapleyOptions&) {}

void validate(const BootstrapOptions& o) {
  if (!std::isfinite(o.confidence) || !(o.confidence > 0) || !(o.confidence < 1))
    throw InvalidArgument("bootstrap confidence must be in (0, 1), got " + format_double(o.confidence));
  if (o.replicates == 1)
    throw InvalidArgument("bootstrap replicates must be 0 (off) or at least 2, got 1");
}

std::vector<std::uint32_t> sorted_rank(const JourneySet& js) {
  const auto& names = js.touchpoints().names();
  std::vector<std::uint32_t> ids(names.size());
  for (std::uint32_t i = 0; i < ids.size(); ++i) ids[i] = i;
  std::sort(ids.begin(), ids.end(), [&](std::uint32_t a, std::uint32_t b) { return names[a] < names[b]; });
  std::vector<std::uint32_t> rank(names.size());
  for (std::uint32_t r = 0; r < ids.size(); ++r) rank[ids[r]] = r;
  return rank;
}

CreditRule::CreditRule(AttributionModel model, const AttributionOptions& o, const JourneySet& js,
                       const Progress* progress)
    : model_(model) {
  if (model == AttributionModel::markov)
    throw InvalidArgument("markov is not a rule-based model; use attribute() or removal_effects()");
  validate(o.heuristics);
  const std::size_t n = js.touchpoints().size();
  stamp_.assign(n, 0);
  switch (model) {
    case AttributionModel::position_based:
      first_ = o.heuristics.first_weight;
      last_ = o.heuristics.last_weight;
      break;
    case AttributionModel::j_curve:
      first_ = 0.2;
      last_ = 0.6;
      break;
    case AttributionModel::inverse_j:
      first_ = 0.6;
      last_ = 0.2;
      break;
    case AttributionModel::last_non_direct:
      excluded_.assign(n, 0);
      for (const auto& name : o.heuristics.excluded)
        if (auto id = js.touchpoints().find(name)) excluded_[*id] = 1;
      break;
    case AttributionModel::time_decay:
      if (!js.has_timestamps())
        throw InvalidArgument(
            "the time_decay model needs touch timestamps, but the journeys have none (build them from events "
            "with a time column, or leave time_decay out)");
      time_unit_ = js.time_unit();
      half_life_ = o.heuristics.half_life;
      break;
    case AttributionModel::shapley:
    case AttributionModel::ordered_shapley:
      validate(o.shapley);
      cap_ = o.shapley.max_coalition;
      break;
    case AttributionModel::fractribution: {
      // Only the rates a share reads are kept: those of the converting paths and of the paths one touch
      // shorter, so the index grows with the converting journeys, not with all of them.
      std::vector<std::uint32_t> shorter;
      for (std::size_t j = 0; j < js.size(); ++j) {
        if (progress && (j & 0xFFFF) == 0xFFFF) progress->poll();
        if (!(js.conversions(j) > 0)) continue;
        const auto p = js.path(j);
        paths_.intern(p);
        if (p.size() < 2) continue;
        for (std::size_t i = 0; i < p.size(); ++i) {
          shorter.assign(p.begin(), p.end());
          shorter.erase(shorter.begin() + static_cast<std::ptrdiff_t>(i));
          paths_.intern(shorter.data(), shorter.size());
        }
      }
      std::vector<double> conv(paths_.size(), 0.0), weight(paths_.size(), 0.0);
      for (std::size_t j = 0; j < js.size(); ++j) {
        if (progress && (j & 0xFFFF) == 0xFFFF) progress->poll();
        if (!(js.weight(j) > 0)) continue;
        const auto p = js.path(j);
        const std::uint32_t id = paths_.find(p.data(), p.size());
        if (id == SequenceIndex::kEmpty) continue;
        conv[id] += js.conversions(j);
        weight[id] += js.weight(j);
      }
      rate_.resize(conv.size());
      for (std::size_t i = 0; i < conv.size(); ++i) rate_[i] = weight[i] > 0 ? conv[i] / weight[i] : 0.0;
      break;
    }
    default: break;
  }
}

double CreditRule::path_rate(const std::uint32_t* path, std::size_t n) const {
  const std::uint32_t id = paths_.find(path, n);
  return id == SequenceIndex::kEmpty ? 0.0 : rate_[id];
}

void CreditRule::coalition(Span<const std::uint32_t> p, std::vector<std::uint32_t>& out) const {
  distinct(p, cap_, out);
}

void CreditRule::coalition(Span<const std::uint32_t> p, std::vector<std::uint32_t>& out,
                           std::vector<std::uint32_t>& positions) const {
  coalition(p, out);
  positions.resize(out.size());
  if (cap_ == 0) {  // the coalition is every distinct touchpoint, in order of first appearance
    for (std::uint32_t i = 0; i < out.size(); ++i) positions[i] = i;
    return;
  }
  distinct(p, 0, all_);
  if (rank_.size() < stamp_.size()) rank_.resize(stamp_.size());
  for (std::uint32_t i = 0; i < all_.size(); ++i) rank_[all_[i]] = i;
  for (std::size_t i = 0; i < out.size(); ++i) positions[i] = rank_[out[i]];
}

void CreditRule::distinct(Span<const std::uint32_t> p, std::size_t cap, std::vector<std::uint32_t>& out) const {
  out.clear();
  if (++clock_ == 0) {  // the stamps wrapped around: start over
    std::fill(stamp_.begin(), stamp_.end(), 0);
    clock_ = 1;
  }
  if (cap == 0) {
    for (std::uint32_t t : p)
      if (stamp_[t] != clock_) {
        stamp_[t] = clock_;
        out.push_back(t);
      }
    return;
  }
  // The cap most recent distinct touchpoints, found from the end, then put back in order of first
  // appearance within the journey.
  std::size_t kept = 0;
  for (std::size_t i = p.size(); i-- > 0 && kept < cap;)
    if (stamp_[p[i]] != clock_) {
      stamp_[p[i]] = clock_;
      ++kept;
    }
  const std::uint32_t seen = clock_;
  if (++clock_ == 0) {
    std::fill(stamp_.begin(), stamp_.end(), 0);
    clock_ = 1;
    // Rare wrap-around: recompute the kept set with a plain list.
    scratch_.clear();
    for (std::size_t i = p.size(); i-- > 0 && scratch_.size() < cap;)
      if (std::find(scratch_.begin(), scratch_.end(), p[i]) == scratch_.end()) scratch_.push_back(p[i]);
    for (std::uint32_t t : p)
      if (std::find(scratch_.begin(), scratch_.end(), t) != scratch_.end() &&
          std::find(out.begin(), out.end(), t) == out.end())
        out.push_back(t);
    return;
  }
  for (std::uint32_t t : p)
    if (stamp_[t] == seen) {
      stamp_[t] = clock_;  // taken
      out.push_back(t);
    }
}

void CreditRule::shares(Span<const std::uint32_t> p, Span<const std::int64_t> times, std::vector<Share>& out) const {
  out.clear();
  const std::size_t n = p.size();
  if (n == 0) return;
  switch (model_) {
    case AttributionModel::first_touch: out.push_back({p.front(), 1.0}); break;
    case AttributionModel::last_touch: out.push_back({p.back(), 1.0}); break;
    case AttributionModel::last_non_direct: {
      std::size_t i = n;
      while (i > 0 && excluded_[p[i - 1]]) --i;
      out.push_back({i > 0 ? p[i - 1] : p.back(), 1.0});
      break;
    }
    case AttributionModel::linear: {
      const double share = 1.0 / double(n);
      for (std::uint32_t t : p) out.push_back({t, share});
      break;
    }
    case AttributionModel::position_based:
    case AttributionModel::j_curve:
    case AttributionModel::inverse_j: {
      if (n == 1) {
        out.push_back({p[0], 1.0});
      } else if (n == 2) {
        const double sum = first_ + last_;
        out.push_back({p[0], sum > 0 ? first_ / sum : 0.5});
        out.push_back({p[1], sum > 0 ? last_ / sum : 0.5});
      } else {
        const double middle = (1.0 - first_ - last_) / double(n - 2);
        out.push_back({p[0], first_});
        for (std::size_t i = 1; i + 1 < n; ++i) out.push_back({p[i], middle});
        out.push_back({p[n - 1], last_});
      }
      break;
    }
    case AttributionModel::time_decay: {
      // Ages are measured back from the last touch, so its weight is 1 and the sum never underflows.
      const std::int64_t end = times[n - 1];
      double sum = 0;
      for (std::size_t i = 0; i < n; ++i) {
        const double age = ticks_to_seconds(end - times[i], time_unit_);
        const double w = std::exp2(-age / half_life_);
        out.push_back({p[i], w});
        sum += w;
      }
      for (auto& s : out) s.share /= sum;
      break;
    }
    case AttributionModel::participation:
    case AttributionModel::shapley:
    case AttributionModel::ordered_shapley: {
      if (model_ == AttributionModel::participation) {
        distinct(p, 0, scratch_);
        for (std::uint32_t t : scratch_) out.push_back({t, 1.0});
      } else {
        coalition(p, scratch_);
        const double share = 1.0 / double(scratch_.size());
        for (std::uint32_t t : scratch_) out.push_back({t, share});
      }
      break;
    }
    case AttributionModel::fractribution:
      fractribution_shares(
          p, [this](const std::uint32_t* path, std::size_t len) { return path_rate(path, len); }, score_, scratch_,
          out);
      break;
    case AttributionModel::markov: break;
  }
}

std::vector<ModelAttribution> heuristic_attributions(const JourneySet& js, const std::vector<AttributionModel>& models,
                                                     const AttributionOptions& options, const Execution& exec) {
  if (models.empty()) return {};
  const Progress progress(exec, "heuristics");
  std::vector<std::unique_ptr<CreditRule>> rules;
  for (AttributionModel m : models) {
    if (m == AttributionModel::shapley || m == AttributionModel::ordered_shapley)
      throw InvalidArgument("heuristic_attributions: shapley models have their own pass");
    rules.push_back(std::make_unique<CreditRule>(m, options, js, &progress));
  }
  const auto rank = sorted_rank(js);
  std::vector<ModelAttribution> out;
  for (AttributionModel m : models)
    out.push_back({m, std::vector<double>(rank.size(), 0.0), std::vector<double>(rank.size(), 0.0), std::nullopt,
                   std::nullopt});
  std::vector<Share> shares;
  const std::size_t n = js.size();
  for (std::size_t j = 0; j < n; ++j) {
    if ((j & 0xFFFF) == 0xFFFF) progress.report(double(j) / double(n));
    const double c = js.conversions(j), v = js.value(j);
    if (c == 0) continue;
    const auto p = js.path(j);
    if (p.empty()) continue;
    for (std::size_t k = 0; k < models.size(); ++k) {
      double* oc = out[k].conversions.data();
      double* ov = out[k].value.data();
      // The three default heuristics inline, with the terms shares() would give (c * 1.0 is c).
      switch (models[k]) {
        case AttributionModel::first_touch:
          oc[rank[p.front()]] += c * 1.0;
          ov[rank[p.front()]] += v * 1.0;
          continue;
        case AttributionModel::last_touch:
          oc[rank[p.back()]] += c * 1.0;
          ov[rank[p.back()]] += v * 1.0;
          continue;
        case AttributionModel::linear: {
          const double share = 1.0 / double(p.size());
          for (std::uint32_t t : p) {
            oc[rank[t]] += c * share;
            ov[rank[t]] += v * share;
          }
          continue;
        }
        default: break;
      }
      rules[k]->shares(p, js.times(j), shares);
      for (const auto& s : shares) {
        oc[rank[s.touchpoint]] += c * s.share;
        ov[rank[s.touchpoint]] += v * s.share;
      }
    }
  }
  progress.report(1.0);
  return out;
}

}  // namespace journeygraph::detail

namespace journeygraph {

ShapleyResult shapley_attribution(const JourneySet& js, const ShapleyOptions& options) {
  AttributionOptions o;
  o.shapley = options;
  const detail::CreditRule rule(AttributionModel::shapley, o, js);
  const auto rank = detail::sorted_rank(js);
  const std::size_t nt = rank.size();
  // R(S) per distinct coalition with the journey positions of its members (touchpoint, position pairs),
  // summed exactly so that it does not depend on the journeys' order.
  detail::SequenceIndex sets;
  std::vector<detail::ExactSum> r_conv, r_value;
  std::vector<std::uint32_t> s, pos, key;
  for (std::size_t j = 0; j < js.size(); ++j) {
    const double c = js.conversions(j);
    if (c == 0) continue;
    rule.coalition(js.path(j), s, pos);
    key.clear();
    for (std::size_t i = 0; i < s.size(); ++i) {
      key.push_back(s[i]);
      key.push_back(pos[i]);
    }
    const std::uint32_t id = sets.intern(key.data(), key.size());
    if (id == r_conv.size()) {
      r_conv.emplace_back();
      r_value.emplace_back();
    }
    r_conv[id].add(c);
    r_value[id].add(js.value(j));
  }
  ShapleyResult out;
  out.touchpoints = sorted_touchpoints(js);
  out.conversions.assign(nt, 0.0);
  out.value.assign(nt, 0.0);
  std::size_t positions = 0;
  for (std::uint32_t id = 0; id < sets.size(); ++id) {
    const auto seq = sets.sequence(id);
    for (std::size_t i = 1; i < seq.size(); i += 2) positions = std::max<std::size_t>(positions, seq[i] + 1);
  }
  out.positions.positions = positions;
  out.positions.conversions.assign(nt * positions, 0.0);
  out.positions.value.assign(nt * positions, 0.0);
  // Unordered coalitions, for the count: the same set may appear in several orders and positions.
  detail::SequenceIndex unordered;
  for (std::uint32_t id = 0; id < sets.size(); ++id) {
    const auto seq = sets.sequence(id);
    const double k = double(seq.size() / 2);
    const double sc = r_conv[id].value() / k, sv = r_value[id].value() / k;
    s.clear();
    for (std::size_t i = 0; i < seq.size(); i += 2) {
      const std::uint32_t t = rank[seq[i]], p = seq[i + 1];
      out.conversions[t] += sc;
      out.value[t] += sv;
      out.positions.conversions[t * positions + p] += sc;
      out.positions.value[t * positions + p] += sv;
      s.push_back(seq[i]);
    }
    std::sort(s.begin(), s.end());
    unordered.intern(s.data(), s.size());
  }
  out.coalitions = unordered.size();
  return out;
}

ModelAttribution heuristic_attribution(const JourneySet& js, AttributionModel model, const AttributionOptions& options) {
  if (model == AttributionModel::shapley || model == AttributionModel::ordered_shapley) {
    ShapleyResult s = shapley_attribution(js, options.shapley);
    return {model, std::move(s.conversions), std::move(s.value), std::nullopt, std::nullopt};
  }
  const detail::CreditRule rule(model, options, js);
  const auto rank = detail::sorted_rank(js);
  ModelAttribution out{model, std::vector<double>(rank.size(), 0.0), std::vector<double>(rank.size(), 0.0),
                       std::nullopt, std::nullopt};
  std::vector<detail::Share> shares;
  for (std::size_t j = 0; j < js.size(); ++j) {
    const double c = js.conversions(j), v = js.value(j);
    if (c == 0) continue;
    rule.shares(js.path(j), js.times(j), shares);
    for (const auto& s : shares) {
      out.conversions[rank[s.touchpoint]] += c * s.share;
      out.value[rank[s.touchpoint]] += v * s.share;
    }
  }
  return out;
}

ModelAttribution heuristic_attribution(const JourneySet& js, AttributionModel model) {
  return heuristic_attribution(js, model, AttributionOptions{});
}

}  // namespace journeygraph
