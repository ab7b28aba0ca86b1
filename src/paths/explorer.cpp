// The path explorer (see paths.hpp). Each selected journey becomes one node sequence (two when a path row's
// conversions and non-conversions end in different terminals); identical sequences are merged per chunk of
// journeys, the chunks merged in order, and every step table, link and variant is computed from the distinct
// sequences.

#include <algorithm>
#include <cstring>
#include <limits>
#include <map>
#include <unordered_map>

#include "common/glob.hpp"
#include "common/parallel.hpp"
#include "common/text.hpp"
#include "funnel/internal.hpp"
#include "journey_map/internal.hpp"
#include "journeygraph/error.hpp"
#include "journeygraph/paths.hpp"

namespace journeygraph {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct Acc {
  double journeys = 0, conversions = 0, value = 0;
};

// Node codes: touchpoint ids, then the terminals.
struct Codes {
  std::uint32_t conversion, null, continues, earlier;
  explicit Codes(std::size_t touchpoints)
      : conversion(std::uint32_t(touchpoints)), null(conversion + 1), continues(conversion + 2), earlier(conversion + 3) {}
};

enum class EndKind { none, touchpoint, conversion, drop_off };

std::string key_bytes(const std::vector<std::uint32_t>& seq) {
  std::string s(seq.size() * 4, '\0');
  if (!seq.empty()) std::memcpy(&s[0], seq.data(), s.size());
  return s;
}

std::vector<std::uint32_t> key_codes(const std::string& s) {
  std::vector<std::uint32_t> seq(s.size() / 4);
  if (!seq.empty()) std::memcpy(seq.data(), s.data(), s.size());
  return seq;
}

std::vector<std::uint8_t> anchor_set(const JourneySet& js, const std::string& text, const StageMap* stages,
                                     const std::string& what) {
  const FunnelStep step = parse_funnel_step(text);
  if (step.optional || step.window)
    throw InvalidArgument(what + " " + detail::show(text) + ": an anchor takes no window and is not optional");
  std::vector<std::uint8_t> set(js.touchpoints().size(), 0);
  for (std::uint32_t id : detail::resolve_alternatives(js.touchpoints(), step.match, stages, what)) set[id] = 1;
  return set;
}

}  // namespace

