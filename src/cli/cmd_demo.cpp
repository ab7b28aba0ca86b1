// journeygraph demo

#include <iostream>

#include "commands.hpp"
#include "common.hpp"
#include "journeygraph/io.hpp"
#include "map_common.hpp"
#include "journeygraph/journey_map.hpp"
#include "journeygraph/samples.hpp"
#include "journeygraph/version.hpp"

namespace jg = journeygraph;

namespace journeygraph::cli {

int cmd_demo(int argc, char** argv) {
  Args a("demo", "Run the whole job on the built-in retailer sample: build journeys from its touch log,\n"
                 "fit orders 1 and 2, print the attribution tables, the stage funnel and the top pain\n"
                 "points, and optionally write the HTML report.",
         "[options]");
  a.option("customers", "N", "customers in the sample", std::to_string(jg::kSampleCustomers))
      .option("seed", "S", "random seed of the sample", std::to_string(jg::kSampleSeed))
      .option("threads", "N", "worker threads (0 = all cores)", "0")
      .option("report", "FILE", "also write the HTML report of the sample's journey map to FILE");
  if (!a.parse(argc, argv, 2)) return 0;
  if (!a.positional().empty()) throw UsageError("demo takes no FILE");
  const auto customers = static_cast<std::size_t>(a.get_int("customers", jg::kSampleCustomers, 1, 100000000));
  const auto seed = static_cast<std::uint64_t>(a.get_int("seed", jg::kSampleSeed, 0, (1LL << 62)));
  const jg::Execution exec = execution(a);
  jg::BuildReport report;
  const jg::JourneySet js = jg::build_journeys(jg::sample_events(customers, seed).arrays(), {}, &report, exec);
  jg::write_standard_output("journeygraph " + std::string(jg::version_string()) + " demo: a retailer's touch log (" +
                            std::to_string(customers) + " customers, seed " + std::to_string(seed) + ")\n  " +
                            report.summary() + "\n  " + std::to_string(js.touchpoints().size()) +
                            " touchpoints over awareness, consideration, purchase, retention and advocacy\n\n");
  std::vector<Table> tables;
  std::vector<TextOptions> texts;
  for (unsigned order : {1u, 2u}) {
    jg::AttributionOptions opt;
    opt.markov.order = order;
    const jg::AttributionResult r = jg::attribute(js, opt, exec);
    tables.push_back(jg::attribution_table(r));
    texts.push_back(attribution_text(r));
  }
  // The journey map of the sample, with its stages: the funnel and the top pain points.
  const jg::JourneyMap map(js, jg::sample_stage_map(), {}, exec);
  TextOptions funnel;
  funnel.columns = {"stage", "journeys", "advanced_share", "converted_share", "dropped_share", "moves_backward",
                    "time_in_stage_median_s"};
  const jg::Funnel f = map.funnel(exec);
  tables.push_back(jg::funnel_table(f));
  texts.push_back(funnel);
  TextOptions pain;
  pain.max_rows = 8;
  tables.push_back(jg::pain_point_table(map.pain_points(), map.stages().stages()));
  texts.push_back(pain);
  print_tables(a, tables, texts);
  if (auto out = a.maybe("report")) {
    jg::RenderOptions ro;
    ro.title = "Journey map of the retailer sample";
    jg::write_text_file(*out, jg::render_map(map, jg::MapFormat::html, ro, exec));
    jg::write_standard_output("\nwrote the HTML report to " + *out + "\n");
  }
  return 0;
}

}  // namespace journeygraph::cli
