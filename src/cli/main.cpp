// The journeygraph command-line program: a thin shell over the C++ API.

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "cli/args.hpp"
#include "cli/output.hpp"
#include "common/text.hpp"
#include "journeygraph/attribution.hpp"
#include "journeygraph/error.hpp"
#include "journeygraph/io.hpp"
#include "journeygraph/markov.hpp"
#include "journeygraph/samples.hpp"
#include "journeygraph/version.hpp"

namespace jg = journeygraph;
using jg::cli::Args;
using jg::cli::Table;
using jg::cli::UsageError;

namespace {

const char* kMainHelp =
    "usage: journeygraph <command> [options]\n"
    "\n"
    "Customer-journey analytics: exact Markov attribution (solved, not simulated) and heuristics.\n"
    "\n"
    "commands:\n"
    "  attribute FILE    attribution per touchpoint: Markov removal effects and heuristic models\n"
    "  transitions FILE  the fitted transition table (from, to, count, probability)\n"
    "  fit FILE -o M     fit a Markov model and save it (binary .jgm, versioned and checksummed)\n"
    "  demo              the whole job on the built-in retailer sample\n"
    "  generate          write a seeded synthetic events or paths CSV (for benchmarks and trials)\n"
    "  version           print the library version\n"
    "\n"
    "Run 'journeygraph <command> --help' for the options of a command.\n";

// ------------------------------------------------------------------------------------ shared options

void add_input_options(Args& a) {
  a.section("input")
      .flag("paths", "FILE is aggregated paths (ChannelAttribution's format)")
      .flag("events", "FILE is an event log (one row per touch)")
      .option("delimiter", "CHAR", "field delimiter of the CSV", ",")
      .flag("skip-bad-rows", "skip malformed rows (counted and reported) instead of failing")
      .section("aggregated paths (--paths)")
      .option("path", "COL", "path column", "path")
      .option("conversions", "COL", "conversions column", "total_conversions")
      .option("nulls", "COL", "non-conversions column", "total_null")
      .option("sep", "TEXT", "separator between touchpoints in a path", ">")
      .section("events (--events)")
      .option("journey", "COL", "journey id column", "journey_id")
      .option("time", "COL", "timestamp column (epoch integers or ISO-8601); '' for file order", "timestamp")
      .option("touchpoint", "COL", "touchpoint column", "touchpoint")
      .option("conversion", "COL", "conversion flag column, optional", "conversion")
      .option("segment", "COL", "segment column, optional", "")
      .option("time-unit", "UNIT", "unit of integer timestamps: s, ms, us or ns", "s")
      .option("value", "COL", "conversion value column, optional",
              "value for events, total_conversion_value for paths")
      .section("journey options (--events)")
      .option("lookback", "DURATION", "drop touches older than this before the journey's end (e.g. 30d)")
      .option("gap", "DURATION", "split a journey at a silence longer than this (e.g. 12h)")
      .flag("no-split", "do not start a new journey after a conversion")
      .flag("collapse-repeats", "merge consecutive touches of the same touchpoint")
      .option("max-touches", "N", "keep only the last N touches of each journey")
      .section("execution")
      .option("threads", "N", "worker threads (0 = all cores)", "0")
      .flag("quiet", "do not print the input report on stderr");
}

void add_model_options(Args& a) {
  a.section("model")
      .option("order", "K", "Markov order (1..16)", "1")
      .option("smoothing", "ALPHA", "additive smoothing of transition probabilities", "0")
      .option("self-loops", "MODE", "drop (collapse repeated states, ChannelAttribution's rule) or keep", "drop");
}

jg::Execution execution(const Args& a) {
  jg::Execution e;
  e.threads = static_cast<unsigned>(a.get_int("threads", 0, 0, 1024));
  return e;
}

jg::Column column(const Args& a, const std::string& opt, const std::string& fallback, bool required_by_default) {
  if (auto v = a.maybe(opt)) return jg::Column(*v, !v->empty());
  return jg::Column(fallback, required_by_default);
}

jg::TimeUnit time_unit(const std::string& s) {
  if (s == "s") return jg::TimeUnit::seconds;
  if (s == "ms") return jg::TimeUnit::milliseconds;
  if (s == "us") return jg::TimeUnit::microseconds;
  if (s == "ns") return jg::TimeUnit::nanoseconds;
  throw UsageError("--time-unit must be s, ms, us or ns, got " + jg::detail::show(s));
}

jg::JourneySet load_journeys(const Args& a, const std::string& file, jg::BuildReport& report) {
  const bool paths = a.has("paths"), events = a.has("events");
  if (paths == events) throw UsageError("say what FILE holds: --paths (aggregated paths) or --events (event log)");
  jg::CsvFormat csv;
  std::string delim = a.get("delimiter", ",");
  if (delim == "\\t" || delim == "tab") delim = "\t";
  if (delim.size() != 1) throw UsageError("--delimiter must be one character, got " + jg::detail::show(delim));
  csv.delimiter = delim[0];
  csv.skip_bad_rows = a.has("skip-bad-rows");
  const jg::Execution exec = execution(a);
  if (paths) {
    for (const char* o : {"journey", "time", "touchpoint", "conversion", "segment", "time-unit", "lookback", "gap",
                          "no-split", "collapse-repeats", "max-touches"})
      if (a.has(o)) throw UsageError(std::string("--") + o + " applies to --events input, not --paths");
    jg::PathCsvOptions o;
    o.csv = csv;
    o.path = column(a, "path", "path", true);
    o.conversions = column(a, "conversions", "total_conversions", true);
    o.nulls = column(a, "nulls", "total_null", false);
    o.value = column(a, "value", "total_conversion_value", false);
    o.separator = a.get("sep", ">");
    return jg::read_paths_csv(file, o, &report, exec);
  }
  for (const char* o : {"path", "conversions", "nulls", "sep"})
    if (a.has(o)) throw UsageError(std::string("--") + o + " applies to --paths input, not --events");
  jg::EventCsvOptions o;
  o.csv = csv;
  o.journey = column(a, "journey", "journey_id", true);
  o.time = column(a, "time", "timestamp", true);
  o.touchpoint = column(a, "touchpoint", "touchpoint", true);
  o.conversion = column(a, "conversion", "conversion", false);
  o.value = column(a, "value", "value", false);
  o.segment = column(a, "segment", "", false);
  o.time_format.integer_unit = time_unit(a.get("time-unit", "s"));
  jg::JourneyOptions jo;
  if (auto v = a.maybe("lookback")) jo.lookback = jg::parse_duration(*v);
  if (auto v = a.maybe("gap")) jo.gap = jg::parse_duration(*v);
  jo.split_on_conversion = !a.has("no-split");
  jo.collapse_repeats = a.has("collapse-repeats");
  jo.max_touches = static_cast<std::size_t>(a.get_int("max-touches", 0, 0, 1LL << 40));
  return jg::read_events_csv(file, o, jo, &report, exec);
}

jg::ModelOptions model_options(const Args& a) {
  jg::ModelOptions m;
  m.order = static_cast<unsigned>(a.get_int("order", 1, 1, jg::kMaxOrder));
  m.smoothing = a.get_double("smoothing", 0.0);
  std::string loops = a.get("self-loops", "drop");
  if (loops == "drop") m.self_loops = jg::SelfLoops::drop;
  else if (loops == "keep") m.self_loops = jg::SelfLoops::keep;
  else throw UsageError("--self-loops must be drop or keep, got " + jg::detail::show(loops));
  return m;
}

std::string single_file(const Args& a) {
  if (a.positional().size() != 1)
    throw UsageError(a.positional().empty() ? "missing FILE" : "expected one FILE, got " + std::to_string(a.positional().size()));
  return a.positional()[0];
}

void print_report(const Args& a, const jg::BuildReport& r) {
  if (!a.has("quiet")) std::cerr << "journeygraph: " << r.summary() << "\n";
}

// ------------------------------------------------------------------------------------ attribute

std::vector<jg::AttributionModel> parse_models(const std::string& list) {
  std::vector<jg::AttributionModel> out;
  if (list == "all") return jg::all_models();
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t comma = list.find(',', start);
    std::string name = std::string(jg::detail::trim(list.substr(start, comma == std::string::npos ? std::string::npos : comma - start)));
    if (!name.empty()) out.push_back(jg::parse_model(name));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (out.empty()) throw UsageError("--models is empty");
  return out;
}

Table attribution_table(const jg::AttributionResult& r, bool with_values) {
  Table t;
  t.columns.push_back("touchpoint");
  if (r.markov) {
    t.columns.push_back("removal_effect");
    t.columns.push_back("removal_effect_value");
  }
  for (const auto& m : r.models) {
    std::string name = jg::model_name(m.model);
    if (m.model == jg::AttributionModel::markov) {
      t.columns.push_back("markov_conversions");
      if (with_values) t.columns.push_back("markov_value");
    } else {
      t.columns.push_back(name);
      if (with_values) t.columns.push_back(name + "_value");
    }
  }
  for (std::size_t i = 0; i < r.touchpoints.size(); ++i) {
    std::vector<jg::cli::Cell> row{r.touchpoints[i]};
    if (r.markov) {
      row.push_back(r.markov->removal_effect[i]);
      row.push_back(r.markov->removal_effect_value[i]);
    }
    for (const auto& m : r.models) {
      row.push_back(m.conversions[i]);
      if (with_values) row.push_back(m.value[i]);
    }
    t.rows.push_back(std::move(row));
  }
  return t;
}

void print_attribution(std::ostream& os, const jg::AttributionResult& r, const std::string& format) {
  if (format == "csv") {
    jg::cli::print_csv(os, attribution_table(r, true));
    return;
  }
  if (format == "json") {
    Table t = attribution_table(r, true);
    os << "{\n  \"order\": " << r.order;
    if (r.markov) os << ",\n  \"conversion_probability\": " << jg::cli::json_number(r.markov->conversion_probability);
    os << ",\n  \"totals\": {\"conversions\": " << jg::cli::json_number(r.total_conversions)
       << ", \"value\": " << jg::cli::json_number(r.total_value) << ", \"null\": " << jg::cli::json_number(r.total_nulls)
       << "},\n  \"touchpoints\": ";
    t.columns[0] = "name";
    jg::cli::print_json_rows(os, t, "  ");
    os << "\n}\n";
    return;
  }
  // Human table: the best-credited touchpoints first.
  Table t = attribution_table(r, false);
  const std::size_t key = r.markov ? 3 : 1;
  std::stable_sort(t.rows.begin(), t.rows.end(), [&](const auto& x, const auto& y) {
    return std::get<double>(x[key]) > std::get<double>(y[key]);
  });
  os << "Attribution (" << (r.markov ? "order-" + std::to_string(r.order) + " Markov removal effects, exact; " : "")
     << "conversions credited per model)\n";
  char line[256];
  std::snprintf(line, sizeof line, "total conversions %.2f, value %.2f, non-conversions %.2f", r.total_conversions,
                r.total_value, r.total_nulls);
  os << line;
  if (r.markov) {
    std::snprintf(line, sizeof line, ", P(conversion) %.6f, solver residual %.1e", r.markov->conversion_probability,
                  r.markov->max_residual);
    os << line;
  }
  os << "\n\n";
  jg::cli::print_text(os, t, 2);
}

std::string output_format(const Args& a) {
  std::string f = a.get("format", "table");
  if (f != "table" && f != "csv" && f != "json") throw UsageError("--format must be table, csv or json, got " + jg::detail::show(f));
  return f;
}

int cmd_attribute(int argc, char** argv) {
  Args a("attribute", "Credit conversions and value to touchpoints: exact Markov removal effects of order K\n"
                      "(one sparse solve per touchpoint) next to first-touch, last-touch and linear.",
         "FILE (--paths | --events) [options]");
  add_input_options(a);
  add_model_options(a);
  a.section("saved model")
      .option("model", "FILE", "use a model saved by 'journeygraph fit' instead of FILE (markov only)");
  a.section("output")
      .option("models", "LIST", "comma-separated models, or 'all': markov, first_touch, last_touch, linear",
              "markov,first_touch,last_touch,linear")
      .option("format", "FORMAT", "table, csv or json", "table")
      .option("output", "FILE", "write to FILE instead of standard output");
  if (!a.parse(argc, argv, 2)) return 0;
  const std::string format = output_format(a);
  jg::AttributionResult r;
  if (auto saved = a.maybe("model")) {
    if (!a.positional().empty()) throw UsageError("give either FILE or --model, not both");
    if (a.has("models") && a.get("models") != "markov")
      throw UsageError("a saved model gives the markov model only (heuristics need the journeys)");
    jg::MarkovModel m = jg::MarkovModel::load(*saved, execution(a));
    r = jg::attribute(m, execution(a));
  } else {
    const std::string file = single_file(a);
    jg::AttributionOptions opt;
    opt.markov = model_options(a);
    opt.models = parse_models(a.get("models", "markov,first_touch,last_touch,linear"));
    jg::BuildReport report;
    jg::JourneySet js = load_journeys(a, file, report);
    print_report(a, report);
    r = jg::attribute(js, opt, execution(a));
  }
  if (auto out = a.maybe("output")) {
    std::ofstream f(*out);
    if (!f) throw jg::IoError("cannot write " + *out);
    print_attribution(f, r, format);
  } else {
    print_attribution(std::cout, r, format);
  }
  return 0;
}

// ------------------------------------------------------------------------------------ transitions

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
  if (format == "csv") jg::cli::print_csv(std::cout, t);
  else if (format == "json") {
    std::cout << "{\n  \"order\": " << m.order() << ",\n  \"states\": " << m.n_states()
              << ",\n  \"conversion_probability\": " << jg::cli::json_number(m.conversion_probability())
              << ",\n  \"transitions\": ";
    jg::cli::print_json_rows(std::cout, t, "  ");
    std::cout << "\n}\n";
  } else {
    std::cout << "Order-" << m.order() << " chain: " << m.n_states() << " states (START included), P(conversion) "
              << m.conversion_probability() << "\n\n";
    jg::cli::print_text(std::cout, t, 4);
  }
  return 0;
}

