// C ABI of event funnels, funnel trends, the path explorer, conversion drivers and cleaning rules. Texts are
// read by the core's parsers, so every face reads the same step, exclusion and feature syntax.

#include <algorithm>
#include <memory>

#include "capi/internal.hpp"
#include "journeygraph/cleaning.hpp"
#include "journeygraph/drivers.hpp"
#include "journeygraph/funnel.hpp"
#include "journeygraph/paths.hpp"

namespace journeygraph::capi {
namespace {

const jg_funnel_options kFunnelDefaults = [] {
  const EventFunnelOptions d;
  return jg_funnel_options{JG_FUNNEL_OPTIONS_VERSION, nullptr, 0, nullptr, 0.0, nullptr, 0, nullptr, 0, d.level, d.alpha};
}();
const jg_trend_options kTrendDefaults = {JG_TREND_OPTIONS_VERSION, nullptr, 0.0, 0, 0};
const jg_path_explorer_options kExplorerDefaults = [] {
  const PathExplorerOptions d;
  return jg_path_explorer_options{JG_PATH_EXPLORER_OPTIONS_VERSION, nullptr, nullptr, nullptr, d.from_step, d.to_step,
                                  d.drop_off ? 1 : 0, d.max_steps, d.top, d.variants, nullptr};
}();
const jg_driver_options kDriverDefaults = [] {
  const DriverOptions d;
  auto has = [](const std::vector<std::size_t>& v, std::size_t x) { return std::find(v.begin(), v.end(), x) != v.end(); };
  std::size_t at_least_max = 0;
  for (std::size_t n : d.at_least) at_least_max = std::max(at_least_max, n);
  return jg_driver_options{JG_DRIVER_OPTIONS_VERSION, d.touchpoints ? 1 : 0, has(d.kgrams, 2) ? 1 : 0,
                           has(d.kgrams, 3) ? 1 : 0, d.before ? 1 : 0, at_least_max, nullptr, 0, d.min_support,
                           nullptr, nullptr, d.length_strata, d.level, d.alpha, nullptr};
}();

const JourneySet& set_of(const jg_journeys* journeys) { return need(journeys, "journeys")->set; }
const StageMap* stages_of(const jg_stages* stages) { return stages ? &stages->stages : nullptr; }

}  // namespace

EventFunnelOptions to_event_funnel_options(const jg_funnel_options* o, const char* name) {
  need(o, name);
  check_version(o->version, JG_FUNNEL_OPTIONS_VERSION, "jg_funnel_options");
  const std::string n(name);
  EventFunnelOptions r;
  for (const auto& s : text_array(o->steps, o->n_steps, (n + "->steps").c_str(), (n + "->n_steps").c_str()))
    r.steps.push_back(parse_funnel_step(s));
  if (o->order) r.order = parse_funnel_order(o->order);
  if (o->window_seconds != 0) r.window = o->window_seconds;
  for (const auto& e : text_array(o->exclusions, o->n_exclusions, (n + "->exclusions").c_str(), (n + "->n_exclusions").c_str()))
    r.exclusions.push_back(parse_funnel_exclusion(e));
  r.stages = stages_of(o->stages);
  r.by_segment = o->by_segment != 0;
  r.level = o->level;
  r.alpha = o->alpha;
  return r;
}

PathExplorerOptions to_path_explorer_options(const jg_path_explorer_options* options, const char* name) {
  PathExplorerOptions o;
  if (!options) return o;
  check_version(options->version, JG_PATH_EXPLORER_OPTIONS_VERSION, "jg_path_explorer_options");
  if (options->start) o.start = options->start;
  if (options->end) o.end = options->end;
  if (options->funnel) o.funnel = to_event_funnel_options(options->funnel, (std::string(name) + "->funnel").c_str());
  o.from_step = options->from_step;
  o.to_step = options->to_step;
  o.drop_off = options->drop_off != 0;
  o.max_steps = options->max_steps;
  o.top = options->top;
  o.variants = options->variants;
  o.stages = stages_of(options->stages);
  return o;
}

DriverOptions to_driver_options(const jg_driver_options* options, const char* name) {
  DriverOptions o;
  if (!options) return o;
  check_version(options->version, JG_DRIVER_OPTIONS_VERSION, "jg_driver_options");
  const std::string n(name);
  o.touchpoints = options->touchpoints != 0;
  o.kgrams.clear();
  if (options->kgram2) o.kgrams.push_back(2);
  if (options->kgram3) o.kgrams.push_back(3);
  o.before = options->before != 0;
  o.at_least.clear();
  for (std::size_t k = 2; k <= options->at_least_max; ++k) o.at_least.push_back(k);
  o.features = text_array(options->features, options->n_features, (n + "->features").c_str(), (n + "->n_features").c_str());
  o.min_support = options->min_support;
  if (options->target) o.target = parse_driver_target(options->target);
  if (options->after) o.after = options->after;
  o.length_strata = options->length_strata;
  o.level = options->level;
  o.alpha = options->alpha;
  o.stages = stages_of(options->stages);
  return o;
}

}  // namespace journeygraph::capi

