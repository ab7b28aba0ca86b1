#pragma once
/// \file map.hpp
/// The journey map: a journey set, its fitted chain, its graph and stages, and the analyses of them (the
/// stage funnel, pain points, common and most probable paths, Sankey step flows, what-if edits of the
/// chain), each with its result table.
///
/// Every probability here comes from solving the fitted absorbing chain (see markov.hpp), never from
/// simulation. Counts are journey weights (a path row stands for conversions + nulls journeys), so they
/// may be fractional. Durations are in seconds. All results are deterministic for any thread count.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "journeygraph/attribution.hpp"
#include "journeygraph/execution.hpp"
#include "journeygraph/graph.hpp"
#include "journeygraph/journeys.hpp"
#include "journeygraph/markov.hpp"
#include "journeygraph/stages.hpp"
#include "journeygraph/table.hpp"

namespace journeygraph {

/// One stage of the funnel. Counts are journey weights. Of the journeys that reached the stage, each
/// is in exactly one of advanced, converted and dropped (a path row with c conversions and n nulls that
/// does not advance puts c into converted and n into dropped): advanced + converted + dropped == journeys.
struct FunnelStage {
  std::string stage;
  double journeys = 0;          ///< journeys with at least one touch in the stage
  double entered_first = 0;     ///< journeys whose first touch is in the stage
  double advanced = 0;          ///< ... that touched a later stage after first reaching this one
  double converted = 0;         ///< ... that did not advance and converted
  double dropped = 0;           ///< ... that did not advance and did not convert
  double conversions = 0;       ///< conversions of all journeys that reached the stage
  /// Journeys that touched this stage after their first touch in the previous stage (0 for the first).
  double from_previous = 0;
  /// from_previous / journeys of the previous stage: the step-to-step rate (NaN for the first stage and
  /// when no journey reached the previous one).
  double step_rate = 0;
  double moves_forward = 0;     ///< moves from this stage to the next one (consecutive touches)
  double moves_skipping = 0;    ///< moves from this stage to a stage two or more later
  double moves_backward = 0;    ///< moves from this stage to an earlier stage
  /// Forward moves between two other stages that jumped over this one (a move from stage 1 to stage 4
  /// counts for stages 2 and 3); backward moves are not counted.
  double skipped_over = 0;
  /// Time in the stage: from the first touch of a run of consecutive touches in the stage to the first
  /// touch after it in another stage. Runs that end the journey are not counted (their end is unknown).
  DurationStats time_in_stage;
  /// Time between stages: from a journey's first touch in the previous stage to its first touch in this
  /// stage after that, over the from_previous journeys (count 0 without timestamps and for the first stage).
  DurationStats time_from_previous;
};

/// Which journeys a stage funnel counts. A repeat journey is one that began after a conversion of the same
/// journey id (JourneySet::follows_conversion): after a split at conversion it starts where customers go
/// after buying (retention, advocacy), so mixing it into the first-purchase funnel makes the purchase stage
/// look like a dead end and the later stages look reached from nowhere.
enum class FunnelJourneys {
  first,   ///< journeys that do not follow a conversion: the first-purchase funnel (the default)
  repeat,  ///< only repeat journeys: their own funnel
  all,     ///< every journey, first and repeat together
};
/// "first", "repeat", "all".
const char* funnel_journeys_name(FunnelJourneys j) noexcept;
/// Inverse of funnel_journeys_name; throws InvalidArgument listing the names.
FunnelJourneys parse_funnel_journeys(std::string_view name);

/// Options of JourneyMap::funnel().
struct FunnelOptions {
  FunnelJourneys journeys = FunnelJourneys::first;
};

/// The stage funnel and the stage-to-stage flow matrix.
struct Funnel {
  std::vector<std::string> stages;
  std::vector<FunnelStage> rows;  ///< one per stage, in funnel order
  /// Flow matrix, row-major, (S + 1) rows x (S + 2) columns for S stages: row 0 is START, row a + 1 is
  /// stage a; column b < S is stage b, column S is CONVERSION, column S + 1 is NULL. Entry = weighted
  /// number of consecutive touch pairs from a touch in the row's stage to a touch in the column's (the
  /// diagonal counts moves within a stage, repeats included); START -> stage counts first touches;
  /// stage -> CONVERSION / NULL counts the conversions / nulls of journeys whose last touch is there.
  std::vector<double> flow;
  double journeys = 0;  ///< summed weight of the journeys counted
  FunnelJourneys counted = FunnelJourneys::first;  ///< which journeys were counted (FunnelOptions)
  double left_out = 0;  ///< summed weight of the journeys the choice left out (repeat ones for first, ...)
  /// flow[(from + 1) * (S + 2) + to] with from = -1 for START and to = S, S + 1 for CONVERSION, NULL.
  double flow_between(std::int32_t from, std::size_t to) const {
    return flow[std::size_t(from + 1) * (stages.size() + 2) + to];
  }
};

/// A touchpoint's drop-out figures, from the fitted chain (default conventions of the core: order k
/// states are grouped by their last touchpoint and weighted by their expected visits). Each figure is
/// defined in one line by pain_point_notes().
struct PainPoint {
  std::string touchpoint;
  std::int32_t stage = -1;              ///< stage position, -1 without stages
  double journeys = 0;                  ///< observed journeys that touched it (the sample behind it)
  double visits = 0;                    ///< observed touches
  double exits = 0;                     ///< observed journeys that ended right after it without converting
  /// Share of the visits to it after which the journey ends unconverted: P(NULL next | at it), from the
  /// chain (not 1 - P(conversion next): a journey may also go on to another touchpoint).
  double unconverted_exit_share = 0;
  double conversion_probability = 0;    ///< P(eventual conversion | at the touchpoint)
  double drop_offs = 0;                 ///< expected journeys ending right after it unconverted (chain)
  /// Share of all conversions lost if it were removed: 1 - P(conv | touchpoint removed) / P(conv). The
  /// shares overlap (a conversion may need several touchpoints), so they add up to more than 1.
  double removal_effect = 0;
  /// Conversions at risk, additive: its removal effect's share of all removal effects times the total
  /// conversions (its Markov credit), so the figures of all touchpoints add up to the total conversions.
  double conversions_at_risk = 0;
  bool small_sample = false;            ///< journeys < PainPointOptions::min_journeys
  std::size_t rank = 0;                 ///< 1-based position in the ranking
  /// Deprecated: the former name of unconverted_exit_share (same value); kept for one version.
  double exit_rate = 0;
  /// Deprecated: removal_effect x total conversions, which is not additive (over all touchpoints it can
  /// add up to several times the conversions); use conversions_at_risk. Kept for one version.
  double lost_conversions = 0;
};

/// What pain points are ranked by (largest first; conversion_probability smallest first). exit_rate and
/// lost_conversions are the former names of unconverted_exit_share and conversions_at_risk (ranking by
/// conversions_at_risk is ranking by removal_effect).
enum class PainRanking {
  drop_offs,
  unconverted_exit_share,
  conversions_at_risk,
  conversion_probability,
  exit_rate = unconverted_exit_share,
  lost_conversions = conversions_at_risk,
};
/// "drop_offs", "unconverted_exit_share", "conversions_at_risk", "conversion_probability".
const char* pain_ranking_name(PainRanking r) noexcept;
/// Inverse of pain_ranking_name (also accepting the former names "exit_rate" and "lost_conversions");
/// throws InvalidArgument listing the names.
PainRanking parse_pain_ranking(std::string_view name);

/// Options of JourneyMap::pain_points().
struct PainPointOptions {
  PainRanking rank_by = PainRanking::drop_offs;
  /// Touchpoints seen in fewer journeys are flagged small_sample and ranked after all others.
  double min_journeys = 0;
};

/// ColumnNote (a column and its definition in one line) is declared in table.hpp.

/// A distinct path of the journey set.
struct PathVariant {
  std::vector<std::string> touchpoints;
  double journeys = 0;          ///< summed weight of the journeys with exactly this path
  double conversions = 0;
  double value = 0;
  double conversion_rate = 0;   ///< conversions / journeys (0 for zero weight)
  double share = 0;             ///< journeys / all journeys
  double cumulative_share = 0;  ///< share of this and every more common variant
};

/// A path through the fitted chain from START to CONVERSION.
struct ProbablePath {
  std::vector<std::string> touchpoints;  ///< the touchpoints in order (order k states unrolled)
  std::vector<std::string> states;       ///< the chain states visited
  double probability = 0;                ///< product of the transition probabilities, CONVERSION included
};

/// Journeys by path length (touches).
struct LengthBin {
  std::size_t length = 0;
  double journeys = 0;
  double conversions = 0;
};

/// A bin of a duration histogram: [lower, upper) seconds (upper may be +infinity).
struct DurationBin {
  double lower = 0;
  double upper = 0;
  std::string label;  ///< e.g. "1-6 h"
  double weight = 0;
};

/// Options of JourneyMap::paths().
struct PathOptions {
  std::size_t top = 10;            ///< variants to list (0 = all)
  std::size_t most_probable = 10;  ///< most probable chain paths to find (0 = none)
};

/// Path analyses of a map.
struct PathAnalysis {
  std::vector<PathVariant> variants;        ///< the most common paths, most common first
  std::size_t distinct_paths = 0;           ///< number of distinct paths
  double journeys = 0;                      ///< summed weight of all journeys
  /// The most probable loop-free START -> CONVERSION paths of the fitted chain (no state repeats),
  /// most probable first: Yen's k-shortest-path search on -log p over Boost.Graph's Dijkstra.
  std::vector<ProbablePath> most_probable;
  std::vector<LengthBin> lengths;           ///< journeys and conversions by path length, ascending
  /// Time from first to last touch of converting journeys, weighted by conversions (count 0 without
  /// timestamps), and its histogram.
  DurationStats time_to_conversion;
  std::vector<DurationBin> time_to_conversion_bins;
};

/// One edit of the fitted chain for a what-if. States are named as in MarkovModel::state_name()
/// ("(start)", "a", "a > b" at order 2, "(conversion)", "(null)").
struct WhatIfEdit {
  enum class Kind {
    /// P(from -> to) becomes probability; the row's other entries are scaled so that it sums to 1
    /// (if they are all 0, the rest goes to NULL). A new edge is allowed when `to` is CONVERSION or NULL,
    /// or at order 1.
    set_probability,
    /// from -> to is removed; the row's other entries are scaled up to sum to 1 (journeys choose among
    /// the remaining moves); a row left empty goes to NULL.
    remove_edge,
    /// Every state containing touchpoint `from` absorbs into NULL (the removal-effect convention).
    remove_touchpoint,
  };
  Kind kind = Kind::set_probability;
  std::string from;
  std::string to;
  double probability = 0;

