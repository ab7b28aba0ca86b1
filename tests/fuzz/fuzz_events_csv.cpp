// libFuzzer target: the events CSV reader (parse_events_csv) under three option sets, then the model.

#include <cstddef>
#include <cstdint>
#include <optional>

#include "fuzz_check.hpp"

namespace {

using namespace journeygraph;

struct Variant {
  EventCsvOptions csv;
  JourneyOptions journeys;
};

std::vector<Variant> variants() {
  std::vector<Variant> v(3);
  // 1: defaults.
  // 2: another dialect, every optional column, small fields, skipping, no time column, trimming options.
  v[1].csv.csv.delimiter = ';';
  v[1].csv.csv.skip_bad_rows = true;
  v[1].csv.csv.max_field_bytes = 24;
  v[1].csv.time = Column("", false);
  v[1].csv.segment = Column("segment", false);
  v[1].journeys.split_on_conversion = false;
  v[1].journeys.collapse_repeats = true;
  v[1].journeys.max_touches = 3;
  // 3: defaults with nanosecond integers, a lookback window and an inactivity gap, skipping.
  v[2].csv.csv.skip_bad_rows = true;
  v[2].csv.time_format.integer_unit = TimeUnit::nanoseconds;
  v[2].journeys.lookback = 100.0;
  v[2].journeys.gap = 10.0;
  return v;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::vector<Variant> all = variants();
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string name = "fuzz.csv";
  for (std::size_t i = 0; i < all.size(); ++i) {
    const Variant& v = all[i];
    BuildReport rep;
    std::optional<JourneySet> js;
    try {
      js = parse_events_csv(text, name, v.csv, v.journeys, &rep);
    } catch (const Error& e) {
      jgfuzz::check_error(e, name);
      continue;
    }
    jgfuzz::check_journeys(*js, rep);
    if (!v.csv.csv.skip_bad_rows) {
      // Accepted without skipping: skipping changes nothing.
      EventCsvOptions skip = v.csv;
      skip.csv.skip_bad_rows = true;
      BuildReport rep2;
      jgfuzz::check_same(*js, parse_events_csv(text, name, skip, v.journeys, &rep2));
      JG_FUZZ_REQUIRE(rep2.rows_skipped == 0 && rep2.rows == rep.rows, rep2.summary());
    }
    try {
      jgfuzz::check_models(*js);
    } catch (const DataError& e) {
      jgfuzz::violated("model of accepted journeys failed", e.what());
    }
  }
  return 0;
}
