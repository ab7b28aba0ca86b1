// Time text: epoch numbers, ISO-8601, strftime-style patterns; the epoch range check; time columns; instants
// typed by users; durations. One parser for every reader and face, and it never guesses: a form it cannot
// read unambiguously is refused with the pattern that would read it.

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <vector>

#include "common/calendar.hpp"
#include "common/text.hpp"
#include "io/epoch_range.hpp"
#include "journeygraph/error.hpp"
#include "journeygraph/io.hpp"

namespace journeygraph {
namespace {

using detail::civil_from_days;
using detail::days_from_civil;

using detail::days_in_month;

// 2200-01-01 and 1971-01-01 in epoch seconds: the plausible range of epoch numbers in the default unit.
constexpr std::int64_t kYear2200 = 7258118400;
constexpr std::int64_t kYear1971 = 31536000;

const char* const kIsoForms = "YYYY-MM-DD, YYYY-MM-DDTHH:MM:SS.fff+HH:MM";
const char* const kFormatOption = "the time format (--time-format, time_format=)";

[[noreturn]] void bad(std::string_view text, const std::string& why) {
  throw InvalidArgument("invalid timestamp " + detail::show(text) + ": " + why);
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

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Reads exactly n digits at s[i..]; advances i.
unsigned digits(std::string_view s, std::size_t& i, std::size_t n, std::string_view whole, const char* what) {
  unsigned v = 0;
  for (std::size_t k = 0; k < n; ++k, ++i) {
    if (i >= s.size() || !is_digit(s[i])) bad(whole, std::string("expected ") + std::to_string(n) + " digits for the " + what);
    v = v * 10 + unsigned(s[i] - '0');
  }
  return v;
}

// Whole seconds and sub-second ticks as ticks of unit, checked.
std::int64_t to_ticks(std::int64_t secs, std::int64_t frac_ticks, TimeUnit unit, std::string_view text) {
  return checked_add(checked_mul(secs, ticks_per_second(unit), text), frac_ticks, text);
}

// "03/04/2026 14:00" and friends: the pattern that reads this shape, or nothing. Sets `ambiguous` when the
// day and month could be either way round, and then `other` to the month-first pattern.
struct Suggestion {
  std::string pattern, other;
  bool ambiguous = false;
};

std::optional<Suggestion> suggest_pattern(std::string_view s) {
  struct Tok {
    char kind;  // 'd' digits, 'a' letters, 'c' one other character
    std::string_view text;
  };
  std::vector<Tok> t;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t j = i + 1;
    const char k = is_digit(s[i]) ? 'd' : is_alpha(s[i]) ? 'a' : 'c';
    if (k != 'c')
      while (j < s.size() && (k == 'd' ? is_digit(s[j]) : is_alpha(s[j]))) ++j;
    t.push_back({k, s.substr(i, j - i)});
    i = j;
  }
  auto month_name = [](std::string_view w) {
    static const char* names[] = {"january", "february", "march", "april", "may", "june", "july",
                                  "august", "september", "october", "november", "december"};
    for (const char* n : names) {
      std::string_view full(n);
      if (detail::iequals(w, full) || (w.size() == 3 && detail::iequals(w, full.substr(0, 3)))) return w.size() > 3 ? 2 : 1;
    }
    return detail::iequals(w, "sept") ? 1 : 0;
  };
  auto num = [](std::string_view d) { return std::atoi(std::string(d).c_str()); };
  Suggestion out;
  std::size_t k = 0;
  auto is = [&](std::size_t i, char kind, std::size_t min_len, std::size_t max_len) {
    return i < t.size() && t[i].kind == kind && t[i].text.size() >= min_len && t[i].text.size() <= max_len;
  };
  auto sep_at = [&](std::size_t i) { return i < t.size() && t[i].kind == 'c' && std::string_view("/.-").find(t[i].text[0]) != std::string_view::npos; };
  // The date.
  if (is(0, 'd', 1, 2) && sep_at(1) && is(2, 'd', 1, 2) && sep_at(3) && t[3].text == t[1].text && (is(4, 'd', 4, 4) || is(4, 'd', 2, 2))) {
    const std::string sep(t[1].text);
    const std::string year = t[4].text.size() == 4 ? "%Y" : "%y";
    const int a = num(t[0].text), b = num(t[2].text);
    const std::string day_first = "%d" + sep + "%m" + sep + year, month_first = "%m" + sep + "%d" + sep + year;
    if (a > 12 && b > 12) return std::nullopt;  // neither order gives a month
    if (a > 12 && b <= 12) out.pattern = day_first;
    else if (b > 12 && a <= 12) out.pattern = month_first;
    else {
      out.pattern = day_first;
      out.other = month_first;
      out.ambiguous = true;
    }
    k = 5;
  } else if (is(0, 'd', 4, 4) && sep_at(1) && is(2, 'd', 1, 2) && sep_at(3) && t[3].text == t[1].text && is(4, 'd', 1, 2)) {
    const std::string sep(t[1].text);
    out.pattern = "%Y" + sep + "%m" + sep + "%d";
    k = 5;
  } else if (is(0, 'd', 1, 2) && is(1, 'c', 1, 1) && t[1].text == " " && is(2, 'a', 3, 9) && month_name(t[2].text) &&
             is(3, 'c', 1, 1) && t[3].text == " " && is(4, 'd', 4, 4)) {
    out.pattern = "%d %b %Y";
    k = 5;
  } else if (is(0, 'a', 3, 9) && month_name(t[0].text) && is(1, 'c', 1, 1) && t[1].text == " " && is(2, 'd', 1, 2)) {
    std::size_t i = 3;
    out.pattern = "%b %d";
    if (is(i, 'c', 1, 1) && t[i].text == ",") {
      out.pattern += ",";
      ++i;
    }
    if (!(is(i, 'c', 1, 1) && t[i].text == " " && is(i + 1, 'd', 4, 4))) return std::nullopt;
    out.pattern += " %Y";
    k = i + 2;
  } else {
    return std::nullopt;
  }
  if (k == t.size()) return out;
  // The time: a space or T, H:MM[:SS[.fff]], AM/PM, a zone.
  std::string time;
  if (t[k].text == " " || t[k].text == "T") {
    time = std::string(t[k].text);
    ++k;
    // Further spaces are part of the shape: the pattern spells them out.
    for (; k < t.size() && t[k].text == " "; ++k) time += ' ';
  } else {
    return std::nullopt;
  }
  if (!(is(k, 'd', 1, 2) && is(k + 1, 'c', 1, 1) && t[k + 1].text == ":" && is(k + 2, 'd', 2, 2))) return std::nullopt;
  std::string clock = "%H:%M";
  k += 3;
  if (is(k, 'c', 1, 1) && t[k].text == ":" && is(k + 1, 'd', 2, 2)) {
    clock += ":%S";
    k += 2;
    if (is(k, 'c', 1, 1) && (t[k].text == "." || t[k].text == ",") && is(k + 1, 'd', 1, 30)) {
      clock += std::string(t[k].text) + "%f";
      k += 2;
    }
  }
  std::size_t j = k;
  while (j < t.size() && t[j].text == " ") ++j;
  if (j < t.size() && t[j].kind == 'a' && (detail::iequals(t[j].text, "am") || detail::iequals(t[j].text, "pm"))) {
    clock[1] = 'I';
    clock += (j > k ? " " : "") + std::string("%p");
    k = j + 1;
    j = k;
    while (j < t.size() && t[j].text == " ") ++j;
  }
  if (j < t.size() && ((t[j].kind == 'a' && (t[j].text == "Z" || t[j].text == "z")) ||
                       (t[j].kind == 'c' && (t[j].text == "+" || t[j].text == "-") &&
                        (is(j + 1, 'd', 2, 2) || is(j + 1, 'd', 4, 4))))) {
    // %z reads +HH, +HHMM or +HH:MM: suggest it only for those shapes (not +HHH, not +HHMM:MM).
    clock += (j > k ? " " : "") + std::string("%z");
    const bool two_digits = t[j].kind == 'c' && t[j + 1].text.size() == 2;
    k = j + (t[j].kind == 'a' ? 1 : 2);
    if (two_digits && k + 1 < t.size() && t[k].text == ":" && is(k + 1, 'd', 2, 2)) k += 2;
  }
  if (k != t.size()) return std::nullopt;
  out.pattern += time + clock;
  if (out.ambiguous) out.other += time + clock;
  return out;
}

// Why text that is neither an epoch number nor ISO-8601 is refused, and what reads it.
[[noreturn]] void not_iso(std::string_view s) {
  const std::string value = detail::show(s);
  if (auto sg = suggest_pattern(s)) {
    if (sg->ambiguous)
      throw InvalidArgument("invalid timestamp " + value + ": the day and the month cannot be told apart; give " +
                            kFormatOption + ": \"" + sg->pattern + "\" if the day comes first, \"" + sg->other +
                            "\" if the month does");
    throw InvalidArgument("invalid timestamp " + value + ": not an epoch number or ISO-8601 (" + kIsoForms +
                          "); give " + kFormatOption + " \"" + sg->pattern + "\"");
  }
  throw InvalidArgument("invalid timestamp " + value + ": expected an epoch number or an ISO-8601 date and time (" +
                        kIsoForms + "); for another form give " + kFormatOption + ", e.g. \"%d/%m/%Y %H:%M\"");
}

std::int64_t parse_iso(std::string_view s, TimeUnit stored) {
  std::size_t i = 0;
  auto date_like = [](std::string_view t) {
    bool ok = t.size() >= 5 && t[4] == '-';
    for (std::size_t k = 0; k < 4 && ok; ++k) ok = is_digit(t[k]);
    return ok;
  };
  if (!s.empty() && (s[0] == '-' || s[0] == '+') && date_like(s.substr(1))) bad(s, "signed years are not supported");
  if (!date_like(s)) not_iso(s);
  std::int64_t year = digits(s, i, 4, s, "year");
  if (i >= s.size() || s[i] != '-') bad(s, "expected '-' after the year (YYYY-MM-DD)");
  ++i;
  unsigned month = digits(s, i, 2, s, "month");
  if (i >= s.size() || s[i] != '-') bad(s, "expected '-' after the month (YYYY-MM-DD)");
  ++i;
  unsigned day = digits(s, i, 2, s, "day");
  if (month < 1 || month > 12) bad(s, "month " + std::to_string(month) + " is not in 1..12");
  const unsigned dim = days_in_month(year, month);
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
        while (i < s.size() && is_digit(s[i])) {
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
  return to_ticks(secs, frac_ticks, stored, s);
}

// The common ISO-8601 form "YYYY-MM-DDTHH:MM:SS" (T, t or a space between date and time), with or without a
// final Z or z, in ticks of `stored` (ticks_per_stored of them a second): parse_iso's value for it, read without
// its steps. False for any other form and for a field out of range (parse_iso then gives the value or the message).
bool parse_iso_plain(std::string_view s, std::int64_t ticks_per_stored, std::int64_t& out) {
  const std::size_t n = s.size();
  if (n != 19 && !(n == 20 && (s[19] == 'Z' || s[19] == 'z'))) return false;
  if (s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || s[13] != ':' || s[16] != ':')
    return false;
  auto two = [&](std::size_t i, unsigned& v) {
    const unsigned a = static_cast<unsigned char>(s[i]) - unsigned('0'), b = static_cast<unsigned char>(s[i + 1]) - unsigned('0');
    v = a * 10 + b;
    return a <= 9 && b <= 9;
  };
  unsigned y1, y2, month, day, hour, minute, second;
  if (!two(0, y1) || !two(2, y2) || !two(5, month) || !two(8, day) || !two(11, hour) || !two(14, minute) ||
      !two(17, second))
    return false;
  const std::int64_t year = std::int64_t(y1) * 100 + y2;
  if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month) || hour > 23 || minute > 59 || second > 59)
    return false;
  const std::int64_t secs = days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
  return !__builtin_mul_overflow(secs, ticks_per_stored, &out);
}

// An epoch number: optional sign, digits, at most one '.', at least one digit.
bool epoch_like(std::string_view s, bool& has_dot) {
  has_dot = false;
  bool digit = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (is_digit(c)) {
      digit = true;
      continue;
    }
    if ((c == '-' || c == '+') && i == 0) continue;
    if (c == '.' && !has_dot) {
      has_dot = true;
      continue;
    }
    return false;
  }
  return digit;
}

