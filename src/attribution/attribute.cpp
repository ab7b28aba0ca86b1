// Model names and the attribute() driver.

#include <algorithm>
#include <unordered_map>

#include "attribution/bootstrap.hpp"
#include "attribution/rules.hpp"
#include "common/names.hpp"
#include "common/text.hpp"
#include "journeygraph/attribution.hpp"
#include "journeygraph/error.hpp"

namespace journeygraph {

const char* model_name(AttributionModel m) noexcept {
  switch (m) {
    case AttributionModel::markov: return "markov";
    case AttributionModel::first_touch: return "first_touch";
    case AttributionModel::last_touch: return "last_touch";
    case AttributionModel::linear: return "linear";
    case AttributionModel::last_non_direct: return "last_non_direct";
    case AttributionModel::position_based: return "position_based";
    case AttributionModel::j_curve: return "j_curve";
    case AttributionModel::inverse_j: return "inverse_j";
    case AttributionModel::time_decay: return "time_decay";
    case AttributionModel::participation: return "participation";
    case AttributionModel::shapley: return "shapley";
    case AttributionModel::ordered_shapley: return "ordered_shapley";
    case AttributionModel::fractribution: return "fractribution";
  }
  return "?";
}

namespace {
constexpr AttributionModel kModels[] = {
    AttributionModel::markov,         AttributionModel::first_touch,     AttributionModel::last_touch,
    AttributionModel::linear,         AttributionModel::last_non_direct, AttributionModel::position_based,
    AttributionModel::j_curve,        AttributionModel::inverse_j,       AttributionModel::time_decay,
    AttributionModel::participation,  AttributionModel::shapley,         AttributionModel::ordered_shapley,
    AttributionModel::fractribution};
}  // namespace

std::vector<AttributionModel> default_models() {
  return {AttributionModel::markov, AttributionModel::first_touch, AttributionModel::last_touch,
          AttributionModel::linear};
}

std::vector<AttributionModel> all_models() { return {std::begin(kModels), std::end(kModels)}; }

std::vector<AttributionModel> applicable_models(const JourneySet& journeys) {
  std::vector<AttributionModel> out;
  for (AttributionModel m : all_models())
    if (m != AttributionModel::time_decay || journeys.has_timestamps()) out.push_back(m);
  return out;
}

AttributionModel parse_model(std::string_view name) {
  return detail::parse_name(name, kModels, model_name, "attribution model");
}

const ModelAttribution* AttributionResult::find(AttributionModel m) const noexcept {
  for (const auto& x : models)
    if (x.model == m) return &x;
  return nullptr;
}

std::vector<std::string> sorted_touchpoints(const JourneySet& js) {
  std::vector<std::string> names = js.touchpoints().names();
  std::sort(names.begin(), names.end());
  return names;
}

AttributionResult attribute(const JourneySet& js, const AttributionOptions& options, const Execution& exec) {
  if (js.size() == 0) throw DataError("no journeys to attribute");
  if (!(js.total_conversions() > 0)) throw DataError("the journeys have no conversions: nothing to attribute");
  AttributionResult res;
  res.touchpoints = sorted_touchpoints(js);
  res.total_conversions = js.total_conversions();
  res.total_nulls = js.total_nulls();
  res.total_value = js.total_value();
  res.order = options.markov.order;
  detail::validate(options.heuristics);
  detail::validate(options.shapley);
  detail::validate(options.bootstrap);
  std::vector<AttributionModel> seen;
  for (AttributionModel m : options.models) {
    if (std::find(seen.begin(), seen.end(), m) != seen.end()) continue;
    seen.push_back(m);
    // Fail before any long computation when a requested model cannot run on these journeys.
    if (m == AttributionModel::time_decay) {
      const detail::CreditRule check(m, options, js);
      (void)check;
    }
  }
  std::optional<ShapleyResult> shapley;
  std::optional<MarkovModel> fitted;
  // The rule-based models share one pass over the journeys.
  std::vector<AttributionModel> rule_based;
  for (AttributionModel m : seen)
    if (m != AttributionModel::markov && m != AttributionModel::shapley && m != AttributionModel::ordered_shapley)
      rule_based.push_back(m);
  std::vector<ModelAttribution> ruled = detail::heuristic_attributions(js, rule_based, options, exec);
  for (AttributionModel m : seen) {
    if (m == AttributionModel::shapley || m == AttributionModel::ordered_shapley) {
      if (!shapley) shapley = shapley_attribution(js, options.shapley);
      res.models.push_back({m, shapley->conversions, shapley->value, std::nullopt, std::nullopt});
      if (m == AttributionModel::ordered_shapley) res.positions = shapley->positions;
      continue;
    }
    if (m != AttributionModel::markov) {
      const auto at = std::find(rule_based.begin(), rule_based.end(), m) - rule_based.begin();
      res.models.push_back(std::move(ruled[static_cast<std::size_t>(at)]));
      continue;
    }
    fitted = MarkovModel::fit(js, options.markov, exec);
    const MarkovModel& model = *fitted;
    RemovalEffects re = removal_effects(model, exec);
    // The model knows only touchpoints of journeys with positive weight: align by name.
    std::unordered_map<std::string, std::size_t> at;
    for (std::size_t i = 0; i < re.touchpoints.size(); ++i) at.emplace(re.touchpoints[i], i);
    ModelAttribution ma{m, std::vector<double>(res.touchpoints.size(), 0.0),
                        std::vector<double>(res.touchpoints.size(), 0.0), std::nullopt, std::nullopt};
    RemovalEffects aligned;
    aligned.touchpoints = res.touchpoints;
    aligned.conversion_probability = re.conversion_probability;
    aligned.expected_value = re.expected_value;
    aligned.total_conversions = re.total_conversions;
    aligned.total_value = re.total_value;
    aligned.max_residual = re.max_residual;
    const std::size_t nt = res.touchpoints.size();
    aligned.removal_effect.assign(nt, 0.0);
    aligned.removal_effect_value.assign(nt, 0.0);
    aligned.conversions.assign(nt, 0.0);
    aligned.value.assign(nt, 0.0);
    aligned.conversion_probability_without.assign(nt, re.conversion_probability);
    for (std::size_t i = 0; i < nt; ++i) {
      auto it = at.find(res.touchpoints[i]);
      if (it == at.end()) continue;
      std::size_t k = it->second;
      aligned.removal_effect[i] = re.removal_effect[k];
      aligned.removal_effect_value[i] = re.removal_effect_value[k];
      aligned.conversions[i] = re.conversions[k];
      aligned.value[i] = re.value[k];
      aligned.conversion_probability_without[i] = re.conversion_probability_without[k];
      ma.conversions[i] = re.conversions[k];
      ma.value[i] = re.value[k];
    }
    res.models.push_back(std::move(ma));
    res.markov = std::move(aligned);
  }
  if (options.bootstrap.replicates > 0) detail::bootstrap(js, options, fitted ? &*fitted : nullptr, res, exec);
  return res;
}

AttributionResult attribute(const MarkovModel& model, const Execution& exec) {
  RemovalEffects re = removal_effects(model, exec);
  AttributionResult res;
  res.touchpoints = re.touchpoints;
  res.total_conversions = model.counts().total_conversions();
  res.total_nulls = model.counts().total_nulls();
  res.total_value = model.counts().total_value();
  res.order = model.order();
  res.models.push_back({AttributionModel::markov, re.conversions, re.value, std::nullopt, std::nullopt});
  res.markov = std::move(re);
  return res;
}

}  // namespace journeygraph
