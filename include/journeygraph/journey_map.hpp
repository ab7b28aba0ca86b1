#pragma once
/// \file journey_map.hpp
/// The journey map: the graph of touchpoints with volumes, probabilities and timings; stages and the
/// funnel they form; pain points; common and most probable paths; segment comparison; what-if edits of
/// the chain; and the exports and pictures (DOT, GraphML, JSON, Sankey data, SVG, one HTML report).
///
/// Every probability here comes from solving the fitted absorbing chain (see markov.hpp), never from
/// simulation. Counts are journey weights (a path row stands for conversions + nulls journeys), so they
/// may be fractional. Durations are in seconds. All results are deterministic for any thread count.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "journeygraph/attribution.hpp"
#include "journeygraph/execution.hpp"
#include "journeygraph/io.hpp"
#include "journeygraph/journeys.hpp"
#include "journeygraph/markov.hpp"

namespace journeygraph {

namespace detail {
struct GraphStore;
}

// ------------------------------------------------------------------------------------------------
// Stages
// ------------------------------------------------------------------------------------------------

/// An ordered list of stages (the funnel, e.g. awareness, consideration, purchase, retention, advocacy)
/// and the stage of each touchpoint. A value type; copies are independent.
class StageMap {
 public:
  /// No stages (a map built with it has no stage analyses).
  StageMap() = default;
  /// Stages in funnel order. Throws InvalidArgument for an empty list, an empty or duplicated name.
  /// Complexity: O(stages).
  explicit StageMap(std::vector<std::string> order);
  /// Stages in order and touchpoint -> stage pairs: the constructor above, then assign() for each pair, so
  /// it throws InvalidArgument as they do. Complexity: O(stages + pairs x touchpoints assigned) worst case.
  StageMap(std::vector<std::string> order, const std::vector<std::pair<std::string, std::string>>& assignment);

  /// Put touchpoint in stage. Throws InvalidArgument if the stage is not in the order (the message lists
  /// the stages), the touchpoint name is empty, or the touchpoint already has another stage. Assigning
  /// the same stage again is allowed. Complexity: O(touchpoints assigned) worst case.
  void assign(std::string_view touchpoint, std::string_view stage);
  /// The stages in funnel order.
  const std::vector<std::string>& stages() const noexcept { return order_; }
  /// Number of stages (0 = no stages).
  std::size_t size() const noexcept { return order_.size(); }
  /// Whether there are no stages. Complexity: O(1).
  bool empty() const noexcept { return order_.empty(); }
  /// Position of a stage in the order, or nullopt. Complexity: O(stages).
  std::optional<std::uint32_t> stage_index(std::string_view stage) const;
  /// Stage position of a touchpoint, or nullopt if it has none. Complexity: O(log touchpoints).
  std::optional<std::uint32_t> stage_of(std::string_view touchpoint) const;
  /// Every touchpoint -> stage position pair, sorted by touchpoint name (byte order).
  const std::vector<std::pair<std::string, std::uint32_t>>& assignments() const noexcept { return assigned_; }
  /// Where the map came from ("<memory>" or the file name), used in error messages.
  const std::string& source() const noexcept { return source_; }
  /// Name the map's origin (read_stages_csv sets the file name). Complexity: O(name length).
  void set_source(std::string source) { source_ = std::move(source); }