std::int64_t parse_epoch(std::string_view s, bool has_dot, TimeUnit in, TimeUnit out, std::string_view text) {
  const std::int64_t tin = ticks_per_second(in), tout = ticks_per_second(out);
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

// ------------------------------------------------------------------------------------------------ patterns

enum StepKind : int {
  kLiteral = 0, kSpace, kYear4, kYear2, kMonth, kMonthName, kDay, kYday, kHour, kHour12, kAmPm, kMinute, kSecond,
  kFraction, kZone,
};

const char* const kDirectives = "%Y %y %m %b %B %d %j %H %I %p %M %S %f %z %T %%";

}  // namespace

TimeUnit stored_time_unit(const TimeFormat& format) noexcept {
  const TimeUnit u = format.integer_unit.value_or(TimeUnit::seconds);
  return (u == TimeUnit::seconds || u == TimeUnit::milliseconds) ? TimeUnit::milliseconds : u;
}

TimeParser::TimeParser(const TimeFormat& format)
    : pattern_(format.pattern),
      unit_(stored_time_unit(format)),
      epoch_unit_(format.integer_unit.value_or(TimeUnit::seconds)),
      check_range_(!format.integer_unit && format.pattern.empty()) {
  const std::int64_t tin = ticks_per_second(epoch_unit_), tout = ticks_per_second(unit_);
  if (tout >= tin) epoch_mul_ = tout / tin;
  else epoch_div_ = tin / tout;
  const std::string& p = pattern_;
  auto fail = [&](const std::string& why) {
    throw InvalidArgument("time format " + detail::show(p) + ": " + why);
  };
  // Which field each directive sets, to refuse a field given twice.
  enum Field { fYear, fMonth, fDay, fYday, fHour, fAmPm, fMinute, fSecond, fFraction, fZone, fCount };
  int seen[fCount] = {};
  auto push = [&](int kind, Field f, const char* directive) {
    if (seen[f]++) fail(std::string("the field of ") + directive + " is given twice");
    steps_.push_back({kind, {}});
  };
  for (std::size_t i = 0; i < p.size(); ++i) {
    const char c = p[i];
    if (c == ' ' || c == '\t') {
      if (steps_.empty() || steps_.back().kind != kSpace) steps_.push_back({kSpace, {}});
      continue;
    }
    if (c != '%') {
      if (steps_.empty() || steps_.back().kind != kLiteral) steps_.push_back({kLiteral, {}});
      steps_.back().text += c;
      continue;
    }
    if (i + 1 == p.size()) fail("it ends with a lone '%' (write %% for a percent sign)");
    const char d = p[++i];
    switch (d) {
      case 'Y': push(kYear4, fYear, "%Y"); break;
      case 'y': push(kYear2, fYear, "%y"); break;
      case 'm': push(kMonth, fMonth, "%m"); break;
      case 'b': case 'B': case 'h': push(kMonthName, fMonth, "%b"); break;
      case 'd': case 'e': push(kDay, fDay, "%d"); break;
      case 'j': push(kYday, fYday, "%j"); break;
      case 'H': push(kHour, fHour, "%H"); break;
      case 'I': push(kHour12, fHour, "%I"); break;
      case 'p': push(kAmPm, fAmPm, "%p"); break;
      case 'M': push(kMinute, fMinute, "%M"); break;
      case 'S': push(kSecond, fSecond, "%S"); break;
      case 'f': push(kFraction, fFraction, "%f"); break;
      case 'z': push(kZone, fZone, "%z"); break;
      case 'T':
        push(kHour, fHour, "%H");
        steps_.push_back({kLiteral, ":"});
        push(kMinute, fMinute, "%M");
        steps_.push_back({kLiteral, ":"});
        push(kSecond, fSecond, "%S");
        break;
      case '%':
        if (steps_.empty() || steps_.back().kind != kLiteral) steps_.push_back({kLiteral, {}});
        steps_.back().text += '%';
        break;
      default:
        fail("unknown directive %" + std::string(1, d) + " at byte " + std::to_string(i) + " (known: " + kDirectives + ")");
    }
  }
  if (p.empty()) return;
  if (!seen[fYear]) fail("it has no year (%Y or %y)");
  if (seen[fYday] && (seen[fMonth] || seen[fDay])) fail("%j (day of the year) cannot be combined with a month or a day");
  if (!seen[fYday] && !(seen[fMonth] && seen[fDay])) fail("it needs a month and a day (%m or %b, and %d) or a day of the year (%j)");
  bool hour12 = false;
  for (const auto& s : steps_) hour12 = hour12 || s.kind == kHour12;
  if (hour12 != (seen[fAmPm] > 0)) fail("%I (hour 1-12) and %p (AM/PM) go together");
  if (seen[fFraction] && !seen[fSecond]) fail("%f (fraction of a second) needs %S");
  if ((seen[fMinute] || seen[fSecond]) && !seen[fHour]) fail("minutes or seconds without an hour (%H or %I)");
}

