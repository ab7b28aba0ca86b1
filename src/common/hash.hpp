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

// The n < 8 bytes at p as the low bytes of a word, the value memcpy(&w, p, n) gives into w = 0 on a
// little-endian machine, without a call to memcpy of a variable length: two overlapping loads.
inline std::uint64_t load_short(const char* p, std::size_t n) noexcept {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  if (n >= 4) {
    std::uint32_t a, b;
    std::memcpy(&a, p, 4);
    std::memcpy(&b, p + n - 4, 4);
    return std::uint64_t(a) | (std::uint64_t(b) << (8 * (n - 4)));
  }
  if (n == 0) return 0;
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return std::uint64_t(u[0]) | (std::uint64_t(u[n / 2]) << (8 * (n / 2))) | (std::uint64_t(u[n - 1]) << (8 * (n - 1)));
#else
  std::uint64_t w = 0;
  std::memcpy(&w, p, n);
  return w;
#endif
}

// The n <= 8 bytes at p as the low bytes of a word (as load_short).
inline std::uint64_t load_word(const char* p, std::size_t n) noexcept {
  if (n < 8) return load_short(p, n);
  std::uint64_t w;
  std::memcpy(&w, p, 8);
  return w;
}

inline std::uint64_t hash_bytes(std::string_view s) noexcept {
  std::uint64_t h = 0x9e3779b97f4a7c15ULL ^ s.size();
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    h = mix64(h ^ w);
  }
  if (i < s.size()) h = mix64(h ^ load_short(s.data() + i, s.size() - i) ^ 0xff);
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

// Open addressing (linear probing) from uint64 keys to sums (V has add(W)). A slot holds the key and the
// index of its value; values and keys also sit densely in insertion order, which depends only on the
// sequence of insertions (so iteration is deterministic) and keeps empty slots small (16 bytes, not a V).
template <class V>
class SumMap {
 public:
  static constexpr std::uint64_t kEmpty = ~std::uint64_t(0);

  SumMap() { reset(16); }
  template <class W>
  void add(std::uint64_t key, const W& w) {
    if ((keys_.size() + 1) * 4 > slots_.size() * 3) grow();
    std::size_t mask = slots_.size() - 1, i = mix64(key) & mask;
    while (true) {
      Slot& slot = slots_[i];
      if (slot.key == key) {
        vals_[slot.index].add(w);
        return;
      }
      if (slot.key == kEmpty) {
        slot.key = key;
        slot.index = static_cast<std::uint32_t>(keys_.size());
        keys_.push_back(key);
        vals_.emplace_back();
        vals_.back().add(w);
        return;
      }
      i = (i + 1) & mask;
    }
  }
  std::size_t size() const noexcept { return keys_.size(); }
  // Asks the cache for the slot where key is looked up first, for an add() soon after (a hint: no effect on
  // the map or its results).
  void prefetch(std::uint64_t key) const noexcept { __builtin_prefetch(slots_.data() + (mix64(key) & (slots_.size() - 1))); }
  // Visit entries in insertion order.
  template <class F>
  void for_each(F&& f) const {
    for (std::size_t i = 0; i < keys_.size(); ++i) f(keys_[i], vals_[i]);
  }
  void clear() { reset(16); }
  // Room for n keys without growing.
  void reserve(std::size_t n) {
    if (n * 4 > slots_.size() * 3) rehash(next_pow2(n * 4 / 3 + 1));
    keys_.reserve(n);
    vals_.reserve(n);
  }

 private:
  struct Slot {
    std::uint64_t key;
    std::uint32_t index;
  };
  void reset(std::size_t slots) {
    slots_.assign(slots, Slot{kEmpty, 0});
    keys_.clear();
    vals_.clear();
  }
  void grow() { rehash(slots_.size() * 2); }
  void rehash(std::size_t n) {
    slots_.assign(n, Slot{kEmpty, 0});
    const std::size_t mask = n - 1;
    for (std::size_t k = 0; k < keys_.size(); ++k) {
      std::size_t i = mix64(keys_[k]) & mask;
      while (slots_[i].key != kEmpty) i = (i + 1) & mask;
      slots_[i] = Slot{keys_[k], static_cast<std::uint32_t>(k)};
    }
  }
  std::vector<Slot> slots_;
  std::vector<std::uint64_t> keys_;
  std::vector<V> vals_;
};

