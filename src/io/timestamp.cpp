// Timestamps (epoch integers, decimals, ISO-8601) and durations.

#include <cctype>
#include <cmath>
#include <limits>

#include "common/text.hpp"
#include "journeygraph/error.hpp"
#include "journeygraph/io.hpp"

namespace journeygraph {
namespace {

std::int64_t ticks_per_second(TimeUnit u) {
  switch (u) {
    case TimeUnit::seconds: return 1;
    case TimeUnit::milliseconds: return 1000;
    case TimeUnit::microseconds: return 1000000;
    case TimeUnit::nanoseconds: return 1000000000;
  }
  return 1;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool leap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

[[noreturn]] void bad(std::string_view text, const std::string& why) {
  throw InvalidArgument("invalid timestamp " + detail::show(text) + ": " + why);
}

// Reads exactly n digits at s[i..]; advances i.
unsigned digits(std::string_view s, std::size_t& i, std::size_t n, std::string_view whole, const char* what) {
  unsigned v = 0;
  for (std::size_t k = 0; k < n; ++k, ++i) {
    if (i >= s.size() || !std::isdigit(static_cast<unsigned char>(s[i])))
      bad(whole, std::string("expected ") + std::to_string(n) + " digits for the " + what);
    v = v * 10 + unsigned(s[i] - '0');
  }
  return v;
}

std::int64_t checked_mul(std::int64_t a, std::int64_t b, std::string_view text) {
  std::int64_t r;
  if (__builtin_mul_overflow(a, b, &r)) bad(text, "out of the representable range");
  return r;
}

std::int64_t checked_add(std::int64_t a, std::int64_t b, std::string_view text) {
  std::int64_t r;
  if (__builtin_add_overflow(a, b, &r)) bad(text, "out of the representable range");
  return r;
}

std::int64_t parse_iso(std::string_view s, TimeUnit stored) {
  std::size_t i = 0;
  auto date_like = [](std::string_view t) {
    bool ok = t.size() >= 5 && t[4] == '-';
    for (std::size_t k = 0; k < 4 && ok; ++k) ok = std::isdigit(static_cast<unsigned char>(t[k])) != 0;
    return ok;
  };
  if (!s.empty() && (s[0] == '-' || s[0] == '+') && date_like(s.substr(1))) bad(s, "signed years are not supported");
  if (!date_like(s))
    bad(s, "expected an epoch number or an ISO-8601 date and time (YYYY-MM-DD, YYYY-MM-DDTHH:MM:SS.fff+HH:MM)");
  std::int64_t year = digits(s, i, 4, s, "year");
  if (i >= s.size() || s[i] != '-') bad(s, "expected '-' after the year (YYYY-MM-DD)");
  ++i;
  unsigned month = digits(s, i, 2, s, "month");
  if (i >= s.size() || s[i] != '-') bad(s, "expected '-' after the month (YYYY-MM-DD)");
  ++i;
  unsigned day = digits(s, i, 2, s, "day");
  static const unsigned mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) bad(s, "month " + std::to_string(month) + " is not in 1..12");
  unsigned dim = mdays[month - 1] + (month == 2 && leap(year) ? 1 : 0);
  if (day < 1 || day > dim) bad(s, "day " + std::to_string(day) + " is not in 1.." + std::to_string(dim));
  unsigned hour = 0, minute = 0, second = 0;
  std::int64_t frac_ticks = 0;
  const std::int64_t tps = ticks_per_second(stored);
  std::int64_t offset_minutes = 0;
  if (i < s.size()) {
    if (s[i] != 'T' && s[i] != 't' && s[i] != ' ') bad(s, "expected 'T' or ' ' between date and time");
    ++i;
    hour = digits(s, i, 2, s, "hour");
    if (i >= s.size() || s[i] != ':') bad(s, "expected ':' after the hour");
    ++i;
    minute = digits(s, i, 2, s, "minute");
    if (i < s.size() && s[i] == ':') {
      ++i;
      second = digits(s, i, 2, s, "second");
      if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
        ++i;
        std::size_t start = i;
        std::int64_t scale = tps;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
          scale /= 10;  // digits finer than the stored unit are truncated
          frac_ticks += (s[i] - '0') * scale;
          ++i;
        }
        if (i == start) bad(s, "expected digits after the decimal point");
      }
    }
    if (hour > 23) bad(s, "hour " + std::to_string(hour) + " is not in 0..23");
    if (minute > 59) bad(s, "minute " + std::to_string(minute) + " is not in 0..59");
    if (second > 59) bad(s, "second " + std::to_string(second) + " is not in 0..59");
    if (i < s.size()) {
      char z = s[i];
      if (z == 'Z' || z == 'z') {
        ++i;
      } else if (z == '+' || z == '-') {
        ++i;
        unsigned oh = digits(s, i, 2, s, "offset hours"), om = 0;
        if (i < s.size() && s[i] == ':') ++i;
        if (i < s.size()) om = digits(s, i, 2, s, "offset minutes");
        if (oh > 23 || om > 59) bad(s, "time zone offset out of range");
        offset_minutes = (z == '+' ? 1 : -1) * std::int64_t(oh * 60 + om);
      } else {
        bad(s, "unexpected text after the time");
      }
    }
  }
  if (i != s.size()) bad(s, "unexpected text at the end");
  std::int64_t secs = days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
  return checked_add(checked_mul(secs, tps, s), frac_ticks, s);
}

}  // namespace

