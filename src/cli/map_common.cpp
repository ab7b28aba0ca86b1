#include "map_common.hpp"

#include <algorithm>

#include "common.hpp"
#include "journeygraph/text.hpp"

namespace jg = journeygraph;

namespace journeygraph::cli {

void add_stage_options(Args& a) {
  a.section("stages")
      .option("stages", "FILE", "CSV with columns touchpoint,stage: the stage of every touchpoint")
      .option("stage-order", "LIST", "comma-separated stages in funnel order (default: order of first appearance)")
      .option("other-stage", "NAME", "stage for touchpoints the stages file does not name (default: an error)")
      .option("funnel-journeys", "WHICH",
              "journeys the funnel counts: first (those not beginning after a conversion), repeat or all",
              jg::funnel_journeys_name(jg::FunnelOptions().journeys));
}

jg::FunnelOptions funnel_options(const Args& a) {
  jg::FunnelOptions o;
  if (auto j = a.maybe("funnel-journeys")) o.journeys = jg::parse_funnel_journeys(*j);
  return o;
}

jg::StageMap load_stages(const Args& a) {
  auto file = a.maybe("stages");
  if (!file) {
    if (a.has("stage-order") || a.has("other-stage"))
      throw UsageError("--stage-order and --other-stage need --stages FILE");
    return {};
  }
  jg::StageCsvOptions o;
  if (auto order = a.maybe("stage-order")) {
    o.order = split_list(*order);
    if (o.order.empty()) throw UsageError("--stage-order is empty");
  }
  return jg::read_stages_csv(*file, o);
}

jg::MapOptions map_options(const Args& a) {
  jg::MapOptions o;
  o.model = model_options(a);
  o.other_stage = a.get("other-stage", "");
  return o;
}

jg::JourneyMap load_map(const Args& a, const std::string& file) {
  jg::StageMap stages = load_stages(a);
  jg::BuildReport report;
  jg::JourneySet js = load_journeys(a, file, report);
  print_report(a, report);
  return jg::JourneyMap(std::move(js), std::move(stages), map_options(a), execution(a));
}

}  // namespace journeygraph::cli
