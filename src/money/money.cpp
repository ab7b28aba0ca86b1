// Spend, cost per conversion and ROAS with replicate intervals, and the model comparison table.

#include "journeygraph/money.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <unordered_map>

#include "attribution/bootstrap.hpp"
#include "common/text.hpp"
#include "io/csv.hpp"
#include "journeygraph/error.hpp"

namespace journeygraph {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

Spend read_spend(detail::CsvReader& r, const SpendOptions& options) {
  const std::string& name = r.name();
  if (!r.next())
    throw ParseError(name, 0, 0, "", "", "empty file: expected a header row with columns 'touchpoint' and 'spend' "
                                         "(and optionally 'period')");
  const std::uint64_t header_line = r.line();
  const std::size_t none = ~std::size_t(0);
  std::size_t tp_col = none, spend_col = none, period_col = none;
  std::string have;
  std::vector<std::string> header;
  for (std::size_t i = 0; i < r.size(); ++i) {
    const std::string h(detail::trim(r.field(i)));
    header.push_back(h);
    have += (i ? ", '" : "'") + h + "'";
    if (h == "touchpoint") tp_col = i;
    else if (h == "spend") spend_col = i;
    else if (h == "period") period_col = i;
  }
  r.set_field_names(header);
  for (auto [col, want] : {std::pair{tp_col, "touchpoint"}, std::pair{spend_col, "spend"}})
    if (col == none)
      throw ParseError(name, header_line, 0, want, "",
                       std::string("missing column '") + want + "' (the header has: " + have +
                           "); a spend file has the columns touchpoint,spend[,period]");
  if (!options.period.empty() && period_col == none)
    throw InvalidArgument(name + ": a spend period " + detail::show(options.period) +
                          " was asked for, but the file has no 'period' column (the header has: " + have + ")");
  Spend s;
  std::unordered_map<std::string, std::size_t> index;
  std::map<std::pair<std::string, std::string>, std::uint64_t> seen;  // (touchpoint, period) -> line
  std::set<std::string> period_set;
  const std::size_t need = std::max({tp_col, spend_col, period_col == none ? 0 : period_col});
  while (r.next()) {
    ++s.rows;
    if (r.size() <= need)
      r.fail(r.size() ? r.size() - 1 : 0, "",
             "expected at least " + std::to_string(need + 1) + " fields, got " + std::to_string(r.size()));
    const std::string tp(detail::trim(r.field(tp_col)));
    if (tp.empty()) r.fail(tp_col, "touchpoint", "empty touchpoint name");
    const std::string period = period_col == none ? std::string() : std::string(detail::trim(r.field(period_col)));
    if (period_col != none && period.empty()) r.fail(period_col, "period", "empty period");
    const auto value = detail::parse_double(r.field(spend_col));
    if (!value || *value < 0)
      r.fail(spend_col, "spend",
             detail::show(r.field(spend_col)) +
                 " is not a spend: write a number >= 0 (0 for a touchpoint without spend; no currency sign or "
                 "thousands separator)");
    const auto [it, added] = seen.emplace(std::pair{tp, period}, r.line());
    if (!added)
      r.fail(tp_col, "touchpoint",
             "touchpoint " + detail::show(tp) + " " + (period_col == none ? "" : "in period " + detail::show(period) + " ") +
                 "appears again (first on line " + std::to_string(it->second) + ")" +
                 (period_col == none ? "; sum its spend into one row, or add a period column" : "; sum the rows"));
    if (period_col != none && period_set.insert(period).second) s.periods.push_back(period);
    if (!options.period.empty() && period != options.period) {
      ++s.rows_other_periods;
      continue;
    }
    const auto [at, fresh] = index.emplace(tp, s.touchpoints.size());
    if (fresh) {
      s.touchpoints.push_back(tp);
      s.spend.push_back(0.0);
    }
    s.spend[at->second] += *value;
  }
  if (s.rows == 0) throw DataError(name + ": no spend row after the header");
  if (s.touchpoints.empty()) {
    std::string list;
    for (const auto& p : s.periods) list += (list.empty() ? "" : ", ") + detail::show(p);
    throw DataError(name + ": no spend row of period " + detail::show(options.period) + " (the file's periods: " +
                    list + ")");
  }
  return s;
}

// The percentile interval of the finite-or-infinite values v (NaN ones are left out) at level confidence.
std::pair<double, double> percentile_interval(std::vector<double>& v, double confidence) {
  v.erase(std::remove_if(v.begin(), v.end(), [](double x) { return std::isnan(x); }), v.end());
  if (v.size() < 2) return {kNaN, kNaN};
  std::sort(v.begin(), v.end());
  return {detail::quantile_sorted(v, (1 - confidence) / 2), detail::quantile_sorted(v, (1 + confidence) / 2)};
}

double ratio(double num, double den) { return den > 0 ? num / den : kNaN; }

}  // namespace

