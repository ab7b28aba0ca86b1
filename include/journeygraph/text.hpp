#pragma once
/// \file text.hpp
/// Text rules shared by every face: the strict number syntax of the readers, comma-separated lists,
/// values quoted for error messages, "did you mean" suggestions, and numbers in shortest round-trip form.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace journeygraph {

/// The whole of text (spaces and tabs around it allowed, a leading '+' too) as a finite decimal number, as
/// the CSV readers read numbers; nullopt for anything else ("nan", "inf", "1e999", "12abc", ""). Complexity:
/// O(length).
std::optional<double> parse_number(std::string_view text) noexcept;
/// The whole of text as a 64-bit integer (same rules); nullopt otherwise. Complexity: O(length).
std::optional<std::int64_t> parse_integer(std::string_view text) noexcept;
/// text without the spaces and tabs around it. Complexity: O(length).
std::string_view trim_blanks(std::string_view text) noexcept;
/// The items of a separated list such as "a, b,,c", trimmed of spaces and tabs, empty items dropped.
/// Complexity: O(length).
std::vector<std::string> split_list(std::string_view text, char separator = ',');
/// text quoted for an error message: in double quotes, control bytes escaped, cut to max bytes.
/// Complexity: O(min(length, max)).
std::string quoted(std::string_view text, std::size_t max = 60);
/// The name of known closest to name (case-insensitive edit distance at most max_distance, the first on a
/// tie), or "" when none is that close: the "did you mean" of error messages. Complexity: O(known x
/// length^2) for names up to 64 bytes.
std::string closest_name(std::string_view name, const std::vector<std::string>& known, std::size_t max_distance = 2);
/// x in shortest round-trip decimal form ("0.1", "1e+300"); "nan", "inf", "-inf" when not finite.
/// Complexity: O(1).
std::string format_number(double x);

}  // namespace journeygraph
