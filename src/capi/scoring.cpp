// Open-journey scoring through the C ABI.

#include <memory>

#include "capi/internal.hpp"
#include "journeygraph/scoring.hpp"

struct jg_scorer {
  journeygraph::Scorer scorer;
};

using namespace journeygraph;
using namespace journeygraph::capi;

extern "C" {

jg_status jg_scorer_create(const jg_model* model, const jg_exec_options* exec, jg_scorer** out_scorer) {
  return guard("jg_scorer_create", [&] {
    reset_out(out_scorer, "out_scorer");
    const MarkovModel& m = fitted(model);
    auto handle = std::make_unique<jg_scorer>();
    handle->scorer = Scorer(m, to_execution(exec));
    *out_scorer = handle.release();
  });
}

void jg_scorer_free(jg_scorer* scorer) { delete scorer; }

jg_status jg_scorer_score_batch(const jg_scorer* scorer, const uint64_t* offsets, size_t n_histories,
                                const uint32_t* touches, size_t n_touches, double* out_probability, double* out_value,
                                double* out_touches_to_go, uint32_t* out_matched, uint8_t* out_backed_off) {
  return guard("jg_scorer_score_batch", [&] {
    const Scorer& s = need(scorer, "scorer")->scorer;
    if (n_histories == 0) return;
    need(offsets, "offsets");
    if (n_touches) need(touches, "touches");
    s.score_batch(Span<const std::uint64_t>(offsets, n_histories + 1), Span<const std::uint32_t>(touches, n_touches),
                  ScoreArrays{out_probability, out_value, out_touches_to_go, out_matched, out_backed_off});
  });
}

jg_status jg_scorer_next_touch_lift(const jg_scorer* scorer, const uint32_t* history, size_t length, double* out,
                                    size_t capacity, size_t* out_len) {
  return guard("jg_scorer_next_touch_lift", [&] {
    const Scorer& s = need(scorer, "scorer")->scorer;
    if (length) need(history, "history");
    need(out_len, "out_len");
    const Span<const std::uint32_t> h(history, length);
    for (std::size_t i = 0; i < length; ++i)
      if (h[i] >= s.touchpoints().size())
        invalid("history[" + std::to_string(i) + "] = " + std::to_string(h[i]) + " is not a touchpoint id (the model has " +
                std::to_string(s.touchpoints().size()) + ")");
    const std::vector<double> lift = s.next_touch_lift(h);
    write_array(lift.data(), lift.size(), out, capacity, out_len, "out");
  });
}

jg_status jg_score_histories(const jg_model* model, const jg_journeys* histories, const jg_exec_options* exec,
                             jg_table** out_table) {
  return guard("jg_score_histories", [&] {
    reset_out(out_table, "out_table");
    const MarkovModel& m = fitted(model);
    const JourneySet& js = need(histories, "histories")->set;
    *out_table = new_table(score_table(m, js, {}, to_execution(exec)));
  });
}

jg_status jg_score_open_journeys(const jg_model* model, const jg_journeys* journeys, double window_seconds,
                                 const jg_exec_options* exec, jg_table** out_table) {
  return guard("jg_score_open_journeys", [&] {
    reset_out(out_table, "out_table");
    const MarkovModel& m = fitted(model);
    const JourneySet& js = need(journeys, "journeys")->set;
    OpenJourneyOptions o;
    o.window = window_seconds;
    *out_table = new_table(score_open_journeys(m, js, o, {}, to_execution(exec)));
  });
}

}  // extern "C"

// Money tables of an attribution: spend next to credit, and the model comparison.
#include "journeygraph/money.hpp"

extern "C" {

jg_status jg_attribution_money_table(const jg_attribution* attribution, const char* spend_file, const char* period,
                                     jg_table** out_table) {
  return guard("jg_attribution_money_table", [&] {
    reset_out(out_table, "out_table");
    const AttributionResult& r = need(attribution, "attribution")->result;
    need(spend_file, "spend_file");
    SpendOptions o;
    if (period) o.period = period;
    *out_table = new_table(money_table(r, read_spend_csv(spend_file, o)));
  });
}

jg_status jg_attribution_default_baseline(const char* const* models, size_t n_models, const char** out_name) {
  return guard("jg_attribution_default_baseline", [&] {
    need(out_name, "out_name");
    *out_name = nullptr;
    if (n_models > 0) need(models, "models");
    std::vector<AttributionModel> list;
    for (size_t i = 0; i < n_models; ++i)
      list.push_back(parse_model(need(models[i], ("models[" + std::to_string(i) + "]").c_str())));
    *out_name = model_name(default_baseline(list));
  });
}

jg_status jg_attribution_comparison_table(const jg_attribution* attribution, const char* baseline,
                                          jg_table** out_table) {
  return guard("jg_attribution_comparison_table", [&] {
    reset_out(out_table, "out_table");
    const AttributionResult& r = need(attribution, "attribution")->result;
    *out_table = new_table(comparison_table(r, baseline ? parse_model(baseline) : default_baseline(r)));
  });
}

}  // extern "C"
