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
inline std::string_view trim(std::string_view s) noexcept {
  std::size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) --e;
  return s.substr(b, e - b);
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