  /// An edit of kind set_probability (see Kind). p must be in [0, 1]; what_if checks it and the names.
  static WhatIfEdit set(std::string from, std::string to, double p) {
    return {Kind::set_probability, std::move(from), std::move(to), p};
  }
  /// An edit of kind remove_edge (see Kind); what_if checks the names.
  static WhatIfEdit remove_edge(std::string from, std::string to) {
    return {Kind::remove_edge, std::move(from), std::move(to), 0};
  }
  /// An edit of kind remove_touchpoint (see Kind); what_if checks the name.
  static WhatIfEdit remove_touchpoint(std::string touchpoint) {
    return {Kind::remove_touchpoint, std::move(touchpoint), {}, 0};
  }
};

/// "set_probability", "remove_edge", "remove_touchpoint". Complexity: O(1).
const char* what_if_kind_name(WhatIfEdit::Kind kind) noexcept;
/// Inverse of what_if_kind_name; throws InvalidArgument listing the names. Complexity: O(1).
WhatIfEdit::Kind parse_what_if_kind(std::string_view name);

/// Result of a what-if: the chain before and after the edits, solved exactly.
struct WhatIfResult {
  double conversion_probability_before = 0;
  double conversion_probability = 0;   ///< P(conversion | START) of the edited chain
  double expected_conversions_before = 0;  ///< journeys x P(conversion)
  double expected_conversions = 0;
  double expected_value_before = 0;    ///< expected value per journey (value convention of attribution.hpp)
  double expected_value = 0;
  double max_residual = 0;             ///< relative residual of the edited chain's solve
};

/// Apply edits in order to the model's chain and solve it exactly. Throws InvalidArgument for an unknown
/// state or touchpoint (the message names it), a probability outside [0, 1], an edit leaving START or an
/// absorbing state, or a new edge that the order does not allow; DataError if the edited chain has states
/// that can never be left. Throws StateError if unfitted. Complexity: O(transitions) + one chain solve.
WhatIfResult what_if(const MarkovModel& model, const std::vector<WhatIfEdit>& edits);

/// Step-indexed flows for a Sankey diagram: node (step, key) where key is a stage or a touchpoint; a
/// journey's touch i is at step i + 1 (steps beyond max_steps are not drawn), its end goes to
/// "(conversion)" or "(null)" at the step after its last drawn touch (or to "(continues)" when it is
/// cut). Acyclic by construction.
struct SankeyData {
  struct Node {
    std::string name;   ///< "2. consideration"
    std::string key;    ///< "consideration", "(conversion)", "(null)", "(continues)"
    std::size_t step = 0;
  };
  struct Link {
    std::uint32_t source = 0;
    std::uint32_t target = 0;
    double value = 0;
  };
  std::vector<Node> nodes;  ///< by step, then stage order (or touchpoint name), terminal keys last
  std::vector<Link> links;  ///< by source, then target
};

/// Options of JourneyMap::sankey().
struct SankeyOptions {
  bool by_stage = true;        ///< key = stage (needs stages) or touchpoint
  std::size_t max_steps = 6;   ///< steps drawn (>= 1)
};

/// Options of a journey map.
struct MapOptions {
  ModelOptions model;  ///< the chain fitted for probabilities, pain points and paths
  /// Stage for touchpoints the StageMap does not name. Empty: such a touchpoint is an error. If the
  /// name is not one of the stages it is appended after the last.
  std::string other_stage;
};

/// A journey map: a journey set, its fitted chain, its graph, optional stages, and the analyses of them.
/// The constructor does the heavy work once (fit, graph, absorption probabilities and removal effects);
/// the analyses then cost at most one pass over the journeys. Immutable; const methods may run
/// concurrently.
class JourneyMap {
 public:
  /// Build a map. stages may be empty (no stage analyses). Throws InvalidArgument for bad options or a
  /// touchpoint without a stage (naming it and the stage map's source) unless options.other_stage is
  /// set; DataError if no journey has a positive weight. Deterministic for any thread count.
  /// Complexity: fit + JourneyGraph::from_journeys + one transposed chain solve + removal effects.
  JourneyMap(JourneySet journeys, StageMap stages = {}, const MapOptions& options = {}, const Execution& exec = {});

