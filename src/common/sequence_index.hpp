#pragma once
// Interns variable-length sequences of uint32 tokens (paths, coalitions) to dense ids in first-seen order.
// Open addressing over the ids; the sequences are stored back to back (CSR). Deterministic: ids depend
// only on the order of insertion.

#include <cstdint>
#include <cstring>
#include <vector>

#include "common/hash.hpp"
#include "journeygraph/span.hpp"

namespace journeygraph::detail {

class SequenceIndex {
 public:
  static constexpr std::uint32_t kEmpty = 0xFFFFFFFFu;

  SequenceIndex() : offsets_(1, 0), slots_(16, kEmpty) {}
  std::size_t size() const noexcept { return offsets_.size() - 1; }
  Span<const std::uint32_t> sequence(std::uint32_t id) const {
    return {tokens_.data() + offsets_[id], static_cast<std::size_t>(offsets_[id + 1] - offsets_[id])};
  }
  const std::vector<std::uint64_t>& offsets() const noexcept { return offsets_; }
  const std::vector<std::uint32_t>& tokens() const noexcept { return tokens_; }

  // Id of the sequence, added if new.
  std::uint32_t intern(const std::uint32_t* seq, std::size_t len) {
    if ((size() + 1) * 4 > slots_.size() * 3) rehash(slots_.size() * 2);
    const std::uint64_t h = hash_words(seq, len);
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = h & mask;
    while (true) {
      const std::uint32_t s = slots_[i];
      if (s == kEmpty) {
        const auto id = static_cast<std::uint32_t>(size());
        tokens_.insert(tokens_.end(), seq, seq + len);
        offsets_.push_back(tokens_.size());
        hashes_.push_back(h);
        slots_[i] = id;
        return id;
      }
      if (hashes_[s] == h && equal(s, seq, len)) return s;
      i = (i + 1) & mask;
    }
  }
  std::uint32_t intern(Span<const std::uint32_t> seq) { return intern(seq.data(), seq.size()); }
  // Id of the sequence, or kEmpty.
  std::uint32_t find(const std::uint32_t* seq, std::size_t len) const {
    const std::uint64_t h = hash_words(seq, len);
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = h & mask;; i = (i + 1) & mask) {
      const std::uint32_t s = slots_[i];
      if (s == kEmpty) return kEmpty;
      if (hashes_[s] == h && equal(s, seq, len)) return s;
    }
  }

 private:
  bool equal(std::uint32_t id, const std::uint32_t* seq, std::size_t len) const {
    const std::uint64_t a = offsets_[id], b = offsets_[id + 1];
    return b - a == len && (len == 0 || std::memcmp(tokens_.data() + a, seq, len * sizeof(std::uint32_t)) == 0);
  }
  void rehash(std::size_t n) {
    slots_.assign(n, kEmpty);
    const std::size_t mask = n - 1;
    for (std::uint32_t id = 0; id < size(); ++id) {
      std::size_t i = hashes_[id] & mask;
      while (slots_[i] != kEmpty) i = (i + 1) & mask;
      slots_[i] = id;
    }
  }
  std::vector<std::uint64_t> offsets_;
  std::vector<std::uint32_t> tokens_;
  std::vector<std::uint64_t> hashes_;
  std::vector<std::uint32_t> slots_;
};

}  // namespace journeygraph::detail
