#pragma once
// Sorting records by an unsigned 64-bit key: least-significant-digit radix sort.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace journeygraph::detail {

// Sorts v by its records' `key` member (std::uint64_t) in increasing order, stably, when every key is below
// 2^key_bits (1 <= key_bits <= 64). Passes of 11 bits over the used bits: O((n + 2048) x passes) time and one
// scratch copy of v. Small inputs go to std::stable_sort (the same order: both are stable).
template <class T>
void radix_sort_by_key(std::vector<T>& v, unsigned key_bits) {
  constexpr unsigned kDigit = 11;
  constexpr std::size_t kBuckets = std::size_t(1) << kDigit;
  if (v.size() < 4096) {
    std::stable_sort(v.begin(), v.end(), [](const T& a, const T& b) { return a.key < b.key; });
    return;
  }
  std::vector<T> tmp(v.size());
  std::vector<std::size_t> start(kBuckets);
  T* from = v.data();
  T* to = tmp.data();
  const std::size_t n = v.size();
  for (unsigned shift = 0; shift < key_bits; shift += kDigit) {
    std::fill(start.begin(), start.end(), 0);
    for (std::size_t i = 0; i < n; ++i) ++start[(from[i].key >> shift) & (kBuckets - 1)];
    if (start[(from[0].key >> shift) & (kBuckets - 1)] == n) continue;  // one digit value: nothing moves
    std::size_t at = 0;
    for (std::size_t d = 0; d < kBuckets; ++d) {
      const std::size_t c = start[d];
      start[d] = at;
      at += c;
    }
    for (std::size_t i = 0; i < n; ++i) to[start[(from[i].key >> shift) & (kBuckets - 1)]++] = from[i];
    std::swap(from, to);
  }
  if (from != v.data()) std::copy(from, from + n, v.data());
}

// Bits needed to write x (0 for 0).
inline unsigned bit_width(std::uint64_t x) noexcept {
  unsigned b = 0;
  while (x) {
    ++b;
    x >>= 1;
  }
  return b;
}

}  // namespace journeygraph::detail