 private:
  std::vector<std::string> order_;
  std::vector<std::pair<std::string, std::uint32_t>> assigned_;
  std::string source_ = "<memory>";
};

/// The built-in retailer sample's stages (sample_stage_order() with sample_stages()).
StageMap sample_stage_map();

/// Columns and dialect of a stages CSV: one row per touchpoint with its stage.
struct StageCsvOptions {
  CsvFormat csv;
  std::string touchpoint_column = "touchpoint";
  std::string stage_column = "stage";
  /// The funnel order. Empty: the stages in order of first appearance in the file. Otherwise a row
  /// naming a stage outside this list is an error.
  std::vector<std::string> order;
};

/// Read a stages CSV (header row with touchpoint and stage columns; other columns are ignored).
/// Throws IoError if the file cannot be read, ParseError ("FILE:LINE:COLUMN: field 'stage': ...", with
/// the value) for a missing column, an empty touchpoint or stage, an unknown stage (when an order is
/// given), or a touchpoint given two different stages; DataError if the file has no rows.
/// Complexity: O(file size + touchpoints log touchpoints).
StageMap read_stages_csv(const std::string& file, const StageCsvOptions& options = {});
/// Same, from text in memory; name is used in error messages.
StageMap parse_stages_csv(std::string_view text, const std::string& name = "<memory>",
                          const StageCsvOptions& options = {});

// ------------------------------------------------------------------------------------------------
// The journey graph
// ------------------------------------------------------------------------------------------------

/// Weighted duration statistics, in seconds. count == 0 means no observation (e.g. no timestamps);
/// the other fields are then 0. Quantiles are of the weighted empirical distribution: the q-quantile is
/// the smallest observed value v with (weight of observations <= v) >= q * (total weight).
struct DurationStats {
  double count = 0;   ///< total weight of the observations
  double mean = 0;
  double median = 0;
  double p90 = 0;
};

/// Kind of a graph node.
enum class NodeKind { start, touchpoint, conversion, null };
/// "start", "touchpoint", "conversion", "null".
const char* node_kind_name(NodeKind kind) noexcept;

/// A node of the journey graph.
struct MapNode {
  std::string name;           ///< touchpoint name, or "(start)", "(conversion)", "(null)"
  NodeKind kind = NodeKind::touchpoint;
  std::int32_t stage = -1;    ///< stage position (see StageMap), -1 for none
  double visits = 0;          ///< touches at the node (START: journeys; CONVERSION/NULL: their weight)
  double journeys = 0;        ///< journeys that reach the node at least once
  double conversions = 0;     ///< conversions of the journeys that reach it
};

/// An edge of the journey graph: consecutive touches source -> target (or START -> first touch, last
/// touch -> CONVERSION / NULL).
struct MapEdge {
  std::uint32_t source = 0;   ///< node index
  std::uint32_t target = 0;   ///< node index
  double count = 0;           ///< transitions (journey weight)
  double probability = 0;     ///< P(next = target | at source)
  DurationStats time;         ///< time between the two touches (touchpoint -> touchpoint with timestamps)
};

/// The journey graph at touchpoint level, held internally as a Boost.Graph adjacency list. Nodes are
/// numbered 0 = START, 1..n = touchpoints sorted by name (byte order, as MarkovModel::touchpoints()),
/// n + 1 = CONVERSION, n + 2 = NULL. Edges are sorted by (source, target). Immutable; const methods may
/// run concurrently.
class JourneyGraph {
 public:
  /// An empty graph (no nodes).
  JourneyGraph();
  ~JourneyGraph();
  JourneyGraph(const JourneyGraph&);
  JourneyGraph& operator=(const JourneyGraph&);
  JourneyGraph(JourneyGraph&&) noexcept;
  JourneyGraph& operator=(JourneyGraph&&) noexcept;

  /// The observed graph of a journey set: visits are touches, journeys and conversions count each
  /// journey once per node it reaches; edge counts are consecutive touches (a repeated touchpoint is a
  /// self-edge only with SelfLoops::keep, as in the chain), probabilities are count / out-count of the
  /// source, and with timestamps each edge has the time between its two touches. Zero-weight journeys
  /// contribute nothing. Deterministic for any thread count.
  /// Complexity: O(touches) expected + O(t log t) for the t timed transitions; memory O(t).
  static JourneyGraph from_journeys(const JourneySet& journeys, SelfLoops self_loops = SelfLoops::drop,
                                    const Execution& exec = {});
  /// The graph a fitted model implies, at touchpoint level (states of order k are grouped by their last
  /// touchpoint): visits = journeys x expected visits, journeys = journeys x P(reach the touchpoint),
  /// conversions = journeys x P(reach it and convert), all solved exactly; edge counts are the observed
  /// counts, probabilities are expected flow u -> v / expected flow out of u (the model's own
  /// probabilities at order 1). No timings. Throws StateError if unfitted.
  /// Complexity: O(touchpoints / 8) batched chain solves + O(transitions).
  static JourneyGraph from_model(const MarkovModel& model, const Execution& exec = {});

