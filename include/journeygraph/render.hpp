#pragma once
/// \file render.hpp
/// Exports and pictures of a journey map: DOT, GraphML, JSON (graph and Sankey), self-contained SVG
/// pictures of the graph, the funnel and the step flows, and one self-contained HTML report.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "journeygraph/attribution.hpp"
#include "journeygraph/drivers.hpp"
#include "journeygraph/execution.hpp"
#include "journeygraph/funnel.hpp"
#include "journeygraph/graph.hpp"
#include "journeygraph/map.hpp"
#include "journeygraph/money.hpp"
#include "journeygraph/paths.hpp"

namespace journeygraph {

/// Graphviz DOT of the graph: one cluster per stage (left to right), node labels with visits, edge
/// labels with counts and probabilities, pen width by count. Complexity: O(nodes + edges).
std::string to_dot(const JourneyGraph& graph, const std::vector<std::string>& stages = {});
/// GraphML with node data (name, kind, stage, visits, journeys, conversions) and edge data (count,
/// probability, time_mean_s, time_median_s, time_p90_s). Complexity: O(nodes + edges).
std::string to_graphml(const JourneyGraph& graph, const std::vector<std::string>& stages = {});
/// JSON {"nodes": [...], "links": [...]} (d3 force-graph shape). Complexity: O(nodes + edges).
std::string to_json(const JourneyGraph& graph, const std::vector<std::string>& stages = {});
/// JSON {"nodes": [{"name", "key", "step"}], "links": [{"source", "target", "value"}]} (d3-sankey and
/// plotly shape). Complexity: O(nodes + links).
std::string to_json(const SankeyData& sankey);

/// Options of the pictures.
struct SvgOptions {
  std::size_t max_edges = 40;  ///< touchpoint edges drawn (the heaviest; edges to CONVERSION always)
  std::string title;           ///< drawn at the top when non-empty
};

/// The journey graph as a self-contained SVG (no XML declaration, no scripts, no external fonts or images:
/// it can be inlined in HTML as it is): columns by stage left to right (START first, CONVERSION and NULL
/// last; without stages, by the median 1-based position of the touchpoint's touches in the journeys, 8 and
/// later sharing the last column), node height by visits, edge width by count, backward moves drawn as
/// dashed arcs, a <title> tooltip on every node and edge; the edges not drawn are counted in the caption
/// with their share of the transitions. Complexity: O(touches + nodes log nodes + edges log edges).
std::string graph_svg(const JourneyMap& map, const SvgOptions& options = {});
/// The stage funnel as a self-contained SVG: one bar per stage, length by journeys reached, split
/// into advanced / converted / dropped. Throws StateError without stages. Complexity: O(stages).
std::string funnel_svg(const Funnel& funnel, const SvgOptions& options = {});
/// A Sankey diagram of step flows as a self-contained SVG. Complexity: O(nodes + links log links).
std::string sankey_svg(const SankeyData& sankey, const SvgOptions& options = {});

/// Analyses the report shows as sections of their own when they are set. Each is computed on the map's
/// journeys with these options; a null `stages` pointer in them means the map's stages (when it has any).
struct ReportSections {
  /// "Event funnel": bars of the journeys reached per step, the step rates with their Wilson intervals and
  /// the median / p90 times (event_funnel(), all journeys; segment rows are in the funnel table only).
  std::optional<EventFunnelOptions> event_funnel;
  /// "Path explorer": the Sankey of the explored paths and the table of the most common ones (explore_paths()).
  std::optional<PathExplorerOptions> path_explorer;
  /// "Conversion drivers": a forest chart of the odds ratios with their intervals and the drivers table
  /// (conversion_drivers()).
  std::optional<DriverOptions> drivers;
  std::size_t drivers_shown = 20;  ///< drivers in the chart and the table (the strongest; >= 1)
  /// "Model comparison": the credit of each of these models per touchpoint (attribute()), with their bootstrap
  /// intervals as error bars when options.bootstrap asks for them: the 10 touchpoints with the most credit
  /// under the baseline (default_baseline() of money.hpp: last_touch when compared, else the first model) and
  /// the rest as "other", and each other model's percent change against the baseline in the table.
  std::optional<AttributionOptions> model_comparison;
  /// "Money", with model_comparison: spend per touchpoint next to the compared models' credit, the money table
  /// of money.hpp as a table (spend, conversions, value, cost per conversion and ROAS per model and touchpoint,
  /// with the ROAS intervals when the comparison runs a bootstrap). report_html() throws InvalidArgument when
  /// it is set without model_comparison.
  std::optional<Spend> spend;
};

/// The colour of an attribution model in every chart of every face (report, Python): Okabe & Ito's
/// colour-blind-safe palette for the first eight models of all_models(), then four colour-blind-safe colours of
/// Paul Tol's "muted" palette. "#777777" for a model outside all_models(). Complexity: O(1).
const char* model_color(AttributionModel model);

/// How the report's period switch groups journeys: by the calendar period (UTC) of their first touch, or
/// between instants a user typed.
enum class PeriodUnit {
  month,     ///< calendar months, labelled "2026-03"
  week,      ///< ISO weeks (Monday to Sunday), labelled with the ISO week-year and week "2026-W09"
  quarter,   ///< calendar quarters, labelled "2026-Q1"
  instants,  ///< between the instants of PeriodSwitch::instants: "before A", "from A to B", ..., "from N on"
};
/// The report's period switch: the unit, and for PeriodUnit::instants the instants in increasing order, as
/// typed (read at report time by parse_instant() of io.hpp, the rule of split_at_time() and time_window(),
/// with time_format as its pattern).
struct PeriodSwitch {
  PeriodUnit unit = PeriodUnit::month;
  std::vector<std::string> instants;  ///< with PeriodUnit::instants: one or more, increasing
  std::string time_format;            ///< pattern of the instants when the data's times were read with one
};
/// The period switch a user wrote: "month", "week", "quarter", or instants separated by commas
/// ("2026-02-01,2026-03-01"; each trimmed of blanks). The one parser of every face (CLI --period-switch, Python
/// period_switch=, C jg_export_options). Throws InvalidArgument naming the text, the option and the forms.
/// Complexity: O(length).
PeriodSwitch parse_period_switch(std::string_view text);
/// The most periods report_periods() makes (a weekly menu over 19 years, a monthly one over 83).
inline constexpr std::size_t kMaxReportPeriods = 1000;
/// One view of the period switch: the journeys whose first touch lies in [from, to) (ticks of the set's unit).
struct ReportPeriod {
  std::string label;  ///< "2026-03", "2026-W09", "2026-Q1", "before A", "from A to B" or "from A on"
  std::int64_t from;  ///< first tick of the period (INT64_MIN: open)
  std::int64_t to;    ///< first tick after it (INT64_MAX: open; the journeys at INT64_MAX belong to it too)
  std::size_t journeys;  ///< rows of the set whose first touch lies in it
};
/// The periods of a set, in time order, and (in `empty`) the labels of those with no journey, which the report
/// leaves out: calendar periods from the one of the earliest first touch to the one of the latest, or the
/// periods between the instants. Throws StateError naming the option (--period-switch, period_switch) when the
/// journeys have no timestamps, InvalidArgument when an instant cannot be read or the instants do not increase,
/// and when there would be more than kMaxReportPeriods periods (empty ones included: every view is a whole
/// report). Complexity: O(journeys + periods).
std::vector<ReportPeriod> report_periods(const JourneySet& journeys, const PeriodSwitch& periods,
                                         std::vector<std::string>* empty = nullptr);
/// The journeys of one period (dictionaries, keys and time kind kept, touchpoints no journey uses dropped, as
/// time_window() does). Complexity: O(journeys + touches copied).
JourneySet period_subset(const JourneySet& journeys, const ReportPeriod& period);

/// Options of report_html().
struct ReportOptions {
  std::string title = "Journey map";
  std::size_t top_paths = 10;
  std::size_t pain_points = 12;
  PainPointOptions pain;
  SankeyOptions sankey;
  FunnelOptions funnel;  ///< which journeys the funnel counts (first journeys by default)
  ReportSections sections;  ///< event funnel, path explorer and drivers sections (none by default)
  /// With segments: a segment menu that switches the whole page to one segment, every segment's view made
  /// in advance (the page grows by one report per segment; switching runs offline, in a few lines of script).
  bool segment_switch = false;
  /// A period menu that switches the whole page to the journeys that began in one period (report_periods()),
  /// every period's view made in advance, beside an "all" view. With segment_switch as well there are two
  /// menus, each over all of the other: a period's view holds every segment, a segment's view every period
  /// (choosing in one menu sets the other back to "all"), so the page grows by one report per segment plus
  /// one per period rather than per pair. Periods without journeys are left out and counted in a note at the
  /// top of the page. Throws StateError when the journeys have no timestamps.
  std::optional<PeriodSwitch> period_switch;
};

/// One self-contained HTML page (inline CSS, inline SVG, one small inline script for sortable tables;
/// nothing fetched from the network): headline figures, the journey graph, the funnel and stage flow
/// table, the Sankey of step flows, pain points, attribution (Markov and heuristics), top paths, most
/// probable paths, path lengths and time to conversion; then the event funnel, path explorer and drivers
/// and the model comparison when options.sections asks for them; with options.segment_switch or
/// options.period_switch, a menu of views made in advance. Sections needing stages or timestamps are replaced by a
/// note when those are absent. Throws what event_funnel(), explore_paths() and conversion_drivers() throw for their
/// options on the whole data; in a segment's or period's view a requested section that fails there (e.g. an
/// event funnel whose first step never occurs in that month) is replaced by a note naming the section and the
/// reason, and the view's other sections stay. Complexity: the analyses it shows.
std::string report_html(const JourneyMap& map, const ReportOptions& options = {}, const Execution& exec = {});

/// Every export and picture of a map, by name.
enum class MapFormat {
  dot,          ///< to_dot of the graph
  graphml,      ///< to_graphml of the graph
  json,         ///< to_json of the graph
  sankey_json,  ///< to_json of the step flows
  svg,          ///< graph_svg
  funnel_svg,   ///< funnel_svg (needs stages)
  sankey_svg,   ///< sankey_svg
  html,         ///< report_html
};
/// "dot", "graphml", "json", "sankey_json", "svg", "funnel_svg", "sankey_svg", "html".
const char* map_format_name(MapFormat format) noexcept;
/// Inverse of map_format_name, also accepting "svg_graph", "svg_funnel" and "svg_sankey" (the C header's
/// spelling) for svg, funnel_svg and sankey_svg; throws InvalidArgument listing the names. Complexity: O(1).
MapFormat parse_map_format(std::string_view name);
/// Every map format, in declaration order.
std::vector<MapFormat> all_map_formats();

/// Options of render_map(): those of the pictures, of the step flows and of the report in one place.
struct RenderOptions {
  /// SVG title (none by default) or report title (ReportOptions::title when empty).
  std::string title;
  std::size_t max_edges = SvgOptions().max_edges;
  /// Steps by stage (needs stages) or by touchpoint; nullopt: by stage when the map has stages.
  std::optional<bool> by_stage;
  std::size_t max_steps = SankeyOptions().max_steps;
  std::size_t top_paths = ReportOptions().top_paths;
  std::size_t pain_points = ReportOptions().pain_points;
  PainPointOptions pain;
  FunnelOptions funnel;  ///< which journeys the funnel (SVG and report) counts
  ReportSections sections;  ///< the report's event funnel, path explorer and drivers sections
  bool segment_switch = false;  ///< ReportOptions::segment_switch
  std::optional<PeriodSwitch> period_switch;  ///< ReportOptions::period_switch
};

/// The map in a format. Throws StateError for funnel_svg (or steps by stage) without stages, and as the
/// function of the format does. Complexity: that function's.
std::string render_map(const JourneyMap& map, MapFormat format, const RenderOptions& options = {},
                       const Execution& exec = {});

}  // namespace journeygraph
