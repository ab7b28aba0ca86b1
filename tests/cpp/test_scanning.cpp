// The byte-level helpers of the readers' fast paths (word loads, digit runs, UTF-8 checks, the stop scanner),
// each checked against a byte-by-byte version written out here, on random text built to hit their edges.
#include <catch2/catch.hpp>

#include <cstdint>
#include <cstring>
#include <ctime>
#include <random>
#include <string>
#include <vector>

#include "common/hash.hpp"
#include "common/text.hpp"
#include "io/stops.hpp"
#include "journeygraph/io.hpp"

using namespace journeygraph;

namespace {

std::uint64_t bytes_as_word(const char* p, std::size_t n) {  // byte i in bits 8i..8i+7
  std::uint64_t w = 0;
  for (std::size_t i = 0; i < n; ++i) w |= std::uint64_t(static_cast<unsigned char>(p[i])) << (8 * i);
  return w;
}

std::int64_t digits_reference(const std::string& s) {
  if (s.empty() || s.size() > 18) return -1;
  std::int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}

// The first invalid UTF-8 sequence, decoded one code point at a time.
std::size_t utf8_reference(const std::string& s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) len = 1, cp = c;
    else if (c >= 0xC0 && c < 0xE0) len = 2, cp = c & 0x1F;
    else if (c >= 0xE0 && c < 0xF0) len = 3, cp = c & 0x0F;
    else if (c >= 0xF0 && c < 0xF8) len = 4, cp = c & 0x07;
    else return i;
    if (i + len > s.size()) return i;
    for (std::size_t k = 1; k < len; ++k) {
      const unsigned char t = static_cast<unsigned char>(s[i + k]);
      if (t < 0x80 || t >= 0xC0) return i;
      cp = cp << 6 | (t & 0x3F);
    }
    const std::uint32_t least[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < least[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += len;
  }
  return std::string::npos;
}

}  // namespace

TEST_CASE("word loads give the bytes in order, and hashes of text are those of a byte-wise word", "[scanning]") {
  std::mt19937_64 rng(11);
  for (int round = 0; round < 2000; ++round) {
    char buf[16];
    for (char& b : buf) b = static_cast<char>(rng());
    const std::size_t n = rng() % 9;
    INFO("n = " << n);
    if (n < 8) CHECK(detail::load_short(buf, n) == bytes_as_word(buf, n));
    CHECK(detail::load_word(buf, n) == bytes_as_word(buf, n));
    // hash_bytes, written out: words of 8 bytes, then the tail marked.
    const std::string s(buf, 3 + rng() % 13);
    std::uint64_t h = 0x9e3779b97f4a7c15ULL ^ s.size();
    std::size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) h = detail::mix64(h ^ bytes_as_word(s.data() + i, 8));
    if (i < s.size()) h = detail::mix64(h ^ bytes_as_word(s.data() + i, s.size() - i) ^ 0xff);
    CHECK(detail::hash_bytes(s) == h);
  }
}

TEST_CASE("plain digit runs read as integers, and any other byte refuses the run", "[scanning]") {
  std::mt19937_64 rng(12);
  // Bytes next to the digits in value ('/' and ':'), bytes whose high nibble is 3, and bytes that would carry.
  const std::string others = std::string("/:;?>+-. a\t", 11) + std::string("\0\xFA\xFF\x80\xB0\x39", 6).substr(0, 5);
  std::vector<std::string> cases = {"0", "000000000000000000", "999999999999999999", "1234567890", "12345678",
                                    "1234567", "123456789", "1999999999999999999", ""};
  for (int round = 0; round < 4000; ++round) {
    std::string s(rng() % 21, '0');
    for (char& c : s) c = static_cast<char>('0' + rng() % 10);
    if (!s.empty() && rng() % 2) s[rng() % s.size()] = others[rng() % others.size()];
    cases.push_back(s);
  }
  for (const auto& s : cases) {
    INFO("text '" << s << "'");
    CHECK(detail::plain_digits(s.data(), s.size()) == digits_reference(s));
    // Up to 18 digits: the integer parser and epoch seconds (as milliseconds) agree with the reference.
    const std::int64_t want = digits_reference(s);
    if (want >= 0) {
      CHECK(detail::parse_int64(s) == want);
      if (s.size() <= 15) CHECK(detail::parse_double(s) == double(want));
      if (want < 9000000000000000) {
        bool epoch = false;
        CHECK(TimeParser().parse(s, &epoch) == want * 1000);
        CHECK(epoch);
      }
    }
  }
  // Epoch numbers in a finer unit than the stored one are divided; ones too large to scale are refused.
  TimeFormat ns;
  ns.integer_unit = TimeUnit::nanoseconds;
  TimeFormat seconds;
  CHECK(TimeParser(seconds).parse("1767581897") == std::int64_t(1767581897) * 1000);
  CHECK_THROWS_WITH(TimeParser(seconds).parse("999999999999999999"), Catch::Contains("out of the representable range"));
  CHECK(TimeParser(ns).parse("1767581897123456789") == std::int64_t(1767581897123456789));
  TimeFormat us;
  us.integer_unit = TimeUnit::microseconds;
  CHECK(TimeParser(us).unit() == TimeUnit::microseconds);
}

