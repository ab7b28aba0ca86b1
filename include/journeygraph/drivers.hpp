#pragma once
/// \file drivers.hpp
/// Conversion drivers: which touches, sequences and habits go with converting (or with dropping off), each
/// with its 2x2 table, an odds ratio with a 95 % interval, a test, a false-discovery-rate q-value over all
/// features tested, and the same odds ratio adjusted for journey length (Mantel-Haenszel).
///
/// ## Features
/// A feature is a property a journey has or not (in its analysed part, see below):
///   touchpoint  "website"                    at least one touch of website;
///   kgram       "paid_search > website"      these touchpoints consecutively (k = 2 or 3);
///   before      "paid_search >> website"     a touch of the first somewhere before a touch of the second
///                                            (different touchpoints);
///   at_least    "website{3}"                 at least 3 touches of website (n >= 2).
/// These texts are the `feature` column of the table and what parse_driver_feature() reads back. Without an
/// explicit list, every feature of the enabled kinds that some journey has is a candidate; the candidates whose
/// support (weight of the journeys with the feature) is below min_support are not tested, and a feature every
/// journey has (or none) is untestable; both are counted, never tested silently.
///
/// ## Outcome and population
/// target = conversion: every journey, the whole journey; outcome = its conversions, the rest = its
/// non-conversions (a path row with c conversions and n non-conversions adds c and n). target = drop_off: the
/// journeys with a touch matching `after` (a step text as in funnel.hpp); the analysed part runs from the first
/// such touch to the end; outcome = the non-conversions (the journey ended unconverted after reaching the step).
/// Journeys left out are counted (DriverAnalysis::excluded).
///
/// ## Statistics (per feature)
/// Cells: a = with feature and outcome, b = with and not, c = without and outcome, d = without and not.
/// - odds_ratio = (a + 0.5)(d + 0.5) / ((b + 0.5)(c + 0.5)) with the Wald interval on the log scale at `level`
///   (se = sqrt of the sum of 1 / (cell + 0.5)); the 0.5 keeps every feature finite.
/// - p_value: Fisher's exact test (two-sided) when a cell is below 5 and the cells are whole numbers, otherwise
///   the Wald z-test of log odds_ratio = 0; `test` says which. q_value: Benjamini-Hochberg over all features
///   tested; significant = q_value < alpha (controls the expected false discovery proportion at alpha).
/// - mh_odds_ratio: Mantel-Haenszel over strata of the analysed part's length (1, 2, ..., length_strata, with
///   longer journeys pooled into the last), interval from the Robins-Breslow-Greenland variance,
///   mh_p_value from the Cochran-Mantel-Haenszel test (no continuity correction), mh_q_value its BH q-value.
///   Long journeys touch more of everything and convert more often, so a raw association can be length alone:
///   confounded = significant raw, not significant adjusted (mh_q_value >= alpha).
/// Rows are sorted by the bound of the odds-ratio interval nearest 1 (the lower bound of a positive driver,
/// the upper bound of a negative one), strongest first on the log scale; features whose interval contains 1
/// follow, by p-value.
///
/// ## Worked example
/// Journeys (weight 1): 6 with "email > web" converting, 2 with "email > web" not, 2 with "web" converting,
/// 10 with "web" not. Feature "email": a = 6, b = 2, c = 2, d = 10; odds ratio (6.5 x 10.5) / (2.5 x 2.5) = 10.92;
/// a cell is below 5, so Fisher's test: p = 0.01937. Stratified by length, every "email" journey has length 2
/// and every other length 1, so no stratum has both: the Mantel-Haenszel ratio is undefined (NaN) — the data
/// cannot separate email from length.
///
/// ## Compared with PostHog
/// PostHog's correlation analysis ranks events by an odds ratio with 1 added to each cell, with no interval,
/// no test and no correction for testing many events at once, and no adjustment for journey length.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "journeygraph/execution.hpp"
#include "journeygraph/journeys.hpp"
#include "journeygraph/stages.hpp"
#include "journeygraph/table.hpp"