  /// The journeys the map was built from, its fitted chain and its journey graph. Complexity: O(1).
  const JourneySet& journeys() const noexcept { return *journeys_; }
  const MarkovModel& model() const noexcept { return model_; }
  const JourneyGraph& graph() const noexcept { return graph_; }
  /// The stages, with options.other_stage appended if it was used and is new.
  const StageMap& stages() const noexcept { return stages_; }
  /// Whether the map has stages (the funnel and stage flows need them), and its options. Complexity: O(1).
  bool has_stages() const noexcept { return !stages_.empty(); }
  const MapOptions& options() const noexcept { return options_; }
  /// Stage position of each journey-set touchpoint id (-1 without stages).
  const std::vector<std::int32_t>& touchpoint_stages() const noexcept { return stage_of_id_; }
  /// Exact removal effects of the model (computed by the constructor).
  const RemovalEffects& removal() const noexcept { return removal_; }
  /// P(eventual conversion | at transient state i), i = 0 (START) .. n_states - 1, solved exactly.
  const std::vector<double>& absorption() const noexcept { return absorption_; }

  /// The stage funnel of the journeys options.journeys chooses (by default the first-purchase funnel,
  /// which leaves out repeat journeys and counts them in Funnel::left_out). Throws StateError without
  /// stages. Complexity: O(touches) + O(r log r) for the r timed stage runs and stage-to-stage times.
  Funnel funnel(const FunnelOptions& options, const Execution& exec = {}) const;
  /// funnel() with the default options.
  Funnel funnel(const Execution& exec = {}) const;
  /// Pain points, ranked. Complexity: O(states + touchpoints log touchpoints).
  std::vector<PainPoint> pain_points(const PainPointOptions& options = {}) const;
  /// Common paths, most probable chain paths, lengths and time to conversion.
  /// Complexity: O(touches) expected + most_probable x (path length) Dijkstra runs on the chain.
  PathAnalysis paths(const PathOptions& options = {}, const Execution& exec = {}) const;
  /// what_if() on this map's model.
  WhatIfResult what_if(const std::vector<WhatIfEdit>& edits) const;
  /// Step flows for a Sankey diagram. Throws StateError for by_stage without stages, InvalidArgument for
  /// max_steps == 0; reports progress to exec as the stage "sankey", which may cancel it (Interrupted).
  /// Complexity: O(touches).
  SankeyData sankey(const SankeyOptions& options = {}, const Execution& exec = {}) const;
  /// Heuristic and Markov attribution of the map's journeys (Markov from the map's removal effects).
  /// Complexity: O(touches).
  AttributionResult attribution() const;

