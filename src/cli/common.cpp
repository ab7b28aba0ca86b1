#include "cli/common.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <cstdio>
#include <iostream>
#include <optional>

#include "journeygraph/text.hpp"
#include "journeygraph/error.hpp"

namespace jg = journeygraph;

namespace journeygraph::cli {


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

namespace {
// A progress bar on stderr, shown only on a terminal and only once the work has taken a second; redrawn at
// most ten times a second and erased when the last copy of the Execution holding it goes away.
class ProgressBar {
 public:
  ~ProgressBar() {
    if (shown_) std::fputs("\r\033[K", stderr);
  }
  bool update(double fraction, const char* stage) {
    const auto now = std::chrono::steady_clock::now();
    if (now - start_ < std::chrono::seconds(1)) return true;
    if (shown_ && now - last_ < std::chrono::milliseconds(100)) return true;
    last_ = now;
    shown_ = true;
    const int width = 30, done = static_cast<int>(std::clamp(fraction, 0.0, 1.0) * width + 0.5);
    std::fprintf(stderr, "\r\033[Kjourneygraph: %-16s %3d%% [%s%s]", stage, static_cast<int>(fraction * 100 + 0.5),
                 std::string(std::size_t(done), '#').c_str(), std::string(std::size_t(width - done), '.').c_str());
    std::fflush(stderr);
    return true;
  }

