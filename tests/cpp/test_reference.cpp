// ChannelAttribution's public sample against answers from an independent exact solver
// (tests/data/reference/pathdata_expected.json): orders 1 and 3, conversions and value, and heuristics.

#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>

#include "journeygraph/attribution.hpp"
#include "journeygraph/io.hpp"

using namespace journeygraph;
using json = nlohmann::json;

namespace {

json expected() {
  std::ifstream f(JG_REFERENCE_DIR "/pathdata_expected.json");
  REQUIRE(f.good());
  return json::parse(f);
}

const JourneySet& reference_paths() {
  static const JourneySet js = read_paths_csv(JG_REFERENCE_DIR "/pathdata.csv");
  return js;
}

double rel(double got, double want) { return std::abs(got - want) / std::max(std::abs(want), 1e-300); }

void check_block(const std::vector<std::string>& names, const std::vector<double>& got, const json& want,
                 double tol, const std::string& what) {
  REQUIRE(want.size() == names.size());
  for (std::size_t i = 0; i < names.size(); ++i) {
    INFO(what << " " << names[i] << " got " << got[i] << " want " << want.at(names[i]).get<double>());
    CHECK(rel(got[i], want.at(names[i]).get<double>()) <= tol);
  }
}

}  // namespace

TEST_CASE("reference totals", "[reference]") {
  const json e = expected();
  const JourneySet& js = reference_paths();
  CHECK(js.size() == 10000);
  CHECK(js.total_conversions() == e["totals"]["conversions"].get<double>());
  CHECK(js.total_nulls() == e["totals"]["null"].get<double>());
  CHECK(rel(js.total_value(), e["totals"]["value"].get<double>()) <= 1e-12);
}

TEST_CASE("reference removal effects and attribution, orders 1 and 3", "[reference]") {
  const json e = expected();
  for (unsigned order : {1u, 3u}) {
    DYNAMIC_SECTION("order " << order) {
      const json& want = e["order" + std::to_string(order)];
      ModelOptions o;
      o.order = order;
      MarkovModel m = MarkovModel::fit(reference_paths(), o);
      CHECK(m.n_states() == want["states"].get<std::size_t>());
      CHECK(rel(m.conversion_probability(), want["conversion_probability"].get<double>()) <= 1e-12);
      RemovalEffects re = removal_effects(m);
      check_block(re.touchpoints, re.removal_effect, want["removal_effect_conversions"], 1e-9, "RE");
      check_block(re.touchpoints, re.removal_effect_value, want["removal_effect_value"], 1e-9, "RE value");
      check_block(re.touchpoints, re.conversions, want["attribution_conversions"], 1e-9, "attribution");
      check_block(re.touchpoints, re.value, want["attribution_value"], 1e-9, "attribution value");
    }
  }
}

TEST_CASE("reference heuristics", "[reference]") {
  const json h = expected()["heuristics"];
  AttributionOptions o;
  o.models = {AttributionModel::first_touch, AttributionModel::last_touch, AttributionModel::linear};
  AttributionResult r = attribute(reference_paths(), o);
  const std::pair<AttributionModel, std::string> blocks[] = {{AttributionModel::first_touch, "first_touch"},
                                                             {AttributionModel::last_touch, "last_touch"},
                                                             {AttributionModel::linear, "linear_touch"}};
  for (const auto& [model, key] : blocks) {
    const ModelAttribution* m = r.find(model);
    REQUIRE(m != nullptr);
    check_block(r.touchpoints, m->conversions, h[key + "_conversions"], 1e-12, key);
    check_block(r.touchpoints, m->value, h[key + "_value"], 1e-12, key + " value");
  }
}

TEST_CASE("removal effects are identical with 1 and 2 threads", "[reference][determinism]") {
  ModelOptions o;
  o.order = 3;
  MarkovModel m = MarkovModel::fit(reference_paths(), o);
  Execution one, two;
  one.threads = 1;
  two.threads = 2;
  RemovalEffects a = removal_effects(m, one), b = removal_effects(m, two);
  CHECK(a.removal_effect == b.removal_effect);
  CHECK(a.removal_effect_value == b.removal_effect_value);
  CHECK(a.conversions == b.conversions);
}
