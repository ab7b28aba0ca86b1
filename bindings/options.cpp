// Bindings of the core's option structs. Python builds them by keyword (journeygraph._options); a default-made
// one holds the core's defaults, so no face repeats them. Enum fields read and write their core names, nested
// structs are reached by their own field names (AttributionOptions.order is markov.order).

#include "common.hpp"
#include "journeygraph/analysis.hpp"
#include "journeygraph/attribution.hpp"
#include "journeygraph/compare.hpp"
#include "journeygraph/drivers.hpp"
#include "journeygraph/io.hpp"
#include "journeygraph/render.hpp"
#include "journeygraph/samples.hpp"
#include "journeygraph/stages.hpp"

namespace jgpy {
namespace {

// A class with a default constructor and a repr listing every field; fields are added by the caller.
template <class T>
py::class_<T> options_class(py::module_& m, const char* name, const char* doc) {
  return py::class_<T>(m, name, doc).def(py::init<>()).def("__repr__", [name](const py::object& self) {
    std::string out = std::string(name) + "(";
    bool first = true;
    for (const auto& item : py::type::of(self).attr("__dict__").cast<py::dict>()) {
      const std::string key = py::str(item.first);
      if (key[0] == '_' || !py::isinstance(item.second, py::module_::import("builtins").attr("property"))) continue;
      out += (first ? "" : ", ") + key + "=" + py::repr(self.attr(key.c_str())).cast<std::string>();
      first = false;
    }
    return out + ")";
  });
}

// A string property over an enum field, read and written by the core's name functions.
#define JGPY_ENUM(T, field, name_of, parse)                                                     \
  def_property(#field, [](const T& o) { return std::string(name_of(o.field)); },                \
               [](T& o, const std::string& v) { o.field = parse(v); })
// A property over a field of a nested struct, under the nested field's name.
#define JGPY_NESTED(T, outer, field)                                        \
  def_property(#field, [](const T& o) { return o.outer.field; },            \
               [](T& o, std::decay_t<decltype(std::declval<T&>().outer.field)> v) { o.outer.field = std::move(v); })

}  // namespace

void bind_options(py::module_& m) {
  py::class_<jg::Column>(m, "Column", "A CSV column: its name and whether its absence is an error.")
      .def(py::init<std::string, bool>(), py::arg("name"), py::arg("required") = true)
      .def_readwrite("name", &jg::Column::name)
      .def_readwrite("required", &jg::Column::required)
      .def("__repr__", [](const jg::Column& c) { return "Column('" + c.name + "', required=" + (c.required ? "True)" : "False)"); });

  using E = jg::EventCsvOptions;
  options_class<E>(m, "EventCsvOptions", "Columns and dialect of an events CSV (and of an events DataFrame).")
      .def_readwrite("journey", &E::journey)
      .def_readwrite("time", &E::time)
      .def_readwrite("touchpoint", &E::touchpoint)
      .def_readwrite("conversion", &E::conversion)
      .def_readwrite("value", &E::value)
      .def_readwrite("segment", &E::segment)
      .JGPY_NESTED(E, csv, skip_bad_rows)
      .def_property("delimiter", [](const E& o) { return std::string(1, o.csv.delimiter); },
                    [](E& o, const std::string& d) {
                      if (d.size() != 1) throw jg::InvalidArgument("the delimiter must be one character, got '" + d + "'");
                      o.csv.delimiter = d[0];
                    })
      .def_property(
          "time_unit",
          [](const E& o) -> std::optional<std::string> {
            if (!o.time_format.integer_unit) return std::nullopt;
            return std::string(jg::time_unit_name(*o.time_format.integer_unit));
          },
          [](E& o, const std::optional<std::string>& u) {
            o.time_format.integer_unit = u ? std::optional<jg::TimeUnit>(jg::parse_time_unit(*u)) : std::nullopt;
          },
          "Unit of epoch-number times: 's', 'ms', 'us' or 'ns'; None (the default) is seconds, checked: values "
          "after the year 2200, or all before 1971, are refused with what they would be in the other units.")
      .def_property(
          "time_format", [](const E& o) { return o.time_format.pattern; },
          [](E& o, const std::string& p) { o.time_format.pattern = p; },
          "strftime-style pattern of date-time text, e.g. '%d/%m/%Y %H:%M' (directives %Y %y %m %b %B %d %j %H %I "
          "%p %M %S %f %z %T %%); '' (the default) reads epoch numbers and ISO-8601. Times without an offset are UTC.");

  using P = jg::PathCsvOptions;
  options_class<P>(m, "PathCsvOptions", "Columns and dialect of an aggregated paths CSV.")
      .def_readwrite("path", &P::path)
      .def_readwrite("conversions", &P::conversions)
      .def_readwrite("nulls", &P::nulls)
      .def_readwrite("value", &P::value)
      .def_readwrite("separator", &P::separator)
      .def_readwrite("check_separator", &P::check_separator,
                     "Refuse paths of which none holds the separator while most hold another common one.")
      .JGPY_NESTED(P, csv, skip_bad_rows)
      .def_property("delimiter", [](const P& o) { return std::string(1, o.csv.delimiter); },
                    [](P& o, const std::string& d) {
                      if (d.size() != 1) throw jg::InvalidArgument("the delimiter must be one character, got '" + d + "'");
                      o.csv.delimiter = d[0];
                    });

  using J = jg::JourneyOptions;
  options_class<J>(m, "JourneyOptions", "How events become journeys (durations in seconds).")
      .def_readwrite("split_on_conversion", &J::split_on_conversion)
      .def_readwrite("lookback", &J::lookback)
      .def_readwrite("gap", &J::gap)
      .def_readwrite("collapse_repeats", &J::collapse_repeats)
      .def_readwrite("max_touches", &J::max_touches)
      .def_readwrite("store_timestamps", &J::store_timestamps);

  using M = jg::ModelOptions;
  options_class<M>(m, "ModelOptions", "Options of a Markov fit.")
      .def_readwrite("order", &M::order)
      .def_readwrite("smoothing", &M::smoothing)
      .JGPY_ENUM(M, self_loops, jg::self_loops_name, jg::parse_self_loops);

  using A = jg::AttributionOptions;
  options_class<A>(m, "AttributionOptions", "Models, their parameters, the chain of markov and the bootstrap.")
      .def_property("models",
                    [](const A& o) {
                      std::vector<std::string> names;
                      for (auto x : o.models) names.emplace_back(jg::model_name(x));
                      return names;
                    },
                    [](A& o, const std::vector<std::string>& names) {
                      o.models.clear();
                      for (const auto& n : names) o.models.push_back(jg::parse_model(n));
                    })
      .JGPY_NESTED(A, markov, order)
      .JGPY_NESTED(A, markov, smoothing)
      .def_property("self_loops", [](const A& o) { return std::string(jg::self_loops_name(o.markov.self_loops)); },
                    [](A& o, const std::string& v) { o.markov.self_loops = jg::parse_self_loops(v); })
      .JGPY_NESTED(A, heuristics, excluded)
      .JGPY_NESTED(A, heuristics, first_weight)
      .JGPY_NESTED(A, heuristics, last_weight)
      .JGPY_NESTED(A, heuristics, half_life)
      .JGPY_NESTED(A, shapley, max_coalition)
      .JGPY_NESTED(A, bootstrap, replicates)
      .JGPY_NESTED(A, bootstrap, confidence)
      .JGPY_NESTED(A, bootstrap, seed);
  m.attr("DEFAULT_REPLICATES") = jg::kDefaultReplicates;

  using O = jg::OrderChoiceOptions;
  options_class<O>(m, "OrderChoiceOptions", "Options of the order choice.")
      .def_readwrite("max_order", &O::max_order)
      .def_readwrite("holdout", &O::holdout)
      .def_readwrite("seed", &O::seed)
      .def_readwrite("smoothing", &O::smoothing)
      .JGPY_ENUM(O, self_loops, jg::self_loops_name, jg::parse_self_loops)
      .def_readwrite("floor", &O::floor);

  using S = jg::SimulationOptions;
  options_class<S>(m, "SimulationOptions", "Options of the simulation of journeys.")
      .def_readwrite("journeys", &S::journeys)
      .def_readwrite("seed", &S::seed)
      .def_readwrite("max_touches", &S::max_touches);

  using Y = jg::SyntheticOptions;
  options_class<Y>(m, "SyntheticOptions", "Options of the synthetic events.")
      .def_readwrite("journeys", &Y::journeys)
      .def_readwrite("touchpoints", &Y::touchpoints)
      .def_readwrite("mean_touches", &Y::mean_touches)
      .def_readwrite("min_touches", &Y::min_touches)
      .def_readwrite("zipf", &Y::zipf)
      .def_readwrite("stickiness", &Y::stickiness)
      .def_readwrite("base_conversion", &Y::base_conversion)
      .def_readwrite("seed", &Y::seed);

  using G = jg::StageCsvOptions;
  options_class<G>(m, "StageCsvOptions", "Columns and funnel order of a stages CSV.")
      .def_readwrite("touchpoint_column", &G::touchpoint_column)
      .def_readwrite("stage_column", &G::stage_column)
      .def_readwrite("order", &G::order);

  using MO = jg::MapOptions;
  options_class<MO>(m, "MapOptions", "Options of a journey map: its chain and the stage of unnamed touchpoints.")
      .JGPY_NESTED(MO, model, order)
      .JGPY_NESTED(MO, model, smoothing)
      .def_property("self_loops", [](const MO& o) { return std::string(jg::self_loops_name(o.model.self_loops)); },
                    [](MO& o, const std::string& v) { o.model.self_loops = jg::parse_self_loops(v); })
      .def_readwrite("other_stage", &MO::other_stage);

  using D = jg::DriverOptions;
  options_class<D>(m, "DriverOptions", "Options of the conversion drivers (the core's defaults).")
      .def_readwrite("touchpoints", &D::touchpoints)
      .def_readwrite("kgrams", &D::kgrams)
      .def_readwrite("before", &D::before)
      .def_readwrite("at_least", &D::at_least)
      .def_readwrite("features", &D::features)
      .def_readwrite("min_support", &D::min_support)
      .JGPY_ENUM(D, target, jg::driver_target_name, jg::parse_driver_target)
      .def_readwrite("after", &D::after)
      .def_readwrite("length_strata", &D::length_strata)
      .def_readwrite("level", &D::level)
      .def_readwrite("alpha", &D::alpha);

  using PP = jg::PainPointOptions;
  options_class<PP>(m, "PainPointOptions", "Options of the pain points.")
      .JGPY_ENUM(PP, rank_by, jg::pain_ranking_name, jg::parse_pain_ranking)
      .def_readwrite("min_journeys", &PP::min_journeys);

  using PO = jg::PathOptions;
  options_class<PO>(m, "PathOptions", "Options of the path analyses.")
      .def_readwrite("top", &PO::top)
      .def_readwrite("most_probable", &PO::most_probable);

  using C = jg::CompareOptions;
  options_class<C>(m, "CompareOptions", "Options of the comparison of two maps.")
      .def_readwrite("alpha", &C::alpha)
      .def_readwrite("label_a", &C::label_a)
      .def_readwrite("label_b", &C::label_b);

  using R = jg::RenderOptions;
  options_class<R>(m, "RenderOptions", "Options of the exports and pictures of a map.")
      .def_readwrite("title", &R::title)
      .def_readwrite("max_edges", &R::max_edges)
      .def_readwrite("by_stage", &R::by_stage)
      .def_readwrite("max_steps", &R::max_steps)
      .def_readwrite("top_paths", &R::top_paths)
      .def_readwrite("pain_points", &R::pain_points)
      .def_readwrite("pain", &R::pain)
      .def_readwrite("segment_switch", &R::segment_switch);
}

}  // namespace jgpy
