// The funnel matcher (see matcher.hpp and funnel.hpp).
//
// Ordered and strict funnels are a dynamic programme over the touches that match a step: best[k][c] is the
// latest entry time (step-1 touch) of any valid matching of steps 1..k whose step-k touch is candidate c. Every
// constraint is between two consecutive picked touches (per-step window, exclusions, adjacency) except the
// whole-funnel window, which only needs the entry time, so best is all a prefix needs to carry: an extension is
// valid iff its predecessor is allowed and best >= t - window. For a fixed step pair the allowed predecessors
// of increasing candidates form a window whose both ends only move forward (times are sorted, the last
// excluded touch only moves forward), so a monotone deque gives each maximum in amortised O(1).

#include "funnel/matcher.hpp"

#include <algorithm>
#include <cmath>

#include "common/glob.hpp"
#include "common/text.hpp"
#include "journeygraph/error.hpp"

namespace journeygraph::detail {

namespace {

std::string closest_names(const Dictionary& dict, const std::string& name) {
  std::vector<std::pair<std::size_t, std::string>> scored;
  for (const std::string& n : dict.names()) scored.emplace_back(edit_distance(name, n), n);
  std::stable_sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string out;
  for (std::size_t i = 0; i < scored.size() && i < 3; ++i) out += (i ? ", " : "") + show(scored[i].second);
  return out;
}

const std::string kConversion = "(conversion)";

}  // namespace

std::vector<std::uint32_t> resolve_alternatives(const Dictionary& dict, const std::vector<std::string>& match,
                                                const StageMap* stages, const std::string& what,
                                                const char* option) {
  if (match.empty()) throw InvalidArgument(what + " has no touchpoint to match", option);
  std::vector<std::uint32_t> ids;
  for (const std::string& alt : match) {
    if (alt.empty()) throw InvalidArgument(what + " has an empty alternative", option);
    if (alt == kConversion) throw InvalidArgument(what + ": \"(conversion)\" cannot be combined with touchpoints", option);
    std::vector<std::uint32_t> found;
    if (alt.compare(0, 6, "stage:") == 0) {
      const std::string stage = alt.substr(6);
      if (!stages || stages->empty())
        throw InvalidArgument(what + " names stage " + show(stage) + " but no stage map was given", option);
      const auto index = stages->stage_index(stage);
      if (!index) {
        std::string list;
        for (const auto& s : stages->stages()) list += (list.empty() ? "" : ", ") + s;
        throw InvalidArgument(what + " names unknown stage " + show(stage) + " (the stages are: " + list + ")", option);
      }
      for (const auto& [tp, st] : stages->assignments())
        if (st == *index)
          if (auto id = dict.find(tp)) found.push_back(*id);
      if (found.empty())
        throw InvalidArgument(what + ": no touchpoint of the journeys is in stage " + show(stage), option);
    } else {
      found = match_touchpoints(dict, alt);
      if (found.empty())
        throw InvalidArgument(what + ": " + (has_wildcard(alt) ? "pattern " : "touchpoint ") + show(alt) +
                              " matches no touchpoint of the journeys (closest: " + closest_names(dict, alt) + ")", option);
    }
    ids.insert(ids.end(), found.begin(), found.end());
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

std::int64_t window_ticks(const std::optional<double>& seconds, TimeUnit unit, const std::string& what,
                          const char* option) {
  if (!seconds) return kNoLimit;
  if (!(*seconds >= 0) || !std::isfinite(*seconds))
    throw InvalidArgument(what + " must be a finite duration >= 0, got " + format_double(*seconds), option);
  const long double ticks = static_cast<long double>(*seconds) * static_cast<long double>(ticks_per_second(unit));
  if (ticks >= 9.2e18L) return kNoLimit;
  // A window that is a whole number of ticks up to rounding (7 days in ms) must keep that whole number; the
  // tolerance may only pick the nearest whole tick, never widen the window by more (a relative 1e-9 added to
  // 7 days in nanoseconds would be 0.6 ms).
  const long double nearest = std::nearbyint(ticks);
  const long double rounded = std::fabs(ticks - nearest) <= 1e-9L * std::max(1.0L, ticks) ? nearest : std::floor(ticks);
  return static_cast<std::int64_t>(rounded);
}

CompiledFunnel compile_funnel(const JourneySet& js, const EventFunnelOptions& o) {
  CompiledFunnel f;
  const std::size_t K = o.steps.size();
  if (K == 0) throw InvalidArgument("a funnel needs at least one step", "steps");
  if (!(o.level > 0 && o.level < 1)) throw InvalidArgument("funnel: level must be in (0, 1), got " + format_double(o.level), "level");
  if (!(o.alpha > 0 && o.alpha < 1)) throw InvalidArgument("funnel: alpha must be in (0, 1), got " + format_double(o.alpha), "alpha");
  f.steps = K;
  f.order = o.order;
  f.timed = js.has_timestamps();
  f.unit = js.time_unit();
  const Dictionary& dict = js.touchpoints();
  const bool unordered = o.order == FunnelOrder::unordered;
  if (o.window && !f.timed)
    throw InvalidArgument("funnel: a window needs journeys with timestamps (these have none)", "window");
  f.window = window_ticks(o.window, js.time_unit(), "the funnel window", "window");
  std::vector<std::vector<std::uint32_t>> step_ids(K);
  f.optional.assign(K, 0);
  f.step_window.assign(K, kNoLimit);
  for (std::size_t k = 0; k < K; ++k) {
    const FunnelStep& s = o.steps[k];
    const std::string what = "funnel step " + std::to_string(k + 1);
    const bool conv = s.match.size() == 1 && s.match[0] == kConversion;
    if (conv && k + 1 != K) throw InvalidArgument(what + ": \"(conversion)\" can only be the last step", "steps");
    if (conv && k == 0) throw InvalidArgument(what + ": a funnel cannot start with \"(conversion)\"", "steps");
    if (conv) f.conversion_last = true;
    else step_ids[k] = resolve_alternatives(dict, s.match, o.stages, what, "steps");
    if (s.optional && (k == 0 || k + 1 == K))
      throw InvalidArgument(what + " is optional, but the first and the last step must be required", "steps");
    f.optional[k] = s.optional ? 1 : 0;
    if (s.window) {
      if (unordered) throw InvalidArgument(what + " has a window of its own, which needs an order (not unordered)", "steps");
      if (!f.timed) throw InvalidArgument(what + ": a window needs journeys with timestamps (these have none)", "steps");
      if (k == 0) throw InvalidArgument(what + ": the first step cannot have a window from a previous step", "steps");
      f.step_window[k] = window_ticks(s.window, js.time_unit(), what + "'s window", "steps");
    }
    std::string label = s.label;
    if (label.empty())
      for (std::size_t a = 0; a < s.match.size(); ++a) label += (a ? "|" : "") + s.match[a];
    f.labels.push_back(label);
  }
  // Touchpoint -> steps.
  std::vector<std::vector<std::uint32_t>> by_tp(dict.size());
  for (std::size_t k = 0; k < K; ++k)
    for (std::uint32_t id : step_ids[k]) {
      if (unordered && !by_tp[id].empty())
        throw InvalidArgument("funnel steps " + std::to_string(by_tp[id].back() + 1) + " and " + std::to_string(k + 1) +
                              " both match touchpoint " + show(dict.name(id)) +
                              "; in an unordered funnel a touchpoint may belong to one step only", "steps");
      by_tp[id].push_back(static_cast<std::uint32_t>(k));
    }
  f.entry_tp.assign(dict.size(), 0);
  for (std::uint32_t id : step_ids[0]) f.entry_tp[id] = 1;
  f.tp_offsets.assign(1, 0);
  for (const auto& v : by_tp) {
    f.tp_steps.insert(f.tp_steps.end(), v.begin(), v.end());
    f.tp_offsets.push_back(static_cast<std::uint32_t>(f.tp_steps.size()));
  }
  // Exclusions.
  if (!o.exclusions.empty() && unordered) throw InvalidArgument("funnel exclusions need an order (not unordered)", "exclusions");
  std::vector<std::vector<std::uint32_t>> ex_by_tp(dict.size());
  std::vector<std::pair<std::size_t, std::size_t>> bounds;
  for (std::size_t e = 0; e < o.exclusions.size(); ++e) {
    const FunnelExclusion& x = o.exclusions[e];
    const std::string what = "funnel exclusion " + std::to_string(e + 1);
    const std::size_t from = x.from == 0 ? 1 : x.from, to = x.to == 0 ? K : x.to;
    if (from > K || to > K || from >= to)
      throw InvalidArgument(what + ": steps " + std::to_string(from) + " to " + std::to_string(to) +
                            " are not two steps of the funnel (1.." + std::to_string(K) + ") in order", "exclusions");
    if (f.optional[from - 1] || f.optional[to - 1])
      throw InvalidArgument(what + ": its bounds (steps " + std::to_string(from) + " and " + std::to_string(to) +
                            ") must be required steps", "exclusions");
    const std::vector<std::uint32_t> ids = resolve_alternatives(dict, x.match, o.stages, what, "exclusions");
    for (std::uint32_t id : ids) {
      for (std::size_t k = from - 1; k < to; ++k)
        if (std::binary_search(step_ids[k].begin(), step_ids[k].end(), id))
          throw InvalidArgument(what + " matches touchpoint " + show(dict.name(id)) + ", which is part of step " +
                                std::to_string(k + 1) + " inside the excluded range", "exclusions");
      ex_by_tp[id].push_back(static_cast<std::uint32_t>(e));
    }
    bounds.emplace_back(from - 1, to - 1);
  }
  f.exclusions = bounds.size();
  f.ex_offsets.assign(1, 0);
  for (const auto& v : ex_by_tp) {
    f.ex_ids.insert(f.ex_ids.end(), v.begin(), v.end());
    f.ex_offsets.push_back(static_cast<std::uint32_t>(f.ex_ids.size()));
  }
  // Predecessors and the previous required step.
  f.preds.assign(K, {});
  f.prev_required.assign(K, SIZE_MAX);
  std::size_t last_required = 0;
  for (std::size_t k = 1; k < K; ++k) {
    f.prev_required[k] = last_required;
    for (std::size_t p = last_required; p < k; ++p) {
      CompiledFunnel::Pred pr;
      pr.step = static_cast<std::uint32_t>(p);
      for (std::size_t e = 0; e < bounds.size(); ++e)
        if (bounds[e].first <= p && k <= bounds[e].second) pr.exclusions.push_back(static_cast<std::uint32_t>(e));
      f.preds[k].push_back(std::move(pr));
    }
    if (!f.optional[k]) last_required = k;
  }
  return f;
}

FunnelMatcher::FunnelMatcher(const CompiledFunnel& funnel) : f_(funnel) {
  cand_.resize(f_.steps);
  best_.resize(f_.steps);
  excl_.resize(f_.exclusions);
  result_.resize(f_.steps);
}

std::int64_t FunnelMatcher::last_excluded_before(const std::vector<std::uint32_t>& exclusions, std::uint32_t pos) const {
  std::int64_t last = -1;
  for (std::uint32_t e : exclusions) {
    const auto& v = excl_[e];
    auto it = std::lower_bound(v.begin(), v.end(), pos);
    if (it != v.begin()) last = std::max<std::int64_t>(last, *(it - 1));
  }
  return last;
}

void FunnelMatcher::match(Span<const std::uint32_t> path, Span<const std::int64_t> times, bool converted) {
  path_ = path;
  times_ = times;
  const std::size_t K = f_.steps;
  for (std::size_t k = 0; k < K; ++k) {
    cand_[k].clear();
    result_[k] = StepMatch{};
  }
  const std::uint32_t m = static_cast<std::uint32_t>(path.size());
  // The first touch of step 1: without one nothing is reached (the usual way out). Ordered and strict matchings
  // use no touch before it (exclusions only count between picked touches), so candidates start there.
  std::uint32_t entry = 0;
  while (entry < m && !f_.entry_tp[path[entry]]) ++entry;
  if (entry == m) {
    first_entry_ = kNoTime;
    return;
  }
  for (auto& v : excl_) v.clear();
  const bool any_excl = f_.exclusions > 0;
  for (std::uint32_t i = f_.order == FunnelOrder::unordered ? 0 : entry; i < m; ++i) {
    const std::uint32_t id = path[i];
    for (std::uint32_t s = f_.tp_offsets[id]; s < f_.tp_offsets[id + 1]; ++s) cand_[f_.tp_steps[s]].push_back(i);
    if (any_excl)
      for (std::uint32_t e = f_.ex_offsets[id]; e < f_.ex_offsets[id + 1]; ++e) excl_[f_.ex_ids[e]].push_back(i);
  }
  if (f_.conversion_last && converted) cand_[K - 1].push_back(m);
  first_entry_ = time_at(entry);
  if (f_.order == FunnelOrder::unordered) match_unordered();
  else match_ordered();
}

void FunnelMatcher::match_ordered() {
  const std::size_t K = f_.steps;
  const bool strict = f_.order == FunnelOrder::strict;
  const std::int64_t W = f_.window;
  auto within = [](std::int64_t later, std::int64_t earlier, std::int64_t limit) {
    return limit == kNoLimit || later - earlier <= limit;
  };
  best_[0].resize(cand_[0].size());
  for (std::size_t c = 0; c < cand_[0].size(); ++c) best_[0][c] = time_at(cand_[0][c]);
  std::size_t last_step = K;  // steps from here on are unreachable
  for (std::size_t k = 1; k < K; ++k) {
    const auto& ck = cand_[k];
    auto& bk = best_[k];
    bk.assign(ck.size(), kNoTime);
    if (ck.empty()) {
      if (!f_.optional[k]) {
        last_step = k;
        break;
      }
      continue;
    }
    const std::int64_t wk = f_.step_window[k];
    for (const CompiledFunnel::Pred& pr : f_.preds[k]) {
      const auto& cp = cand_[pr.step];
      const auto& bp = best_[pr.step];
      if (cp.empty()) continue;
      bool has_excl = false;
      for (std::uint32_t e : pr.exclusions) has_excl = has_excl || !excl_[e].empty();
      if (strict) {
        std::size_t q = 0;
        for (std::size_t c = 0; c < ck.size(); ++c) {
          const std::uint32_t i = ck[c];
          if (i == 0) continue;
          while (q < cp.size() && cp[q] < i - 1) ++q;
          if (q == cp.size()) break;
          if (cp[q] != i - 1 || bp[q] == kNoTime) continue;
          const std::int64_t ti = time_at(i);
          if (within(ti, time_at(cp[q]), wk) && within(ti, bp[q], W)) bk[c] = std::max(bk[c], bp[q]);
        }
        continue;
      }
      // Sliding maximum of bp over the allowed predecessors [first allowed, i).
      deque_.clear();
      std::size_t head = 0, add = 0;
      for (std::size_t c = 0; c < ck.size(); ++c) {
        const std::uint32_t i = ck[c];
        const std::int64_t ti = time_at(i);
        while (add < cp.size() && cp[add] < i) {
          if (bp[add] != kNoTime) {
            while (deque_.size() > head && bp[deque_.back()] <= bp[add]) deque_.pop_back();
            deque_.push_back(add);
          }
          ++add;
        }
        const std::int64_t lastex = has_excl ? last_excluded_before(pr.exclusions, i) : -1;
        while (head < deque_.size() &&
               (std::int64_t(cp[deque_[head]]) <= lastex || !within(ti, time_at(cp[deque_[head]]), wk)))
          ++head;
        if (head < deque_.size()) {
          const std::int64_t e = bp[deque_[head]];
          if (within(ti, e, W)) bk[c] = std::max(bk[c], e);
        }
      }
    }
    if (!f_.optional[k] && std::all_of(bk.begin(), bk.end(), [](std::int64_t e) { return e == kNoTime; })) {
      last_step = k + 1;  // a required step nobody reached: nothing after it is reached either
      break;
    }
  }
  // Reached steps and their canonical matchings.
  for (std::size_t k = 0; k < last_step; ++k) {
    const auto& bk = best_[k];
    std::size_t c = 0;
    while (c < bk.size() && bk[c] == kNoTime) ++c;
    if (c == bk.size()) continue;
    StepMatch& r = result_[k];
    r.reached = true;
    r.position = cand_[k][c];
    r.time = time_at(r.position);
    const std::int64_t bound = W == kNoLimit ? kNoTime : r.time - W;
    std::size_t step = k, idx = c;
    bool first = true;
    while (step > 0) {
      std::uint32_t ps = 0;
      std::size_t pidx = 0;
      if (!back_step(step, idx, bound, ps, pidx)) break;  // not expected: a valid prefix has a predecessor
      if (first) r.previous = time_at(cand_[ps][pidx]);
      first = false;
      step = ps;
      idx = pidx;
    }
    if (first) r.previous = r.time;
    r.entry = step == 0 ? time_at(cand_[0][idx]) : bk[c];
  }
}

bool FunnelMatcher::back_step(std::size_t k, std::size_t idx, std::int64_t bound, std::uint32_t& step,
                              std::size_t& pidx) const {
  const std::uint32_t i = cand_[k][idx];
  const std::int64_t ti = time_at(i);
  const std::int64_t wk = f_.step_window[k];
  const bool strict = f_.order == FunnelOrder::strict;
  bool found = false;
  std::uint32_t best_pos = 0;
  for (const CompiledFunnel::Pred& pr : f_.preds[k]) {
    const auto& cp = cand_[pr.step];
    const auto& bp = best_[pr.step];
    const std::int64_t lastex = pr.exclusions.empty() ? -1 : last_excluded_before(pr.exclusions, i);
    // Candidates before i, latest first.
    std::size_t q = std::size_t(std::lower_bound(cp.begin(), cp.end(), i) - cp.begin());
    while (q-- > 0) {
      const std::uint32_t pos = cp[q];
      if (strict && pos + 1 != i) break;
      if (std::int64_t(pos) <= lastex) break;
      if (wk != kNoLimit && ti - time_at(pos) > wk) break;
      if (bp[q] == kNoTime || (bound != kNoTime && bp[q] < bound)) continue;
      // Latest position wins; on a tie (one touch matching two steps) the later step, so an optional step the
      // touch also matches is picked.
      if (!found || pos > best_pos || (pos == best_pos && pr.step > step)) {
        found = true;
        best_pos = pos;
        step = pr.step;
        pidx = q;
      }
      break;
    }
  }
  return found;
}

void FunnelMatcher::canonical_positions(std::size_t k, std::vector<std::uint32_t>& out) const {
  out.assign(f_.steps, UINT32_MAX);
  const StepMatch& r = result_[k];
  std::size_t idx = std::size_t(std::lower_bound(cand_[k].begin(), cand_[k].end(), r.position) - cand_[k].begin());
  const std::int64_t bound = f_.window == kNoLimit ? kNoTime : r.time - f_.window;
  std::size_t step = k;
  out[k] = r.position;
  while (step > 0) {
    std::uint32_t ps = 0;
    std::size_t pidx = 0;
    if (!back_step(step, idx, bound, ps, pidx)) break;
    out[ps] = cand_[ps][pidx];
    step = ps;
    idx = pidx;
  }
}

void FunnelMatcher::match_unordered() {
  const std::size_t K = f_.steps;
  const std::int64_t W = f_.window;
  // Merge the candidates into one position-ordered list of (position, step); in an unordered funnel a touch
  // matches one step at most.
  std::vector<std::pair<std::uint32_t, std::uint32_t>>& ev = unordered_events_;
  ev.clear();
  for (std::size_t k = 0; k < K; ++k)
    for (std::uint32_t pos : cand_[k]) ev.emplace_back(pos, static_cast<std::uint32_t>(k));
  std::sort(ev.begin(), ev.end());
  last_.assign(K, kNoTime);
  std::vector<std::int64_t>& completion = completion_;
  completion.assign(K, kNoTime);
  for (const auto& [pos, s] : ev) {
    last_[s] = time_at(pos);
    // Required steps 1..k: are they all seen, and the earliest and latest of their latest touches.
    bool all = true;
    std::int64_t lo = kNoLimit, hi = kNoTime;
    for (std::size_t k = 0; k < K; ++k) {
      const bool all_k = all && last_[k] != kNoTime;
      const std::int64_t lo_k = last_[k] == kNoTime ? lo : std::min(lo, last_[k]);
      const std::int64_t hi_k = last_[k] == kNoTime ? hi : std::max(hi, last_[k]);
      if (!f_.optional[k]) {
        all = all_k;
        lo = lo_k;
        hi = hi_k;
        if (!all) break;  // every later step needs this required one
      }
      if (!all_k || (W != kNoLimit && hi_k - lo_k > W)) continue;
      StepMatch& r = result_[k];
      if (!r.reached) {
        r.reached = true;
        r.time = hi_k;
        r.entry = lo_k;
        r.position = pos;
        completion[k] = hi_k;
      } else if (hi_k == r.time) {
        // Another complete set at the same earliest time: the tightest one defines the entry.
        r.entry = std::max(r.entry, lo_k);
      }
    }
  }
  for (std::size_t k = 0; k < K; ++k) {
    StepMatch& r = result_[k];
    if (!r.reached) continue;
    const std::size_t p = f_.prev_required[k];
    r.previous = p == SIZE_MAX ? r.time : completion[p];
  }
}

}  // namespace journeygraph::detail
