// Heuristic models and the attribute() driver.

#include <algorithm>
#include <unordered_map>

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
  }
  return "?";
}

std::vector<AttributionModel> all_models() {
  return {AttributionModel::markov, AttributionModel::first_touch, AttributionModel::last_touch,
          AttributionModel::linear};
}

AttributionModel parse_model(std::string_view name) {
  for (auto m : all_models())
    if (name == model_name(m)) return m;
  std::string known;
  for (auto m : all_models()) known += std::string(known.empty() ? "" : ", ") + model_name(m);
  throw InvalidArgument("unknown attribution model " + detail::show(name) + " (known: " + known + ")");
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

namespace {
// Dictionary id -> index in sorted names.
std::vector<std::uint32_t> rank_of(const JourneySet& js) {
  const auto& names = js.touchpoints().names();
  std::vector<std::uint32_t> ids(names.size());
  for (std::uint32_t i = 0; i < ids.size(); ++i) ids[i] = i;
  std::sort(ids.begin(), ids.end(), [&](std::uint32_t a, std::uint32_t b) { return names[a] < names[b]; });
  std::vector<std::uint32_t> rank(names.size());
  for (std::uint32_t r = 0; r < ids.size(); ++r) rank[ids[r]] = r;
  return rank;
}
}  // namespace

ModelAttribution heuristic_attribution(const JourneySet& js, AttributionModel model) {
  const auto rank = rank_of(js);
  ModelAttribution out{model, std::vector<double>(rank.size(), 0.0), std::vector<double>(rank.size(), 0.0)};
  for (std::size_t j = 0; j < js.size(); ++j) {
    const double c = js.conversions(j), v = js.value(j);
    if (c == 0) continue;
    auto p = js.path(j);
    switch (model) {
      case AttributionModel::first_touch:
        out.conversions[rank[p.front()]] += c;
        out.value[rank[p.front()]] += v;
        break;
      case AttributionModel::last_touch:
        out.conversions[rank[p.back()]] += c;
        out.value[rank[p.back()]] += v;
        break;
      case AttributionModel::linear: {
        const double share = 1.0 / double(p.size());
        for (std::uint32_t t : p) {
          out.conversions[rank[t]] += c * share;
          out.value[rank[t]] += v * share;
        }
        break;
      }
      case AttributionModel::markov:
        throw InvalidArgument("heuristic_attribution: markov is not a heuristic; use attribute() or removal_effects()");
    }
  }
  return out;
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
  std::vector<AttributionModel> seen;
  for (AttributionModel m : options.models) {
    if (std::find(seen.begin(), seen.end(), m) != seen.end()) continue;
    seen.push_back(m);
    if (m != AttributionModel::markov) {
      res.models.push_back(heuristic_attribution(js, m));
      continue;
    }
    MarkovModel model = MarkovModel::fit(js, options.markov, exec);
    RemovalEffects re = removal_effects(model, exec);
    // The model knows only touchpoints of journeys with positive weight: align by name.
    std::unordered_map<std::string, std::size_t> at;
    for (std::size_t i = 0; i < re.touchpoints.size(); ++i) at.emplace(re.touchpoints[i], i);
    ModelAttribution ma{m, std::vector<double>(res.touchpoints.size(), 0.0),
                        std::vector<double>(res.touchpoints.size(), 0.0)};
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
  res.models.push_back({AttributionModel::markov, re.conversions, re.value});
  res.markov = std::move(re);
  return res;
}

}  // namespace journeygraph
