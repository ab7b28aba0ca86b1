#pragma once
// Pieces shared by the funnel, paths and drivers commands: the event funnel's options (steps, order,
// windows, exclusions), cleaning rules, and core parse errors turned into usage errors naming the option.

#include <optional>
#include <string>

#include "args.hpp"
#include "journeygraph/cleaning.hpp"
#include "journeygraph/error.hpp"
#include "journeygraph/execution.hpp"
#include "journeygraph/journeys.hpp"
#include "journeygraph/stages.hpp"
#include "journeygraph/funnel.hpp"
#include "journeygraph/text.hpp"

namespace journeygraph::cli {

// --steps, --order, --window, --exclude, --by-segment, --level, --alpha (steps required only if `required`).
void add_funnel_options(Args& a, bool required);
// The funnel the options above define, or nullopt without --steps. stages: for "stage:NAME" steps.
std::optional<EventFunnelOptions> funnel_options(const Args& a, const StageMap* stages);
// --clean FILE, --collapse-repeats.
void add_cleaning_options(Args& a);
// The journeys with the rules of --clean (and --collapse-repeats) applied; what changed on stderr unless --quiet.
JourneySet clean_journeys(const Args& a, JourneySet journeys);
// The input of the funnel, paths and drivers commands: the stages (--stages), the execution options, and the
// journeys of file, read with the input options (build report on stderr) and cleaned (--clean).
struct AnalysisInput {
  StageMap stages;
  Execution exec;
  JourneySet journeys;
  // The stages for an options struct: nullptr without --stages.
  const StageMap* stage_map() const { return stages.empty() ? nullptr : &stages; }
};
AnalysisInput load_analysis_input(const Args& a, const std::string& file);
// --NAME DURATION in seconds (parse_duration), or nullopt.
std::optional<double> duration_option(const Args& a, const std::string& name);
// Run a core parser on the value of --NAME; its InvalidArgument becomes a usage error naming the option.
template <class F>
auto parse_option(const std::string& name, const std::string& value, F&& parse) -> decltype(parse(value)) {
  try {
    return parse(value);
  } catch (const InvalidArgument& e) {
    throw UsageError("--" + name + " " + quoted(value) + ": " + e.what());
  }
}

}  // namespace journeygraph::cli
