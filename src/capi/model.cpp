// Transition counts, Markov models and removal effects.

#include <memory>

#include "capi/internal.hpp"

namespace journeygraph::capi {
namespace {

const MarkovModel& fitted(const jg_model* model) {
  const MarkovModel& m = need(model, "model")->model;
  if (!m.fitted())
    throw StateError(std::string(current_function()) + ": the model is not fitted (call jg_model_fit first)");
  return m;
}

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

// ------------------------------------------------------------------------------------------------ counts

jg_status jg_counts_create(const jg_journeys* journeys, unsigned order, jg_self_loops self_loops,
                           const jg_exec_options* exec, jg_counts** out_counts) {
  return guard("jg_counts_create", [&] {
    reset_out(out_counts, "out_counts");
    const JourneySet& s = need(journeys, "journeys")->set;
    const SelfLoops loops = to_self_loops(self_loops, "self_loops");
    const Execution ex = to_execution(exec);
    *out_counts = new jg_counts{TransitionCounts::count(s, order, loops, ex)};
  });
}

void jg_counts_free(jg_counts* counts) { delete counts; }

jg_status jg_counts_merge(jg_counts* counts, const jg_counts* other) {
  return guard("jg_counts_merge", [&] {
    TransitionCounts& c = need(counts, "counts")->counts;
    const TransitionCounts& o = need(other, "other")->counts;
    if (&c == &o) {
      const TransitionCounts copy = o;
      c.merge(copy);
    } else {
      c.merge(o);
    }
  });
}

jg_status jg_counts_equal(const jg_counts* a, const jg_counts* b, int* out_equal) {
  return guard("jg_counts_equal", [&] {
    const TransitionCounts& x = need(a, "a")->counts;
    const TransitionCounts& y = need(b, "b")->counts;
    *need(out_equal, "out_equal") = x == y ? 1 : 0;
  });
}

jg_status jg_counts_get_info(const jg_counts* counts, jg_counts_info* out_info) {
  return guard("jg_counts_get_info", [&] {
    const TransitionCounts& c = need(counts, "counts")->counts;
    jg_counts_info& info = info_out(out_info, "out_info", JG_COUNTS_INFO_VERSION, "jg_counts_info");
    info.order = c.order();
    info.self_loops = from_self_loops(c.self_loops());
    info.n_touchpoints = c.touchpoints().size();
    info.n_states = c.n_states();
    info.n_transitions = c.edges().size();
    info.rows = c.rows();
    info.zero_weight_journeys = c.zero_weight_journeys();
    info.journeys = c.journeys();
    info.total_conversions = c.total_conversions();
    info.total_nulls = c.total_nulls();
    info.total_value = c.total_value();
  });
}

// ------------------------------------------------------------------------------------------------ models

// ------------------------------------------------------------------------------------------------ saved files

jg_status jg_counts_save(const jg_counts* counts, const char* file) {
  return guard("jg_counts_save", [&] { need(counts, "counts")->counts.save(need(file, "file")); });
}

jg_status jg_counts_load(const char* file, jg_counts** out_counts) {
  return guard("jg_counts_load", [&] {
    reset_out(out_counts, "out_counts");
    TransitionCounts c = TransitionCounts::load(need(file, "file"));
    *out_counts = new jg_counts{std::move(c)};
  });
}

jg_status jg_counts_to_bytes(const jg_counts* counts, unsigned char* out, size_t capacity, size_t* out_len) {
  return guard("jg_counts_to_bytes", [&] {
    const std::string bytes = need(counts, "counts")->counts.to_bytes();
    write_array(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), out, capacity, out_len, "out");
  });
}

jg_status jg_counts_from_bytes(const unsigned char* bytes, size_t length, jg_counts** out_counts) {
  return guard("jg_counts_from_bytes", [&] {
    reset_out(out_counts, "out_counts");
    if (!bytes && length) need(bytes, "bytes");
    TransitionCounts c = TransitionCounts::from_bytes(
        std::string_view(reinterpret_cast<const char*>(bytes ? bytes : reinterpret_cast<const unsigned char*>("")), length),
        "<bytes>");
    *out_counts = new jg_counts{std::move(c)};
  });
}

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
