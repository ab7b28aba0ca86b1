// Output, from the user's side: every write checked and atomic, CSV cells guarded against spreadsheet
// formulas, terminal tables free of control bytes, sizes that cannot be allocated refused as such.

#include <sys/resource.h>

#include <catch2/catch.hpp>
#include <csignal>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>

#include "journeygraph/analysis.hpp"
#include "journeygraph/error.hpp"
#include "journeygraph/io.hpp"
#include "journeygraph/journeys.hpp"
#include "journeygraph/markov.hpp"
#include "journeygraph/table.hpp"

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
