// libFuzzer target: the aggregated paths CSV reader (parse_paths_csv) under three option sets, then the model.

#include <cstddef>
#include <cstdint>
#include <optional>

#include "fuzz_check.hpp"

namespace {

using namespace journeygraph;

std::vector<PathCsvOptions> variants() {
  std::vector<PathCsvOptions> v(3);
  // 1: defaults (ChannelAttribution's column names, ">" between touchpoints).
  // 2: tabs, a multi-byte separator, skipping, small fields, no nulls or value columns.
  v[1].csv.delimiter = '\t';
  v[1].csv.skip_bad_rows = true;
  v[1].csv.max_field_bytes = 32;
  v[1].separator = " > ";
  v[1].nulls = Column("", false);
  v[1].value = Column("", false);
  // 3: skipping, separator "->", counts in columns named like the path row's own words.
  v[2].csv.skip_bad_rows = true;
  v[2].separator = "->";
  v[2].conversions = Column("conv");
  v[2].nulls = Column("null", false);
  return v;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::vector<PathCsvOptions> all = variants();
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string name = "fuzz_paths.csv";
  for (const PathCsvOptions& o : all) {
    BuildReport rep;
    std::optional<JourneySet> js;
    try {
      js = parse_paths_csv(text, name, o, &rep);
    } catch (const Error& e) {
      jgfuzz::check_error(e, name);
      continue;
    }
    jgfuzz::check_journeys(*js, rep);
    if (!o.csv.skip_bad_rows) {
      PathCsvOptions skip = o;
      skip.csv.skip_bad_rows = true;
      BuildReport rep2;
      jgfuzz::check_same(*js, parse_paths_csv(text, name, skip, &rep2));
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
