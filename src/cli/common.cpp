#include "common.hpp"

#include <signal.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <cctype>
#include <iostream>
#include <memory>
#include <utility>

#include "journeygraph/error.hpp"
#include "journeygraph/text.hpp"

namespace jg = journeygraph;

namespace journeygraph::cli {

std::string error_message(const Error& e) {
  // Options fields of the core's structs (EventFunnelOptions, FunnelTrendOptions, PathExplorerOptions,
  // DriverOptions) and the flags that set them.
  static const std::pair<const char*, const char*> kFlags[] = {
      {"steps", "--steps"},         {"order", "--order"},           {"window", "--window"},
      {"exclusions", "--exclude"},  {"by_segment", "--by-segment"}, {"level", "--level"},
      {"alpha", "--alpha"},         {"period", "--trends"},         {"horizon", "--horizon"},
      {"data_end", "--data-end"},   {"start", "--start"},           {"end", "--end"},
      {"max_steps", "--max-steps"}, {"top", "--top"},               {"variants", "--variants"},
      {"from_step", "--from-step"}, {"to_step", "--to-step"},       {"target", "--target"},
      {"after", "--after"},         {"features", "--features"},     {"kgrams", "--kgrams"},
      {"at_least", "--at-least"},   {"min_support", "--min-support"}, {"length_strata", "--length-strata"},
  };
  for (const auto& [field, flag] : kFlags)
    if (e.option() == field) return std::string(flag) + ": " + e.what();
  return e.what();
}

namespace {
std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ",") + x;
  return s;
}
}  // namespace

void add_input_options(Args& a) {
  const jg::EventCsvOptions e;
  const jg::PathCsvOptions p;
  a.section("input")
      .flag("paths", "FILE is aggregated paths (ChannelAttribution's format); without --paths or --events the "
                     "header decides and a line on stderr says which was chosen")
      .flag("events", "FILE is an event log (one row per touch)")
      .option("delimiter", "CHAR", "field delimiter of the CSV ('tab' for a tab)", std::string(1, e.csv.delimiter))
      .flag("skip-bad-rows", "skip malformed rows (counted and reported) instead of failing")
      .section("aggregated paths (--paths)")
      .option("path", "COL", "path column", p.path.name)
      .option("conversions", "COL", "conversions column", p.conversions.name)
      .option("nulls", "COL", "non-conversions column, optional", p.nulls.name)
      .option("sep", "TEXT", "separator between touchpoints in a path", p.separator)
      .flag("no-separator-check", "read paths even when none holds the separator but most hold another common one "
                                  "(> -> | , ; /): only for one-touch paths whose names hold it")
      .section("events (--events)")
      .option("journey", "COL", "journey id column", e.journey.name)
      .option("time", "COL", "timestamp column (epoch numbers or ISO-8601; naive local times, without an offset, are UTC); "
              "'' for file order", e.time.name)
      .option("touchpoint", "COL", "touchpoint column", e.touchpoint.name)
      .option("conversion", "COL", "conversion flag column, optional", e.conversion.name)
      .option("segment", "COL", "segment column, optional", e.segment.name)
      .option("time-unit", "UNIT",
              "unit of epoch-number timestamps: s, ms, us or ns; without it seconds, checked (a value after the "
              "year 2200, or all before 1971, is refused)")
      .option("time-format", "PATTERN",
              "strftime-style pattern of date-time text, e.g. '%d/%m/%Y %H:%M' (directives %Y %y %m %b %B %d %j "
              "%H %I %p %M %S %f %z %T %%); without it epoch numbers and ISO-8601 are read and any other form is refused. Times without "
              "an offset are UTC")
      .option("value", "COL", "conversion value column, optional",
              e.value.name + " for events, " + p.value.name + " for paths")
      .section("journey options (--events)")
      .option("lookback", "DURATION", "drop touches older than this before the journey's end (e.g. 30d)")
      .option("gap", "DURATION", "split a journey at a silence longer than this (e.g. 12h)")
      .flag("no-split", "do not start a new journey after a conversion")
      .flag("collapse-repeats", "merge consecutive touches of the same touchpoint")
      .option("max-touches", "N", "keep only the last N touches of each journey (0 = all)", "0")
      .section("execution")
      .option("threads", "N", "worker threads (0 = all cores)", "0")
      .flag("quiet", "print nothing but errors: no input report, progress line or 'wrote ...' on stderr");
}

