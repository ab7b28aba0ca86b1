// Bindings of event funnels, funnel trends, the path explorer, conversion drivers and cleaning rules. Steps,
// exclusions and features arrive in their text forms and are read by the core's parsers; an option left None
// keeps the core's default.

#include "common.hpp"
#include "journeygraph/attribution.hpp"
#include "journeygraph/cleaning.hpp"
#include "journeygraph/drivers.hpp"
#include "journeygraph/funnel.hpp"
#include "journeygraph/paths.hpp"
#include "journeygraph/render.hpp"

namespace jgpy {
namespace {

jg::EventFunnelOptions funnel_options(const std::vector<std::string>& steps, const std::optional<std::string>& order,
                                      std::optional<double> window, const std::vector<std::string>& exclusions,
                                      const jg::StageMap* stages, bool by_segment, std::optional<double> level,
                                      std::optional<double> alpha) {
  jg::EventFunnelOptions o;
  for (const auto& s : steps) o.steps.push_back(jg::parse_funnel_step(s));
  if (order) o.order = jg::parse_funnel_order(*order);
  o.window = window;
  for (const auto& e : exclusions) o.exclusions.push_back(jg::parse_funnel_exclusion(e));
  o.stages = stages;
  o.by_segment = by_segment;
  if (level) o.level = *level;
  if (alpha) o.alpha = *alpha;
  return o;
}

jg::PathExplorerOptions path_options(const std::optional<std::string>& start, const std::optional<std::string>& end,
                                     const std::vector<std::string>& steps, const std::optional<std::string>& order,
                                     std::optional<double> window, const std::vector<std::string>& exclusions,
                                     std::optional<std::size_t> from_step, std::optional<std::size_t> to_step,
                                     bool drop_off, std::optional<std::size_t> max_steps, std::optional<std::size_t> top,
                                     std::optional<std::size_t> variants, const jg::StageMap* stages) {
  jg::PathExplorerOptions o;
  if (start) o.start = *start;
  if (end) o.end = *end;
  if (!steps.empty())
    o.funnel = funnel_options(steps, order, window, exclusions, stages, false, std::nullopt, std::nullopt);
  else if (order || window || !exclusions.empty())
    throw jg::InvalidArgument("order, window and exclusions need steps (paths between funnel steps)");
  if (from_step) o.from_step = *from_step;
  if (to_step) o.to_step = *to_step;
  o.drop_off = drop_off;
  if (max_steps) o.max_steps = *max_steps;
  if (top) o.top = *top;
  if (variants) o.variants = *variants;
  o.stages = stages;
  return o;
}

}  // namespace

void bind_funnels(py::module_& m) {
  m.def(
      "event_funnel",
      [](const jg::JourneySet& js, const std::vector<std::string>& steps, std::optional<std::string> order,
         std::optional<double> window, const std::vector<std::string>& exclusions, const jg::StageMap* stages,
         bool by_segment, std::optional<double> level, std::optional<double> alpha, unsigned threads) {
        const auto o = funnel_options(steps, order, window, exclusions, stages, by_segment, level, alpha);
        return table_dict(jg::event_funnel_table(
            run_released(threads, [&](const jg::Execution& exec) { return jg::event_funnel(js, o, exec); })));
      },
      py::kw_only(), py::arg("journeys"), py::arg("steps"), py::arg("order"), py::arg("window"), py::arg("exclusions"),
      py::arg("stages"), py::arg("by_segment"), py::arg("level"), py::arg("alpha"), py::arg("threads"),
      "The 'event_funnel' table.");
  m.def(
      "funnel_trends",
      [](const jg::JourneySet& js, const std::vector<std::string>& steps, std::optional<std::string> order,
         std::optional<double> window, const std::vector<std::string>& exclusions, const jg::StageMap* stages,
         std::optional<std::string> period, std::optional<double> horizon, std::optional<std::int64_t> data_end,
         std::optional<double> level, std::optional<double> alpha, unsigned threads) {
        const auto o = funnel_options(steps, order, window, exclusions, stages, false, level, alpha);
        jg::FunnelTrendOptions t;
        if (period) t.period = jg::parse_trend_period(*period);
        t.horizon = horizon;
        t.data_end = data_end;
        t.level = o.level;
        t.alpha = o.alpha;
        const jg::FunnelTrends tr =
            run_released(threads, [&](const jg::Execution& exec) { return jg::funnel_trends(js, o, t, exec); });
        return py::make_tuple(table_dict(jg::funnel_trend_table(tr)), table_dict(jg::conversion_curve_table(tr)));
      },
      py::kw_only(), py::arg("journeys"), py::arg("steps"), py::arg("order"), py::arg("window"), py::arg("exclusions"),
      py::arg("stages"), py::arg("period"), py::arg("horizon"), py::arg("data_end"), py::arg("level"), py::arg("alpha"),
      py::arg("threads"), "The 'funnel_trends' and 'conversion_curve' tables.");
  m.def(
      "explore_paths",
      [](const jg::JourneySet& js, std::optional<std::string> start, std::optional<std::string> end,
         const std::vector<std::string>& steps, std::optional<std::string> order, std::optional<double> window,
         const std::vector<std::string>& exclusions, std::optional<std::size_t> from_step,
         std::optional<std::size_t> to_step, bool drop_off, std::optional<std::size_t> max_steps,
         std::optional<std::size_t> top, std::optional<std::size_t> variants, const jg::StageMap* stages,
         unsigned threads) {
        const jg::PathExplorerOptions o = path_options(start, end, steps, order, window, exclusions, from_step, to_step,
                                                       drop_off, max_steps, top, variants, stages);
        const jg::PathExploration p =
            run_released(threads, [&](const jg::Execution& exec) { return jg::explore_paths(js, o, exec); });
        return py::make_tuple(table_dict(jg::path_step_table(p)), table_dict(jg::path_variant_table(p)));
      },
      py::kw_only(), py::arg("journeys"), py::arg("start"), py::arg("end"), py::arg("steps"), py::arg("order"),
      py::arg("window"), py::arg("exclusions"), py::arg("from_step"), py::arg("to_step"), py::arg("drop_off"),
      py::arg("max_steps"), py::arg("top"), py::arg("variants"), py::arg("stages"), py::arg("threads"),
      "The 'path_steps' and 'path_variants' tables.");

  m.def(
      "conversion_drivers",
      [](const jg::JourneySet& js, jg::DriverOptions o, const jg::StageMap* stages, unsigned threads) {
        o.stages = stages;
        return table_dict(jg::driver_table(
            run_released(threads, [&](const jg::Execution& exec) { return jg::conversion_drivers(js, o, exec); })));
      },
      py::kw_only(), py::arg("journeys"), py::arg("options"), py::arg("stages"), py::arg("threads"),
      "The 'drivers' table.");
  // The report's extra sections are set on its RenderOptions with the same arguments as the analyses; the
  // stages are the map's (the core fills them in).
  m.def(
      "report_event_funnel",
      [](jg::RenderOptions& r, const std::vector<std::string>& steps, std::optional<std::string> order,
         std::optional<double> window, const std::vector<std::string>& exclusions, bool by_segment,
         std::optional<double> level, std::optional<double> alpha) {
        r.sections.event_funnel = funnel_options(steps, order, window, exclusions, nullptr, by_segment, level, alpha);
      },
      py::arg("options"), py::kw_only(), py::arg("steps"), py::arg("order"), py::arg("window"), py::arg("exclusions"),
      py::arg("by_segment"), py::arg("level"), py::arg("alpha"), "Add the event funnel section to report options.");
  m.def(
      "report_path_explorer",
      [](jg::RenderOptions& r, std::optional<std::string> start, std::optional<std::string> end,
         const std::vector<std::string>& steps, std::optional<std::string> order, std::optional<double> window,
         const std::vector<std::string>& exclusions, std::optional<std::size_t> from_step,
         std::optional<std::size_t> to_step, bool drop_off, std::optional<std::size_t> max_steps,
         std::optional<std::size_t> top, std::optional<std::size_t> variants) {
        r.sections.path_explorer = path_options(start, end, steps, order, window, exclusions, from_step, to_step,
                                                drop_off, max_steps, top, variants, nullptr);
      },
      py::arg("options"), py::kw_only(), py::arg("start"), py::arg("end"), py::arg("steps"), py::arg("order"),
      py::arg("window"), py::arg("exclusions"), py::arg("from_step"), py::arg("to_step"), py::arg("drop_off"),
      py::arg("max_steps"), py::arg("top"), py::arg("variants"), "Add the path explorer section to report options.");
  m.def(
      "report_drivers",
      [](jg::RenderOptions& r, const jg::DriverOptions& o, std::optional<std::size_t> shown) {
        r.sections.drivers = o;
        if (shown) r.sections.drivers_shown = *shown;
      },
      py::arg("options"), py::kw_only(), py::arg("drivers"), py::arg("shown"),
      "Add the conversion drivers section to report options.");
  m.def(
      "report_model_comparison",
      [](jg::RenderOptions& r, const jg::AttributionOptions& o) { r.sections.model_comparison = o; },
      py::arg("options"), py::kw_only(), py::arg("attribution"),
      "Add the model comparison section to report options.");
  m.def(
      "report_spend",
      [](jg::RenderOptions& r, const std::vector<std::string>& touchpoints, const std::vector<double>& spend,
         const std::vector<std::string>& periods, const std::string& period) {
        r.sections.spend = jg::spend_from_columns(touchpoints, spend, periods, period);
      },
      py::arg("options"), py::arg("touchpoints"), py::arg("spend"), py::arg("periods"), py::arg("period"),
      "Add the money section (spend beside the model comparison) to report options.");
  m.def(
      "report_period_switch",
      [](jg::RenderOptions& r, const std::string& text, const std::string& time_format) {
        r.period_switch = jg::parse_period_switch(text);
        r.period_switch->time_format = time_format;
      },
      py::arg("options"), py::arg("text"), py::arg("time_format"),
      "Add the period switch (month, week, quarter or instants separated by commas) to report options.");
  m.def(
      "report_periods",
      [](const jg::JourneySet& js, const std::string& text, const std::string& time_format) {
        jg::PeriodSwitch ps = jg::parse_period_switch(text);
        ps.time_format = time_format;
        std::vector<std::string> empty;
        py::list periods;
        for (const jg::ReportPeriod& p : jg::report_periods(js, ps, &empty))
          periods.append(py::make_tuple(p.label, p.from, p.to, p.journeys));
        return py::make_tuple(periods, empty);
      },
      py::arg("journeys"), py::arg("text"), py::arg("time_format"),
      "The period switch's periods ([(label, from, to, journeys)], labels of the empty periods left out).");
  m.def(
      "model_color", [](const std::string& name) { return std::string(jg::model_color(jg::parse_model(name))); },
      py::arg("name"), "The colour of an attribution model in every chart (report and Python).");
  m.def(
      "clean_journeys",
      [](const jg::JourneySet& js, const std::vector<std::tuple<std::string, std::string, std::string>>& rules,
         bool collapse_repeats) {
        jg::CleaningRules r;
        for (const auto& [action, pattern, replacement] : rules)
          r.add({jg::parse_cleaning_action(action), pattern, replacement});
        r.collapse_repeats(collapse_repeats);
        jg::CleaningReport report;
        jg::JourneySet out = r.apply(js, &report);
        return py::make_tuple(std::move(out), table_dict(jg::cleaning_table(report)));
      },
      py::kw_only(), py::arg("journeys"), py::arg("rules"), py::arg("collapse_repeats"),
      "The journeys with the rules (action, pattern, replacement) applied, and the 'cleaning' table.");
  m.def(
      "read_cleaning_rules_csv",
      [](const std::string& file) {
        std::vector<std::tuple<std::string, std::string, std::string>> out;
        const jg::CleaningRules rules = jg::read_cleaning_rules_csv(file);
        for (const auto& r : rules.rules())
          out.emplace_back(jg::cleaning_action_name(r.action), r.pattern, r.replacement);
        return out;
      },
      py::arg("file"), "The rules of a cleaning CSV (action, pattern, replacement) as tuples.");
}

}  // namespace jgpy
