#pragma once
// A binary max-heap over the items 0..n-1, each with a key that can change in place: the item with the largest
// key comes first, ties to the smaller item. It gives the same sequence as a heap that takes a new entry at
// every change of a key and skips the stale ones, with one entry per item instead of one per change (a flow
// order over millions of states changes keys tens of millions of times).

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace journeygraph::detail {

class IndexedMaxHeap {
 public:
  // Every item 0..keys.size() - 1, with these keys (fewer than 2^32 items). O(n).
  explicit IndexedMaxHeap(std::vector<double> keys) : key_(std::move(keys)), heap_(key_.size()), at_(key_.size()) {
    for (std::size_t i = 0; i < heap_.size(); ++i) heap_[i] = at_[i] = static_cast<std::uint32_t>(i);
    for (std::size_t i = heap_.size() / 2; i-- > 0;) down(i);
  }
  bool empty() const noexcept { return heap_.empty(); }
  std::size_t size() const noexcept { return heap_.size(); }
  // The first item. Precondition: not empty.
  std::uint32_t top() const { return heap_[0]; }
  // Sets the key of item v, which must still be in the heap. O(log n).
  void set(std::uint32_t v, double key) {
    const double old = key_[v];
    key_[v] = key;
    if (key > old) up(at_[v]);
    else if (key < old) down(at_[v]);
  }
  // Takes item v, which must still be in the heap, out of it. O(log n).
  void erase(std::uint32_t v) {
    const std::size_t i = at_[v];
    const std::uint32_t last = heap_.back();
    heap_.pop_back();
    if (i == heap_.size()) return;  // v was the last entry
    heap_[i] = last;
    at_[last] = static_cast<std::uint32_t>(i);
    up(i);
    down(at_[last]);
  }

 private:
  bool before(std::uint32_t a, std::uint32_t b) const noexcept {
    return key_[a] > key_[b] || (key_[a] == key_[b] && a < b);
  }
  void place(std::size_t i, std::uint32_t v) noexcept {
    heap_[i] = v;
    at_[v] = static_cast<std::uint32_t>(i);
  }
  void up(std::size_t i) {
    const std::uint32_t v = heap_[i];
    while (i > 0) {
      const std::size_t parent = (i - 1) / 2;
      if (!before(v, heap_[parent])) break;
      place(i, heap_[parent]);
      i = parent;
    }
    place(i, v);
  }
  void down(std::size_t i) {
    const std::uint32_t v = heap_[i];
    const std::size_t n = heap_.size();
    while (true) {
      std::size_t c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && before(heap_[c + 1], heap_[c])) ++c;
      if (!before(heap_[c], v)) break;
      place(i, heap_[c]);
      i = c;
    }
    place(i, v);
  }

  std::vector<double> key_;
  std::vector<std::uint32_t> heap_, at_;  // heap_[i]: item at entry i; at_[v]: entry of item v
};

}  // namespace journeygraph::detail