void add_model_options(Args& a) {
  const jg::ModelOptions m;
  a.section("model")
      .option("order", "K", "Markov order (1.." + std::to_string(jg::kMaxOrder) + ")", std::to_string(m.order))
      .option("smoothing", "ALPHA", "additive smoothing of transition probabilities", jg::format_number(m.smoothing))
      .option("self-loops", "MODE", "drop (collapse repeated states, ChannelAttribution's rule) or keep",
              jg::self_loops_name(m.self_loops));
}

std::size_t terminal_columns() {
  struct winsize ws {};
  if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  if (const char* c = std::getenv("COLUMNS")) {
    const auto n = jg::parse_integer(c);
    if (n && *n > 0 && *n < 100000) return static_cast<std::size_t>(*n);
  }
  return 80;
}

std::string progress_line(double fraction, const std::string& stage, double seconds, std::size_t columns) {
  const double f = std::isfinite(fraction) ? std::clamp(fraction, 0.0, 1.0) : 0.0;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%3d%%", static_cast<int>(f * 100 + 0.5));
  const std::string head = "journeygraph: " + stage + " ", percent = buf;
  std::string tail;
  if (f > 0 && seconds > 0) {
    std::snprintf(buf, sizeof buf, "  %.1f%%/s", 100 * f / seconds);
    tail = buf;
    const double left = seconds * (1 - f) / f;
    if (left < 1e7) {
      const long s = std::lround(left);
      if (s >= 3600) std::snprintf(buf, sizeof buf, "  ETA %ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
      else std::snprintf(buf, sizeof buf, "  ETA %ld:%02ld", s / 60, s % 60);
      tail += buf;
    }
  }
  // The last column stays empty: a character there makes some terminals wrap at once.
  const std::size_t room = columns > 1 ? columns - 1 : 0;
  std::string line = head + percent;
  const std::size_t fixed = line.size() + 3 + tail.size();  // " [" and "]"
  if (fixed + 10 <= room) {
    const std::size_t width = std::min<std::size_t>(30, room - fixed), done = static_cast<std::size_t>(f * double(width) + 0.5);
    line += " [" + std::string(done, '#') + std::string(width - done, '.') + "]";
  }
  line += tail;
  if (line.size() > room) line.resize(room);
  return line;
}

namespace {
bool progress_visible = false;  // a progress line is on the terminal, not yet erased
}  // namespace

void end_progress_line() {
  if (!progress_visible) return;
  std::fputs("\r\033[K", stderr);
  std::fflush(stderr);
  progress_visible = false;
}

namespace {
// The progress line on stderr, shown only on a terminal and only once the work has taken a second: one line,
// redrawn in place ("\r", then erase to the end of the line) at most ten times a second, never wider than the
// terminal (a line that wraps cannot be redrawn: each update would add a line), erased when the last copy
// of the Execution holding it goes away. It reads
//   journeygraph: solve  43% [#########...........]  2.1%/s  ETA 0:27
// where the rate and the ETA are those of the current stage (the fraction restarts with each stage).
class ProgressBar {
 public:
  ~ProgressBar() { end_progress_line(); }
  bool update(double fraction, const char* stage) {
    const auto now = std::chrono::steady_clock::now();
    if (stage_ != stage) {  // a new stage: its rate and ETA start afresh
      stage_ = stage;
      stage_start_ = now;
    }
    if (now - start_ < delay_) return true;
    if (progress_visible && now - last_ < std::chrono::milliseconds(100)) return true;
    last_ = now;
    progress_visible = true;
    const std::string line = progress_line(fraction, stage, std::chrono::duration<double>(now - stage_start_).count(),
                                           terminal_columns());
    std::fputs(("\r" + line + "\033[K").c_str(), stderr);
    std::fflush(stderr);
    return true;
  }

 private:
  // How long work runs before the line appears: 1 s, or JG_PROGRESS_DELAY seconds (0 to 60; the tests use 0
  // so that the line is drawn however fast the machine).
  static std::chrono::steady_clock::duration progress_delay() {
    double seconds = 1.0;
    if (const char* v = std::getenv("JG_PROGRESS_DELAY")) {
      char* end = nullptr;
      const double d = std::strtod(v, &end);
      if (end != v && *end == '\0' && d >= 0.0 && d <= 60.0) seconds = d;
    }
    return std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(seconds));
  }
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now(), last_, stage_start_ = start_;
  std::chrono::steady_clock::duration delay_ = progress_delay();
  std::string stage_;
};

// An explicitly named column is required (an empty name skips it); otherwise the core's default column.
jg::Column column(const Args& a, const std::string& option, const jg::Column& fallback) {
  if (auto v = a.maybe(option)) return jg::Column(*v, !v->empty());
  return fallback;
}
}  // namespace

namespace {
volatile std::sig_atomic_t sigint_seen = 0;

extern "C" void on_sigint(int) { sigint_seen = 1; }
}  // namespace

