// The result tables of attribution: the per-touchpoint credit of every model and the removal effects.

#include <cmath>

#include "journeygraph/attribution.hpp"

namespace journeygraph {

namespace {

// An estimate column and, with intervals, its _se, _lower and _upper columns and its stability.
void add_estimate(Table& t, const std::string& name, const std::vector<double>& estimate,
                  const std::optional<Intervals>& iv, bool with_intervals) {
  t.add(name, estimate);
  if (!with_intervals) return;
  if (!iv) {  // no replicate gave this measure: every interval column is missing (NaN)
    const std::vector<double> none(estimate.size(), std::nan(""));
    t.add(name + "_se", none).add(name + "_lower", none).add(name + "_upper", none).set(name + "_stability", std::nan(""));
    return;
  }
  t.add(name + "_se", iv->standard_error);
  t.add(name + "_lower", iv->lower);
  t.add(name + "_upper", iv->upper);
  t.set(name + "_stability", iv->stability);
}

}  // namespace

Table attribution_table(const AttributionResult& r) {
  Table t;
  t.name = "attribution";
  const bool ci = r.bootstrap.has_value();
  std::string models;
  for (const auto& m : r.models) models += (models.empty() ? "" : ",") + std::string(model_name(m.model));
  t.set("order", std::int64_t(r.order)).set("models", models).set("total_conversions", r.total_conversions);
  t.set("total_nulls", r.total_nulls).set("total_value", r.total_value);
  if (r.markov)
    t.set("conversion_probability", r.markov->conversion_probability)
        .set("expected_value", r.markov->expected_value)
        .set("max_residual", r.markov->max_residual);
  if (ci)
    t.set("replicates", std::int64_t(r.bootstrap->replicates))
        .set("confidence", r.bootstrap->confidence)
        .set("seed", std::int64_t(r.bootstrap->seed))
        .set("markov_failed_replicates", std::int64_t(r.bootstrap->markov_failed_replicates));
  t.add("touchpoint", r.touchpoints);
  if (r.markov) {
    add_estimate(t, "removal_effect", r.markov->removal_effect, r.removal_effect_interval, ci);
    t.add("removal_effect_value", r.markov->removal_effect_value);
  }
  for (const auto& m : r.models) add_estimate(t, model_name(m.model), m.conversions, m.conversions_interval, ci);
  for (const auto& m : r.models)
    add_estimate(t, std::string(model_name(m.model)) + "_value", m.value, m.value_interval, ci);
  if (r.positions) {
    const std::size_t P = r.positions->positions, n = r.touchpoints.size();
    for (std::size_t p = 0; p < P; ++p) {
      std::vector<double> credit(n);
      for (std::size_t i = 0; i < n; ++i) credit[i] = r.positions->conversions[i * P + p];
      t.add("ordered_shapley_position_" + std::to_string(p + 1), std::move(credit));
    }
  }
  return t;
}

Table removal_table(const RemovalEffects& e) {
  Table t;
  t.name = "removal_effects";
  t.set("conversion_probability", e.conversion_probability).set("expected_value", e.expected_value);
  t.set("total_conversions", e.total_conversions).set("total_value", e.total_value).set("max_residual", e.max_residual);
  t.add("touchpoint", e.touchpoints)
      .add("removal_effect", e.removal_effect)
      .add("removal_effect_value", e.removal_effect_value)
      .add("conversions", e.conversions)
      .add("value", e.value)
      .add("conversion_probability_without", e.conversion_probability_without);
  return t;
}

}  // namespace journeygraph
