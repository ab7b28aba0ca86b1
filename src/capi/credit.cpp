// extern "C" shim of journeygraph/credit.hpp: per-journey credit, calibration, sequence removal effects.

#include "capi/internal.hpp"
#include "journeygraph/credit.hpp"

namespace journeygraph::capi {
namespace {

// The defaults are the core's.
const jg_credit_options kCreditDefaults = [] {
  const CreditOptions d;
  return jg_credit_options{JG_CREDIT_OPTIONS_VERSION, d.max_iterations, d.tolerance, nullptr, nullptr, nullptr, 0};
}();
const jg_sequence_options kSequenceDefaults = [] {
  const SequenceOptions d;
  return jg_sequence_options{JG_SEQUENCE_OPTIONS_VERSION, nullptr, d.top_n, d.top_length};
}();

CreditOptions to_credit_options(const jg_attribution_options* attribution, const jg_credit_options* options) {
  CreditOptions o;
  o.attribution = to_attribution_options(attribution);
  o.attribution.bootstrap = BootstrapOptions{};
  if (options == nullptr) return o;
  check_version(options->version, JG_CREDIT_OPTIONS_VERSION, "jg_credit_options");
  o.max_iterations = options->max_iterations;
  o.tolerance = options->tolerance;
  if (options->calibration_model != nullptr) {
    Calibration c;
    c.model = parse_model(options->calibration_model);
    if (options->n_calibration > 0 &&
        (options->calibration_touchpoints == nullptr || options->calibration_conversions == nullptr))
      throw InvalidArgument(std::string(current_function()) +
                            ": calibration_touchpoints and calibration_conversions must not be NULL when "
                            "n_calibration > 0");
    for (std::size_t i = 0; i < options->n_calibration; ++i) {
      const char* name = options->calibration_touchpoints[i];
      if (name == nullptr)
        throw InvalidArgument(std::string(current_function()) + ": calibration_touchpoints[" + std::to_string(i) +
                              "] is NULL");
      c.touchpoints.emplace_back(name);
      c.conversions.push_back(options->calibration_conversions[i]);
    }
    o.calibration = std::move(c);
  }
  return o;
}

}  // namespace
}  // namespace journeygraph::capi

using namespace journeygraph;
using namespace journeygraph::capi;

extern "C" {

JG_DEFINE_INIT(jg_credit_options, options, JG_CREDIT_OPTIONS_VERSION, kCreditDefaults)

jg_status jg_journeys_credit(const jg_journeys* journeys, const jg_attribution_options* attribution,
                             const jg_credit_options* options, const jg_exec_options* exec, jg_table** out_table) {
  return guard("jg_journeys_credit", [&] {
    reset_out(out_table, "out_table");
    const JourneySet& js = need(journeys, "journeys")->set;
    const CreditOptions o = to_credit_options(attribution, options);
    *out_table = new_table(journey_credit(js, o, to_execution(exec)));
  });
}

jg_status jg_journeys_credit_write_csv(const jg_journeys* journeys, const jg_attribution_options* attribution,
                                       const jg_credit_options* options, const jg_exec_options* exec,
                                       const char* file) {
  return guard("jg_journeys_credit_write_csv", [&] {
    const JourneySet& js = need(journeys, "journeys")->set;
    const std::string name = need(file, "file");
    const CreditOptions o = to_credit_options(attribution, options);
    write_journey_credit_csv(js, name, o, CsvOptions{}, to_execution(exec));
  });
}

jg_status jg_journeys_calibration(const jg_journeys* journeys, const jg_attribution_options* attribution,
                                  const jg_credit_options* options, const jg_exec_options* exec,
                                  jg_table** out_table) {
  return guard("jg_journeys_calibration", [&] {
    reset_out(out_table, "out_table");
    const JourneySet& js = need(journeys, "journeys")->set;
    const CreditOptions o = to_credit_options(attribution, options);
    if (!o.calibration)
      throw InvalidArgument("jg_journeys_calibration: options->calibration_model is NULL (no calibration given)");
    *out_table = new_table(calibration_table(js, o, to_execution(exec)));
  });
}

JG_DEFINE_INIT(jg_sequence_options, options, JG_SEQUENCE_OPTIONS_VERSION, kSequenceDefaults)

jg_status jg_journeys_sequence_removal(const jg_journeys* journeys, const jg_model_options* model,
                                      const jg_sequence_options* options, const jg_exec_options* exec,
                                      jg_table** out_table) {
  return guard("jg_journeys_sequence_removal", [&] {
    reset_out(out_table, "out_table");
    const JourneySet& js = need(journeys, "journeys")->set;
    SequenceOptions o;
    o.markov = to_model_options(model, "model");
    if (options != nullptr) {
      check_version(options->version, JG_SEQUENCE_OPTIONS_VERSION, "jg_sequence_options");
      if (options->sequences != nullptr) o.sequences = parse_sequences(options->sequences);
      o.top_n = options->top_n;
      o.top_length = options->top_length;
    }
    *out_table = new_table(sequence_removal_effects(js, o, to_execution(exec)));
  });
}

}  // extern "C"
