// The C ABI gives the C++ API's results bit for bit, and its defaults are the C++ defaults.
// One program calls both: libjourneygraph_c (with its own hidden copy of the core) and the static C++
// library. On ChannelAttribution's reference paths (orders 1, 2 and 3) every number the C ABI returns
// is compared with the C++ one by its bits, and the C results are also checked against the answers of
// an independent exact solver (pathdata_expected.json) to 1e-9.

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "journeygraph/journeygraph.h"
#include "journeygraph/journeygraph.hpp"

namespace jg = journeygraph;

namespace {

int g_checks = 0;
int g_failures = 0;

void check(bool ok, const std::string& what) {
  ++g_checks;
  if (!ok) {
    ++g_failures;
    std::cerr << "FAIL: " << what << "\n";
  }
}

void ok(jg_status s, const char* call) {
  if (s != JG_OK) {
    std::cerr << call << " returned " << jg_status_name(s) << ": " << jg_last_error_message() << "\n";
    std::exit(2);
  }
}
#define OK(call) ok((call), #call)

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

void check_bits(double c, double cpp, const std::string& what) {
  char buf[128];
  std::snprintf(buf, sizeof buf, " (C %a, C++ %a)", c, cpp);
  check(same_bits(c, cpp), what + buf);
}

void check_vector(const std::vector<double>& c, const std::vector<double>& cpp, const std::string& what) {
  check(c.size() == cpp.size(), what + ": sizes differ");
  for (std::size_t i = 0; i < c.size() && i < cpp.size(); ++i) check_bits(c[i], cpp[i], what + "[" + std::to_string(i) + "]");
}

// Reads a caller-buffer array with the size query first, as a C user would.
template <class T, class F>
std::vector<T> read_all(F&& call) {
  std::size_t n = 0;
  OK(call(static_cast<T*>(nullptr), 0, &n));
  std::vector<T> out(n);
  std::size_t got = 0;
  OK(call(out.data(), out.size(), &got));
  check(got == n, "the size query and the read agree");
  return out;
}

std::string column_name(const jg_column& c) { return c.name ? c.name : ""; }

// ------------------------------------------------------------------------------------------- defaults

void test_defaults() {
  {
    jg_exec_options c = JG_EXEC_OPTIONS_INIT, f;
    OK(jg_exec_options_init(&f, JG_EXEC_OPTIONS_VERSION));
    const jg::Execution cpp;
    for (const auto* o : {&c, &f}) check(o->threads == cpp.threads && o->progress == nullptr && o->user == nullptr, "jg_exec_options defaults");
  }
  {
    jg_journey_options c = JG_JOURNEY_OPTIONS_INIT, f;
    OK(jg_journey_options_init(&f, JG_JOURNEY_OPTIONS_VERSION));
    const jg::JourneyOptions cpp;
    for (const auto* o : {&c, &f}) {
      check((o->split_on_conversion != 0) == cpp.split_on_conversion, "split_on_conversion default");
      check((o->use_lookback != 0) == cpp.lookback.has_value(), "lookback default");
      check((o->use_gap != 0) == cpp.gap.has_value(), "gap default");
      check((o->collapse_repeats != 0) == cpp.collapse_repeats, "collapse_repeats default");
      check(o->max_touches == cpp.max_touches, "max_touches default");
    }
  }
  {
    jg_event_csv_options c = JG_EVENT_CSV_OPTIONS_INIT, f;
    OK(jg_event_csv_options_init(&f, JG_EVENT_CSV_OPTIONS_VERSION));
    const jg::EventCsvOptions cpp;
    auto same = [](const jg_column& a, const jg::Column& b) {
      return column_name(a) == b.name && (a.required != 0) == b.required;
    };
    for (const auto* o : {&c, &f}) {
      check(o->delimiter == cpp.csv.delimiter && (o->skip_bad_rows != 0) == cpp.csv.skip_bad_rows &&
                o->max_field_bytes == cpp.csv.max_field_bytes,
            "event CSV dialect defaults");
      check(same(o->journey, cpp.journey) && same(o->time, cpp.time) && same(o->touchpoint, cpp.touchpoint) &&
                same(o->conversion, cpp.conversion) && same(o->value, cpp.value) && same(o->segment, cpp.segment),
            "event CSV column defaults");
      // C++ leaves the unit unset (seconds, with the epoch range check); so does version 2 of the C struct.
      check(o->integer_time_unit == JG_TIME_DEFAULT && !cpp.time_format.integer_unit &&
                jg::TimeParser(cpp.time_format).epoch_unit() == jg::TimeUnit::seconds,
            "event CSV time unit default");
      check(o->time_format == nullptr && cpp.time_format.pattern.empty(), "event CSV time format default");
    }
  }
  {
    jg_path_csv_options c = JG_PATH_CSV_OPTIONS_INIT, f;
    OK(jg_path_csv_options_init(&f, JG_PATH_CSV_OPTIONS_VERSION));
    const jg::PathCsvOptions cpp;
    auto same = [](const jg_column& a, const jg::Column& b) {
      return column_name(a) == b.name && (a.required != 0) == b.required;
    };
    for (const auto* o : {&c, &f}) {
      check(o->delimiter == cpp.csv.delimiter && (o->skip_bad_rows != 0) == cpp.csv.skip_bad_rows &&
                o->max_field_bytes == cpp.csv.max_field_bytes,
            "path CSV dialect defaults");
      check(same(o->path, cpp.path) && same(o->conversions, cpp.conversions) && same(o->nulls, cpp.nulls) &&
                same(o->value, cpp.value),
            "path CSV column defaults");
      check(std::string(o->separator) == cpp.separator, "path separator default");
      check((o->check_separator != 0) == cpp.check_separator, "path separator check default");
    }
  }
  {
    jg_model_options c = JG_MODEL_OPTIONS_INIT, f;
    OK(jg_model_options_init(&f, JG_MODEL_OPTIONS_VERSION));
    const jg::ModelOptions cpp;
    for (const auto* o : {&c, &f})
      check(o->order == cpp.order && same_bits(o->smoothing, cpp.smoothing) &&
                (o->self_loops == JG_SELF_LOOPS_KEEP) == (cpp.self_loops == jg::SelfLoops::keep),
            "model option defaults");
  }
  {
    jg_attribution_options c = JG_ATTRIBUTION_OPTIONS_INIT, f;
    OK(jg_attribution_options_init(&f, JG_ATTRIBUTION_OPTIONS_VERSION));
    const jg::AttributionOptions cpp;
    for (const auto* o : {&c, &f})
      check(o->n_models == 0 && o->excluded == nullptr && cpp.heuristics.excluded == std::vector<std::string>{"direct"} &&
                same_bits(o->first_weight, cpp.heuristics.first_weight) &&
                same_bits(o->last_weight, cpp.heuristics.last_weight) &&
                same_bits(o->half_life_seconds, cpp.heuristics.half_life) &&
                o->max_coalition == cpp.shapley.max_coalition &&
                o->bootstrap_replicates == cpp.bootstrap.replicates &&
                same_bits(o->confidence, cpp.bootstrap.confidence) && o->seed == cpp.bootstrap.seed,
            "attribution option defaults");
    jg_order_options oc = JG_ORDER_OPTIONS_INIT;
    const jg::OrderChoiceOptions ocpp;
    check(oc.max_order == ocpp.max_order && same_bits(oc.holdout, ocpp.holdout) && oc.seed == ocpp.seed &&
              same_bits(oc.smoothing, ocpp.smoothing) &&
              (oc.self_loops == JG_SELF_LOOPS_KEEP) == (ocpp.self_loops == jg::SelfLoops::keep) &&
              same_bits(oc.floor, ocpp.floor),
          "order option defaults");
    jg_simulation_options sc = JG_SIMULATION_OPTIONS_INIT;
    const jg::SimulationOptions scpp;
    check(sc.journeys == scpp.journeys && sc.seed == scpp.seed && sc.max_touches == scpp.max_touches,
          "simulation option defaults");
  }
  {
    // The C list of models is the C++ one, by name and order.
    std::vector<const char*> names = read_all<const char*>(
        [](const char** out, std::size_t cap, std::size_t* len) { return jg_attribution_list_models(out, cap, len); });
    const auto models = jg::all_models();
    check(names.size() == models.size(), "as many C models as C++ models");
    for (std::size_t i = 0; i < names.size() && i < models.size(); ++i)
      check(std::string(names[i]) == jg::model_name(models[i]), "model name " + std::to_string(i));
  }
}

// ------------------------------------------------------------------------------------------- journeys

void compare_journeys(const jg_journeys* c, const jg::JourneySet& cpp, const std::string& what) {
  jg_journeys_info info = JG_JOURNEYS_INFO_INIT;
  OK(jg_journeys_get_info(c, &info));
  check(info.n_journeys == cpp.size() && info.n_touches == cpp.touch_count() &&
            info.n_touchpoints == cpp.touchpoints().size() && info.n_segments == cpp.segments().size() &&
            (info.has_timestamps != 0) == cpp.has_timestamps() && (info.has_segments != 0) == cpp.has_segments(),
        what + ": sizes");
  check_bits(info.total_conversions, cpp.total_conversions(), what + ": total conversions");
  check_bits(info.total_nulls, cpp.total_nulls(), what + ": total nulls");
  check_bits(info.total_value, cpp.total_value(), what + ": total value");
  for (std::size_t t = 0; t < cpp.touchpoints().size(); ++t) {
    const char* name = nullptr;
    OK(jg_journeys_touchpoint_name(c, t, &name));
    check(cpp.touchpoints().name(static_cast<std::uint32_t>(t)) == name, what + ": touchpoint name");
  }
  bool paths_equal = true, outcomes_equal = true;
  std::vector<std::uint32_t> path(64);
  std::vector<std::int64_t> times(64);
  for (std::size_t j = 0; j < cpp.size(); ++j) {
    std::size_t len = 0;
    const auto p = cpp.path(j);
    if (path.size() < p.size()) path.resize(p.size()), times.resize(p.size());
    OK(jg_journeys_path(c, j, path.data(), path.size(), &len));
    paths_equal = paths_equal && len == p.size() && std::equal(p.begin(), p.end(), path.begin());
    OK(jg_journeys_times(c, j, times.data(), times.size(), &len));
    const auto t = cpp.times(j);
    paths_equal = paths_equal && len == t.size() && std::equal(t.begin(), t.end(), times.begin());
    double conv, nulls, value;
    std::uint32_t seg;
    OK(jg_journeys_outcome(c, j, &conv, &nulls, &value));
    OK(jg_journeys_segment(c, j, &seg));
    outcomes_equal = outcomes_equal && same_bits(conv, cpp.conversions(j)) && same_bits(nulls, cpp.nulls(j)) &&
                     same_bits(value, cpp.value(j)) && seg == cpp.segment(j);
  }
  check(paths_equal, what + ": every path and its times");
  check(outcomes_equal, what + ": every outcome and segment");
}

// --------------------------------------------------------------------------------------------- models

void compare_removal(const jg_removal* c, const jg::RemovalEffects& cpp, const std::string& what) {
  jg_removal_info info = JG_REMOVAL_INFO_INIT;
  OK(jg_removal_get_info(c, &info));
  check(info.n_touchpoints == cpp.touchpoints.size(), what + ": touchpoints");
  check_bits(info.conversion_probability, cpp.conversion_probability, what + ": P(conversion)");
  check_bits(info.expected_value, cpp.expected_value, what + ": expected value");
  check_bits(info.total_conversions, cpp.total_conversions, what + ": total conversions");
  check_bits(info.total_value, cpp.total_value, what + ": total value");
  for (std::size_t i = 0; i < cpp.touchpoints.size(); ++i) {
    const char* name = nullptr;
    OK(jg_removal_touchpoint_name(c, i, &name));
    check(cpp.touchpoints[i] == name, what + ": touchpoint " + std::to_string(i));
  }
  const std::pair<jg_removal_field, const std::vector<double>*> fields[] = {
      {JG_REMOVAL_EFFECT, &cpp.removal_effect},
      {JG_REMOVAL_EFFECT_VALUE, &cpp.removal_effect_value},
      {JG_REMOVAL_CONVERSIONS, &cpp.conversions},
      {JG_REMOVAL_VALUE, &cpp.value},
      {JG_REMOVAL_CONVERSION_PROBABILITY_WITHOUT, &cpp.conversion_probability_without}};
  for (const auto& [field, vec] : fields)
    check_vector(read_all<double>([&](double* out, std::size_t cap, std::size_t* len) {
                   return jg_removal_get(c, field, out, cap, len);
                 }),
                 *vec, what + ": removal field " + std::to_string(field));
}

std::vector<double> removal_vector(const jg_removal* r, jg_removal_field field) {
  return read_all<double>([&](double* out, std::size_t cap, std::size_t* len) { return jg_removal_get(r, field, out, cap, len); });
}

void compare_model(const jg_journeys* cj, const jg::JourneySet& js, unsigned order, double smoothing,
                   const nlohmann::json* expected) {
  const std::string what = "order " + std::to_string(order) + " smoothing " + std::to_string(smoothing);
  jg_model_options o = JG_MODEL_OPTIONS_INIT;
  o.order = order;
  o.smoothing = smoothing;
  jg_model* cm = nullptr;
  OK(jg_model_create(&cm));
  OK(jg_model_fit(cm, cj, &o, nullptr));
  jg::ModelOptions co;
  co.order = order;
  co.smoothing = smoothing;
  const jg::MarkovModel m = jg::MarkovModel::fit(js, co);

  jg_model_info info = JG_MODEL_INFO_INIT;
  OK(jg_model_get_info(cm, &info));
  check(info.order == m.order() && info.n_states == m.n_states() && info.n_touchpoints == m.touchpoints().size() &&
            info.n_transitions == m.columns().size(),
        what + ": model sizes");
  check_bits(info.conversion_probability, m.conversion_probability(), what + ": P(conversion)");
  check_bits(info.expected_value, m.expected_value(), what + ": expected value");
  check_bits(info.smoothing, m.smoothing(), what + ": smoothing");
  check_bits(info.journeys, m.counts().journeys(), what + ": journeys");

  // The transition table, row by row, with state names.
  const std::vector<jg::Transition> table = m.transitions();
  const std::vector<jg_transition> ct = read_all<jg_transition>(
      [&](jg_transition* out, std::size_t cap, std::size_t* len) { return jg_model_transitions(cm, out, cap, len); });
  check(ct.size() == table.size(), what + ": transition count");
  bool names_equal = true, numbers_equal = true;
  for (std::size_t i = 0; i < ct.size() && i < table.size(); ++i) {
    const char *from = nullptr, *to = nullptr;
    OK(jg_model_state_name(cm, ct[i].from, &from));
    OK(jg_model_state_name(cm, ct[i].to, &to));
    names_equal = names_equal && table[i].from == from && table[i].to == to;
    numbers_equal = numbers_equal && same_bits(ct[i].count, table[i].count) &&
                    same_bits(ct[i].probability, table[i].probability);
  }
  check(names_equal, what + ": transition state names");
  check(numbers_equal, what + ": transition counts and probabilities");
  bool tokens_equal = true;
  for (std::size_t s = 1; s < m.n_states(); ++s) {
    const auto want = m.state_tokens(s);
    const std::vector<std::uint32_t> got = read_all<std::uint32_t>([&](std::uint32_t* out, std::size_t cap, std::size_t* len) {
      return jg_model_state_tokens(cm, s, out, cap, len);
    });
    tokens_equal = tokens_equal && got.size() == want.size() && std::equal(want.begin(), want.end(), got.begin());
  }
  check(tokens_equal, what + ": state tokens");
  check_vector(read_all<double>([&](double* out, std::size_t cap, std::size_t* len) {
                 return jg_model_value_per_conversion(cm, out, cap, len);
               }),
               m.value_per_conversion(), what + ": value per conversion");

  // Removal effects, and their independence of the thread count.
  const jg::RemovalEffects re = jg::removal_effects(m);
  jg_exec_options one = JG_EXEC_OPTIONS_INIT, two = JG_EXEC_OPTIONS_INIT;
  one.threads = 1;
  two.threads = 2;
  jg_removal *r1 = nullptr, *r2 = nullptr;
  OK(jg_removal_create(cm, &one, &r1));
  OK(jg_removal_create(cm, &two, &r2));
  compare_removal(r1, re, what + " (1 thread)");
  compare_removal(r2, re, what + " (2 threads)");

  // The C results are right, not only equal: the independent solver's answers.
  if (expected) {
    const auto& want = *expected;
    check(info.n_states == want["states"].get<std::size_t>(), what + ": states as expected");
    check(std::abs(info.conversion_probability - want["conversion_probability"].get<double>()) <= 1e-12,
          what + ": P(conversion) as expected");
    const auto effects = removal_vector(r1, JG_REMOVAL_EFFECT);
    const auto credit = removal_vector(r1, JG_REMOVAL_CONVERSIONS);
    const auto value = removal_vector(r1, JG_REMOVAL_VALUE);
    for (std::size_t i = 0; i < re.touchpoints.size(); ++i) {
      const std::string& t = re.touchpoints[i];
      auto rel = [](double got, double w) { return std::abs(got - w) / std::max(std::abs(w), 1e-300); };
      check(rel(effects[i], want["removal_effect_conversions"][t].get<double>()) <= 1e-9, what + ": RE " + t);
      check(rel(credit[i], want["attribution_conversions"][t].get<double>()) <= 1e-9, what + ": credit " + t);
      check(rel(value[i], want["attribution_value"][t].get<double>()) <= 1e-9, what + ": value credit " + t);
    }
  }
  jg_removal_free(r2);
  jg_removal_free(r1);
  jg_model_free(cm);
}

void compare_attribution(const jg_journeys* cj, const jg::JourneySet& js, unsigned order) {
  const std::string what = "attribution order " + std::to_string(order);
  std::vector<const char*> names = read_all<const char*>([&](const char** out, std::size_t cap, std::size_t* len) {
    return jg_attribution_list_models_for(cj, out, cap, len);
  });
  jg_model_options mo = JG_MODEL_OPTIONS_INIT;
  mo.order = order;
  // Every applicable model with non-default parameters and a bootstrap, the same on both sides.
  static const char* const excluded[2] = {"alpha", "email"};
  jg_attribution_options o = JG_ATTRIBUTION_OPTIONS_INIT;
  o.models = names.data();
  o.n_models = names.size();
  o.markov = &mo;
  o.excluded = excluded;
  o.n_excluded = 2;
  o.first_weight = 0.3;
  o.last_weight = 0.45;
  o.half_life_seconds = 3 * 86400.0;
  o.max_coalition = 3;
  o.bootstrap_replicates = 12;
  o.confidence = 0.8;
  o.seed = 77;
  jg_attribution* ca = nullptr;
  OK(jg_attribution_create(cj, &o, nullptr, &ca));
  jg::AttributionOptions co;
  co.models = jg::applicable_models(js);
  co.markov.order = order;
  co.heuristics.excluded = {"alpha", "email"};
  co.heuristics.first_weight = 0.3;
  co.heuristics.last_weight = 0.45;
  co.heuristics.half_life = 3 * 86400.0;
  co.shapley.max_coalition = 3;
  co.bootstrap.replicates = 12;
  co.bootstrap.confidence = 0.8;
  co.bootstrap.seed = 77;
  const jg::AttributionResult r = jg::attribute(js, co);
  check(names.size() == co.models.size(), what + ": the applicable models");

  jg_attribution_info info = JG_ATTRIBUTION_INFO_INIT;
  OK(jg_attribution_get_info(ca, &info));
  check(info.n_touchpoints == r.touchpoints.size() && info.n_models == r.models.size() && info.order == r.order,
        what + ": sizes");
  check_bits(info.total_conversions, r.total_conversions, what + ": total conversions");
  check_bits(info.total_value, r.total_value, what + ": total value");
  for (std::size_t i = 0; i < r.touchpoints.size(); ++i) {
    const char* name = nullptr;
    OK(jg_attribution_touchpoint_name(ca, i, &name));
    check(r.touchpoints[i] == name, what + ": touchpoint " + std::to_string(i));
  }
  for (std::size_t k = 0; k < r.models.size(); ++k) {
    const char* name = nullptr;
    OK(jg_attribution_model_name(ca, k, &name));
    check(std::string(name) == jg::model_name(r.models[k].model), what + ": model " + std::to_string(k));
    check_vector(read_all<double>([&](double* out, std::size_t cap, std::size_t* len) {
                   return jg_attribution_conversions(ca, name, out, cap, len);
                 }),
                 r.models[k].conversions, what + ": " + name + " conversions");
    check_vector(read_all<double>([&](double* out, std::size_t cap, std::size_t* len) {
                   return jg_attribution_value(ca, name, out, cap, len);
                 }),
                 r.models[k].value, what + ": " + name + " value");
    const jg::Intervals* cpp_iv[3] = {&*r.models[k].conversions_interval, &*r.models[k].value_interval,
                                      r.models[k].model == jg::AttributionModel::markov ? &*r.removal_effect_interval
                                                                                        : nullptr};
    for (int measure = JG_MEASURE_CONVERSIONS; measure <= JG_MEASURE_REMOVAL_EFFECT; ++measure) {
      if (!cpp_iv[measure]) continue;
      const std::vector<double>* want[3] = {&cpp_iv[measure]->standard_error, &cpp_iv[measure]->lower,
                                            &cpp_iv[measure]->upper};
      for (int field = JG_INTERVAL_STANDARD_ERROR; field <= JG_INTERVAL_UPPER; ++field)
        check_vector(read_all<double>([&](double* out, std::size_t cap, std::size_t* len) {
                       return jg_attribution_interval(ca, name, jg_measure(measure), jg_interval_field(field), out,
                                                      cap, len);
                     }),
                     *want[field], what + ": " + name + " interval " + std::to_string(measure) + "/" +
                                       std::to_string(field));
      double stability = -1;
      OK(jg_attribution_stability(ca, name, jg_measure(measure), &stability));
      check_bits(stability, cpp_iv[measure]->stability, what + ": " + name + " stability");
    }
  }
  if (r.positions) {
    std::size_t positions = 0;
    check_vector(read_all<double>([&](double* out, std::size_t cap, std::size_t* len) {
                   return jg_attribution_positions(ca, JG_MEASURE_CONVERSIONS, out, cap, len, &positions);
                 }),
                 r.positions->conversions, what + ": ordered_shapley positions");
    check(positions == r.positions->positions, what + ": number of positions");
  }
  jg_removal* rem = nullptr;
  OK(jg_attribution_removal(ca, &rem));
  compare_removal(rem, *r.markov, what + ": removal");
  jg_removal_free(rem);
  jg_attribution_free(ca);

  // Default options on both sides.
  OK(jg_attribution_create(cj, nullptr, nullptr, &ca));
  const jg::AttributionResult d = jg::attribute(js);
  OK(jg_attribution_get_info(ca, &info));
  check(info.n_models == d.models.size(), "default attribution: the same models");
  for (std::size_t k = 0; k < d.models.size() && k < info.n_models; ++k) {
    const char* name = nullptr;
    OK(jg_attribution_model_name(ca, k, &name));
    check(std::string(name) == jg::model_name(d.models[k].model), "default attribution: model " + std::to_string(k));
  }
  jg_attribution_free(ca);
}

// Chain analysis, simulation and order choice: the same bits through both interfaces.
void compare_analysis(const jg_journeys* cj, const jg::JourneySet& js) {
  jg_model_options mo = JG_MODEL_OPTIONS_INIT;
  mo.order = 2;
  jg_model* cm = nullptr;
  OK(jg_model_create(&cm));
  OK(jg_model_fit(cm, cj, &mo, nullptr));
  const jg::MarkovModel m = jg::MarkovModel::fit(js, jg::ModelOptions{2});
  jg_analysis* ca = nullptr;
  OK(jg_analysis_create(cm, nullptr, &ca));
  const jg::ChainAnalysis a = jg::analyze_chain(m);
  const std::vector<double>* want[5] = {&a.conversion_probability, &a.expected_value, &a.touches_to_go,
                                        &a.expected_visits, &a.touchpoint_visits};
  for (int field = JG_ANALYSIS_CONVERSION_PROBABILITY; field <= JG_ANALYSIS_TOUCHPOINT_VISITS; ++field)
    check_vector(read_all<double>([&](double* out, std::size_t cap, std::size_t* len) {
                   return jg_analysis_get(ca, jg_analysis_field(field), out, cap, len);
                 }),
                 *want[field], "analysis field " + std::to_string(field));
  jg_analysis_info info = JG_ANALYSIS_INFO_INIT;
  OK(jg_analysis_get_info(ca, &info));
  check_bits(info.expected_touches, a.expected_touches, "analysis: expected touches");
  jg_analysis_free(ca);

  jg_simulation_options so = JG_SIMULATION_OPTIONS_INIT;
  so.journeys = 5000;
  so.seed = 21;
  jg_journeys* sim = nullptr;
  OK(jg_model_simulate(cm, &so, nullptr, &sim));
  jg::SimulationOptions sopp;
  sopp.journeys = 5000;
  sopp.seed = 21;
  compare_journeys(sim, jg::simulate_journeys(m, sopp), "simulated journeys");
  jg_journeys_free(sim);
  jg_model_free(cm);

  jg_order_options oo = JG_ORDER_OPTIONS_INIT;
  oo.max_order = 3;
  oo.seed = 5;
  std::vector<jg_order_score> scores(3);
  std::size_t len = 0;
  unsigned recommended = 0;
  OK(jg_order_choose(cj, &oo, nullptr, scores.data(), scores.size(), &len, &recommended));
  jg::OrderChoiceOptions oc;
  oc.max_order = 3;
  oc.seed = 5;
  const jg::OrderChoice c = jg::choose_order(js, oc);
  check(len == 3 && recommended == c.recommended_order, "order choice: recommended order");
  for (std::size_t i = 0; i < 3 && i < len; ++i) {
    const jg::OrderScore& s = c.scores[i];
    check(scores[i].order == s.order && scores[i].states == s.states, "order choice: sizes");
    for (auto [from_c, from_cpp] : {std::pair{scores[i].log_likelihood, s.log_likelihood}, {scores[i].aic, s.aic},
                                    {scores[i].bic, s.bic}, {scores[i].heldout_log_likelihood, s.heldout_log_likelihood},
                                    {scores[i].auc, s.auc}, {scores[i].log_loss, s.log_loss}, {scores[i].unseen, s.unseen}})
      check_bits(from_c, from_cpp, "order choice: order " + std::to_string(i + 1));
  }
}

// ------------------------------------------------------------------------------------------- programs

void test_reference() {
  const std::string file = JG_TEST_DATA_DIR "/reference/pathdata.csv";
  std::ifstream f(JG_TEST_DATA_DIR "/reference/pathdata_expected.json");
  check(f.good(), "the expected answers can be read");
  const nlohmann::json expected = nlohmann::json::parse(f);

  jg_journeys* cj = nullptr;
  OK(jg_journeys_read_paths_csv(file.c_str(), nullptr, nullptr, &cj, nullptr));
  const jg::JourneySet js = jg::read_paths_csv(file);
  compare_journeys(cj, js, "reference paths");
  for (unsigned order : {1u, 2u, 3u}) {
    const std::string key = "order" + std::to_string(order);
    compare_model(cj, js, order, 0.0, expected.contains(key) ? &expected[key] : nullptr);
  }
  compare_model(cj, js, 2, 0.25, nullptr);
  compare_attribution(cj, js, 1);
  compare_attribution(cj, js, 3);
  compare_analysis(cj, js);
  jg_journeys_free(cj);
}

void test_sample_events() {
  jg_journey_options o = JG_JOURNEY_OPTIONS_INIT;
  o.use_lookback = 1;
  o.lookback_seconds = 30 * 86400.0;
  o.use_gap = 1;
  o.gap_seconds = 7 * 86400.0;
  jg_journeys* cj = nullptr;
  jg_report* rep = nullptr;
  OK(jg_journeys_sample(2000, 42, &o, nullptr, &cj, &rep));
  jg::JourneyOptions co;
  co.lookback = 30 * 86400.0;
  co.gap = 7 * 86400.0;
  jg::BuildReport cpp_report;
  const jg::EventTable table = jg::sample_events(2000, 42);
  const jg::JourneySet js = jg::build_journeys(table.arrays(), co, &cpp_report);
  compare_journeys(cj, js, "sample events");
  jg_report_counts c = JG_REPORT_COUNTS_INIT;
  OK(jg_report_get_counts(rep, &c));
  check(c.rows == cpp_report.rows && c.journeys == cpp_report.journeys && c.touches == cpp_report.touches &&
            c.splits_at_conversion == cpp_report.splits_at_conversion && c.splits_at_gap == cpp_report.splits_at_gap &&
            c.touches_dropped_lookback == cpp_report.touches_dropped_lookback,
        "sample report counts");
  std::vector<char> summary = read_all<char>(
      [&](char* out, std::size_t cap, std::size_t* len) { return jg_report_summary(rep, out, cap, len); });
  check(std::string(summary.data()) == cpp_report.summary(), "sample report summary");

  // The same events given as arrays through the C ABI.
  std::vector<const char*> tp_names, seg_names;
  for (const auto& n : table.touchpoint_names) tp_names.push_back(n.c_str());
  for (const auto& n : table.segment_names) seg_names.push_back(n.c_str());
  jg_event_arrays ev = JG_EVENT_ARRAYS_INIT;
  ev.n_events = table.size();
  ev.journey = table.journey.data();
  ev.time = table.time.data();
  ev.time_unit = JG_TIME_SECONDS;
  ev.touchpoint = table.touchpoint.data();
  ev.touchpoint_names = tp_names.data();
  ev.n_touchpoint_names = tp_names.size();
  ev.conversion = table.conversion.data();
  ev.value = table.value.data();
  ev.segment = table.segment.data();
  ev.segment_names = seg_names.data();
  ev.n_segment_names = seg_names.size();
  jg_journeys* from_arrays = nullptr;
  OK(jg_journeys_from_events(&ev, &o, nullptr, &from_arrays, nullptr));
  compare_journeys(from_arrays, js, "sample events as arrays");
  compare_attribution(cj, js, 2);
  jg_journeys_free(from_arrays);
  jg_report_free(rep);
  jg_journeys_free(cj);
}

void test_events_csv() {
  const std::string text =
      "journey_id,timestamp,touchpoint,conversion,value\n"
      "1,2024-01-01T00:00:00Z,ads,0,\n"
      "2,2024-01-01T01:00:00Z,mail,1,3.5\n"
      "1,2024-01-02T00:00:00Z,shop,1,10\n"
      "1,2024-01-03T00:00:00Z,ads,0,\n";
  jg_journeys* cj = nullptr;
  OK(jg_journeys_parse_events_csv(text.data(), text.size(), "events.csv", nullptr, nullptr, nullptr, &cj, nullptr));
  compare_journeys(cj, jg::parse_events_csv(text, "events.csv"), "events CSV");
  jg_journeys_free(cj);
}

}  // namespace

int main() {
  test_defaults();
  test_reference();
  test_sample_events();
  test_events_csv();
  std::cout << "test_c_vs_cpp: " << g_checks << " checks, " << g_failures << " failed\n";
  return g_failures == 0 && g_checks > 0 ? 0 : 1;
}
