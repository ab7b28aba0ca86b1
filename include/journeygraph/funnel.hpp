#pragma once
/// \file funnel.hpp
/// Event funnels: of the journeys that did step 1, how many went on to do step 2, 3, ... (in order, strictly
/// in a row, or in any order), within conversion windows, with exclusions and optional steps, how long each
/// step took, how segments differ; and funnel trends by entry period with censoring handled (Kaplan-Meier).
///
/// ## Event funnel and stage funnel
/// The journey map's *stage* funnel (JourneyMap::funnel in map.hpp) takes every journey and asks, for
/// each stage, whether the journey touched it at all and how it moved between stages; it needs no order and no
/// window. The *event* funnel here asks whether a journey completed a sequence of steps chosen for the question
/// (touchpoints, wildcard patterns, stages, the conversion), each step counted only if the steps before it were
/// completed first, within windows. An event funnel whose steps are the stages ("stage:awareness", ...) counts at
/// step k the journeys that touched stages 1..k in that order, which is at most the stage funnel's count for
/// stage k.
///
/// ## Steps
/// A step matches a set of touches: touchpoint names, wildcard patterns ('*' = any run of characters, as in
/// cleaning.hpp), stages ("stage:NAME", with a StageMap), or "(conversion)" — the journey's conversion, which
/// must be the last step. A journey's conversion happens at its last touch (journeys end at their conversion,
/// see JourneyOptions::split_on_conversion); for the funnel it is a virtual touch just after the last one, at the
/// same time. A path row standing for c conversions and n non-conversions reaches the conversion step with
/// weight c. parse_funnel_step() reads the text form used by every face:
///   `paid_search|organic_search`   either touchpoint;      `product_*`     a wildcard pattern;
///   `stage:purchase`               a stage;                `(conversion)`  the conversion;
///   `website@2d`                   within 2 days of the previous step (a per-step window);
///   `newsletter?`                  an optional step;      `\|`, `\@`, `\?`, `\*`, `\\` escape those characters.
///
/// ## What "reached step k" means (order = ordered)
/// A *matching* of steps 1..k picks for step 1, for every required step up to k and for step k itself a touch of
/// the journey that matches it, at strictly increasing positions, such that
///  - window (whole funnel): every picked touch is at most `window` after the touch of step 1;
///  - per-step window of step s: its touch is at most that long after the touch of the previous picked step;
///  - exclusion E on steps [a, b]: no touch matching E lies strictly between the touches of two consecutive
///    picked steps p < s with a <= p and s <= b (so none between the touches of steps a and b);
/// windows are inclusive (a touch exactly `window` later counts). A journey *reached* step k if some matching of
/// steps 1..k exists. So a journey is counted at step k whatever it did before or between (ordered funnels let
/// other touches happen in between), counts once per step however often it repeats the steps, and a journey that
/// touches an excluded touchpoint between steps a and b is dropped from step b on — unless it has another,
/// clean attempt. Optional steps may be skipped: reaching a required step never needs them.
///   order = strict: consecutive picked touches must be adjacent in the journey (nothing in between; exclusions
///   therefore never apply). order = unordered: the steps may be picked in any order (distinct touches; a
///   touchpoint may then belong to one step only), with all picked touches within `window` of each other;
///   per-step windows and exclusions need an order and are refused.
///
/// ## Counts, rates and times
/// Counts are journey weights. For step k: reached; base = reached at the previous required step (all journeys
/// for step 1); step_rate = reached / base; overall_rate = reached / reached at step 1; dropped = base - reached
/// (for an optional step: the journeys that skipped it). Rates carry Wilson score intervals at `level`.
/// Times come from one *canonical matching* per journey and step k: its step-k touch is the earliest one any
/// matching of steps 1..k can use; going backward, each earlier picked step takes the latest touch that still
/// allows a matching. time_from_previous = time of the step-k touch - time of the previous picked touch,
/// time_from_entry = time of the step-k touch - time of the step-1 touch of that matching (a journey that
/// tried twice is timed on its last attempt). Unordered funnels: the step is completed at the earliest time a
/// complete set of touches exists; time_from_entry is the span of the tightest complete set ending then, and
/// time_from_previous the time between the completions of the previous required step and of this one. Median
/// and p90 are weighted quantiles as DurationStats defines them.
///
/// ## Segments
/// With by_segment, every row is repeated per segment, and each segment's step rate is tested against the
/// other segments pooled (two-proportion z-test, pooled variance); the p-values of all (segment, step) tests
/// are Holm-adjusted together (with two segments each step is one test, counted once).
///
/// ## Worked example
/// Steps `ad`, `search`, `(conversion)`, window 7 days, order ordered; four journeys (time in days):
///   J1: ad@0 > search@1 > buy@2 (converted)     J2: ad@0 > web@1 > search@9 (not converted)
///   J3: search@0 > ad@1 (converted)             J4: ad@0 > ad@5 > search@6 (converted)
/// Step 1 (ad): J1, J2, J3, J4 reach it: reached 4, base 4 (all journeys), step_rate 1.
/// Step 2 (search): J1 (day 1), J4 (day 6, either ad works); J2's search comes 9 days after its ad (outside the
/// window); J3 searched only before its ad. reached 2, step_rate 2/4. Times from the previous step: J1 1 day,
/// J4 1 day (its canonical matching uses the later ad, day 5).
/// Step 3 (conversion): J1 converts at its last touch (day 2), J4 at day 6: reached 2, step_rate 2/2,
/// overall_rate 2/4; time from entry: J1 2 days, J4 1 day.
/// With order = strict, J4 still reaches step 2 (ad@5 is right before search@6) and J1 step 3 only if the
/// search is the last touch (it is not: buy@2 follows), so strict step 3 has J4 alone.
///
/// ## Compared with PostHog
/// PostHog's funnels (ordered, strict, unordered; one conversion window; exclusions; breakdowns) count persons
/// and drop a person from the *whole* funnel when an exclusion happens; here an exclusion drops the journey
/// from the step after it on, rates carry intervals and segment differences a test, windows may be set per step,
/// and funnel trends estimate the conversion of periods whose window has not closed (Kaplan-Meier) instead of
/// dividing by everyone who entered (which makes the last periods look worse).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "journeygraph/execution.hpp"
#include "journeygraph/graph.hpp"
#include "journeygraph/journeys.hpp"
#include "journeygraph/stages.hpp"
#include "journeygraph/table.hpp"

