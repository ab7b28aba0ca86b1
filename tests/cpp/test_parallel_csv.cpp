// The events CSV reader reads files in blocks cut into pieces of 1 MiB that are parsed on every thread (blocks
// of 64 MiB for a mapped file, 8 MiB for one read through a buffer; text in memory is one block). These tests
// make files of many pieces (G16: of two mapped blocks), with quoted fields (the quote-aware cut), CRLF
// and LF line ends and blank lines (line numbers across pieces), and check that 1 and 2 threads give the
// same bits, that file and memory agree, and that the journeys equal build_journeys of the same events, which
// the test knows because it wrote them. Errors in several pieces: the first of the file is the one reported.

#include <catch2/catch.hpp>
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "journeygraph/error.hpp"
#include "journeygraph/io.hpp"
#include "test_files.hpp"

using namespace journeygraph;
using namespace jgtest;

namespace {

// A generated events file and the events it holds.
struct Generated {
  std::string text;
  EventTable events;     // what the text says, in file order (times in milliseconds)
  std::uint64_t lines = 1;  // physical lines written (the header is line 1)
  std::uint64_t blank = 0;
};

// `rows` events of journeys of 1..9 touches, grouped by journey id; quotes every `quote_every` rows (0: none).
Generated generate(std::size_t rows, std::size_t quote_every, std::uint64_t seed) {
  Generated g;
  Lcg rng{seed};
  g.text = "journey_id,timestamp,touchpoint,conversion,value,device\n";
  const std::vector<std::string> names = {"search", "email", "display", "social", "tp, with comma", "say \"hi\"",
                                          "direct", "video"};
  for (const auto& n : names) g.events.touchpoint_names.push_back(n);
  g.events.segment_names = {"mobile", "desktop"};
  g.events.time_unit = TimeUnit::milliseconds;
  std::int64_t journey = 1000;
  std::size_t left = 0;
  std::int64_t t = 1767225600;
  std::uint32_t device = 0;
  for (std::size_t i = 0; i < rows; ++i) {
    if (left == 0) {
      ++journey;
      left = 1 + rng.next(9);
      t = 1767225600 + std::int64_t(rng.next(7776000));
      device = rng.next(2);
    }
    --left;
    // Sometimes a touch earlier than the previous one (sorted by the reader), sometimes the same second.
    t += std::int64_t(rng.next(5000)) - 500;
    const bool quoted = quote_every && i % quote_every == 0;
    static const std::uint32_t plain[] = {0, 1, 2, 3, 6, 7};  // names without a comma or a quote
    const std::uint32_t tp = quoted ? 4 + rng.next(2) : plain[rng.next(6)];
    const bool conv = left == 0 && rng.next(3) == 0;
    const double value = conv ? double(rng.next(10000)) / 4 : 0.0;
    std::string field = names[tp];
    if (quoted) {
      std::string q = "\"";
      for (char c : field) q += c == '"' ? std::string("\"\"") : std::string(1, c);
      field = q + "\"";
    }
    g.text += std::to_string(journey) + "," + std::to_string(t) + "," + field + "," + (conv ? "1" : "0") + "," +
              (conv ? std::to_string(value) : std::string()) + "," + g.events.segment_names[device];
    g.text += rng.next(4) == 0 ? "\r\n" : "\n";
    ++g.lines;
    if (rng.next(5000) == 0) {
      g.text += rng.next(2) ? "\n" : "\r\n";
      ++g.lines;
      ++g.blank;
    }
    g.events.journey.push_back(journey);
    g.events.time.push_back(t * 1000);
    g.events.touchpoint.push_back(tp);
    g.events.conversion.push_back(conv ? 1 : 0);
    g.events.value.push_back(value);
    g.events.segment.push_back(device);
  }
  return g;
}

EventCsvOptions options() {
  EventCsvOptions o;
  o.segment = Column("device");
  return o;
}

// The same journeys by name (dictionaries may be ordered differently); the first difference is named.
void check_same_by_name(const JourneySet& a, const JourneySet& b) {
  REQUIRE(a.size() == b.size());
  std::size_t differ = 0, first = 0;
  for (std::size_t j = 0; j < a.size(); ++j) {
    const bool same = a.path_string(j) == b.path_string(j) &&
                      std::equal(a.times(j).begin(), a.times(j).end(), b.times(j).begin(), b.times(j).end()) &&
                      a.conversions(j) == b.conversions(j) && a.value(j) == b.value(j) &&
                      a.segments().name(a.segment(j)) == b.segments().name(b.segment(j));
    if (!same && differ++ == 0) first = j;
  }
  INFO("first different journey: " << first << ": " << a.path_string(first) << " / " << b.path_string(first));
  CHECK(differ == 0);
}

}  // namespace

