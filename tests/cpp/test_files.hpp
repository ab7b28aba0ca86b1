#pragma once
// Shared by the C++ tests that write inputs and compare readers: a temporary file removed at the end of its
// scope, a small deterministic generator for the tests that make large inputs, and the comparisons of two
// readings of one input (journeys column by column, build reports field by field, parse errors by message).

#include <catch2/catch.hpp>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "journeygraph/error.hpp"
#include "journeygraph/io.hpp"
#include "journeygraph/journeys.hpp"

namespace jgtest {

// A file the test writes (bytes exactly as given) in the tests' temporary directory and removes.
struct TempFile {
  std::string path;
  TempFile(const std::string& name, const std::string& bytes) : path(std::string(JG_TEST_TMP_DIR) + "/" + name) {
    std::ofstream f(path, std::ios::binary);
    f.write(bytes.data(), std::streamsize(bytes.size()));
    f.close();
    REQUIRE(f.good());
  }
  ~TempFile() { std::remove(path.c_str()); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
};

// A small deterministic generator (64-bit LCG, high bits): next(n) is in [0, n).
struct Lcg {
  std::uint64_t s;
  std::uint32_t next(std::uint32_t n) {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    return std::uint32_t((s >> 33) % n);
  }
};

// n journeys of min_touches + [0, extra_touches) touches over the touchpoints "t0" .. "t<touchpoints - 1>",
// drawn from an Lcg seeded with seed; each has one null, and one journey in convert_one_in also a conversion.
// For the tests that need many journeys of a given shape (more than a chunk, a check interval, a block).
inline journeygraph::JourneySet random_journeys(std::uint64_t seed, std::size_t n, std::uint32_t min_touches,
                                                std::uint32_t extra_touches, std::uint32_t touchpoints,
                                                std::uint32_t convert_one_in) {
  Lcg g{seed};
  journeygraph::JourneySetBuilder b;
  for (std::size_t j = 0; j < n; ++j) {
    std::vector<std::string> path(min_touches + g.next(extra_touches));
    for (auto& t : path) t = "t" + std::to_string(g.next(touchpoints));
    b.add(path, g.next(convert_one_in) == 0 ? 1.0 : 0.0, 1.0, 0.0);
  }
  return b.finish();
}

// Two journey sets hold the same bits: dictionaries, offsets, touches, times, weights, segments, keys, totals.
inline void check_identical(const journeygraph::JourneySet& a, const journeygraph::JourneySet& b) {
  REQUIRE(a.size() == b.size());
  CHECK(a.touchpoints().names() == b.touchpoints().names());
  CHECK(a.segments().names() == b.segments().names());
  CHECK(a.offsets() == b.offsets());
  CHECK(a.touches() == b.touches());
  CHECK(a.timestamps() == b.timestamps());
  CHECK(a.conversions_column() == b.conversions_column());
  CHECK(a.nulls_column() == b.nulls_column());
  CHECK(a.values_column() == b.values_column());
  CHECK(a.segments_column() == b.segments_column());
  CHECK(a.time_unit() == b.time_unit());
  CHECK(a.time_kind() == b.time_kind());
  REQUIRE(a.key_kind() == b.key_kind());
  if (a.key_kind() == journeygraph::KeyKind::integer) {
    bool keys = true;
    for (std::size_t j = 0; j < a.size(); ++j) keys = keys && a.key_integer(j) == b.key_integer(j);
    CHECK(keys);
  }
  CHECK(a.total_conversions() == b.total_conversions());
  CHECK(a.total_nulls() == b.total_nulls());
  CHECK(a.total_value() == b.total_value());
}

// Two build reports count the same rows, skips, journeys, touches and changes, with the same notes.
inline bool same_report(const journeygraph::BuildReport& a, const journeygraph::BuildReport& b) {
  return a.rows == b.rows && a.rows_skipped == b.rows_skipped && a.skipped_examples == b.skipped_examples &&
         a.blank_lines == b.blank_lines && a.journeys == b.journeys && a.touches == b.touches &&
         a.splits_at_conversion == b.splits_at_conversion && a.duplicate_events == b.duplicate_events &&
         a.reordered_events == b.reordered_events && a.values_ignored == b.values_ignored &&
         a.zero_weight_journeys == b.zero_weight_journeys && a.notes == b.notes;
}

// The message of the ParseError f throws, or "no error".
inline std::string parse_error_text(const std::function<void()>& f) {
  try {
    f();
  } catch (const journeygraph::ParseError& e) {
    return e.what();
  }
  return "no error";
}

// The readers' piece size (src/io/readers.cpp).
constexpr std::size_t kPiece = std::size_t(1) << 20;

// Options that make read_paths_csv take the serial reader (a field limit below a block's 64th part).
inline journeygraph::PathCsvOptions serial_options(journeygraph::PathCsvOptions o = {}) {
  o.csv.max_field_bytes = 100000;
  return o;
}

// Every way of reading `text`: the serial reader, the parallel one on 1 and 2 threads, from a file and from
// memory; all must agree. Returns the serial result.
inline journeygraph::JourneySet read_paths_every_way(const std::string& text, const std::string& file_name,
                                                     const journeygraph::PathCsvOptions& o,
                                                     journeygraph::BuildReport& report) {
  const TempFile file(file_name, text);
  journeygraph::Execution one, two;
  one.threads = 1;
  two.threads = 2;
  journeygraph::BuildReport rs, r1, r2, rm;
  journeygraph::JourneySet s = journeygraph::read_paths_csv(file.path, serial_options(o), &rs, two);
  const journeygraph::JourneySet a = journeygraph::read_paths_csv(file.path, o, &r1, one);
  const journeygraph::JourneySet b = journeygraph::read_paths_csv(file.path, o, &r2, two);
  const journeygraph::JourneySet m = journeygraph::parse_paths_csv(text, file.path, o, &rm, two);
  check_identical(s, a);
  check_identical(s, b);
  check_identical(s, m);
  CHECK(same_report(rs, r1));
  CHECK(same_report(rs, r2));
  CHECK(same_report(rs, rm));
  report = rs;
  return s;
}

}  // namespace jgtest