  /// The nodes: START, the touchpoints (node i + 1 is touchpoint id i), CONVERSION, NULL. Complexity: O(1).
  const std::vector<MapNode>& nodes() const noexcept { return nodes_; }
  /// The edges, grouped by source node (see out_edges) and sorted by target within a source. Complexity: O(1).
  const std::vector<MapEdge>& edges() const noexcept { return edges_; }
  /// Number of touchpoint nodes (nodes().size() - 3, or 0 for an empty graph).
  std::size_t touchpoint_count() const noexcept { return nodes_.size() >= 3 ? nodes_.size() - 3 : 0; }
  /// Node index of a name (a touchpoint or "(start)", "(conversion)", "(null)"). Complexity: O(log n).
  std::optional<std::uint32_t> find_node(std::string_view name) const;
  /// Index into edges() of source -> target, or nullopt. Complexity: O(log out-degree).
  std::optional<std::size_t> find_edge(std::uint32_t source, std::uint32_t target) const;
  /// Edges leaving node u: indices [first, second) into edges(). Precondition: u < nodes().size().
  std::pair<std::size_t, std::size_t> out_edges(std::uint32_t u) const { return {offsets_[u], offsets_[u + 1]}; }
  /// Whether edges carry timings.
  bool has_timestamps() const noexcept { return timed_; }
  /// Summed weight of the journeys behind the graph.
  double journeys() const noexcept { return journeys_; }
  /// Node indices by breadth-first depth from START (Boost.Graph BFS): depth of START is 0; nodes START
  /// cannot reach get the largest depth + 1. Complexity: O(nodes + edges).
  std::vector<std::uint32_t> depths() const;
  /// Set the stage of every touchpoint node from stage positions indexed like touchpoint nodes
  /// (stage[i] for node i + 1; -1 for none). Precondition: stage.size() == touchpoint_count().
  void set_stages(const std::vector<std::int32_t>& stage);
  /// Internal: the Boost.Graph adjacency list (only src/ sees its definition).
  const detail::GraphStore& store() const { return *store_; }