double Spend::total() const {
  double t = 0;
  for (double x : spend) t += x;
  return t;
}

Spend spend_from_columns(const std::vector<std::string>& touchpoints, const std::vector<double>& spend,
                         const std::vector<std::string>& periods, const std::string& period) {
  if (spend.size() != touchpoints.size() || (!periods.empty() && periods.size() != touchpoints.size()))
    throw InvalidArgument("spend columns of unequal length: " + std::to_string(touchpoints.size()) + " touchpoints, " +
                          std::to_string(spend.size()) + " amounts" +
                          (periods.empty() ? std::string() : ", " + std::to_string(periods.size()) + " periods"));
  if (!period.empty() && periods.empty())
    throw InvalidArgument("a spend period " + detail::show(period) + " was asked for, but the spend has no period column");
  if (touchpoints.empty()) throw DataError("the spend has no row");
  Spend s;
  std::unordered_map<std::string, std::size_t> index;
  std::map<std::pair<std::string, std::string>, std::size_t> seen;
  std::set<std::string> period_set;
  for (std::size_t i = 0; i < touchpoints.size(); ++i) {
    ++s.rows;
    const std::string where = "spend row " + std::to_string(i) + ": ";
    if (touchpoints[i].empty()) throw InvalidArgument(where + "empty touchpoint name");
    const std::string p = periods.empty() ? std::string() : periods[i];
    if (!periods.empty() && p.empty()) throw InvalidArgument(where + "empty period");
    if (!(std::isfinite(spend[i]) && spend[i] >= 0))
      throw InvalidArgument(where + "spend " + detail::format_double(spend[i]) + " of touchpoint " +
                            detail::show(touchpoints[i]) + " is not a number >= 0 (write 0 for no spend)");
    const auto [it, added] = seen.emplace(std::pair{touchpoints[i], p}, i);
    if (!added)
      throw InvalidArgument(where + "touchpoint " + detail::show(touchpoints[i]) + " " +
                            (periods.empty() ? "" : "in period " + detail::show(p) + " ") + "appears again (first in row " +
                            std::to_string(it->second) + ")" +
                            (periods.empty() ? "; sum its spend into one row, or add a period column" : "; sum the rows"));
    if (!periods.empty() && period_set.insert(p).second) s.periods.push_back(p);
    if (!period.empty() && p != period) {
      ++s.rows_other_periods;
      continue;
    }
    const auto [at, fresh] = index.emplace(touchpoints[i], s.touchpoints.size());
    if (fresh) {
      s.touchpoints.push_back(touchpoints[i]);
      s.spend.push_back(0.0);
    }
    s.spend[at->second] += spend[i];
  }
  if (s.touchpoints.empty()) throw DataError("no spend row of period " + detail::show(period) + "");
  return s;
}

Spend parse_spend_csv(std::string_view text, const std::string& name, const SpendOptions& options) {
  detail::CsvReader r(text, name, options.format);
  return read_spend(r, options);
}

Spend read_spend_csv(const std::string& file, const SpendOptions& options) {
  detail::CsvReader r(file, options.format);
  return read_spend(r, options);
}

