// Journey maps through the C ABI: stages, maps and their analyses, what-if, comparison and exports.

#include <cmath>
#include <cstddef>
#include <cstring>
#include <memory>

#include "capi/internal.hpp"

namespace journeygraph::capi {
namespace {

const jg_stages_csv_options kStagesCsvDefaults = [] {
  static const StageCsvOptions d;  // the C struct points into its strings
  return jg_stages_csv_options{JG_STAGES_CSV_OPTIONS_VERSION, d.csv.delimiter, d.touchpoint_column.c_str(),
                               d.stage_column.c_str(), nullptr, 0};
}();
const jg_map_options kMapDefaults = [] {
  jg_map_options d = JG_MAP_OPTIONS_INIT;  // jg_funnel_journeys lists the choices in FunnelJourneys' order
  d.funnel_journeys = static_cast<jg_funnel_journeys>(FunnelOptions().journeys);
  return d;
}();
const jg_map_info kMapInfoDefaults = JG_MAP_INFO_INIT;
const jg_pain_options kPainDefaults = [] {
  const PainPointOptions d;  // jg_pain_ranking lists the rankings in PainRanking's order
  return jg_pain_options{JG_PAIN_OPTIONS_VERSION, static_cast<jg_pain_ranking>(d.rank_by), d.min_journeys};
}();
const jg_path_options kPathDefaults = [] {
  const PathOptions d;
  return jg_path_options{JG_PATH_OPTIONS_VERSION, d.top, d.most_probable};
}();
const jg_sankey_options kSankeyDefaults = {JG_SANKEY_OPTIONS_VERSION, -1, SankeyOptions().max_steps};
const jg_what_if_result kWhatIfDefaults = JG_WHAT_IF_RESULT_INIT;
const jg_compare_options kCompareDefaults = {JG_COMPARE_OPTIONS_VERSION, CompareOptions().alpha};
const jg_compare_info kCompareInfoDefaults = JG_COMPARE_INFO_INIT;
const jg_export_options kExportDefaults = [] {
  const RenderOptions d;
  return jg_export_options{JG_EXPORT_OPTIONS_VERSION, nullptr, d.max_edges, nullptr, d.top_paths, d.pain_points,
                           nullptr, nullptr, nullptr, d.sections.drivers_shown, nullptr, nullptr, nullptr,
                           d.segment_switch ? 1 : 0, nullptr, nullptr};
}();

const JourneyMap& map_of(const jg_map* m, const char* name = "map") { return need(m, name)->map; }

StageCsvOptions to_stage_csv_options(const jg_stages_csv_options* o) {
  StageCsvOptions r;
  if (!o) return r;
  check_version(o->version, JG_STAGES_CSV_OPTIONS_VERSION, "jg_stages_csv_options");
  r.csv.delimiter = o->delimiter;
  if (o->delimiter == '\0' || o->delimiter == '"' || o->delimiter == '\n' || o->delimiter == '\r')
    invalid("options->delimiter must be a character other than NUL, '\"', CR and LF");
  if (o->touchpoint_column) r.touchpoint_column = o->touchpoint_column;
  if (o->stage_column) r.stage_column = o->stage_column;
  if (o->n_order > 0) {
    need(o->order, "options->order");
    for (std::size_t i = 0; i < o->n_order; ++i)
      r.order.push_back(need(o->order[i], ("options->order[" + std::to_string(i) + "]").c_str()));
  }
  return r;
}

MapOptions to_map_options(const jg_map_options* o) {
  MapOptions r;
  if (!o) return r;
  check_version(o->version, JG_MAP_OPTIONS_VERSION, "jg_map_options");
  if (o->model) r.model = to_model_options(o->model, "options->model");
  if (o->other_stage) r.other_stage = o->other_stage;
  return r;
}

FunnelOptions to_funnel_options(const jg_map_options* o) {
  FunnelOptions r;
  if (!o || o->version < 2) return r;  // a version-1 struct ends before funnel_journeys
  r.journeys = to_funnel_journeys(o->funnel_journeys, "options->funnel_journeys");
  return r;
}

PainPointOptions to_pain_options(const jg_pain_options* o) {
  PainPointOptions r;
  if (!o) return r;
  check_version(o->version, JG_PAIN_OPTIONS_VERSION, "jg_pain_options");
  r.rank_by = to_pain_ranking(o->rank_by, "options->rank_by");
  if (!(o->min_journeys >= 0) || !std::isfinite(o->min_journeys))
    invalid("options->min_journeys must be a finite number >= 0");
  r.min_journeys = o->min_journeys;
  return r;
}

// The step-flow options of o (NULL = defaults) into r.
void apply_sankey_options(const jg_sankey_options* o, const char* name, RenderOptions& r) {
  if (!o) return;
  check_version(o->version, JG_SANKEY_OPTIONS_VERSION, "jg_sankey_options");
  if (o->by_stage < -1 || o->by_stage > 1)
    invalid(std::string(name) + "->by_stage is " + std::to_string(o->by_stage) + "; expected -1, 0 or 1");
  if (o->by_stage >= 0) r.by_stage = o->by_stage == 1;
  r.max_steps = o->max_steps;
}

std::vector<WhatIfEdit> to_edits(const jg_what_if_edit* edits, std::size_t n) {
  std::vector<WhatIfEdit> out;
  if (n == 0) return out;
  need(edits, "edits");
  for (std::size_t i = 0; i < n; ++i) {
    const jg_what_if_edit& e = edits[i];
    const std::string at = "edits[" + std::to_string(i) + "]";
    need(e.from, (at + ".from").c_str());
    switch (enum_value(e.kind)) {
      case JG_WHAT_IF_SET_PROBABILITY:
        out.push_back(WhatIfEdit::set(e.from, need(e.to, (at + ".to").c_str()), e.probability));
        break;
      case JG_WHAT_IF_REMOVE_EDGE: out.push_back(WhatIfEdit::remove_edge(e.from, need(e.to, (at + ".to").c_str()))); break;
      case JG_WHAT_IF_REMOVE_TOUCHPOINT: out.push_back(WhatIfEdit::remove_touchpoint(e.from)); break;
      default:
        invalid(at + ".kind is " + std::to_string(enum_value(e.kind)) +
                "; expected JG_WHAT_IF_SET_PROBABILITY (0), JG_WHAT_IF_REMOVE_EDGE (1) or "
                "JG_WHAT_IF_REMOVE_TOUCHPOINT (2)");
    }
  }
  return out;
}

void fill_what_if(const WhatIfResult& r, jg_what_if_result& out) {
  out.conversion_probability_before = r.conversion_probability_before;
  out.conversion_probability = r.conversion_probability;
  out.expected_conversions_before = r.expected_conversions_before;
  out.expected_conversions = r.expected_conversions;
  out.expected_value_before = r.expected_value_before;
  out.expected_value = r.expected_value;
  out.max_residual = r.max_residual;
}

std::string render(const jg_map& map, const jg_map_format& format, const jg_export_options* o) {
  jg_export_options opt = kExportDefaults;
  if (o) {
    check_version(o->version, JG_EXPORT_OPTIONS_VERSION, "jg_export_options");
    // A version-1 struct ends before event_funnel: only that prefix is the caller's, the rest keeps the defaults.
    std::memcpy(static_cast<void*>(&opt), o, o->version == 1 ? offsetof(jg_export_options, event_funnel) : sizeof opt);
  }
  const MapFormat f = to_map_format(format, "format");
  RenderOptions r;
  if (opt.title) r.title = opt.title;
  r.max_edges = opt.max_edges;
  r.top_paths = opt.top_paths;
  r.pain_points = opt.pain_points;
  apply_sankey_options(opt.sankey, "options->sankey", r);
  r.funnel = map.funnel;
  // The report's sections and menus, into the options the CLI and Python fill (NULL stages = the map's).
  ReportSections& x = r.sections;
  if (opt.event_funnel) x.event_funnel = to_event_funnel_options(opt.event_funnel, "options->event_funnel");
  if (opt.path_explorer) x.path_explorer = to_path_explorer_options(opt.path_explorer, "options->path_explorer");
  if (opt.drivers) x.drivers = to_driver_options(opt.drivers, "options->drivers");
  x.drivers_shown = opt.drivers_shown;
  if (opt.model_comparison) x.model_comparison = to_attribution_options(opt.model_comparison);
  if (opt.spend_file) {
    SpendOptions so;
    if (opt.spend_period) so.period = opt.spend_period;
    x.spend = read_spend_csv(opt.spend_file, so);
  } else if (opt.spend_period) {
    invalid("options->spend_period is set without options->spend_file");
  }
  r.segment_switch = opt.segment_switch != 0;
  if (opt.period_switch) {
    r.period_switch = parse_period_switch(opt.period_switch);
    if (opt.time_format) r.period_switch->time_format = opt.time_format;
  }
  return render_map(map.map, f, r);
}

// A stage map of the order with touchpoints[i] in stages[i], as a new handle.
jg_stages* new_stages(const char* const* order, std::size_t n_stages, const char* const* touchpoints,
                      const char* const* stages, std::size_t n_assigned) {
  if (n_stages == 0) invalid("n_stages is 0: a stage map needs at least one stage");
  need(order, "order");
  std::vector<std::string> names;
  for (std::size_t i = 0; i < n_stages; ++i) names.push_back(need(order[i], ("order[" + std::to_string(i) + "]").c_str()));
  auto handle = std::make_unique<jg_stages>(jg_stages{StageMap(std::move(names))});
  if (n_assigned > 0) {
    need(touchpoints, "touchpoints");
    need(stages, "stages");
  }
  for (std::size_t i = 0; i < n_assigned; ++i) {
    const std::string at = "[" + std::to_string(i) + "]";
    handle->stages.assign(need(touchpoints[i], ("touchpoints" + at).c_str()), need(stages[i], ("stages" + at).c_str()));
  }
  return handle.release();
}

}  // namespace
}  // namespace journeygraph::capi

