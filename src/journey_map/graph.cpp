// The journey graph (observed or implied by a model), held as a Boost.Graph adjacency list, and the
// Boost.Graph algorithms the map uses: breadth-first depths for the layout and Yen's k most probable
// paths over Dijkstra. This is the only translation unit that includes Boost (it compiles slowly).

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>
#include <boost/graph/filtered_graph.hpp>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include "common/hash.hpp"
#include "common/parallel.hpp"
#include "journey_map/internal.hpp"
#include "journeygraph/error.hpp"
#include "markov/solver.hpp"

namespace journeygraph {
namespace detail {

struct EdgeProps {
  std::size_t id = 0;   // index into JourneyGraph::edges() (or into the chain's entries)
  double weight = 0;    // -log p for the path searches
};
using BoostGraph =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, boost::no_property, EdgeProps>;

struct GraphStore {
  BoostGraph g;
};

}  // namespace detail

namespace {

constexpr std::uint32_t kNone = 0xFFFFFFFFu;

// Touchpoint id of the journey set -> position in the sorted names (the node order).
std::vector<std::uint32_t> sorted_rank(const Dictionary& d) {
  std::vector<std::uint32_t> ids(d.size());
  for (std::uint32_t i = 0; i < ids.size(); ++i) ids[i] = i;
  std::sort(ids.begin(), ids.end(), [&](std::uint32_t a, std::uint32_t b) { return d.name(a) < d.name(b); });
  std::vector<std::uint32_t> rank(d.size());
  for (std::uint32_t r = 0; r < ids.size(); ++r) rank[ids[r]] = r;
  return rank;
}

struct EdgeSum {
  double count = 0;
  void add(double w) { count += w; }
  void add(const EdgeSum& o) { count += o.count; }  // when the map grows
};

struct TimedSample {
  std::uint64_t key;  // edge key source * N + target; then the edge's index
  double value;
  double weight;
};

// Graphs with at most this many nodes count edges in dense arrays.
constexpr std::size_t kDenseNodes = 256;

// What one chunk of journeys contributes.
struct ChunkAcc {
  std::vector<double> visits, journeys, conversions;
  std::vector<double> dense;       // N x N edge counts (dense graphs)
  detail::SumMap<EdgeSum> edges;   // edge counts by key (sparse graphs)
  std::vector<TimedSample> samples;
  double weight = 0;
};

}  // namespace

namespace detail {

namespace {

// The smallest value v of [first, last) with (weight of values <= v) >= target, by weighted quickselect:
// expected O(n), reorders the range. Precondition: 0 < target <= total weight of the range.
double weighted_select(Sample* first, Sample* last, double target) {
  while (last - first > 16) {
    // Median of three values as the pivot, then a three-way partition: < pivot, == pivot, > pivot.
    const double a = first->value, b = first[(last - first) / 2].value, c = (last - 1)->value;
    const double pivot = std::max(std::min(a, b), std::min(std::max(a, b), c));
    Sample* lt = std::partition(first, last, [&](const Sample& x) { return x.value < pivot; });
    Sample* gt = std::partition(lt, last, [&](const Sample& x) { return x.value == pivot; });
    double w_lt = 0, w_eq = 0;
    for (Sample* x = first; x != lt; ++x) w_lt += x->weight;
    for (Sample* x = lt; x != gt; ++x) w_eq += x->weight;
    if (w_lt >= target) {
      last = lt;
    } else if (w_lt + w_eq >= target) {
      return pivot;
    } else {
      target -= w_lt + w_eq;
      first = gt;
    }
  }
  std::sort(first, last, [](const Sample& x, const Sample& y) { return x.value < y.value; });
  double cum = 0;
  for (Sample* x = first; x != last; ++x) {
    cum += x->weight;
    if (cum >= target) return x->value;
  }
  return (last - 1)->value;  // rounding left the target a hair above the total: the largest value
}

}  // namespace

DurationStats duration_stats(Sample* first, Sample* last) {
  DurationStats st;
  if (first == last) return st;
  double w = 0, sum = 0;
  for (Sample* s = first; s != last; ++s) {
    w += s->weight;
    sum += s->weight * s->value;
  }
  if (!(w > 0)) return st;
  st.count = w;
  st.mean = sum / w;
  st.median = weighted_select(first, last, 0.5 * w);
  st.p90 = weighted_select(first, last, 0.9 * w);
  return st;
}

DurationStats duration_stats(std::vector<Sample>& samples) {
  return duration_stats(samples.data(), samples.data() + samples.size());
}

}  // namespace detail

const char* node_kind_name(NodeKind kind) noexcept {
  switch (kind) {
    case NodeKind::start: return "start";
    case NodeKind::touchpoint: return "touchpoint";
    case NodeKind::conversion: return "conversion";
    case NodeKind::null: return "null";
  }
  return "?";
}

JourneyGraph::JourneyGraph() : store_(std::make_unique<detail::GraphStore>()) { offsets_.assign(1, 0); }
JourneyGraph::~JourneyGraph() = default;
JourneyGraph::JourneyGraph(const JourneyGraph& o)
    : nodes_(o.nodes_), edges_(o.edges_), offsets_(o.offsets_), timed_(o.timed_), journeys_(o.journeys_),
      store_(std::make_unique<detail::GraphStore>(*o.store_)) {}
JourneyGraph& JourneyGraph::operator=(const JourneyGraph& o) {
  if (this != &o) *this = JourneyGraph(o);
  return *this;
}
JourneyGraph::JourneyGraph(JourneyGraph&&) noexcept = default;
JourneyGraph& JourneyGraph::operator=(JourneyGraph&&) noexcept = default;

void JourneyGraph::finish() {
  std::sort(edges_.begin(), edges_.end(),
            [](const MapEdge& a, const MapEdge& b) { return a.source != b.source ? a.source < b.source : a.target < b.target; });
  offsets_.assign(nodes_.size() + 1, 0);
  for (const auto& e : edges_) ++offsets_[e.source + 1];
  for (std::size_t i = 0; i < nodes_.size(); ++i) offsets_[i + 1] += offsets_[i];
  store_ = std::make_unique<detail::GraphStore>();
  store_->g = detail::BoostGraph(nodes_.size());
  for (std::size_t i = 0; i < edges_.size(); ++i) {
    const double p = edges_[i].probability;
    boost::add_edge(edges_[i].source, edges_[i].target,
                    detail::EdgeProps{i, p > 0 ? -std::log(p) : std::numeric_limits<double>::infinity()}, store_->g);
  }
}

std::optional<std::uint32_t> JourneyGraph::find_node(std::string_view name) const {
  const std::size_t n = nodes_.size();
  if (n < 3) return std::nullopt;
  if (name == "(start)") return 0u;
  if (name == "(conversion)") return static_cast<std::uint32_t>(n - 2);
  if (name == "(null)") return static_cast<std::uint32_t>(n - 1);
  auto first = nodes_.begin() + 1, last = nodes_.end() - 2;
  auto it = std::lower_bound(first, last, name, [](const MapNode& a, std::string_view b) { return a.name < b; });
  if (it != last && it->name == name) return static_cast<std::uint32_t>(it - nodes_.begin());
  return std::nullopt;
}

std::optional<std::size_t> JourneyGraph::find_edge(std::uint32_t source, std::uint32_t target) const {
  if (source >= nodes_.size()) return std::nullopt;
  auto first = edges_.begin() + std::ptrdiff_t(offsets_[source]), last = edges_.begin() + std::ptrdiff_t(offsets_[source + 1]);
  auto it = std::lower_bound(first, last, target, [](const MapEdge& e, std::uint32_t t) { return e.target < t; });
  if (it != last && it->target == target) return static_cast<std::size_t>(it - edges_.begin());
  return std::nullopt;
}

void JourneyGraph::set_stages(const std::vector<std::int32_t>& stage) {
  if (stage.size() != touchpoint_count())
    throw InvalidArgument("set_stages: " + std::to_string(stage.size()) + " stages for " +
                          std::to_string(touchpoint_count()) + " touchpoints");
  for (std::size_t i = 0; i < stage.size(); ++i) nodes_[i + 1].stage = stage[i];
}

std::vector<std::uint32_t> JourneyGraph::depths() const {
  const std::size_t n = nodes_.size();
  std::vector<std::uint32_t> d(n, kNone);
  if (n == 0) return d;
  d[0] = 0;
  boost::breadth_first_search(
      store_->g, boost::vertex(0, store_->g),
      boost::visitor(boost::make_bfs_visitor(boost::record_distances(d.data(), boost::on_tree_edge()))));
  std::uint32_t deepest = 0;
  for (auto x : d)
    if (x != kNone) deepest = std::max(deepest, x);
  for (auto& x : d)
    if (x == kNone) x = deepest + 1;
  return d;
}

JourneyGraph JourneyGraph::from_journeys(const JourneySet& js, SelfLoops self_loops, const Execution& exec) {
  const Dictionary& dict = js.touchpoints();
  const std::size_t n_tp = dict.size();
  const std::size_t N = n_tp + 3;
  const std::uint32_t conv_node = static_cast<std::uint32_t>(n_tp + 1), null_node = static_cast<std::uint32_t>(n_tp + 2);
  const std::vector<std::uint32_t> rank = sorted_rank(dict);
  const bool timed = js.has_timestamps();
  const TimeUnit time_unit = js.time_unit();
  const bool keep_loops = self_loops == SelfLoops::keep;
  // Few nodes: edge counts in a dense N x N array per chunk; many: a hash map per chunk.
  const bool dense = N <= kDenseNodes;

  const std::size_t chunk = detail::journey_chunk(N);
  const std::size_t chunks = (js.size() + chunk - 1) / chunk;
  std::vector<ChunkAcc> acc(chunks);
  detail::parallel_for(chunks, exec, "journey graph", [&](std::size_t c) {
    ChunkAcc& a = acc[c];
    a.visits.assign(N, 0.0);
    a.journeys.assign(N, 0.0);
    a.conversions.assign(N, 0.0);
    if (dense) a.dense.assign(N * N, 0.0);
    auto count = [&](std::uint64_t key, double w) {
      if (dense) a.dense[key] += w;
      else a.edges.add(key, w);
    };
    std::vector<std::uint32_t> stamp(N, kNone);
    const std::size_t first = c * chunk, last = std::min(js.size(), first + chunk);
    for (std::size_t j = first; j < last; ++j) {
      const double conv = js.conversions(j), nul = js.nulls(j), w = conv + nul;
      if (!(w > 0)) continue;
      const auto path = js.path(j);
      const auto times = js.times(j);
      const std::uint32_t mark = static_cast<std::uint32_t>(j - first);
      a.weight += w;
      std::uint32_t prev = 0;  // START
      for (std::size_t i = 0; i < path.size(); ++i) {
        const std::uint32_t v = rank[path[i]] + 1;
        a.visits[v] += w;
        if (stamp[v] != mark) {
          stamp[v] = mark;
          a.journeys[v] += w;
          a.conversions[v] += conv;
        }
        if (i > 0 && v == prev && !keep_loops) continue;
        const std::uint64_t key = std::uint64_t(prev) * N + v;
        count(key, w);
        if (timed && i > 0) a.samples.push_back({key, ticks_to_seconds(times[i] - times[i - 1], time_unit), w});
        prev = v;
      }
      if (conv > 0) count(std::uint64_t(prev) * N + conv_node, conv);
      if (nul > 0) count(std::uint64_t(prev) * N + null_node, nul);
    }
  });

  JourneyGraph g;
  g.nodes_.resize(N);
  g.nodes_[0] = {"(start)", NodeKind::start, -1, 0, 0, 0};
  for (std::uint32_t id = 0; id < n_tp; ++id) g.nodes_[rank[id] + 1].name = dict.name(id);
  g.nodes_[conv_node] = {"(conversion)", NodeKind::conversion, -1, 0, 0, 0};
  g.nodes_[null_node] = {"(null)", NodeKind::null, -1, 0, 0, 0};
  // Reduce in chunk order: the same bits whatever the thread count.
  std::map<std::uint64_t, double> counts;
  std::vector<double> dense_total(dense ? N * N : 0, 0.0);
  double total = 0;
  for (ChunkAcc& a : acc) {
    total += a.weight;
    for (std::size_t v = 1; v <= n_tp; ++v) {
      g.nodes_[v].visits += a.visits[v];
      g.nodes_[v].journeys += a.journeys[v];
      g.nodes_[v].conversions += a.conversions[v];
    }
    if (dense) {
      for (std::size_t k = 0; k < N * N; ++k) dense_total[k] += a.dense[k];
      std::vector<double>().swap(a.dense);
    } else {
      a.edges.for_each([&](std::uint64_t key, const EdgeSum& e) { counts[key] += e.count; });
    }
  }
  if (dense)
    for (std::size_t k = 0; k < N * N; ++k)
      if (dense_total[k] > 0) counts.emplace(k, dense_total[k]);
  g.journeys_ = total;
  g.nodes_[0].visits = g.nodes_[0].journeys = total;
  double conv_total = 0, null_total = 0;
  for (const auto& [key, c] : counts) {
    if (key % N == conv_node) conv_total += c;
    if (key % N == null_node) null_total += c;
  }
  g.nodes_[conv_node].visits = g.nodes_[conv_node].journeys = g.nodes_[conv_node].conversions = conv_total;
  g.nodes_[null_node].visits = g.nodes_[null_node].journeys = null_total;
  g.nodes_[0].conversions = conv_total;

  std::vector<double> out(N, 0.0);
  for (const auto& [key, c] : counts) out[key / N] += c;
  std::vector<std::uint64_t> keys;
  keys.reserve(counts.size());
  for (const auto& [key, c] : counts) {
    MapEdge e;
    e.source = static_cast<std::uint32_t>(key / N);
    e.target = static_cast<std::uint32_t>(key % N);
    e.count = c;
    e.probability = out[e.source] > 0 ? c / out[e.source] : 0.0;
    g.edges_.push_back(e);
    keys.push_back(key);
  }
  if (timed) {
    // Edge index of every sample (in parallel), then the samples grouped by edge in chunk order, then the
    // stats of each edge in parallel.
    std::vector<std::uint32_t> dense_edge;
    if (dense) {
      dense_edge.assign(N * N, kNone);
      for (std::size_t e = 0; e < keys.size(); ++e) dense_edge[keys[e]] = static_cast<std::uint32_t>(e);
    }
    detail::parallel_for(chunks, exec, "edge timings", [&](std::size_t c) {
      for (TimedSample& s : acc[c].samples)
        s.key = dense ? dense_edge[s.key]
                      : static_cast<std::uint64_t>(std::lower_bound(keys.begin(), keys.end(), s.key) - keys.begin());
    });
    std::vector<std::size_t> start(keys.size() + 1, 0);
    for (const ChunkAcc& a : acc)
      for (const auto& s : a.samples) ++start[s.key + 1];
    for (std::size_t e = 0; e < keys.size(); ++e) start[e + 1] += start[e];
    std::vector<detail::Sample> all(start.back());
    std::vector<std::size_t> fill(start.begin(), start.end() - 1);
    for (ChunkAcc& a : acc) {
      for (const auto& s : a.samples) all[fill[s.key]++] = {s.value, s.weight};
      std::vector<TimedSample>().swap(a.samples);
    }
    detail::parallel_for(keys.size(), exec, "edge timings", [&](std::size_t e) {
      g.edges_[e].time = detail::duration_stats(all.data() + start[e], all.data() + start[e + 1]);
    });
  }
  g.timed_ = timed;
  g.finish();
  return g;
}

JourneyGraph JourneyGraph::from_model(const MarkovModel& model, const Execution& exec) {
  if (!model.fitted()) throw StateError("the model is not fitted");
  const detail::Chain& ch = model.chain();
  const std::size_t n = model.n_states();
  const auto& tps = model.touchpoints();
  const std::size_t n_tp = tps.size();
  const std::size_t N = n_tp + 3;
  const std::uint32_t conv_node = static_cast<std::uint32_t>(n_tp + 1), null_node = static_cast<std::uint32_t>(n_tp + 2);
  const double J = model.counts().journeys();
  const std::vector<double>& x = ch.solver->full_visits();
  const std::vector<double> h = detail::absorption_probabilities(model);
  std::vector<double> reach, reach_conv;
  detail::reach_probabilities(model, h, reach, reach_conv, exec);
  const std::vector<std::uint32_t> last = detail::last_tokens(model);
  auto node_of = [&](std::uint32_t col) -> std::uint32_t {
    if (col == n) return conv_node;
    if (col == n + 1) return null_node;
    return col == 0 ? 0u : last[col] + 1;
  };

  JourneyGraph g;
  g.nodes_.resize(N);
  g.nodes_[0] = {"(start)", NodeKind::start, -1, J, J, J * model.conversion_probability()};
  for (std::size_t t = 0; t < n_tp; ++t) {
    g.nodes_[t + 1].name = tps[t];
    g.nodes_[t + 1].journeys = J * reach[t];
    g.nodes_[t + 1].conversions = J * reach_conv[t];
  }
  for (std::size_t i = 1; i < n; ++i) g.nodes_[last[i] + 1].visits += J * x[i];
  const double pc = model.conversion_probability();
  g.nodes_[conv_node] = {"(conversion)", NodeKind::conversion, -1, J * pc, J * pc, J * pc};
  g.nodes_[null_node] = {"(null)", NodeKind::null, -1, J * (1 - pc), J * (1 - pc), 0};

  std::map<std::uint64_t, std::pair<double, double>> agg;  // (count, expected flow)
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t u = node_of(static_cast<std::uint32_t>(i));
    for (std::uint64_t q = ch.row_offsets[i]; q < ch.row_offsets[i + 1]; ++q) {
      auto& a = agg[std::uint64_t(u) * N + node_of(ch.columns[q])];
      a.first += ch.row_counts[q];
      a.second += x[i] * ch.probabilities[q];
    }
  }
  std::vector<double> out(N, 0.0);
  for (const auto& [key, a] : agg) out[key / N] += a.second;
  for (const auto& [key, a] : agg) {
    MapEdge e;
    e.source = static_cast<std::uint32_t>(key / N);
    e.target = static_cast<std::uint32_t>(key % N);
    e.count = a.first;
    e.probability = out[e.source] > 0 ? a.second / out[e.source] : 0.0;
    g.edges_.push_back(e);
  }
  g.journeys_ = J;
  g.finish();
  return g;
}

