#pragma once
/// \file graph.hpp
/// The journey graph: touchpoints with volumes, the edges between consecutive touches with counts,
/// probabilities and timings, observed from journeys or implied by a fitted chain; its node and edge tables.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "journeygraph/execution.hpp"
#include "journeygraph/journeys.hpp"
#include "journeygraph/markov.hpp"
#include "journeygraph/table.hpp"

namespace journeygraph {

namespace detail {
struct GraphStore;
}

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

/// Columns: node, name, kind, stage, visits, journeys, conversions.
DataTable node_table(const JourneyGraph& graph, const std::vector<std::string>& stages = {});
/// Columns: source, target, count, probability, time_count, time_mean_s, time_median_s, time_p90_s (the
/// times are NaN for edges without timings).
DataTable edge_table(const JourneyGraph& graph);

}  // namespace journeygraph