std::int64_t TimeParser::parse(std::string_view text, bool* is_epoch) const {
  // The usual forms first: an epoch number of up to 18 plain digits (below 10^18, no overflow), no blanks, no
  // sign; then the common ISO-8601 form (parse_iso_plain). The general path, parse_text, gives the same value
  // for both (trim, epoch_like, parse_int64 and parse_epoch; parse_iso) at several times the cost, which
  // counts at a few hundred million rows.
  if (pattern_.empty()) {
    const std::int64_t v = detail::plain_digits(text.data(), text.size());
    if (v >= 0) {
      if (is_epoch) *is_epoch = true;
      if (epoch_div_ == 1) return checked_mul(v, epoch_mul_, text);
      return v / epoch_div_;  // v >= 0: floor division is the quotient
    }
    std::int64_t t;
    if (parse_iso_plain(text, ticks_per_second(unit_), t)) {
      if (is_epoch) *is_epoch = false;
      return t;
    }
  }
  return parse_text(text, is_epoch);
}

// Out of line, so that the plain-digit case above does not pay for this part's stack frame.
__attribute__((noinline)) std::int64_t TimeParser::parse_text(std::string_view text, bool* is_epoch) const {
  std::string_view s = detail::trim(text);
  if (is_epoch) *is_epoch = false;
  if (s.empty()) bad(text, "empty");
  if (pattern_.empty()) {
    bool has_dot;
    if (epoch_like(s, has_dot)) {
      if (is_epoch) *is_epoch = true;
      return parse_epoch(s, has_dot, epoch_unit_, unit_, text);
    }
    return parse_iso(s, unit_);
  }
  // Pattern matching.
  auto mismatch = [&](std::size_t at, const std::string& why) -> InvalidArgument {
    return InvalidArgument("invalid timestamp " + detail::show(text) + ": it does not match the time format " +
                           detail::show(pattern_) + ": " + why + " at byte " + std::to_string(at + 1));
  };
  std::int64_t year = 0;
  unsigned month = 1, day = 1, yday = 0, hour = 0, minute = 0, second = 0;
  int pm = -1;
  std::int64_t frac = 0, offset_minutes = 0;
  bool have_yday = false;
  const std::int64_t tps = ticks_per_second(unit_);
  std::size_t i = 0;
  auto number = [&](std::size_t min_digits, std::size_t max_digits, const char* what) {
    std::size_t n = 0;
    unsigned v = 0;
    while (n < max_digits && i < s.size() && is_digit(s[i])) {
      v = v * 10 + unsigned(s[i] - '0');
      ++i;
      ++n;
    }
    if (n < min_digits)
      throw mismatch(i, std::string("expected ") + (min_digits == max_digits ? std::to_string(min_digits)
                                                                             : std::to_string(min_digits) + " to " + std::to_string(max_digits)) +
                            " digits for the " + what);
    return v;
  };
  for (const Step& st : steps_) {
    switch (st.kind) {
      case kLiteral:
        if (s.substr(i, st.text.size()) != st.text) throw mismatch(i, "expected " + detail::show(st.text));
        i += st.text.size();
        break;
      case kSpace:
        if (i >= s.size() || (s[i] != ' ' && s[i] != '\t')) throw mismatch(i, "expected a space");
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
        break;
      case kYear4: year = number(4, 4, "year (%Y)"); break;
      case kYear2: {
        const unsigned y = number(2, 2, "year (%y)");
        year = y >= 69 ? 1900 + y : 2000 + y;
        break;
      }
      case kMonth: month = number(1, 2, "month (%m)"); break;
      case kMonthName: {
        static const char* names[] = {"january", "february", "march", "april", "may", "june", "july",
                                      "august", "september", "october", "november", "december"};
        std::size_t j = i;
        while (j < s.size() && is_alpha(s[j])) ++j;
        const std::string_view w = s.substr(i, j - i);
        unsigned found = 0;
        for (unsigned m = 0; m < 12 && !found; ++m) {
          const std::string_view full(names[m]);
          if (detail::iequals(w, full) || (w.size() == 3 && detail::iequals(w, full.substr(0, 3)))) found = m + 1;
        }
        if (!found && detail::iequals(w, "sept")) found = 9;
        if (!found) throw mismatch(i, "expected an English month name (%b)");
        month = found;
        i = j;
        break;
      }
      case kDay: day = number(1, 2, "day (%d)"); break;
      case kYday:
        yday = number(1, 3, "day of the year (%j)");
        have_yday = true;
        break;
      case kHour: hour = number(1, 2, "hour (%H)"); break;
      case kHour12: hour = number(1, 2, "hour (%I)"); break;
      case kMinute: minute = number(1, 2, "minute (%M)"); break;
      case kSecond: second = number(1, 2, "second (%S)"); break;
      case kFraction: {
        const std::size_t start = i;
        std::int64_t scale = tps;
        while (i < s.size() && is_digit(s[i])) {
          scale /= 10;  // digits finer than the stored unit are truncated
          frac += (s[i] - '0') * scale;
          ++i;
        }
        if (i == start) throw mismatch(i, "expected digits for the fraction of a second (%f)");
        break;
      }
      case kAmPm: {
        const std::string_view w = s.substr(i, 2);
        if (detail::iequals(w, "am")) pm = 0;
        else if (detail::iequals(w, "pm")) pm = 1;
        else throw mismatch(i, "expected AM or PM (%p)");
        i += 2;
        break;
      }
      case kZone: {
        if (i < s.size() && (s[i] == 'Z' || s[i] == 'z')) {
          ++i;
          break;
        }
        if (i >= s.size() || (s[i] != '+' && s[i] != '-')) throw mismatch(i, "expected Z or a UTC offset such as +02:00 (%z)");
        const int sign = s[i] == '+' ? 1 : -1;
        ++i;
        const unsigned oh = number(2, 2, "offset hours (%z)");
        unsigned om = 0;
        if (i < s.size() && s[i] == ':') ++i;
        if (i < s.size() && is_digit(s[i])) om = number(2, 2, "offset minutes (%z)");
        if (oh > 23 || om > 59)  // the shape matched: a range error like day 31 of February, not a mismatch
          throw InvalidArgument("invalid timestamp " + detail::show(text) + ": time zone offset " + std::string(1, sign < 0 ? '-' : '+') +
                                (oh < 10 ? "0" : "") + std::to_string(oh) + ":" + (om < 10 ? "0" : "") + std::to_string(om) +
                                " is out of range (at most 23:59)");
        offset_minutes = sign * std::int64_t(oh * 60 + om);
        break;
      }
      default: break;
    }
  }
  if (i != s.size()) throw mismatch(i, "unexpected text " + detail::show(s.substr(i), 20) + " after the time format's end");
  auto out_of = [&](const char* what, unsigned v, unsigned lo, unsigned hi) {
    if (v < lo || v > hi)
      throw InvalidArgument("invalid timestamp " + detail::show(text) + ": " + what + " " + std::to_string(v) + " is not in " +
                            std::to_string(lo) + ".." + std::to_string(hi));
  };
  std::int64_t days;
  if (have_yday) {
    out_of("day of the year", yday, 1, detail::leap_year(year) ? 366 : 365);
    days = days_from_civil(year, 1, 1) + yday - 1;
  } else {
    out_of("month", month, 1, 12);
    out_of("day", day, 1, days_in_month(year, month));
    days = days_from_civil(year, month, day);
  }
  if (pm >= 0) {
    out_of("hour (%I)", hour, 1, 12);
    hour = hour % 12 + (pm ? 12 : 0);
  }
  out_of("hour", hour, 0, 23);
  out_of("minute", minute, 0, 59);
  out_of("second", second, 0, 59);
  const std::int64_t secs = days * 86400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
  return to_ticks(secs, frac, unit_, text);
}

