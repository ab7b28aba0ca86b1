// Event funnels (see funnel.hpp): step texts, the per-journey matching run over fixed chunks of journeys, and
// the rows with their intervals, times and segment tests.

#include <algorithm>
#include <cmath>
#include <limits>

#include "common/parallel.hpp"
#include "common/text.hpp"
#include "funnel/internal.hpp"
#include "journey_map/internal.hpp"
#include "journeygraph/error.hpp"
#include "journeygraph/funnel.hpp"
#include "journeygraph/io.hpp"
#include "statistics/statistics.hpp"
#include "table/columns.hpp"

namespace journeygraph {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Positions of the unescaped occurrences of c in s (a backslash escapes the next character).
std::vector<std::size_t> unescaped(std::string_view s, char c) {
  std::vector<std::size_t> at;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\') ++i;
    else if (s[i] == c) at.push_back(i);
  }
  return at;
}

// An alternative as the wildcard layer wants it: the step-syntax escapes (\| \@ \? \:) removed, the wildcard
// escapes (\* \\) kept.
std::string alternative(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size() && (s[i + 1] == '|' || s[i + 1] == '@' || s[i + 1] == '?' || s[i + 1] == ':')) {
      out += s[++i];
      continue;
    }
    if (s[i] == '\\' && i + 1 < s.size()) out += s[i++];
    out += s[i];
  }
  return out;
}

std::vector<std::string> alternatives(std::string_view text, std::string_view whole, const char* what) {
  std::vector<std::string> out;
  std::size_t start = 0;
  std::vector<std::size_t> bars = unescaped(text, '|');
  bars.push_back(text.size());
  for (std::size_t bar : bars) {
    const std::string_view part = detail::trim(text.substr(start, bar - start));
    if (part.empty())
      throw InvalidArgument(std::string(what) + " " + detail::show(whole) + " has an empty alternative");
    out.push_back(alternative(part));
    start = bar + 1;
  }
  if (out.size() > 1)
    for (const auto& a : out)
      if (a == "(conversion)")
        throw InvalidArgument(std::string(what) + " " + detail::show(whole) +
                              ": \"(conversion)\" cannot be combined with touchpoints");
  return out;
}