PathExploration explore_paths(const JourneySet& js, const PathExplorerOptions& o, const Execution& exec) {
  if (o.max_steps == 0) throw InvalidArgument("paths: max_steps must be at least 1");
  if (o.top == 0) throw InvalidArgument("paths: top must be at least 1");
  const Codes code(js.touchpoints().size());
  const bool funnel_mode = o.funnel.has_value();
  if (funnel_mode && (!o.start.empty() || !o.end.empty()))
    throw InvalidArgument("paths: give either a start/end or a funnel, not both");
  std::vector<std::uint8_t> start_set, end_set;
  EndKind end_kind = EndKind::none;
  if (!o.start.empty()) start_set = anchor_set(js, o.start, o.stages, "paths start");
  if (!o.end.empty()) {
    const std::string_view e = detail::trim(o.end);
    if (e == "(conversion)") end_kind = EndKind::conversion;
    else if (e == "(drop-off)" || e == "(null)") end_kind = EndKind::drop_off;
    else {
      end_kind = EndKind::touchpoint;
      end_set = anchor_set(js, o.end, o.stages, "paths end");
    }
  }
  const bool backward = !funnel_mode && o.start.empty() && end_kind != EndKind::none;
  std::optional<detail::CompiledFunnel> compiled;
  std::size_t from = 0, to = 0;
  if (funnel_mode) {
    compiled = detail::compile_funnel(js, *o.funnel);
    const std::size_t K = compiled->steps;
    if (o.from_step < 1 || o.from_step > K)
      throw InvalidArgument("paths: from_step " + std::to_string(o.from_step) + " is not a step of the funnel (1.." +
                            std::to_string(K) + ")");
    from = o.from_step - 1;
    if (o.to_step == 0) {
      to = from + 1;
      while (to < K && compiled->optional[to]) ++to;
      if (to >= K)
        throw InvalidArgument("paths: funnel step " + std::to_string(o.from_step) + " has no required step after it");
    } else {
      if (o.to_step <= o.from_step || o.to_step > K)
        throw InvalidArgument("paths: to_step " + std::to_string(o.to_step) + " must be a step after from_step " +
                              std::to_string(o.from_step) + " (1.." + std::to_string(K) + ")");
      to = o.to_step - 1;
    }
  }
  const std::size_t L = o.max_steps;
  const std::size_t chunk = detail::journey_chunk(0);
  const std::size_t chunks = (js.size() + chunk - 1) / chunk;
  struct Part {
    std::unordered_map<std::string, Acc> paths;
    std::vector<std::string> order;  // first-seen order, so the merge is deterministic
    double excluded = 0, all = 0;
  };
  std::vector<Part> parts(chunks);
  // Add the touches [a, b) of journey j as a forward or backward sequence with the given terminal (or none).
  auto emit = [&](Part& part, std::size_t j, std::size_t a, std::size_t b, std::uint32_t terminal, double w, double conv,
                  double value, std::vector<std::uint32_t>& seq) {
    if (!(w > 0)) return;
    const auto path = js.path(j);
    seq.clear();
    if (!backward) {
      const std::size_t n = b - a;
      for (std::size_t i = a; i < a + std::min(n, L); ++i) seq.push_back(path[i]);
      if (n > L) seq.push_back(code.continues);
      else if (terminal != UINT32_MAX) seq.push_back(terminal);
    } else {
      // Touches [a, b) end at the anchor (touchpoint end: the anchor is the last touch; terminal end: the
      // terminal follows). Keep the last L touches.
      const std::size_t n = b - a;
      if (n > L) seq.push_back(code.earlier);
      for (std::size_t i = b - std::min(n, L); i < b; ++i) seq.push_back(path[i]);
      if (terminal != UINT32_MAX) seq.push_back(terminal);
    }
    std::string k = key_bytes(seq);
    auto [it, fresh] = part.paths.try_emplace(std::move(k));
    if (fresh) part.order.push_back(it->first);
    it->second.journeys += w;
    it->second.conversions += conv;
    it->second.value += value;
  };
  // The journey's end: its conversions go to "(conversion)", its non-conversions to "(null)".
  auto emit_to_end = [&](Part& part, std::size_t j, std::size_t a, double conv_w, double null_w,
                         std::vector<std::uint32_t>& seq) {
    const std::size_t m = js.path(j).size();
    emit(part, j, a, m, code.conversion, conv_w, conv_w, conv_w > 0 ? js.value(j) : 0.0, seq);
    emit(part, j, a, m, code.null, null_w, 0.0, 0.0, seq);
  };
  if (funnel_mode) {
    const detail::CompiledFunnel& f = *compiled;
    const std::size_t K = f.steps;
    // A chunk is visited by one worker at a time, so scratch memory is kept per chunk.
    std::vector<std::vector<std::uint32_t>> seq_of(chunks), pos_of(chunks);
    detail::run_matches(js, f, exec, "paths", chunk, [&](std::size_t c, std::size_t j, const detail::FunnelMatcher& m) {
      Part& part = parts[c];
      const double w = js.weight(j), conv = js.conversions(j), nul = js.nulls(j);
      part.all += w;
      const auto& r = m.steps();
      const bool to_is_conversion = f.conversion_last && to + 1 == K;
      if (o.drop_off) {
        if (!r[from].reached) {
          part.excluded += w;
          return;
        }
        const std::size_t a = r[from].position;
        if (to_is_conversion) {
          // The conversions reach the conversion step when its matching exists; the non-conversions never do.
          const double conv_dropped = r[to].reached ? 0.0 : conv;
          emit_to_end(part, j, a, conv_dropped, nul, seq_of[c]);
          part.excluded += conv - conv_dropped;
        } else if (r[to].reached) {
          part.excluded += w;
        } else {
          emit_to_end(part, j, a, conv, nul, seq_of[c]);
        }
        return;
      }
      if (!r[to].reached) {
        part.excluded += w;
        return;
      }
      m.canonical_positions(to, pos_of[c]);
      const std::uint32_t a = pos_of[c][from], b = pos_of[c][to];
      const double reached_w = to_is_conversion ? conv : w;
      part.excluded += w - reached_w;
      if (a == UINT32_MAX) {  // the canonical matching skipped an optional from_step
        part.excluded += reached_w;
        return;
      }
      if (to_is_conversion)
        emit(part, j, a, b, code.conversion, reached_w, conv, js.value(j), seq_of[c]);
      else
        emit(part, j, a, b + 1, UINT32_MAX, reached_w, conv, js.value(j), seq_of[c]);
    });
  } else {
    detail::parallel_for(chunks, exec, "paths", [&](std::size_t c) {
      Part& part = parts[c];
      std::vector<std::uint32_t> seq;
      const std::size_t first = c * chunk, last = std::min(js.size(), first + chunk);
      for (std::size_t j = first; j < last; ++j) {
        const double conv = js.conversions(j), nul = js.nulls(j), w = conv + nul;
        if (!(w > 0)) continue;
        part.all += w;
        const auto path = js.path(j);
        const std::size_t m = path.size();
        std::size_t a = 0;
        if (!start_set.empty()) {
          while (a < m && !start_set[path[a]]) ++a;
          if (a == m) {
            part.excluded += w;
            continue;
          }
        }
        switch (end_kind) {
          case EndKind::none:
            emit_to_end(part, j, a, conv, nul, seq);
            break;
          case EndKind::conversion:
            part.excluded += nul;
            emit(part, j, a, m, code.conversion, conv, conv, js.value(j), seq);
            break;
          case EndKind::drop_off:
            part.excluded += conv;
            emit(part, j, a, m, code.null, nul, 0.0, 0.0, seq);
            break;
          case EndKind::touchpoint: {
            std::size_t b = a + (start_set.empty() ? 0 : 1);
            while (b < m && !end_set[path[b]]) ++b;
            if (b == m) {
              part.excluded += w;
              break;
            }
            emit(part, j, a, b + 1, UINT32_MAX, w, conv, js.value(j), seq);
            break;
          }
        }
      }
    });
  }
  // Merge the chunks in order.
  std::unordered_map<std::string, Acc> merged;
  std::vector<std::string> order;
  PathExploration out;
  out.backward = backward;
  for (Part& part : parts) {
    out.excluded += part.excluded;
    out.all_journeys += part.all;
    for (const std::string& k : part.order) {
      auto [it, fresh] = merged.try_emplace(k);
      if (fresh) order.push_back(k);
      const Acc& a = part.paths[k];
      it->second.journeys += a.journeys;
      it->second.conversions += a.conversions;
      it->second.value += a.value;
    }
  }
  auto name_of = [&](std::uint32_t c) -> std::string {
    if (c < code.conversion) return js.touchpoints().name(c);
    if (c == code.conversion) return "(conversion)";
    if (c == code.null) return "(null)";
    if (c == code.continues) return "(continues)";
    return "(earlier)";
  };
  struct Distinct {
    std::vector<std::uint32_t> seq;
    std::vector<std::string> names;
    Acc acc;
  };
  std::vector<Distinct> dist;
  for (const std::string& k : order) {
    Distinct d;
    d.seq = key_codes(k);
    for (std::uint32_t c : d.seq) d.names.push_back(name_of(c));
    d.acc = merged[k];
    out.journeys += d.acc.journeys;
    dist.push_back(std::move(d));
  }
  if (!(out.journeys > 0))
    throw DataError("paths: no journey matches the selection (" + detail::format_double(out.excluded) +
                    " journeys were left out)");
  std::stable_sort(dist.begin(), dist.end(), [](const Distinct& x, const Distinct& y) {
    if (x.acc.journeys != y.acc.journeys) return x.acc.journeys > y.acc.journeys;
    return x.names < y.names;
  });
  out.distinct_paths = dist.size();
  // Steps of each node: forward 1..n, backward -(n-1)..0.
  auto step_of = [&](const Distinct& d, std::size_t i) -> long {
    return backward ? -long(d.seq.size() - 1 - i) : long(i + 1);
  };
  long lo = 0, hi = 0;
  bool first = true;
  std::map<std::pair<long, std::uint32_t>, Acc> nodes;
  for (const Distinct& d : dist)
    for (std::size_t i = 0; i < d.seq.size(); ++i) {
      const long s = step_of(d, i);
      if (first || s < lo) lo = s;
      if (first || s > hi) hi = s;
      first = false;
      Acc& a = nodes[{s, d.seq[i]}];
      a.journeys += d.acc.journeys;
      a.conversions += d.acc.conversions;
    }
  // Per step: keep the top touchpoints, merge the rest into "(other)", add "(none)".
  constexpr std::uint32_t kOther = 0xFFFFFFFEu;
  double all_conv = 0;
  for (const Distinct& d : dist) all_conv += d.acc.conversions;
  std::map<std::pair<long, std::uint32_t>, std::uint32_t> mapped;  // (step, code) -> kept code or kOther
  for (long s = lo; s <= hi; ++s) {
    std::vector<std::pair<std::uint32_t, Acc>> tps, terminals;
    for (auto it = nodes.lower_bound({s, 0}); it != nodes.end() && it->first.first == s; ++it)
      (it->first.second < code.conversion ? tps : terminals).emplace_back(it->first.second, it->second);
    std::stable_sort(tps.begin(), tps.end(), [&](const auto& x, const auto& y) {
      if (x.second.journeys != y.second.journeys) return x.second.journeys > y.second.journeys;
      return js.touchpoints().name(x.first) < js.touchpoints().name(y.first);
    });
    std::vector<PathStepRow> rows;
    Acc other;
    std::size_t merged_count = 0;
    double total = 0;
    for (std::size_t r = 0; r < tps.size(); ++r) {
      total += tps[r].second.journeys;
      if (r < o.top) {
        mapped[{s, tps[r].first}] = tps[r].first;
        rows.push_back({s, name_of(tps[r].first), r + 1, tps[r].second.journeys, 0, tps[r].second.conversions, 0});
      } else {
        mapped[{s, tps[r].first}] = kOther;
        other.journeys += tps[r].second.journeys;
        other.conversions += tps[r].second.conversions;
        ++merged_count;
      }
    }
    if (merged_count) rows.push_back({s, "(other)", 0, other.journeys, 0, other.conversions, merged_count});
    for (const auto& [c, a] : terminals) {
      mapped[{s, c}] = c;
      total += a.journeys;
      rows.push_back({s, name_of(c), 0, a.journeys, 0, a.conversions, 0});
    }
    // Conversions of the journeys with no node here: all selected conversions minus those present.
    double present_conv = 0;
    for (const auto& r : rows) present_conv += r.conversions;
    const double none = out.journeys - total;
    if (none > out.journeys * 1e-12) rows.push_back({s, "(none)", 0, none, 0, std::max(0.0, all_conv - present_conv), 0});
    std::stable_sort(rows.begin(), rows.end(), [](const PathStepRow& x, const PathStepRow& y) {
      if (x.journeys != y.journeys) return x.journeys > y.journeys;
      return x.key < y.key;
    });
    for (auto& r : rows) r.share = r.journeys / out.journeys;
    out.steps.insert(out.steps.end(), rows.begin(), rows.end());
  }
  // Sankey: nodes (step, mapped key), links between consecutive nodes of each distinct sequence.
  std::map<std::pair<long, std::uint32_t>, std::uint32_t> node_index;
  std::map<std::pair<std::uint32_t, std::uint32_t>, double> links;
  auto node = [&](long s, std::uint32_t c) { node_index.try_emplace({s, mapped[{s, c}]}, 0); };
  for (const Distinct& d : dist)
    for (std::size_t i = 0; i + 1 < d.seq.size(); ++i) {
      node(step_of(d, i), d.seq[i]);
      node(step_of(d, i + 1), d.seq[i + 1]);
    }
  for (const Distinct& d : dist)
    if (d.seq.size() == 1) node(step_of(d, 0), d.seq[0]);
  std::uint32_t next = 0;
  for (auto& [key, index] : node_index) {
    index = next++;
    const long s = key.first;
    const std::string k = key.second == kOther ? "(other)" : name_of(key.second);
    out.sankey.nodes.push_back({std::to_string(s) + ". " + k, k, std::size_t(s - lo + 1)});
  }
  for (const Distinct& d : dist)
    for (std::size_t i = 0; i + 1 < d.seq.size(); ++i) {
      const long s0 = step_of(d, i), s1 = step_of(d, i + 1);
      const std::uint32_t a = node_index[{s0, mapped[{s0, d.seq[i]}]}];
      const std::uint32_t b = node_index[{s1, mapped[{s1, d.seq[i + 1]}]}];
      links[{a, b}] += d.acc.journeys;
    }
  for (const auto& [ab, v] : links) out.sankey.links.push_back({ab.first, ab.second, v});
  // Variants.
  double cumulative = 0;
  for (std::size_t i = 0; i < dist.size() && (o.variants == 0 || i < o.variants); ++i) {
    PathVariant v;
    v.touchpoints = dist[i].names;
    v.journeys = dist[i].acc.journeys;
    v.conversions = dist[i].acc.conversions;
    v.value = dist[i].acc.value;
    v.conversion_rate = v.journeys > 0 ? v.conversions / v.journeys : 0.0;
    v.share = v.journeys / out.journeys;
    cumulative += v.share;
    v.cumulative_share = cumulative;
    out.variants.push_back(std::move(v));
  }
  return out;
}