std::int64_t parse_timestamp(std::string_view text, TimeUnit integer_unit, TimeUnit stored_unit) {
  std::string_view s = detail::trim(text);
  if (s.empty()) bad(text, "empty");
  const std::int64_t tin = ticks_per_second(integer_unit), tout = ticks_per_second(stored_unit);
  bool numeric = true, has_dot = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (std::isdigit(static_cast<unsigned char>(c))) continue;
    if ((c == '-' || c == '+') && i == 0) continue;
    if (c == '.' && !has_dot) {
      has_dot = true;
      continue;
    }
    numeric = false;
    break;
  }
  if (numeric && s != "-" && s != "+" && s != ".") {
    if (!has_dot) {
      auto v = detail::parse_int64(s);
      if (!v) bad(text, "integer out of the 64-bit range");
      if (tout >= tin) return checked_mul(*v, tout / tin, text);
      // Stored unit coarser than the input: floor division.
      std::int64_t q = *v / (tin / tout), r = *v % (tin / tout);
      return (r < 0) ? q - 1 : q;
    }
    auto v = detail::parse_double(s);
    if (!v) bad(text, "not a number");
    double ticks = std::floor(*v * double(tout) / double(tin));
    if (!(ticks >= -9.2e18 && ticks <= 9.2e18)) bad(text, "out of the representable range");
    return static_cast<std::int64_t>(ticks);
  }
  return parse_iso(s, stored_unit);
}

double parse_duration(std::string_view text) {
  std::string_view s = detail::trim(text);
  std::size_t i = s.size();
  while (i > 0 && std::isalpha(static_cast<unsigned char>(s[i - 1]))) --i;
  std::string_view num = s.substr(0, i), unit = s.substr(i);
  auto v = detail::parse_double(num);
  if (!v) throw InvalidArgument("invalid duration " + detail::show(text) + ": expected a number with an optional unit (s, m, h, d, w)");
  double scale;
  if (unit.empty() || unit == "s" || unit == "sec") scale = 1;
  else if (unit == "ms") scale = 1e-3;
  else if (unit == "m" || unit == "min") scale = 60;
  else if (unit == "h") scale = 3600;
  else if (unit == "d") scale = 86400;
  else if (unit == "w") scale = 7 * 86400;
  else throw InvalidArgument("invalid duration " + detail::show(text) + ": unknown unit " + detail::show(unit) + " (use s, m, h, d or w)");
  if (*v < 0) throw InvalidArgument("invalid duration " + detail::show(text) + ": negative");
  return *v * scale;
}

}  // namespace journeygraph
