// The path explorer (see paths.hpp). Each selected journey becomes one node sequence (two when a path row's
// conversions and non-conversions end in different terminals); identical sequences are merged per chunk of
// journeys, the chunks merged in order, and every step table, link and variant is computed from the distinct
// sequences.

#include <algorithm>
#include <cstring>
#include <limits>
#include <map>

#include "common/glob.hpp"
#include "common/hash.hpp"
#include "common/parallel.hpp"
#include "common/text.hpp"
#include "funnel/internal.hpp"
#include "journey_map/internal.hpp"
#include "journeygraph/error.hpp"
#include "journeygraph/paths.hpp"
#include "table/columns.hpp"

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

// Distinct node sequences with their sums: open addressing over a pool of codes, entries in first-seen order
// (so merging chunk maps in chunk order is deterministic).
class SeqMap {
 public:
  SeqMap() { slots_.assign(64, kEmpty); }
  Acc& at(const std::uint32_t* seq, std::size_t n) {
    if ((size() + 1) * 2 > slots_.size()) rehash(slots_.size() * 2);
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = detail::hash_words(seq, n) & mask;
    while (slots_[i] != kEmpty) {
      const std::uint32_t e = slots_[i];
      if (length(e) == n && std::equal(seq, seq + n, codes(e))) return acc_[e];
      i = (i + 1) & mask;
    }
    slots_[i] = static_cast<std::uint32_t>(size());
    pool_.insert(pool_.end(), seq, seq + n);
    offsets_.push_back(pool_.size());
    acc_.emplace_back();
    return acc_.back();
  }
  std::size_t size() const noexcept { return acc_.size(); }
  const std::uint32_t* codes(std::size_t e) const noexcept { return pool_.data() + offsets_[e]; }
  std::size_t length(std::size_t e) const noexcept { return offsets_[e + 1] - offsets_[e]; }
  const Acc& acc(std::size_t e) const noexcept { return acc_[e]; }

 private:
  static constexpr std::uint32_t kEmpty = 0xFFFFFFFFu;
  void rehash(std::size_t n) {
    slots_.assign(n, kEmpty);
    for (std::size_t e = 0; e < size(); ++e) {
      std::size_t i = detail::hash_words(codes(e), length(e)) & (n - 1);
      while (slots_[i] != kEmpty) i = (i + 1) & (n - 1);
      slots_[i] = static_cast<std::uint32_t>(e);
    }
  }
  std::vector<std::uint32_t> slots_;
  std::vector<std::uint32_t> pool_;
  std::vector<std::size_t> offsets_{0};
  std::vector<Acc> acc_;
};

std::vector<std::uint8_t> anchor_set(const JourneySet& js, const std::string& text, const StageMap* stages,
                                     const std::string& what, const char* option) {
  const FunnelStep step = detail::for_option(option, [&] { return parse_funnel_step(text); });
  if (step.optional || step.window)
    throw InvalidArgument(what + " " + detail::show(text) + ": an anchor takes no window and is not optional", option);
  std::vector<std::uint8_t> set(js.touchpoints().size(), 0);
  for (std::uint32_t id : detail::resolve_alternatives(js.touchpoints(), step.match, stages, what, option)) set[id] = 1;
  return set;
}

}  // namespace

