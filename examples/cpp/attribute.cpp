// attribute: the attribution table of an aggregated paths CSV, through journeygraph's C++ API.
//
//   usage: attribute PATHS.csv [ORDER]
//
// The same table as examples/c/attribute.c (CSV on stdout: one row per touchpoint, each model's credit
// in conversions and in value, every model the library has that applies to the data), so that the two can
// be compared.

#include <cstdio>
#include <iostream>
#include <string>

#include <journeygraph/journeygraph.hpp>

int main(int argc, char** argv) {
  namespace jg = journeygraph;
  if (argc < 2 || argc > 3) {
    std::cerr << "usage: " << argv[0] << " PATHS.csv [ORDER]\n";
    return 2;
  }
  try {
    const jg::JourneySet journeys = jg::read_paths_csv(argv[1]);
    jg::AttributionOptions options;
    options.models = jg::applicable_models(journeys);  // time_decay needs timestamps; paths have none
    if (argc == 3) options.markov.order = static_cast<unsigned>(std::stoul(argv[2]));
    const jg::AttributionResult result = jg::attribute(journeys, options);

    std::printf("touchpoint");
    for (const auto& m : result.models) std::printf(",%s,%s_value", jg::model_name(m.model), jg::model_name(m.model));
    std::printf("\n");
    for (std::size_t i = 0; i < result.touchpoints.size(); ++i) {
      std::printf("%s", result.touchpoints[i].c_str());
      for (const auto& m : result.models) std::printf(",%.17g,%.17g", m.conversions[i], m.value[i]);
      std::printf("\n");
    }
  } catch (const std::exception& e) {
    std::cerr << "attribute: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
