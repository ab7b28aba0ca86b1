// Attribution: models chosen by name (so that models added to the C++ enum appear here unchanged), their
// bootstrap intervals and Shapley positions, and the removal effects behind the markov model.

#include <memory>

#include "capi/internal.hpp"

namespace journeygraph::capi {
namespace {

const AttributionResult& result_of(const jg_attribution* attribution) {
  return need(attribution, "attribution")->result;
}

// The result entry of a model given by name; InvalidArgument if the name is unknown or not in the result.
const ModelAttribution& entry(const AttributionResult& r, const char* model) {
  need(model, "model");
  const AttributionModel m = parse_model(model);
  const ModelAttribution* e = r.find(m);
  if (!e) {
    std::string have;
    for (const auto& x : r.models) have += std::string(have.empty() ? "" : ", ") + model_name(x.model);
    invalid(std::string("model '") + model + "' was not requested (the attribution has: " +
            (have.empty() ? "no models" : have) + ")");
  }
  return *e;
}


const jg_bootstrap_info kBootstrapInfoDefaults = JG_BOOTSTRAP_INFO_INIT;

// The intervals of a model's measure; StateError without a bootstrap.
const Intervals& intervals(const AttributionResult& r, const char* model, const jg_measure& measure) {
  if (!r.bootstrap)
    throw StateError(std::string(current_function()) +
                     ": the attribution ran no bootstrap (set bootstrap_replicates in jg_attribution_options)");
  const ModelAttribution& e = entry(r, model);
  switch (enum_value(measure)) {
    case JG_MEASURE_CONVERSIONS: return *e.conversions_interval;
    case JG_MEASURE_VALUE: return *e.value_interval;
    case JG_MEASURE_REMOVAL_EFFECT:
      if (e.model != AttributionModel::markov)
        invalid(std::string("JG_MEASURE_REMOVAL_EFFECT applies to model 'markov', not '") + model + "'");
      return *r.removal_effect_interval;
  }
  invalid("measure is " + std::to_string(enum_value(measure)) +
          "; expected JG_MEASURE_CONVERSIONS (0), JG_MEASURE_VALUE (1) or JG_MEASURE_REMOVAL_EFFECT (2)");
}

}  // namespace
}  // namespace journeygraph::capi

using namespace journeygraph;
using namespace journeygraph::capi;

