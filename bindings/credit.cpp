// Per-journey credit, calibration and sequence removal effects (journeygraph/credit.hpp).

#include "common.hpp"

#include "journeygraph/credit.hpp"

namespace jgpy {

namespace {

jg::CreditOptions credit_options(const jg::AttributionOptions& o, std::size_t max_iterations,
                                 const std::optional<std::string>& calibration_model,
                                 const std::vector<std::string>& touchpoints, const std::vector<double>& conversions) {
  jg::CreditOptions c;
  c.attribution = o;
  c.max_iterations = max_iterations;
  if (calibration_model)
    c.calibration = jg::Calibration{jg::parse_model(*calibration_model), touchpoints, conversions};
  return c;
}

}  // namespace

void bind_credit(py::module_& m) {
  m.def(
      "journey_credit",
      [](const jg::JourneySet& journeys, const jg::AttributionOptions& o, std::size_t max_iterations,
         const std::optional<std::string>& calibration_model, const std::vector<std::string>& touchpoints,
         const std::vector<double>& conversions, unsigned threads) {
        const jg::CreditOptions c = credit_options(o, max_iterations, calibration_model, touchpoints, conversions);
        return table_dict(
            run_released(threads, [&](const jg::Execution& exec) { return jg::journey_credit(journeys, c, exec); }));
      },
      py::arg("journeys"), py::arg("options"), py::arg("max_iterations"), py::arg("calibration_model"),
      py::arg("calibration_touchpoints"), py::arg("calibration_conversions"), py::arg("threads"),
      "Every journey's credit (the 'journey_credit' table).");
  m.def(
      "calibration_table",
      [](const jg::JourneySet& journeys, const jg::AttributionOptions& o, const std::string& calibration_model,
         const std::vector<std::string>& touchpoints, const std::vector<double>& conversions, unsigned threads) {
        const jg::CreditOptions c =
            credit_options(o, jg::CreditOptions{}.max_iterations, calibration_model, touchpoints, conversions);
        return table_dict(run_released(
            threads, [&](const jg::Execution& exec) { return jg::calibration_table(journeys, c, exec); }));
      },
      py::arg("journeys"), py::arg("options"), py::arg("calibration_model"), py::arg("calibration_touchpoints"),
      py::arg("calibration_conversions"), py::arg("threads"),
      "A model's touchpoint totals against external figures (the 'calibration' table).");
  m.def(
      "sequence_removal_effects",
      [](const jg::JourneySet& journeys, const std::vector<std::vector<std::string>>& sequences, std::size_t top_n,
         std::size_t top_length, const jg::ModelOptions& markov, unsigned threads) {
        jg::SequenceOptions o;
        o.sequences = sequences;
        o.top_n = top_n;
        o.top_length = top_length;
        o.markov = markov;
        return table_dict(run_released(
            threads, [&](const jg::Execution& exec) { return jg::sequence_removal_effects(journeys, o, exec); }));
      },
      py::arg("journeys"), py::arg("sequences"), py::arg("top_n"), py::arg("top_length"), py::arg("markov"),
      py::arg("threads"), "Exact removal effects of touchpoint sequences (the 'sequence_removal_effects' table).");
  m.def(
      "parse_sequences", [](const std::string& text) { return jg::parse_sequences(text); }, py::arg("text"),
      "Sequences written \"a>b,c>d\" as lists of names.");
}

}  // namespace jgpy
