// journeygraph map

#include <cstdint>
#include <iostream>

#include "commands.hpp"
#include "common.hpp"
#include "map_common.hpp"
#include "journeygraph/error.hpp"
#include "journeygraph/text.hpp"

namespace jg = journeygraph;

namespace journeygraph::cli {

namespace {

const char* const kTables[] = {"funnel", "flows", "pain",  "paths", "probable",
                               "lengths", "time",  "nodes", "edges", "sankey"};

std::string table_list() {
  std::string s;
  for (const char* t : kTables) s += std::string(t) + ", ";
  return s + "all, none";
}

// The files `map` writes: the option, its format and what the message calls it.
struct FileOption {
  const char* option;
  jg::MapFormat format;
  const char* what;
};
const FileOption kFiles[] = {
    {"svg", jg::MapFormat::svg, "the journey graph (SVG)"},
    {"funnel-svg", jg::MapFormat::funnel_svg, "the funnel (SVG)"},
    {"sankey-svg", jg::MapFormat::sankey_svg, "the Sankey flows (SVG)"},
    {"dot", jg::MapFormat::dot, "the graph (DOT)"},
    {"graphml", jg::MapFormat::graphml, "the graph (GraphML)"},
    {"json", jg::MapFormat::json, "the graph (JSON)"},
    {"sankey", jg::MapFormat::sankey_json, "the Sankey flows (JSON)"},
};

std::vector<std::string> parse_show(const std::string& list) {
  if (list == "none") return {};
  if (list == "all") return {std::begin(kTables), std::end(kTables)};
  std::vector<std::string> out = split_list(list);
  for (const auto& s : out)
    if (std::find(std::begin(kTables), std::end(kTables), s) == std::end(kTables))
      throw UsageError("--show: unknown table " + jg::quoted(s) + " (tables: " + table_list() + ")");
  return out;
}

// "FROM->TO=P; FROM->TO=P" (with_probability) or "FROM->TO; ..." into edits.
void parse_edits(const std::string& text, bool with_probability, std::vector<jg::WhatIfEdit>& edits) {
  const char* opt = with_probability ? "--set" : "--remove-edge";
  for (std::string e : split_list(text, ';')) {
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
      throw UsageError(std::string(opt) + " wants FROM->TO" + (with_probability ? "=P" : "") + ", got " + jg::quoted(e));
    std::string from(jg::trim_blanks(e.substr(0, arrow))), to(jg::trim_blanks(e.substr(arrow + 2)));
    edits.push_back(with_probability ? jg::WhatIfEdit::set(from, to, p) : jg::WhatIfEdit::remove_edge(from, to));
  }
}

// The two parts of the journeys that --compare or --split-at names, with their labels.
std::pair<std::pair<jg::JourneySet, std::string>, std::pair<jg::JourneySet, std::string>> parts(const Args& a,
                                                                                                   const jg::JourneySet& js) {
  if (auto c = a.maybe("compare")) {
    const auto names = split_list(*c);
    if (names.size() != 2) throw UsageError("--compare wants two segment names, A,B");
    if (!js.has_segments()) throw UsageError("--compare needs segments: read --events with --segment COL");
    auto part = [&](const std::string& name) {
      auto id = js.segments().find(name);
      if (!id)
        throw jg::InvalidArgument("--compare: no segment " + jg::quoted(name) + " (segments: " +
                                  [&] { std::string s; for (const auto& n : js.segments().names()) s += (s.empty() ? "" : ", ") + n; return s; }() + ")");
      return std::make_pair(js.segment_subset(*id), name);
    };
    return {part(names[0]), part(names[1])};
  }
  if (!js.has_timestamps()) throw UsageError("--split-at needs journeys with timestamps (--events with a time column)");
  const std::string at = a.get("split-at");
  std::int64_t t;
  try {
    // Read as the journeys' times were given: a bare number is an epoch number in the file's unit only for a
    // file of epoch numbers, and the --time-format pattern reads it as it read the file.
    t = jg::parse_instant(at, js, a.get("time-format"));
  } catch (const jg::InvalidArgument& e) {
    throw UsageError(std::string("--split-at: ") + e.what());
  }
  std::pair<jg::JourneySet, jg::JourneySet> split;
  try {
    split = jg::split_at_time(js, t);
  } catch (const jg::DataError& e) {
    throw jg::DataError("--split-at " + jg::quoted(at) + ": " + e.what());
  }
  auto& [before, from] = split;
  return {{std::move(before), "before " + at}, {std::move(from), "from " + at}};
}

}  // namespace

int cmd_map(int argc, char** argv) {
  const jg::PainPointOptions pain;
  const jg::PathOptions path;
  const jg::RenderOptions render;
  Args a("map", "The journey map of FILE: the graph of touchpoints with volumes, probabilities and timings,\n"
                "the stage funnel, pain points, common and most probable paths; what-if edits of the chain;\n"
                "segment or period comparison; exports (SVG, DOT, GraphML, JSON, Sankey data).",
         "FILE [--paths | --events] [--stages stages.csv] [options]");
  add_input_options(a);
  add_model_options(a);
  add_stage_options(a);
  add_output_options(a, "tables printed");
  a.option("show", "LIST", "tables: " + table_list(),
           "funnel,pain,paths (funnel only with --stages)")
      .option("top", "N", "rows of the path and pain-point tables (0 = all)", std::to_string(path.top))
      .option("rank-by", "KEY", "pain points by drop_offs, unconverted_exit_share, conversions_at_risk or conversion_probability",
              jg::pain_ranking_name(pain.rank_by))
      .option("min-journeys", "N", "rank touchpoints seen in fewer journeys last, flagged", jg::format_number(pain.min_journeys));
  a.section("files written");
  for (const FileOption& f : kFiles) a.option(f.option, "FILE", std::string("write ") + f.what);
  a.option("sankey-by", "KEY", "stage or touchpoint", "stage with --stages, else touchpoint")
      .option("steps", "N", "steps of the Sankey flows", std::to_string(render.max_steps))
      .option("title", "TEXT", "title drawn on the SVG pictures", render.title);
  a.section("what-if (exact: the edited chain is solved)")
      .option("set", "EDITS", "set transition probabilities: 'FROM->TO=P; ...' (state names as in 'transitions')")
      .option("remove-edge", "EDITS", "remove transitions: 'FROM->TO; ...'")
      .option("remove-touchpoint", "LIST", "remove touchpoints (their journeys end unconverted)");
  a.section("compare (two-proportion tests per transition, Holm-adjusted)")
      .option("compare", "A,B", "compare two segments (events read with --segment COL)")
      .option("split-at", "TIME", "compare journeys starting before TIME with those starting from it: a date and time "
              "(ISO-8601, or in the --time-format pattern; without an offset it is UTC), or an epoch number in the "
              "file's unit when the file's times are epoch numbers")
      .option("alpha", "X", "family-wise error rate of the tests", jg::format_number(jg::CompareOptions().alpha));
  if (!a.parse(argc, argv, 2)) return 0;
  const std::string file = single_file(a);
  if (a.has("compare") && a.has("split-at")) throw UsageError("give --compare or --split-at, not both");

  jg::StageMap stages = load_stages(a);
  const jg::MapOptions options = map_options(a);
  const jg::Execution exec = execution(a);
  jg::BuildReport report;
  jg::JourneySet js = load_journeys(a, file, report);
  print_report(a, report);
  const std::size_t top = static_cast<std::size_t>(a.get_int("top", path.top, 0, 1LL << 40));

  std::vector<Table> tables;
  std::vector<TextOptions> texts;
  auto add = [&](Table t, TextOptions text = {}) {
    tables.push_back(std::move(t));
    texts.push_back(std::move(text));
  };

  std::optional<jg::Comparison> comparison;
  if (a.has("compare") || a.has("split-at")) {
    auto [pa, pb] = parts(a, js);
    const jg::JourneyMap ma(std::move(pa.first), stages, options, exec), mb(std::move(pb.first), stages, options, exec);
    jg::CompareOptions co;
    co.alpha = a.get_double("alpha", co.alpha);
    co.label_a = pa.second;
    co.label_b = pb.second;
    comparison = jg::compare(ma, mb, co);
  }

  const jg::JourneyMap map(std::move(js), std::move(stages), options, exec);
  const jg::FunnelOptions funnel = funnel_options(a);
  if (a.has("funnel-journeys") && !map.has_stages()) throw UsageError("--funnel-journeys needs --stages FILE");
  jg::RenderOptions ro;
  ro.funnel = funnel;
  ro.title = a.get("title", ro.title);
  ro.max_steps = static_cast<std::size_t>(a.get_int("steps", ro.max_steps, 1, 1000));
  if (auto by = a.maybe("sankey-by")) {
    if (*by != "stage" && *by != "touchpoint") throw UsageError("--sankey-by must be stage or touchpoint");
    ro.by_stage = *by == "stage";
  }
  for (const FileOption& f : kFiles)
    if (auto out = a.maybe(f.option)) {
      jg::write_text_file(*out, jg::render_map(map, f.format, ro, exec));
      say(a, std::string("wrote ") + f.what + " to " + *out);
    }

  jg::PainPointOptions po;
  if (auto r = a.maybe("rank-by")) po.rank_by = jg::parse_pain_ranking(*r);
  po.min_journeys = a.get_double("min-journeys", po.min_journeys);
  std::vector<std::string> show = a.has("show") ? parse_show(a.get("show"))
                                                : map.has_stages() ? std::vector<std::string>{"funnel", "pain", "paths"}
                                                                   : std::vector<std::string>{"pain", "paths"};
  std::optional<jg::PathAnalysis> paths;
  auto need_paths = [&]() -> const jg::PathAnalysis& {
    if (!paths) paths = map.paths({top, top}, exec);
    return *paths;
  };
  const auto& stage_names = map.stages().stages();
  for (const auto& name : show) {
    if ((name == "funnel" || name == "flows") && !map.has_stages())
      throw UsageError("--show " + name + " needs --stages FILE");
    if (name == "funnel") {
      TextOptions summary;  // the text view summarises the wide funnel; CSV and JSON carry every column
      summary.columns = {"stage", "journeys", "advanced_share", "converted_share", "dropped_share", "step_rate",
                         "moves_backward", "time_in_stage_median_s"};
      const jg::Funnel f = map.funnel(funnel, exec);
      add(jg::funnel_table(f), summary);
    } else if (name == "flows") add(jg::flow_table(map.funnel(funnel, exec)));
    else if (name == "pain") {
      auto pp = map.pain_points(po);
      if (top && pp.size() > top) pp.resize(top);
      add(jg::pain_point_table(pp, stage_names));
    } else if (name == "paths") add(jg::variant_table(need_paths()));
    else if (name == "probable") add(jg::probable_path_table(need_paths()));
    else if (name == "lengths") add(jg::length_table(need_paths()));
    else if (name == "time") add(jg::time_to_conversion_table(need_paths()));
    else if (name == "nodes") add(jg::node_table(map.graph(), stage_names));
    else if (name == "edges") add(jg::edge_table(map.graph()));
    else if (name == "sankey")
      add(jg::sankey_link_table(map.sankey({ro.by_stage.value_or(map.has_stages()), ro.max_steps}, exec)));
  }
  std::vector<jg::WhatIfEdit> edits;
  if (auto s = a.maybe("set")) parse_edits(*s, true, edits);
  if (auto s = a.maybe("remove-edge")) parse_edits(*s, false, edits);
  if (auto s = a.maybe("remove-touchpoint"))
    for (const auto& t : split_list(*s)) edits.push_back(jg::WhatIfEdit::remove_touchpoint(t));
  if (!edits.empty()) add(jg::what_if_table(map.what_if(edits)));
  if (comparison) {
    if (top && comparison->transitions.size() > top) comparison->transitions.resize(top);
    if (top && comparison->attribution.size() > top) comparison->attribution.resize(top);
    add(jg::transition_change_table(*comparison));
    add(jg::attribution_change_table(*comparison));
  }
  print_tables(a, tables, texts);
  return 0;
}

}  // namespace journeygraph::cli
