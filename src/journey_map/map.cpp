// The journey map and its analyses: funnel, pain points, paths, Sankey flows, segments.

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <unordered_map>

#include "common/hash.hpp"
#include "common/parallel.hpp"
#include "common/text.hpp"
#include "journey_map/internal.hpp"
#include "journeygraph/error.hpp"
#include "markov/solver.hpp"

namespace journeygraph {

namespace {

// Stage position of every touchpoint id of the journeys, resolving `other`; the stage map may grow by
// the other stage.
std::vector<std::int32_t> resolve_stages(const JourneySet& js, StageMap& stages, const std::string& other) {
  const Dictionary& d = js.touchpoints();
  std::vector<std::int32_t> out(d.size(), -1);
  if (stages.empty()) {
    if (!other.empty())
      throw InvalidArgument("other_stage " + detail::show(other) + " was given without a stage map");
    return out;
  }
  std::optional<std::uint32_t> other_index;
  bool other_used = false;
  if (!other.empty()) other_index = stages.stage_index(other);
  for (std::uint32_t id = 0; id < d.size(); ++id) {
    if (auto s = stages.stage_of(d.name(id))) {
      out[id] = static_cast<std::int32_t>(*s);
      continue;
    }
    if (other.empty()) {
      std::string list;
      std::size_t missing = 0;
      for (std::uint32_t k = 0; k < d.size(); ++k)
        if (!stages.stage_of(d.name(k)) && ++missing <= 5) list += (missing > 1 ? ", " : "") + detail::show(d.name(k));
      throw InvalidArgument("touchpoint " + detail::show(d.name(id)) + " has no stage in " + stages.source() + " (" +
                            std::to_string(missing) + " touchpoint" + (missing > 1 ? "s" : "") +
                            " without a stage: " + list + (missing > 5 ? ", ..." : "") +
                            "); give every touchpoint a stage or name a stage for the others");
    }
    other_used = true;
    out[id] = other_index ? static_cast<std::int32_t>(*other_index) : static_cast<std::int32_t>(stages.size());
  }
  if (other_used && !other_index) {
    std::vector<std::string> order = stages.stages();
    order.push_back(other);
    StageMap grown(order);
    for (const auto& [tp, s] : stages.assignments()) grown.assign(tp, order[s]);
    grown.set_source(stages.source());
    stages = std::move(grown);
  }
  return out;
}

std::vector<std::uint32_t> sorted_rank(const Dictionary& d) {
  std::vector<std::uint32_t> ids(d.size());
  std::iota(ids.begin(), ids.end(), 0u);
  std::sort(ids.begin(), ids.end(), [&](std::uint32_t a, std::uint32_t b) { return d.name(a) < d.name(b); });
  std::vector<std::uint32_t> rank(d.size());
  for (std::uint32_t r = 0; r < ids.size(); ++r) rank[ids[r]] = r;
  return rank;
}

}  // namespace

JourneyMap::JourneyMap(JourneySet journeys, StageMap stages, const MapOptions& options, const Execution& exec)
    : journeys_(std::make_shared<const JourneySet>(std::move(journeys))), stages_(std::move(stages)), options_(options) {
  const JourneySet& js = *journeys_;
  stage_of_id_ = resolve_stages(js, stages_, options.other_stage);
  model_ = MarkovModel::fit(js, options.model, exec);
  graph_ = JourneyGraph::from_journeys(js, options.model.self_loops, exec);
  if (!stages_.empty()) {
    const auto rank = sorted_rank(js.touchpoints());
    std::vector<std::int32_t> by_node(rank.size(), -1);
    for (std::size_t id = 0; id < rank.size(); ++id) by_node[rank[id]] = stage_of_id_[id];
    graph_.set_stages(by_node);
  }
  absorption_ = detail::absorption_probabilities(model_);
  if (model_.conversion_probability() > 0) {
    removal_ = removal_effects(model_, exec);
  } else {
    // No conversions: nothing is lost by removing anything.
    const std::size_t nt = model_.touchpoints().size();
    removal_.touchpoints = model_.touchpoints();
    removal_.removal_effect.assign(nt, 0.0);
    removal_.removal_effect_value.assign(nt, 0.0);
    removal_.conversions.assign(nt, 0.0);
    removal_.value.assign(nt, 0.0);
    removal_.conversion_probability_without.assign(nt, 0.0);
  }
}

WhatIfResult JourneyMap::what_if(const std::vector<WhatIfEdit>& edits) const { return journeygraph::what_if(model_, edits); }

AttributionResult JourneyMap::attribution() const {
  AttributionOptions o;
  o.markov = options_.model;
  o.models = {AttributionModel::first_touch, AttributionModel::last_touch, AttributionModel::linear};
  AttributionResult r = attribute(*journeys_, o);
  // The Markov entry comes from the map's own removal effects, aligned to the sorted touchpoints.
  std::unordered_map<std::string, std::size_t> at;
  for (std::size_t i = 0; i < removal_.touchpoints.size(); ++i) at.emplace(removal_.touchpoints[i], i);
  const std::size_t nt = r.touchpoints.size();
  RemovalEffects aligned = removal_;
  aligned.touchpoints = r.touchpoints;
  aligned.removal_effect.assign(nt, 0.0);
  aligned.removal_effect_value.assign(nt, 0.0);
  aligned.conversions.assign(nt, 0.0);
  aligned.value.assign(nt, 0.0);
  aligned.conversion_probability_without.assign(nt, removal_.conversion_probability);
  for (std::size_t i = 0; i < nt; ++i) {
    auto it = at.find(r.touchpoints[i]);
    if (it == at.end()) continue;
    const std::size_t k = it->second;
    aligned.removal_effect[i] = removal_.removal_effect[k];
    aligned.removal_effect_value[i] = removal_.removal_effect_value[k];
    aligned.conversions[i] = removal_.conversions[k];
    aligned.value[i] = removal_.value[k];
    aligned.conversion_probability_without[i] = removal_.conversion_probability_without[k];
  }
  ModelAttribution markov;
  markov.model = AttributionModel::markov;
  markov.conversions = aligned.conversions;
  markov.value = aligned.value;
  r.models.insert(r.models.begin(), std::move(markov));
  r.markov = std::move(aligned);
  r.order = options_.model.order;
  return r;
}

// ------------------------------------------------------------------------------------------------
// Funnel
// ------------------------------------------------------------------------------------------------

namespace {
struct FunnelAcc {
  std::vector<FunnelStage> rows;
  std::vector<double> flow;
  std::vector<std::vector<detail::Sample>> stays, between;
  double journeys = 0, left_out = 0;
};
}  // namespace

const char* funnel_journeys_name(FunnelJourneys j) noexcept {
  switch (j) {
    case FunnelJourneys::first: return "first";
    case FunnelJourneys::repeat: return "repeat";
    case FunnelJourneys::all: return "all";
  }
  return "?";
}

FunnelJourneys parse_funnel_journeys(std::string_view name) {
  for (auto j : {FunnelJourneys::first, FunnelJourneys::repeat, FunnelJourneys::all})
    if (name == funnel_journeys_name(j)) return j;
  throw InvalidArgument("unknown funnel journeys " + detail::show(name) + " (known: first, repeat, all)");
}

Funnel JourneyMap::funnel(const Execution& exec) const { return funnel(FunnelOptions{}, exec); }

Funnel JourneyMap::funnel(const FunnelOptions& options, const Execution& exec) const {
  if (stages_.empty()) throw StateError("the map has no stages: build it with a StageMap to get a funnel");
  const JourneySet& js = *journeys_;
  const std::size_t S = stages_.size();
  const std::size_t W = S + 2;
  const bool timed = js.has_timestamps();
  const TimeUnit time_unit = js.time_unit();
  const std::size_t chunk = detail::journey_chunk(S * S);
  const std::size_t chunks = (js.size() + chunk - 1) / chunk;
  std::vector<FunnelAcc> acc(chunks);
  detail::parallel_for(chunks, exec, "funnel", [&](std::size_t c) {
    FunnelAcc& a = acc[c];
    a.rows.assign(S, FunnelStage{});
    a.flow.assign((S + 1) * W, 0.0);
    a.stays.assign(S, {});
    a.between.assign(S, {});
    std::vector<std::int32_t> st, sufmax;
    std::vector<std::size_t> first_at(S), next_after(S);
    std::vector<std::uint8_t> reached(S);
    constexpr std::size_t kNone = ~std::size_t(0);
    const std::size_t first = c * chunk, last = std::min(js.size(), first + chunk);
    for (std::size_t j = first; j < last; ++j) {
      const double conv = js.conversions(j), nul = js.nulls(j), w = conv + nul;
      if (!(w > 0)) continue;
      const bool repeat = js.follows_conversion(j);
      if ((options.journeys == FunnelJourneys::first && repeat) ||
          (options.journeys == FunnelJourneys::repeat && !repeat)) {
        a.left_out += w;
        continue;
      }
      a.journeys += w;
      const auto path = js.path(j);
      const auto times = js.times(j);
      const std::size_t L = path.size();
      st.resize(L);
      sufmax.resize(L + 1);
      for (std::size_t i = 0; i < L; ++i) st[i] = stage_of_id_[path[i]];
      sufmax[L] = -1;
      for (std::size_t i = L; i-- > 0;) sufmax[i] = std::max(sufmax[i + 1], st[i]);
      std::fill(reached.begin(), reached.end(), 0);
      for (std::size_t i = 0; i < L; ++i)
        if (!reached[st[i]]) {
          reached[st[i]] = 1;
          first_at[st[i]] = i;
        }
      a.rows[st[0]].entered_first += w;
      // Stage to stage: the first touch in stage s after the journey's first touch in stage s - 1.
      std::fill(next_after.begin(), next_after.end(), kNone);
      for (std::size_t i = 0; i < L; ++i) {
        const auto s = std::size_t(st[i]);
        if (s > 0 && next_after[s] == kNone && reached[s - 1] && first_at[s - 1] < i) next_after[s] = i;
      }
      for (std::size_t s = 1; s < S; ++s) {
        if (next_after[s] == kNone) continue;
        a.rows[s].from_previous += w;
        if (timed) a.between[s].push_back({ticks_to_seconds(times[next_after[s]] - times[first_at[s - 1]], time_unit), w});
      }
      for (std::size_t s = 0; s < S; ++s) {
        if (!reached[s]) continue;
        FunnelStage& r = a.rows[s];
        r.journeys += w;
        r.conversions += conv;
        if (sufmax[first_at[s] + 1] > std::int32_t(s)) {
          r.advanced += w;
        } else {
          r.converted += conv;
          r.dropped += nul;
        }
      }
      a.flow[0 * W + st[0]] += w;
      std::size_t run_start = 0;
      for (std::size_t i = 0; i + 1 < L; ++i) {
        const std::int32_t u = st[i], v = st[i + 1];
        a.flow[std::size_t(u + 1) * W + std::size_t(v)] += w;
        if (u == v) continue;
        if (v == u + 1) {
          a.rows[u].moves_forward += w;
        } else if (v > u) {
          a.rows[u].moves_skipping += w;
          for (std::int32_t k = u + 1; k < v; ++k) a.rows[k].skipped_over += w;
        } else {
          a.rows[u].moves_backward += w;
        }
        if (timed) a.stays[u].push_back({ticks_to_seconds(times[i + 1] - times[run_start], time_unit), w});
        run_start = i + 1;
      }
      a.flow[std::size_t(st[L - 1] + 1) * W + S] += conv;
      a.flow[std::size_t(st[L - 1] + 1) * W + S + 1] += nul;
    }
  });
  Funnel f;
  f.stages = stages_.stages();
  f.rows.assign(S, FunnelStage{});
  f.flow.assign((S + 1) * W, 0.0);
  f.counted = options.journeys;
  std::vector<std::vector<detail::Sample>> stays(S), between(S);
  for (FunnelAcc& a : acc) {
    f.journeys += a.journeys;
    f.left_out += a.left_out;
    for (std::size_t s = 0; s < S; ++s) {
      FunnelStage& r = f.rows[s];
      const FunnelStage& x = a.rows[s];
      r.journeys += x.journeys;
      r.entered_first += x.entered_first;
      r.advanced += x.advanced;
      r.converted += x.converted;
      r.dropped += x.dropped;
      r.conversions += x.conversions;
      r.from_previous += x.from_previous;
      r.moves_forward += x.moves_forward;
      r.moves_skipping += x.moves_skipping;
      r.moves_backward += x.moves_backward;
      r.skipped_over += x.skipped_over;
      stays[s].insert(stays[s].end(), a.stays[s].begin(), a.stays[s].end());
      between[s].insert(between[s].end(), a.between[s].begin(), a.between[s].end());
    }
    for (std::size_t k = 0; k < f.flow.size(); ++k) f.flow[k] += a.flow[k];
    std::vector<std::vector<detail::Sample>>().swap(a.stays);
    std::vector<std::vector<detail::Sample>>().swap(a.between);
  }
  for (std::size_t s = 0; s < S; ++s) {
    FunnelStage& r = f.rows[s];
    r.stage = f.stages[s];
    r.time_in_stage = detail::duration_stats(stays[s]);
    r.time_from_previous = detail::duration_stats(between[s]);
    r.step_rate = s > 0 && f.rows[s - 1].journeys > 0 ? r.from_previous / f.rows[s - 1].journeys
                                                       : std::numeric_limits<double>::quiet_NaN();
  }
  return f;
}

// ------------------------------------------------------------------------------------------------
// Pain points
// ------------------------------------------------------------------------------------------------

const char* pain_ranking_name(PainRanking r) noexcept {
  switch (r) {
    case PainRanking::drop_offs: return "drop_offs";
    case PainRanking::unconverted_exit_share: return "unconverted_exit_share";
    case PainRanking::conversions_at_risk: return "conversions_at_risk";
    case PainRanking::conversion_probability: return "conversion_probability";
  }
  return "?";
}

PainRanking parse_pain_ranking(std::string_view name) {
  for (auto r : {PainRanking::drop_offs, PainRanking::unconverted_exit_share, PainRanking::conversions_at_risk,
                 PainRanking::conversion_probability})
    if (name == pain_ranking_name(r)) return r;
  if (name == "exit_rate") return PainRanking::unconverted_exit_share;  // the former names
  if (name == "lost_conversions") return PainRanking::conversions_at_risk;
  throw InvalidArgument("unknown pain-point ranking " + detail::show(name) +
                        " (known: drop_offs, unconverted_exit_share, conversions_at_risk, conversion_probability)");
}

std::vector<PainPoint> JourneyMap::pain_points(const PainPointOptions& options) const {
  if (!(options.min_journeys >= 0) || !std::isfinite(options.min_journeys))
    throw InvalidArgument("min_journeys must be a finite number >= 0");
  const detail::Chain& ch = model_.chain();
  const std::size_t n = model_.n_states();
  const auto& tps = model_.touchpoints();
  const std::vector<double>& x = ch.solver->full_visits();
  const std::vector<std::uint32_t> last = detail::last_tokens(model_);
  std::vector<double> V(tps.size(), 0.0), E(tps.size(), 0.0), C(tps.size(), 0.0);
  for (std::size_t i = 1; i < n; ++i) {
    double p_null = 0;
    for (std::uint64_t q = ch.row_offsets[i]; q < ch.row_offsets[i + 1]; ++q)
      if (ch.columns[q] == n + 1) p_null += ch.probabilities[q];
    V[last[i]] += x[i];
    E[last[i]] += x[i] * p_null;
    C[last[i]] += x[i] * absorption_[i];
  }
  const double J = model_.counts().journeys();
  const auto& nodes = graph_.nodes();
  const std::uint32_t null_node = static_cast<std::uint32_t>(nodes.size() - 1);
  std::vector<PainPoint> out;
  for (std::uint32_t v = 1; v + 2 < nodes.size(); ++v) {
    PainPoint p;
    p.touchpoint = nodes[v].name;
    p.stage = nodes[v].stage;
    p.journeys = nodes[v].journeys;
    p.visits = nodes[v].visits;
    if (auto e = graph_.find_edge(v, null_node)) p.exits = graph_.edges()[*e].count;
    auto it = std::lower_bound(tps.begin(), tps.end(), p.touchpoint);
    if (it != tps.end() && *it == p.touchpoint) {
      const std::size_t t = static_cast<std::size_t>(it - tps.begin());
      if (V[t] > 0) {
        p.unconverted_exit_share = E[t] / V[t];
        p.conversion_probability = C[t] / V[t];
      }
      p.drop_offs = J * E[t];
      p.removal_effect = removal_.removal_effect[t];
      // The removal effects overlap (a conversion may need several touchpoints), so only their shares of
      // the sum add up: the Markov credit, whose sum over touchpoints is the total conversions.
      p.conversions_at_risk = removal_.conversions[t];
      p.exit_rate = p.unconverted_exit_share;
      p.lost_conversions = removal_.removal_effect[t] * removal_.total_conversions;
    }
    p.small_sample = p.journeys < options.min_journeys;
    out.push_back(std::move(p));
  }
  auto key = [&](const PainPoint& p) {
    switch (options.rank_by) {
      case PainRanking::drop_offs: return p.drop_offs;
      case PainRanking::unconverted_exit_share: return p.unconverted_exit_share;
      case PainRanking::conversions_at_risk: return p.conversions_at_risk;
      case PainRanking::conversion_probability: return -p.conversion_probability;
    }
    return 0.0;
  };
  std::stable_sort(out.begin(), out.end(), [&](const PainPoint& a, const PainPoint& b) {
    if (a.small_sample != b.small_sample) return !a.small_sample;
    const double ka = key(a), kb = key(b);
    if (ka != kb) return ka > kb;
    return a.touchpoint < b.touchpoint;
  });
  for (std::size_t i = 0; i < out.size(); ++i) out[i].rank = i + 1;
  return out;
}

// ------------------------------------------------------------------------------------------------
// Paths
// ------------------------------------------------------------------------------------------------

namespace {

// A distinct path: the first journey with it and the summed outcomes of all journeys with it.
struct Variant {
  std::size_t journey;
  double weight = 0, conversions = 0, value = 0;
};

constexpr std::size_t kPartitions = 64;  // fixed, so that the work items never depend on the thread count

struct PathAcc {
  std::map<std::size_t, std::pair<double, double>> lengths;
  std::vector<detail::Sample> to_conversion;
  std::array<std::size_t, kPartitions> per_partition{};
  double journeys = 0;
};

const std::vector<std::pair<double, std::string>>& duration_bins() {
  static const std::vector<std::pair<double, std::string>> bins = {
      {0, "< 1 h"},           {3600, "1-6 h"},          {6 * 3600, "6-24 h"},   {86400, "1-3 d"},
      {3 * 86400, "3-7 d"},   {7 * 86400, "7-14 d"},    {14 * 86400, "14-30 d"}, {30 * 86400, ">= 30 d"}};
  return bins;
}

std::size_t partition_of(std::uint64_t h) { return static_cast<std::size_t>(h >> 58); }

}  // namespace

PathAnalysis JourneyMap::paths(const PathOptions& options, const Execution& exec) const {
  const JourneySet& js = *journeys_;
  const std::size_t n = js.size();
  const bool timed = js.has_timestamps();
  const TimeUnit time_unit = js.time_unit();
  const std::size_t chunk = detail::journey_chunk(0);
  const std::size_t chunks = (n + chunk - 1) / chunk;
  // Pass 1: hash every path; lengths and time to conversion on the way.
  std::vector<std::uint64_t> hash(n, 0);
  std::vector<PathAcc> acc(chunks);
  detail::parallel_for(chunks, exec, "paths", [&](std::size_t c) {
    PathAcc& a = acc[c];
    const std::size_t first = c * chunk, last = std::min(n, first + chunk);
    for (std::size_t j = first; j < last; ++j) {
      const double conv = js.conversions(j), w = js.weight(j);
      if (!(w > 0)) continue;
      const auto p = js.path(j);
      a.journeys += w;
      hash[j] = detail::hash_words(p.data(), p.size());
      ++a.per_partition[partition_of(hash[j])];
      auto& l = a.lengths[p.size()];
      l.first += w;
      l.second += conv;
      if (timed && conv > 0) {
        const auto t = js.times(j);
        a.to_conversion.push_back({ticks_to_seconds(t[t.size() - 1] - t[0], time_unit), conv});
      }
    }
  });
  // Pass 2: journeys grouped by hash partition, each partition in journey order.
  std::vector<std::size_t> part_start(kPartitions + 1, 0);
  std::vector<std::array<std::size_t, kPartitions>> chunk_start(chunks);
  for (std::size_t q = 0; q < kPartitions; ++q) {
    std::size_t at = part_start[q];
    for (std::size_t c = 0; c < chunks; ++c) {
      chunk_start[c][q] = at;
      at += acc[c].per_partition[q];
    }
    part_start[q + 1] = at;
  }
  std::vector<std::size_t> order(part_start[kPartitions]);
  detail::parallel_for(chunks, exec, "paths", [&](std::size_t c) {
    auto fill = chunk_start[c];
    const std::size_t first = c * chunk, last = std::min(n, first + chunk);
    for (std::size_t j = first; j < last; ++j)
      if (js.weight(j) > 0) order[fill[partition_of(hash[j])]++] = j;
  });
  // Pass 3: distinct paths per partition (open addressing on the hash, paths compared on a match).
  std::vector<std::vector<Variant>> found(kPartitions);
  detail::parallel_for(kPartitions, exec, "paths", [&](std::size_t q) {
    const std::size_t count = part_start[q + 1] - part_start[q];
    std::size_t slots = 16;
    while (slots < 2 * count) slots <<= 1;
    std::vector<std::uint32_t> table(slots, 0xFFFFFFFFu);
    std::vector<Variant>& vars = found[q];
    for (std::size_t k = part_start[q]; k < part_start[q + 1]; ++k) {
      const std::size_t j = order[k];
      const auto p = js.path(j);
      std::size_t i = detail::mix64(hash[j]) & (slots - 1);
      while (true) {
        const std::uint32_t v = table[i];
        if (v == 0xFFFFFFFFu) {
          table[i] = static_cast<std::uint32_t>(vars.size());
          vars.push_back({j, js.weight(j), js.conversions(j), js.value(j)});
          break;
        }
        Variant& x = vars[v];
        const auto other = js.path(x.journey);
        if (hash[x.journey] == hash[j] && other.size() == p.size() && std::equal(p.begin(), p.end(), other.begin())) {
          x.weight += js.weight(j);
          x.conversions += js.conversions(j);
          x.value += js.value(j);
          break;
        }
        i = (i + 1) & (slots - 1);
      }
    }
  });
  PathAnalysis out;
  std::map<std::size_t, std::pair<double, double>> lengths;
  std::vector<detail::Sample> ttc;
  for (PathAcc& a : acc) {
    out.journeys += a.journeys;
    for (const auto& [len, wc] : a.lengths) {
      lengths[len].first += wc.first;
      lengths[len].second += wc.second;
    }
    ttc.insert(ttc.end(), a.to_conversion.begin(), a.to_conversion.end());
  }
  std::vector<Variant> list;
  for (auto& f : found) {
    out.distinct_paths += f.size();
    list.insert(list.end(), f.begin(), f.end());
    std::vector<Variant>().swap(f);
  }
  // Most common first; ties in order of first appearance.
  auto before = [](const Variant& a, const Variant& b) {
    return a.weight != b.weight ? a.weight > b.weight : a.journey < b.journey;
  };
  const std::size_t top = options.top == 0 ? list.size() : std::min(options.top, list.size());
  std::partial_sort(list.begin(), list.begin() + std::ptrdiff_t(top), list.end(), before);
  double cum = 0;
  for (std::size_t k = 0; k < top; ++k) {
    const Variant& v = list[k];
    PathVariant pv;
    for (std::uint32_t t : js.path(v.journey)) pv.touchpoints.push_back(js.touchpoints().name(t));
    pv.journeys = v.weight;
    pv.conversions = v.conversions;
    pv.value = v.value;
    pv.conversion_rate = v.weight > 0 ? v.conversions / v.weight : 0.0;
    pv.share = out.journeys > 0 ? v.weight / out.journeys : 0.0;
    cum += v.weight;
    pv.cumulative_share = out.journeys > 0 ? cum / out.journeys : 0.0;
    out.variants.push_back(std::move(pv));
  }
  for (const auto& [len, wc] : lengths) out.lengths.push_back({len, wc.first, wc.second});
  out.time_to_conversion = detail::duration_stats(ttc);
  if (timed) {
    const auto& bins = duration_bins();
    for (std::size_t b = 0; b < bins.size(); ++b)
      out.time_to_conversion_bins.push_back(
          {bins[b].first, b + 1 < bins.size() ? bins[b + 1].first : HUGE_VAL, bins[b].second, 0.0});
    for (const auto& s : ttc) {
      std::size_t b = bins.size() - 1;
      while (b > 0 && s.value < bins[b].first) --b;
      out.time_to_conversion_bins[b].weight += s.weight;
    }
  }
  for (const detail::ChainPath& cp : detail::most_probable_paths(model_, options.most_probable)) {
    ProbablePath pp;
    pp.probability = cp.probability;
    for (std::size_t i = 1; i < cp.states.size(); ++i) {
      pp.states.push_back(model_.state_name(cp.states[i]));
      const auto tokens = model_.state_tokens(cp.states[i]);
      if (i == 1) {
        for (std::uint32_t t : tokens) pp.touchpoints.push_back(model_.touchpoints()[t]);
      } else {
        pp.touchpoints.push_back(model_.touchpoints()[tokens.back()]);
      }
    }
    out.most_probable.push_back(std::move(pp));
  }
  return out;
}

// ------------------------------------------------------------------------------------------------
// Sankey
// ------------------------------------------------------------------------------------------------

SankeyData JourneyMap::sankey(const SankeyOptions& options, const Execution& exec) const {
  if (options.max_steps == 0) throw InvalidArgument("sankey: max_steps must be at least 1");
  if (options.by_stage && stages_.empty()) throw StateError("sankey by stage needs a map with stages");
  const JourneySet& js = *journeys_;
  const auto rank = sorted_rank(js.touchpoints());
  std::vector<std::string> keys;
  if (options.by_stage) {
    keys = stages_.stages();
  } else {
    keys.resize(rank.size());
    for (std::size_t id = 0; id < rank.size(); ++id) keys[rank[id]] = js.touchpoints().name(static_cast<std::uint32_t>(id));
  }
  const std::uint32_t K = static_cast<std::uint32_t>(keys.size());
  const std::uint32_t kConv = K, kNull = K + 1, kCont = K + 2;
  keys.push_back("(conversion)");
  keys.push_back("(null)");
  keys.push_back("(continues)");
  const std::uint64_t KK = keys.size();
  // Node id = step * KK + key, for steps 1..max_steps + 1. Each link's flow is summed in journey order (a hash
  // map: one lookup per link of a journey), and the links are then put in (from, to) order.
  struct LinkHash {
    std::size_t operator()(const std::pair<std::uint64_t, std::uint64_t>& k) const noexcept {
      return static_cast<std::size_t>(detail::mix64(k.first * 0x9E3779B97F4A7C15ULL + k.second));
    }
  };
  std::unordered_map<std::pair<std::uint64_t, std::uint64_t>, double, LinkHash> sums;
  std::vector<std::uint32_t> runs;
  const detail::Progress progress(exec, "sankey");
  for (std::size_t j = 0; j < js.size(); ++j) {
    if ((j & 0xFFF) == 0) progress.report(double(j) / double(js.size()));
    const double conv = js.conversions(j), nul = js.nulls(j), w = conv + nul;
    if (!(w > 0)) continue;
    runs.clear();
    for (std::uint32_t t : js.path(j)) {
      const std::uint32_t k = options.by_stage ? static_cast<std::uint32_t>(stage_of_id_[t]) : rank[t];
      if (runs.empty() || runs.back() != k) runs.push_back(k);
    }
    const std::size_t steps = std::min(runs.size(), options.max_steps);
    for (std::size_t i = 0; i + 1 < steps; ++i)
      sums[{(i + 1) * KK + runs[i], (i + 2) * KK + runs[i + 1]}] += w;
    const std::uint64_t from = steps * KK + runs[steps - 1];
    if (runs.size() > steps) {
      sums[{from, (steps + 1) * KK + kCont}] += w;
    } else {
      if (conv > 0) sums[{from, (steps + 1) * KK + kConv}] += conv;
      if (nul > 0) sums[{from, (steps + 1) * KK + kNull}] += nul;
    }
  }
  progress.report(1.0);
  std::vector<std::pair<std::pair<std::uint64_t, std::uint64_t>, double>> links(sums.begin(), sums.end());
  std::sort(links.begin(), links.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::map<std::uint64_t, std::uint32_t> node_index;
  for (const auto& [ft, v] : links) {
    node_index.emplace(ft.first, 0);
    node_index.emplace(ft.second, 0);
  }
  SankeyData s;
  for (auto& [id, index] : node_index) {
    index = static_cast<std::uint32_t>(s.nodes.size());
    const std::size_t step = static_cast<std::size_t>(id / KK);
    const std::string& key = keys[id % KK];
    s.nodes.push_back({std::to_string(step) + ". " + key, key, step});
  }
  for (const auto& [ft, v] : links) s.links.push_back({node_index[ft.first], node_index[ft.second], v});
  (void)kNull;
  return s;
}

// ------------------------------------------------------------------------------------------------
// Segments
// ------------------------------------------------------------------------------------------------

std::vector<std::pair<std::string, JourneyMap>> map_segments(const JourneySet& journeys, const StageMap& stages,
                                                             const MapOptions& options, const Execution& exec) {
  if (!journeys.has_segments()) throw StateError("the journeys have no segments (read them with a segment column)");
  std::vector<std::pair<std::string, JourneyMap>> out;
  for (std::uint32_t s = 0; s < journeys.segments().size(); ++s) {
    JourneySet part = journeys.segment_subset(s);
    if (!(part.total_conversions() + part.total_nulls() > 0)) continue;
    out.emplace_back(journeys.segments().name(s), JourneyMap(std::move(part), stages, options, exec));
  }
  return out;
}

}  // namespace journeygraph
