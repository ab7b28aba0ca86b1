#pragma once
// Internal: the plausibility check of epoch numbers read in the default unit (seconds). Epoch milliseconds,
// microseconds or nanoseconds read as seconds land centuries ahead; numbers that are not epochs at all
// (relative times, counters) all land in 1970. Both would be read without a word, and every duration option
// (lookback, gap, half-life) would then be off by a factor of 1000 or more, so the read stops instead.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "journeygraph/io.hpp"

namespace journeygraph::detail {

class EpochRange {
 public:
  explicit EpochRange(const TimeParser& parser) : active_(parser.checks_epoch_range()), unit_(parser.unit()) {}
  bool active() const noexcept { return active_; }
  // One epoch number (ticks of the parser's unit, and its text) at a location (line and column, or row and
  // 0). A message when it lies after 2200; otherwise remembered if it is the largest so far.
  std::optional<std::string> add(std::int64_t ticks, std::string_view text, std::uint64_t line, std::uint64_t column) {
    // At most the largest so far, which passed: nothing to check or remember (the usual case, inline).
    if (!active_ || (any_ && ticks <= largest_)) return std::nullopt;
    return add_larger(ticks, text, line, column);
  }
  // After the last value: a message when every epoch number lay before 1971 (largest_line/column locate the
  // largest of them).
  std::optional<std::string> finish() const;
  // Takes in the values of a later part of the same column (seen after every value of this one).
  void merge(const EpochRange& later) {
    if (later.any_ && (!any_ || later.largest_ > largest_)) {
      any_ = true;
      largest_ = later.largest_;
      text_ = later.text_;
      line_ = later.line_;
      column_ = later.column_;
    }
  }
  std::uint64_t largest_line() const noexcept { return line_; }
  std::uint64_t largest_column() const noexcept { return column_; }
  const std::string& largest_text() const noexcept { return text_; }

 private:
  std::optional<std::string> add_larger(std::int64_t ticks, std::string_view text, std::uint64_t line,
                                        std::uint64_t column);
  bool active_;
  TimeUnit unit_;
  bool any_ = false;
  std::int64_t largest_ = 0;
  std::string text_;
  std::uint64_t line_ = 0, column_ = 0;
};

// Ticks of `from` as ticks of `to` (floored); throws InvalidArgument naming text when out of range.
std::int64_t convert_ticks(std::int64_t ticks, TimeUnit from, TimeUnit to, std::string_view text);

}  // namespace journeygraph::detail
