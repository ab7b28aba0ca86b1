// journeygraph transitions

#include <iostream>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "journeygraph/text.hpp"
#include "journeygraph/error.hpp"

namespace jg = journeygraph;

namespace journeygraph::cli {

int cmd_transitions(int argc, char** argv) {
  Args a("transitions", "Fit a Markov chain of order K and print every transition with its count and probability.",
         "FILE (--paths | --events) [options]");
  add_input_options(a);
  add_model_options(a);
  a.section("output").option("format", "FORMAT", "table, csv or json", "table");
  if (!a.parse(argc, argv, 2)) return 0;
  const std::string file = single_file(a);
  const std::string format = output_format(a);
  jg::BuildReport report;
  jg::JourneySet js = load_journeys(a, file, report);
  print_report(a, report);
  jg::MarkovModel m = jg::MarkovModel::fit(js, model_options(a), execution(a));
  Table t;
  t.columns = {"from", "to", "count", "probability"};
  for (const auto& tr : m.transitions()) t.rows.push_back({tr.from, tr.to, tr.count, tr.probability});
  if (format == "csv") print_csv(std::cout, t);
  else if (format == "json") {
    std::cout << "{\n  \"order\": " << m.order() << ",\n  \"states\": " << m.n_states()
              << ",\n  \"conversion_probability\": " << json_number(m.conversion_probability())
              << ",\n  \"transitions\": ";
    print_json_rows(std::cout, t, "  ");
    std::cout << "\n}\n";
  } else {
    std::cout << "Order-" << m.order() << " chain: " << m.n_states() << " states (START included), P(conversion) "
              << m.conversion_probability() << "\n\n";
    print_text(std::cout, t, 4);
  }
  return 0;
}


}  // namespace journeygraph::cli
