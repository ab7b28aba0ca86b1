#pragma once
/// \file money.hpp
/// Money: spend per touchpoint next to attribution credit (cost per conversion, ROAS) with bootstrap
/// intervals, and the model comparison table (each model's credit against a baseline model).
///
/// Formulas, for a touchpoint with spend S, credited conversions C and credited value V under one model:
/// cost_per_conversion = S / C, roas = V / S (return on ad spend: value per unit of spend; "value per cost"
/// is the same number), conversions_per_cost = C / S. A ratio whose denominator is 0 does not exist (NaN), nor
/// a cost per conversion without spend.
///
/// Intervals. With a bootstrap (AttributionOptions::bootstrap), every ratio is computed on each replicate's
/// credit (AttributionResult::replicates) with the spend held fixed, and the
/// interval is the percentile interval of those replicate ratios at the bootstrap's confidence level (the
/// same quantile rule as the credit intervals, uncertainty.hpp). A replicate that credits no conversion to
/// a touchpoint with spend gives an infinite cost per conversion, so that interval's upper end may be +inf.
/// Markov replicates that drew no conversion are left out, as for the credit intervals.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "journeygraph/attribution.hpp"
#include "journeygraph/io.hpp"
#include "journeygraph/table.hpp"

namespace journeygraph {

/// Spend per touchpoint (summed over the periods read).
struct Spend {
  std::vector<std::string> touchpoints;  ///< as first read, each once
  std::vector<double> spend;             ///< total spend of each touchpoint (>= 0)
  std::vector<std::string> periods;      ///< the periods read (first-appearance order); empty without a period column
  std::uint64_t rows = 0;                ///< data rows of the file
  std::uint64_t rows_other_periods = 0;  ///< rows left out because SpendOptions::period selects another period
  /// Total spend. Complexity: O(touchpoints).
  double total() const;
};

/// Options of read_spend_csv().
struct SpendOptions {
  CsvFormat format;
  /// Only the rows of this period (the file needs a period column); empty: every row, summed per touchpoint.
  std::string period;
};

/// Read spend from CSV text with a header: columns touchpoint and spend (required) and period (optional),
/// in any order; other columns are ignored. Spend is a decimal number >= 0. A touchpoint (or, with periods,
/// a touchpoint in one period) may appear once. Throws ParseError naming the file, line, column and value
/// for a missing column, an empty touchpoint, a spend that is not a finite number >= 0, or a repeated
/// touchpoint (naming the first line it was on); InvalidArgument when options.period is set and the file
/// has no period column; DataError for a file with no data row, or no row of options.period (listing the
/// periods). Complexity: O(file size).
Spend parse_spend_csv(std::string_view text, const std::string& name = "<memory>", const SpendOptions& options = {});
/// Spend from columns (a face's data frame): touchpoints[i] spent spend[i], in periods[i] when periods is not
/// empty; the same rules as parse_spend_csv, with errors naming the row (0-based) and the value. period
/// selects one period as SpendOptions::period. Throws InvalidArgument for columns of unequal length, an empty
/// touchpoint or period, a spend that is not a finite number >= 0, a repeated touchpoint (in one period), or
/// a period without a periods column; DataError for no row, or no row of the period. Complexity: O(rows).
Spend spend_from_columns(const std::vector<std::string>& touchpoints, const std::vector<double>& spend,
                         const std::vector<std::string>& periods = {}, const std::string& period = "");
/// parse_spend_csv of a file; throws IoError if it cannot be read.
Spend read_spend_csv(const std::string& file, const SpendOptions& options = {});

/// Money per model and touchpoint (see the file comment): table "money", one row per model (the result's
/// order) and touchpoint (the attribution's touchpoints, then those with spend only, sorted). Columns:
/// model, touchpoint, spend (0 without a spend row), conversions, value, cost_per_conversion, roas,
/// conversions_per_cost, status ("ok"; "no_credit": spend but no credited conversion; "no_spend": credit
/// but no spend; "none": neither); with a
/// bootstrap also cost_per_conversion_lower, cost_per_conversion_upper, roas_lower, roas_upper. Metadata:
/// total_spend, spend_touchpoints, no_credit (touchpoints with spend that the data never touches or no model
/// credits, by name, comma-separated), no_spend (touchpoints credited by some model without spend, by name);
/// with a bootstrap confidence and replicates. Nothing is dropped: every touchpoint of either side has its
/// rows. Throws InvalidArgument for spend with an unequal number of names and numbers.
/// Complexity: O(models x touchpoints x replicates log replicates).
Table money_table(const AttributionResult& result, const Spend& spend);

/// The one rule for the baseline of a model comparison when none is named, used by every face (the command
/// line, C, Python, R and the HTML report): last_touch when it is among models (GA4 compares with it), else
/// the first of models. Throws InvalidArgument for an empty list. Complexity: O(models).
AttributionModel default_baseline(const std::vector<AttributionModel>& models);
/// default_baseline of model names (as the faces hold them, e.g. a table's model columns): each name is read
/// with parse_model; returns the chosen model's name. Throws InvalidArgument for an empty list or a name that
/// is not a model (listing the models). Complexity: O(models).
std::string default_baseline(const std::vector<std::string>& model_names);
/// default_baseline of the models of a result, in the result's order. Throws InvalidArgument for a result
/// without models. Complexity: O(models).
AttributionModel default_baseline(const AttributionResult& result);

/// Model comparison (GA4's model comparison report): table "model_comparison", one row per touchpoint and
/// model other than the baseline. Columns: touchpoint, model, conversions, value, baseline_conversions,
/// baseline_value, conversions_change and value_change (percent change against the baseline, 100 (x - b) / b;
/// NaN where the baseline is 0). Metadata: baseline. Throws InvalidArgument if the baseline model is not in
/// the result (naming the models it has). Complexity: O(models x touchpoints).
Table comparison_table(const AttributionResult& result, AttributionModel baseline);

}  // namespace journeygraph