void install_interrupt_handler() {
  struct sigaction sa {};
  sa.sa_handler = on_sigint;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESETHAND;  // a second SIGINT takes the default action: the program ends at once
  sigaction(SIGINT, &sa, nullptr);
}

bool interrupted() noexcept { return sigint_seen != 0; }

void check_interrupted() {
  if (interrupted()) throw jg::Interrupted("interrupted");
}

jg::Execution execution(const Args& a) {
  jg::Execution e;
  e.threads = static_cast<unsigned>(a.get_int("threads", 0, 0, 1024));
  std::shared_ptr<ProgressBar> bar;
  if (!a.has("quiet") && isatty(fileno(stderr))) bar = std::make_shared<ProgressBar>();
  e.progress = [bar](double fraction, const char* stage) {
    if (interrupted()) return false;
    return bar ? bar->update(fraction, stage) : true;
  };
  return e;
}

jg::JourneySet load_journeys(const Args& a, const std::string& file, jg::BuildReport& report) {
  bool paths = a.has("paths");
  const bool events = a.has("events");
  if (paths && events) throw UsageError("give --paths (aggregated paths) or --events (event log), not both");
  jg::CsvFormat csv;
  std::string delim = a.get("delimiter", std::string(1, csv.delimiter));
  if (delim == "\\t" || delim == "tab") delim = "\t";
  if (delim.size() != 1) throw UsageError("--delimiter must be one character, got " + jg::quoted(delim));
  csv.delimiter = delim[0];
  csv.skip_bad_rows = a.has("skip-bad-rows");
  jg::PathCsvOptions po;
  po.csv = csv;
  po.path = column(a, "path", po.path);
  po.conversions = column(a, "conversions", po.conversions);
  po.nulls = column(a, "nulls", po.nulls);
  po.value = column(a, "value", po.value);
  po.separator = a.get("sep", po.separator);
  if (po.separator.empty()) throw UsageError("--sep must not be empty");
  po.check_separator = !a.has("no-separator-check");
  jg::EventCsvOptions eo;
  eo.csv = csv;
  eo.journey = column(a, "journey", eo.journey);
  eo.time = column(a, "time", eo.time);
  eo.touchpoint = column(a, "touchpoint", eo.touchpoint);
  eo.conversion = column(a, "conversion", eo.conversion);
  eo.value = column(a, "value", eo.value);
  eo.segment = column(a, "segment", eo.segment);
  if (!paths && !events) {
    // The header decides, with the column names the options give; the choice is said, never silent.
    const jg::CsvKindGuess guess = jg::detect_csv_kind(jg::read_csv_header(file, csv), eo, po);
    if (guess.kind == jg::CsvKind::unknown)
      throw UsageError("cannot tell what " + file + " holds: " + guess.reason +
                       "; say --paths (aggregated paths) or --events (event log), or name the columns");
    paths = guess.kind == jg::CsvKind::paths;
    say(a, "reading " + file + " as " + (paths ? "aggregated paths (--paths)" : "an event log (--events)") + ": " +
               guess.reason);
  }
  const jg::Execution exec = execution(a);
  if (paths) {
    for (const char* o : {"journey", "time", "touchpoint", "conversion", "segment", "time-unit", "time-format", "lookback", "gap",
                          "no-split", "collapse-repeats", "max-touches"})
      if (a.has(o)) throw UsageError(std::string("--") + o + " applies to --events input, not --paths");
    return jg::read_paths_csv(file, po, &report, exec);
  }
  for (const char* o : {"path", "conversions", "nulls", "sep", "no-separator-check"})
    if (a.has(o)) throw UsageError(std::string("--") + o + " applies to --paths input, not --events");
  if (auto unit = a.maybe("time-unit")) eo.time_format.integer_unit = jg::parse_time_unit(*unit);
  if (auto pattern = a.maybe("time-format")) eo.time_format.pattern = *pattern;
  jg::JourneyOptions jo;
  if (auto v = a.maybe("lookback")) jo.lookback = jg::parse_duration(*v);
  if (auto v = a.maybe("gap")) jo.gap = jg::parse_duration(*v);
  jo.split_on_conversion = !a.has("no-split");
  jo.collapse_repeats = a.has("collapse-repeats");
  jo.max_touches = static_cast<std::size_t>(a.get_int("max-touches", 0, 0, 1LL << 40));
  return jg::read_events_csv(file, eo, jo, &report, exec);
}