TEST_CASE("G07 blocks and pieces read on 1 and 2 threads: the same bits, equal to the events written", "[bad-inputs][large]") {
  for (std::size_t quote_every : {std::size_t(0), std::size_t(997)}) {
    INFO("quotes every " << quote_every << " rows");
    // 700k rows (over 20 MiB): about 20 pieces.
    const Generated g = generate(700000, quote_every, 11 + quote_every);
    REQUIRE(g.text.size() > (std::size_t(20) << 20));
    const TempFile file("parallel.csv", g.text);
    JourneyOptions jo;
    jo.gap = 3 * 86400.0;
    Execution one, two;
    one.threads = 1;
    two.threads = 2;
    BuildReport r1, r2, rm;
    const JourneySet a = read_events_csv(file.path, options(), jo, &r1, one);
    const JourneySet b = read_events_csv(file.path, options(), jo, &r2, two);
    const JourneySet m = parse_events_csv(g.text, file.path, options(), jo, &rm, two);
    check_identical(a, b);
    check_identical(a, m);
    CHECK(same_report(r1, r2));
    CHECK(same_report(r1, rm));
    CHECK(r1.rows == g.events.size());
    CHECK(r1.blank_lines == g.blank);
    // The events the test wrote, built without any CSV.
    BuildReport rb;
    EventArrays ev = g.events.arrays();
    const JourneySet want = build_journeys(ev, jo, &rb);
    check_same_by_name(a, want);
    CHECK(r1.reordered_events == rb.reordered_events);
    CHECK(r1.splits_at_gap == rb.splits_at_gap);
    CHECK(r1.duplicate_events == rb.duplicate_events);
    CHECK(a.time_kind() == TimeKind::epoch);
  }
}

TEST_CASE("G08 errors in several pieces: the first of the file, at its physical line, on any thread count", "[bad-inputs][large]") {
  Generated g = generate(700000, 0, 5);
  // Two bad rows far apart (different pieces and blocks) and an after-2200 epoch number between them.
  const std::string bad1 = "99999999,1767225600,search,maybe,,mobile\n";
  const std::string big = "99999999,1767225600000,search,0,,mobile\n";
  std::string text = g.text;
  const std::size_t at1 = text.find('\n', text.size() / 3) + 1;
  const std::uint64_t line1 = 1 + std::uint64_t(std::count(text.begin(), text.begin() + at1, '\n'));
  text.insert(at1, bad1);
  const std::size_t at2 = text.find('\n', text.size() / 2) + 1;
  text.insert(at2, big);
  text += "99999998,x,search,0,,mobile\n";
  for (unsigned threads : {1u, 2u}) {
    Execution exec;
    exec.threads = threads;
    CHECK(parse_error_text([&] { parse_events_csv(text, "p.csv", options(), {}, nullptr, exec); }) ==
          "p.csv:" + std::to_string(line1) +
              ":28: field 'conversion': expected a conversion flag (1/0, true/false, yes/no), got \"maybe\"");
  }
  // Skipping bad rows: every piece's skips counted, the first five messages in file order; the after-2200
  // number still stops the read.
  EventCsvOptions skip = options();
  skip.csv.skip_bad_rows = true;
  const std::string big_message = parse_error_text([&] { parse_events_csv(text, "p.csv", skip); });
  CHECK_THAT(big_message, Catch::Matchers::Contains("epoch number \"1767225600000\" read in seconds (the default unit)"));
  text.erase(text.find(big), big.size());
  BuildReport r1, r2;
  Execution one, two;
  one.threads = 1;
  two.threads = 2;
  const TempFile file("parallel_skip.csv", text);
  const JourneySet a = read_events_csv(file.path, skip, {}, &r1, one);
  const JourneySet b = parse_events_csv(text, file.path, skip, {}, &r2, two);
  check_identical(a, b);
  CHECK(same_report(r1, r2));
  CHECK(r1.rows_skipped == 2);
  REQUIRE(r1.skipped_examples.size() == 2);
  CHECK_THAT(r1.skipped_examples[0], Catch::Matchers::StartsWith(file.path + ":" + std::to_string(line1) + ":28:"));
  CHECK_THAT(r1.skipped_examples[1], Catch::Matchers::Contains("invalid timestamp \"x\""));
  CHECK(r1.rows == g.events.size() + 2);
}