PathExploration explore_paths(const JourneySet& js, const PathExplorerOptions& o, const Execution& exec) {
  if (o.max_steps == 0) throw InvalidArgument("paths: max_steps must be at least 1", "max_steps");
  if (o.top == 0) throw InvalidArgument("paths: top must be at least 1", "top");
  const Codes code(js.touchpoints().size());
  const bool funnel_mode = o.funnel.has_value();
  if (funnel_mode && (!o.start.empty() || !o.end.empty()))
    throw InvalidArgument("paths: give either a start/end or a funnel, not both");
  std::vector<std::uint8_t> start_set, end_set;
  EndKind end_kind = EndKind::none;
  if (!o.start.empty()) start_set = anchor_set(js, o.start, o.stages, "paths start", "start");
  if (!o.end.empty()) {
    const std::string_view e = detail::trim(o.end);
    if (e == "(conversion)") end_kind = EndKind::conversion;
    else if (e == "(drop-off)" || e == "(null)") end_kind = EndKind::drop_off;
    else {
      end_kind = EndKind::touchpoint;
      end_set = anchor_set(js, o.end, o.stages, "paths end", "end");
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
                            std::to_string(K) + ")", "from_step");
    from = o.from_step - 1;
    if (o.to_step == 0) {
      to = from + 1;
      while (to < K && compiled->optional[to]) ++to;
      if (to >= K)
        throw InvalidArgument("paths: funnel step " + std::to_string(o.from_step) + " has no required step after it", "from_step");
    } else {
      if (o.to_step <= o.from_step || o.to_step > K)
        throw InvalidArgument("paths: to_step " + std::to_string(o.to_step) + " must be a step after from_step " +
                              std::to_string(o.from_step) + " (1.." + std::to_string(K) + ")", "to_step");
      to = o.to_step - 1;
    }
  }
  const std::size_t L = o.max_steps;
  const std::size_t chunk = detail::journey_chunk(0);
  const std::size_t chunks = (js.size() + chunk - 1) / chunk;
  struct Part {
    SeqMap paths;
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
    Acc& sum = part.paths.at(seq.data(), seq.size());
    sum.journeys += w;
    sum.conversions += conv;
    sum.value += value;
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
  // What follows runs on the calling thread over the distinct paths (a second or more for millions): it asks
  // the callback every 65,536 paths and between its steps (fraction 1 of the stage, repeated).
  const detail::Progress finish(exec, "paths");
  auto tick = [&finish](std::size_t i) {
    if ((i & 0xFFFF) == 0xFFFF) finish.poll(1.0);
  };
  // Merge the chunks in order.
  SeqMap merged;
  PathExploration out;
  out.backward = backward;
  for (Part& part : parts) {
    out.excluded += part.excluded;
    out.all_journeys += part.all;
    for (std::size_t e = 0; e < part.paths.size(); ++e) {
      tick(e);
      const Acc& a = part.paths.acc(e);
      Acc& m = merged.at(part.paths.codes(e), part.paths.length(e));
      m.journeys += a.journeys;
      m.conversions += a.conversions;
      m.value += a.value;
    }
    part.paths = SeqMap();
  }
  const std::size_t T = js.touchpoints().size(), C = T + 4;  // codes: touchpoints, then 4 terminals
  auto name_of = [&](std::uint32_t c) -> std::string {
    if (c < code.conversion) return js.touchpoints().name(c);
    if (c == code.conversion) return "(conversion)";
    if (c == code.null) return "(null)";
    if (c == code.continues) return "(continues)";
    return "(earlier)";
  };
  // Rank of every code by its name, so that sequences compare as their names do without building strings.
  std::vector<std::uint32_t> rank(C);
  {
    std::vector<std::pair<std::string, std::uint32_t>> named;
    for (std::uint32_t c = 0; c < C; ++c) named.emplace_back(name_of(c), c);
    std::sort(named.begin(), named.end());
    for (std::uint32_t r = 0; r < C; ++r) rank[named[r].second] = r;
  }
  std::vector<std::size_t> dist(merged.size());
  double all_conv = 0;
  std::size_t longest = 0;
  for (std::size_t e = 0; e < merged.size(); ++e) {
    dist[e] = e;
    out.journeys += merged.acc(e).journeys;
    all_conv += merged.acc(e).conversions;
    longest = std::max(longest, merged.length(e));
  }
  if (!(out.journeys > 0))
    throw DataError("paths: no journey matches the selection (" + detail::format_double(out.excluded) +
                    " journeys were left out)");
  finish.poll(1.0);
  std::stable_sort(dist.begin(), dist.end(), [&](std::size_t x, std::size_t y) {
    const double wx = merged.acc(x).journeys, wy = merged.acc(y).journeys;
    if (wx != wy) return wx > wy;
    const std::uint32_t *a = merged.codes(x), *b = merged.codes(y);
    const std::size_t na = merged.length(x), nb = merged.length(y);
    return std::lexicographical_compare(a, a + na, b, b + nb,
                                        [&](std::uint32_t u, std::uint32_t v) { return rank[u] < rank[v]; });
  });
  out.distinct_paths = dist.size();
  // Steps: forward 1..longest, backward -(longest - 1)..0; column s - lo in the dense tables.
  const long lo = backward ? -long(longest) + 1 : 1, hi = backward ? 0 : long(longest);
  const std::size_t S = std::size_t(hi - lo + 1);
  auto step_of = [&](std::size_t e, std::size_t i) -> long {
    return backward ? -long(merged.length(e) - 1 - i) : long(i + 1);
  };
  finish.poll(1.0);
  std::vector<Acc> nodes(S * C);
  for (std::size_t e : dist)
    for (std::size_t i = 0; i < merged.length(e); ++i) {
      Acc& a = nodes[std::size_t(step_of(e, i) - lo) * C + merged.codes(e)[i]];
      a.journeys += merged.acc(e).journeys;
      a.conversions += merged.acc(e).conversions;
    }
  // Per step: keep the top touchpoints, merge the rest into "(other)" (code C), add "(none)".
  const std::uint32_t kOther = static_cast<std::uint32_t>(C);
  std::vector<std::uint32_t> mapped(S * C, kOther);  // (step, code) -> kept code or kOther
  std::vector<std::uint8_t> present(S * (C + 1), 0);
  for (long s = lo; s <= hi; ++s) {
    const std::size_t col = std::size_t(s - lo);
    std::vector<std::uint32_t> tps, terminals;
    for (std::uint32_t c = 0; c < C; ++c)
      if (nodes[col * C + c].journeys > 0 || nodes[col * C + c].conversions > 0) (c < T ? tps : terminals).push_back(c);
    std::stable_sort(tps.begin(), tps.end(), [&](std::uint32_t x, std::uint32_t y) {
      const double wx = nodes[col * C + x].journeys, wy = nodes[col * C + y].journeys;
      if (wx != wy) return wx > wy;
      return rank[x] < rank[y];
    });
    std::vector<PathStepRow> rows;
    Acc other;
    std::size_t merged_count = 0;
    double total = 0;
    for (std::size_t r = 0; r < tps.size(); ++r) {
      const Acc& a = nodes[col * C + tps[r]];
      total += a.journeys;
      if (r < o.top) {
        mapped[col * C + tps[r]] = tps[r];
        present[col * (C + 1) + tps[r]] = 1;
        rows.push_back({s, name_of(tps[r]), r + 1, a.journeys, 0, a.conversions, 0});
      } else {
        other.journeys += a.journeys;
        other.conversions += a.conversions;
        ++merged_count;
      }
    }
    if (merged_count) {
      present[col * (C + 1) + kOther] = 1;
      rows.push_back({s, "(other)", 0, other.journeys, 0, other.conversions, merged_count});
    }
    for (std::uint32_t c : terminals) {
      const Acc& a = nodes[col * C + c];
      mapped[col * C + c] = c;
      present[col * (C + 1) + c] = 1;
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
  // Sankey: nodes by (step, kept code) with "(other)" last in its step; links between consecutive nodes.
  std::vector<std::uint32_t> node_index(S * (C + 1), UINT32_MAX);
  for (std::size_t col = 0; col < S; ++col)
    for (std::uint32_t c = 0; c <= C; ++c) {
      if (!present[col * (C + 1) + c]) continue;
      node_index[col * (C + 1) + c] = static_cast<std::uint32_t>(out.sankey.nodes.size());
      const long s = long(col) + lo;
      const std::string k = c == kOther ? "(other)" : name_of(c);
      out.sankey.nodes.push_back({std::to_string(s) + ". " + k, k, col + 1});
    }
  struct LinkSum {
    double v = 0;
    void add(double x) { v += x; }
    void add(const LinkSum& o) { v += o.v; }
  };
  detail::SumMap<LinkSum> links;
  auto node_of = [&](std::size_t e, std::size_t i) {
    const std::size_t col = std::size_t(step_of(e, i) - lo);
    return node_index[col * (C + 1) + mapped[col * C + merged.codes(e)[i]]];
  };
  finish.poll(1.0);
  std::size_t walked = 0;
  for (std::size_t e : dist) {
    tick(walked++);
    for (std::size_t i = 0; i + 1 < merged.length(e); ++i)
      links.add((std::uint64_t(node_of(e, i)) << 32) | node_of(e, i + 1), merged.acc(e).journeys);
  }
  std::vector<std::pair<std::uint64_t, double>> sorted_links;
  links.for_each([&](std::uint64_t k, const LinkSum& v) { sorted_links.emplace_back(k, v.v); });
  std::sort(sorted_links.begin(), sorted_links.end());
  for (const auto& [k, v] : sorted_links)
    out.sankey.links.push_back({std::uint32_t(k >> 32), std::uint32_t(k & 0xFFFFFFFFu), v});
  // Variants.
  double cumulative = 0;
  for (std::size_t i = 0; i < dist.size() && (o.variants == 0 || i < o.variants); ++i) {
    const std::size_t e = dist[i];
    PathVariant v;
    for (std::size_t k = 0; k < merged.length(e); ++k) v.touchpoints.push_back(name_of(merged.codes(e)[k]));
    v.journeys = merged.acc(e).journeys;
    v.conversions = merged.acc(e).conversions;
    v.value = merged.acc(e).value;
    v.conversion_rate = v.journeys > 0 ? v.conversions / v.journeys : 0.0;
    v.share = v.journeys / out.journeys;
    cumulative += v.share;
    v.cumulative_share = cumulative;
    out.variants.push_back(std::move(v));
  }
  return out;
}

Table path_step_table(const PathExploration& p) {
  using R = PathStepRow;
  return detail::table_of("path_steps", p.steps)
      .integer("step", [](const R& r) { return std::int64_t(r.step); })
      .text("key", &R::key)
      .integer("rank", [](const R& r) { return std::int64_t(r.rank); })
      .real("journeys", &R::journeys)
      .real("share", &R::share)
      .real("conversions", &R::conversions)
      .real("conversion_rate", [](const R& r) { return r.journeys > 0 ? r.conversions / r.journeys : kNaN; })
      .integer("merged", [](const R& r) { return std::int64_t(r.merged); })
      .meta("direction", std::string(p.backward ? "backward" : "forward"))
      .meta("journeys", p.journeys)
      .meta("excluded", p.excluded)
      .meta("all_journeys", p.all_journeys);
}

Table path_variant_table(const PathExploration& p, std::string_view separator) {
  using V = PathVariant;
  return detail::table_of("path_variants", p.variants)
      .text("path", [&](const V& v) {
        std::string s;
        for (std::size_t i = 0; i < v.touchpoints.size(); ++i) s += (i ? std::string(separator) : "") + v.touchpoints[i];
        return s;
      })
      .integer("length", [](const V& v) { return std::int64_t(v.touchpoints.size()); })
      .real("journeys", &V::journeys)
      .real("share", &V::share)
      .real("share_of_all", [&](const V& v) { return p.all_journeys > 0 ? v.journeys / p.all_journeys : kNaN; })
      .real("cumulative_share", &V::cumulative_share)
      .real("conversions", &V::conversions)
      .real("conversion_rate", &V::conversion_rate)
      .meta("distinct_paths", std::int64_t(p.distinct_paths))
      .meta("journeys", p.journeys)
      .meta("all_journeys", p.all_journeys);
}

}  // namespace journeygraph
