#pragma once
// Order-independent exact summation of doubles: a 192-bit fixed-point accumulator (64 integer bits, 128
// fraction bits). Every double x with 2^-75 <= |x| < 2^62 enters exactly (its 53 significant bits fit the
// grid; weights and values are validated to lie in [2^-64, 2^62) or be 0), so sums over any partition, in
// any order, on any number of threads, give the same bits. value() rounds the exact sum to a double.

#include <cmath>
#include <cstdint>

#include "journeygraph/error.hpp"

namespace journeygraph::detail {

__extension__ typedef __int128 int128;  // GCC and Clang; -Wpedantic-clean spelling
__extension__ typedef unsigned __int128 uint128;

class ExactSum {
 public:
  ExactSum() = default;
  static constexpr int kWords = 3;
  static ExactSum from_words(std::uint64_t w0, std::uint64_t w1, std::uint64_t w2) {
    ExactSum s;
    s.lo_ = w0;
    s.hi_ = static_cast<int128>((static_cast<uint128>(w2) << 64) | w1);
    return s;
  }
  std::uint64_t word(int i) const {
    const auto h = static_cast<uint128>(hi_);
    return i == 0 ? lo_ : i == 1 ? static_cast<std::uint64_t>(h) : static_cast<std::uint64_t>(h >> 64);
  }
  void add(double x) {
    if (x == 0) return;
    const double ax = std::fabs(x);
    if (!(ax < 0x1p62)) throw InvalidArgument("a weight or value is too large to sum exactly");
    const double scaled = std::ldexp(ax, 64);  // exact: a power-of-two scaling
    const double whole = std::floor(scaled);
    const double fraction = scaled - whole;    // exact: both share the binade or whole is 0
    const auto h = static_cast<int128>(whole);
    const auto l = static_cast<std::uint64_t>(std::ldexp(fraction, 64));
    if (x > 0) add_words(h, l);
    else add_words(-h - (l != 0 ? 1 : 0), l != 0 ? ~l + 1 : 0);  // two's complement of (h, l)
  }
  void add(const ExactSum& o) { add_words(o.hi_, o.lo_); }
  double value() const { return std::ldexp(static_cast<double>(hi_), -64) + std::ldexp(static_cast<double>(lo_), -128); }
  bool operator==(const ExactSum& o) const { return hi_ == o.hi_ && lo_ == o.lo_; }
  bool operator!=(const ExactSum& o) const { return !(*this == o); }

 private:
  void add_words(int128 h, std::uint64_t l) {
    const std::uint64_t lo = lo_ + l;
    const int carry = lo < lo_ ? 1 : 0;
    lo_ = lo;
    if (__builtin_add_overflow(hi_, h, &hi_) || __builtin_add_overflow(hi_, int128(carry), &hi_) ||
        hi_ >= (int128(1) << 126) || hi_ <= -(int128(1) << 126))
      throw InvalidArgument("a sum of weights or values is too large");
  }
  int128 hi_ = 0;         // value * 2^64, integer part
  std::uint64_t lo_ = 0;  // the next 64 fraction bits
};

}  // namespace journeygraph::detail