DataTable path_step_table(const PathExploration& p) {
  std::vector<double> step, rank, journeys, share, conv, rate, merged;
  std::vector<std::string> key;
  for (const PathStepRow& r : p.steps) {
    step.push_back(double(r.step));
    key.push_back(r.key);
    rank.push_back(double(r.rank));
    journeys.push_back(r.journeys);
    share.push_back(r.share);
    conv.push_back(r.conversions);
    rate.push_back(r.journeys > 0 ? r.conversions / r.journeys : kNaN);
    merged.push_back(double(r.merged));
  }
  DataTable t;
  t.add("step", std::move(step));
  t.add("key", std::move(key));
  t.add("rank", std::move(rank));
  t.add("journeys", std::move(journeys));
  t.add("share", std::move(share));
  t.add("conversions", std::move(conv));
  t.add("conversion_rate", std::move(rate));
  t.add("merged", std::move(merged));
  return t;
}

DataTable path_variant_table(const PathExploration& p, std::string_view separator) {
  std::vector<std::string> path;
  std::vector<double> length, journeys, share, share_all, cumulative, conv, rate;
  for (const PathVariant& v : p.variants) {
    std::string s;
    for (std::size_t i = 0; i < v.touchpoints.size(); ++i) {
      if (i) s += separator;
      s += v.touchpoints[i];
    }
    path.push_back(std::move(s));
    length.push_back(double(v.touchpoints.size()));
    journeys.push_back(v.journeys);
    share.push_back(v.share);
    share_all.push_back(p.all_journeys > 0 ? v.journeys / p.all_journeys : kNaN);
    cumulative.push_back(v.cumulative_share);
    conv.push_back(v.conversions);
    rate.push_back(v.conversion_rate);
  }
  DataTable t;
  t.add("path", std::move(path));
  t.add("length", std::move(length));
  t.add("journeys", std::move(journeys));
  t.add("share", std::move(share));
  t.add("share_of_all", std::move(share_all));
  t.add("cumulative_share", std::move(cumulative));
  t.add("conversions", std::move(conv));
  t.add("conversion_rate", std::move(rate));
  return t;
}

}  // namespace journeygraph
