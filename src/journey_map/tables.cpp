// The result tables of the journey graph and of the map's analyses, one line per column.

#include <cmath>
#include <numeric>

#include "common/text.hpp"
#include "journeygraph/graph.hpp"
#include "journeygraph/map.hpp"
#include "table/columns.hpp"

namespace journeygraph {

namespace {
using detail::table_of;

double share(double part, double whole) { return whole > 0 ? part / whole : 0.0; }
std::string join(const std::vector<std::string>& v, std::string_view sep) {
  std::string s;
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? std::string(sep) : std::string()) + v[i];
  return s;
}
std::string stage_name(const std::vector<std::string>& stages, std::int32_t s) {
  return s >= 0 && std::size_t(s) < stages.size() ? stages[std::size_t(s)] : std::string();
}
std::vector<std::size_t> indices(std::size_t n) {
  std::vector<std::size_t> v(n);
  std::iota(v.begin(), v.end(), std::size_t(0));
  return v;
}
// A duration statistic, or NaN when nothing was observed.
double observed(const DurationStats& d, double DurationStats::*field) { return d.count > 0 ? d.*field : std::nan(""); }
}  // namespace

Table funnel_table(const Funnel& f) {
  using S = FunnelStage;
  using D = DurationStats;
  return table_of("funnel", f.rows)
      .text("stage", &S::stage)
      .real("journeys", &S::journeys)
      .real("entered_first", &S::entered_first)
      .real("advanced", &S::advanced)
      .real("converted", &S::converted)
      .real("dropped", &S::dropped)
      .real("advanced_share", [](const S& r) { return share(r.advanced, r.journeys); })
      .real("converted_share", [](const S& r) { return share(r.converted, r.journeys); })
      .real("dropped_share", [](const S& r) { return share(r.dropped, r.journeys); })
      .real("conversions", &S::conversions)
      .real("from_previous", &S::from_previous)
      .real("step_rate", &S::step_rate)
      .real("moves_forward", &S::moves_forward)
      .real("moves_skipping", &S::moves_skipping)
      .real("moves_backward", &S::moves_backward)
      .real("skipped_over", &S::skipped_over)
      .real("time_in_stage_median_s", [](const S& r) { return observed(r.time_in_stage, &D::median); })
      .real("time_in_stage_mean_s", [](const S& r) { return observed(r.time_in_stage, &D::mean); })
      .real("time_in_stage_p90_s", [](const S& r) { return observed(r.time_in_stage, &D::p90); })
      .real("time_in_stage_count", [](const S& r) { return r.time_in_stage.count; })
      .real("time_from_previous_median_s", [](const S& r) { return observed(r.time_from_previous, &D::median); })
      .real("time_from_previous_mean_s", [](const S& r) { return observed(r.time_from_previous, &D::mean); })
      .real("time_from_previous_p90_s", [](const S& r) { return observed(r.time_from_previous, &D::p90); })
      .real("time_from_previous_count", [](const S& r) { return r.time_from_previous.count; })
      .meta("journeys", f.journeys)
      .meta("counted", std::string(funnel_journeys_name(f.counted)))
      .meta("left_out", f.left_out)
      .notes(funnel_notes(f));
}

std::vector<ColumnNote> funnel_notes(const Funnel& f) {
  std::string counted;
  switch (f.counted) {
    case FunnelJourneys::first:
      counted = "first journeys only: the " + detail::format_double(f.left_out) +
                " journeys that began after a conversion are left out (their own funnel: repeat journeys)";
      break;
    case FunnelJourneys::repeat:
      counted = "repeat journeys only (those that began after a conversion); the " + detail::format_double(f.left_out) +
                " first journeys are left out";
      break;
    case FunnelJourneys::all: counted = "every journey, first and repeat together"; break;
  }
  return {{"(journeys)", "counts " + counted},
          {"journeys", "journeys that touched the stage"},
          {"entered_first", "journeys whose first touch is in the stage"},
          {"advanced", "journeys that touched a later stage after reaching this one"},
          {"converted", "journeys that did not advance and converted"},
          {"dropped", "journeys that did not advance and did not convert"},
          {"from_previous", "journeys that touched the stage after reaching the previous one"},
          {"step_rate", "from_previous / journeys of the previous stage"},
          {"skipped_over", "forward moves between two other stages that jumped over this one"},
          {"time_in_stage", "from entering the stage to the first touch in another stage"},
          {"time_from_previous", "from the first touch in the previous stage to the first touch here after it"}};
}

Table flow_table(const Funnel& f) {
  struct Flow {
    std::string from, to;
    double flow;
  };
  const std::size_t S = f.stages.size();
  std::vector<Flow> flows;
  for (std::size_t r = 0; r <= S; ++r)
    for (std::size_t c = 0; c < S + 2; ++c)
      if (const double v = f.flow[r * (S + 2) + c]; v != 0)
        flows.push_back({r == 0 ? "(start)" : f.stages[r - 1], c < S ? f.stages[c] : c == S ? "(conversion)" : "(null)", v});
  return table_of("stage_flows", flows).text("from", &Flow::from).text("to", &Flow::to).real("flow", &Flow::flow);
}

Table pain_point_table(const std::vector<PainPoint>& points, const std::vector<std::string>& stages) {
  using P = PainPoint;
  return table_of("pain_points", points)
      .integer("rank", &P::rank)
      .text("touchpoint", &P::touchpoint)
      .text("stage", [&](const P& p) { return stage_name(stages, p.stage); })
      .real("journeys", &P::journeys)
      .real("visits", &P::visits)
      .real("exits", &P::exits)
      .real("unconverted_exit_share", &P::unconverted_exit_share)
      .real("conversion_probability", &P::conversion_probability)
      .real("drop_offs", &P::drop_offs)
      .real("removal_effect", &P::removal_effect)
      .real("conversions_at_risk", &P::conversions_at_risk)
      .flag("small_sample", &P::small_sample)
      .notes(pain_point_notes());
}