using namespace journeygraph;
using namespace journeygraph::capi;

extern "C" {

jg_status jg_stages_create(const char* const* order, size_t n_stages, jg_stages** out_stages) {
  return guard("jg_stages_create", [&] {
    reset_out(out_stages, "out_stages");
    *out_stages = new_stages(order, n_stages, nullptr, nullptr, 0);
  });
}

jg_status jg_stages_assign(jg_stages* stages, const char* touchpoint, const char* stage) {
  return guard("jg_stages_assign", [&] {
    need(stages, "stages");
    need(touchpoint, "touchpoint");
    need(stage, "stage");
    stages->stages.assign(touchpoint, stage);
  });
}

jg_status jg_stages_create_assigned(const char* const* order, size_t n_stages, const char* const* touchpoints,
                                   const char* const* stages, size_t n_assigned, jg_stages** out_stages) {
  return guard("jg_stages_create_assigned", [&] {
    reset_out(out_stages, "out_stages");
    *out_stages = new_stages(order, n_stages, touchpoints, stages, n_assigned);
  });
}

JG_DEFINE_INIT(jg_stages_csv_options, options, JG_STAGES_CSV_OPTIONS_VERSION, kStagesCsvDefaults)

jg_status jg_stages_read_csv(const char* file, const jg_stages_csv_options* options, jg_stages** out_stages) {
  return guard("jg_stages_read_csv", [&] {
    reset_out(out_stages, "out_stages");
    need(file, "file");
    const StageCsvOptions o = to_stage_csv_options(options);
    *out_stages = new jg_stages{read_stages_csv(file, o)};
  });
}

jg_status jg_stages_parse_csv(const char* text, size_t length, const char* name, const jg_stages_csv_options* options,
                              jg_stages** out_stages) {
  return guard("jg_stages_parse_csv", [&] {
    reset_out(out_stages, "out_stages");
    if (length > 0) need(text, "text");
    const StageCsvOptions o = to_stage_csv_options(options);
    *out_stages = new jg_stages{parse_stages_csv(std::string_view(text ? text : "", length), name ? name : "<memory>", o)};
  });
}

jg_status jg_stages_sample(jg_stages** out_stages) {
  return guard("jg_stages_sample", [&] {
    reset_out(out_stages, "out_stages");
    *out_stages = new jg_stages{sample_stage_map()};
  });
}

void jg_stages_free(jg_stages* stages) { delete stages; }

jg_status jg_stages_count(const jg_stages* stages, size_t* out_count) {
  return guard("jg_stages_count", [&] {
    need(stages, "stages");
    *need(out_count, "out_count") = stages->stages.size();
  });
}

jg_status jg_stages_name(const jg_stages* stages, size_t index, const char** out_name) {
  return guard("jg_stages_name", [&] {
    need(stages, "stages");
    need(out_name, "out_name");
    *out_name = nullptr;
    check_index(index, stages->stages.size(), "stage index");
    *out_name = stages->stages.stages()[index].c_str();
  });
}

jg_status jg_stages_stage_of(const jg_stages* stages, const char* touchpoint, int64_t* out_index) {
  return guard("jg_stages_stage_of", [&] {
    need(stages, "stages");
    need(touchpoint, "touchpoint");
    need(out_index, "out_index");
    auto s = stages->stages.stage_of(touchpoint);
    *out_index = s ? static_cast<int64_t>(*s) : -1;
  });
}

jg_status jg_map_options_init(jg_map_options* options, unsigned version) {
  return guard("jg_map_options_init", [&] {
    need(options, "options");
    check_version(version, JG_MAP_OPTIONS_VERSION, "jg_map_options");
    // A caller compiled against version 1 has a struct that ends before funnel_journeys.
    std::memcpy(options, &kMapDefaults, version == 1 ? offsetof(jg_map_options, funnel_journeys) : sizeof(jg_map_options));
    options->version = version;
  });
}

jg_status jg_map_create(const jg_journeys* journeys, const jg_stages* stages, const jg_map_options* options,
                        const jg_exec_options* exec, jg_map** out_map) {
  return guard("jg_map_create", [&] {
    reset_out(out_map, "out_map");
    const JourneySet& js = need(journeys, "journeys")->set;
    const MapOptions o = to_map_options(options);
    const FunnelOptions f = to_funnel_options(options);
    const Execution ex = to_execution(exec);
    *out_map = new jg_map{JourneyMap(js, stages ? stages->stages : StageMap(), o, ex), f};
  });
}

void jg_map_free(jg_map* map) { delete map; }

JG_DEFINE_INIT(jg_map_info, info, JG_MAP_INFO_VERSION, kMapInfoDefaults)

jg_status jg_map_get_info(const jg_map* map, jg_map_info* out_info) {
  return guard("jg_map_get_info", [&] {
    const JourneyMap& m = map_of(map);
    jg_map_info& info = info_out(out_info, "out_info", JG_MAP_INFO_VERSION, "jg_map_info");
    info.n_touchpoints = m.graph().touchpoint_count();
    info.n_nodes = m.graph().nodes().size();
    info.n_edges = m.graph().edges().size();
    info.n_stages = m.stages().size();
    info.order = m.model().order();
    info.has_timestamps = m.graph().has_timestamps() ? 1 : 0;
    info.journeys = m.graph().journeys();
    info.conversions = m.journeys().total_conversions();
    info.conversion_probability = m.model().conversion_probability();
  });
}

jg_status jg_map_stage_name(const jg_map* map, size_t index, const char** out_name) {
  return guard("jg_map_stage_name", [&] {
    const JourneyMap& m = map_of(map);
    need(out_name, "out_name");
    *out_name = nullptr;
    check_index(index, m.stages().size(), "stage index");
    *out_name = m.stages().stages()[index].c_str();
  });
}

jg_status jg_map_nodes(const jg_map* map, jg_table** out_table) {
  return guard("jg_map_nodes", [&] {
    reset_out(out_table, "out_table");
    const JourneyMap& m = map_of(map);
    *out_table = new_table(node_table(m.graph(), m.stages().stages()));
  });
}

jg_status jg_map_edges(const jg_map* map, jg_table** out_table) {
  return guard("jg_map_edges", [&] {
    reset_out(out_table, "out_table");
    *out_table = new_table(edge_table(map_of(map).graph()));
  });
}

jg_status jg_map_funnel(const jg_map* map, const jg_exec_options* exec, jg_table** out_table) {
  return guard("jg_map_funnel", [&] {
    reset_out(out_table, "out_table");
    const JourneyMap& m = map_of(map);
    const Execution ex = to_execution(exec);
    *out_table = new_table(funnel_table(m.funnel(map->funnel, ex)));
  });
}

jg_status jg_map_stage_flows(const jg_map* map, const jg_exec_options* exec, jg_table** out_table) {
  return guard("jg_map_stage_flows", [&] {
    reset_out(out_table, "out_table");
    const JourneyMap& m = map_of(map);
    const Execution ex = to_execution(exec);
    *out_table = new_table(flow_table(m.funnel(map->funnel, ex)));
  });
}

JG_DEFINE_INIT(jg_pain_options, options, JG_PAIN_OPTIONS_VERSION, kPainDefaults)

jg_status jg_map_pain_points(const jg_map* map, const jg_pain_options* options, jg_table** out_table) {
  return guard("jg_map_pain_points", [&] {
    reset_out(out_table, "out_table");
    const JourneyMap& m = map_of(map);
    const PainPointOptions o = to_pain_options(options);
    *out_table = new_table(pain_point_table(m.pain_points(o), m.stages().stages()));
  });
}

JG_DEFINE_INIT(jg_path_options, options, JG_PATH_OPTIONS_VERSION, kPathDefaults)

jg_status jg_map_paths(const jg_map* map, const jg_path_options* options, const jg_exec_options* exec,
                       jg_table** out_variants, jg_table** out_probable, jg_table** out_lengths, jg_table** out_time) {
  return guard("jg_map_paths", [&] {
    reset_optional_out(out_variants);
    reset_optional_out(out_probable);
    reset_optional_out(out_lengths);
    reset_optional_out(out_time);
    const JourneyMap& m = map_of(map);
    PathOptions o;
    if (options) {
      check_version(options->version, JG_PATH_OPTIONS_VERSION, "jg_path_options");
      o.top = options->top;
      o.most_probable = options->most_probable;
    }
    if (!out_probable) o.most_probable = 0;
    const Execution ex = to_execution(exec);
    const PathAnalysis p = m.paths(o, ex);
    // Build every table before handing any out, so that a failure leaks nothing.
    std::unique_ptr<jg_table> v, pr, l, t;
    if (out_variants) v.reset(new_table(variant_table(p)));
    if (out_probable) pr.reset(new_table(probable_path_table(p)));
    if (out_lengths) l.reset(new_table(length_table(p)));
    if (out_time) t.reset(new_table(time_to_conversion_table(p)));
    if (out_variants) *out_variants = v.release();
    if (out_probable) *out_probable = pr.release();
    if (out_lengths) *out_lengths = l.release();
    if (out_time) *out_time = t.release();
  });
}

JG_DEFINE_INIT(jg_sankey_options, options, JG_SANKEY_OPTIONS_VERSION, kSankeyDefaults)

jg_status jg_map_sankey(const jg_map* map, const jg_sankey_options* options, jg_table** out_table) {
  return guard("jg_map_sankey", [&] {
    reset_out(out_table, "out_table");
    const JourneyMap& m = map_of(map);
    RenderOptions r;
    apply_sankey_options(options, "options", r);
    *out_table = new_table(sankey_link_table(m.sankey({r.by_stage.value_or(m.has_stages()), r.max_steps})));
  });
}

JG_DEFINE_INIT(jg_what_if_result, result, JG_WHAT_IF_RESULT_VERSION, kWhatIfDefaults)

jg_status jg_map_what_if(const jg_map* map, const jg_what_if_edit* edits, size_t n_edits, jg_what_if_result* out_result) {
  return guard("jg_map_what_if", [&] {
    const JourneyMap& m = map_of(map);
    jg_what_if_result& r = info_out(out_result, "out_result", JG_WHAT_IF_RESULT_VERSION, "jg_what_if_result");
    fill_what_if(m.what_if(to_edits(edits, n_edits)), r);
  });
}

jg_status jg_model_what_if(const jg_model* model, const jg_what_if_edit* edits, size_t n_edits,
                           jg_what_if_result* out_result) {
  return guard("jg_model_what_if", [&] {
    const MarkovModel& m = fitted(model);
    jg_what_if_result& r = info_out(out_result, "out_result", JG_WHAT_IF_RESULT_VERSION, "jg_what_if_result");
    fill_what_if(what_if(m, to_edits(edits, n_edits)), r);
  });
}

jg_status jg_map_what_if_table(const jg_map* map, const jg_what_if_edit* edits, size_t n_edits, jg_table** out_table) {
  return guard("jg_map_what_if_table", [&] {
    reset_out(out_table, "out_table");
    *out_table = new_table(what_if_table(map_of(map).what_if(to_edits(edits, n_edits))));
  });
}

jg_status jg_model_what_if_table(const jg_model* model, const jg_what_if_edit* edits, size_t n_edits,
                                 jg_table** out_table) {
  return guard("jg_model_what_if_table", [&] {
    reset_out(out_table, "out_table");
    *out_table = new_table(what_if_table(what_if(fitted(model), to_edits(edits, n_edits))));
  });
}

JG_DEFINE_INIT(jg_compare_options, options, JG_COMPARE_OPTIONS_VERSION, kCompareDefaults)

JG_DEFINE_INIT(jg_compare_info, info, JG_COMPARE_INFO_VERSION, kCompareInfoDefaults)

jg_status jg_map_compare(const jg_map* a, const jg_map* b, const jg_compare_options* options,
                         jg_table** out_transitions, jg_table** out_attribution, jg_compare_info* out_info) {
  return guard("jg_map_compare", [&] {
    reset_out(out_transitions, "out_transitions");
    reset_optional_out(out_attribution);
    const JourneyMap& ma = map_of(a, "a");
    const JourneyMap& mb = map_of(b, "b");
    if (out_info) check_version(out_info->version, JG_COMPARE_INFO_VERSION, "jg_compare_info");
    CompareOptions o;
    if (options) {
      check_version(options->version, JG_COMPARE_OPTIONS_VERSION, "jg_compare_options");
      o.alpha = options->alpha;
    }
    const Comparison c = compare(ma, mb, o);
    std::unique_ptr<jg_table> t(new_table(transition_change_table(c)));
    std::unique_ptr<jg_table> at;
    if (out_attribution) at.reset(new_table(attribution_change_table(c)));
    if (out_info) {
      out_info->n_transitions = c.transitions.size();
      out_info->significant = c.significant;
      out_info->conversion_probability_a = c.conversion_probability_a;
      out_info->conversion_probability_b = c.conversion_probability_b;
    }
    *out_transitions = t.release();
    if (out_attribution) *out_attribution = at.release();
  });
}

jg_status jg_export_options_init(jg_export_options* options, unsigned version) {
  return init_prefix("jg_export_options_init", "options", options, version, JG_EXPORT_OPTIONS_VERSION, kExportDefaults,
                     "jg_export_options", offsetof(jg_export_options, event_funnel));
}

jg_status jg_map_export(const jg_map* map, jg_map_format format, const jg_export_options* options, char* out,
                        size_t capacity, size_t* out_len) {
  return guard("jg_map_export", [&] {
    map_of(map);
    need(out_len, "out_len");
    *out_len = 0;
    if (!out && capacity != 0) invalid("out is NULL but capacity is " + std::to_string(capacity));
    write_string(render(*map, format, options), out, capacity, out_len, "out");
  });
}

jg_status jg_map_write(const jg_map* map, jg_map_format format, const jg_export_options* options, const char* file) {
  return guard("jg_map_write", [&] {
    map_of(map);
    need(file, "file");
    write_text_file(file, render(*map, format, options));
  });
}

}  // extern "C"
