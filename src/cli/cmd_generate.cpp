// journeygraph generate

#include <fstream>

#include "journeygraph/samples.hpp"

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "journeygraph/text.hpp"
#include "journeygraph/error.hpp"

namespace jg = journeygraph;

namespace journeygraph::cli {

int cmd_generate(int argc, char** argv) {
  Args a("generate", "Write a seeded synthetic data set as an events CSV or an aggregated paths CSV.", "-o FILE [options]");
  a.option("output", "FILE", "file to write (required)")
      .option("kind", "KIND", "events or paths", "paths")
      .option("journeys", "N", "journeys to draw", "100000")
      .option("touchpoints", "N", "distinct touchpoints", "12")
      .option("mean-touches", "X", "mean touches per journey", "4")
      .option("min-touches", "N", "shortest journey", "1")
      .option("zipf", "X", "popularity skew of touchpoints (0 = uniform)", "1")
      .option("seed", "S", "random seed", "1")
      .flag("sample", "write the built-in retailer sample instead (events)");
  if (!a.parse(argc, argv, 2)) return 0;
  auto out = a.maybe("output");
  if (!out) throw UsageError("--output FILE is required");
  jg::EventTable ev;
  if (a.has("sample")) {
    ev = jg::sample_events(static_cast<std::size_t>(a.get_int("journeys", 20000, 1, 1LL << 40)),
                           static_cast<std::uint64_t>(a.get_int("seed", 42, 0, 1LL << 62)));
  } else {
    jg::SyntheticOptions o;
    o.journeys = static_cast<std::size_t>(a.get_int("journeys", 100000, 1, 1LL << 40));
    o.touchpoints = static_cast<std::size_t>(a.get_int("touchpoints", 12, 1, 1000000));
    o.mean_touches = a.get_double("mean-touches", 4.0);
    o.zipf = a.get_double("zipf", 1.0);
    o.min_touches = static_cast<std::size_t>(a.get_int("min-touches", 1, 1, 200));
    o.seed = static_cast<std::uint64_t>(a.get_int("seed", 1, 0, 1LL << 62));
    ev = jg::synthetic_events(o);
  }
  const std::string kind = a.has("sample") ? "events" : a.get("kind", "paths");
  if (kind == "paths") {
    jg::JourneySet js = jg::build_journeys(ev.arrays());
    jg::write_paths_csv(js, *out);
  } else if (kind == "events") {
    std::ofstream f(*out, std::ios::binary);
    if (!f) throw jg::IoError("cannot write " + *out);
    const bool seg = !ev.segment.empty();
    f << "journey_id,timestamp,touchpoint,conversion,value" << (seg ? ",segment" : "") << "\n";
    for (std::size_t i = 0; i < ev.size(); ++i) {
      f << ev.journey[i] << ',' << ev.time[i] << ',' << ev.touchpoint_names[ev.touchpoint[i]] << ','
        << int(ev.conversion[i]) << ',' << jg::format_number(ev.value[i]);
      if (seg) f << ',' << ev.segment_names[ev.segment[i]];
      f << '\n';
    }
    if (!f) throw jg::IoError("error writing " + *out);
  } else {
    throw UsageError("--kind must be events or paths");
  }
  return 0;
}


}  // namespace journeygraph::cli