namespace journeygraph {

/// How the steps of a funnel must follow each other (see the file comment).
enum class FunnelOrder { ordered, strict, unordered };
/// "ordered", "strict", "unordered". Complexity: O(1).
const char* funnel_order_name(FunnelOrder order) noexcept;
/// Inverse of funnel_order_name; throws InvalidArgument listing the names. Complexity: O(1).
FunnelOrder parse_funnel_order(std::string_view name);

/// One step of a funnel. `match` lists alternatives: touchpoint names, wildcard patterns, "stage:NAME", or the
/// single entry "(conversion)". Escapes in names follow the wildcard rules (backslash).
struct FunnelStep {
  std::vector<std::string> match;
  std::string label;              ///< shown in tables; empty: the alternatives joined by '|'
  bool optional = false;          ///< may be skipped (not allowed for the first and the last step)
  std::optional<double> window;   ///< seconds from the previous picked step's touch (needs timestamps)
};

/// Read a step from its text form (see the file comment), e.g. "paid_search|organic_search@2d?". Throws
/// InvalidArgument naming the text for an empty alternative, "(conversion)" mixed with other alternatives, or
/// a bad duration. Complexity: O(length).
FunnelStep parse_funnel_step(std::string_view text);
/// The text form of a step (parse_funnel_step(funnel_step_text(s)) gives s back, label aside).
/// Complexity: O(length).
std::string funnel_step_text(const FunnelStep& step);

/// An exclusion: a journey touching one of `match` (names, patterns, stages) between the touches of steps
/// `from` and `to` (1-based; 0 means the first, resp. last step) no longer reaches `to` or later steps through
/// that attempt. The bounds must be required steps, from < to, and the exclusion may not match a touchpoint of
/// a step from..to.
struct FunnelExclusion {
  std::vector<std::string> match;
  std::size_t from = 0;
  std::size_t to = 0;
};

/// Read an exclusion: alternatives as in a step, optionally followed by ":FROM-TO" (1-based step numbers),
/// e.g. "support_chat|returns:2-3". Throws InvalidArgument naming the text. Complexity: O(length).
FunnelExclusion parse_funnel_exclusion(std::string_view text);

/// The definition of an event funnel.
struct EventFunnelOptions {
  std::vector<FunnelStep> steps;              ///< at least one; no upper limit
  FunnelOrder order = FunnelOrder::ordered;
  std::optional<double> window;               ///< seconds from the step-1 touch (needs timestamps); none = no limit
  std::vector<FunnelExclusion> exclusions;
  const StageMap* stages = nullptr;           ///< needed for "stage:NAME" (not owned; must outlive the call)
  bool by_segment = false;                    ///< rows per segment with tests (needs segments)
  double level = 0.95;                        ///< level of the Wilson intervals
  double alpha = 0.05;                        ///< significance level of the Holm-adjusted segment tests
};

/// One row of an event funnel: one step of all journeys, or of one segment.
struct EventFunnelRow {
  std::string segment;           ///< "(all)" or the segment's name
  std::size_t step = 0;          ///< 1-based
  std::string label;
  bool optional = false;
  double reached = 0;            ///< weight of the journeys that reached the step
  double base = 0;               ///< reached at the previous required step (all journeys for step 1)
  double step_rate = 0, step_lower = 0, step_upper = 0;           ///< reached / base, Wilson interval
  double overall_rate = 0, overall_lower = 0, overall_upper = 0;  ///< reached / reached at step 1
  double dropped = 0;            ///< base - reached (optional steps: skipped)
  DurationStats time_from_previous;  ///< seconds; count 0 for step 1 or without timestamps
  DurationStats time_from_entry;
  /// Segment rows: this segment's step rate against the other segments pooled. NaN for "(all)" rows and
  /// untestable steps (a side with base 0).
  double z = 0, p_value = 0, p_adjusted = 0;
  bool significant = false;
};

/// An event funnel: rows for all journeys (segment "(all)") first, steps in order, then each segment's rows.
struct EventFunnel {
  std::vector<FunnelStep> steps;
  FunnelOrder order = FunnelOrder::ordered;
  std::optional<double> window;
  double journeys = 0;                 ///< weight of all journeys considered (positive weight)
  std::vector<std::string> segments;   ///< segments with rows (by_segment), in segment id order
  std::vector<EventFunnelRow> rows;
  double level = 0.95, alpha = 0.05;
  std::size_t tests = 0;               ///< size of the Holm family of segment tests
};

/// Compute an event funnel. Throws InvalidArgument for: no step; a step or exclusion alternative that matches
/// no touchpoint of the journeys (naming it, with the closest names); "stage:" without options.stages or with
/// an unknown stage; "(conversion)" anywhere but the last step; an optional first or last step; windows without
/// timestamps or negative; per-step windows or exclusions with order unordered; a touchpoint in two steps with
/// order unordered; bad exclusion bounds; level or alpha outside (0, 1). StateError for by_segment without
/// segments. Deterministic for any thread count.
/// Complexity: O(touches + sum over journeys of K x (matching touches)) for K steps, plus O(r log r) for the r
/// timed step completions.
EventFunnel event_funnel(const JourneySet& journeys, const EventFunnelOptions& options, const Execution& exec = {});

/// Columns: segment, step, label, optional (boolean), reached, base, step_rate, step_rate_lower, step_rate_upper,
/// overall_rate, overall_rate_lower, overall_rate_upper, dropped, time_from_previous_median_s,
/// time_from_previous_p90_s, time_from_entry_median_s, time_from_entry_p90_s, timed (weight behind the times),
/// z, p_value, p_adjusted, significant (boolean). Times are NaN when not observed. Complexity: O(rows).
Table event_funnel_table(const EventFunnel& funnel);

// ------------------------------------------------------------------------------------------------
// Funnel trends
// ------------------------------------------------------------------------------------------------

/// Calendar period of funnel trends (UTC; weeks start on Monday).
enum class TrendPeriod { day, week, month };
/// "day", "week", "month". Complexity: O(1).
const char* trend_period_name(TrendPeriod period) noexcept;
/// Inverse of trend_period_name; throws InvalidArgument listing the names. Complexity: O(1).
TrendPeriod parse_trend_period(std::string_view name);

/// Options of funnel_trends().
struct FunnelTrendOptions {
  TrendPeriod period = TrendPeriod::week;
  /// Time since entry at which conversion is read (seconds); none: the funnel's window (one is then needed).
  std::optional<double> horizon;
  /// End of observation in ticks of the journeys' unit; none: the last timestamp of the journeys. It may not
  /// lie before that timestamp.
  std::optional<std::int64_t> data_end;
  double level = 0.95;   ///< level of the intervals
  double alpha = 0.05;   ///< significance level of the Holm-adjusted period-over-period tests
};

/// One entry period.
struct FunnelTrendRow {
  std::int64_t period_start = 0;   ///< ticks
  std::string period;              ///< its UTC date, "2026-01-05"
  double entered = 0;              ///< weight of the journeys whose first step-1 touch is in the period
  double converted = 0;            ///< ... that completed the funnel within the horizon of that touch
  double open = 0;                 ///< ... not (yet) converted and observed for less than the horizon (censored)
  bool complete = false;           ///< period end + horizon <= data end: every entry's horizon has been observed
  double naive_rate = 0;           ///< converted / entered (biased low while the period is incomplete)
  double conversion = 0;           ///< Kaplan-Meier estimate of P(complete within the horizon)
  double lower = 0, upper = 0;     ///< its log(-log) Greenwood interval at `level`
  double variance = 0;             ///< Greenwood variance of `conversion`
  /// Change from the previous period: conversion - previous conversion, z = change / sqrt(sum of the two
  /// Greenwood variances) (for complete periods the unpooled two-proportion test), two-sided p-value,
  /// Holm-adjusted over all period pairs. NaN for the first period and when both variances are 0.
  double change = 0, z = 0, p_value = 0, p_adjusted = 0;
  bool significant = false;
};

/// A point of the conversion curve: at `time_s` after entry, P(converted by then) with its interval.
struct ConversionCurvePoint {
  double time_s = 0;
  double at_risk = 0;     ///< weight still unconverted and observed at time_s
  double events = 0;      ///< completions at time_s
  double censored = 0;    ///< censored since the previous point
  double conversion = 0;  ///< 1 - Kaplan-Meier survival
  double lower = 0, upper = 0;  ///< log(-log) Greenwood interval at `level`
};

/// Funnel trends: per entry period, and the conversion curve of all entries by time since entry.
/// Censoring: a journey enters at its first step-1 touch; it converts when it completes the last step (the
/// canonical matching's completion; with a window, completion within the window of some entry), at completion
/// time - entry time; a journey that has not completed is censored at data end - entry time. So journeys whose
/// horizon has not passed count as at risk for as long as they were observed, never as failures.
struct FunnelTrends {
  TrendPeriod period = TrendPeriod::week;
  double horizon_s = 0;
  std::int64_t data_end = 0;                   ///< ticks
  double level = 0.95, alpha = 0.05;
  std::vector<FunnelTrendRow> rows;            ///< periods in time order (periods without entries left out)
  std::vector<ConversionCurvePoint> curve;     ///< one point per distinct completion time, ascending
};

/// Funnel trends (see FunnelTrends). Throws StateError without timestamps; InvalidArgument as event_funnel()
/// does, and for no horizon and no window, a horizon <= 0, data_end before the last timestamp, level or alpha
/// outside (0, 1). Complexity: that of event_funnel() plus O(e log e) for the e entries.
FunnelTrends funnel_trends(const JourneySet& journeys, const EventFunnelOptions& funnel,
                           const FunnelTrendOptions& options = {}, const Execution& exec = {});

/// Columns: period, period_start (integer ticks), entered, converted, open, complete (boolean), naive_rate, conversion,
/// conversion_lower, conversion_upper, change, z, p_value, p_adjusted, significant (boolean). Complexity: O(rows).
Table funnel_trend_table(const FunnelTrends& trends);
/// Columns: time_s, at_risk, events, censored, conversion, conversion_lower, conversion_upper.
/// Complexity: O(points).
Table conversion_curve_table(const FunnelTrends& trends);

}  // namespace journeygraph
