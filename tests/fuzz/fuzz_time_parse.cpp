// libFuzzer target: the time parser (TimeParser) with and without a pattern, and convert_time_column. The
// input's first line is a pattern, the rest the values (one per line). Besides "only journeygraph errors":
// - an accepted date-time (not an epoch number) written back by format_time reads back to the same instant;
// - the same text read into milliseconds and microseconds agrees (microseconds floored to milliseconds);
// - a pattern the parser suggests for a refused value has the value's shape: reading the value with it fails
//   at most on a range (a day 31 in February), never with "does not match";
// - a column converts exactly as its values one by one, or fails.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "journeygraph/io.hpp"

namespace {

using namespace journeygraph;

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

// Reads value under pattern (may be empty); checks the invariants of an accepted or refused value.
void check_value(const std::string& pattern, std::string_view value) {
  TimeFormat ms_format, us_format;
  ms_format.pattern = us_format.pattern = pattern;
  us_format.integer_unit = TimeUnit::microseconds;
  std::optional<TimeParser> ms, us;
  try {
    ms.emplace(ms_format);
    us.emplace(us_format);
  } catch (const InvalidArgument&) {
    return;  // a pattern the parser refuses
  }
  bool epoch = false;
  std::int64_t t_ms = 0;
  try {
    t_ms = ms->parse(value, &epoch);
  } catch (const InvalidArgument& e) {
    // A suggested pattern must have the value's shape.
    const std::string what = e.what();
    const std::string marker = "give the time format (--time-format, time_format=)";
    // Look for the marker after the quoted value only: the value itself may contain the marker's text. A
    // message that shows the value escaped (control bytes, invalid UTF-8) is not checked here.
    const std::string quoted = "invalid timestamp \"" + std::string(value) + "\"";
    const std::size_t at = what.compare(0, quoted.size(), quoted) == 0 ? what.find(marker, quoted.size()) : std::string::npos;
    if (pattern.empty() && at != std::string::npos && what.find("e.g.", at) == std::string::npos) {
      // Every quoted text after the marker is a suggested pattern.
      for (std::size_t q = what.find('"', at); q != std::string::npos;) {
        const std::size_t end = what.find('"', q + 1);
        JG_FUZZ_REQUIRE(end != std::string::npos, what);
        TimeFormat f;
        f.pattern = what.substr(q + 1, end - q - 1);
        try {
          TimeParser(f).parse(value);
        } catch (const InvalidArgument& again) {
          JG_FUZZ_REQUIRE(std::string(again.what()).find("does not match") == std::string::npos, what + " / " + again.what());
        }
        q = what.find('"', end + 1);
      }
    }
    return;
  }
  JG_FUZZ_REQUIRE(!pattern.empty() || epoch || value.find('-') != std::string_view::npos, std::string(value));
  if (!epoch) {
    // The instant written as ISO-8601 reads back to itself, and microseconds floor to the milliseconds.
    const std::string iso = format_time(t_ms, TimeUnit::milliseconds);
    if (iso[0] != '+' && iso[0] != '-')
      JG_FUZZ_REQUIRE(parse_timestamp(iso, TimeUnit::seconds, TimeUnit::milliseconds) == t_ms, iso);
    try {
      const std::int64_t t_us = us->parse(value);
      JG_FUZZ_REQUIRE(floor_div(t_us, 1000) == t_ms, std::string(value));
    } catch (const InvalidArgument& e) {
      // Only the wider range of milliseconds may hold what microseconds cannot.
      JG_FUZZ_REQUIRE(std::string(e.what()).find("representable range") != std::string::npos, e.what());
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::size_t nl = text.find('\n');
  const std::string pattern(text.substr(0, nl == std::string_view::npos ? 0 : nl));
  const std::string_view rest = nl == std::string_view::npos ? text : text.substr(nl + 1);
  std::vector<std::string_view> values;
  for (std::size_t start = 0; start <= rest.size();) {
    const std::size_t end = std::min(rest.find('\n', start), rest.size());
    values.push_back(rest.substr(start, end - start));
    start = end + 1;
    if (values.size() >= 64) break;
  }
  try {
    check_value("", text);
    for (std::string_view v : values) {
      check_value("", v);
      check_value(pattern, v);
    }
    // A column: the same times as one by one, or an error.
    for (const std::string& p : {std::string(), pattern}) {
      TimeFormat f;
      f.pattern = p;
      f.integer_unit = TimeUnit::milliseconds;
      try {
        const ConvertedTimes c = convert_time_column(Span<const std::string_view>(values.data(), values.size()), f, "t");
        const TimeParser one(f);
        JG_FUZZ_REQUIRE(c.times.size() == values.size(), "column size");
        for (std::size_t i = 0; i < values.size(); ++i) JG_FUZZ_REQUIRE(c.times[i] == one.parse(values[i]), std::string(values[i]));
      } catch (const InvalidArgument&) {
      }
    }
  } catch (const journeygraph::Error&) {
    jgfuzz::violated("an error other than InvalidArgument escaped");
  }
  return 0;
}