 private:
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now(), last_;
  bool shown_ = false;
};
}  // namespace

jg::Execution execution(const Args& a) {
  jg::Execution e;
  e.threads = static_cast<unsigned>(a.get_int("threads", 0, 0, 1024));
  if (!a.has("quiet") && isatty(fileno(stderr))) {
    auto bar = std::make_shared<ProgressBar>();
    e.progress = [bar](double fraction, const char* stage) { return bar->update(fraction, stage); };
  }
  return e;
}

namespace {
jg::Column column(const Args& a, const std::string& opt, const std::string& fallback, bool required_by_default) {
  if (auto v = a.maybe(opt)) return jg::Column(*v, !v->empty());
  return jg::Column(fallback, required_by_default);
}

jg::TimeUnit time_unit(const std::string& s) {
  if (s == "s") return jg::TimeUnit::seconds;
  if (s == "ms") return jg::TimeUnit::milliseconds;
  if (s == "us") return jg::TimeUnit::microseconds;
  if (s == "ns") return jg::TimeUnit::nanoseconds;
  throw UsageError("--time-unit must be s, ms, us or ns, got " + jg::quoted(s));
}
}  // namespace

jg::JourneySet load_journeys(const Args& a, const std::string& file, jg::BuildReport& report) {
  const bool paths = a.has("paths"), events = a.has("events");
  if (paths == events) throw UsageError("say what FILE holds: --paths (aggregated paths) or --events (event log)");
  jg::CsvFormat csv;
  std::string delim = a.get("delimiter", ",");
  if (delim == "\\t" || delim == "tab") delim = "\t";
  if (delim.size() != 1) throw UsageError("--delimiter must be one character, got " + jg::quoted(delim));
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
  else throw UsageError("--self-loops must be drop or keep, got " + jg::quoted(loops));
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


std::vector<jg::AttributionModel> parse_models(const std::string& list) {
  if (list == "all") return jg::all_models();
  std::vector<jg::AttributionModel> out;
  for (const auto& name : split_list(list)) out.push_back(jg::parse_model(name));
  if (out.empty()) throw UsageError("--models is empty");
  return out;
}

void add_attribution_options(Args& a) {
  a.section("models")
      .option("exclude", "LIST", "touchpoints last_non_direct passes over, comma-separated ('' for none)", "direct")
      .option("position-weights", "F,L", "position_based shares of the first and last touch", "0.4,0.4")
      .option("half-life", "DURATION", "time_decay half-life (e.g. 7d, 12h)", "7d")
      .option("max-coalition", "N", "largest Shapley coalition: longer journeys keep their N most recent touchpoints "
              "(0 = no cap)", "0")
      .section("uncertainty")
      .option("bootstrap", "B", "bootstrap replicates for confidence intervals of every model (0 = none; "
              "200 when only --ci is given)", "0")
      .option("ci", "LEVEL", "confidence level of the intervals", "0.95")
      .option("seed", "S", "seed of the bootstrap", "0");
}

jg::AttributionOptions attribution_options(const Args& a, const jg::JourneySet& js) {
  jg::AttributionOptions o;
  o.markov = model_options(a);
  const std::string list = a.get("models", "markov,first_touch,last_touch,linear");
  if (list == "all") {
    o.models = jg::applicable_models(js);
    if (!js.has_timestamps() && !a.has("quiet"))
      std::cerr << "journeygraph: note: time_decay is left out of 'all': the journeys have no timestamps\n";
  } else {
    o.models = parse_models(list);
  }
  if (auto v = a.maybe("exclude")) o.heuristics.excluded = split_list(*v);
  if (auto v = a.maybe("position-weights")) {
    const auto parts = split_list(*v);
    const auto first = parts.size() == 2 ? jg::parse_number(parts[0]) : std::nullopt;
    const auto last = parts.size() == 2 ? jg::parse_number(parts[1]) : std::nullopt;
    if (!first || !last)
      throw UsageError("--position-weights must be two numbers FIRST,LAST such as 0.4,0.4, got " + jg::quoted(*v));
    o.heuristics.first_weight = *first;
    o.heuristics.last_weight = *last;
  }
  if (auto v = a.maybe("half-life")) o.heuristics.half_life = jg::parse_duration(*v);
  o.shapley.max_coalition = static_cast<std::size_t>(a.get_int("max-coalition", 0, 0, 1LL << 31));
  o.bootstrap.replicates = static_cast<std::size_t>(a.get_int("bootstrap", a.has("ci") ? 200 : 0, 0, 1000000));
  o.bootstrap.confidence = a.get_double("ci", 0.95);
  o.bootstrap.seed = static_cast<std::uint64_t>(a.get_int("seed", 0, 0, (1LL << 62)));
  if (a.has("ci") && o.bootstrap.replicates == 0) throw UsageError("--ci needs --bootstrap B with B >= 2");
  return o;
}

Table attribution_table(const jg::AttributionResult& r, bool with_values, bool with_positions) {
  Table t;
  const bool ci = r.bootstrap.has_value();
  t.columns.push_back("touchpoint");
  auto add_columns = [&](const std::string& name) {
    t.columns.push_back(name);
    if (ci) {
      t.columns.push_back(name + "_se");
      t.columns.push_back(name + "_lower");
      t.columns.push_back(name + "_upper");
    }
  };
  if (r.markov) {
    add_columns("removal_effect");
    t.columns.push_back("removal_effect_value");
  }
  for (const auto& m : r.models) {
    const std::string name =
        m.model == jg::AttributionModel::markov ? std::string("markov_conversions") : jg::model_name(m.model);
    add_columns(name);
    if (with_values) add_columns(m.model == jg::AttributionModel::markov ? "markov_value" : name + "_value");
  }
  const std::size_t positions = with_positions && r.positions ? r.positions->positions : 0;
  for (std::size_t p = 0; p < positions; ++p) t.columns.push_back("ordered_shapley_position_" + std::to_string(p + 1));
  for (std::size_t i = 0; i < r.touchpoints.size(); ++i) {
    std::vector<Cell> row{r.touchpoints[i]};
    auto add_cells = [&](double estimate, const std::optional<jg::Intervals>& iv) {
      row.push_back(estimate);
      if (ci) {
        row.push_back(iv ? iv->standard_error[i] : 0.0);
        row.push_back(iv ? iv->lower[i] : 0.0);
        row.push_back(iv ? iv->upper[i] : 0.0);
      }
    };
    if (r.markov) {
      add_cells(r.markov->removal_effect[i], r.removal_effect_interval);
      row.push_back(r.markov->removal_effect_value[i]);
    }
    for (const auto& m : r.models) {
      add_cells(m.conversions[i], m.conversions_interval);
      if (with_values) add_cells(m.value[i], m.value_interval);
    }
    for (std::size_t p = 0; p < positions; ++p) row.push_back(r.positions->conversions[i * positions + p]);
    t.rows.push_back(std::move(row));
  }
  return t;
}

void print_attribution(std::ostream& os, const jg::AttributionResult& r, const std::string& format) {
  if (format == "csv") {
    print_csv(os, attribution_table(r, true, true));
    return;
  }
  if (format == "json") {
    Table t = attribution_table(r, true, true);
    os << "{\n  \"order\": " << r.order;
    if (r.markov) os << ",\n  \"conversion_probability\": " << json_number(r.markov->conversion_probability);
    os << ",\n  \"totals\": {\"conversions\": " << json_number(r.total_conversions)
       << ", \"value\": " << json_number(r.total_value) << ", \"null\": " << json_number(r.total_nulls) << "}";
    if (r.bootstrap) {
      os << ",\n  \"bootstrap\": {\"replicates\": " << r.bootstrap->replicates
         << ", \"confidence\": " << json_number(r.bootstrap->confidence) << ", \"seed\": " << r.bootstrap->seed
         << ", \"markov_failed_replicates\": " << r.bootstrap->markov_failed_replicates << "},\n  \"stability\": {";
      for (std::size_t m = 0; m < r.models.size(); ++m)
        os << (m ? ", " : "") << json_string(jg::model_name(r.models[m].model)) << ": "
           << json_number(r.models[m].conversions_interval->stability);
      os << "}";
    }
    os << ",\n  \"touchpoints\": ";
    t.columns[0] = "name";
    print_json_rows(os, t, "  ");
    os << "\n}\n";
    return;
  }
  // Human table: the best-credited touchpoints first (by the first model's credit).
  const std::size_t nt = r.touchpoints.size();
  std::vector<std::size_t> order(nt);
  for (std::size_t i = 0; i < nt; ++i) order[i] = i;
  const std::vector<double>* key = r.markov ? &r.find(jg::AttributionModel::markov)->conversions
                                            : (r.models.empty() ? nullptr : &r.models[0].conversions);
  if (key) std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return (*key)[x] > (*key)[y]; });
  Table t;
  char cell[128];
  if (!r.bootstrap) {
    const Table full = attribution_table(r, false);
    t.columns = full.columns;
    for (std::size_t i : order) t.rows.push_back(full.rows[i]);
  } else {
    // With intervals: "estimate [lower, upper]" per model.
    t.columns.push_back("touchpoint");
    if (r.markov) t.columns.push_back("removal_effect");
    for (const auto& m : r.models)
      t.columns.push_back(m.model == jg::AttributionModel::markov ? "markov_conversions" : jg::model_name(m.model));
    for (std::size_t i : order) {
      std::vector<Cell> row{r.touchpoints[i]};
      if (r.markov) {
        const auto& iv = *r.removal_effect_interval;
        std::snprintf(cell, sizeof cell, "%.4f [%.4f, %.4f]", r.markov->removal_effect[i], iv.lower[i], iv.upper[i]);
        row.push_back(std::string(cell));
      }
      for (const auto& m : r.models) {
        const auto& iv = *m.conversions_interval;
        std::snprintf(cell, sizeof cell, "%.2f [%.2f, %.2f]", m.conversions[i], iv.lower[i], iv.upper[i]);
        row.push_back(std::string(cell));
      }
      t.rows.push_back(std::move(row));
    }
  }
  os << "Attribution (" << (r.markov ? "order-" + std::to_string(r.order) + " Markov removal effects, exact; " : "")
     << "conversions credited per model";
  if (r.bootstrap)
    os << "; " << jg::format_number(100 * r.bootstrap->confidence) << "% bootstrap intervals from "
       << r.bootstrap->replicates << " replicates, seed " << r.bootstrap->seed;
  os << ")\n";
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
  print_text(os, t, 2);
  if (r.bootstrap) {
    os << "\nstability (mean relative width of the intervals; smaller is more stable):";
    for (const auto& m : r.models) {
      std::snprintf(line, sizeof line, " %s %.3f", jg::model_name(m.model), m.conversions_interval->stability);
      os << line;
    }
    os << "\n";
    if (r.bootstrap->markov_failed_replicates)
      os << r.bootstrap->markov_failed_replicates << " replicates drew no conversion and are left out of the markov intervals\n";
  }
}

std::string output_format(const Args& a) {
  std::string f = a.get("format", "table");
  if (f != "table" && f != "csv" && f != "json") throw UsageError("--format must be table, csv or json, got " + jg::quoted(f));
  return f;
}


}  // namespace journeygraph::cli
