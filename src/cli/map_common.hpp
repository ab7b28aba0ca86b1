#pragma once
// Pieces shared by the journey-map commands (map, report, demo): stage options, building the map, and
// printing result tables.

#include <ostream>
#include <string>

#include "cli/args.hpp"
#include "journeygraph/journey_map.hpp"

namespace journeygraph::cli {

// --stages FILE, --stage-order LIST, --other-stage NAME.
void add_stage_options(Args& a);
// The stage map of --stages (empty without it), read with --stage-order.
StageMap load_stages(const Args& a);
// --order/--smoothing/--self-loops and --other-stage.
MapOptions map_options(const Args& a);
// Read FILE with the input options, print the build report, and build the map.
JourneyMap load_map(const Args& a, const std::string& file);
// A table as aligned text (integers without decimals, other numbers with 4), CSV or JSON.
void print_table(std::ostream& os, const DataTable& t, const std::string& format);
// The funnel as a short human summary (one line per stage).
void print_funnel_summary(std::ostream& os, const Funnel& f);
// The top pain points as a human table.
void print_pain_summary(std::ostream& os, const std::vector<PainPoint>& points, const std::vector<std::string>& stages,
                        std::size_t top);

}  // namespace journeygraph::cli