std::int64_t parse_timestamp(std::string_view text, TimeUnit integer_unit, TimeUnit stored_unit) {
  std::string_view s = detail::trim(text);
  if (s.empty()) bad(text, "empty");
  bool has_dot;
  if (epoch_like(s, has_dot)) return parse_epoch(s, has_dot, integer_unit, stored_unit, text);
  return parse_iso(s, stored_unit);
}

std::string format_time(std::int64_t ticks, TimeUnit unit) {
  const std::int64_t tps = ticks_per_second(unit);
  std::int64_t secs = ticks / tps, frac = ticks % tps;
  if (frac < 0) {
    frac += tps;
    secs -= 1;
  }
  std::int64_t days = secs / 86400, rem = secs % 86400;
  if (rem < 0) {
    rem += 86400;
    days -= 1;
  }
  std::int64_t y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%s%04lld-%02u-%02uT%02d:%02d:%02d", y < 0 ? "-" : (y > 9999 ? "+" : ""),
                static_cast<long long>(y < 0 ? -y : y), m, d, int(rem / 3600), int(rem / 60 % 60), int(rem % 60));
  std::string out(buf);
  if (frac) {
    std::string f = std::to_string(frac);
    int width = unit == TimeUnit::milliseconds ? 3 : unit == TimeUnit::microseconds ? 6 : 9;
    f.insert(0, std::size_t(width) - f.size(), '0');
    while (!f.empty() && f.back() == '0') f.pop_back();
    out += "." + f;
  }
  return out + "Z";
}