// ------------------------------------------------------------------------------------ fit

int cmd_fit(int argc, char** argv) {
  Args a("fit", "Fit a Markov chain of order K and save it (counts and options) to a binary .jgm file.\n"
                "'journeygraph attribute --model FILE' and the C and Python APIs load it; results are identical.",
         "FILE (--paths | --events) -o MODEL [options]");
  add_input_options(a);
  add_model_options(a);
  a.section("output").option("output", "MODEL", "the model file to write (required)");
  if (!a.parse(argc, argv, 2)) return 0;
  const std::string file = single_file(a);
  auto out = a.maybe("output");
  if (!out) throw UsageError("-o MODEL is required");
  jg::BuildReport report;
  jg::JourneySet js = load_journeys(a, file, report);
  print_report(a, report);
  jg::MarkovModel m = jg::MarkovModel::fit(js, model_options(a), execution(a));
  m.save(*out);
  if (!a.has("quiet"))
    std::cerr << "journeygraph: wrote " << *out << ": order " << m.order() << ", " << m.n_states()
              << " states, P(conversion) " << m.conversion_probability() << "\n";
  return 0;
}

// ------------------------------------------------------------------------------------ demo

int cmd_demo(int argc, char** argv) {
  Args a("demo", "Run the whole job on the built-in retailer sample: build journeys from its touch log,\n"
                 "fit orders 1 and 2, and print the attribution tables.",
         "[options]");
  a.option("customers", "N", "customers in the sample", "20000")
      .option("seed", "S", "random seed of the sample", "42")
      .option("threads", "N", "worker threads (0 = all cores)", "0");
  if (!a.parse(argc, argv, 2)) return 0;
  if (!a.positional().empty()) throw UsageError("demo takes no FILE");
  const auto customers = static_cast<std::size_t>(a.get_int("customers", 20000, 1, 100000000));
  const auto seed = static_cast<std::uint64_t>(a.get_int("seed", 42, 0, (1LL << 62)));
  const jg::Execution exec = execution(a);
  jg::EventTable ev = jg::sample_events(customers, seed);
  jg::BuildReport report;
  jg::JourneySet js = jg::build_journeys(ev.arrays(), {}, &report, exec);
  std::cout << "journeygraph " << jg::version_string() << " demo: a retailer's touch log (" << customers
            << " customers, seed " << seed << ")\n"
            << "  " << report.summary() << "\n"
            << "  " << js.touchpoints().size() << " touchpoints over awareness, consideration, purchase, retention and advocacy\n\n";
  for (unsigned order : {1u, 2u}) {
    jg::AttributionOptions opt;
    opt.markov.order = order;
    jg::AttributionResult r = jg::attribute(js, opt, exec);
    print_attribution(std::cout, r, "table");
    std::cout << "\n";
  }
  return 0;
}