TEST_CASE("UTF-8 checks find the first invalid sequence, with ASCII read a word at a time", "[scanning]") {
  std::mt19937_64 rng(13);
  const std::vector<std::string> pieces = {"a", "tp013", " ", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80",
                                           "\x80", "\xC0\x80", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xC3", "\xE2\x82",
                                           "\xFF", "abcdefgh", "\xF8\x88\x80\x80\x80"};
  for (int round = 0; round < 5000; ++round) {
    std::string s;
    const int parts = static_cast<int>(rng() % 8);
    for (int k = 0; k < parts; ++k) {
      // Mostly valid pieces (the first six), so invalid ones land at every offset, before and after a word's end.
      s += pieces[rng() % 10 < 8 ? rng() % 6 : rng() % pieces.size()];
    }
    INFO("bytes: " << detail::show(s));
    CHECK(detail::utf8_invalid_at(s) == utf8_reference(s));
  }
}

TEST_CASE("the stop scanner finds every delimiter and LF in order, as a byte-by-byte search does", "[scanning]") {
  std::mt19937_64 rng(14);
  for (const unsigned char delim : {static_cast<unsigned char>(','), static_cast<unsigned char>(';'),
                                    static_cast<unsigned char>('\t'), static_cast<unsigned char>('|')}) {
    // Bytes one off the stops, and bytes with the high bit set, beside the stops themselves.
    const std::string alphabet = std::string("abc019") + char(delim) + char(delim) + '\n' + char(delim + 1) +
                                 char(delim - 1) + '\x0B' + '\x09' + '\x8A' + char(delim | 0x80);
    for (int round = 0; round < 300; ++round) {
      std::string text(rng() % 300, 'x');
      for (char& c : text) c = alphabet[rng() % alphabet.size()];
      if (text.size() >= 64) {
        const std::size_t at = rng() % (text.size() - 63);
        std::uint64_t want = 0;
        for (std::size_t i = 0; i < 64; ++i)
          want |= std::uint64_t(text[at + i] == char(delim) || text[at + i] == '\n') << i;
        CHECK(detail::stop_bits(text.data() + at, delim) == want);
        CHECK(detail::stop_bits_swar(text.data() + at, delim) == want);
      }
      auto reference = [&](std::size_t q) {
        while (q < text.size() && text[q] != char(delim) && text[q] != '\n') ++q;
        return q;
      };
      detail::StopScanner stops(text.data(), text.size(), delim);
      // Forward as rows are cut (each stop, then one past it), with jumps and a step back now and then.
      std::size_t q = 0;
      while (q <= text.size()) {
        INFO("delimiter " << int(delim) << ", text of " << text.size() << " bytes, from " << q);
        const std::size_t got = stops.next(q);
        REQUIRE(got == reference(q));
        const auto r = rng() % 16;
        q = r == 0 ? q + rng() % 100 : r == 1 && q > 40 ? q - rng() % 40 : got + 1;
      }
    }
  }
}

TEST_CASE("journey keys: canonical decimal integers stay integers, any other text makes text keys", "[scanning]") {
  auto kind_of = [](const std::string& k) {
    JourneySetBuilder b;
    b.key(std::string_view(k));
    b.add({"a"}, 1, 0);
    return b.finish();
  };
  // Integers, with the value written out.
  for (const auto& [text, value] :
       std::vector<std::pair<std::string, std::int64_t>>{{"0", 0},
                                                         {"7", 7},
                                                         {"-5", -5},
                                                         {"12345678", 12345678},
                                                         {"123456789012345678", 123456789012345678},
                                                         {"1234567890123456789", 1234567890123456789},
                                                         {"9223372036854775807", INT64_MAX},
                                                         {"-9223372036854775808", INT64_MIN}}) {
    INFO("key " << text);
    const JourneySet s = kind_of(text);
    REQUIRE(s.key_kind() == KeyKind::integer);
    CHECK(s.key_integer(0) == value);
  }
  // Text, kept as given: leading zeros, signs other than one minus, blanks, digits beside other bytes, and
  // integers beyond 64 bits.
  for (const std::string text : {"007", "-0", "+7", " 12", "12 ", "12a", "1:2", "12345678/", "9223372036854775808",
                                 "99999999999999999999", "1.0", "--1"}) {
    INFO("key " << text);
    const JourneySet s = kind_of(text);
    REQUIRE(s.key_kind() == KeyKind::text);
    CHECK(s.key_text(0) == text);
  }
}