// ------------------------------------------------------------------------------------------ the range check

namespace detail {

std::int64_t convert_ticks(std::int64_t ticks, TimeUnit from, TimeUnit to, std::string_view text) {
  const std::int64_t a = ticks_per_second(from), b = ticks_per_second(to);
  if (a == b) return ticks;
  if (b > a) return checked_mul(ticks, b / a, text);
  const std::int64_t k = a / b, q = ticks / k, r = ticks % k;
  return r < 0 ? q - 1 : q;
}

namespace {
// The value of epoch text read in each unit, as a date, for messages.
std::string in_each_unit(std::string_view text, TimeUnit skip) {
  const long double raw = std::strtold(std::string(trim(text)).c_str(), nullptr);
  std::string out;
  for (TimeUnit u : {TimeUnit::seconds, TimeUnit::milliseconds, TimeUnit::microseconds, TimeUnit::nanoseconds}) {
    if (u == skip) continue;
    const long double secs = std::floor(raw / ticks_per_second(u));
    out += out.empty() ? "" : ", ";
    out += std::string("in ") + time_unit_name(u) + " ";
    out += (std::fabs(secs) < 9e15L) ? format_time(static_cast<std::int64_t>(secs), TimeUnit::seconds) : "far beyond the year 9999";
  }
  return out;
}

// Units in which the number reads as a date in 1971..2199.
std::vector<TimeUnit> plausible_units(std::string_view text) {
  const long double raw = std::strtold(std::string(trim(text)).c_str(), nullptr);
  std::vector<TimeUnit> out;
  for (TimeUnit u : {TimeUnit::seconds, TimeUnit::milliseconds, TimeUnit::microseconds, TimeUnit::nanoseconds}) {
    const long double secs = raw / ticks_per_second(u);
    if (secs >= kYear1971 && secs < kYear2200) out.push_back(u);
  }
  return out;
}
}  // namespace

std::optional<std::string> EpochRange::add_larger(std::int64_t ticks, std::string_view text, std::uint64_t line,
                                                  std::uint64_t column) {
  const std::int64_t secs = ticks / ticks_per_second(unit_);
  if (secs >= kYear2200) {
    std::string msg = "epoch number " + show(trim(text)) + " read in seconds (the default unit) is " +
                      format_time(secs, TimeUnit::seconds) + ", after the year 2200; " +
                      in_each_unit(text, TimeUnit::seconds) + ": ";
    auto units = plausible_units(text);
    if (units.size() == 1)
      msg += std::string("give the unit of the epoch numbers (--time-unit ") + time_unit_name(units[0]) + ", time_unit=\"" +
             time_unit_name(units[0]) + "\")";
    else
      msg += "give the unit of the epoch numbers (--time-unit, time_unit=: s, ms, us or ns)";
    return msg;
  }
  if (!any_ || ticks > largest_) {
    any_ = true;
    largest_ = ticks;
    text_ = std::string(trim(text));
    line_ = line;
    column_ = column;
  }
  return std::nullopt;
}

std::optional<std::string> EpochRange::finish() const {
  if (!active_ || !any_) return std::nullopt;
  const std::int64_t secs = largest_ / ticks_per_second(unit_) - (largest_ % ticks_per_second(unit_) < 0 ? 1 : 0);
  if (secs >= kYear1971) return std::nullopt;
  return "every epoch number lies before 1971 when read in seconds (the default unit); the largest, " + show(text_) +
         ", is " + format_time(secs, TimeUnit::seconds) +
         ": these are no epoch seconds of real events (relative times or counters?); to read them as seconds anyway, "
         "give the unit explicitly (--time-unit s, time_unit=\"s\")";
}

}  // namespace detail