 private:
  std::shared_ptr<const JourneySet> journeys_;
  StageMap stages_;
  MapOptions options_;
  MarkovModel model_;
  JourneyGraph graph_;
  std::vector<std::int32_t> stage_of_id_;
  RemovalEffects removal_;
  std::vector<double> absorption_;
};

/// One map per segment of the journeys (same stages and options), in segment id order; segments without
/// a journey of positive weight are left out. Throws StateError if the journeys have no segments.
/// Complexity: one JourneyMap per segment.
std::vector<std::pair<std::string, JourneyMap>> map_segments(const JourneySet& journeys, const StageMap& stages = {},
                                                             const MapOptions& options = {},
                                                             const Execution& exec = {});

/// The result tables of a map's analyses. Each costs O(rows x columns) and copies the values; the table's
/// name is given first, then its columns and metadata. Missing durations are NaN.

/// "funnel", one row per stage. Columns (each defined in one line by funnel_notes()): stage, journeys,
/// entered_first, advanced, converted, dropped, advanced_share, converted_share, dropped_share, conversions,
/// from_previous, step_rate, moves_forward, moves_skipping, moves_backward, skipped_over,
/// time_in_stage_median_s, time_in_stage_mean_s, time_in_stage_p90_s, time_in_stage_count,
/// time_from_previous_median_s, time_from_previous_mean_s, time_from_previous_p90_s, time_from_previous_count
/// (the times are NaN when none was observed; step_rate is NaN for the first stage). Metadata: journeys,
/// counted (funnel_journeys_name of the journeys counted), left_out (the weight of those left out).
Table funnel_table(const Funnel& funnel);
/// One line per column of funnel_table(), and first a line saying which journeys the funnel counts and how
/// many it left out (column "(journeys)"). Complexity: O(columns).
std::vector<ColumnNote> funnel_notes(const Funnel& funnel);
/// "stage_flows", the non-zero entries of the flow matrix in long format. Columns: from, to, flow (START is
/// "(start)", the absorbing columns "(conversion)" and "(null)").
Table flow_table(const Funnel& funnel);
/// "pain_points", ranked. Columns: rank (integer), touchpoint, stage (its name in stages, "" for none),
/// journeys, visits, exits, unconverted_exit_share, conversion_probability, drop_offs, removal_effect,
/// conversions_at_risk, small_sample (boolean). In one line each (pain_point_notes() gives these lines to print
/// under the table):
///   journeys               observed journeys that touched it (the sample behind its figures)
///   visits                 observed touches of it
///   exits                  observed journeys that ended unconverted right after it
///   unconverted_exit_share share of visits to it after which the journey ends unconverted (chain)
///   conversion_probability probability of converting eventually from it (chain)
///   drop_offs              expected journeys ending unconverted right after it (chain)
///   removal_effect         share of all conversions lost without it; overlapping shares, not additive
///   conversions_at_risk    its Markov credit: additive, the column adds up to the total conversions
Table pain_point_table(const std::vector<PainPoint>& points, const std::vector<std::string>& stages = {});
/// One line per column of pain_point_table() that needs a definition (the lines above). Complexity: O(1).
std::vector<ColumnNote> pain_point_notes();
/// "paths", the most common paths. Columns: path, length (integer), journeys, conversions, value,
/// conversion_rate, share, cumulative_share. Metadata: distinct_paths, journeys.
Table variant_table(const PathAnalysis& paths, std::string_view separator = " > ");
/// "probable_paths". Columns: rank (integer), path, states, length (integer), probability.
Table probable_path_table(const PathAnalysis& paths, std::string_view separator = " > ");
/// "path_lengths". Columns: length (integer), journeys, conversions, conversion_rate.
Table length_table(const PathAnalysis& paths);
/// "time_to_conversion", the histogram. Columns: bin, lower_s, upper_s, conversions. Metadata: count,
/// mean_s, median_s, p90_s (of the time from first to last touch of converting journeys).
Table time_to_conversion_table(const PathAnalysis& paths);
/// "sankey", the links of the step flows. Columns: step (integer: the source node's step), source, target
/// (node names), value. The nodes themselves are s.nodes.
Table sankey_link_table(const SankeyData& s);
/// "what_if", one row per figure (conversion_probability, expected_conversions, expected_value). Columns:
/// figure, before, after, change. Metadata: max_residual.
Table what_if_table(const WhatIfResult& result);

}  // namespace journeygraph
