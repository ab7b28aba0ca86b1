// The result tables of the journey graph and of the map's analyses.

#include <cmath>

#include "journeygraph/graph.hpp"
#include "journeygraph/map.hpp"

namespace journeygraph {

namespace {
double share(double part, double whole) { return whole > 0 ? part / whole : 0.0; }
std::string join(const std::vector<std::string>& v, std::string_view sep) {
  std::string s;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i) s += sep;
    s += v[i];
  }
  return s;
}
std::string stage_name(const std::vector<std::string>& stages, std::int32_t s) {
  return s >= 0 && std::size_t(s) < stages.size() ? stages[std::size_t(s)] : std::string();
}
}  // namespace

DataTable funnel_table(const Funnel& f) {
  DataTable t;
  std::vector<std::string> stage;
  std::vector<double> c[17];
  for (const FunnelStage& r : f.rows) {
    auto stay = [&](double v) { return r.time_in_stage.count > 0 ? v : std::nan(""); };
    stage.push_back(r.stage);
    const double v[17] = {r.journeys, r.entered_first, r.advanced, r.converted, r.dropped,
                          share(r.advanced, r.journeys), share(r.converted, r.journeys), share(r.dropped, r.journeys),
                          r.conversions, r.moves_forward, r.moves_skipping, r.moves_backward, r.skipped_over,
                          stay(r.time_in_stage.median), stay(r.time_in_stage.mean), stay(r.time_in_stage.p90),
                          r.time_in_stage.count};
    for (int k = 0; k < 17; ++k) c[k].push_back(v[k]);
  }
  static const char* const names[17] = {"journeys", "entered_first", "advanced", "converted", "dropped",
                                        "advanced_share", "converted_share", "dropped_share", "conversions",
                                        "moves_forward", "moves_skipping", "moves_backward", "skipped_over",
                                        "time_in_stage_median_s", "time_in_stage_mean_s", "time_in_stage_p90_s",
                                        "time_in_stage_count"};
  t.add("stage", std::move(stage));
  for (int k = 0; k < 17; ++k) t.add(names[k], std::move(c[k]));
  return t;
}

DataTable flow_table(const Funnel& f) {
  const std::size_t S = f.stages.size();
  std::vector<std::string> from, to;
  std::vector<double> flow;
  for (std::size_t r = 0; r <= S; ++r)
    for (std::size_t c = 0; c < S + 2; ++c) {
      const double v = f.flow[r * (S + 2) + c];
      if (v == 0) continue;
      from.push_back(r == 0 ? "(start)" : f.stages[r - 1]);
      to.push_back(c < S ? f.stages[c] : c == S ? "(conversion)" : "(null)");
      flow.push_back(v);
    }
  DataTable t;
  t.add("from", std::move(from));
  t.add("to", std::move(to));
  t.add("flow", std::move(flow));
  return t;
}

DataTable pain_point_table(const std::vector<PainPoint>& points, const std::vector<std::string>& stages) {
  DataTable t;
  std::vector<std::string> tp, st;
  std::vector<double> c[11];
  for (const PainPoint& p : points) {
    tp.push_back(p.touchpoint);
    st.push_back(stage_name(stages, p.stage));
    const double v[11] = {double(p.rank), p.journeys, p.visits, p.exits, p.exit_rate, p.conversion_probability,
                          p.drop_offs, p.removal_effect, p.lost_conversions, p.small_sample ? 1.0 : 0.0, 0};
    for (int k = 0; k < 10; ++k) c[k].push_back(v[k]);
  }
  t.add("rank", std::move(c[0]));
  t.add("touchpoint", std::move(tp));
  t.add("stage", std::move(st));
  static const char* const names[9] = {"journeys", "visits", "exits", "exit_rate", "conversion_probability",
                                       "drop_offs", "removal_effect", "lost_conversions", "small_sample"};
  for (int k = 0; k < 9; ++k) t.add(names[k], std::move(c[k + 1]));
  return t;
}

DataTable variant_table(const PathAnalysis& p, std::string_view sep) {
  DataTable t;
  std::vector<std::string> path;
  std::vector<double> c[7];
  for (const PathVariant& v : p.variants) {
    path.push_back(join(v.touchpoints, sep));
    const double x[7] = {double(v.touchpoints.size()), v.journeys, v.conversions, v.value, v.conversion_rate, v.share,
                         v.cumulative_share};
    for (int k = 0; k < 7; ++k) c[k].push_back(x[k]);
  }
  t.add("path", std::move(path));
  static const char* const names[7] = {"length", "journeys", "conversions", "value", "conversion_rate", "share",
                                       "cumulative_share"};
  for (int k = 0; k < 7; ++k) t.add(names[k], std::move(c[k]));
  return t;
}