namespace journeygraph {

/// Kind of a driver feature (see the file comment).
enum class DriverKind { touchpoint, kgram, before, at_least };
/// "touchpoint", "kgram", "before", "at_least". Complexity: O(1).
const char* driver_kind_name(DriverKind kind) noexcept;

/// What the drivers explain.
enum class DriverTarget { conversion, drop_off };
/// "conversion", "drop_off". Complexity: O(1).
const char* driver_target_name(DriverTarget target) noexcept;
/// Inverse of driver_target_name; throws InvalidArgument listing the names. Complexity: O(1).
DriverTarget parse_driver_target(std::string_view name);

/// A feature: kind, its touchpoints (1 for touchpoint and at_least, k for kgram, 2 for before), and n for
/// at_least.
struct DriverFeature {
  DriverKind kind = DriverKind::touchpoint;
  std::vector<std::string> touchpoints;
  std::size_t n = 1;
};

/// Read a feature from its text (see the file comment): "a", "a > b", "a > b > c", "a >> b", "a{3}".
/// Throws InvalidArgument naming the text for an empty name, a kgram longer than 3, "before" with more or
/// fewer than two names or twice the same, or a count below 2. Complexity: O(length).
DriverFeature parse_driver_feature(std::string_view text);
/// The text of a feature (parse_driver_feature(driver_feature_text(f)) gives f back). Complexity: O(length).
std::string driver_feature_text(const DriverFeature& feature);

/// Options of conversion_drivers().
struct DriverOptions {
  bool touchpoints = true;                    ///< touchpoint features
  std::vector<std::size_t> kgrams{2, 3};      ///< kgram lengths (each 2 or 3)
  bool before = true;                         ///< "a >> b" features
  std::vector<std::size_t> at_least{2, 3};    ///< "a{n}" features (each n >= 2)
  /// Explicit features to test instead of discovering them (the kinds above are then ignored).
  std::vector<std::string> features;
  double min_support = 30;                    ///< minimum weight of journeys with a feature to test it
  DriverTarget target = DriverTarget::conversion;
  std::string after;                          ///< drop_off: the step reached (funnel.hpp step text)
  std::size_t length_strata = 20;             ///< Mantel-Haenszel strata: lengths 1..this, longer pooled
                                              ///< (at most kMaxLengthStrata)
  double level = 0.95;                        ///< level of the odds-ratio intervals
  double alpha = 0.05;                        ///< false discovery rate of `significant`
  const StageMap* stages = nullptr;           ///< for a "stage:NAME" `after` (not owned)
};

/// The most length strata DriverOptions::length_strata may ask for (longer journeys are pooled anyway).
inline constexpr std::size_t kMaxLengthStrata = 100000;

/// One tested feature.
struct Driver {
  std::string feature;           ///< its text
  DriverKind kind = DriverKind::touchpoint;
  double a = 0, b = 0, c = 0, d = 0;   ///< with & outcome, with & not, without & outcome, without & not
  double support = 0;                  ///< a + b
  double rate_with = 0, rate_without = 0;  ///< a / (a + b), c / (c + d)
  double odds_ratio = 0, lower = 0, upper = 0;
  bool fisher = false;                 ///< p_value from Fisher's exact test (else Wald)
  double p_value = 0, q_value = 0;
  double mh_odds_ratio = 0, mh_lower = 0, mh_upper = 0, mh_p_value = 0, mh_q_value = 0;
  bool significant = false;            ///< q_value < alpha
  bool mh_significant = false;         ///< mh_q_value < alpha
  bool confounded = false;             ///< significant && !mh_significant
};

/// Result of conversion_drivers().
struct DriverAnalysis {
  DriverTarget target = DriverTarget::conversion;
  double journeys = 0;          ///< weight of the analysed journeys
  double outcome = 0;           ///< their outcome weight (conversions, or drop-offs)
  double excluded = 0;          ///< weight left out (drop_off: journeys that never reached `after`)
  std::size_t candidates = 0;   ///< distinct features seen (or given)
  std::size_t below_support = 0;///< candidates with support < min_support (not tested)
  std::size_t untestable = 0;   ///< candidates every analysed journey has (no "without" row)
  double level = 0.95, alpha = 0.05;
  std::vector<Driver> drivers;  ///< the tested features, sorted (see the file comment)
};

/// Find and test the drivers (see the file comment). Throws InvalidArgument for a kgram length other than 2
/// or 3, an at_least n below 2, min_support < 0, length_strata of 0 or above kMaxLengthStrata, level or
/// alpha outside (0, 1), an explicit feature naming an unknown touchpoint (with the closest names), drop_off
/// without `after` or an `after` matching no touchpoint, more than 2^20 touchpoints with kgrams or before
/// features; DataError when no journey is analysed or no outcome varies. Deterministic for any thread count.
/// Complexity: two passes over the analysed touches, each O(sum over journeys of (features of the journey)),
/// where a journey of d distinct touchpoints has O(d^2) "before" features, plus O(F x strata) for F tested
/// features.
DriverAnalysis conversion_drivers(const JourneySet& journeys, const DriverOptions& options = {},
                                  const Execution& exec = {});

/// Columns: feature, kind, support, with_outcome, with_other, without_outcome, without_other, rate_with,
/// rate_without, odds_ratio, odds_ratio_lower, odds_ratio_upper, test ("fisher" or "wald"), p_value, q_value,
/// mh_odds_ratio, mh_lower, mh_upper, mh_p_value, mh_q_value, significant, mh_significant, confounded (boolean).
/// Complexity: O(rows).
Table driver_table(const DriverAnalysis& drivers);

}  // namespace journeygraph
