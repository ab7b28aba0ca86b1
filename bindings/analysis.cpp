// Bindings of the order choice (the 'order_choice' table).

#include "common.hpp"
#include "journeygraph/analysis.hpp"

namespace jgpy {

void bind_analysis(py::module_& m) {
  m.def(
      "choose_order",
      [](const jg::JourneySet& journeys, const jg::OrderChoiceOptions& o, unsigned threads) {
        return table_dict(jg::order_table(
            run_released(threads, [&](const jg::Execution& exec) { return jg::choose_order(journeys, o, exec); }), o));
      },
      py::arg("journeys"), py::arg("options"), py::arg("threads"),
      "Scores of the chains of orders 1..max_order (the 'order_choice' table).");
}

}  // namespace jgpy