std::vector<ColumnNote> pain_point_notes() {
  return {{"journeys", "observed journeys that touched it (the sample behind its figures)"},
          {"visits", "observed touches of it"},
          {"exits", "observed journeys that ended unconverted right after it"},
          {"unconverted_exit_share", "share of visits to it after which the journey ends unconverted (chain)"},
          {"conversion_probability", "probability of converting eventually from it (chain)"},
          {"drop_offs", "expected journeys ending unconverted right after it (chain)"},
          {"removal_effect", "share of all conversions lost without it; the shares overlap and do not add up"},
          {"conversions_at_risk", "its Markov credit: additive, the column adds up to the total conversions"}};
}

Table variant_table(const PathAnalysis& p, std::string_view sep) {
  using V = PathVariant;
  return table_of("paths", p.variants)
      .text("path", [&](const V& v) { return join(v.touchpoints, sep); })
      .integer("length", [](const V& v) { return v.touchpoints.size(); })
      .real("journeys", &V::journeys)
      .real("conversions", &V::conversions)
      .real("value", &V::value)
      .real("conversion_rate", &V::conversion_rate)
      .real("share", &V::share)
      .real("cumulative_share", &V::cumulative_share)
      .meta("distinct_paths", std::int64_t(p.distinct_paths))
      .meta("journeys", p.journeys);
}

Table probable_path_table(const PathAnalysis& p, std::string_view sep) {
  const auto& x = p.most_probable;
  return table_of("probable_paths", indices(x.size()))
      .integer("rank", [](std::size_t i) { return i + 1; })
      .text("path", [&](std::size_t i) { return join(x[i].touchpoints, sep); })
      .text("states", [&](std::size_t i) { return join(x[i].states, " | "); })
      .integer("length", [&](std::size_t i) { return x[i].touchpoints.size(); })
      .real("probability", [&](std::size_t i) { return x[i].probability; });
}

Table length_table(const PathAnalysis& p) {
  using L = LengthBin;
  return table_of("path_lengths", p.lengths)
      .integer("length", &L::length)
      .real("journeys", &L::journeys)
      .real("conversions", &L::conversions)
      .real("conversion_rate", [](const L& b) { return share(b.conversions, b.journeys); });
}

Table time_to_conversion_table(const PathAnalysis& p) {
  using B = DurationBin;
  const DurationStats& d = p.time_to_conversion;
  return table_of("time_to_conversion", p.time_to_conversion_bins)
      .text("bin", &B::label)
      .real("lower_s", &B::lower)
      .real("upper_s", &B::upper)
      .real("conversions", &B::weight)
      .meta("count", d.count)
      .meta("mean_s", observed(d, &DurationStats::mean))
      .meta("median_s", observed(d, &DurationStats::median))
      .meta("p90_s", observed(d, &DurationStats::p90));
}

Table node_table(const JourneyGraph& g, const std::vector<std::string>& stages) {
  const auto& n = g.nodes();
  return table_of("nodes", indices(n.size()))
      .integer("node", [](std::size_t i) { return i; })
      .text("name", [&](std::size_t i) { return n[i].name; })
      .text("kind", [&](std::size_t i) { return node_kind_name(n[i].kind); })
      .text("stage", [&](std::size_t i) { return stage_name(stages, n[i].stage); })
      .real("visits", [&](std::size_t i) { return n[i].visits; })
      .real("journeys", [&](std::size_t i) { return n[i].journeys; })
      .real("conversions", [&](std::size_t i) { return n[i].conversions; });
}

Table edge_table(const JourneyGraph& g) {
  using E = MapEdge;
  return table_of("edges", g.edges())
      .text("source", [&](const E& e) { return g.nodes()[e.source].name; })
      .text("target", [&](const E& e) { return g.nodes()[e.target].name; })
      .real("count", &E::count)
      .real("probability", &E::probability)
      .real("time_count", [](const E& e) { return e.time.count; })
      .real("time_mean_s", [](const E& e) { return observed(e.time, &DurationStats::mean); })
      .real("time_median_s", [](const E& e) { return observed(e.time, &DurationStats::median); })
      .real("time_p90_s", [](const E& e) { return observed(e.time, &DurationStats::p90); });
}

Table sankey_link_table(const SankeyData& s) {
  using L = SankeyData::Link;
  return table_of("sankey", s.links)
      .integer("step", [&](const L& l) { return s.nodes[l.source].step; })
      .text("source", [&](const L& l) { return s.nodes[l.source].name; })
      .text("target", [&](const L& l) { return s.nodes[l.target].name; })
      .real("value", &L::value);
}

Table what_if_table(const WhatIfResult& r) {
  struct Figure {
    const char* name;
    double before, after;
  };
  const Figure figures[] = {{"conversion_probability", r.conversion_probability_before, r.conversion_probability},
                            {"expected_conversions", r.expected_conversions_before, r.expected_conversions},
                            {"expected_value", r.expected_value_before, r.expected_value}};
  return table_of("what_if", figures)
      .text("figure", &Figure::name)
      .real("before", &Figure::before)
      .real("after", &Figure::after)
      .real("change", [](const Figure& f) { return f.after - f.before; })
      .meta("max_residual", r.max_residual);
}

}  // namespace journeygraph
