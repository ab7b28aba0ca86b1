// Proleptic Gregorian calendar arithmetic on day counts since 1970-01-01 (UTC): the one conversion used by the
// time parser and formatter, funnel trends and the report's period switch. H. Hinnant's era-based algorithms.
#pragma once

#include <cstdint>

namespace journeygraph::detail {

/// a / b rounded toward minus infinity (b > 0).
inline std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

/// Days since 1970-01-01 of year y, month m (1-12), day d (1-31).
inline std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = floor_div(y, 400);
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

/// The inverse: year, month (1-12) and day (1-31) of a day count.
inline void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = floor_div(z, 146097);
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0);
}

/// Whether year y has a 29 February.
inline bool leap_year(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/// Days in month m (1-12) of year y.
inline unsigned days_in_month(std::int64_t y, unsigned m) {
  static constexpr unsigned len[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return len[m - 1] + (m == 2 && leap_year(y) ? 1 : 0);
}

/// Day of the week of a day count, Monday = 0 (1970-01-01 was a Thursday).
inline std::int64_t weekday(std::int64_t days) { return days + 3 - floor_div(days + 3, 7) * 7; }

}  // namespace journeygraph::detail
