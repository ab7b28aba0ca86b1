#pragma once
// Order-independent exact summation of doubles: a 192-bit fixed-point accumulator (64 integer bits, 128
// fraction bits). Every double x with 2^-75 <= |x| < 2^62 enters exactly (its 53 significant bits fit the
// grid; weights and values are validated to lie in [2^-64, 2^62) or be 0), so sums over any partition, in
// any order, on any number of threads, give the same bits. value() rounds the exact sum to a double.

#include <cmath>
#include <cstdint>
#include <cstring>

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
    s.w_[0] = w0;
    s.w_[1] = w1;
    s.w_[2] = w2;
    return s;
  }
  std::uint64_t word(int i) const { return w_[i]; }
  // Adds x exactly (bits of |x| below 2^-128 are cut, as the grid has none). The 53 significant bits of x are
  // shifted into place from its binary exponent: integer operations only (this runs once per touch when
  // counting).
  void add(double x) {
    // A whole number below 2^53 (a count of journeys, usually) adds to the integer word alone: the same bits
    // as the general path below, which also throws when the sum would pass 2^62.
    if (x > 0 && x < 0x1p53) {
      const auto k = static_cast<std::int64_t>(x);
      const auto top = static_cast<std::int64_t>(w_[2]);
      if (static_cast<double>(k) == x && top < (std::int64_t(1) << 62) - k) {
        w_[2] = static_cast<std::uint64_t>(top + k);
        return;
      }
    }
    if (x == 0) return;
    const double ax = std::fabs(x);
    if (!(ax < 0x1p62)) throw InvalidArgument("a weight or value is too large to sum exactly");
    std::uint64_t bits;
    std::memcpy(&bits, &ax, sizeof bits);
    const int exponent = static_cast<int>(bits >> 52);
    std::uint64_t mant = bits & ((std::uint64_t(1) << 52) - 1);
    if (exponent != 0) mant |= std::uint64_t(1) << 52;
    // |x| = mant * 2^(e - 1075) (e >= 1 for normal numbers, 1 - 1075 for subnormals); on the grid,
    // |x| * 2^128 = mant * 2^shift.
    const int shift = (exponent == 0 ? 1 : exponent) - 1075 + 128;
    std::uint64_t l;
    uint128 h;
    if (shift >= 64) {
      l = 0;
      h = static_cast<uint128>(mant) << (shift - 64);
    } else if (shift > 0) {
      l = mant << shift;
      h = static_cast<uint128>(mant >> (64 - shift));
    } else {
      l = shift > -64 ? mant >> -shift : 0;
      h = 0;
    }
    const auto hs = static_cast<int128>(h);
    if (x > 0) add_words(hs, l);
    else add_words(-hs - (l != 0 ? 1 : 0), l != 0 ? ~l + 1 : 0);  // two's complement of (h, l)
  }
  void add(const ExactSum& o) { add_words(o.hi(), o.w_[0]); }
  double value() const {
    // A whole number below 2^53 (a count of journeys, usually) is its integer word: the same double the general
    // rounding gives, without converting 128-bit integers and scaling them.
    if (w_[0] == 0 && w_[1] == 0 && w_[2] < (std::uint64_t(1) << 53)) return static_cast<double>(w_[2]);
    return std::ldexp(static_cast<double>(hi()), -64) + std::ldexp(static_cast<double>(w_[0]), -128);
  }
  bool operator==(const ExactSum& o) const { return w_[0] == o.w_[0] && w_[1] == o.w_[1] && w_[2] == o.w_[2]; }
  bool operator!=(const ExactSum& o) const { return !(*this == o); }

 private:
  int128 hi() const { return static_cast<int128>((static_cast<uint128>(w_[2]) << 64) | w_[1]); }
  void add_words(int128 h, std::uint64_t l) {
    const std::uint64_t lo = w_[0] + l;
    const int carry = lo < w_[0] ? 1 : 0;
    w_[0] = lo;
    int128 top = hi();
    if (__builtin_add_overflow(top, h, &top) || __builtin_add_overflow(top, int128(carry), &top) ||
        top >= (int128(1) << 126) || top <= -(int128(1) << 126))
      throw InvalidArgument("a sum of weights or values is too large");
    const auto u = static_cast<uint128>(top);
    w_[1] = static_cast<std::uint64_t>(u);
    w_[2] = static_cast<std::uint64_t>(u >> 64);
  }
  // The sum times 2^128 as a 192-bit two's complement integer, least significant word first: w_[0] holds
  // the fraction bits 2^-65 .. 2^-128, w_[1..2] the value times 2^64 (integer part).
  std::uint64_t w_[3] = {0, 0, 0};
};

}  // namespace journeygraph::detail
