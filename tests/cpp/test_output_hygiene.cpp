// Output, from the user's side: every write checked and atomic, CSV cells guarded against spreadsheet
// formulas, terminal tables free of control bytes, sizes that cannot be allocated refused as such.

#include <sys/resource.h>

#include <catch2/catch.hpp>
#include <csignal>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <vector>
#include <sstream>
#include <string>

#include "journeygraph/analysis.hpp"
#include "journeygraph/error.hpp"
#include "journeygraph/io.hpp"
#include "journeygraph/journeys.hpp"
#include "journeygraph/markov.hpp"
#include "journeygraph/table.hpp"
#include "journeygraph/text.hpp"

using namespace journeygraph;
namespace fs = std::filesystem;

namespace {
template <class E, class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  }
  FAIL("no error of the expected type");
  return {};
}

std::string slurp(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A fresh directory of its own, so a test can see every file a write leaves behind.
fs::path fresh_dir(const std::string& name) {
  const fs::path dir = fs::path(JG_TEST_TMP_DIR) / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::size_t files_in(const fs::path& dir) {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++n;
  return n;
}

MarkovModel small_model() {
  JourneySetBuilder b;
  const std::uint32_t a = b.touchpoint("a"), c = b.touchpoint("c");
  const std::uint32_t p1[2] = {a, c}, p2[1] = {c};
  b.add({p1, 2}, {}, 1.0, 1.0, 0.0);
  b.add({p2, 1}, {}, 0.0, 1.0, 0.0);
  return MarkovModel::fit(b.finish());
}
}  // namespace

TEST_CASE("W01 a write to a full device fails naming the file and the reason", "[bad-inputs][write]") {
  CHECK(error_of<IoError>([] { write_text_file("/dev/full", "x\n"); }) ==
        "error writing /dev/full: No space left on device");
  CHECK(error_of<IoError>([] { small_model().save("/dev/full"); }) ==
        "error writing /dev/full: No space left on device");
}

TEST_CASE("W02 a written file replaces the old one whole, keeps its mode and leaves no temporary file", "[write]") {
  const fs::path dir = fresh_dir("w02");
  const std::string file = (dir / "out.csv").string();
  write_text_file(file, "first\n");
  fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
  write_text_file(file, "second\n");
  CHECK(slurp(file) == "second\n");
  CHECK(fs::status(file).permissions() == (fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read));
  CHECK(files_in(dir) == 1);
}

TEST_CASE("W03 a write that fails half way leaves the old file as it was and no partial file", "[bad-inputs][write]") {
  const fs::path dir = fresh_dir("w03");
  const std::string file = (dir / "out.csv").string();
  write_text_file(file, "old contents\n");
  // A file size limit makes the kernel refuse the write past 1 KiB (EFBIG) as a full disk would.
  struct rlimit old {};
  getrlimit(RLIMIT_FSIZE, &old);
  struct rlimit small = old;
  small.rlim_cur = 1024;
  auto* previous = std::signal(SIGXFSZ, SIG_IGN);
  setrlimit(RLIMIT_FSIZE, &small);
  const std::string message = error_of<IoError>([&] { write_text_file(file, std::string(4096, 'x')); });
  setrlimit(RLIMIT_FSIZE, &old);
  std::signal(SIGXFSZ, previous);
  CHECK(message == "error writing " + file + ": File too large");
  CHECK(slurp(file) == "old contents\n");
  CHECK(files_in(dir) == 1);
}

TEST_CASE("W04 a directory or a missing directory as the output is an IoError naming it", "[bad-inputs][write]") {
  const fs::path dir = fresh_dir("w04");
  CHECK(error_of<IoError>([&] { write_text_file(dir.string(), "x"); }) ==
        "cannot write " + dir.string() + ": Is a directory");
  const std::string missing = (dir / "no" / "such.csv").string();
  CHECK(error_of<IoError>([&] { write_text_file(missing, "x"); }) ==
        "cannot write " + missing + ": No such file or directory");
}

TEST_CASE("O01 CSV text cells that a spreadsheet would evaluate get a leading quote; numbers never", "[bad-inputs][csv]") {
  Table t;
  t.add("touchpoint", std::vector<std::string>{"=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx",
                                              "-3", "+1.5e3", "plain", "a=b", ""});
  t.add("effect", std::vector<double>{-3.5, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8});
  t.add("count", std::vector<std::int64_t>{-4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
  const std::string guarded = to_csv(t);
  CHECK(guarded ==
        "touchpoint,effect,count\n"
        "'=cmd|' /C calc'!A0,-3.5,-4\n"
        "'+1+1,-1,0\n"
        "'-2+3,0,0\n"
        "'@SUM(A1),1,0\n"
        "'\tx,2,0\n"
        "\"'\rx\",3,0\n"
        "-3,4,0\n"
        "+1.5e3,5,0\n"
        "plain,6,0\n"
        "a=b,7,0\n"
        ",8,0\n");
  CsvOptions raw;
  raw.guard_formulas = false;
  CHECK(to_csv(t, raw) ==
        "touchpoint,effect,count\n"
        "=cmd|' /C calc'!A0,-3.5,-4\n"
        "+1+1,-1,0\n"
        "-2+3,0,0\n"
        "@SUM(A1),1,0\n"
        "\tx,2,0\n"
        "\"\rx\",3,0\n"
        "-3,4,0\n"
        "+1.5e3,5,0\n"
        "plain,6,0\n"
        "a=b,7,0\n"
        ",8,0\n");
  // write_table takes the option from TextOptions::csv.
  TextOptions text;
  CHECK(write_table(t, TableFormat::csv, text) == guarded);
  text.csv.guard_formulas = false;
  CHECK(write_table(t, TableFormat::csv, text) == to_csv(t, raw));
}

TEST_CASE("O02 terminal tables escape control bytes of names and metadata, keep UTF-8", "[bad-inputs][text]") {
  Table t;
  t.name = "effects\x1b[2J";
  t.set("note", std::string("bell\x07"));
  t.add("touchpoint", std::vector<std::string>{"\x1b[31mred", "two\nlines", "caf\xC3\xA9", "csi\xC2\x9B" "1m",
                                              "bad\xE9"});
  t.add("n", std::vector<std::int64_t>{1, 2, 3, 4, 5});
  TextOptions o;
  const std::string s = to_text(t, o);
  CHECK(s.find('\x1b') == std::string::npos);
  CHECK(s.find('\x07') == std::string::npos);
  CHECK(s.find("\xC2\x9B") == std::string::npos);
  CHECK(s ==
        "effects\\x1B[2J\n"
        "  note: bell\\x07\n"
        "\n"
        "touchpoint     n\n"
        "----------------\n"
        "\\x1B[31mred    1\n"
        "two\\nlines     2\n"
        "caf\xC3\xA9          3\n"
        "csi\\xC2\\x9B1m  4\n"
        "bad\\xE9        5\n");
}

TEST_CASE("O03 simulating more journeys than can be held is a size error, not an internal one", "[bad-inputs][simulate]") {
  const MarkovModel m = small_model();
  SimulationOptions o;
  o.journeys = std::numeric_limits<std::size_t>::max();
  CHECK(error_of<InvalidArgument>([&] { simulate_journeys(m, o); }) ==
        "simulation journeys must be at most 4294967296 (2^32), got " +
            std::to_string(std::numeric_limits<std::size_t>::max()));
  o.journeys = std::size_t(kMaxSimulatedJourneys) + 1;
  CHECK_THROWS_AS(simulate_journeys(m, o), InvalidArgument);
  o.journeys = 3;
  CHECK(simulate_journeys(m, o).size() == 3);
}

namespace {
// Lines of text split into whitespace-separated words (the test tables have no blanks inside cells).
std::vector<std::vector<std::string>> words_of(const std::string& text) {
  std::vector<std::vector<std::string>> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream ls(line);
    std::vector<std::string> w;
    std::string x;
    while (ls >> x) w.push_back(x);
    out.push_back(w);
  }
  return out;
}

Table wide_table() {
  Table t;
  t.name = "wide";
  t.add("touchpoint", std::vector<std::string>{"email", "social_ad", "a_much_longer_touchpoint_name", "tv"});
  t.add("segment", std::vector<std::string>{"desktop", "mobile", "desktop", "tablet"});
  for (int c = 0; c < 23; ++c) {
    std::vector<double> v;
    for (int r = 0; r < 4; ++r) v.push_back((c % 3 == 0) ? double(r * 1000 + c) : (r + 1) * 12345.678901 / (c + 1));
    t.add("model_" + std::to_string(c) + (c % 4 == 0 ? "_lower_bound" : ""), std::move(v));
  }
  t.add("flag", BoolColumn{{1, 0, 1, 0}});
  return t;
}
}  // namespace

TEST_CASE("wide text tables print in blocks of columns that fit the width", "[table][text]") {
  const Table t = wide_table();
  TextOptions o;
  o.heading = false;
  // Without a width: one block, as before.
  const std::string whole = to_text(t, o);
  const auto rows = words_of(whole);
  REQUIRE(rows.size() == 2 + t.rows());
  std::size_t longest = 0;
  {
    std::istringstream in(whole);
    std::string line;
    while (std::getline(in, line)) longest = std::max(longest, line.size());
  }
  REQUIRE(longest > 300);
  // The cells of the whole table by (row, column name).
  std::map<std::pair<std::size_t, std::string>, std::string> cells;
  for (std::size_t r = 0; r < t.rows(); ++r)
    for (std::size_t c = 0; c < t.names.size(); ++c) cells[{r, t.names[c]}] = rows[2 + r][c];
  CHECK(key_columns(t) == 2);
  for (std::size_t width : {60, 80, 120, 200}) {
    o.width = width;
    const std::string text = to_text(t, o);
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) CHECK(line.size() <= width);
    // Blocks: "columns N-M of K", the header, the rule, the rows; each non-key cell exactly once, beside its keys.
    const auto lines = words_of(text);
    std::map<std::pair<std::size_t, std::string>, int> seen;
    std::size_t next = 3;  // the first non-key column (1-based)
    for (std::size_t i = 0; i < lines.size();) {
      if (lines[i].empty()) {
        ++i;
        continue;
      }
      REQUIRE(lines[i].size() == 4);
      CHECK(lines[i][0] == "columns");
      const std::string range = lines[i][1];
      CHECK(lines[i][3] == std::to_string(t.names.size()));
      const auto& head = lines[i + 1];
      REQUIRE(head.size() >= 3);
      CHECK(head[0] == "touchpoint");
      CHECK(head[1] == "segment");
      CHECK(range == std::to_string(next) + "-" + std::to_string(next + head.size() - 3));
      next += head.size() - 2;
      for (std::size_t r = 0; r < t.rows(); ++r) {
        const auto& row = lines[i + 3 + r];
        REQUIRE(row.size() == head.size());
        CHECK(row[0] == cells[{r, "touchpoint"}]);
        CHECK(row[1] == cells[{r, "segment"}]);
        for (std::size_t k = 2; k < head.size(); ++k) {
          CHECK(row[k] == cells[{r, head[k]}]);
          ++seen[{r, head[k]}];
        }
      }
      i += 3 + t.rows();
    }
    CHECK(next == t.names.size() + 1);
    CHECK(seen.size() == t.rows() * (t.names.size() - 2));
    for (const auto& [cell, n] : seen) CHECK(n == 1);
  }
  // A table that fits is printed as before, and so is every table with width 0.
  o.width = 1000;
  CHECK(to_text(t, o) == whole);
  // Metadata and notes wrap too, after commas or at blanks, nothing lost.
  Table m = t;
  std::string models;
  for (int i = 0; i < 30; ++i) models += (i ? "," : "") + std::string("model_number_") + std::to_string(i);
  m.set("models", models);
  m.notes.push_back({"model_0_lower_bound", "the lower end of the interval of a model's credit, read from the "
                                            "bootstrap replicates as a percentile (see the options)"});
  o.heading = true;
  o.width = 60;
  const std::string text = to_text(m, o);
  std::istringstream in(text);
  std::string line, joined;
  while (std::getline(in, line)) {
    CHECK(line.size() <= 60);
    joined += line;
  }
  std::string squeezed;
  for (char ch : joined) if (ch != ' ') squeezed += ch;
  std::string want = models;
  CHECK(squeezed.find(want) != std::string::npos);
}

TEST_CASE("the long format of a table holds every value exactly", "[table][text]") {
  const Table t = wide_table();
  const Table l = long_table(t);
  const std::size_t others = t.names.size() - 2;
  REQUIRE(l.names == std::vector<std::string>{"touchpoint", "segment", "column", "value"});
  REQUIRE(l.rows() == t.rows() * others);
  REQUIRE(l.type(3) == ColumnType::real);
  const auto& tp = std::get<std::vector<std::string>>(l.columns[0]);
  const auto& column = std::get<std::vector<std::string>>(l.columns[2]);
  for (std::size_t r = 0; r < t.rows(); ++r)
    for (std::size_t c = 2; c < t.names.size(); ++c) {
      const std::size_t i = r * others + (c - 2);
      CHECK(tp[i] == std::get<std::vector<std::string>>(t.columns[0])[r]);
      CHECK(column[i] == t.names[c]);
      CHECK(l.number(3, i) == t.number(c, r));  // bit for bit
    }
  // Through CSV and back: the shortest round-trip text reads back to the same doubles.
  const std::string csv = to_csv(l);
  std::istringstream in(csv);
  std::string line;
  std::getline(in, line);
  CHECK(line == "touchpoint,segment,column,value");
  std::size_t i = 0;
  while (std::getline(in, line)) {
    const auto v = parse_number(line.substr(line.rfind(',') + 1));
    REQUIRE(v);
    CHECK(*v == l.number(3, i));
    ++i;
  }
  CHECK(i == l.rows());
  // A string column among the others: values as CSV cells.
  Table mixed = t;
  mixed.add("note", std::vector<std::string>{"x", "y", "z", "w"});
  const Table lm = long_table(mixed);
  REQUIRE(lm.type(3) == ColumnType::string);
  const auto& values = std::get<std::vector<std::string>>(lm.columns[3]);
  CHECK(values[others] == "x");
  CHECK(parse_number(values[0]) == t.number(2, 0));
  // The text writer's long format: one line per shown cell, under the same header.
  TextOptions o;
  o.heading = false;
  o.long_format = true;
  o.columns = {"touchpoint", "model_1", "model_2"};
  o.max_rows = 3;
  const auto lines = words_of(to_text(t, o));
  REQUIRE(lines.size() == 2 + 3 * 2);
  CHECK(lines[0] == std::vector<std::string>{"touchpoint", "column", "value"});
  CHECK(lines[3] == std::vector<std::string>{"email", "model_2", "4115.2263"});
}

TEST_CASE("CSV and JSON tables stream in pieces of whole rows; a sink may stop them", "[table][write]") {
  // 20,000 rows (about 280 KB of CSV): pieces of about 64 KiB, each ending a row.
  Table t;
  t.name = "big";
  std::vector<std::string> key;
  std::vector<std::int64_t> n;
  std::vector<double> x;
  std::string expected = "key,n,x\n";
  for (int i = 0; i < 20000; ++i) {
    key.push_back("k" + std::to_string(i));
    n.push_back(i);
    x.push_back(i / 4.0);  // exact quarters: their shortest form is known
    std::string xs = std::to_string(i / 4) + (i % 4 == 0 ? "" : i % 4 == 1 ? ".25" : i % 4 == 2 ? ".5" : ".75");
    expected += "k" + std::to_string(i) + "," + std::to_string(i) + "," + xs + "\n";
  }
  t.add("key", std::move(key)).add("n", std::move(n)).add("x", std::move(x));
  std::vector<std::string> pieces;
  write_csv(t, [&pieces](std::string_view p) { pieces.emplace_back(p); });
  REQUIRE(pieces.size() >= 4);
  std::string joined;
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    CHECK(pieces[i].back() == '\n');
    if (i + 1 < pieces.size()) CHECK(pieces[i].size() >= 65536);
    CHECK(pieces[i].size() < 65536 + 64);
    joined += pieces[i];
  }
  CHECK(joined == expected);
  CHECK(joined == to_csv(t));

  std::vector<std::string> json;
  write_json_document(t, [&json](std::string_view p) { json.emplace_back(p); });
  REQUIRE(json.size() >= 4);
  std::string whole;
  for (const auto& p : json) whole += p;
  CHECK(whole == to_json_document(t));
  CHECK(whole.rfind("{\n  \"table\": \"big\",", 0) == 0);
  CHECK(whole.find("{\"key\": \"k19999\", \"n\": 19999, \"x\": 4999.75}\n]\n}\n") != std::string::npos);

  // The JSON document's exact form, written out: no rows, and one row with metadata and notes.
  Table none;
  none.name = "t";
  none.add("key", std::vector<std::string>{});
  CHECK(to_json_document(none) == "{\n  \"table\": \"t\",\n  \"meta\": {},\n  \"rows\": []\n}\n");
  CHECK(to_json(none) == "[]\n");
  Table one;
  one.name = "t";
  one.add("key", std::vector<std::string>{"a"}).add("n", std::vector<std::int64_t>{1}).add("x", std::vector<double>{0.5});
  one.set("order", std::int64_t(2));
  one.notes.push_back({"x", "a note"});
  CHECK(to_json_document(one) ==
        "{\n  \"table\": \"t\",\n  \"meta\": {\"order\": 2},\n  \"notes\": {\"x\": \"a note\"},\n  \"rows\": [\n"
        "  {\"key\": \"a\", \"n\": 1, \"x\": 0.5}\n]\n}\n");
  CHECK(to_json(one) == "[\n  {\"key\": \"a\", \"n\": 1, \"x\": 0.5}\n]\n");

  // A sink that throws stops the writing: it is not called again.
  int calls = 0;
  auto stop = [&calls](std::string_view) {
    if (++calls == 2) throw Interrupted("stop");
  };
  CHECK_THROWS_AS(write_csv(t, stop), Interrupted);
  CHECK(calls == 2);
}
