// journeygraph generate

#include "journeygraph/samples.hpp"

#include "commands.hpp"
#include "common.hpp"
#include "journeygraph/text.hpp"
#include "journeygraph/error.hpp"

namespace jg = journeygraph;

namespace journeygraph::cli {

int cmd_generate(int argc, char** argv) {
  Args a("generate", "Write a seeded synthetic data set as an events CSV or an aggregated paths CSV.", "-o FILE [options]");
  jg::SyntheticOptions o;
  a.option("output", "FILE", "file to write (required)")
      .option("kind", "KIND", "events or paths", "paths")
      .option("journeys", "N", "journeys to draw (customers with --sample)", std::to_string(o.journeys))
      .option("touchpoints", "N", "distinct touchpoints", std::to_string(o.touchpoints))
      .option("mean-touches", "X", "mean touches per journey", jg::format_number(o.mean_touches))
      .option("min-touches", "N", "shortest journey", std::to_string(o.min_touches))
      .option("zipf", "X", "popularity skew of touchpoints (0 = uniform)", jg::format_number(o.zipf))
      .option("seed", "S", "random seed", std::to_string(o.seed))
      .flag("sample", "write the built-in retailer sample instead (events)")
      .flag("quiet", "print nothing but errors (no progress line, no 'wrote ...')");
  if (!a.parse(argc, argv, 2)) return 0;
  auto out = a.maybe("output");
  if (!out) throw UsageError("--output FILE is required");
  const std::string kind = a.has("sample") ? "events" : a.get("kind", "paths");
  if (kind != "paths" && kind != "events") throw UsageError("--kind must be events or paths");
  const jg::Execution exec = execution(a);  // the progress line; the draw is sequential whatever the threads
  jg::EventTable ev;
  if (a.has("sample")) {
    ev = jg::sample_events(static_cast<std::size_t>(a.get_int("journeys", jg::kSampleCustomers, 1, 1LL << 40)),
                           static_cast<std::uint64_t>(a.get_int("seed", jg::kSampleSeed, 0, 1LL << 62)), exec);
  } else {
    o.journeys = static_cast<std::size_t>(a.get_int("journeys", o.journeys, 1, 1LL << 40));
    o.touchpoints = static_cast<std::size_t>(a.get_int("touchpoints", o.touchpoints, 1, 1000000));
    o.mean_touches = a.get_double("mean-touches", o.mean_touches);
    o.zipf = a.get_double("zipf", o.zipf);
    o.min_touches = static_cast<std::size_t>(a.get_int("min-touches", o.min_touches, 1, 200));
    o.seed = static_cast<std::uint64_t>(a.get_int("seed", o.seed, 0, 1LL << 62));
    ev = jg::synthetic_events(o, exec);
  }
  if (kind == "paths") {
    jg::JourneySet js = jg::build_journeys(ev.arrays(), {}, nullptr, exec);
    jg::write_paths_csv(js, *out);
  } else {
    jg::CsvOptions raw;  // the file is made to be read back by the events reader, cell for cell
    raw.guard_formulas = false;
    jg::write_text_file(*out, jg::to_csv(jg::event_table(ev), raw));
  }
  check_interrupted();
  say(a, "wrote " + std::string(kind == "paths" ? "aggregated paths" : "events") + " to " + *out);
  return 0;
}


}  // namespace journeygraph::cli