 private:
  void finish();  // offsets and the Boost.Graph copy
  std::vector<MapNode> nodes_;
  std::vector<MapEdge> edges_;
  std::vector<std::size_t> offsets_;
  bool timed_ = false;
  double journeys_ = 0;
  std::unique_ptr<detail::GraphStore> store_;
};

// ------------------------------------------------------------------------------------------------
// Analyses of a journey map
// ------------------------------------------------------------------------------------------------

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

/// The journeys whose first touch lies in [from, to) (timestamps in the set's unit), dictionaries kept
/// except for unused touchpoints. Throws StateError without timestamps, InvalidArgument if from > to.
/// Complexity: O(journeys + touches copied).
JourneySet time_window(const JourneySet& journeys, std::int64_t from, std::int64_t to);

// ------------------------------------------------------------------------------------------------
// Comparing two maps (segments, periods)
// ------------------------------------------------------------------------------------------------

/// A transition's observed probability in two fits, with a two-proportion z-test (pooled variance) of
/// count_a / total_a against count_b / total_b; p-values are adjusted for the number of tested
/// transitions by Holm's method.
struct TransitionChange {
  std::string from;
  std::string to;
  double count_a = 0, total_a = 0, p_a = 0;  ///< total = transitions out of `from`; p = count / total
  double count_b = 0, total_b = 0, p_b = 0;
  double difference = 0;    ///< p_b - p_a
  double z = 0;             ///< NaN when untestable (from unseen in one fit)
  double p_value = 1;       ///< two-sided; NaN when untestable
  double p_adjusted = 1;    ///< Holm-adjusted; NaN when untestable
  bool significant = false; ///< p_adjusted < alpha
};

/// A touchpoint's Markov attribution in two fits (shares of conversions, so segments of different sizes
/// compare).
struct AttributionChange {
  std::string touchpoint;
  double conversions_a = 0, conversions_b = 0;  ///< Markov credit
  double share_a = 0, share_b = 0;              ///< credit / total conversions
  double difference = 0;                        ///< share_b - share_a
};

/// Options of compare().
struct CompareOptions {
  double alpha = 0.05;      ///< family-wise error rate of the transition tests
  std::string label_a = "a";
  std::string label_b = "b";
};

/// Result of compare(): transitions ordered by adjusted p-value, then |difference| (largest first), then
/// names; attribution by |difference| (largest first), then name.
struct Comparison {
  std::string label_a, label_b;
  double alpha = 0.05;
  double conversion_probability_a = 0, conversion_probability_b = 0;
  std::vector<TransitionChange> transitions;
  std::vector<AttributionChange> attribution;
  std::size_t significant = 0;  ///< transitions flagged significant
};

/// Compare two maps' fitted chains (matched by state and touchpoint name). Throws InvalidArgument if the
/// orders or self-loop settings differ or alpha is not in (0, 1). Complexity: O(transitions log
/// transitions + touchpoints).
Comparison compare(const JourneyMap& a, const JourneyMap& b, const CompareOptions& options = {});

// ------------------------------------------------------------------------------------------------
// Tables, exports and pictures
// ------------------------------------------------------------------------------------------------

/// A result table in long format: named columns of numbers or of strings, all of the same length. The
/// *_table functions below build one from an analysis result; each costs O(rows x columns) and copies the
/// values (the result stays valid on its own).
struct DataTable {
  using Column = std::variant<std::vector<double>, std::vector<std::string>>;
  std::vector<std::string> names;
  std::vector<Column> columns;
  /// Number of rows. Complexity: O(1).
  std::size_t rows() const;
  /// Index of a column by name, or nullopt. Complexity: O(columns).
  std::optional<std::size_t> find(std::string_view name) const;
  /// Append a column. Precondition: same length as the others.
  void add(std::string name, std::vector<double> values) { names.push_back(std::move(name)); columns.emplace_back(std::move(values)); }
  void add(std::string name, std::vector<std::string> values) { names.push_back(std::move(name)); columns.emplace_back(std::move(values)); }
};

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
/// Columns: node, name, kind, stage, visits, journeys, conversions.
DataTable node_table(const JourneyGraph& graph, const std::vector<std::string>& stages = {});
/// Columns: source, target, count, probability, time_count, time_mean_s, time_median_s, time_p90_s (the
/// times are NaN for edges without timings).
DataTable edge_table(const JourneyGraph& graph);
/// Columns: from, to, count_a, total_a, p_a, count_b, total_b, p_b, difference, z, p_value, p_adjusted,
/// significant (0/1).
DataTable transition_change_table(const Comparison& c);
/// Columns: touchpoint, conversions_a, conversions_b, share_a, share_b, difference.
DataTable attribution_change_table(const Comparison& c);
/// The links of a Sankey flow, one row per link. Columns: step (the source node's step), source, target
/// (node names), value. The nodes themselves are s.nodes.
DataTable sankey_link_table(const SankeyData& s);

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
/// A table as CSV (RFC 4180, numbers in shortest round-trip form, NaN as an empty field). Complexity: O(cells).
std::string to_csv(const DataTable& table);
/// A table as a JSON array of row objects (non-finite numbers become null). Complexity: O(cells).
std::string to_json(const DataTable& table);

/// Options of the pictures.
struct SvgOptions {
  std::size_t max_edges = 60;  ///< touchpoint edges drawn (the heaviest; edges to CONVERSION always)
  std::string title;           ///< drawn at the top when non-empty
};

/// The journey graph as a self-contained SVG (no scripts, no external fonts or images): columns by
/// stage left to right (START first, CONVERSION and NULL last; without stages, by breadth-first depth
/// from START), node height by visits, edge width by count, backward moves drawn as dashed arcs, a
/// <title> tooltip on every node and edge. Complexity: O(nodes log nodes + edges log edges).
std::string graph_svg(const JourneyMap& map, const SvgOptions& options = {});
/// The stage funnel as a self-contained SVG: one bar per stage, length by journeys reached, split
/// into advanced / converted / dropped. Throws StateError without stages. Complexity: O(stages).
std::string funnel_svg(const Funnel& funnel, const SvgOptions& options = {});
/// A Sankey diagram of step flows as a self-contained SVG. Complexity: O(nodes + links log links).
std::string sankey_svg(const SankeyData& sankey, const SvgOptions& options = {});

/// Options of report_html().
struct ReportOptions {
  std::string title = "Journey map";
  std::size_t top_paths = 10;
  std::size_t pain_points = 12;
  PainPointOptions pain;
  SankeyOptions sankey;
};

/// One self-contained HTML page (inline CSS, inline SVG, one small inline script for sortable tables;
/// nothing fetched from the network): headline figures, the journey graph, the funnel and stage flow
/// table, the Sankey of step flows, pain points, attribution (Markov and heuristics), top paths, most
/// probable paths, path lengths and time to conversion. Sections needing stages or timestamps are
/// replaced by a note when those are absent. Complexity: the analyses it shows.
std::string report_html(const JourneyMap& map, const ReportOptions& options = {}, const Execution& exec = {});

/// Write text to a file; throws IoError naming the file and the reason. Complexity: O(size).
void write_text_file(const std::string& file, std::string_view text);

}  // namespace journeygraph
