#pragma once
// Number and text formatting shared by the pictures and the report (internal to src/render).

#include <string>
#include <string_view>

#include "common/text.hpp"

namespace journeygraph::detail {

// JSON string literals of the exports, safe inside the report's <script> blocks (numbers: json_number).
inline std::string json_escape(std::string_view s) { return json_quote(s, true); }
std::string xml_escape(std::string_view s);
std::string fixed(double x, int decimals);
// 12345 -> "12,345"; 1234567.8 -> "1.23M" when compact.
std::string human_count(double x, bool compact = false);
std::string human_duration(double seconds);
std::string percent(double share, int decimals = 1);
// At most max bytes: a longer text is cut at a UTF-8 character boundary and ends in an ellipsis.
std::string shorten(const std::string& s, std::size_t max);
// Characters (UTF-8 code points) of s.
std::size_t utf8_length(std::string_view s) noexcept;

}  // namespace journeygraph::detail
