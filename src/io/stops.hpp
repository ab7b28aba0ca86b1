#pragma once
// Internal: where the fields of plain CSV text end. The events reader's fast path cuts rows of text that holds
// no quote, CR or NUL byte; there a field ends at the delimiter or at a LF, and nothing else. StopScanner finds
// those bytes from a bit mask of 64 bytes at a time, so a row of five fields costs a few instructions per field
// instead of a word scan per field.

#include <cstddef>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__) && defined(__x86_64__)
#include <emmintrin.h>
#define JG_STOPS_SSE2 1
#endif

namespace journeygraph::detail {

// Bit i set when p[i] (i < 64) is delim or LF: the portable form, a word at a time (exact for every byte).
inline std::uint64_t stop_bits_swar(const char* p, unsigned char delim) noexcept {
  constexpr std::uint64_t ones = 0x0101010101010101ull, low7 = 0x7F7F7F7F7F7F7F7Full, high = 0x8080808080808080ull;
  // High bit of each byte of x that is zero (exact: no borrow crosses bytes).
  auto zero_bytes = [](std::uint64_t x) { return ~(((x & low7) + low7) | x) & high; };
  std::uint64_t bits = 0;
  for (int k = 0; k < 8; ++k) {
    std::uint64_t w;
    std::memcpy(&w, p + 8 * k, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    w = __builtin_bswap64(w);  // the first byte in the low bits
#endif
    const std::uint64_t z = zero_bytes(w ^ (ones * delim)) | zero_bytes(w ^ (ones * '\n'));
    // Gather the eight flags (bit 8i + 7) into bits 56 + i, then down to the row of eight.
    bits |= (((z >> 7) * 0x0102040810204080ull) >> 56) << (8 * k);
  }
  return bits;
}

// stop_bits_swar by SSE2 where the machine has it.
inline std::uint64_t stop_bits(const char* p, unsigned char delim) noexcept {
#ifdef JG_STOPS_SSE2
  const __m128i dl = _mm_set1_epi8(static_cast<char>(delim)), nl = _mm_set1_epi8('\n');
  std::uint64_t bits = 0;
  for (int k = 0; k < 4; ++k) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
    const unsigned m = static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(x, dl), _mm_cmpeq_epi8(x, nl))));
    bits |= std::uint64_t(m) << (16 * k);
  }
  return bits;
#else
  return stop_bits_swar(p, delim);
#endif
}

// The positions of delimiters and LFs in d[0..n), asked for in increasing order (each call at or after the
// previous one's position, as a row's fields are cut; an earlier position is also answered, by a new mask).
class StopScanner {
 public:
  StopScanner(const char* d, std::size_t n, unsigned char delim) noexcept : d_(d), n_(n), delim_(delim), base_(n + 64) {}
  // The first position >= q whose byte is the delimiter or LF, or n when there is none. O(bytes passed / 64).
  std::size_t next(std::size_t q) noexcept {
    while (q + 64 <= n_) {
      if (q - base_ >= 64) {  // outside the mask (an earlier q wraps to a large difference)
        base_ = q;
        bits_ = stop_bits(d_ + q, delim_);
      }
      const std::uint64_t m = bits_ >> (q - base_);
      if (m) return q + static_cast<std::size_t>(__builtin_ctzll(m));
      q = base_ + 64;
    }
    while (q < n_ && d_[q] != static_cast<char>(delim_) && d_[q] != '\n') ++q;
    return q;
  }

 private:
  const char* d_;
  std::size_t n_;
  unsigned char delim_;
  std::size_t base_;  // the mask covers d_[base_, base_ + 64)
  std::uint64_t bits_ = 0;
};

}  // namespace journeygraph::detail
