#pragma once
// Shared by the fuzz targets: what must hold for any input. A target calls a reader under several option
// sets; a journeygraph::Error is a fine answer (ParseError must name the input), any other exception, a crash
// or a sanitizer report is a finding. Accepted input must give a consistent JourneySet, a matching report
// and, for small inputs, a model whose P(conversion) is the share of converting weight (the fitted counts
// form a flow) and whose removal effects lie in [0, 1].

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "journeygraph/attribution.hpp"
#include "journeygraph/error.hpp"
#include "journeygraph/io.hpp"

namespace jgfuzz {

[[noreturn]] inline void violated(const char* what, const std::string& detail = "") {
  std::fprintf(stderr, "fuzz invariant violated: %s %s\n", what, detail.c_str());
  std::abort();
}

#define JG_FUZZ_REQUIRE(cond, detail) \
  do {                                \
    if (!(cond)) ::jgfuzz::violated(#cond, detail); \
  } while (0)

// UTF-8 check written here, independent of the library's.
inline bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > s.size()) return false;
    std::uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    for (std::size_t k = 1; k < len; ++k) {
      const auto d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3F);
    }
    static const std::uint32_t min_cp[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min_cp[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

inline void check_error(const journeygraph::Error& e, const std::string& name) {
  const std::string what = e.what();
  JG_FUZZ_REQUIRE(!what.empty(), "");
  if (auto* pe = dynamic_cast<const journeygraph::ParseError*>(&e)) {
    JG_FUZZ_REQUIRE(pe->file() == name, what);
    JG_FUZZ_REQUIRE(what.compare(0, name.size(), name) == 0, what);
    JG_FUZZ_REQUIRE(pe->column() == 0 || pe->line() > 0, what);
  }
}

inline void check_journeys(const journeygraph::JourneySet& js, const journeygraph::BuildReport& rep) {
  using journeygraph::JourneySet;
  JG_FUZZ_REQUIRE(js.size() > 0, "");
  JG_FUZZ_REQUIRE(rep.journeys == js.size(), rep.summary());
  JG_FUZZ_REQUIRE(rep.touches == js.touch_count(), rep.summary());
  JG_FUZZ_REQUIRE(rep.rows >= rep.rows_skipped, rep.summary());
  JG_FUZZ_REQUIRE(rep.skipped_examples.size() <= rep.rows_skipped, rep.summary());
  const auto& offsets = js.offsets();
  JG_FUZZ_REQUIRE(offsets.size() == js.size() + 1 && offsets.front() == 0 && offsets.back() == js.touch_count(), "");
  const std::size_t n_names = js.touchpoints().size();
  for (const auto& name : js.touchpoints().names()) {
    JG_FUZZ_REQUIRE(!name.empty(), "");
    JG_FUZZ_REQUIRE(valid_utf8(name), name);
  }
  std::vector<bool> used(n_names, false);
  double conv = 0, nulls = 0, value = 0;
  for (std::size_t j = 0; j < js.size(); ++j) {
    JG_FUZZ_REQUIRE(offsets[j] < offsets[j + 1], "an empty journey");
    for (std::uint32_t id : js.path(j)) {
      JG_FUZZ_REQUIRE(id < n_names, "");
      used[id] = true;
    }
    auto t = js.times(j);
    for (std::size_t k = 1; k < t.size(); ++k) JG_FUZZ_REQUIRE(t[k - 1] <= t[k], "times decrease");
    for (double x : {js.conversions(j), js.nulls(j), js.value(j)}) JG_FUZZ_REQUIRE(std::isfinite(x) && x >= 0, "");
    JG_FUZZ_REQUIRE(!(js.value(j) > 0 && js.conversions(j) == 0), "value without conversions");
    conv += js.conversions(j);
    nulls += js.nulls(j);
    value += js.value(j);
  }
  for (bool u : used) JG_FUZZ_REQUIRE(u, "a touchpoint no journey uses");
  JG_FUZZ_REQUIRE(std::isfinite(js.total_conversions() + js.total_nulls()) && std::isfinite(js.total_value()), "");
  JG_FUZZ_REQUIRE(js.total_conversions() == conv && js.total_nulls() == nulls && js.total_value() == value, "");
}

// Fits orders 1 and 2 on small journey sets and checks the answers.
inline void check_models(const journeygraph::JourneySet& js) {
  using namespace journeygraph;
  const double weight = js.total_conversions() + js.total_nulls();
  if (!(weight > 0) || js.touch_count() > 4096 || js.touchpoints().size() > 256) return;
  const double share = js.total_conversions() / weight;
  for (unsigned order : {1u, 2u}) {
    ModelOptions o;
    o.order = order;
    Execution exec;
    exec.threads = 1;
    std::optional<MarkovModel> fitted;
    try {
      fitted = MarkovModel::fit(js, o, exec);
    } catch (const InvalidArgument& e) {
      // Documented limit (tests/BAD_INPUTS.md X05): a transition's summed weight must stay below 2^62, and
      // one journey below 2^62 that repeats a transition can pass it. Any other InvalidArgument is a finding.
      JG_FUZZ_REQUIRE(std::string(e.what()) == "a sum of weights or values is too large", e.what());
      return;
    }
    const MarkovModel& m = *fitted;
    const double p = m.conversion_probability();
    // Rounding may put P a few ulps above 1 (reported for the solver); more would be a wrong answer.
    JG_FUZZ_REQUIRE(std::isfinite(p) && p >= 0 && p <= 1 + 1e-12, std::to_string(p));
    JG_FUZZ_REQUIRE(std::abs(p - share) <= 1e-9 * share + 1e-250, std::to_string(p) + " vs " + std::to_string(share));
    for (double q : m.probabilities()) JG_FUZZ_REQUIRE(std::isfinite(q) && q >= 0 && q <= 1, std::to_string(q));
    if (!(p > 0)) continue;
    const RemovalEffects re = removal_effects(m, exec);
    for (double r : re.removal_effect) JG_FUZZ_REQUIRE(std::isfinite(r) && r >= -1e-9 && r <= 1 + 1e-9, std::to_string(r));
    for (double c : re.conversions) JG_FUZZ_REQUIRE(std::isfinite(c), "");
    for (double v : re.value) JG_FUZZ_REQUIRE(std::isfinite(v), "");
  }
}

// Same result from a default read and a skip_bad_rows read of input that has no bad row.
inline void check_same(const journeygraph::JourneySet& a, const journeygraph::JourneySet& b) {
  JG_FUZZ_REQUIRE(a.offsets() == b.offsets() && a.touches() == b.touches() && a.timestamps() == b.timestamps(), "");
  JG_FUZZ_REQUIRE(a.touchpoints().names() == b.touchpoints().names(), "");
  JG_FUZZ_REQUIRE(a.conversions_column() == b.conversions_column() && a.nulls_column() == b.nulls_column() &&
                      a.values_column() == b.values_column(),
                  "");
}

}  // namespace jgfuzz