// ---- the fast path for plain rows at its edges
//
// The serial reader (a file read with max_field_bytes below 128 KiB never takes the block reader) runs the
// general tokenizer on every row: it is the reference for the block reader's fast path, on 1 and 2 threads,
// from a file and from memory. Equal means the same bits and the same report, or the same message.

namespace {

struct Outcome {
  std::optional<JourneySet> set;
  BuildReport report;
  std::string error;
};

Outcome read_with(const std::function<JourneySet(BuildReport*)>& read) {
  Outcome out;
  try {
    out.set.emplace(read(&out.report));
  } catch (const Error& e) {
    out.error = e.what();
  }
  return out;
}

void check_outcome(const Outcome& want, const Outcome& got) {
  CHECK(got.error == want.error);
  REQUIRE(got.set.has_value() == want.set.has_value());
  if (!want.set) return;
  check_identical(*want.set, *got.set);
  CHECK(same_report(want.report, got.report));
}

// The block reader on 1 and 2 threads (file) and 2 threads (memory) against the serial reader.
void check_against_serial(const std::string& text, EventCsvOptions o, const std::string& name = "edge.csv") {
  const TempFile file(name, text);
  EventCsvOptions serial = o;
  serial.csv.max_field_bytes = 100000;
  const Outcome want = read_with([&](BuildReport* r) { return read_events_csv(file.path, serial, {}, r); });
  for (unsigned threads : {1u, 2u}) {
    INFO(threads << " threads");
    Execution exec;
    exec.threads = threads;
    check_outcome(want, read_with([&](BuildReport* r) { return read_events_csv(file.path, o, {}, r, exec); }));
    if (threads == 2)
      check_outcome(want, read_with([&](BuildReport* r) { return parse_events_csv(text, file.path, o, {}, r, exec); }));
  }
}

const std::string kHeader = "journey_id,timestamp,touchpoint,conversion,value,device\n";

// `rows` plain rows of journeys numbered from `first` (4 rows each).
std::string plain_rows(std::size_t rows, std::int64_t first) {
  std::string s;
  static const char* names[] = {"search", "email", "display", "social"};
  for (std::size_t i = 0; i < rows; ++i)
    s += std::to_string(first + std::int64_t(i / 4)) + "," + std::to_string(1767225600 + i) + "," + names[i % 4] + "," +
         (i % 4 == 3 ? "1,2.5" : "0,") + "," + (i % 8 < 4 ? "mobile" : "desktop") + "\n";
  return s;
}

}  // namespace

