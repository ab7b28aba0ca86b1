// What a fitted chain says beyond attribution: chain analysis, simulation and order choice.

#include <cmath>

#include "capi/internal.hpp"

namespace journeygraph::capi {
namespace {

const jg_analysis_info kAnalysisInfoDefaults = JG_ANALYSIS_INFO_INIT;
const jg_simulation_options kSimulationDefaults = [] {
  const SimulationOptions d;
  return jg_simulation_options{JG_SIMULATION_OPTIONS_VERSION, d.journeys, d.seed, d.max_touches};
}();
const jg_order_options kOrderDefaults = [] {
  const OrderChoiceOptions d;
  return jg_order_options{JG_ORDER_OPTIONS_VERSION, d.max_order, d.holdout, d.seed, d.smoothing,
                          from_self_loops(d.self_loops), d.floor};
}();

const ChainAnalysis& analysis_of(const jg_analysis* analysis) { return need(analysis, "analysis")->analysis; }

OrderChoiceOptions to_order_options(const jg_order_options* o) {
  OrderChoiceOptions out;
  if (!o) return out;
  check_version(o->version, JG_ORDER_OPTIONS_VERSION, "jg_order_options");
  out.max_order = o->max_order;
  out.holdout = o->holdout;
  out.seed = o->seed;
  out.smoothing = o->smoothing;
  out.self_loops = to_self_loops(o->self_loops, "options->self_loops");
  out.floor = o->floor;
  return out;
}

}  // namespace
}  // namespace journeygraph::capi

using namespace journeygraph;
using namespace journeygraph::capi;

extern "C" {

jg_status jg_analysis_create(const jg_model* model, const jg_exec_options* exec, jg_analysis** out_analysis) {
  return guard("jg_analysis_create", [&] {
    reset_out(out_analysis, "out_analysis");
    const MarkovModel& m = fitted(model);
    const Execution ex = to_execution(exec);
    *out_analysis = new jg_analysis{analyze_chain(m, ex)};
  });
}

void jg_analysis_free(jg_analysis* analysis) { delete analysis; }

JG_DEFINE_INIT(jg_analysis_info, info, JG_ANALYSIS_INFO_VERSION, kAnalysisInfoDefaults)

jg_status jg_analysis_get_info(const jg_analysis* analysis, jg_analysis_info* out_info) {
  return guard("jg_analysis_get_info", [&] {
    const ChainAnalysis& a = analysis_of(analysis);
    jg_analysis_info& info = info_out(out_info, "out_info", JG_ANALYSIS_INFO_VERSION, "jg_analysis_info");
    info.n_states = a.states.size();
    info.n_touchpoints = a.touchpoints.size();
    info.expected_touches = a.expected_touches;
    info.max_residual = a.max_residual;
  });
}

jg_status jg_analysis_get(const jg_analysis* analysis, jg_analysis_field field, double* out, size_t capacity,
                          size_t* out_len) {
  return guard("jg_analysis_get", [&] {
    const ChainAnalysis& a = analysis_of(analysis);
    const std::vector<double>* v = nullptr;
    switch (enum_value(field)) {
      case JG_ANALYSIS_CONVERSION_PROBABILITY: v = &a.conversion_probability; break;
      case JG_ANALYSIS_EXPECTED_VALUE: v = &a.expected_value; break;
      case JG_ANALYSIS_TOUCHES_TO_GO: v = &a.touches_to_go; break;
      case JG_ANALYSIS_EXPECTED_VISITS: v = &a.expected_visits; break;
      case JG_ANALYSIS_TOUCHPOINT_VISITS: v = &a.touchpoint_visits; break;
      default:
        invalid("field is " + std::to_string(enum_value(field)) +
                "; expected a jg_analysis_field from JG_ANALYSIS_CONVERSION_PROBABILITY (0) to "
                "JG_ANALYSIS_TOUCHPOINT_VISITS (4)");
    }
    write_array(v->data(), v->size(), out, capacity, out_len, "out");
  });
}

jg_status jg_analysis_table(const jg_analysis* analysis, jg_table** out_table) {
  return guard("jg_analysis_table", [&] {
    reset_out(out_table, "out_table");
    *out_table = new_table(chain_table(analysis_of(analysis)));
  });
}

jg_status jg_analysis_touchpoint_table(const jg_analysis* analysis, jg_table** out_table) {
  return guard("jg_analysis_touchpoint_table", [&] {
    reset_out(out_table, "out_table");
    *out_table = new_table(touchpoint_visit_table(analysis_of(analysis)));
  });
}

JG_DEFINE_INIT(jg_simulation_options, options, JG_SIMULATION_OPTIONS_VERSION, kSimulationDefaults)

jg_status jg_model_simulate(const jg_model* model, const jg_simulation_options* options, const jg_exec_options* exec,
                            jg_journeys** out_journeys) {
  return guard("jg_model_simulate", [&] {
    reset_out(out_journeys, "out_journeys");
    const MarkovModel& m = fitted(model);
    SimulationOptions so;
    if (options) {
      check_version(options->version, JG_SIMULATION_OPTIONS_VERSION, "jg_simulation_options");
      so.journeys = options->journeys;
      so.seed = options->seed;
      so.max_touches = options->max_touches;
    }
    const Execution ex = to_execution(exec);
    *out_journeys = new jg_journeys{simulate_journeys(m, so, ex)};
  });
}

JG_DEFINE_INIT(jg_order_options, options, JG_ORDER_OPTIONS_VERSION, kOrderDefaults)

jg_status jg_order_choose(const jg_journeys* journeys, const jg_order_options* options, const jg_exec_options* exec,
                          jg_order_score* out, size_t capacity, size_t* out_len, unsigned* out_recommended) {
  return guard("jg_order_choose", [&] {
    const JourneySet& js = need(journeys, "journeys")->set;
    need(out_len, "out_len");
    need(out_recommended, "out_recommended");
    *out_len = 0;
    *out_recommended = 0;
    const OrderChoiceOptions o = to_order_options(options);
    const Execution ex = to_execution(exec);
    if (o.max_order < 1 || o.max_order > kMaxOrder)
      invalid("options->max_order must be in 1.." + std::to_string(kMaxOrder) + ", got " +
              std::to_string(o.max_order));
    // The size is known before any work: a size query computes nothing.
    write_buffer(o.max_order, out, capacity, out_len, "out", [&](jg_order_score* dst) {
      const OrderChoice c = choose_order(js, o, ex);
      for (std::size_t i = 0; i < c.scores.size(); ++i) {
        const OrderScore& s = c.scores[i];
        dst[i] = jg_order_score{s.order,       s.states, s.parameters, s.observations, s.log_likelihood,
                                s.aic,         s.bic,    s.heldout_log_likelihood,    s.heldout_journeys,
                                s.unseen,      s.auc,    s.log_loss};
      }
      *out_recommended = c.recommended_order;
    });
  });
}

jg_status jg_order_table(const jg_journeys* journeys, const jg_order_options* options, const jg_exec_options* exec,
                         jg_table** out_table) {
  return guard("jg_order_table", [&] {
    reset_out(out_table, "out_table");
    const JourneySet& js = need(journeys, "journeys")->set;
    const OrderChoiceOptions o = to_order_options(options);
    *out_table = new_table(order_table(choose_order(js, o, to_execution(exec)), o));
  });
}

}  // extern "C"
