// The quick parse of quote-free pieces of a paths file (src/io/paths_fast.hpp) and the order-1 dense counts
// with whole-number tallies: the same bits, reports and messages as the general reader and the exact sums.
// Every expected journey, weight and count here is written out by the test itself (or is the serial
// reader's, which a small max_field_bytes selects and which never takes the quick parse).

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "io/paths_fast.hpp"
#include "journeygraph/error.hpp"
#include "journeygraph/io.hpp"
#include "journeygraph/markov.hpp"
#include "test_files.hpp"

using namespace journeygraph;
using namespace jgtest;

namespace {


// The rows a test writes and what each holds.
struct Rows {
  std::string text = "path,total_conversions,total_null,total_conversion_value\n";
  std::vector<std::vector<std::string>> paths;
  std::vector<double> conversions, nulls, values;
  std::uint64_t blank = 0;
  // path_text is written as given; names are what it must split into.
  void add(const std::string& path_text, const std::vector<std::string>& names, const std::string& c, double cv,
           const std::string& n, double nv, const std::string& v, double vv, const char* eol = "\n") {
    text += path_text + "," + c + "," + n + "," + v + eol;
    paths.push_back(names);
    conversions.push_back(cv);
    nulls.push_back(nv);
    values.push_back(vv);
  }
};

// Rows with the quick parse's edges, repeated past two pieces: blanks around separators and fields, CRLF,
// lone CR and blank lines, names of 1, 8, 9 and more bytes and UTF-8 names, counts with a sign, blanks,
// fractions and "-0", and one quoted path in the middle of the second piece.
Rows edge_rows() {
  Rows r;
  std::uint64_t k = 0;
  while (r.text.size() < 2 * kPiece + 5000) {
    switch (k++ % 9) {
      case 0: r.add("search > email", {"search", "email"}, "1", 1, "2", 2, "10.5", 10.5); break;
      case 1: r.add(" search  >\temail > x ", {"search", "email", "x"}, "0", 0, "3", 3, "0", 0, "\r\n"); break;
      case 2: r.add("abcdefgh>abcdefghi>a", {"abcdefgh", "abcdefghi", "a"}, "+2", 2, " 1 ", 1, "4", 4); break;
      case 3: r.add("caf\xC3\xA9 > t\xC3\xA9l\xC3\xA9vision", {"caf\xC3\xA9", "t\xC3\xA9l\xC3\xA9vision"}, "0.25", 0.25,
                    "-0", 0, "0.125", 0.125, "\r");
        break;
      case 4: r.add("direct", {"direct"}, "0", 0, "0", 0, "0", 0); break;  // zero weight
      case 5:
        r.add("email>email>search", {"email", "email", "search"}, "7", 7, "0", 0, "1e3", 1000);
        r.text += "\n";
        ++r.blank;
        break;
      case 6: r.add("a_very_long_touchpoint_name > b", {"a_very_long_touchpoint_name", "b"}, "3", 3, "4", 4, "2", 2); break;
      case 7: r.add("x>y>z>x>y", {"x", "y", "z", "x", "y"}, "1", 1, "1", 1, "0.5", 0.5, "\r\n"); break;
      default: r.add("tv >  radio", {"tv", "radio"}, "12", 12, "0", 0, "0", 0); break;
    }
    if (r.paths.size() == 40000) r.add("\"quoted > path, with comma\"", {"quoted", "path, with comma"}, "1", 1, "0", 0,
                                        "1", 1);
  }
  return r;
}

}  // namespace

namespace {
// A piece as the reader keeps one, for the quick parse alone.
struct TestPiece {
  Dictionary tps;
  std::vector<std::uint32_t> touches;
  std::vector<std::uint32_t> offsets{0};
  std::vector<double> conversions, nulls, values;
  std::vector<std::uint64_t> rows;
  struct Seen {
    std::string_view path;
    std::uint64_t line, column;
  };
  std::vector<Seen> seen;
  bool holds_separator = false;
  std::uint64_t records = 0, blank_lines = 0, zero_weight = 0;
};

detail::PathFastLayout layout4() {
  detail::PathFastLayout L;
  L.width = 4;
  L.cp = 0;
  L.cc = 1;
  L.cn = 2;
  L.cv = 3;
  L.max_field = std::size_t(1) << 20;
  L.separator = ">";
  return L;
}
}  // namespace