TEST_CASE("G12 the fast path's edges: quotes, blanks to trim, CRLF, blank lines; the serial reader's bits", "[bad-inputs][large]") {
  const std::string before = plain_rows(40, 1), after = plain_rows(40, 500);
  const std::vector<std::pair<const char*, std::string>> middles = {
      {"a quoted field among plain rows", "100,1767225700,\"say \"\"hi\"\"\",0,,mobile\n100,1767225701,\"a, b\",1,3,mobile\n"},
      {"a quoted line end", "100,1767225700,\"two\nlines\",0,,mobile\n"},
      {"a quoted journey id", "\"100\",1767225700,search,0,,mobile\n100,1767225701,email,0,,mobile\n"},
      {"blanks to trim", " 100 ,\t1767225700 , search ,0 , ,mobile\n100,1767225701,email , 1, 4 ,mobile \n"},
      {"CRLF line ends", "100,1767225700,search,0,,mobile\r\n100,1767225701,email,1,2,mobile\r\n"},
      {"blank lines", "\n\r\n100,1767225700,search,0,,mobile\n\n"},
      {"an ISO time", "100,2026-01-01T00:01:40Z,search,0,,mobile\n"},
      {"a flag spelled out", "100,1767225700,search,yes,7,mobile\n101,1767225701,email,False,,mobile\n"},
      {"non-ASCII names", "100,1767225700,caf\xC3\xA9,0,,mobile\n100,1767225701,\xE6\x97\xA5\xE6\x9C\xAC,0,,mobile\n"},
      {"a long touchpoint name", "100,1767225700,a-touchpoint-name-longer-than-a-word,0,,mobile\n"},
  };
  for (const auto& [what, middle] : middles) {
    INFO(what);
    check_against_serial(kHeader + before + middle + after, EventCsvOptions(options()));
  }
  // The last row without a line end, with a CR alone at the end, with CRLF.
  for (const char* tail : {"", "\r", "\r\n"}) {
    INFO("tail '" << tail << "'");
    check_against_serial(kHeader + before + "9,1767225700,search,0,,mobile" + tail, options());
  }
}

TEST_CASE("G13 bad values on the fast path: the general path's message, file, line and column", "[bad-inputs][large]") {
  const std::string before = plain_rows(40, 1), after = plain_rows(40, 500);
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"100,1767225700,search,maybe,,mobile\n", "edge.csv:42:23: field 'conversion'"},
      {"100,17672x5700,search,0,,mobile\n", "edge.csv:42:5: field 'timestamp'"},
      {"100,1767225700,,0,,mobile\n", "edge.csv:42:16: field 'touchpoint'"},
      {"100,1767225700,  ,0,,mobile\n", "edge.csv:42:16: field 'touchpoint'"},
      {",1767225700,search,0,,mobile\n", "edge.csv:42:1: field 'journey_id'"},
      {"100,1767225700,search,1,-2,mobile\n", "edge.csv:42:25: field 'value'"},
      {"100,1767225700,search,1,abc,mobile\n", "edge.csv:42:25: field 'value'"},
      {"100,1767225700,search,0,,mobile,extra\n", "edge.csv:42:33:"},
      {"100,1767225700,search,0,,\n", "edge.csv:42:26: field 'device'"},
      {"100,1767225700,search,0\n", "edge.csv:42:23: field 'conversion'"},
      {"100,1767225700,se\xFF,0,,mobile\n", "edge.csv:42:16: field 'touchpoint'"},
      {std::string("100,1767225700,se\0ch,0,,mobile\n", 31), "edge.csv:42:16: field 'touchpoint'"},
      {"100,1767225700,se\"ch,0,,mobile\n", ""},  // a quote inside a field is text
      {"100,1767225700000,search,0,,mobile\n", "edge.csv:42:5: field 'timestamp'"},
  };
  for (const auto& [row, where] : bad) {
    INFO("row " << row);
    const std::string text = kHeader + before + row + after;
    check_against_serial(text, options());
    const Outcome got = read_with([&](BuildReport* r) { return parse_events_csv(text, "edge.csv", options(), {}, r); });
    if (where.empty()) {
      CHECK(got.error.empty());
    } else {
      CHECK_THAT(got.error, Catch::Matchers::StartsWith(where));
    }
    // Skipping bad rows: the same rows skipped, the same examples.
    EventCsvOptions skip = options();
    skip.csv.skip_bad_rows = true;
    check_against_serial(text, skip);
  }
}