// ------------------------------------------------------------------------------------------- time columns

namespace {
std::string row_name(const RowLabel& label, std::size_t row) {
  return label ? label(row) : "row " + std::to_string(row);
}
std::string column_prefix(std::string_view column, const RowLabel& label, std::size_t row) {
  return "time column " + detail::show(column) + ", " + row_name(label, row) + ": ";
}
}  // namespace

ConvertedTimes convert_time_column(Span<const TimeCell> cells, const TimeFormat& format, std::string_view column,
                               const RowLabel& row_label) {
  const TimeParser parser(format);
  detail::EpochRange range(parser);
  ConvertedTimes out;
  out.unit = parser.unit();
  out.epoch_unit = parser.epoch_unit();
  out.times.resize(cells.size());
  bool epochs = false, dates = false;
  // The first row holding a number and the first holding text, to name both when a column mixes them.
  std::size_t first_number = 0, first_text = 0;
  bool have_number = false, have_text = false;
  for (std::size_t r = 0; r < cells.size(); ++r) {
    const TimeCell& c = cells[r];
    auto fail = [&](const std::string& why) -> InvalidArgument {
      return InvalidArgument(column_prefix(column, row_label, r) + why);
    };
    std::string number_text;  // numbers go through the same epoch path as numeric text
    std::string_view text;
    bool numeric_cell = false;
    if (std::holds_alternative<std::monostate>(c)) throw fail("missing time");
    if (const auto* i = std::get_if<std::int64_t>(&c)) {
      number_text = std::to_string(*i);
      numeric_cell = true;
    } else if (const auto* d = std::get_if<double>(&c)) {
      if (std::isnan(*d)) throw fail("missing time (NaN)");
      if (!std::isfinite(*d)) throw fail("the time " + detail::format_double(*d) + " is not finite");
      if (*d == std::floor(*d) && !(std::fabs(*d) < 9.2e18)) throw fail("the time " + detail::format_double(*d) + " is out of the 64-bit range");
      if (*d == std::floor(*d)) number_text = std::to_string(static_cast<std::int64_t>(*d));
      else number_text = detail::format_double(*d);
      numeric_cell = true;
    } else {
      text = std::get<std::string_view>(c);
    }
    if (numeric_cell) {
      if (have_text)
        throw fail("the number " + number_text + " in a column that holds text (" + row_name(row_label, first_text) +
                   "): give one kind of time per column");
      if (!have_number) first_number = r;
      have_number = true;
      text = number_text;
    } else {
      if (have_number)
        throw fail("the text " + detail::show(text) + " in a column that holds numbers (" +
                   row_name(row_label, first_number) + "): give one kind of time per column");
      if (!have_text) first_text = r;
      have_text = true;
    }
    bool is_epoch = false;
    try {
      if (const auto* d = std::get_if<double>(&c); d && *d != std::floor(*d)) {
        // A fractional number: floored to the stored unit, as a decimal epoch in a CSV file is.
        const double ticks = std::floor(*d * double(ticks_per_second(parser.unit())) /
                                        double(ticks_per_second(parser.epoch_unit())));
        if (!(ticks >= -9.2e18 && ticks <= 9.2e18)) bad(text, "out of the representable range");
        out.times[r] = static_cast<std::int64_t>(ticks);
        is_epoch = true;
      } else if (numeric_cell) {
        // Numbers are epoch numbers whatever the pattern says about text.
        out.times[r] = parse_epoch(text, false, parser.epoch_unit(), parser.unit(), text);
        is_epoch = true;
      } else {
        out.times[r] = parser.parse(text, &is_epoch);
      }
    } catch (const InvalidArgument& e) {
      throw fail(e.what());
    }
    (is_epoch ? epochs : dates) = true;
    if (is_epoch)
      if (auto msg = range.add(out.times[r], text, r, 0)) throw fail(*msg);
  }
  if (auto msg = range.finish())
    throw InvalidArgument(column_prefix(column, row_label, range.largest_line()) + *msg);
  out.kind = epochs && dates ? TimeKind::mixed : epochs ? TimeKind::epoch : dates ? TimeKind::dates : TimeKind::none;
  return out;
}