Table money_table(const AttributionResult& result, const Spend& spend) {
  if (spend.touchpoints.size() != spend.spend.size())
    throw InvalidArgument("spend has " + std::to_string(spend.touchpoints.size()) + " touchpoints but " +
                          std::to_string(spend.spend.size()) + " amounts");
  // Rows: the attribution's touchpoints, then those with spend only (sorted), so nothing is dropped.
  std::vector<std::string> tps = result.touchpoints;
  std::unordered_map<std::string, std::size_t> spend_of;
  for (std::size_t i = 0; i < spend.touchpoints.size(); ++i) spend_of.emplace(spend.touchpoints[i], i);
  std::vector<std::string> spend_only;
  {
    const std::set<std::string> known(tps.begin(), tps.end());
    for (const auto& t : spend.touchpoints)
      if (!known.count(t)) spend_only.push_back(t);
    std::sort(spend_only.begin(), spend_only.end());
  }
  const std::size_t n_attr = tps.size();
  tps.insert(tps.end(), spend_only.begin(), spend_only.end());

  const bool intervals = result.bootstrap.has_value();
  const double confidence = intervals ? result.bootstrap->confidence : kNaN;
  std::vector<std::string> model_col, tp_col, status;
  std::vector<double> spend_col, conv_col, value_col, cpa, roas, cpc, cpa_lo, cpa_hi, roas_lo, roas_hi;
  std::set<std::string> no_spend, credited;
  std::vector<double> v;
  for (std::size_t m = 0; m < result.models.size(); ++m) {
    const ModelAttribution& ma = result.models[m];
    const AttributionResult::Replicates* rp = intervals && m < result.replicates.size() ? &result.replicates[m] : nullptr;
    const std::size_t reps = rp && n_attr ? rp->conversions.size() / n_attr : 0;
    for (std::size_t t = 0; t < tps.size(); ++t) {
      const auto sp = spend_of.find(tps[t]);
      const double s = sp == spend_of.end() ? 0.0 : spend.spend[sp->second];
      const double c = t < n_attr ? ma.conversions[t] : 0.0;
      const double val = t < n_attr ? ma.value[t] : 0.0;
      model_col.push_back(model_name(ma.model));
      tp_col.push_back(tps[t]);
      spend_col.push_back(s);
      conv_col.push_back(c);
      value_col.push_back(val);
      cpa.push_back(s > 0 ? ratio(s, c) : kNaN);  // no spend: a cost per conversion of 0 would read as free
      roas.push_back(ratio(val, s));
      cpc.push_back(ratio(c, s));
      const bool has_spend = s > 0, has_credit = c > 0 || val > 0;
      status.push_back(has_spend && has_credit ? "ok" : has_spend ? "no_credit" : has_credit ? "no_spend" : "none");
      if (has_credit) credited.insert(tps[t]);
      if (has_credit && !has_spend) no_spend.insert(tps[t]);
      if (!intervals) continue;
      if (t >= n_attr || reps == 0 || !has_spend) {
        // Without spend the ratios do not exist; a touchpoint the data lacks has credit 0 in every replicate.
        const bool absent = t >= n_attr && has_spend;
        cpa_lo.push_back(absent ? std::numeric_limits<double>::infinity() : kNaN);
        cpa_hi.push_back(absent ? std::numeric_limits<double>::infinity() : kNaN);
        roas_lo.push_back(absent ? 0.0 : kNaN);
        roas_hi.push_back(absent ? 0.0 : kNaN);
        continue;
      }
      v.clear();
      for (std::size_t r = 0; r < reps; ++r) {
        const double cr = rp->conversions[r * n_attr + t];
        v.push_back(std::isnan(cr) ? kNaN : cr > 0 ? s / cr : std::numeric_limits<double>::infinity());
      }
      const auto [a, b] = percentile_interval(v, confidence);
      cpa_lo.push_back(a);
      cpa_hi.push_back(b);
      v.clear();
      for (std::size_t r = 0; r < reps; ++r) v.push_back(rp->value[r * n_attr + t] / s);
      const auto [lo, hi] = percentile_interval(v, confidence);
      roas_lo.push_back(lo);
      roas_hi.push_back(hi);
    }
  }
  std::string no_credit_names, no_spend_names;
  for (const auto& t : spend.touchpoints)
    if (spend.spend[spend_of.at(t)] > 0 && !credited.count(t))
      no_credit_names += (no_credit_names.empty() ? "" : ",") + t;
  for (const auto& t : no_spend) no_spend_names += (no_spend_names.empty() ? "" : ",") + t;

  Table out;
  out.name = "money";
  out.add("model", std::move(model_col))
      .add("touchpoint", std::move(tp_col))
      .add("spend", std::move(spend_col))
      .add("conversions", std::move(conv_col))
      .add("value", std::move(value_col))
      .add("cost_per_conversion", std::move(cpa))
      .add("roas", std::move(roas))
      .add("conversions_per_cost", std::move(cpc))
      .add("status", std::move(status));
  if (intervals) {
    out.add("cost_per_conversion_lower", std::move(cpa_lo))
        .add("cost_per_conversion_upper", std::move(cpa_hi))
        .add("roas_lower", std::move(roas_lo))
        .add("roas_upper", std::move(roas_hi));
  }
  out.set("total_spend", spend.total())
      .set("spend_touchpoints", static_cast<std::int64_t>(spend.touchpoints.size()))
      .set("no_credit", no_credit_names)
      .set("no_spend", no_spend_names);
  if (intervals)
    out.set("confidence", confidence).set("replicates", static_cast<std::int64_t>(result.bootstrap->replicates));
  return out;
}

