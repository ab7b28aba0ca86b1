// journeygraph map

#include <cstdint>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cli/map_common.hpp"
#include "journeygraph/error.hpp"
#include "journeygraph/journey_map.hpp"
#include "journeygraph/text.hpp"

namespace jg = journeygraph;

namespace journeygraph::cli {

namespace {

const char* const kTables[] = {"funnel", "flows", "pain", "paths", "probable", "lengths", "time", "nodes", "edges"};

std::vector<std::string> parse_show(const std::string& list) {
  if (list == "none") return {};
  if (list == "all") return {std::begin(kTables), std::end(kTables)};
  std::vector<std::string> out = split_list(list);
  for (const auto& s : out) {
    bool known = false;
    for (const char* t : kTables) known = known || s == t;
    if (!known) {
      std::string all;
      for (const char* t : kTables) all += std::string(all.empty() ? "" : ", ") + t;
      throw UsageError("--show: unknown table " + jg::quoted(s) + " (tables: " + all + ", all, none)");
    }
  }
  return out;
}

// "FROM->TO=P; FROM->TO=P" (with_probability) or "FROM->TO; ..." into edits.
void parse_edits(const std::string& text, bool with_probability, std::vector<jg::WhatIfEdit>& edits) {
  std::stringstream ss(text);
  std::string item;
  const char* opt = with_probability ? "--set" : "--remove-edge";
  while (std::getline(ss, item, ';')) {
    std::string e(jg::trim_blanks(item));
    if (e.empty()) continue;
    double p = 0;
    if (with_probability) {
      const auto eq = e.rfind('=');
      if (eq == std::string::npos) throw UsageError(std::string(opt) + " wants FROM->TO=P, got " + jg::quoted(e));
      auto v = jg::parse_number(e.substr(eq + 1));
      if (!v) throw UsageError(std::string(opt) + ": " + jg::quoted(e.substr(eq + 1)) + " is not a number");
      p = *v;
      e = e.substr(0, eq);
    }
    const auto arrow = e.find("->");
    if (arrow == std::string::npos)
      throw UsageError(std::string(opt) + " wants FROM->TO" + (with_probability ? "=P" : "") + ", got " +
                       jg::quoted(e));
    std::string from(jg::trim_blanks(e.substr(0, arrow))), to(jg::trim_blanks(e.substr(arrow + 2)));
    edits.push_back(with_probability ? jg::WhatIfEdit::set(from, to, p) : jg::WhatIfEdit::remove_edge(from, to));
  }
}

void write_file(const std::optional<std::string>& file, const std::string& text, const char* what) {
  if (!file) return;
  jg::write_text_file(*file, text);
  std::cerr << "journeygraph: wrote " << what << " to " << *file << "\n";
}

}  // namespace

int cmd_map(int argc, char** argv) {
  Args a("map", "The journey map of FILE: the graph of touchpoints with volumes, probabilities and timings,\n"
                "the stage funnel, pain points, common and most probable paths; what-if edits of the chain;\n"
                "segment or period comparison; exports (SVG, DOT, GraphML, JSON, Sankey data).",
         "FILE (--paths | --events) [--stages stages.csv] [options]");
  add_input_options(a);
  add_model_options(a);
  add_stage_options(a);
  a.section("tables printed")
      .option("show", "LIST", "tables: funnel, flows, pain, paths, probable, lengths, time, nodes, edges, all, none",
              "funnel,pain,paths (funnel only with --stages)")
      .option("format", "FORMAT", "table, csv (one table only) or json", "table")
      .option("top", "N", "rows of the path and pain-point tables (0 = all)", "10")
      .option("rank-by", "KEY", "pain points by drop_offs, exit_rate, lost_conversions or conversion_probability",
              "drop_offs")
      .option("min-journeys", "N", "rank touchpoints seen in fewer journeys last, flagged", "0")
      .option("output", "FILE", "write the tables to FILE instead of standard output");
  a.section("files written")
      .option("svg", "FILE", "the journey graph as SVG, laid out by stage")
      .option("funnel-svg", "FILE", "the stage funnel as SVG")
      .option("sankey-svg", "FILE", "the step flows as a Sankey SVG")
      .option("dot", "FILE", "the graph as Graphviz DOT")
      .option("graphml", "FILE", "the graph as GraphML")
      .option("json", "FILE", "the graph as JSON nodes and links")
      .option("sankey", "FILE", "the step flows as Sankey JSON (nodes, links)")
      .option("sankey-by", "KEY", "stage or touchpoint", "stage with --stages, else touchpoint")
      .option("steps", "N", "steps of the Sankey flows", "6")
      .option("title", "TEXT", "title drawn on the SVG pictures", "");
  a.section("what-if (exact: the edited chain is solved)")
      .option("set", "EDITS", "set transition probabilities: 'FROM->TO=P; ...' (state names as in 'transitions')")
      .option("remove-edge", "EDITS", "remove transitions: 'FROM->TO; ...'")
      .option("remove-touchpoint", "LIST", "remove touchpoints (their journeys end unconverted)");
  a.section("compare (two-proportion tests per transition, Holm-adjusted)")
      .option("compare", "A,B", "compare two segments (events read with --segment COL)")
      .option("split-at", "TIME", "compare journeys starting before TIME with those starting from it")
      .option("alpha", "X", "family-wise error rate of the tests", "0.05");
  if (!a.parse(argc, argv, 2)) return 0;
  const std::string file = single_file(a);
  const std::string format = output_format(a);
  if (a.has("compare") && a.has("split-at")) throw UsageError("give --compare or --split-at, not both");

  jg::StageMap stages = load_stages(a);
  const jg::MapOptions options = map_options(a);
  const jg::Execution exec = execution(a);
  jg::BuildReport report;
  jg::JourneySet js = load_journeys(a, file, report);
  print_report(a, report);

  // Comparison of two parts of the journeys.
  std::optional<jg::Comparison> comparison;
  if (a.has("compare") || a.has("split-at")) {
    jg::JourneySet part_a, part_b;
    std::string la, lb;
    if (auto c = a.maybe("compare")) {
      auto names = split_list(*c);
      if (names.size() != 2) throw UsageError("--compare wants two segment names, A,B");
      if (!js.has_segments()) throw UsageError("--compare needs segments: read --events with --segment COL");
      for (int k = 0; k < 2; ++k) {
        auto id = js.segments().find(names[k]);
        if (!id) {
          std::string have;
          for (const auto& n : js.segments().names()) have += std::string(have.empty() ? "" : ", ") + n;
          throw jg::InvalidArgument("--compare: no segment " + jg::quoted(names[k]) + " (segments: " + have + ")");
        }
        (k == 0 ? part_a : part_b) = js.segment_subset(*id);
      }
      la = names[0];
      lb = names[1];
    } else {
      if (!js.has_timestamps()) throw UsageError("--split-at needs journeys with timestamps (--events with a time column)");
      const std::string at = a.get("split-at");
      std::int64_t t;
      try {
        t = jg::parse_timestamp(at, js.time_unit(), js.time_unit());
      } catch (const jg::InvalidArgument& e) {
        throw UsageError(std::string("--split-at: ") + e.what());
      }
      part_a = jg::time_window(js, INT64_MIN, t);
      part_b = jg::time_window(js, t, INT64_MAX);
      la = "before " + at;
      lb = "from " + at;
    }
    jg::JourneyMap ma(std::move(part_a), stages, options, exec), mb(std::move(part_b), stages, options, exec);
    jg::CompareOptions co;
    co.alpha = a.get_double("alpha", 0.05);
    co.label_a = la;
    co.label_b = lb;
    comparison = jg::compare(ma, mb, co);
  }

  const jg::JourneyMap map(std::move(js), std::move(stages), options, exec);
  const auto& stage_names = map.stages().stages();
  const std::size_t top = static_cast<std::size_t>(a.get_int("top", 10, 0, 1LL << 40));
  jg::PainPointOptions po;
  po.rank_by = jg::parse_pain_ranking(a.get("rank-by", "drop_offs"));
  po.min_journeys = a.get_double("min-journeys", 0);

  // What-if edits.
  std::vector<jg::WhatIfEdit> edits;
  if (auto s = a.maybe("set")) parse_edits(*s, true, edits);
  if (auto s = a.maybe("remove-edge")) parse_edits(*s, false, edits);
  if (auto s = a.maybe("remove-touchpoint"))
    for (const auto& t : split_list(*s)) edits.push_back(jg::WhatIfEdit::remove_touchpoint(t));

  // Files.
  jg::SvgOptions svg;
  svg.title = a.get("title", "");
  write_file(a.maybe("svg"), jg::graph_svg(map, svg), "the journey graph (SVG)");
  if (a.has("funnel-svg")) {
    if (!map.has_stages()) throw UsageError("--funnel-svg needs --stages");
    write_file(a.maybe("funnel-svg"), jg::funnel_svg(map.funnel(exec), svg), "the funnel (SVG)");
  }
  jg::SankeyOptions so;
  const std::string by = a.get("sankey-by", map.has_stages() ? "stage" : "touchpoint");
  if (by != "stage" && by != "touchpoint") throw UsageError("--sankey-by must be stage or touchpoint");
  if (by == "stage" && !map.has_stages()) throw UsageError("--sankey-by stage needs --stages");
  so.by_stage = by == "stage";
  so.max_steps = static_cast<std::size_t>(a.get_int("steps", 6, 1, 1000));
  if (a.has("sankey") || a.has("sankey-svg")) {
    const jg::SankeyData sk = map.sankey(so);
    write_file(a.maybe("sankey"), jg::to_json(sk), "the Sankey flows (JSON)");
    write_file(a.maybe("sankey-svg"), jg::sankey_svg(sk, svg), "the Sankey flows (SVG)");
  }
  write_file(a.maybe("dot"), jg::to_dot(map.graph(), stage_names), "the graph (DOT)");
  write_file(a.maybe("graphml"), jg::to_graphml(map.graph(), stage_names), "the graph (GraphML)");
  write_file(a.maybe("json"), jg::to_json(map.graph(), stage_names), "the graph (JSON)");

  // Tables.
  std::vector<std::string> show = a.has("show") ? parse_show(a.get("show"))
                                                : map.has_stages() ? std::vector<std::string>{"funnel", "pain", "paths"}
                                                                   : std::vector<std::string>{"pain", "paths"};
  std::vector<std::pair<std::string, jg::DataTable>> tables;
  std::optional<jg::PathAnalysis> paths;
  auto need_paths = [&]() -> const jg::PathAnalysis& {
    if (!paths) paths = map.paths({top, top}, exec);
    return *paths;
  };
  for (const auto& name : show) {
    if ((name == "funnel" || name == "flows") && !map.has_stages())
      throw UsageError("--show " + name + " needs --stages FILE");
    if (name == "funnel") tables.emplace_back("funnel", jg::funnel_table(map.funnel(exec)));
    else if (name == "flows") tables.emplace_back("flows", jg::flow_table(map.funnel(exec)));
    else if (name == "pain") {
      auto pp = map.pain_points(po);
      if (top && pp.size() > top) pp.resize(top);
      tables.emplace_back("pain_points", jg::pain_point_table(pp, stage_names));
    } else if (name == "paths") tables.emplace_back("paths", jg::variant_table(need_paths()));
    else if (name == "probable") tables.emplace_back("probable_paths", jg::probable_path_table(need_paths()));
    else if (name == "lengths") tables.emplace_back("lengths", jg::length_table(need_paths()));
    else if (name == "time") tables.emplace_back("time_to_conversion", jg::time_to_conversion_table(need_paths()));
    else if (name == "nodes") tables.emplace_back("nodes", jg::node_table(map.graph(), stage_names));
    else if (name == "edges") tables.emplace_back("edges", jg::edge_table(map.graph()));
  }
  std::optional<jg::WhatIfResult> wi;
  if (!edits.empty()) {
    wi = map.what_if(edits);
    jg::DataTable t;
    t.add("figure", std::vector<std::string>{"conversion_probability", "expected_conversions", "expected_value"});
    t.add("before", std::vector<double>{wi->conversion_probability_before, wi->expected_conversions_before,
                                        wi->expected_value_before});
    t.add("after", std::vector<double>{wi->conversion_probability, wi->expected_conversions, wi->expected_value});
    t.add("change", std::vector<double>{wi->conversion_probability - wi->conversion_probability_before,
                                        wi->expected_conversions - wi->expected_conversions_before,
                                        wi->expected_value - wi->expected_value_before});
    tables.emplace_back("what_if", std::move(t));
  }
  if (comparison) {
    jg::Comparison shown = *comparison;
    if (top && shown.transitions.size() > top) shown.transitions.resize(top);
    if (top && shown.attribution.size() > top) shown.attribution.resize(top);
    tables.emplace_back("transition_changes", jg::transition_change_table(shown));
    tables.emplace_back("attribution_changes", jg::attribution_change_table(shown));
  }

  std::ofstream out_file;
  std::ostream* os = &std::cout;
  if (auto out = a.maybe("output")) {
    out_file.open(*out, std::ios::binary);
    if (!out_file) throw jg::IoError("cannot write " + *out);
    os = &out_file;
  }
  if (format == "csv") {
    if (tables.size() != 1)
      throw UsageError("--format csv writes one table; choose it with --show (" + std::to_string(tables.size()) +
                       " requested)");
    print_table(*os, tables[0].second, "csv");
  } else if (format == "json") {
    *os << "{";
    for (std::size_t i = 0; i < tables.size(); ++i) {
      *os << (i ? ",\n" : "\n") << json_string(tables[i].first) << ": ";
      print_table(*os, tables[i].second, "json");
    }
    *os << "}\n";
  } else {
    const jg::MarkovModel& m = map.model();
    *os << "Journey map: " << jg::format_number(map.graph().journeys()) << " journeys, "
        << map.graph().touchpoint_count() << " touchpoints"
        << (map.has_stages() ? ", " + std::to_string(stage_names.size()) + " stages" : std::string()) << "; order-"
        << m.order() << " chain, P(conversion) " << jg::format_number(m.conversion_probability()) << "\n";
    for (const auto& [name, t] : tables) {
      *os << "\n" << name << "\n";
      if (name == "funnel") {
        // The full funnel table is wide; the text view summarises it (csv and json carry every column).
        print_funnel_summary(*os, map.funnel(exec));
        continue;
      }
      print_table(*os, t, "table");
    }
    if (comparison)
      *os << "\n" << comparison->significant << " of " << comparison->transitions.size()
          << " transitions changed significantly (alpha " << comparison->alpha << ", Holm-adjusted); P(conversion) "
          << jg::format_number(comparison->conversion_probability_a) << " (" << comparison->label_a << ") vs "
          << jg::format_number(comparison->conversion_probability_b) << " (" << comparison->label_b << ")\n";
  }
  if (!*os) throw jg::IoError("error writing the tables");
  return 0;
}

}  // namespace journeygraph::cli