// ------------------------------------------------------------------------------------------------
// Yen's k most probable loop-free paths, over Dijkstra on -log p
// ------------------------------------------------------------------------------------------------

namespace {

struct Removed {
  const std::vector<std::uint8_t>* edges;
  const std::vector<std::uint8_t>* vertices;
};
struct EdgeKeep {
  const detail::BoostGraph* g = nullptr;
  Removed r{};
  template <class E>
  bool operator()(const E& e) const {
    return !(*r.edges)[(*g)[e].id];
  }
};
struct VertexKeep {
  Removed r{};
  template <class V>
  bool operator()(const V& v) const {
    return !(*r.vertices)[v];
  }
};

struct Candidate {
  double cost;
  std::vector<std::uint32_t> path;  // vertices, ending at the target
  bool operator<(const Candidate& o) const { return cost != o.cost ? cost < o.cost : path < o.path; }
};

}  // namespace

namespace detail {

std::vector<ChainPath> most_probable_paths(const MarkovModel& model, std::size_t k) {
  std::vector<ChainPath> result;
  if (!model.fitted()) throw StateError("the model is not fitted");
  if (k == 0) return result;
  const Chain& ch = model.chain();
  const std::size_t n = model.n_states();
  const std::uint32_t target = static_cast<std::uint32_t>(n);  // CONVERSION
  BoostGraph g(n + 1);
  std::vector<double> prob;  // by edge id
  std::map<std::uint64_t, std::size_t> edge_id;
  for (std::size_t i = 0; i < n; ++i)
    for (std::uint64_t q = ch.row_offsets[i]; q < ch.row_offsets[i + 1]; ++q) {
      const std::uint32_t c = ch.columns[q];
      const double p = ch.probabilities[q];
      if (c > n || !(p > 0)) continue;
      edge_id[std::uint64_t(i) * (n + 1) + c] = prob.size();
      boost::add_edge(i, c, EdgeProps{prob.size(), -std::log(p)}, g);
      prob.push_back(p);
    }
  std::vector<std::uint8_t> removed_edges(prob.size(), 0), removed_vertices(n + 1, 0);
  const EdgeKeep ek{&g, {&removed_edges, &removed_vertices}};
  const VertexKeep vk{{&removed_edges, &removed_vertices}};
  boost::filtered_graph<BoostGraph, EdgeKeep, VertexKeep> fg(g, ek, vk);
  std::vector<double> dist(n + 1);
  std::vector<std::size_t> pred(n + 1);
  auto weight = boost::get(&EdgeProps::weight, g);
  auto index = boost::get(boost::vertex_index, g);
  // Shortest path from s to the target in the filtered graph, as vertices; empty if unreachable.
  auto shortest = [&](std::uint32_t s) -> std::vector<std::uint32_t> {
    boost::dijkstra_shortest_paths(
        fg, s,
        boost::predecessor_map(boost::make_iterator_property_map(pred.begin(), index))
            .distance_map(boost::make_iterator_property_map(dist.begin(), index))
            .weight_map(weight)
            .vertex_index_map(index));
    if (!(dist[target] < std::numeric_limits<double>::max()) || pred[target] == target) return {};
    std::vector<std::uint32_t> path{target};
    for (std::size_t v = target; v != s; v = pred[v]) {
      if (pred[v] == v) return {};
      path.push_back(static_cast<std::uint32_t>(pred[v]));
    }
    std::reverse(path.begin(), path.end());
    return path;
  };
  auto edge_of = [&](std::uint32_t u, std::uint32_t v) { return edge_id.at(std::uint64_t(u) * (n + 1) + v); };
  auto cost_of = [&](const std::vector<std::uint32_t>& p, std::size_t upto) {
    double c = 0;
    for (std::size_t i = 0; i + 1 < upto; ++i) c += -std::log(prob[edge_of(p[i], p[i + 1])]);
    return c;
  };

  std::vector<Candidate> found;
  {
    auto p = shortest(0);
    if (p.empty()) return result;
    found.push_back({cost_of(p, p.size()), std::move(p)});
  }
  std::set<Candidate> pending;
  std::set<std::vector<std::uint32_t>> known{found[0].path};
  while (found.size() < k) {
    const std::vector<std::uint32_t> last = found.back().path;
    for (std::size_t i = 0; i + 1 < last.size(); ++i) {
      const std::uint32_t spur = last[i];
      std::fill(removed_edges.begin(), removed_edges.end(), 0);
      std::fill(removed_vertices.begin(), removed_vertices.end(), 0);
      for (const Candidate& c : found)
        if (c.path.size() > i + 1 && std::equal(last.begin(), last.begin() + std::ptrdiff_t(i) + 1, c.path.begin()))
          removed_edges[edge_of(c.path[i], c.path[i + 1])] = 1;
      for (std::size_t r = 0; r < i; ++r) removed_vertices[last[r]] = 1;
      auto spur_path = shortest(spur);
      if (spur_path.empty()) continue;
      std::vector<std::uint32_t> total(last.begin(), last.begin() + std::ptrdiff_t(i));
      total.insert(total.end(), spur_path.begin(), spur_path.end());
      if (known.insert(total).second) pending.insert({cost_of(total, total.size()), std::move(total)});
    }
    if (pending.empty()) break;
    found.push_back(*pending.begin());
    pending.erase(pending.begin());
  }
  for (const Candidate& c : found) {
    ChainPath cp;
    cp.probability = 1.0;
    for (std::size_t i = 0; i + 1 < c.path.size(); ++i) cp.probability *= prob[edge_of(c.path[i], c.path[i + 1])];
    cp.states.assign(c.path.begin(), c.path.end() - 1);
    result.push_back(std::move(cp));
  }
  return result;
}

}  // namespace detail
}  // namespace journeygraph