TEST_CASE("G14 a piece boundary at every byte of a short stretch of edge cases", "[bad-inputs][large]") {
  // Pieces are cut at the first record boundary at or after 1 MiB from a piece's start. Plain rows fill the
  // first piece to a byte-exact length (a value padded with zeros), so that as the padding grows by one byte
  // the cut moves by one byte across the stretch below; the journeys do not change with the padding.
  const std::string stretch_quoted =
      "100,1767225700,\"say \"\"hi\"\"\",0,,mobile\r\n100,1767225701,\"two\nlines\",0,,mobile\n\n"
      " 100 , 1767225702 , email ,1, 2 ,mobile\r\n101,1767225703,search,0,,desktop\n";
  const std::string stretch_plain =
      "100,1767225700,search,0,,mobile\r\n100,1767225701,display,0,,mobile\n\n"
      " 100 , 1767225702 , email ,1, 2 ,mobile\r\n101,1767225703,search,0,,desktop\n";
  const std::size_t chunk = std::size_t(1) << 20;
  for (const std::string* stretch : {&stretch_plain, &stretch_quoted}) {
    INFO((stretch == &stretch_plain ? "without quotes" : "with quotes"));
    // Rows of the first piece up to a little before the chunk size, less the longest padding.
    std::string fill;
    std::int64_t j = 1;
    while (fill.size() + 200 + stretch->size() < chunk) fill += plain_rows(4, j++);
    const std::string tail = plain_rows(400, 100000);
    std::optional<Outcome> first;
    for (std::size_t pad = 0; pad < 200 + stretch->size() + 8; ++pad) {
      // The padded row: its value 0.000... (not a conversion: the value is ignored, being zero).
      const std::string padded = "99,1767225599,search,0,0." + std::string(pad + 1, '0') + ",mobile\n";
      const std::string text = kHeader + padded + fill + *stretch + tail;
      const std::size_t cut_at = kHeader.size() + chunk, stretch_at = kHeader.size() + padded.size() + fill.size();
      if (cut_at + 4 < stretch_at || cut_at > stretch_at + stretch->size() + 4) continue;
      INFO("the 1 MiB point at byte " << (std::int64_t(cut_at) - std::int64_t(stretch_at)) << " of the stretch");
      // Where pieces are cut depends on the bytes alone, not on the thread count: two threads are enough.
      {
        Execution exec;
        exec.threads = 2;
        Outcome got = read_with([&](BuildReport* r) { return parse_events_csv(text, "cut.csv", options(), {}, r, exec); });
        REQUIRE(got.error.empty());
        if (!first) {
          // The first text read once by the serial reader: the reference for every padding.
          const TempFile file("cut.csv", text);
          EventCsvOptions serial = options();
          serial.csv.max_field_bytes = 100000;
          first = read_with([&](BuildReport* r) { return read_events_csv(file.path, serial, {}, r); });
          REQUIRE(first->error.empty());
          CHECK(first->report.blank_lines == 1);
        }
        check_outcome(*first, got);
      }
    }
    first.reset();
  }
}