// Interns fixed-stride k-grams of uint32 tokens (short k-grams padded with kPad) to dense ids in insertion
// order. The hash is polynomial in the tokens, so a window sliding along a path updates it in O(1) (roll)
// instead of rehashing k tokens; each slot keeps 32 bits of the mixed hash beside the id, so a probe only
// compares tokens when those bits match.
class GramIndex {
 public:
  static constexpr std::uint32_t kPad = 0xFFFFFFFFu;
  static constexpr std::uint32_t kEmptySlot = 0xFFFFFFFFu;
  explicit GramIndex(unsigned stride = 1) : stride_(stride) {
    slots_.assign(16, kEmpty);
    top_ = 1;
    for (unsigned i = 1; i < stride_; ++i) top_ *= kBase;
  }
  unsigned stride() const noexcept { return stride_; }
  std::size_t size() const noexcept { return tokens_.size() / stride_; }
  const std::uint32_t* gram(std::uint32_t id) const noexcept { return tokens_.data() + std::size_t(id) * stride_; }
  const std::vector<std::uint32_t>& tokens() const noexcept { return tokens_; }
  // The hash of stride() tokens (padded).
  std::uint64_t hash(const std::uint32_t* gram) const noexcept {
    std::uint64_t h = 0;
    for (unsigned i = 0; i < stride_; ++i) h = h * kBase + (std::uint64_t(gram[i]) + 1);
    return h;
  }
  // The hash of the window one token further: `out` leaves it at the front, `in` enters at the back.
  std::uint64_t roll(std::uint64_t h, std::uint32_t out, std::uint32_t in) const noexcept {
    return (h - (std::uint64_t(out) + 1) * top_) * kBase + (std::uint64_t(in) + 1);
  }
  // Asks the cache for the slot where a gram of hash h is looked up first, for an intern() soon after (a hint:
  // no effect on the index or its ids).
  void prefetch(std::uint64_t h) const noexcept { __builtin_prefetch(slots_.data() + (mix64(h) & (slots_.size() - 1))); }
  // gram points to stride_ tokens (padded); h is hash(gram).
  std::uint32_t intern(const std::uint32_t* gram) { return intern(gram, hash(gram)); }
  std::uint32_t intern(const std::uint32_t* gram, std::uint64_t h) {
    if ((size() + 1) * 4 > slots_.size() * 3) rehash(slots_.size() * 2);
    const std::uint64_t mixed = mix64(h);
    const std::uint64_t tag = mixed >> 32 << 32;
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = mixed & mask;
    while (true) {
      const std::uint64_t slot = slots_[i];
      if (slot == kEmpty) {
        const auto id = static_cast<std::uint32_t>(size());
        tokens_.insert(tokens_.end(), gram, gram + stride_);
        slots_[i] = tag | id;
        return id;
      }
      if ((slot & kTagMask) == tag && same(static_cast<std::uint32_t>(slot), gram)) return static_cast<std::uint32_t>(slot);
      i = (i + 1) & mask;
    }
  }
  std::uint32_t find(const std::uint32_t* gram) const {
    const std::uint64_t mixed = mix64(hash(gram));
    const std::uint64_t tag = mixed >> 32 << 32;
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = mixed & mask;
    while (true) {
      const std::uint64_t slot = slots_[i];
      if (slot == kEmpty) return kEmptySlot;
      if ((slot & kTagMask) == tag && same(static_cast<std::uint32_t>(slot), gram)) return static_cast<std::uint32_t>(slot);
      i = (i + 1) & mask;
    }
  }
  // Room for n grams without rehashing.
  void reserve(std::size_t n) {
    if (n * 4 > slots_.size() * 3) rehash(next_pow2(n * 4 / 3 + 1));
    tokens_.reserve(n * stride_);
  }

 private:
  static constexpr std::uint64_t kBase = 0x9E3779B97F4A7C15ULL;
  static constexpr std::uint64_t kEmpty = ~std::uint64_t(0);
  static constexpr std::uint64_t kTagMask = ~std::uint64_t(0) << 32;
  bool same(std::uint32_t id, const std::uint32_t* gram) const noexcept {
    const std::uint32_t* t = tokens_.data() + std::size_t(id) * stride_;
    for (unsigned i = 0; i < stride_; ++i)
      if (t[i] != gram[i]) return false;
    return true;
  }
  void rehash(std::size_t n) {
    slots_.assign(n, kEmpty);
    const std::size_t mask = n - 1;
    for (std::uint32_t id = 0; id < size(); ++id) {
      const std::uint64_t mixed = mix64(hash(gram(id)));
      std::size_t i = mixed & mask;
      while (slots_[i] != kEmpty) i = (i + 1) & mask;
      slots_[i] = (mixed >> 32 << 32) | id;
    }
  }
  unsigned stride_;
  std::uint64_t top_;  // kBase^(stride - 1)
  std::vector<std::uint32_t> tokens_;
  std::vector<std::uint64_t> slots_;  // 32 bits of the mixed hash | id, or kEmpty
};

}  // namespace journeygraph::detail