jg::ModelOptions model_options(const Args& a) {
  jg::ModelOptions m;
  m.order = static_cast<unsigned>(a.get_int("order", m.order, 1, jg::kMaxOrder));
  m.smoothing = a.get_double("smoothing", m.smoothing);
  if (auto loops = a.maybe("self-loops")) m.self_loops = jg::parse_self_loops(*loops);
  return m;
}

std::string single_file(const Args& a) {
  if (a.positional().size() != 1)
    throw UsageError(a.positional().empty() ? "missing FILE" : "expected one FILE, got " + std::to_string(a.positional().size()));
  return a.positional()[0];
}

void print_report(const Args& a, const jg::BuildReport& r) {
  say(a, r.summary());
}

Args& add_spend_options(Args& a, const std::string& adds) {
  return a.section("money")
      .option("spend", "FILE", "spend per touchpoint (CSV: touchpoint,spend[,period]): " + adds)
      .option("spend-period", "P", "only the spend rows of period P (default: every row, summed per touchpoint)");
}

std::optional<Spend> spend_option(const Args& a) {
  if (a.has("spend-period") && !a.has("spend")) throw UsageError("--spend-period needs --spend FILE");
  const auto file = a.maybe("spend");
  if (!file) return std::nullopt;
  SpendOptions so;
  so.period = a.get("spend-period");
  return read_spend_csv(*file, so);
}

void add_attribution_options(Args& a) {
  const jg::AttributionOptions o;
  std::vector<std::string> models, all;
  for (auto m : o.models) models.emplace_back(jg::model_name(m));
  for (auto m : jg::all_models()) all.emplace_back(jg::model_name(m));
  a.section("models")
      .option("models", "LIST", "comma-separated models, or 'all': " + join(all), join(models))
      .option("exclude", "LIST", "touchpoints last_non_direct passes over, comma-separated ('' for none)",
              join(o.heuristics.excluded))
      .option("position-weights", "F,L", "position_based shares of the first and last touch",
              jg::format_number(o.heuristics.first_weight) + "," + jg::format_number(o.heuristics.last_weight))
      .option("half-life", "DURATION", "time_decay half-life (e.g. 7d, 12h)", jg::format_duration(o.heuristics.half_life))
      .option("max-coalition", "N", "largest Shapley coalition: longer journeys keep their N most recent touchpoints "
              "(0 = no cap)", std::to_string(o.shapley.max_coalition))
      .section("uncertainty")
      .option("bootstrap", "B", "bootstrap replicates for confidence intervals of every model (0 = none; "
              "200 when only --ci is given)", std::to_string(o.bootstrap.replicates))
      .option("ci", "LEVEL", "confidence level of the intervals", jg::format_number(o.bootstrap.confidence))
      .option("seed", "S", "seed of the bootstrap", std::to_string(o.bootstrap.seed));
}

