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
  double moves_forward = 0;     ///< moves from this stage to the next one (consecutive touches)
  double moves_skipping = 0;    ///< moves from this stage to a stage two or more later
  double moves_backward = 0;    ///< moves from this stage to an earlier stage
  double skipped_over = 0;      ///< moves between other stages that jumped over this one
  /// Time in the stage: from the first touch of a run of consecutive touches in the stage to the first
  /// touch after it in another stage. Runs that end the journey are not counted (their end is unknown).
  DurationStats time_in_stage;
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
  double journeys = 0;  ///< summed weight of all journeys
  /// flow[(from + 1) * (S + 2) + to] with from = -1 for START and to = S, S + 1 for CONVERSION, NULL.
  double flow_between(std::int32_t from, std::size_t to) const {
    return flow[std::size_t(from + 1) * (stages.size() + 2) + to];
  }
};

/// A touchpoint's drop-out figures, from the fitted chain (default conventions of the core: order k
/// states are grouped by their last touchpoint and weighted by their expected visits).
struct PainPoint {
  std::string touchpoint;
  std::int32_t stage = -1;              ///< stage position, -1 without stages
  double journeys = 0;                  ///< observed journeys that touched it (the sample behind it)
  double visits = 0;                    ///< observed touches
  double exits = 0;                     ///< observed journeys that ended right after it without converting
  double exit_rate = 0;                 ///< P(NULL next | at the touchpoint)
  double conversion_probability = 0;    ///< P(eventual conversion | at the touchpoint)
  double drop_offs = 0;                 ///< expected journeys ending right after it unconverted (chain)
  double removal_effect = 0;            ///< 1 - P(conv | touchpoint removed) / P(conv)
  double lost_conversions = 0;          ///< removal_effect x total conversions
  bool small_sample = false;            ///< journeys < PainPointOptions::min_journeys
  std::size_t rank = 0;                 ///< 1-based position in the ranking
};

/// What pain points are ranked by (largest first; conversion_probability smallest first).
enum class PainRanking { drop_offs, exit_rate, lost_conversions, conversion_probability };
/// "drop_offs", "exit_rate", "lost_conversions", "conversion_probability".
const char* pain_ranking_name(PainRanking r) noexcept;
/// Inverse of pain_ranking_name; throws InvalidArgument listing the names.
PainRanking parse_pain_ranking(std::string_view name);

/// Options of JourneyMap::pain_points().
struct PainPointOptions {
  PainRanking rank_by = PainRanking::drop_offs;
  /// Touchpoints seen in fewer journeys are flagged small_sample and ranked after all others.
  double min_journeys = 0;
};

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

  /// The stage funnel. Throws StateError without stages. Complexity: O(touches) + O(r log r) for the r
  /// timed stage runs.
  Funnel funnel(const Execution& exec = {}) const;
  /// Pain points, ranked. Complexity: O(states + touchpoints log touchpoints).
  std::vector<PainPoint> pain_points(const PainPointOptions& options = {}) const;
  /// Common paths, most probable chain paths, lengths and time to conversion.
  /// Complexity: O(touches) expected + most_probable x (path length) Dijkstra runs on the chain.
  PathAnalysis paths(const PathOptions& options = {}, const Execution& exec = {}) const;
  /// what_if() on this map's model.
  WhatIfResult what_if(const std::vector<WhatIfEdit>& edits) const;
  /// Step flows for a Sankey diagram. Throws StateError for by_stage without stages, InvalidArgument for
  /// max_steps == 0. Complexity: O(touches).
  SankeyData sankey(const SankeyOptions& options = {}) const;
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

/// Columns: stage, journeys, entered_first, advanced, converted, dropped, advanced_share, converted_share,
/// dropped_share, conversions, moves_forward, moves_skipping, moves_backward, skipped_over,
/// time_in_stage_median_s, time_in_stage_mean_s, time_in_stage_p90_s, time_in_stage_count (the times are NaN
/// when no stay was observed).
DataTable funnel_table(const Funnel& funnel);
/// Long format: from, to, flow (START is "(start)", the absorbing columns "(conversion)", "(null)").
DataTable flow_table(const Funnel& funnel);
/// Columns: rank, touchpoint, stage, journeys, visits, exits, exit_rate, conversion_probability, drop_offs,
/// removal_effect, lost_conversions, small_sample (0/1). stages names the stage column (may be empty).
DataTable pain_point_table(const std::vector<PainPoint>& points, const std::vector<std::string>& stages = {});
/// Columns: path, length, journeys, conversions, value, conversion_rate, share, cumulative_share.
DataTable variant_table(const PathAnalysis& paths, std::string_view separator = " > ");
/// Columns: rank, path, states, length, probability.
DataTable probable_path_table(const PathAnalysis& paths, std::string_view separator = " > ");
/// Columns: length, journeys, conversions, conversion_rate.
DataTable length_table(const PathAnalysis& paths);
/// Columns: bin, lower_s, upper_s, conversions.
DataTable time_to_conversion_table(const PathAnalysis& paths);
/// The links of a Sankey flow, one row per link. Columns: step (the source node's step), source, target
/// (node names), value. The nodes themselves are s.nodes.
DataTable sankey_link_table(const SankeyData& s);

}  // namespace journeygraph
