// journeygraph demo

#include <iostream>

#include "journeygraph/journey_map.hpp"
#include "journeygraph/samples.hpp"
#include "journeygraph/version.hpp"

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cli/map_common.hpp"
#include "journeygraph/text.hpp"
#include "journeygraph/error.hpp"

namespace jg = journeygraph;

namespace journeygraph::cli {

int cmd_demo(int argc, char** argv) {
  Args a("demo", "Run the whole job on the built-in retailer sample: build journeys from its touch log,\n"
                 "fit orders 1 and 2, print the attribution tables, the stage funnel and the top pain\n"
                 "points, and optionally write the HTML report.",
         "[options]");
  a.option("customers", "N", "customers in the sample", "20000")
      .option("seed", "S", "random seed of the sample", "42")
      .option("threads", "N", "worker threads (0 = all cores)", "0")
      .option("report", "FILE", "also write the HTML report of the sample's journey map to FILE");
  if (!a.parse(argc, argv, 2)) return 0;
  if (!a.positional().empty()) throw UsageError("demo takes no FILE");
  const auto customers = static_cast<std::size_t>(a.get_int("customers", 20000, 1, 100000000));
  const auto seed = static_cast<std::uint64_t>(a.get_int("seed", 42, 0, (1LL << 62)));
  const jg::Execution exec = execution(a);
  jg::EventTable ev = jg::sample_events(customers, seed);
  jg::BuildReport report;
  jg::JourneySet js = jg::build_journeys(ev.arrays(), {}, &report, exec);
  std::cout << "journeygraph " << jg::version_string() << " demo: a retailer's touch log (" << customers
            << " customers, seed " << seed << ")\n"
            << "  " << report.summary() << "\n"
            << "  " << js.touchpoints().size() << " touchpoints over awareness, consideration, purchase, retention and advocacy\n\n";
  for (unsigned order : {1u, 2u}) {
    jg::AttributionOptions opt;
    opt.markov.order = order;
    jg::AttributionResult r = jg::attribute(js, opt, exec);
    print_attribution(std::cout, r, "table");
    std::cout << "\n";
  }
  // The journey map of the sample, with its stages.
  const jg::JourneyMap map(js, jg::sample_stage_map(), {}, exec);
  const jg::Funnel funnel = map.funnel(exec);
  std::cout << "Funnel (journeys that reached each stage; of them, the share that advanced to a later stage,\n"
               "converted without advancing, or dropped; backward moves; median time in the stage)\n";
  print_funnel_summary(std::cout, funnel);
  std::cout << "\nTop pain points (order-1 chain, exact: exit rate = P(no conversion next | at the touchpoint),\n"
               "P(conv) = P(eventual conversion | at it), drop-offs = journeys ending there unconverted,\n"
               "lost conv = removal effect x total conversions)\n";
  print_pain_summary(std::cout, map.pain_points(), map.stages().stages(), 8);
  if (auto out = a.maybe("report")) {
    jg::ReportOptions ro;
    ro.title = "Journey map of the retailer sample";
    jg::write_text_file(*out, jg::report_html(map, ro, exec));
    std::cout << "\nwrote the HTML report to " << *out << "\n";
  }
  return 0;
}


}  // namespace journeygraph::cli