std::string escape_alternative(const std::string& a) {
  std::string out;
  for (char c : a) {
    if (c == '|' || c == '@' || c == '?') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

const char* funnel_order_name(FunnelOrder order) noexcept {
  switch (order) {
    case FunnelOrder::ordered: return "ordered";
    case FunnelOrder::strict: return "strict";
    case FunnelOrder::unordered: return "unordered";
  }
  return "?";
}

FunnelOrder parse_funnel_order(std::string_view name) {
  for (FunnelOrder o : {FunnelOrder::ordered, FunnelOrder::strict, FunnelOrder::unordered})
    if (name == funnel_order_name(o)) return o;
  throw InvalidArgument("unknown funnel order " + detail::show(name) + " (the orders are: ordered, strict, unordered)");
}

FunnelStep parse_funnel_step(std::string_view text) {
  const std::string_view whole = text;
  text = detail::trim(text);
  FunnelStep step;
  if (!text.empty() && text.back() == '?' && (text.size() < 2 || text[text.size() - 2] != '\\')) {
    step.optional = true;
    text = detail::trim(text.substr(0, text.size() - 1));
  }
  const std::vector<std::size_t> ats = unescaped(text, '@');
  if (!ats.empty()) {
    const std::string_view dur = detail::trim(text.substr(ats.back() + 1));
    try {
      step.window = parse_duration(dur);
    } catch (const InvalidArgument& e) {
      throw InvalidArgument("funnel step " + detail::show(whole) + ": bad window " + detail::show(dur) + " (" +
                            e.what() + ")");
    }
    text = detail::trim(text.substr(0, ats.back()));
  }
  if (text.empty()) throw InvalidArgument("funnel step " + detail::show(whole) + " names no touchpoint");
  step.match = alternatives(text, whole, "funnel step");
  return step;
}

std::string funnel_step_text(const FunnelStep& step) {
  std::string s;
  for (std::size_t i = 0; i < step.match.size(); ++i) s += (i ? "|" : "") + escape_alternative(step.match[i]);
  if (step.window) s += "@" + detail::format_double(*step.window) + "s";
  if (step.optional) s += "?";
  return s;
}

FunnelExclusion parse_funnel_exclusion(std::string_view text) {
  const std::string_view whole = text;
  text = detail::trim(text);
  FunnelExclusion x;
  const std::vector<std::size_t> colons = unescaped(text, ':');
  if (!colons.empty()) {
    const std::string_view range = detail::trim(text.substr(colons.back() + 1));
    const std::size_t dash = range.find('-');
    if (dash != std::string_view::npos) {
      const auto from = detail::parse_int64(range.substr(0, dash));
      const auto to = detail::parse_int64(range.substr(dash + 1));
      if (from && to) {
        if (*from < 1 || *to < 1)
          throw InvalidArgument("funnel exclusion " + detail::show(whole) + ": step numbers start at 1");
        x.from = std::size_t(*from);
        x.to = std::size_t(*to);
        text = detail::trim(text.substr(0, colons.back()));
      }
    }
  }
  if (text.empty()) throw InvalidArgument("funnel exclusion " + detail::show(whole) + " names no touchpoint");
  x.match = alternatives(text, whole, "funnel exclusion");
  return x;
}


namespace {

struct TimedSample {
  double from_previous, from_entry, weight;
  std::uint32_t group, step;
};

struct FunnelChunk {
  std::vector<double> reached;   // (groups) x K
  std::vector<double> journeys;  // per group
  std::vector<TimedSample> samples;
};

}  // namespace

EventFunnel event_funnel(const JourneySet& js, const EventFunnelOptions& o, const Execution& exec) {
  if (o.by_segment && !js.has_segments())
    throw StateError("funnel by segment: the journeys have no segments (read them with a segment column)", "by_segment");
  const detail::CompiledFunnel f = detail::compile_funnel(js, o);
  const std::size_t K = f.steps;
  const std::size_t G = 1 + (o.by_segment ? js.segments().size() : 0);
  const std::size_t chunk = detail::journey_chunk(G * K);
  const std::size_t chunks = (js.size() + chunk - 1) / chunk;
  std::vector<FunnelChunk> acc(chunks);
  const bool timed = js.has_timestamps();
  detail::run_matches(js, f, exec, "funnel", chunk, [&](std::size_t c, std::size_t j, const detail::FunnelMatcher& m) {
    FunnelChunk& a = acc[c];
    if (a.reached.empty()) {
      a.reached.assign(G * K, 0.0);
      a.journeys.assign(G, 0.0);
    }
    const double w = js.weight(j), conv = js.conversions(j);
    const std::uint32_t g = o.by_segment ? 1 + js.segment(j) : 0;
    a.journeys[0] += w;
    if (g) a.journeys[g] += w;
    const auto& r = m.steps();
    for (std::size_t k = 0; k < K; ++k) {
      if (!r[k].reached) continue;
      const double wk = (f.conversion_last && k + 1 == K) ? conv : w;
      a.reached[k] += wk;
      if (g) a.reached[g * K + k] += wk;
      if (timed && k > 0)
        a.samples.push_back({ticks_to_seconds(r[k].time - r[k].previous, f.unit),
                             ticks_to_seconds(r[k].time - r[k].entry, f.unit), wk, g, static_cast<std::uint32_t>(k)});
    }
  });
  std::vector<double> reached(G * K, 0.0), journeys(G, 0.0);
  std::vector<std::vector<detail::Sample>> prev(G * K), entry(G * K);
  for (const FunnelChunk& a : acc) {
    if (a.reached.empty()) continue;
    for (std::size_t i = 0; i < G * K; ++i) reached[i] += a.reached[i];
    for (std::size_t g = 0; g < G; ++g) journeys[g] += a.journeys[g];
    for (const TimedSample& s : a.samples) {
      for (std::size_t g : {std::size_t(0), std::size_t(s.group)}) {
        prev[g * K + s.step].push_back({s.from_previous, s.weight});
        entry[g * K + s.step].push_back({s.from_entry, s.weight});
        if (s.group == 0) break;
      }
    }
  }
  EventFunnel out;
  out.steps = o.steps;
  for (std::size_t k = 0; k < K; ++k)
    if (out.steps[k].label.empty()) out.steps[k].label = f.labels[k];
  out.order = o.order;
  out.window = o.window;
  out.journeys = journeys[0];
  out.level = o.level;
  out.alpha = o.alpha;
  std::vector<std::size_t> groups;
  groups.push_back(0);
  for (std::size_t g = 1; g < G; ++g)
    if (journeys[g] > 0) {
      groups.push_back(g);
      out.segments.push_back(js.segments().name(static_cast<std::uint32_t>(g - 1)));
    }
  auto base_of = [&](std::size_t g, std::size_t k) {
    return k == 0 ? journeys[g] : reached[g * K + f.prev_required[k]];
  };
  for (std::size_t g : groups) {
    for (std::size_t k = 0; k < K; ++k) {
      EventFunnelRow r;
      r.segment = g == 0 ? "(all)" : js.segments().name(static_cast<std::uint32_t>(g - 1));
      r.step = k + 1;
      r.label = out.steps[k].label;
      r.optional = f.optional[k] != 0;
      r.reached = reached[g * K + k];
      r.base = base_of(g, k);
      r.step_rate = r.base > 0 ? r.reached / r.base : kNaN;
      const auto si = detail::wilson_interval(r.reached, r.base, o.level);
      r.step_lower = si.lower;
      r.step_upper = si.upper;
      const double first = reached[g * K];
      r.overall_rate = first > 0 ? r.reached / first : kNaN;
      const auto oi = detail::wilson_interval(r.reached, first, o.level);
      r.overall_lower = oi.lower;
      r.overall_upper = oi.upper;
      r.dropped = r.base - r.reached;
      r.time_from_previous = detail::duration_stats(prev[g * K + k]);
      r.time_from_entry = detail::duration_stats(entry[g * K + k]);
      r.z = r.p_value = r.p_adjusted = kNaN;
      out.rows.push_back(std::move(r));
    }
  }
  // Each segment's step rate against the other segments pooled; with two segments the two rows of a step share
  // one test (z with opposite signs), counted once in the Holm family.
  const std::size_t S = groups.size() - 1;
  if (S >= 2) {
    std::vector<double> p;
    std::vector<std::vector<std::size_t>> rows_of;  // rows sharing each test
    for (std::size_t k = 0; k < K; ++k) {
      for (std::size_t si = 1; si <= S; ++si) {
        if (S == 2 && si == 2) break;
        const std::size_t g = groups[si];
        const double x2 = reached[g * K + k], n2 = base_of(g, k);
        const double x1 = reached[k] - x2, n1 = base_of(0, k) - n2;
        const auto t = detail::two_proportion_test(x1, n1, x2, n2);
        EventFunnelRow& row = out.rows[si * K + k];
        row.z = t.z;
        row.p_value = t.p_value;
        std::vector<std::size_t> rows{si * K + k};
        if (S == 2) {
          EventFunnelRow& other = out.rows[2 * K + k];
          other.z = -t.z;
          other.p_value = t.p_value;
          rows.push_back(2 * K + k);
        }
        p.push_back(t.p_value);
        rows_of.push_back(std::move(rows));
      }
    }
    for (double x : p) out.tests += std::isnan(x) ? 0 : 1;
    detail::holm_adjust(p);
    for (std::size_t i = 0; i < p.size(); ++i)
      for (std::size_t r : rows_of[i]) {
        out.rows[r].p_adjusted = p[i];
        out.rows[r].significant = !std::isnan(p[i]) && p[i] < o.alpha;
      }
  }
  return out;
}

Table event_funnel_table(const EventFunnel& fn) {
  using R = EventFunnelRow;
  using D = DurationStats;
  auto observed = [](const D& d, double D::*field) { return d.count > 0 ? d.*field : kNaN; };
  auto window = fn.window ? *fn.window : kNaN;
  return detail::table_of("event_funnel", fn.rows)
      .text("segment", &R::segment)
      .integer("step", [](const R& r) { return std::int64_t(r.step); })
      .text("label", &R::label)
      .flag("optional", &R::optional)
      .real("reached", &R::reached)
      .real("base", &R::base)
      .real("step_rate", &R::step_rate)
      .real("step_rate_lower", &R::step_lower)
      .real("step_rate_upper", &R::step_upper)
      .real("overall_rate", &R::overall_rate)
      .real("overall_rate_lower", &R::overall_lower)
      .real("overall_rate_upper", &R::overall_upper)
      .real("dropped", &R::dropped)
      .real("time_from_previous_median_s", [&](const R& r) { return observed(r.time_from_previous, &D::median); })
      .real("time_from_previous_p90_s", [&](const R& r) { return observed(r.time_from_previous, &D::p90); })
      .real("time_from_entry_median_s", [&](const R& r) { return observed(r.time_from_entry, &D::median); })
      .real("time_from_entry_p90_s", [&](const R& r) { return observed(r.time_from_entry, &D::p90); })
      .real("timed", [](const R& r) { return r.time_from_entry.count; })
      .real("z", &R::z)
      .real("p_value", &R::p_value)
      .real("p_adjusted", &R::p_adjusted)
      .flag("significant", &R::significant)
      .meta("order", std::string(funnel_order_name(fn.order)))
      .meta("steps", std::int64_t(fn.steps.size()))
      .meta("window_s", window)
      .meta("journeys", fn.journeys)
      .meta("level", fn.level)
      .meta("alpha", fn.alpha)
      .meta("tests", std::int64_t(fn.tests));
}

}  // namespace journeygraph