DataTable probable_path_table(const PathAnalysis& p, std::string_view sep) {
  DataTable t;
  std::vector<std::string> path, states;
  std::vector<double> rank, length, prob;
  for (std::size_t i = 0; i < p.most_probable.size(); ++i) {
    const ProbablePath& x = p.most_probable[i];
    rank.push_back(double(i + 1));
    path.push_back(join(x.touchpoints, sep));
    states.push_back(join(x.states, " | "));
    length.push_back(double(x.touchpoints.size()));
    prob.push_back(x.probability);
  }
  t.add("rank", std::move(rank));
  t.add("path", std::move(path));
  t.add("states", std::move(states));
  t.add("length", std::move(length));
  t.add("probability", std::move(prob));
  return t;
}

DataTable length_table(const PathAnalysis& p) {
  DataTable t;
  std::vector<double> len, j, c, r;
  for (const LengthBin& b : p.lengths) {
    len.push_back(double(b.length));
    j.push_back(b.journeys);
    c.push_back(b.conversions);
    r.push_back(share(b.conversions, b.journeys));
  }
  t.add("length", std::move(len));
  t.add("journeys", std::move(j));
  t.add("conversions", std::move(c));
  t.add("conversion_rate", std::move(r));
  return t;
}

DataTable time_to_conversion_table(const PathAnalysis& p) {
  DataTable t;
  std::vector<std::string> bin;
  std::vector<double> lo, hi, w;
  for (const DurationBin& b : p.time_to_conversion_bins) {
    bin.push_back(b.label);
    lo.push_back(b.lower);
    hi.push_back(b.upper);
    w.push_back(b.weight);
  }
  t.add("bin", std::move(bin));
  t.add("lower_s", std::move(lo));
  t.add("upper_s", std::move(hi));
  t.add("conversions", std::move(w));
  return t;
}

DataTable node_table(const JourneyGraph& g, const std::vector<std::string>& stages) {
  DataTable t;
  std::vector<double> id, visits, journeys, conv;
  std::vector<std::string> name, kind, stage;
  for (std::size_t i = 0; i < g.nodes().size(); ++i) {
    const MapNode& n = g.nodes()[i];
    id.push_back(double(i));
    name.push_back(n.name);
    kind.push_back(node_kind_name(n.kind));
    stage.push_back(stage_name(stages, n.stage));
    visits.push_back(n.visits);
    journeys.push_back(n.journeys);
    conv.push_back(n.conversions);
  }
  t.add("node", std::move(id));
  t.add("name", std::move(name));
  t.add("kind", std::move(kind));
  t.add("stage", std::move(stage));
  t.add("visits", std::move(visits));
  t.add("journeys", std::move(journeys));
  t.add("conversions", std::move(conv));
  return t;
}

DataTable edge_table(const JourneyGraph& g) {
  DataTable t;
  std::vector<std::string> src, dst;
  std::vector<double> c[6];
  for (const MapEdge& e : g.edges()) {
    src.push_back(g.nodes()[e.source].name);
    dst.push_back(g.nodes()[e.target].name);
    const double none = std::nan("");
    const bool timed = e.time.count > 0;
    const double x[6] = {e.count, e.probability, e.time.count, timed ? e.time.mean : none,
                         timed ? e.time.median : none, timed ? e.time.p90 : none};
    for (int k = 0; k < 6; ++k) c[k].push_back(x[k]);
  }
  t.add("source", std::move(src));
  t.add("target", std::move(dst));
  static const char* const names[6] = {"count", "probability", "time_count", "time_mean_s", "time_median_s",
                                       "time_p90_s"};
  for (int k = 0; k < 6; ++k) t.add(names[k], std::move(c[k]));
  return t;
}

DataTable sankey_link_table(const SankeyData& s) {
  DataTable t;
  std::vector<std::string> src, dst;
  std::vector<double> v, step;
  for (const auto& l : s.links) {
    src.push_back(s.nodes[l.source].name);
    dst.push_back(s.nodes[l.target].name);
    step.push_back(double(s.nodes[l.source].step));
    v.push_back(l.value);
  }
  t.add("step", std::move(step));
  t.add("source", std::move(src));
  t.add("target", std::move(dst));
  t.add("value", std::move(v));
  return t;
}

}  // namespace journeygraph
