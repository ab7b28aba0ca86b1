#pragma once
// Pieces shared by the journey-map commands (map, report): the stage options and building the map.

#include <string>
#include <vector>

#include "args.hpp"
#include "journeygraph/journey_map.hpp"

namespace journeygraph::cli {

// --stages FILE, --stage-order LIST, --other-stage NAME, --funnel-journeys first|repeat|all.
void add_stage_options(Args& a);
// The stage map of --stages (empty without it), read with --stage-order.
StageMap load_stages(const Args& a);
// --order/--smoothing/--self-loops and --other-stage.
MapOptions map_options(const Args& a);
// --funnel-journeys as FunnelOptions (the core's default without it).
FunnelOptions funnel_options(const Args& a);
// Read FILE with the input options, print the build report, and build the map.
JourneyMap load_map(const Args& a, const std::string& file);

}  // namespace journeygraph::cli
