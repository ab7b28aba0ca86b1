#pragma once
// Internal text helpers: UTF-8 validation, trimming, strict number parsing, display shortening.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace journeygraph::detail {

// Byte offset of the first invalid UTF-8 sequence, or npos if s is valid (overlongs, surrogates and
// code points above U+10FFFF are invalid).
std::size_t utf8_invalid_at(std::string_view s) noexcept;

// s without leading/trailing spaces and tabs. Inline: every field of a CSV row goes through it, and most
// have nothing to trim. Complexity: O(blanks trimmed).
inline __attribute__((always_inline)) std::string_view trim(std::string_view s) noexcept {
  if (s.empty() || (s.front() != ' ' && s.front() != '\t' && s.back() != ' ' && s.back() != '\t')) return s;
  std::size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) --e;
  return s.substr(b, e - b);
}

// The value of the n decimal digits at p (1 <= n <= 18: no overflow), or -1 when n is out of that range or
// any byte is not a digit. Eight digits at a time on a little-endian machine (counts, flags and epoch numbers
// of every row go through it). Complexity: O(n).
inline std::int64_t plain_digits(const char* p, std::size_t n) noexcept {
  if (n == 0 || n > 18) return -1;
  std::uint64_t v = 0;
  std::size_t i = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  for (; i + 8 <= n; i += 8) {
    std::uint64_t w;
    __builtin_memcpy(&w, p + i, 8);
    // Every byte in '0'..'9': its high nibble is 3, and adding 6 keeps it 3.
    if ((w & 0xF0F0F0F0F0F0F0F0ull) != 0x3030303030303030ull ||
        ((w + 0x0606060606060606ull) & 0xF0F0F0F0F0F0F0F0ull) != 0x3030303030303030ull)
      return -1;
    w -= 0x3030303030303030ull;                                  // digit values, the first in the low byte
    w = (w * 10 + (w >> 8)) & 0x00FF00FF00FF00FFull;              // pairs: 10a + b
    w = (w * 100 + (w >> 16)) & 0x0000FFFF0000FFFFull;            // quads
    w = (w * 10000 + (w >> 32)) & 0xFFFFFFFFull;                  // eight
    v = v * 100000000ull + w;
  }
#endif
  for (; i < n; ++i) {
    const unsigned d = static_cast<unsigned char>(p[i]) - unsigned('0');
    if (d > 9) return -1;
    v = v * 10 + d;
  }
  return static_cast<std::int64_t>(v);
}

// Strict parses of a whole (trimmed) field; nullopt if anything is left over or out of range.
std::optional<double> parse_double(std::string_view s) noexcept;  // finite only; "nan"/"inf" rejected
std::optional<std::int64_t> parse_int64(std::string_view s) noexcept;

// A value made printable for an error message: quoted, control bytes escaped, cut to max bytes.
std::string show(std::string_view s, std::size_t max = 60);

// s made safe for a terminal with the escapes of show(): control bytes (C0, DEL) as \n, \r, \t or \xHH; with
// keep_utf8, valid UTF-8 is kept except the C1 controls U+0080..U+009F (escaped byte by byte), and a string
// that is not valid UTF-8 has every byte >= 0x80 escaped; without it, every byte >= 0x80 is escaped. Quotes
// and backslashes are left alone (show() adds those).
std::string escape_controls(std::string_view s, bool keep_utf8);

// Shortest round-trip decimal of a double ("%.17g", trimmed).
std::string format_double(double x);

// s as a JSON string literal, quotes included: quote, backslash and control characters escaped, other
// UTF-8 passed through; with html_safe also '<' (as \u003c), so the text can sit inside an HTML <script>.
std::string json_quote(std::string_view s, bool html_safe = false);

// x as a JSON number in shortest round-trip form; null when x is not finite.
std::string json_number(double x);

// Case-insensitive ASCII equality.
bool iequals(std::string_view a, std::string_view b) noexcept;

// Levenshtein distance (for "did you mean" suggestions), capped work for long strings.
std::size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace journeygraph::detail
