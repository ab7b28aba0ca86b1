#pragma once
// A max-heap over the items 0..n-1, each with a key that can change in place: the item with the largest key comes
// first, ties to the smaller item. It gives the same sequence as a heap that takes a new entry at every change of
// a key and skips the stale ones, with one entry per item instead of one per change (a flow order over millions
// of states changes keys tens of millions of times). Four children per entry, each entry holding its key: a
// sift reads half the levels of a binary heap, and compares the children of an entry within one cache line,
// without looking their keys up elsewhere.

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace journeygraph::detail {

class IndexedMaxHeap {
 public:
  // Every item 0..keys.size() - 1, with these keys (fewer than 2^32 items). O(n).
  explicit IndexedMaxHeap(const std::vector<double>& keys) : heap_(keys.size()), at_(keys.size()) {
    for (std::size_t i = 0; i < heap_.size(); ++i) {
      heap_[i] = Entry{keys[i], static_cast<std::uint32_t>(i)};
      at_[i] = static_cast<std::uint32_t>(i);
    }
    for (std::size_t i = heap_.size() / kArity + 1; i-- > 0;) down(i);
  }
  bool empty() const noexcept { return heap_.empty(); }
  std::size_t size() const noexcept { return heap_.size(); }
  // The first item. Precondition: not empty.
  std::uint32_t top() const { return heap_[0].item; }
  // Sets the key of item v, which must still be in the heap. O(log n).
  void set(std::uint32_t v, double key) {
    const std::size_t i = at_[v];
    const double old = heap_[i].key;
    heap_[i].key = key;
    if (key > old) up(i);
    else if (key < old) down(i);
  }
  // Takes item v, which must still be in the heap, out of it. O(log n).
  void erase(std::uint32_t v) {
    const std::size_t i = at_[v];
    const Entry last = heap_.back();
    heap_.pop_back();
    if (i == heap_.size()) return;  // v was the last entry
    place(i, last);
    up(i);
    down(at_[last.item]);
  }

 private:
  static constexpr std::size_t kArity = 4;
  struct Entry {
    double key;
    std::uint32_t item;
  };
  static bool before(const Entry& a, const Entry& b) noexcept {
    return a.key > b.key || (a.key == b.key && a.item < b.item);
  }
  void place(std::size_t i, const Entry& e) noexcept {
    heap_[i] = e;
    at_[e.item] = static_cast<std::uint32_t>(i);
  }
  void up(std::size_t i) {
    const Entry e = heap_[i];
    while (i > 0) {
      const std::size_t parent = (i - 1) / kArity;
      if (!before(e, heap_[parent])) break;
      place(i, heap_[parent]);
      i = parent;
    }
    place(i, e);
  }
  void down(std::size_t i) {
    if (i >= heap_.size()) return;
    const Entry e = heap_[i];
    const std::size_t n = heap_.size();
    while (true) {
      const std::size_t first = kArity * i + 1;
      if (first >= n) break;
      const std::size_t last = first + kArity < n ? first + kArity : n;
      std::size_t c = first;
      for (std::size_t k = first + 1; k < last; ++k)
        if (before(heap_[k], heap_[c])) c = k;
      if (!before(heap_[c], e)) break;
      place(i, heap_[c]);
      i = c;
    }
    place(i, e);
  }

  std::vector<Entry> heap_;         // heap_[i]: the item at entry i, with its key
  std::vector<std::uint32_t> at_;   // at_[v]: the entry of item v
};

}  // namespace journeygraph::detail
