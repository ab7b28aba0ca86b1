#pragma once
// Counter-based random numbers: reproducible draws that any thread can compute in any order.

#include <cstdint>

#include "common/hash.hpp"

namespace journeygraph::detail {

// A counter-based random stream: the k-th number of stream (seed, key, stream) is a hash of the four, so any
// number can be computed by any thread, in any order, with the same result. Callers pick key and stream
// (e.g. replicate and row) so that every independent draw has its own stream.
class CounterRng {
 public:
  CounterRng(std::uint64_t seed, std::uint64_t key, std::uint64_t stream) noexcept {
    std::uint64_t k = mix64(seed ^ 0x243F6A8885A308D3ULL);
    k = mix64(k ^ (key * 0x9E3779B97F4A7C15ULL + 0x13198A2E03707344ULL));
    key_ = mix64(k ^ (stream * 0xD1B54A32D192ED03ULL + 0xA4093822299F31D0ULL));
  }
  std::uint64_t next() noexcept { return mix64(key_ + (++counter_) * 0x9E3779B97F4A7C15ULL); }
  // Uniform in [0, 1) with 53 random bits.
  double uniform() noexcept { return double(next() >> 11) * 0x1p-53; }

 private:
  std::uint64_t key_;
  std::uint64_t counter_ = 0;
};

}  // namespace journeygraph::detail