TEST_CASE("paths fast parse: the edges of quote-free rows read as the serial reader does, 1 and 2 threads bit for bit",
          "[io][large]") {
  const Rows r = edge_rows();
  {
    // The rows before the quoted one all go the quick way (so the comparison below is of the quick parse).
    const std::size_t header = r.text.find('\n') + 1, quoted = r.text.find('"');
    TestPiece p;
    REQUIRE(detail::parse_paths_fast(std::string_view(r.text).substr(header, r.text.find_last_of("\r\n", quoted) + 1 - header), 2,
                                     layout4(), p));
    CHECK(p.records == 40000);
  }
  BuildReport rs;
  const JourneySet s = read_paths_every_way(r.text, "paths_fast_edges.csv", {}, rs);
  // The rows as written.
  REQUIRE(s.size() == r.paths.size());
  CHECK(rs.blank_lines == r.blank);
  std::size_t differ = 0;
  for (std::size_t j = 0; j < s.size(); ++j) {
    const auto p = s.path(j);
    bool same = p.size() == r.paths[j].size() && s.conversions(j) == r.conversions[j] && s.nulls(j) == r.nulls[j] &&
                s.value(j) == r.values[j] && s.key_integer(j) == std::int64_t(j);
    for (std::size_t k = 0; same && k < p.size(); ++k) same = s.touchpoints().name(p[k]) == r.paths[j][k];
    differ += !same;
  }
  CHECK(differ == 0);
}

TEST_CASE("paths fast parse: a row it cannot take gives the serial reader's message, in any piece", "[io][large]") {
  Rows base;
  while (base.text.size() < kPiece + 50000) base.add("search > email", {}, "1", 1, "2", 2, "3", 3);
  const std::size_t at = base.text.size() - 20 * 25;  // a line start in the second piece
  const std::size_t line_start = base.text.rfind('\n', at) + 1;
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"search > email,two,0,0\n", "expected a finite number, got \"two\""},
      {"search > email,-1,0,0\n", "negative count \"-1\""},
      {"search >  > email,1,0,0\n", "empty touchpoint name at position 2"},
      {"search > email,1,0\n", "expected 4 fields (as in the header), found 3"},
      {"search > email,1,0,0,\n", "the first extra field is \"\" (a trailing delimiter?)"},
      {"search > \xFF,1,0,0\n", "is not valid UTF-8"},
      {"search > email,0,1,5\n", "on a path without conversions"},
      {"   ,1,0,0\n", "empty path (only blanks"},
  };
  for (const auto& [row, says] : bad) {
    INFO(row);
    for (std::size_t where : {std::size_t(1), line_start}) {
      std::string t = base.text;
      t.insert(where == 1 ? t.find('\n') + 1 : where, row);
      const TempFile file("paths_fast_bad.csv", t);
      Execution one, two;
      one.threads = 1;
      two.threads = 2;
      const std::string serial = parse_error_text([&] { read_paths_csv(file.path, serial_options(), nullptr, two); });
      CHECK_THAT(serial, Catch::Matchers::Contains(says));
      CHECK(parse_error_text([&] { read_paths_csv(file.path, {}, nullptr, one); }) == serial);
      CHECK(parse_error_text([&] { read_paths_csv(file.path, {}, nullptr, two); }) == serial);
      CHECK(parse_error_text([&] { parse_paths_csv(t, file.path, {}, nullptr, two); }) == serial);
      // With skip_bad_rows: the row skipped, counted and reported as the serial reader does.
      PathCsvOptions skip;
      skip.csv.skip_bad_rows = true;
      BuildReport rs, r2;
      const JourneySet s = read_paths_csv(file.path, serial_options(skip), &rs, two);
      const JourneySet b = read_paths_csv(file.path, skip, &r2, two);
      check_identical(s, b);
      CHECK(same_report(rs, r2));
      CHECK(rs.rows_skipped == 1);
    }
  }
}

