// The aggregated-paths CSV reader reads files in blocks (8 MiB) cut into pieces (about 1 MiB, at record
// boundaries) that are parsed on every thread. These tests write files of several blocks with a BOM, quoted
// fields (commas, doubled quotes, line ends inside a path), CRLF and LF line ends and blank lines, and place
// multi-line quoted fields and bad rows right where a piece or a block would be cut by byte count. They check
// that 1 and 2 threads, file and memory, and the serial reader (which a small max_field_bytes selects) give
// the same bits, the same report and the same error message, and that the journeys are the paths the test
// wrote, which it knows without any CSV.

#include <catch2/catch.hpp>
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "journeygraph/error.hpp"
#include "journeygraph/io.hpp"
#include "test_files.hpp"

using namespace journeygraph;
using namespace jgtest;

namespace {

// The sizes the reader cuts by (src/io/readers.cpp); the test places fields across these offsets.
constexpr std::size_t kBlock = std::size_t(1) << 23;

// A generated paths file and what it holds.
struct Generated {
  std::string text;
  std::vector<std::vector<std::string>> paths;  // touchpoint names of each data row
  std::vector<double> conversions, nulls, values;
  std::uint64_t lines = 1;  // physical lines so far (the header is line 1)
  std::uint64_t blank = 0;
  Lcg rng{1};