AttributionModel default_baseline(const std::vector<AttributionModel>& models) {
  if (models.empty()) throw InvalidArgument("the attribution has no model to compare with");
  for (AttributionModel m : models)
    if (m == AttributionModel::last_touch) return m;
  return models.front();
}

std::string default_baseline(const std::vector<std::string>& model_names) {
  std::vector<AttributionModel> models;
  models.reserve(model_names.size());
  for (const std::string& name : model_names) models.push_back(parse_model(name));
  return model_name(default_baseline(models));
}

AttributionModel default_baseline(const AttributionResult& result) {
  std::vector<AttributionModel> models;
  models.reserve(result.models.size());
  for (const ModelAttribution& m : result.models) models.push_back(m.model);
  return default_baseline(models);
}

Table comparison_table(const AttributionResult& result, AttributionModel baseline) {
  const ModelAttribution* base = result.find(baseline);
  if (!base) {
    std::string have;
    for (const auto& m : result.models) have += (have.empty() ? "" : ", ") + std::string(model_name(m.model));
    throw InvalidArgument(std::string("the baseline model '") + model_name(baseline) +
                          "' was not computed (the attribution has: " + have + "); add it to the models");
  }
  auto change = [](double x, double b) { return b != 0 ? 100.0 * (x - b) / b : kNaN; };
  std::vector<std::string> tp, model;
  std::vector<double> conv, value, bconv, bvalue, dconv, dvalue;
  for (std::size_t t = 0; t < result.touchpoints.size(); ++t)
    for (const ModelAttribution& ma : result.models) {
      if (ma.model == baseline) continue;
      tp.push_back(result.touchpoints[t]);
      model.push_back(model_name(ma.model));
      conv.push_back(ma.conversions[t]);
      value.push_back(ma.value[t]);
      bconv.push_back(base->conversions[t]);
      bvalue.push_back(base->value[t]);
      dconv.push_back(change(ma.conversions[t], base->conversions[t]));
      dvalue.push_back(change(ma.value[t], base->value[t]));
    }
  Table out;
  out.name = "model_comparison";
  out.add("touchpoint", std::move(tp))
      .add("model", std::move(model))
      .add("conversions", std::move(conv))
      .add("value", std::move(value))
      .add("baseline_conversions", std::move(bconv))
      .add("baseline_value", std::move(bvalue))
      .add("conversions_change", std::move(dconv))
      .add("value_change", std::move(dvalue));
  out.set("baseline", std::string(model_name(baseline)));
  return out;
}

}  // namespace journeygraph
