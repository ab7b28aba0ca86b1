// Number and text formatting of the pictures and the report.

#include "render/text.hpp"

#include <cmath>
#include <cstdio>

namespace journeygraph {

namespace detail {


std::string xml_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') out += ' ';
        else out += c;
    }
  }
  return out;
}

std::string fixed(double x, int decimals) {
  if (!std::isfinite(x)) return "-";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, x);
  return buf;
}

std::string human_count(double x, bool compact) {
  if (!std::isfinite(x)) return "-";
  char buf[64];
  if (compact && std::fabs(x) >= 1e6) {
    std::snprintf(buf, sizeof buf, "%.2fM", x / 1e6);
    return buf;
  }
  if (compact && std::fabs(x) >= 1e4) {
    std::snprintf(buf, sizeof buf, "%.1fk", x / 1e3);
    return buf;
  }
  // Whole numbers without decimals, others with 2 (1 from 100 up); thousands separated by commas.
  const bool whole = std::fabs(x - std::round(x)) < 1e-9;
  std::snprintf(buf, sizeof buf, "%.*f", whole ? 0 : std::fabs(x) >= 100 ? 1 : 2, x);
  const std::string s = buf;
  const std::size_t digits_start = s[0] == '-' ? 1 : 0;
  const std::size_t point = std::min(s.find('.'), s.size());
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i > digits_start && i < point && (point - i) % 3 == 0) out += ',';
    out += s[i];
  }
  return out;
}

std::string human_duration(double seconds) {
  if (!std::isfinite(seconds)) return "-";
  char buf[64];
  if (seconds < 60) std::snprintf(buf, sizeof buf, "%.0f s", seconds);
  else if (seconds < 3600) std::snprintf(buf, sizeof buf, "%.1f min", seconds / 60);
  else if (seconds < 86400) std::snprintf(buf, sizeof buf, "%.1f h", seconds / 3600);
  else std::snprintf(buf, sizeof buf, "%.1f d", seconds / 86400);
  return buf;
}

std::string percent(double share, int decimals) {
  if (!std::isfinite(share)) return "-";
  return fixed(100.0 * share, decimals) + "%";
}

std::string shorten(const std::string& s, std::size_t max) {
  if (s.size() <= max) return s;
  std::size_t cut = max - 1;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // keep UTF-8 whole
  return s.substr(0, cut) + "\xE2\x80\xA6";
}

std::size_t utf8_length(std::string_view s) noexcept {
  std::size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

}  // namespace detail

}  // namespace journeygraph