  static std::string quoted(const std::string& s) {
    std::string q = "\"";
    for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
  }
  // One row of the given names; `quote` quotes the path even when it needs no quotes.
  void row(const std::vector<std::string>& names, bool quote) {
    std::string path;
    for (std::size_t i = 0; i < names.size(); ++i) path += (i ? " > " : "") + names[i];
    const bool needs = path.find_first_of(",\"\r\n") != std::string::npos;
    const std::uint32_t c = rng.next(4), n = rng.next(6);
    const double v = c ? double(rng.next(100000)) / 8 : 0.0;
    text += (needs || quote ? quoted(path) : path) + "," + std::to_string(c) + "," + std::to_string(n) + "," +
            (c ? std::to_string(v) : std::string("0")) + (rng.next(4) == 0 ? "\r\n" : "\n");
    lines += 1 + std::uint64_t(std::count(path.begin(), path.end(), '\n'));
    paths.push_back(names);
    conversions.push_back(c);
    nulls.push_back(n);
    values.push_back(v);
    if (rng.next(3000) == 0) {
      text += rng.next(2) ? "\n" : "\r\n";
      ++lines;
      ++blank;
    }
  }
  void random_row(bool allow_quotes) {
    static const std::vector<std::string> plain = {"search", "email", "display", "social", "direct", "video",
                                                   "affiliate", "tv"};
    static const std::vector<std::string> odd = {"tp, with comma", "say \"hi\"", "two\nlines", "three\r\nline\nends"};
    std::vector<std::string> names;
    const std::uint32_t len = 1 + rng.next(6);
    for (std::uint32_t k = 0; k < len; ++k)
      names.push_back(allow_quotes && rng.next(200) == 0 ? odd[rng.next(4)] : plain[rng.next(8)]);
    row(names, allow_quotes && rng.next(500) == 0);
  }
  // A row whose quoted path spans byte `at` of the text with a line end inside it, just after it.
  void row_across(std::size_t at) {
    while (text.size() + 400 < at) random_row(true);
    std::vector<std::string> names = {"search", std::string(text.size() < at ? at - text.size() : 0, 'x') + "\nend",
                                      "email"};
    row(names, true);
  }
};

Generated generate(bool quotes, std::size_t rows, std::uint64_t seed) {
  Generated g;
  g.rng.s = seed;
  g.text = "\xEF\xBB\xBFpath,total_conversions,total_null,total_conversion_value\n";
  if (quotes) {
    // Multi-line quoted paths over the byte where the first piece would be cut by count (a piece holds at
    // least kPiece bytes after the header) and over the end of the first block.
    g.row_across(g.text.size() + kPiece);
    g.row_across(kBlock);
  }
  while (g.paths.size() < rows) g.random_row(quotes);
  return g;
}

// The message of every way of reading `text` (which must be the same), for one comparison with the expected.
std::string error_every_way(const std::string& text, const std::string& file_name, const PathCsvOptions& o = {}) {
  const TempFile file(file_name, text);
  Execution one, two;
  one.threads = 1;
  two.threads = 2;
  const std::string serial = parse_error_text([&] { read_paths_csv(file.path, serial_options(o), nullptr, two); });
  CHECK(parse_error_text([&] { read_paths_csv(file.path, o, nullptr, one); }) == serial);
  CHECK(parse_error_text([&] { read_paths_csv(file.path, o, nullptr, two); }) == serial);
  CHECK(parse_error_text([&] { parse_paths_csv(text, file.path, o, nullptr, one); }) == serial);
  CHECK(parse_error_text([&] { parse_paths_csv(text, file.path, o, nullptr, two); }) == serial);
  // The name in messages is the file's; replace it for the caller.
  std::string m = serial;
  if (m.rfind(file.path, 0) == 0) m = "p.csv" + m.substr(file.path.size());
  return m;
}

// The number of physical lines (LF, CRLF, lone CR) in text[0, to) outside nothing: for text without quotes.
std::uint64_t lines_before(const std::string& text, std::size_t to) {
  std::uint64_t n = 1;
  for (std::size_t i = 0; i < to; ++i)
    n += text[i] == '\n' || (text[i] == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n'));
  return n;
}

}  // namespace

TEST_CASE("G09 paths read in blocks and pieces on 1 and 2 threads: the same bits as the serial reader, the paths written",
          "[bad-inputs][large]") {
  for (bool quotes : {false, true}) {
    INFO("quoted fields: " << quotes);
    // 600k rows (about 20 MiB): three blocks, about 20 pieces.
    const Generated g = generate(quotes, 600000, quotes ? 7 : 3);
    REQUIRE(g.text.size() > 2 * kBlock + kPiece);
    BuildReport rep;
    const JourneySet s = read_paths_every_way(g.text, "parallel_paths_g09.csv", {}, rep);
    CHECK(rep.rows == g.paths.size());
    CHECK(rep.blank_lines == g.blank);
    CHECK(rep.rows_skipped == 0);
    // The paths the test wrote, row by row.
    REQUIRE(s.size() == g.paths.size());
    REQUIRE(s.key_kind() == KeyKind::integer);
    std::size_t differ = 0, first = 0;
    std::uint64_t zero = 0;
    for (std::size_t j = 0; j < s.size(); ++j) {
      const auto p = s.path(j);
      bool same = p.size() == g.paths[j].size() && s.conversions(j) == g.conversions[j] &&
                  s.nulls(j) == g.nulls[j] && s.value(j) == g.values[j] && s.key_integer(j) == std::int64_t(j);
      for (std::size_t k = 0; same && k < p.size(); ++k) same = s.touchpoints().name(p[k]) == g.paths[j][k];
      if (!same && differ++ == 0) first = j;
      zero += g.conversions[j] + g.nulls[j] == 0;
    }
    INFO("first different path: row " << first << ": " << s.path_string(first));
    CHECK(differ == 0);
    CHECK(rep.zero_weight_journeys == zero);
  }
}

TEST_CASE("G10 paths errors at piece and block boundaries: the serial reader's message and line on any thread count",
          "[bad-inputs][large]") {
  const Generated g = generate(false, 400000, 5);
  const std::string& text = g.text;
  // The first record boundary at or after `at`: where the reader cuts a piece that started `at` - kPiece
  // earlier (the file has no quotes, so line ends are record boundaries).
  auto cut_after = [&](std::size_t at) { return text.find('\n', at) + 1; };
  const std::size_t header = text.find('\n') + 1;
  const std::size_t cut1 = cut_after(header + kPiece);
  SECTION("the first row of a piece") {
    std::string t = text;
    t.insert(cut1, "search > email,two,0,0\n");
    const std::uint64_t line = lines_before(t, cut1);
    CHECK(error_every_way(t, "parallel_paths_g10.csv") == "p.csv:" + std::to_string(line) +
                                    ":16: field 'total_conversions': expected a finite number, got \"two\"");
  }
  SECTION("the last row of a piece, and a later one") {
    std::string t = text;
    // A bad row from the start of the row that holds byte header + kPiece to past that byte: the piece ends
    // with it.
    const std::size_t last = text.rfind('\n', header + kPiece - 1) + 1;
    const std::string path = "search >  > " + std::string(header + kPiece - last, 'e');
    t.insert(last, path + ",1,0,0\n" + "search > email,1,0,-5\n");
    const std::uint64_t line = lines_before(t, last);
    CHECK_THAT(error_every_way(t, "parallel_paths_g10.csv"),
               Catch::Matchers::StartsWith("p.csv:" + std::to_string(line) +
                                           ":1: field 'path': empty touchpoint name at position 2 of path \"search >  > e"));
  }
  SECTION("a quoted row across the first block end, with an error after it") {
    std::string t = text;
    const std::size_t last = text.rfind('\n', kBlock - 1) + 1;
    t.insert(last, "\"" + std::string(kBlock - last, 'a') + " \r\n> b\",1,0,0\r\nsearch,1,1\n");
    const std::uint64_t line = lines_before(t, last) + 2;
    CHECK(error_every_way(t, "parallel_paths_g10.csv") == "p.csv:" + std::to_string(line) +
                                    ":10: field 'total_null': expected 4 fields (as in the header), found 3; the row ends after \"1\" "
                                    "(missing 'total_conversion_value')");
  }
  SECTION("skipped rows in several pieces: counted, the first five in file order, rows keyed as in the file") {
    std::string t = text;
    std::vector<std::size_t> at;
    for (std::size_t k = 1; k <= 7; ++k) at.push_back(cut_after(header + k * kPiece + 3 * k));
    for (std::size_t k = at.size(); k-- > 0;) t.insert(at[k], "search,x,0,0\n");
    PathCsvOptions skip;
    skip.csv.skip_bad_rows = true;
    BuildReport rep;
    const JourneySet s = read_paths_every_way(t, "parallel_paths_g10s.csv", skip, rep);
    CHECK(rep.rows_skipped == 7);
    CHECK(rep.rows == g.paths.size() + 7);
    REQUIRE(rep.skipped_examples.size() == 5);
    for (std::size_t k = 0; k < 5; ++k) {
      INFO(rep.skipped_examples[k]);
      CHECK(rep.skipped_examples[k].find(":" + std::to_string(lines_before(t, at[k] + 13 * k)) + ":8: ") !=
            std::string::npos);
    }
    // Keys are data rows of the file: the rows after a skipped one are keyed past it.
    REQUIRE(s.size() == g.paths.size());
    CHECK(s.key_integer(s.size() - 1) == std::int64_t(g.paths.size() + 7 - 1));
  }
}

TEST_CASE("G11 the separator check sees the paths in file order across pieces", "[bad-inputs][large]") {
  // One-touch paths for two pieces, then paths that use "|": with separator ">" the check names the first
  // "|" path, at its line.
  std::string text = "path,total_conversions\n";
  std::uint64_t rows = 0;
  while (text.size() < 2 * kPiece) {
    text += "search,1\n";
    ++rows;
  }
  const std::uint64_t first = rows + 2;
  for (int k = 0; k < 300000; ++k) text += "search | email,1\n";
  CHECK(error_every_way(text, "parallel_paths_g11.csv") ==
        "p.csv:" + std::to_string(first) +
            ":1: field 'path': no path holds the separator \">\", so every path would be one touchpoint, but 300000 of " +
            std::to_string(rows + 300000) +
            " paths hold \"|\" (the first: \"search | email\"): set the separator to \"|\" (--sep, sep=)");
}