TEST_CASE("ISO date-times in the common form read as the calendar says, others by the general reader", "[scanning]") {
  std::mt19937_64 rng(15);
  const TimeParser parser;  // epoch seconds and ISO text, stored in milliseconds
  auto two = [](unsigned v) { return std::string(1, char('0' + v / 10)) + char('0' + v % 10); };
  for (int round = 0; round < 20000; ++round) {
    std::tm tm{};
    tm.tm_year = static_cast<int>(rng() % 400) + 1800 - 1900;
    tm.tm_mon = static_cast<int>(rng() % 12);
    tm.tm_mday = 1 + static_cast<int>(rng() % 31);
    tm.tm_hour = static_cast<int>(rng() % 24);
    tm.tm_min = static_cast<int>(rng() % 60);
    tm.tm_sec = static_cast<int>(rng() % 60);
    const unsigned year = static_cast<unsigned>(tm.tm_year + 1900);
    const char* seps[] = {"T", "t", " "};
    const char* ends[] = {"", "Z", "z", ".250Z", "+01:30", " "};
    const std::string sep = seps[rng() % 3], end = ends[rng() % 6];
    const std::string text = std::to_string(year) + "-" + two(unsigned(tm.tm_mon + 1)) + "-" + two(unsigned(tm.tm_mday)) +
                             sep + two(unsigned(tm.tm_hour)) + ":" + two(unsigned(tm.tm_min)) + ":" + two(unsigned(tm.tm_sec)) + end;
    INFO("text '" << text << "'");
    const int mday = tm.tm_mday, mon = tm.tm_mon;
    const std::int64_t secs = std::int64_t(timegm(&tm));  // normalises a day past the month's end
    if (tm.tm_mday != mday || tm.tm_mon != mon) {
      CHECK_THROWS_WITH(parser.parse(text), Catch::Contains("is not in 1.."));
      continue;
    }
    std::int64_t want = secs * 1000;
    if (end == ".250Z") want += 250;
    if (end == "+01:30") want -= 90 * 60 * 1000;
    bool epoch = true;
    CHECK(parser.parse(text, &epoch) == want);
    CHECK_FALSE(epoch);
  }
  // Out of range in the common form: the general reader's messages.
  CHECK_THROWS_WITH(parser.parse("2026-13-01T00:00:00Z"), Catch::Contains("month 13 is not in 1..12"));
  CHECK_THROWS_WITH(parser.parse("2026-00-01T00:00:00Z"), Catch::Contains("month 0 is not in 1..12"));
  CHECK_THROWS_WITH(parser.parse("2025-02-29T00:00:00Z"), Catch::Contains("day 29 is not in 1..28"));
  CHECK(parser.parse("2024-02-29T00:00:00Z") == std::int64_t(1709164800) * 1000);
  // Year 0: 719,468 days before 1970-01-01 falls on 0000-03-01 (the proleptic Gregorian calendar).
  CHECK(parser.parse("0000-03-01T00:00:00Z") == std::int64_t(-719468) * 86400 * 1000);
  CHECK(parser.parse("0000-02-29 00:00:01") == (std::int64_t(-719469) * 86400 + 1) * 1000);
  CHECK_THROWS_WITH(parser.parse("2026-01-01T24:00:00Z"), Catch::Contains("hour 24 is not in 0..23"));
  CHECK_THROWS_WITH(parser.parse("2026-01-01T23:60:00Z"), Catch::Contains("minute 60 is not in 0..59"));
  CHECK_THROWS_WITH(parser.parse("2026-01-01T23:59:60Z"), Catch::Contains("second 60 is not in 0..59"));
  CHECK_THROWS_WITH(parser.parse("2026-01-01T2x:00:00Z"), Catch::Contains("invalid timestamp"));
  CHECK_THROWS_WITH(parser.parse("2026-01-01T00:00:00Q"), Catch::Contains("unexpected text after the time"));
  // Seconds stored as nanoseconds: a date far from 1970 does not fit in 64 bits.
  TimeFormat ns;
  ns.integer_unit = TimeUnit::nanoseconds;
  CHECK(TimeParser(ns).parse("2026-01-05T02:58:17Z") == std::int64_t(1767581897) * 1000000000);
  CHECK_THROWS_WITH(TimeParser(ns).parse("2500-01-01T00:00:00Z"), Catch::Contains("out of the representable range"));
}