using namespace journeygraph;
using namespace journeygraph::capi;

extern "C" {

JG_DEFINE_INIT(jg_funnel_options, options, JG_FUNNEL_OPTIONS_VERSION, kFunnelDefaults)

jg_status jg_event_funnel(const jg_journeys* journeys, const jg_funnel_options* options, const jg_exec_options* exec,
                          jg_table** out_table) {
  return guard("jg_event_funnel", [&] {
    reset_out(out_table, "out_table");
    const EventFunnelOptions o = to_event_funnel_options(options, "options");
    *out_table = new_table(event_funnel_table(event_funnel(set_of(journeys), o, to_execution(exec))));
  });
}

JG_DEFINE_INIT(jg_trend_options, options, JG_TREND_OPTIONS_VERSION, kTrendDefaults)

jg_status jg_funnel_trends(const jg_journeys* journeys, const jg_funnel_options* funnel, const jg_trend_options* trends,
                           const jg_exec_options* exec, jg_table** out_trends, jg_table** out_curve) {
  return guard("jg_funnel_trends", [&] {
    reset_out(out_trends, "out_trends");
    reset_optional_out(out_curve);
    const EventFunnelOptions fo = to_event_funnel_options(funnel, "funnel");
    FunnelTrendOptions to;
    to.level = fo.level;
    to.alpha = fo.alpha;
    if (trends) {
      check_version(trends->version, JG_TREND_OPTIONS_VERSION, "jg_trend_options");
      if (trends->period) to.period = parse_trend_period(trends->period);
      if (trends->horizon_seconds != 0) to.horizon = trends->horizon_seconds;
      if (trends->has_data_end) to.data_end = trends->data_end;
    }
    const FunnelTrends tr = funnel_trends(set_of(journeys), fo, to, to_execution(exec));
    std::unique_ptr<jg_table> t(new_table(funnel_trend_table(tr))), c;
    if (out_curve) c.reset(new_table(conversion_curve_table(tr)));
    *out_trends = t.release();
    if (out_curve) *out_curve = c.release();
  });
}

JG_DEFINE_INIT(jg_path_explorer_options, options, JG_PATH_EXPLORER_OPTIONS_VERSION, kExplorerDefaults)

jg_status jg_explore_paths(const jg_journeys* journeys, const jg_path_explorer_options* options,
                           const jg_exec_options* exec, jg_table** out_steps, jg_table** out_variants) {
  return guard("jg_explore_paths", [&] {
    reset_optional_out(out_steps);
    reset_optional_out(out_variants);
    const PathExplorerOptions o = to_path_explorer_options(options, "options");
    const PathExploration p = explore_paths(set_of(journeys), o, to_execution(exec));
    std::unique_ptr<jg_table> s, v;
    if (out_steps) s.reset(new_table(path_step_table(p)));
    if (out_variants) v.reset(new_table(path_variant_table(p)));
    if (out_steps) *out_steps = s.release();
    if (out_variants) *out_variants = v.release();
  });
}

JG_DEFINE_INIT(jg_driver_options, options, JG_DRIVER_OPTIONS_VERSION, kDriverDefaults)

jg_status jg_conversion_drivers(const jg_journeys* journeys, const jg_driver_options* options,
                                const jg_exec_options* exec, jg_table** out_table) {
  return guard("jg_conversion_drivers", [&] {
    reset_out(out_table, "out_table");
    const DriverOptions o = to_driver_options(options, "options");
    *out_table = new_table(driver_table(conversion_drivers(set_of(journeys), o, to_execution(exec))));
  });
}

jg_status jg_clean_journeys(const jg_journeys* journeys, const char* rules_file, int collapse_repeats,
                            jg_journeys** out_journeys, jg_table** out_table) {
  return guard("jg_clean_journeys", [&] {
    reset_out(out_journeys, "out_journeys");
    reset_optional_out(out_table);
    CleaningRules rules;
    if (rules_file) rules = read_cleaning_rules_csv(rules_file);
    rules.collapse_repeats(collapse_repeats != 0);
    CleaningReport report;
    auto cleaned = std::make_unique<jg_journeys>(jg_journeys{rules.apply(set_of(journeys), &report)});
    std::unique_ptr<jg_table> t;
    if (out_table) t.reset(new_table(cleaning_table(report)));
    *out_journeys = cleaned.release();
    if (out_table) *out_table = t.release();
  });
}

}  // extern "C"