TEST_CASE("G15 journey ids in increasing, decreasing and broken order; an id that comes back", "[bad-inputs][large]") {
  // Grouped files need no lookup while their ids increase (shorter first, then by bytes); the first id out of
  // that order moves to a hash table, and an id that comes back anywhere makes the file ungrouped. Each file
  // (about 300k rows, 9 pieces) is read on 1 and 2 threads, from disk and memory, and must
  // equal build_journeys of the events written.
  auto run = [](const std::vector<std::string>& ids, bool grouped) {
    Lcg rng{static_cast<std::uint64_t>(ids.size()) * 7 + (grouped ? 1 : 2)};
    std::string text = "journey_id,timestamp,touchpoint,conversion,value\n";
    EventTable ev;
    ev.touchpoint_names = {"search", "email", "display"};
    ev.time_unit = TimeUnit::milliseconds;  // the reader's unit for epoch seconds
    std::unordered_map<std::string, std::int64_t> seen_ids;  // id text -> its number in the events
    for (const std::string& id : ids) {
      const std::int64_t number = seen_ids.emplace(id, std::int64_t(seen_ids.size())).first->second;
      const std::uint32_t touches = 1 + rng.next(3);
      std::int64_t t = 1767225600 + std::int64_t(rng.next(86400));
      for (std::uint32_t k = 0; k < touches; ++k) {
        const std::uint32_t tp = rng.next(3);
        const bool conv = k + 1 == touches && rng.next(3) == 0;
        t += 60;
        text += id + "," + std::to_string(t) + "," + ev.touchpoint_names[tp] + "," + (conv ? "1" : "0") + "," +
                (conv ? "5" : "0") + "\n";
        ev.journey.push_back(number);
        ev.time.push_back(t * 1000);
        ev.touchpoint.push_back(tp);
        ev.conversion.push_back(conv ? 1 : 0);
        ev.value.push_back(conv ? 5.0 : 0.0);
      }
    }
    const TempFile file("ids.csv", text);
    EventCsvOptions o;
    Execution one, two;
    one.threads = 1;
    two.threads = 2;
    BuildReport r1, r2, rm, rb;
    const JourneySet a = read_events_csv(file.path, o, {}, &r1, one);
    const JourneySet b = read_events_csv(file.path, o, {}, &r2, two);
    const JourneySet m = parse_events_csv(text, file.path, o, {}, &rm, two);
    check_identical(a, b);
    check_identical(a, m);
    CHECK(same_report(r1, r2));
    CHECK(same_report(r1, rm));
    EventArrays arrays = ev.arrays();
    const JourneySet want = build_journeys(arrays, {}, &rb);
    REQUIRE(a.size() == want.size());
    std::size_t differ = 0;
    for (std::size_t j = 0; j < a.size(); ++j)
      differ += !(a.path_string(j) == want.path_string(j) && a.conversions(j) == want.conversions(j) &&
                  a.value(j) == want.value(j) &&
                  std::equal(a.times(j).begin(), a.times(j).end(), want.times(j).begin(), want.times(j).end()));
    CHECK(differ == 0);
    // A grouped file keeps each id's journeys in file order; an ungrouped one has fewer ids than groups.
    CHECK((seen_ids.size() == ids.size()) == grouped);
  };
  const std::size_t n = 150000;
  std::vector<std::string> up, down, broken, back_late, back_after_break, padded, back_by_word;
  for (std::size_t i = 0; i < n; ++i) {
    up.push_back(std::to_string(i + 1));  // crosses 9/10, 99/100, ..., 99999/100000
    down.push_back(std::to_string(n - i));
    padded.push_back("u" + std::string(6 - std::to_string(i).size(), '0') + std::to_string(i));
  }
  broken = up;
  std::swap(broken[n / 2], broken[n / 2 + 1]);  // one pair out of order, no id twice
  back_late = up;
  back_late.push_back("17");  // comes back after everything, in the last piece
  // Back at the end with as many digits as the greatest id ("150000"), before it in byte order but after it
  // read as a little-endian word (its last byte is the greater).
  back_by_word = up;
  back_by_word.push_back("100001");
  back_after_break = broken;
  back_after_break[n - 10] = back_after_break[n / 2 + 40];  // once the table answers
  SECTION("increasing") { run(up, true); }
  SECTION("zero-padded text") { run(padded, true); }
  SECTION("decreasing") { run(down, true); }
  SECTION("one pair out of order") { run(broken, true); }
  SECTION("an id back at the end") { run(back_late, false); }
  SECTION("an id back after the order broke") { run(back_after_break, false); }
  SECTION("an id back with as many digits as the greatest") { run(back_by_word, false); }
}

