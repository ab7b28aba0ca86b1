// Attribution: models chosen by name, so that models added to the C++ enum appear here unchanged.

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
    const MarkovModel& m = need(model, "model")->model;
    if (!m.fitted())
      throw StateError(std::string(current_function()) + ": the model is not fitted (call jg_model_fit first)");
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

}  // extern "C"
