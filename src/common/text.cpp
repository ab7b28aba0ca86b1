#include "common/text.hpp"

#include "common/hash.hpp"

#include "journeygraph/text.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <vector>

namespace journeygraph::detail {

std::size_t utf8_invalid_at(std::string_view s) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  std::size_t n = s.size(), i = 0;
  constexpr std::uint64_t kHigh = 0x8080808080808080ull;
  while (i < n) {
    // ASCII a word at a time (most names are all ASCII).
    if (i + 8 <= n) {
      std::uint64_t w;
      std::memcpy(&w, p + i, 8);
      if (!(w & kHigh)) {
        i += 8;
        continue;
      }
    } else if (!(load_short(s.data() + i, n - i) & kHigh)) {
      return std::string_view::npos;
    }
    unsigned char c = p[i];
    if (c < 0x80) { ++i; continue; }
    std::size_t len;
    std::uint32_t cp;
    if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; }
    else return i;
    if (i + len > n) return i;
    for (std::size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return i;
    i += len;
  }
  return std::string_view::npos;
}

std::optional<double> parse_double(std::string_view s) noexcept {
  s = trim(s);
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  if (s.empty()) return std::nullopt;
  // Up to 15 digits is an integer below 2^53: exact as a double, the value from_chars gives.
  if (const std::int64_t k = s.size() <= 15 ? plain_digits(s.data(), s.size()) : -1; k >= 0) return static_cast<double>(k);
  // from_chars accepts "inf"/"nan"; both are rejected below by isfinite.
  double v = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::optional<std::int64_t> parse_int64(std::string_view s) noexcept {
  s = trim(s);
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  if (s.empty()) return std::nullopt;
  if (const std::int64_t k = plain_digits(s.data(), s.size()); k >= 0) return k;  // below 10^18: no overflow
  std::int64_t v = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

namespace {
void escape_byte(std::string& out, unsigned char c) {
  if (c == '\n') out += "\\n";
  else if (c == '\r') out += "\\r";
  else if (c == '\t') out += "\\t";
  else {
    char buf[8];
    std::snprintf(buf, sizeof buf, "\\x%02X", c);
    out += buf;
  }
}

// Escapes s into out; quote_marks also escapes '"' and '\\' (for a quoted value).
void escape_into(std::string& out, std::string_view s, bool keep_utf8, bool quote_marks) {
  keep_utf8 = keep_utf8 && utf8_invalid_at(s) == std::string_view::npos;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (quote_marks && (c == '"' || c == '\\')) {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7F) {
      escape_byte(out, c);
    } else if (c >= 0x80 && (!keep_utf8 || (c == 0xC2 && i + 1 < s.size() &&
                                            static_cast<unsigned char>(s[i + 1]) < 0xA0))) {
      // Non-ASCII bytes are escaped so that invalid UTF-8 never reaches a terminal or a JSON string; the C1
      // controls (U+0080..U+009F, among them the one-byte CSI) even when the text is valid UTF-8.
      escape_byte(out, c);
      if (keep_utf8) escape_byte(out, static_cast<unsigned char>(s[++i]));
    } else {
      out += static_cast<char>(c);
    }
  }
}
}  // namespace

std::string show(std::string_view s, std::size_t max) {
  std::string out = "\"";
  escape_into(out, s.substr(0, std::min(s.size(), max)), false, true);
  out += "\"";
  if (s.size() > max) out += "... (" + std::to_string(s.size()) + " bytes)";
  return out;
}

std::string escape_controls(std::string_view s, bool keep_utf8) {
  std::string out;
  escape_into(out, s, keep_utf8, false);
  return out;
}

std::string format_double(double x) {
  char buf[40];
  auto r = std::to_chars(buf, buf + sizeof buf, x);
  return std::string(buf, r.ptr);
}

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  if (a.size() > 64 || b.size() > 64) return a == b ? 0 : std::max(a.size(), b.size());
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t sub = prev[j - 1] + (std::tolower((unsigned char)a[i - 1]) == std::tolower((unsigned char)b[j - 1]) ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    prev.swap(cur);
  }
  return prev[b.size()];
}

std::string json_quote(std::string_view s, bool html_safe) {
  std::string out = "\"";
  for (char ch : s) {
    const unsigned char c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else if (html_safe && c == '<') {
          out += "\\u003c";  // safe inside an HTML <script> block
        } else {
          out += ch;
        }
    }
  }
  return out + "\"";
}

std::string json_number(double x) { return std::isfinite(x) ? format_double(x) : "null"; }

}  // namespace journeygraph::detail

namespace journeygraph {

std::optional<double> parse_number(std::string_view text) noexcept { return detail::parse_double(text); }
std::optional<std::int64_t> parse_integer(std::string_view text) noexcept { return detail::parse_int64(text); }
std::string_view trim_blanks(std::string_view text) noexcept { return detail::trim(text); }
std::string quoted(std::string_view text, std::size_t max) { return detail::show(text, max); }
std::string format_number(double x) { return detail::format_double(x); }

std::vector<std::string> split_list(std::string_view text, char separator) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t at = text.find(separator, start);
    const std::string_view item = detail::trim(text.substr(start, at == std::string_view::npos ? std::string_view::npos
                                                                                               : at - start));
    if (!item.empty()) out.emplace_back(item);
    if (at == std::string_view::npos) break;
    start = at + 1;
  }
  return out;
}

std::string closest_name(std::string_view name, const std::vector<std::string>& known, std::size_t max_distance) {
  std::string best;
  std::size_t best_distance = max_distance + 1;
  for (const std::string& k : known) {
    const std::size_t d = detail::edit_distance(name, k);
    if (d < best_distance) {
      best_distance = d;
      best = k;
    }
  }
  return best;
}

}  // namespace journeygraph
