#pragma once
// Internal hashing helpers and an open-addressing map from 64-bit keys to doubles (transition counts).

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

namespace journeygraph::detail {

inline std::uint64_t mix64(std::uint64_t x) noexcept {
  // splitmix64 finaliser: full avalanche, cheap.
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

inline std::uint64_t hash_bytes(std::string_view s) noexcept {
  std::uint64_t h = 0x9e3779b97f4a7c15ULL ^ s.size();
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    h = mix64(h ^ w);
  }
  if (i < s.size()) {
    std::uint64_t w = 0;
    std::memcpy(&w, s.data() + i, s.size() - i);
    h = mix64(h ^ w ^ 0xff);
  }
  return h;
}

inline std::uint64_t hash_words(const std::uint32_t* w, std::size_t n) noexcept {
  std::uint64_t h = 0x51af3d5e7c2b9a01ULL ^ n;
  for (std::size_t i = 0; i < n; ++i) h = mix64(h ^ (std::uint64_t(w[i]) + 0x100000000ULL * i));
  return h;
}

inline std::size_t next_pow2(std::size_t n) noexcept {
  std::size_t p = 16;
  while (p < n) p <<= 1;
  return p;
}

// Open addressing (linear probing) from uint64 keys to sums (V has add(W)). Iteration is in insertion
// order, which depends only on the sequence of insertions, so results are deterministic.
template <class V>
class SumMap {
 public:
  static constexpr std::uint64_t kEmpty = ~std::uint64_t(0);

  SumMap() { reset(16); }
  template <class W>
  void add(std::uint64_t key, const W& w) {
    if ((count_ + 1) * 4 > keys_.size() * 3) grow();
    std::size_t mask = keys_.size() - 1, i = mix64(key) & mask;
    while (true) {
      if (keys_[i] == key) {
        vals_[i].add(w);
        return;
      }
      if (keys_[i] == kEmpty) {
        keys_[i] = key;
        vals_[i] = V();
        vals_[i].add(w);
        ++count_;
        order_.push_back(static_cast<std::uint32_t>(i));
        return;
      }
      i = (i + 1) & mask;
    }
  }
  std::size_t size() const noexcept { return count_; }
  // Visit entries in insertion order.
  template <class F>
  void for_each(F&& f) const {
    for (std::uint32_t slot : order_) f(keys_[slot], vals_[slot]);
  }
  void clear() { reset(16); }

 private:
  void reset(std::size_t slots) {
    keys_.assign(slots, kEmpty);
    vals_.assign(slots, V());
    order_.clear();
    count_ = 0;
  }
  void grow() {
    std::vector<std::uint64_t> k;
    std::vector<V> v;
    std::vector<std::uint32_t> o;
    k.swap(keys_);
    v.swap(vals_);
    o.swap(order_);
    reset(k.size() * 2);
    for (std::uint32_t slot : o) add(k[slot], v[slot]);
  }
  std::vector<std::uint64_t> keys_;
  std::vector<V> vals_;
  std::vector<std::uint32_t> order_;
  std::size_t count_ = 0;
};

// Interns fixed-stride k-grams of uint32 tokens (short k-grams padded with kPad) to dense ids.
class GramIndex {
 public:
  static constexpr std::uint32_t kPad = 0xFFFFFFFFu;
  explicit GramIndex(unsigned stride = 1) : stride_(stride) { slots_.assign(16, kEmptySlot); }
  unsigned stride() const noexcept { return stride_; }
  std::size_t size() const noexcept { return tokens_.size() / stride_; }
  const std::uint32_t* gram(std::uint32_t id) const noexcept { return tokens_.data() + std::size_t(id) * stride_; }
  const std::vector<std::uint32_t>& tokens() const noexcept { return tokens_; }
  // gram points to stride_ tokens (padded).
  std::uint32_t intern(const std::uint32_t* gram) {
    if ((size() + 1) * 4 > slots_.size() * 3) rehash(slots_.size() * 2);
    std::size_t mask = slots_.size() - 1, i = hash_words(gram, stride_) & mask;
    while (true) {
      std::uint32_t s = slots_[i];
      if (s == kEmptySlot) {
        std::uint32_t id = static_cast<std::uint32_t>(size());
        tokens_.insert(tokens_.end(), gram, gram + stride_);
        slots_[i] = id;
        return id;
      }
      if (std::memcmp(tokens_.data() + std::size_t(s) * stride_, gram, stride_ * sizeof(std::uint32_t)) == 0) return s;
      i = (i + 1) & mask;
    }
  }
  std::uint32_t find(const std::uint32_t* gram) const {
    std::size_t mask = slots_.size() - 1, i = hash_words(gram, stride_) & mask;
    while (true) {
      std::uint32_t s = slots_[i];
      if (s == kEmptySlot) return kEmptySlot;
      if (std::memcmp(tokens_.data() + std::size_t(s) * stride_, gram, stride_ * sizeof(std::uint32_t)) == 0) return s;
      i = (i + 1) & mask;
    }
  }
  static constexpr std::uint32_t kEmptySlot = 0xFFFFFFFFu;

 private:
  void rehash(std::size_t n) {
    slots_.assign(n, kEmptySlot);
    std::size_t mask = n - 1;
    for (std::uint32_t id = 0; id < size(); ++id) {
      std::size_t i = hash_words(gram(id), stride_) & mask;
      while (slots_[i] != kEmptySlot) i = (i + 1) & mask;
      slots_[i] = id;
    }
  }
  unsigned stride_;
  std::vector<std::uint32_t> tokens_;
  std::vector<std::uint32_t> slots_;
};

// A set of 64-bit keys (open addressing; 0 is stored out of band). 16 bytes per key at most.
class HashSet64 {
 public:
  HashSet64() { slots_.assign(16, 0); }
  // Inserts key; returns false if it was already present.
  bool insert(std::uint64_t key) {
    if (key == 0) {
      const bool added = !has_zero_;
      has_zero_ = true;
      return added;
    }
    if ((count_ + 1) * 2 > slots_.size()) grow();
    std::size_t mask = slots_.size() - 1, i = mix64(key) & mask;
    while (slots_[i] != 0) {
      if (slots_[i] == key) return false;
      i = (i + 1) & mask;
    }
    slots_[i] = key;
    ++count_;
    return true;
  }
  bool contains(std::uint64_t key) const {
    if (key == 0) return has_zero_;
    std::size_t mask = slots_.size() - 1, i = mix64(key) & mask;
    while (slots_[i] != 0) {
      if (slots_[i] == key) return true;
      i = (i + 1) & mask;
    }
    return false;
  }

 private:
  void grow() {
    std::vector<std::uint64_t> old;
    old.swap(slots_);
    slots_.assign(old.size() * 2, 0);
    count_ = 0;
    for (std::uint64_t k : old)
      if (k != 0) insert(k);
  }
  std::vector<std::uint64_t> slots_;
  std::size_t count_ = 0;
  bool has_zero_ = false;
};

}  // namespace journeygraph::detail