extern "C" {

jg_status jg_attribution_list_models(const char** out_names, size_t capacity, size_t* out_len) {
  return guard("jg_attribution_list_models", [&] {
    const std::vector<AttributionModel> models = all_models();
    write_buffer(models.size(), out_names, capacity, out_len, "out_names", [&](const char** dst) {
      for (std::size_t i = 0; i < models.size(); ++i) dst[i] = model_name(models[i]);
    });
  });
}

jg_status jg_attribution_create(const jg_journeys* journeys, const jg_attribution_options* options,
                                const jg_exec_options* exec, jg_attribution** out_attribution) {
  return guard("jg_attribution_create", [&] {
    reset_out(out_attribution, "out_attribution");
    const JourneySet& s = need(journeys, "journeys")->set;
    const AttributionOptions o = to_attribution_options(options);
    const Execution ex = to_execution(exec);
    *out_attribution = new jg_attribution{attribute(s, o, ex)};
  });
}

jg_status jg_attribution_create_from_model(const jg_model* model, const jg_exec_options* exec,
                                          jg_attribution** out_attribution) {
  return guard("jg_attribution_create_from_model", [&] {
    reset_out(out_attribution, "out_attribution");
    const MarkovModel& m = fitted(model);
    const Execution ex = to_execution(exec);
    *out_attribution = new jg_attribution{attribute(m, ex)};
  });
}

void jg_attribution_free(jg_attribution* attribution) { delete attribution; }

jg_status jg_attribution_get_info(const jg_attribution* attribution, jg_attribution_info* out_info) {
  return guard("jg_attribution_get_info", [&] {
    const AttributionResult& r = result_of(attribution);
    jg_attribution_info& info = info_out(out_info, "out_info", JG_ATTRIBUTION_INFO_VERSION, "jg_attribution_info");
    info.n_touchpoints = r.touchpoints.size();
    info.n_models = r.models.size();
    info.order = r.order;
    info.has_removal = r.markov ? 1 : 0;
    info.total_conversions = r.total_conversions;
    info.total_nulls = r.total_nulls;
    info.total_value = r.total_value;
  });
}

jg_status jg_attribution_touchpoint_name(const jg_attribution* attribution, size_t index, const char** out_name) {
  return guard("jg_attribution_touchpoint_name", [&] {
    const AttributionResult& r = result_of(attribution);
    need(out_name, "out_name");
    *out_name = nullptr;
    check_index(index, r.touchpoints.size(), "touchpoint index");
    *out_name = r.touchpoints[index].c_str();
  });
}

jg_status jg_attribution_model_name(const jg_attribution* attribution, size_t index, const char** out_name) {
  return guard("jg_attribution_model_name", [&] {
    const AttributionResult& r = result_of(attribution);
    need(out_name, "out_name");
    *out_name = nullptr;
    check_index(index, r.models.size(), "model index");
    *out_name = model_name(r.models[index].model);
  });
}

jg_status jg_attribution_conversions(const jg_attribution* attribution, const char* model, double* out,
                                     size_t capacity, size_t* out_len) {
  return guard("jg_attribution_conversions", [&] {
    const AttributionResult& r = result_of(attribution);
    need(out_len, "out_len");
    *out_len = 0;
    const ModelAttribution& e = entry(r, model);
    write_array(e.conversions.data(), e.conversions.size(), out, capacity, out_len, "out");
  });
}

jg_status jg_attribution_value(const jg_attribution* attribution, const char* model, double* out, size_t capacity,
                               size_t* out_len) {
  return guard("jg_attribution_value", [&] {
    const AttributionResult& r = result_of(attribution);
    need(out_len, "out_len");
    *out_len = 0;
    const ModelAttribution& e = entry(r, model);
    write_array(e.value.data(), e.value.size(), out, capacity, out_len, "out");
  });
}

jg_status jg_attribution_removal(const jg_attribution* attribution, jg_removal** out_removal) {
  return guard("jg_attribution_removal", [&] {
    reset_out(out_removal, "out_removal");
    const AttributionResult& r = result_of(attribution);
    if (!r.markov)
      throw StateError("jg_attribution_removal: the markov model was not requested, so there are no removal effects");
    *out_removal = new jg_removal{*r.markov};
  });
}

jg_status jg_attribution_table(const jg_attribution* attribution, jg_table** out_table) {
  return guard("jg_attribution_table", [&] {
    reset_out(out_table, "out_table");
    *out_table = new_table(attribution_table(result_of(attribution)));
  });
}

jg_status jg_attribution_list_models_for(const jg_journeys* journeys, const char** out_names, size_t capacity,
                                         size_t* out_len) {
  return guard("jg_attribution_list_models_for", [&] {
    const std::vector<AttributionModel> models = applicable_models(need(journeys, "journeys")->set);
    write_buffer(models.size(), out_names, capacity, out_len, "out_names", [&](const char** dst) {
      for (std::size_t i = 0; i < models.size(); ++i) dst[i] = model_name(models[i]);
    });
  });
}

JG_DEFINE_INIT(jg_bootstrap_info, info, JG_BOOTSTRAP_INFO_VERSION, kBootstrapInfoDefaults)

jg_status jg_attribution_bootstrap_info(const jg_attribution* attribution, jg_bootstrap_info* out_info) {
  return guard("jg_attribution_bootstrap_info", [&] {
    const AttributionResult& r = result_of(attribution);
    jg_bootstrap_info& info = info_out(out_info, "out_info", JG_BOOTSTRAP_INFO_VERSION, "jg_bootstrap_info");
    if (!r.bootstrap)
      throw StateError("jg_attribution_bootstrap_info: the attribution ran no bootstrap (set bootstrap_replicates "
                       "in jg_attribution_options)");
    info.replicates = r.bootstrap->replicates;
    info.confidence = r.bootstrap->confidence;
    info.seed = r.bootstrap->seed;
    info.markov_failed_replicates = r.bootstrap->markov_failed_replicates;
  });
}

jg_status jg_attribution_interval(const jg_attribution* attribution, const char* model, jg_measure measure,
                                  jg_interval_field field, double* out, size_t capacity, size_t* out_len) {
  return guard("jg_attribution_interval", [&] {
    const AttributionResult& r = result_of(attribution);
    need(out_len, "out_len");
    *out_len = 0;
    const Intervals& iv = intervals(r, model, measure);
    const std::vector<double>* v = nullptr;
    switch (enum_value(field)) {
      case JG_INTERVAL_STANDARD_ERROR: v = &iv.standard_error; break;
      case JG_INTERVAL_LOWER: v = &iv.lower; break;
      case JG_INTERVAL_UPPER: v = &iv.upper; break;
      default:
        invalid("field is " + std::to_string(enum_value(field)) +
                "; expected JG_INTERVAL_STANDARD_ERROR (0), JG_INTERVAL_LOWER (1) or JG_INTERVAL_UPPER (2)");
    }
    write_array(v->data(), v->size(), out, capacity, out_len, "out");
  });
}

jg_status jg_attribution_stability(const jg_attribution* attribution, const char* model, jg_measure measure,
                                   double* out_stability) {
  return guard("jg_attribution_stability", [&] {
    const AttributionResult& r = result_of(attribution);
    need(out_stability, "out_stability");
    *out_stability = intervals(r, model, measure).stability;
  });
}

jg_status jg_attribution_positions(const jg_attribution* attribution, jg_measure measure, double* out,
                                   size_t capacity, size_t* out_len, size_t* out_positions) {
  return guard("jg_attribution_positions", [&] {
    const AttributionResult& r = result_of(attribution);
    need(out_len, "out_len");
    need(out_positions, "out_positions");
    *out_len = 0;
    *out_positions = 0;
    if (!r.positions)
      throw StateError("jg_attribution_positions: the ordered_shapley model was not requested");
    const std::vector<double>* v = nullptr;
    switch (enum_value(measure)) {
      case JG_MEASURE_CONVERSIONS: v = &r.positions->conversions; break;
      case JG_MEASURE_VALUE: v = &r.positions->value; break;
      default:
        invalid("measure is " + std::to_string(enum_value(measure)) +
                "; positions exist for JG_MEASURE_CONVERSIONS (0) and JG_MEASURE_VALUE (1)");
    }
    *out_positions = r.positions->positions;
    write_array(v->data(), v->size(), out, capacity, out_len, "out");
  });
}

// ------------------------------------------------------------------------------------------------ removal

jg_status jg_removal_create(const jg_model* model, const jg_exec_options* exec, jg_removal** out_removal) {
  return guard("jg_removal_create", [&] {
    reset_out(out_removal, "out_removal");
    const MarkovModel& m = fitted(model);
    const Execution ex = to_execution(exec);
    *out_removal = new jg_removal{removal_effects(m, ex)};
  });
}

void jg_removal_free(jg_removal* removal) { delete removal; }

jg_status jg_removal_table(const jg_removal* removal, jg_table** out_table) {
  return guard("jg_removal_table", [&] {
    reset_out(out_table, "out_table");
    *out_table = new_table(removal_table(need(removal, "removal")->effects));
  });
}

jg_status jg_removal_get_info(const jg_removal* removal, jg_removal_info* out_info) {
  return guard("jg_removal_get_info", [&] {
    const RemovalEffects& r = need(removal, "removal")->effects;
    jg_removal_info& info = info_out(out_info, "out_info", JG_REMOVAL_INFO_VERSION, "jg_removal_info");
    info.n_touchpoints = r.touchpoints.size();
    info.conversion_probability = r.conversion_probability;
    info.expected_value = r.expected_value;
    info.total_conversions = r.total_conversions;
    info.total_value = r.total_value;
  });
}

jg_status jg_removal_touchpoint_name(const jg_removal* removal, size_t index, const char** out_name) {
  return guard("jg_removal_touchpoint_name", [&] {
    const RemovalEffects& r = need(removal, "removal")->effects;
    need(out_name, "out_name");
    *out_name = nullptr;
    check_index(index, r.touchpoints.size(), "touchpoint index");
    *out_name = r.touchpoints[index].c_str();
  });
}

jg_status jg_removal_get(const jg_removal* removal, jg_removal_field field, double* out, size_t capacity,
                         size_t* out_len) {
  return guard("jg_removal_get", [&] {
    const RemovalEffects& r = need(removal, "removal")->effects;
    need(out_len, "out_len");
    *out_len = 0;
    const std::vector<double>* v = nullptr;
    switch (enum_value(field)) {
      case JG_REMOVAL_EFFECT: v = &r.removal_effect; break;
      case JG_REMOVAL_EFFECT_VALUE: v = &r.removal_effect_value; break;
      case JG_REMOVAL_CONVERSIONS: v = &r.conversions; break;
      case JG_REMOVAL_VALUE: v = &r.value; break;
      case JG_REMOVAL_CONVERSION_PROBABILITY_WITHOUT: v = &r.conversion_probability_without; break;
    }
    if (!v)
      invalid("field is " + std::to_string(enum_value(field)) +
              "; expected a jg_removal_field (JG_REMOVAL_EFFECT .. JG_REMOVAL_CONVERSION_PROBABILITY_WITHOUT)");
    write_array(v->data(), v->size(), out, capacity, out_len, "out");
  });
}

}  // extern "C"