ConvertedTimes convert_time_column(Span<const std::string_view> texts, const TimeFormat& format, std::string_view column,
                               const RowLabel& row_label) {
  std::vector<TimeCell> cells(texts.begin(), texts.end());
  return convert_time_column(Span<const TimeCell>(cells.data(), cells.size()), format, column, row_label);
}

void check_epoch_column(Span<const std::int64_t> epochs, const TimeFormat& format, std::string_view column,
                        const RowLabel& row_label) {
  const TimeParser parser(format);
  detail::EpochRange range(parser);
  if (!range.active()) return;
  for (std::size_t r = 0; r < epochs.size(); ++r) {
    const std::string text = std::to_string(epochs[r]);
    const std::int64_t ticks = detail::convert_ticks(epochs[r], TimeUnit::seconds, parser.unit(), text);
    if (auto msg = range.add(ticks, text, r, 0)) throw InvalidArgument(column_prefix(column, row_label, r) + *msg);
  }
  if (auto msg = range.finish())
    throw InvalidArgument(column_prefix(column, row_label, range.largest_line()) + *msg);
}

std::int64_t parse_instant(std::string_view text, const JourneySet& js, const std::string& pattern) {
  if (!js.has_timestamps()) throw StateError("an instant needs journeys with timestamps");
  const std::string_view s = detail::trim(text);
  if (s.empty()) throw InvalidArgument("the instant is empty");
  const TimeUnit unit = js.time_unit();
  if (!pattern.empty()) {
    TimeFormat f;
    f.pattern = pattern;
    f.integer_unit = unit;
    const TimeParser p(f);
    try {
      return detail::convert_ticks(p.parse(s), p.unit(), unit, text);
    } catch (const InvalidArgument&) {
      // Not in the data's pattern: ISO-8601 or an epoch number may still read it.
    }
  }
  bool has_dot;
  if (epoch_like(s, has_dot)) {
    if (js.time_kind() == TimeKind::dates) {
      std::int64_t lo = 0, hi = 0;
      for (std::size_t j = 0; j < js.size(); ++j) {
        const auto t = js.times(j);
        if (t.empty()) continue;
        lo = j ? std::min(lo, t[0]) : t[0];
        hi = j ? std::max(hi, t[0]) : t[0];
      }
      throw InvalidArgument("the instant " + detail::show(s) +
                            " is a bare number, but the journeys' times were given as dates, not epoch numbers: give "
                            "a date and time such as " + format_time(lo, unit) + " (the journeys start from " +
                            format_time(lo, unit) + " to " + format_time(hi, unit) + ")");
    }
    return parse_epoch(s, has_dot, js.epoch_unit(), unit, text);
  }
  return parse_iso(s, unit);
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
