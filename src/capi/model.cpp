// Markov models through the C ABI: fitting, reading the fitted chain, saving and loading.

#include <memory>

#include "capi/internal.hpp"

namespace journeygraph::capi {

const MarkovModel& fitted(const jg_model* model) {
  const MarkovModel& m = need(model, "model")->model;
  if (!m.fitted())
    throw StateError(std::string(current_function()) + ": the model is not fitted (call jg_model_fit first)");
  return m;
}

namespace {

// Stores a freshly fitted model; everything that can throw happens before the handle is touched.
void store(jg_model* handle, MarkovModel&& m) {
  std::vector<std::string> names;
  names.reserve(m.n_states() + 2);
  for (std::size_t i = 0; i < m.n_states() + 2; ++i) names.push_back(m.state_name(i));
  handle->model = std::move(m);
  handle->state_names = std::move(names);
}

}  // namespace
}  // namespace journeygraph::capi

using namespace journeygraph;
using namespace journeygraph::capi;

extern "C" {

// ------------------------------------------------------------------------------------------------ saved files

jg_status jg_model_save(const jg_model* model, const char* file) {
  return guard("jg_model_save", [&] { fitted(model).save(need(file, "file")); });
}

jg_status jg_model_load(jg_model* model, const char* file, const jg_exec_options* exec) {
  return guard("jg_model_load", [&] {
    need(model, "model");
    const Execution ex = to_execution(exec);
    store(model, MarkovModel::load(need(file, "file"), ex));
  });
}

jg_status jg_model_to_bytes(const jg_model* model, unsigned char* out, size_t capacity, size_t* out_len) {
  return guard("jg_model_to_bytes", [&] {
    const std::string bytes = fitted(model).to_bytes();
    write_array(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), out, capacity, out_len, "out");
  });
}

jg_status jg_model_from_bytes(jg_model* model, const unsigned char* bytes, size_t length, const jg_exec_options* exec) {
  return guard("jg_model_from_bytes", [&] {
    need(model, "model");
    if (!bytes && length) need(bytes, "bytes");
    const Execution ex = to_execution(exec);
    const char* data = bytes ? reinterpret_cast<const char*>(bytes) : "";
    store(model, MarkovModel::from_bytes(std::string_view(data, length), "<bytes>", ex));
  });
}

// ------------------------------------------------------------------------------------------------ model

jg_status jg_model_create(jg_model** out_model) {
  return guard("jg_model_create", [&] {
    reset_out(out_model, "out_model");
    *out_model = new jg_model{};
  });
}

void jg_model_free(jg_model* model) { delete model; }

jg_status jg_model_fit(jg_model* model, const jg_journeys* journeys, const jg_model_options* options,
                       const jg_exec_options* exec) {
  return guard("jg_model_fit", [&] {
    need(model, "model");
    const JourneySet& s = need(journeys, "journeys")->set;
    const ModelOptions o = to_model_options(options, "options");
    const Execution ex = to_execution(exec);
    store(model, MarkovModel::fit(s, o, ex));
  });
}

jg_status jg_model_fit_counts(jg_model* model, const jg_counts* counts, double smoothing, const jg_exec_options* exec) {
  return guard("jg_model_fit_counts", [&] {
    need(model, "model");
    const TransitionCounts& c = need(counts, "counts")->counts;
    const Execution ex = to_execution(exec);
    store(model, MarkovModel::fit(c, smoothing, ex));
  });
}

jg_status jg_model_is_fitted(const jg_model* model, int* out_fitted) {
  return guard("jg_model_is_fitted", [&] {
    const MarkovModel& m = need(model, "model")->model;
    *need(out_fitted, "out_fitted") = m.fitted() ? 1 : 0;
  });
}

jg_status jg_model_get_info(const jg_model* model, jg_model_info* out_info) {
  return guard("jg_model_get_info", [&] {
    const MarkovModel& m = fitted(model);
    jg_model_info& info = info_out(out_info, "out_info", JG_MODEL_INFO_VERSION, "jg_model_info");
    info.order = m.order();
    info.smoothing = m.smoothing();
    info.self_loops = from_self_loops(m.self_loops());
    info.n_states = m.n_states();
    info.n_touchpoints = m.touchpoints().size();
    info.n_transitions = m.columns().size();
    info.conversion_probability = m.conversion_probability();
    info.expected_value = m.expected_value();
    info.journeys = m.counts().journeys();
    info.total_conversions = m.counts().total_conversions();
    info.total_nulls = m.counts().total_nulls();
    info.total_value = m.counts().total_value();
  });
}

jg_status jg_model_touchpoint_name(const jg_model* model, size_t index, const char** out_name) {
  return guard("jg_model_touchpoint_name", [&] {
    need(out_name, "out_name");
    *out_name = nullptr;
    const MarkovModel& m = fitted(model);
    check_index(index, m.touchpoints().size(), "touchpoint index");
    *out_name = m.touchpoints()[index].c_str();
  });
}

jg_status jg_model_state_name(const jg_model* model, size_t state, const char** out_name) {
  return guard("jg_model_state_name", [&] {
    need(out_name, "out_name");
    *out_name = nullptr;
    fitted(model);
    check_index(state, model->state_names.size(), "state");
    *out_name = model->state_names[state].c_str();
  });
}

jg_status jg_model_state_tokens(const jg_model* model, size_t state, uint32_t* out_tokens, size_t capacity,
                                size_t* out_len) {
  return guard("jg_model_state_tokens", [&] {
    need(out_len, "out_len");
    *out_len = 0;
    const MarkovModel& m = fitted(model);
    const std::size_t n = m.n_states();
    check_index(state, n + 2, "state");
    Span<const std::uint32_t> tokens;
    if (state >= 1 && state < n) tokens = m.state_tokens(state);
    write_array(tokens.data(), tokens.size(), out_tokens, capacity, out_len, "out_tokens");
  });
}

jg_status jg_model_transitions(const jg_model* model, jg_transition* out, size_t capacity, size_t* out_len) {
  return guard("jg_model_transitions", [&] {
    need(out_len, "out_len");
    *out_len = 0;
    const MarkovModel& m = fitted(model);
    const auto& rows = m.row_offsets();
    const auto& cols = m.columns();
    const auto& counts = m.row_counts();
    const auto& probs = m.probabilities();
    write_buffer(cols.size(), out, capacity, out_len, "out", [&](jg_transition* dst) {
      for (std::size_t i = 0; i + 1 < rows.size(); ++i)
        for (std::uint64_t q = rows[i]; q < rows[i + 1]; ++q)
          dst[q] = jg_transition{static_cast<std::uint32_t>(i), cols[q], counts[q], probs[q]};
    });
  });
}

jg_status jg_model_value_per_conversion(const jg_model* model, double* out, size_t capacity, size_t* out_len) {
  return guard("jg_model_value_per_conversion", [&] {
    need(out_len, "out_len");
    *out_len = 0;
    const MarkovModel& m = fitted(model);
    const auto& v = m.value_per_conversion();
    write_array(v.data(), v.size(), out, capacity, out_len, "out");
  });
}

}  // extern "C"
