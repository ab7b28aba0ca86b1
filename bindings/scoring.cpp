// Bindings of open-journey scoring and of money (spend, ROAS, model comparison): each result is a core table.

#include "common.hpp"
#include "journeygraph/money.hpp"
#include "journeygraph/scoring.hpp"

namespace jgpy {

void bind_scoring(py::module_& m) {
  m.def(
      "score_histories",
      [](const jg::MarkovModel& model, const jg::JourneySet& histories, std::size_t next, unsigned threads) {
        py::list out;
        auto tables = run_released(threads, [&](const jg::Execution& exec) {
          const jg::Scorer scorer(model, exec);
          std::vector<jg::Table> t{jg::score_table(scorer, histories, {}, exec)};
          if (next > 0) t.push_back(jg::next_touch_table(scorer, histories, next, nullptr, exec));
          return t;
        });
        for (const auto& t : tables) out.append(table_dict(t));
        return out;
      },
      py::arg("model"), py::arg("histories"), py::arg("next"), py::arg("threads"),
      "Every journey scored as an open history (the 'scores' table; with next > 0 also 'next_touch').");
  m.def(
      "score_open",
      [](const jg::MarkovModel& model, const jg::JourneySet& journeys, double window, std::size_t next,
         unsigned threads) {
        py::list out;
        auto tables = run_released(threads, [&](const jg::Execution& exec) {
          jg::OpenJourneyOptions o;
          o.window = window;
          std::vector<jg::Table> t{jg::score_open_journeys(model, journeys, o, {}, exec)};
          if (next > 0) {
            const std::vector<std::size_t> rows = jg::open_journeys(journeys, o);
            t.push_back(jg::next_touch_table(jg::Scorer(model, exec), journeys, next, &rows, exec));
          }
          return t;
        });
        for (const auto& t : tables) out.append(table_dict(t));
        return out;
      },
      py::arg("model"), py::arg("journeys"), py::arg("window"), py::arg("next"), py::arg("threads"),
      "The open journeys scored (the 'scores' table; with next > 0 also 'next_touch').");
  m.def(
      "closed_journeys",
      [](const jg::JourneySet& journeys, double window) {
        jg::OpenJourneyOptions o;
        o.window = window;
        return run_released(1, [&](const jg::Execution& exec) { return jg::closed_journeys(journeys, o, exec); });
      },
      py::arg("journeys"), py::arg("window"), "The journeys that are not open.");
  m.def("default_open_window", [] { return jg::OpenJourneyOptions{}.window; },
        "The core's default open-journey window in seconds.");
  m.def(
      "default_baseline", [](const std::vector<std::string>& models) { return jg::default_baseline(models); },
      py::arg("models"),
      "The core's baseline of a model comparison among these model names: last_touch when present, else the first.");
  m.def(
      "money_tables",
      [](const jg::JourneySet& journeys, const jg::AttributionOptions& o, unsigned threads,
         std::vector<std::string> touchpoints, std::vector<double> spend, std::vector<std::string> periods,
         const std::string& period, const std::string& baseline) {
        py::list out;
        auto tables = run_released(threads, [&](const jg::Execution& exec) {
          if (o.models.empty()) throw jg::InvalidArgument("no attribution model requested");
          const jg::AttributionResult r = jg::attribute(journeys, o, exec);
          std::vector<jg::Table> t{jg::attribution_table(r)};
          if (!touchpoints.empty() || !spend.empty())
            t.push_back(jg::money_table(r, jg::spend_from_columns(touchpoints, spend, periods, period)));
          if (!baseline.empty() || (!touchpoints.empty() && r.models.size() > 1))
            t.push_back(jg::comparison_table(r, baseline.empty() ? jg::default_baseline(r) : jg::parse_model(baseline)));
          return t;
        });
        for (const auto& t : tables) out.append(table_dict(t));
        return out;
      },
      py::arg("journeys"), py::arg("options"), py::arg("threads"), py::arg("touchpoints"), py::arg("spend"),
      py::arg("periods"), py::arg("period"), py::arg("baseline"),
      "Attribution with the 'money' table (when spend is given) and 'model_comparison' (with a baseline, or with "
      "spend and several models).");
}

}  // namespace jgpy
