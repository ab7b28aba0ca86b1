#pragma once
// Strongly connected components of a graph stored as compressed rows, by an iterative Tarjan search (no
// recursion, so chains of millions of states cannot overflow the stack).

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

namespace journeygraph::detail {

// The strongly connected components of the graph on nodes 0..n-1 whose edges from node v are col[e] for e in
// [row[v], row[v + 1]), following only the edges with col[e] < n and keep(e) true, written flat: component c
// holds members[start[c] .. start[c + 1]) (start has components + 1 entries). Components come in topological
// order: every kept edge leads from a component to itself or to a later one. Members are listed in the order
// Tarjan pops them (callers sort them if they need an order). tick() is called once per 65,536 nodes reached
// (one root's search may reach them all), so a caller can report progress or cancel by throwing. Cost:
// O(n + edges) time, O(n) memory (no allocation per component, which matters for chains of millions of
// one-state components).
template <class Keep, class Tick>
void strong_components_flat(std::size_t n, const std::uint64_t* row, const std::uint32_t* col, Keep keep, Tick tick,
                            std::vector<std::uint32_t>& members, std::vector<std::uint32_t>& start) {
  constexpr std::uint32_t kUnseen = 0xFFFFFFFFu;
  std::vector<std::uint32_t> index(n, kUnseen), low(n, 0), stack;
  std::vector<std::uint8_t> on_stack(n, 0);
  std::vector<std::pair<std::uint32_t, std::uint64_t>> call;  // (node, next edge)
  members.clear();
  members.reserve(n);
  std::vector<std::uint32_t> ends;  // end of each component in members, in Tarjan's (reverse topological) order
  std::uint32_t counter = 0;
  for (std::uint32_t root = 0; root < n; ++root) {
    if (index[root] != kUnseen) continue;
    if ((counter & 0xFFFF) == 0) tick();
    call.push_back({root, row[root]});
    index[root] = low[root] = counter++;
    stack.push_back(root);
    on_stack[root] = 1;
    while (!call.empty()) {
      const std::uint32_t v = call.back().first;
      bool descended = false;
      while (call.back().second < row[v + 1]) {
        const std::uint64_t e = call.back().second++;
        const std::uint32_t w = col[e];
        if (w >= n || !keep(e)) continue;
        if (index[w] == kUnseen) {
          if ((counter & 0xFFFF) == 0) tick();
          index[w] = low[w] = counter++;
          stack.push_back(w);
          on_stack[w] = 1;
          call.push_back({w, row[w]});
          descended = true;
          break;
        }
        if (on_stack[w]) low[v] = std::min(low[v], index[w]);
      }
      if (descended) continue;
      call.pop_back();
      if (!call.empty()) low[call.back().first] = std::min(low[call.back().first], low[v]);
      if (low[v] == index[v]) {
        std::uint32_t w;
        do {
          w = stack.back();
          stack.pop_back();
          on_stack[w] = 0;
          members.push_back(w);
        } while (w != v);
        ends.push_back(static_cast<std::uint32_t>(members.size()));
      }
    }
  }
  // Tarjan finishes components in reverse topological order: reverse the component sequence, keeping each
  // component's members in the order they were popped.
  std::vector<std::uint32_t> out(members.size());
  start.assign(ends.size() + 1, 0);
  std::size_t at = 0;
  for (std::size_t c = ends.size(); c-- > 0;) {
    const std::uint32_t first = c == 0 ? 0 : ends[c - 1];
    start[ends.size() - 1 - c] = static_cast<std::uint32_t>(at);
    for (std::uint32_t i = first; i < ends[c]; ++i) out[at++] = members[i];
  }
  start[ends.size()] = static_cast<std::uint32_t>(at);
  members.swap(out);
}

// The same components as separate vectors (convenient for small graphs).
template <class Keep, class Tick>
std::vector<std::vector<std::uint32_t>> strong_components(std::size_t n, const std::uint64_t* row,
                                                          const std::uint32_t* col, Keep keep, Tick tick) {
  std::vector<std::uint32_t> members, start;
  strong_components_flat(n, row, col, keep, tick, members, start);
  std::vector<std::vector<std::uint32_t>> comps(start.size() - 1);
  for (std::size_t c = 0; c + 1 < start.size(); ++c)
    comps[c].assign(members.begin() + start[c], members.begin() + start[c + 1]);
  return comps;
}

}  // namespace journeygraph::detail