TEST_CASE("G16 two mapped blocks: a journey across the block's end, an id that comes back in the second", "[bad-inputs][large]") {
  // Over 64 MiB of short rows, so a mapped file is read in two blocks; the window of pieces turns over many
  // times. Ids increase, one journey runs across the first block's end; in a second file the first id comes
  // back at the end (in the second block), which makes the file ungrouped (read once: the other readers it falls
  // back to are compared across threads in G15).
  std::string text = "journey_id,timestamp,touchpoint,conversion,value\n";
  text.reserve(std::size_t(70) << 20);
  Lcg rng{16};
  std::int64_t journey = 0;
  std::size_t events = 0;
  bool long_written = false;
  while (text.size() < (std::size_t(66) << 20)) {
    // Near the 64 MiB mark, a journey of 3000 touches (about 80 KB) that the block's end falls inside.
    const bool long_one = !long_written && text.size() > (std::size_t(64) << 20) - 40000;
    long_written = long_written || long_one;
    const std::uint32_t touches = long_one ? 3000 : 1 + rng.next(4);
    for (std::uint32_t k = 0; k < touches; ++k, ++events)
      text += std::to_string(journey) + "," + std::to_string(1767225600 + 60 * k) + ",t" + std::to_string(rng.next(9)) +
              (k + 1 == touches && rng.next(3) == 0 ? ",1,2\n" : ",0,0\n");
    ++journey;
  }
  REQUIRE(long_written);
  auto read_all = [](const std::string& t) {
    const TempFile file("blocks.csv", t);
    Execution one, two;
    one.threads = 1;
    two.threads = 2;
    BuildReport r1, r2, rm;
    const JourneySet a = read_events_csv(file.path, {}, {}, &r1, one);
    const JourneySet b = read_events_csv(file.path, {}, {}, &r2, two);
    check_identical(a, b);
    CHECK(same_report(r1, r2));
    const JourneySet m = parse_events_csv(t, file.path, {}, {}, &rm, two);
    check_identical(a, m);
    CHECK(same_report(r1, rm));
    return a;
  };
  const JourneySet grouped = read_all(text);
  CHECK(grouped.size() == std::size_t(journey));
  CHECK(grouped.touch_count() == events);
  std::size_t longest = 0;
  for (std::size_t j = 0; j < grouped.size(); ++j) longest = std::max(longest, grouped.path(j).size());
  CHECK(longest == 3000);
  // Journey 0 again at the end: the file is ungrouped, and its one journey 0 gets the late touch.
  std::string back = text + "0,1767229200,t1,0,0\n";
  const TempFile file("blocks_back.csv", back);
  Execution two;
  two.threads = 2;
  const JourneySet regrouped = read_events_csv(file.path, {}, {}, nullptr, two);
  CHECK(regrouped.size() == std::size_t(journey));
  CHECK(regrouped.touch_count() == events + 1);
  CHECK(regrouped.path(0).size() == grouped.path(0).size() + 1);
}

TEST_CASE("G17 touchpoint names of 9 to 15 bytes between new short names: the serial reader's ids", "[bad-inputs][large]") {
  // A name of 9-15 bytes lives inside its string object, which moves when the piece's dictionary grows; each new
  // short name below grows it. Under AddressSanitizer a view of the moved name that outlived the growth fails.
  std::string text = kHeader;
  std::int64_t t = 1767225600;
  for (int k = 0; k < 300; ++k) {
    const std::string id = std::to_string(k / 3);
    text += id + "," + std::to_string(t++) + ",newsletter_x,0,,mobile\n";
    text += id + "," + std::to_string(t++) + ",s" + std::to_string(k) + ",0,,mobile\n";
    text += id + "," + std::to_string(t++) + ",newsletter_x," + (k % 3 == 2 ? "1,4" : "0,") + ",mobile\n";
    text += id + "," + std::to_string(t++) + ",a_long_name_of_23_bytes,0,,mobile\n";
  }
  check_against_serial(text, options());
}

TEST_CASE("G18 a NUL byte in the last bytes of a piece, after rows of every length mod 16", "[bad-inputs][large]") {
  // The scan for quotes, CRs and NULs reads 16 bytes at a time and the rest byte by byte: the NUL row ends the
  // text, after a row whose length moves it through every position of the last 16 bytes.
  for (std::size_t pad = 0; pad < 16; ++pad) {
    INFO("pad " << pad);
    const std::string text = kHeader + "1,1767225600,search" + std::string(pad, 'x') + ",0,,mobile\n" +
                             "1,1767225700,se" + std::string(1, '\0') + "ch,0,,mobile\n";
    check_against_serial(text, options());
    const Outcome got = read_with([&](BuildReport* r) { return parse_events_csv(text, "edge.csv", options(), {}, r); });
    CHECK_THAT(got.error, Catch::Matchers::StartsWith("edge.csv:3:14: field 'touchpoint'"));
  }
}
