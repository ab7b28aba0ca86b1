#pragma once
// Journeys as the chain sees them: the sequence of k-gram states of a path (a path shorter than k is one
// short state; under SelfLoops::drop consecutive identical states are collapsed), located among the states of
// given transition counts. The same walk TransitionCounts::count makes, for journeys that were not counted
// (held-out journeys) or whose counts are rebuilt from paths (the bootstrap).

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#include "common/hash.hpp"
#include "journeygraph/journeys.hpp"
#include "journeygraph/markov.hpp"

namespace journeygraph::detail {

class StateLocator {
 public:
  static constexpr std::uint32_t kUnknown = 0xFFFFFFFFu;

  // touchpoints: the dictionary the paths' ids index (matched to counts' touchpoints by name).
  StateLocator(const TransitionCounts& counts, const Dictionary& touchpoints)
      : order_(counts.order()), drop_(counts.self_loops() == SelfLoops::drop), states_(counts.order()) {
    const auto& names = counts.touchpoints();
    const auto known = static_cast<std::uint32_t>(names.size());
    map_.resize(touchpoints.size());
    for (std::uint32_t i = 0; i < touchpoints.size(); ++i) {
      const auto it = std::lower_bound(names.begin(), names.end(), touchpoints.name(i));
      // Touchpoints the counts never saw get ids of their own above the known ones, so that their grams
      // compare correctly but are never found.
      map_[i] = it != names.end() && *it == touchpoints.name(i) ? std::uint32_t(it - names.begin()) : known + i;
    }
    std::vector<std::uint32_t> gram(order_);
    for (std::size_t s = 0; s < counts.n_states(); ++s) {
      std::fill(gram.begin(), gram.end(), GramIndex::kPad);
      const auto st = counts.state(s);
      std::copy(st.begin(), st.end(), gram.begin());
      states_.intern(gram.data());
    }
  }

  unsigned order() const noexcept { return order_; }

  // Calls visit(state) for each state of the path in order: a counts state index, or kUnknown for a state
  // the counts do not have. scratch is caller-owned working space.
  template <class Visit>
  void walk(Span<const std::uint32_t> path, std::vector<std::uint32_t>& scratch, Visit&& visit) const {
    const std::size_t len = path.size(), k = order_;
    std::uint32_t* mapped = map(path, scratch);
    if (len < k) {
      std::fill(mapped + len, mapped + k, GramIndex::kPad);
      visit(find(mapped));
      return;
    }
    const std::uint32_t* prev = nullptr;
    for (std::size_t i = 0; i + k <= len; ++i) {
      const std::uint32_t* g = mapped + i;
      if (drop_ && prev && std::memcmp(prev, g, k * sizeof(std::uint32_t)) == 0) continue;
      prev = g;
      visit(find(g));
    }
  }

  // The path's touchpoints as ids of the counts (unknown ones above the known range), in scratch, padded
  // with kPad to at least order() entries.
  std::uint32_t* map(Span<const std::uint32_t> path, std::vector<std::uint32_t>& scratch) const {
    const std::size_t len = path.size();
    scratch.assign(std::max(len, std::size_t(order_)) + order_, GramIndex::kPad);
    for (std::size_t i = 0; i < len; ++i) scratch[i] = map_[path[i]];
    return scratch.data();
  }
  // The state of order() mapped ids (padded with kPad for a short state), or kUnknown.
  std::uint32_t find(const std::uint32_t* gram) const {
    const std::uint32_t s = states_.find(gram);
    return s == GramIndex::kEmptySlot ? kUnknown : s;
  }

 private:
  unsigned order_;
  bool drop_;
  GramIndex states_;
  std::vector<std::uint32_t> map_;
};

}  // namespace journeygraph::detail