TEST_CASE("paths fast parse: a piece boundary at every byte of a small file gives the serial reader's journeys",
          "[io]") {
  const std::string header = "path,total_conversions,total_null,total_conversion_value\n";
  const std::string body =
      "a > b,1,2,3\r\n"
      "\n"
      "  long_name_here >c,0,1,0\r"
      "c>a>b>a,2.5,0,0.5\n"
      "\r\n"
      "b,0,0,0\n"
      "a>\tb , 3 ,+1,1e1";
  const std::string text = header + body;
  BuildReport rs;
  const JourneySet s = parse_paths_csv(text, "small.csv", serial_options(), &rs);
  REQUIRE(s.size() == 5);
  const detail::PathFastLayout L = layout4();
  const std::string_view data(text);
  for (std::size_t k = header.size(); k <= text.size(); ++k) {
    INFO("cut at byte " << k);
    // The first record boundary at or after k (the file has no quotes: every line end is one).
    std::size_t cut = k;
    while (cut < text.size() && cut > header.size() && text[cut - 1] != '\n' && text[cut - 1] != '\r') ++cut;
    if (cut < text.size() && text[cut - 1] == '\r' && text[cut] == '\n') ++cut;
    std::uint64_t line = 2;
    for (std::size_t i = header.size(); i < cut; ++i)
      line += text[i] == '\n' || (text[i] == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n'));
    TestPiece p1, p2;
    REQUIRE(detail::parse_paths_fast(data.substr(header.size(), cut - header.size()), 2, L, p1));
    REQUIRE(detail::parse_paths_fast(data.substr(cut), line, L, p2));
    CHECK(p1.records + p2.records == rs.rows);
    CHECK(p1.blank_lines + p2.blank_lines == rs.blank_lines);
    CHECK(p1.zero_weight + p2.zero_weight == rs.zero_weight_journeys);
    // Merged in file order, by name: the serial reader's journeys (it keeps zero-weight rows too).
    std::size_t j = 0;
    bool same = true;
    for (const TestPiece* p : {&p1, &p2})
      for (std::size_t r = 0; r < p->rows.size(); ++r, ++j) {
        REQUIRE(j < s.size());
        const auto sp = s.path(j);
        same = same && sp.size() == p->offsets[r + 1] - p->offsets[r];
        for (std::size_t q = 0; same && q < sp.size(); ++q)
          same = s.touchpoints().name(sp[q]) == p->tps.name(p->touches[p->offsets[r] + q]);
        same = same && s.conversions(j) == p->conversions[r] && s.nulls(j) == p->nulls[r] && s.value(j) == p->values[r];
      }
    CHECK(j == s.size());
    CHECK(same);
    // The separator check's first path and its place.
    const bool any_seen = !p1.seen.empty() || !p2.seen.empty();
    REQUIRE(any_seen);
    const auto& first = p1.seen.empty() ? p2.seen.front() : p1.seen.front();
    CHECK(first.path == "a > b");
    CHECK(first.line == 2);
    CHECK(first.column == 1);
  }
  // The quick parse gives up on what it does not take as such.
  TestPiece q;
  CHECK_FALSE(detail::parse_paths_fast("a > b,1,2\n", 2, L, q));
  TestPiece z;
  CHECK_FALSE(detail::parse_paths_fast(std::string_view("a\0b,1,2,3\n", 10), 2, L, z));
}

TEST_CASE("order-1 dense counts: whole and fractional weights, tallied or not, sum exactly", "[markov]") {
  // Weights: whole numbers below 2^31 (tallied), 2^31 and above (exact sums), fractions; each edge's count
  // is written out below (every sum is exact in a double).
  JourneySetBuilder b;
  const std::uint32_t A = b.touchpoint("A"), B = b.touchpoint("B"), C = b.touchpoint("C");
  auto add = [&](std::vector<std::uint32_t> p, double c, double n) { b.add(Span<const std::uint32_t>(p.data(), p.size()), {}, c, n, 0.0); };
  add({A, B}, 1, 2);                   // 3
  add({A, B}, 2147483647.0, 0);        // 2^31 - 1
  add({A, B}, 2147483648.0, 0);        // 2^31
  add({A, B, C}, 0.5, 0.25);           // 0.75
  add({B, C}, 1099511627776.0, 0);     // 2^40
  add({B, C}, 0, 5);                   // 5
  add({C, A}, 0, 0);                   // zero weight
  add({A, A, B}, 4, 0);                // self-loop dropped
  const JourneySet js = b.finish();
  for (unsigned threads : {1u, 2u}) {
    Execution ex;
    ex.threads = threads;
    const TransitionCounts tc = TransitionCounts::count(js, 1, SelfLoops::drop, ex);
    REQUIRE(tc.touchpoints() == std::vector<std::string>{"A", "B", "C"});
    std::map<std::pair<std::uint32_t, std::uint32_t>, double> got;
    for (const auto& e : tc.edges()) got[{e.from, e.to}] = e.count;
    const std::uint32_t S = TransitionCounts::kStart;
    const double ab = 3 + 2147483647.0 + 2147483648.0 + 0.75 + 4;
    std::map<std::pair<std::uint32_t, std::uint32_t>, double> want = {
        {{S, 0}, ab}, {{S, 1}, 1099511627776.0 + 5}, {{0, 1}, ab}, {{1, 2}, 0.75 + 1099511627776.0 + 5}};
    CHECK(got == want);
    CHECK(tc.journeys() == ab + 1099511627776.0 + 5);
    CHECK(tc.total_conversions() == 1 + 2147483647.0 + 2147483648.0 + 0.5 + 1099511627776.0 + 4);
    CHECK(tc.total_nulls() == 2 + 0.25 + 5);
    CHECK(tc.zero_weight_journeys() == 1);
    CHECK(tc.state_conversions(1) == 1 + 2147483647.0 + 2147483648.0 + 4);
    CHECK(tc.state_conversions(2) == 0.5 + 1099511627776.0);
    CHECK(tc.state_nulls(2) == 0.25 + 5);
  }
}

TEST_CASE("JourneySetBuilder::add_keyed: the set, totals and messages of key() and add() one journey at a time",
          "[journeys]") {
  const std::vector<std::uint32_t> touches = {0, 1, 1, 2, 0, 2, 1, 0};
  const std::vector<std::uint32_t> offsets = {0, 2, 3, 6, 8};
  const std::vector<double> conv = {1, 0.1, 0, 3}, nulls = {2, 0.2, 5, 0}, values = {4.5, 0.3, 0, 7};
  const std::vector<std::int64_t> keys = {10, 11, 13, -4};
  auto one_by_one = [&](JourneySetBuilder& b, std::size_t n) {
    for (std::size_t k = 0; k < n; ++k) {
      b.key(keys[k]);
      b.add(Span<const std::uint32_t>(touches.data() + offsets[k], offsets[k + 1] - offsets[k]), {}, conv[k], nulls[k],
            values[k]);
    }
  };
  auto names = [](JourneySetBuilder& b) {
    b.touchpoint("a");
    b.touchpoint("b");
    b.touchpoint("c");
  };
  JourneySetBuilder x, y;
  names(x);
  names(y);
  one_by_one(x, 4);
  y.add_keyed(touches, offsets, conv, nulls, values, keys);
  const JourneySet sx = x.finish(), sy = y.finish();
  check_identical(sx, sy);
  REQUIRE(sy.size() == 4);
  CHECK(sy.key_integer(3) == -4);
  CHECK(sy.total_conversions() == ((1 + 0.1) + 0) + 3);
  CHECK(sy.total_value() == ((4.5 + 0.3) + 0) + 7);
  // A bad journey in the middle: those before it are added, and add()'s message names it.
  std::vector<double> bad_values = values;
  bad_values[2] = 1.0;  // a value without conversions
  JourneySetBuilder u, v;
  names(u);
  names(v);
  std::string mu, mv;
  try {
    for (std::size_t k = 0; k < 4; ++k) {
      u.key(keys[k]);
      u.add(Span<const std::uint32_t>(touches.data() + offsets[k], offsets[k + 1] - offsets[k]), {}, conv[k], nulls[k],
            bad_values[k]);
    }
  } catch (const InvalidArgument& e) {
    mu = e.what();
  }
  try {
    v.add_keyed(touches, offsets, conv, nulls, bad_values, keys);
  } catch (const InvalidArgument& e) {
    mv = e.what();
  }
  CHECK(mu == "journey 2: value 1 without conversions");
  CHECK(mv == mu);
  CHECK(v.size() == 2);
  check_identical(u.finish(), v.finish());
  // Spans that disagree, and a builder with timestamps.
  JourneySetBuilder w;
  names(w);
  CHECK_THROWS_AS(w.add_keyed(touches, offsets, conv, nulls, values, Span<const std::int64_t>(keys.data(), 3)),
                  InvalidArgument);
  JourneySetBuilder t(true);
  CHECK_THROWS_AS(t.add_keyed(touches, offsets, conv, nulls, values, keys), StateError);
  // Offsets that decrease, or point past the touches in the middle, are refused before any touch is read.
  std::vector<std::uint32_t> down = offsets, past = offsets;
  REQUIRE(down.size() >= 3);
  std::swap(down[1], down[2]);
  REQUIRE(down[1] > down[2]);
  past[1] = std::uint32_t(touches.size() + 2);
  JourneySetBuilder d;
  names(d);
  CHECK_THROWS_WITH(d.add_keyed(touches, down, conv, nulls, values, keys), Catch::Matchers::Contains("offsets must not decrease"));
  CHECK_THROWS_WITH(d.add_keyed(touches, past, conv, nulls, values, keys), Catch::Matchers::Contains("offsets must not decrease"));
  CHECK(d.size() == 0);
}