jg::AttributionOptions attribution_options(const Args& a, const jg::JourneySet& js) {
  jg::AttributionOptions o;
  o.markov = model_options(a);
  if (auto list = a.maybe("models")) {
    if (*list == "all") {
      o.models = jg::applicable_models(js);
      if (!js.has_timestamps()) say(a, "note: time_decay is left out of 'all': the journeys have no timestamps");
    } else {
      o.models.clear();
      for (const auto& name : split_list(*list)) o.models.push_back(jg::parse_model(name));
      if (o.models.empty()) throw UsageError("--models is empty");
    }
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
  o.shapley.max_coalition = static_cast<std::size_t>(a.get_int("max-coalition", o.shapley.max_coalition, 0, 1LL << 31));
  o.bootstrap.replicates = static_cast<std::size_t>(a.get_int("bootstrap", a.has("ci") ? 200 : 0, 0, 1000000));
  o.bootstrap.confidence = a.get_double("ci", o.bootstrap.confidence);
  o.bootstrap.seed = static_cast<std::uint64_t>(a.get_int("seed", o.bootstrap.seed, 0, (1LL << 62)));
  if (a.has("ci") && o.bootstrap.replicates == 0) throw UsageError("--ci needs --bootstrap B with B >= 2");
  return o;
}

// The text view: the estimates (with their intervals) of every model, best-credited touchpoints first; CSV
// and JSON carry every column of the table.
TextOptions attribution_text(const jg::AttributionResult& r) {
  TextOptions text;
  const bool ci = r.bootstrap.has_value();
  text.columns = {"touchpoint"};
  auto show = [&](const std::string& name) {
    text.columns.push_back(name);
    if (ci) text.columns.insert(text.columns.end(), {name + "_lower", name + "_upper"});
  };
  if (r.markov) show("removal_effect");
  for (const auto& m : r.models) {
    // ordered_shapley's total per touchpoint is the Shapley value; what it adds is the credit by position in
    // the journey, so the text shows that breakdown in its place.
    if (m.model == jg::AttributionModel::ordered_shapley && r.positions) {
      for (std::size_t p = 1; p <= r.positions->positions; ++p)
        text.columns.push_back("ordered_shapley_position_" + std::to_string(p));
    } else {
      show(jg::model_name(m.model));
    }
  }
  if (!r.models.empty()) text.sort_by = jg::model_name(r.models[0].model);
  return text;
}

void add_output_options(Args& a, const char* section) {
  a.section(section)
      .option("format", "FORMAT", "table, csv or json", "by the --output extension (.csv, .json), else table")
      .option("output", "FILE", "write to FILE instead of standard output")
      .option("width", "N", "text tables wider than N characters print in blocks of columns, each repeating the "
                            "key columns (0 = no limit)", "the terminal's width, or 120 when not a terminal")
      .flag("long", "print each table in long format: its key columns, column, value (one line per cell)")
      .flag("raw-csv", "CSV cells as they are: without it a text cell starting with = + - @ tab or CR (not a "
                       "number) gets a leading ' so spreadsheets do not run it as a formula");
}

jg::TableFormat output_format(const Args& a) {
  if (auto f = a.maybe("format")) return jg::parse_table_format(*f);
  if (auto file = a.maybe("output")) {
    // The extension, compared without regard to case (report.CSV is a CSV file).
    std::string name = *file;
    for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    auto ends = [&](const char* ext) {
      const std::size_t n = std::strlen(ext);
      return name.size() > n && name.compare(name.size() - n, n, ext) == 0;
    };
    if (ends(".csv")) return jg::TableFormat::csv;
    if (ends(".json")) return jg::TableFormat::json;
  }
  return jg::TableFormat::text;
}

void say(const Args& a, const std::string& message) {
  if (a.has("quiet")) return;
  end_progress_line();
  std::cerr << "journeygraph: " << message << "\n";
}

void print_tables(const Args& a, const std::vector<Table>& tables_in, const std::vector<TextOptions>& texts) {
  const jg::TableFormat format = output_format(a);
  const bool long_format = a.has("long");
  // Text fits the terminal (stdout's), or 120 columns in a file or pipe; --width N sets it, 0 = no limit.
  std::size_t width = 120;
  if (!a.has("output") && isatty(STDOUT_FILENO)) {
    struct winsize ws {};
    if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) width = ws.ws_col;
  }
  width = static_cast<std::size_t>(a.get_int("width", static_cast<long long>(width), 0, 1000000));
  std::vector<Table> long_tables;
  if (long_format && format != jg::TableFormat::text)
    for (const Table& t : tables_in) long_tables.push_back(jg::long_table(t));
  const std::vector<Table>& tables = long_tables.empty() ? tables_in : long_tables;
  jg::CsvOptions csv;
  csv.guard_formulas = !a.has("raw-csv");
  std::string out;
  if (format == jg::TableFormat::csv && tables.size() != 1)
    throw UsageError("--format csv writes one table; " + std::to_string(tables.size()) + " were requested");
  if (format != jg::TableFormat::text && tables.size() == 1) {
    // One CSV or JSON table (millions of rows, for scores or per-journey credit) is streamed to its file in
    // pieces, Ctrl-C checked between them; a file is replaced only once complete (TextFileWriter). Standard
    // output (a terminal or pipe) is written as the pieces come, so a Ctrl-C there may leave part of the table.
    jg::TextFileWriter writer(a.get("output", "-"));
    const jg::TextSink sink = [&writer](std::string_view piece) {
      check_interrupted();
      writer.write(piece);
    };
    if (format == jg::TableFormat::csv) jg::write_csv(tables[0], sink, csv);
    else jg::write_json_document(tables[0], sink);
    check_interrupted();
    writer.commit();
    return;
  }
  if (format == jg::TableFormat::json && tables.size() != 1) {
    for (const auto& t : tables) out += (out.empty() ? "{\n" : ",\n") + jg::quoted(t.name) + ": " + jg::to_json_document(t);
    out += out.empty() ? "{}\n" : "}\n";
  } else {
    for (std::size_t i = 0; i < tables.size(); ++i) {
      TextOptions text = i < texts.size() ? texts[i] : TextOptions();
      text.csv = csv;
      text.width = width;
      text.long_format = long_format;
      out += (i ? "\n" : "") + jg::write_table(tables[i], format, text);
    }
  }
  check_interrupted();
  if (auto file = a.maybe("output")) {
    jg::write_text_file(*file, out);
  } else {
    jg::write_standard_output(out);
  }
}

}  // namespace journeygraph::cli