// ------------------------------------------------------------------------------------ generate

int cmd_generate(int argc, char** argv) {
  Args a("generate", "Write a seeded synthetic data set as an events CSV or an aggregated paths CSV.", "-o FILE [options]");
  a.option("output", "FILE", "file to write (required)")
      .option("kind", "KIND", "events or paths", "paths")
      .option("journeys", "N", "journeys to draw", "100000")
      .option("touchpoints", "N", "distinct touchpoints", "12")
      .option("mean-touches", "X", "mean touches per journey", "4")
      .option("min-touches", "N", "shortest journey", "1")
      .option("zipf", "X", "popularity skew of touchpoints (0 = uniform)", "1")
      .option("seed", "S", "random seed", "1")
      .flag("sample", "write the built-in retailer sample instead (events)");
  if (!a.parse(argc, argv, 2)) return 0;
  auto out = a.maybe("output");
  if (!out) throw UsageError("--output FILE is required");
  jg::EventTable ev;
  if (a.has("sample")) {
    ev = jg::sample_events(static_cast<std::size_t>(a.get_int("journeys", 20000, 1, 1LL << 40)),
                           static_cast<std::uint64_t>(a.get_int("seed", 42, 0, 1LL << 62)));
  } else {
    jg::SyntheticOptions o;
    o.journeys = static_cast<std::size_t>(a.get_int("journeys", 100000, 1, 1LL << 40));
    o.touchpoints = static_cast<std::size_t>(a.get_int("touchpoints", 12, 1, 1000000));
    o.mean_touches = a.get_double("mean-touches", 4.0);
    o.zipf = a.get_double("zipf", 1.0);
    o.min_touches = static_cast<std::size_t>(a.get_int("min-touches", 1, 1, 200));
    o.seed = static_cast<std::uint64_t>(a.get_int("seed", 1, 0, 1LL << 62));
    ev = jg::synthetic_events(o);
  }
  const std::string kind = a.has("sample") ? "events" : a.get("kind", "paths");
  if (kind == "paths") {
    jg::JourneySet js = jg::build_journeys(ev.arrays());
    jg::write_paths_csv(js, *out);
  } else if (kind == "events") {
    std::ofstream f(*out, std::ios::binary);
    if (!f) throw jg::IoError("cannot write " + *out);
    const bool seg = !ev.segment.empty();
    f << "journey_id,timestamp,touchpoint,conversion,value" << (seg ? ",segment" : "") << "\n";
    for (std::size_t i = 0; i < ev.size(); ++i) {
      f << ev.journey[i] << ',' << ev.time[i] << ',' << ev.touchpoint_names[ev.touchpoint[i]] << ','
        << int(ev.conversion[i]) << ',' << jg::detail::format_double(ev.value[i]);
      if (seg) f << ',' << ev.segment_names[ev.segment[i]];
      f << '\n';
    }
    if (!f) throw jg::IoError("error writing " + *out);
  } else {
    throw UsageError("--kind must be events or paths");
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << kMainHelp;
    return 2;
  }
  const std::string cmd = argv[1];
  try {
    if (cmd == "--help" || cmd == "-h" || cmd == "help") {
      std::cout << kMainHelp;
      return 0;
    }
    if (cmd == "--version" || cmd == "version") {
      std::cout << "journeygraph " << jg::version_string() << "\n";
      return 0;
    }
    if (cmd == "attribute") return cmd_attribute(argc, argv);
    if (cmd == "transitions") return cmd_transitions(argc, argv);
    if (cmd == "fit") return cmd_fit(argc, argv);
    if (cmd == "demo") return cmd_demo(argc, argv);
    if (cmd == "generate") return cmd_generate(argc, argv);
    throw UsageError("unknown command '" + cmd + "'");
  } catch (const UsageError& e) {
    std::cerr << "journeygraph: " << e.what() << "\n(run 'journeygraph " << (cmd.rfind("-", 0) == 0 ? "" : cmd + " ")
              << "--help' for usage)\n";
    return 2;
  } catch (const jg::Error& e) {
    std::cerr << "journeygraph: error: " << e.what() << "\n";
    return 1;
  } catch (const std::bad_alloc&) {
    std::cerr << "journeygraph: error: out of memory\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "journeygraph: internal error: " << e.what() << "\n";
    return 3;
  }
}
