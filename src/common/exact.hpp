#pragma once
// Order-independent exact summation of doubles: a 128-bit fixed-point accumulator with 64 fraction bits.
// A double x with 2^-12 <= |x| < 2^62 enters exactly (its 53 significant bits fit the grid), smaller values
// are truncated to 2^-64. Integer adds are associative, so sums over any partition, in any order, on any
// number of threads, give the same bits; value() rounds once, to the nearest double.

#include <cmath>
#include <cstdint>
#include <string>

#include "journeygraph/error.hpp"

namespace journeygraph::detail {

__extension__ typedef __int128 int128;            // GCC and Clang; -Wpedantic-clean spelling
__extension__ typedef unsigned __int128 uint128;

class ExactSum {
 public:
  ExactSum() = default;
  static ExactSum from_words(std::uint64_t lo, std::uint64_t hi) {
    ExactSum s;
    s.v_ = static_cast<int128>((static_cast<uint128>(hi) << 64) | lo);
    return s;
  }
  void add(double x) {
    const double scaled = std::ldexp(x, 64);  // exact: a power-of-two scaling
    if (!(std::abs(scaled) < 0x1p126)) throw InvalidArgument("a weight or value is too large to sum exactly");
    add_raw(static_cast<int128>(scaled));
  }
  void add(const ExactSum& o) { add_raw(o.v_); }
  double value() const { return std::ldexp(static_cast<double>(v_), -64); }
  bool operator==(const ExactSum& o) const { return v_ == o.v_; }
  bool operator!=(const ExactSum& o) const { return v_ != o.v_; }
  std::uint64_t lo() const { return static_cast<std::uint64_t>(static_cast<uint128>(v_)); }
  std::uint64_t hi() const { return static_cast<std::uint64_t>(static_cast<uint128>(v_) >> 64); }

 private:
  void add_raw(int128 y) {
    if (__builtin_add_overflow(v_, y, &v_)) throw InvalidArgument("a sum of weights or values is too large");
  }
  int128 v_ = 0;
};

}  // namespace journeygraph::detail
