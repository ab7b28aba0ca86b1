// Per-journey credit: the rule-based shares journey by journey, the Markov totals allocated to journeys by
// iterative proportional fitting, and the calibration to external figures by the same fitting.
//
// The fitted matrix always has the form x_jt = a_j * b_t * k_jt, where k_jt is the seed (the removal
// effect of t, or the base model's credit, for the touchpoints of journey j). Given the column factors b,
// the row factor that makes journey j's row sum hold is a_j = r_j / sum_t b_t k_jt, so only b is stored
// (one double per touchpoint) and every pass reads the journeys one at a time: the memory does not grow
// with the number of journeys, and the same formula recomputes a_j when the rows are written.

#include <algorithm>
#include <cmath>
#include <memory>
#include <unordered_map>

#include "attribution/rules.hpp"
#include "common/sum.hpp"
#include "common/text.hpp"
#include "io/csv.hpp"
#include "journeygraph/credit.hpp"
#include "journeygraph/error.hpp"
#include "journeygraph/io.hpp"

namespace journeygraph {

namespace {

using detail::Share;

// Distinct touchpoints of shares, summed, in order of first appearance.
void merge(std::vector<Share>& s, std::vector<std::uint32_t>& slot, std::vector<std::uint32_t>& mark,
           std::uint32_t& clock) {
  if (++clock == 0) {
    std::fill(mark.begin(), mark.end(), 0);
    clock = 1;
  }
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const std::uint32_t t = s[i].touchpoint;
    if (mark[t] == clock) {
      s[slot[t]].share += s[i].share;
      continue;
    }
    mark[t] = clock;
    slot[t] = static_cast<std::uint32_t>(n);
    s[n++] = s[i];
  }
  s.resize(n);
}

struct Fit {
  std::vector<double> factor;  // b_t by dictionary id
  std::size_t iterations = 0;
  double max_gap = 0;  // largest |column sum - target| when the fitting stopped
  // The transfer that closes what the fitting left (see credit.hpp): each journey gives up the fraction
  // take[t] of its credit to over-credited touchpoints t (and all of a row no touchpoint of it can carry),
  // and hands what it gave up to the under-credited ones in the proportions give[t].
  bool transfer = false;
  std::vector<double> take, give;
  double moved = 0;  // credit moved by the transfer, over all journeys
};

// IPF of the matrix a_j b_t k_jt to row targets row(j) and column targets target[t] (dictionary ids), then
// the transfer when it stops short. seed(j, out) gives journey j's distinct touchpoints with k_jt > 0.
template <class Seed, class Row>
Fit fit_margins(const JourneySet& js, const Seed& seed, const Row& row, const std::vector<double>& target,
                const CreditOptions& o, const std::string& what, const Execution& exec) {
  const std::size_t nt = target.size();
  const auto& names = js.touchpoints().names();
  Fit fit;
  fit.factor.assign(nt, 0.0);
  double total = 0;
  for (std::size_t t = 0; t < nt; ++t) {
    if (target[t] > 0) fit.factor[t] = 1.0;
    total += target[t];
  }
  const double tol = o.tolerance * std::max(1.0, total);
  std::vector<Share> s;
  std::vector<detail::CompensatedSum> col(nt);
  std::vector<double> gaps;  // the gap after each pass, to notice a fit that has stalled
  double unassigned = 0;     // rows none of whose touchpoints can carry credit
  for (std::size_t it = 1;; ++it) {
    if (exec.progress && !exec.progress(double(it) / double(o.max_iterations), "credit"))
      throw Interrupted("interrupted while fitting the " + what + " credit");
    std::fill(col.begin(), col.end(), detail::CompensatedSum());
    detail::CompensatedSum lost;
    for (std::size_t j = 0; j < js.size(); ++j) {
      const double r = row(j);
      if (!(r > 0)) continue;
      seed(j, s);
      double d = 0;
      for (const auto& x : s) d += x.share * fit.factor[x.touchpoint];
      if (!(d > 0)) {
        lost.add(r);
        continue;
      }
      const double a = r / d;
      for (const auto& x : s) col[x.touchpoint].add(a * x.share * fit.factor[x.touchpoint]);
    }
    unassigned = lost.value();
    double gap = 0;
    std::size_t worst = 0;
    for (std::size_t t = 0; t < nt; ++t) {
      const double g = std::abs(col[t].value() - target[t]);
      if (g > gap) gap = g, worst = t;
    }
    fit.iterations = it;
    fit.max_gap = gap;
    gaps.push_back(gap);
    if (gap <= tol && unassigned == 0) return fit;
    // Stop when the passes run out or no longer halve the gap every kStall passes (a zero pattern that
    // admits the margins only in the limit, or not at all): the transfer closes the rest exactly.
    constexpr std::size_t kStall = 50;
    const bool stalled = it > kStall && gap > 0.5 * gaps[it - 1 - kStall];
    if (it >= o.max_iterations || stalled) {
      if (!o.transfer)
        throw DataError("the " + what + " credit of touchpoint " + detail::show(names[worst]) + " is " +
                        detail::format_double(target[worst]) + " but the journeys that have it give it " +
                        detail::format_double(col[worst].value()) + " after " + std::to_string(it) +
                        " passes of proportional fitting: no allocation within the journeys' own touchpoints holds "
                        "both margins (allow the transfer, CreditOptions::transfer)");
      break;
    }
    for (std::size_t t = 0; t < nt; ++t) {
      const double c = col[t].value();
      if (target[t] > 0 && c > 0) fit.factor[t] *= target[t] / c;
    }
  }
  // The transfer: D_t = target - column sum; over-credited touchpoints give up the fraction -D_t / sum of
  // their credit in every journey, under-credited ones receive D_t / U of what each journey gave up (U the
  // total under-credit, equal to what is given up plus the rows that could not be placed), so both margins
  // hold exactly and no credit is negative.
  fit.transfer = true;
  fit.take.assign(nt, 0.0);
  fit.give.assign(nt, 0.0);
  double under = 0;
  for (std::size_t t = 0; t < nt; ++t) {
    const double c = col[t].value(), d = target[t] - c;
    if (d < 0 && c > 0) fit.take[t] = std::min(1.0, -d / c);
    if (d > 0) under += d;
  }
  if (under > 0)
    for (std::size_t t = 0; t < nt; ++t) {
      const double d = target[t] - col[t].value();
      if (d > 0) fit.give[t] = d / under;
    }
  fit.moved = under;
  return fit;
}

// Journey j's credit under a fit: x_t = a_j b_t k_t on the seed's touchpoints, then the fit's transfer.
// out holds the seed on entry and the credit on return (touchpoints outside the seed appended).
void place(const Fit& fit, double r, std::vector<Share>& out) {
  double d = 0;
  for (const auto& x : out) d += x.share * fit.factor[x.touchpoint];
  double freed = 0;
  if (d > 0) {
    const double a = r / d;
    for (auto& x : out) x.share = a * x.share * fit.factor[x.touchpoint];
  } else {
    for (auto& x : out) x.share = 0;
    freed = r;
  }
  if (!fit.transfer) return;
  for (auto& x : out) {
    const double given = x.share * fit.take[x.touchpoint];
    x.share -= given;
    freed += given;
  }
  if (!(freed > 0)) return;
  for (std::uint32_t t = 0; t < fit.give.size(); ++t) {
    if (!(fit.give[t] > 0)) continue;
    bool found = false;
    for (auto& x : out)
      if (x.touchpoint == t) {
        x.share += freed * fit.give[t];
        found = true;
        break;
      }
    if (!found) out.push_back({t, freed * fit.give[t]});
  }
}

// Everything the rows need, computed before the first row is written.
struct Plan {
  const JourneySet& js;
  std::vector<AttributionModel> models;
  std::vector<std::unique_ptr<detail::CreditRule>> rules;  // by model; null for markov
  std::vector<double> re, re_value;                        // by dictionary id
  Fit conv_fit, value_fit;                                 // markov
  bool markov = false;
  bool calibrated = false;
  AttributionModel cal_model = AttributionModel::markov;
  std::unique_ptr<detail::CreditRule> cal_rule;  // null when the calibrated model is markov
  Fit cal;
  double cal_scale = 0;  // external total / observed total
  std::vector<std::uint32_t> slot, mark;
  std::uint32_t clock = 0;
  std::vector<Share> scratch;

  explicit Plan(const JourneySet& j) : js(j) {}

  // Shares of one conversion of journey j under a rule, distinct touchpoints.
  void rule_shares(const detail::CreditRule& rule, std::size_t j, std::vector<Share>& out) {
    rule.shares(js.path(j), js.times(j), out);
    merge(out, slot, mark, clock);
  }
  // Markov seeds: the journey's distinct touchpoints with weights w[t] (those with w[t] > 0).
  void markov_seed(const std::vector<double>& w, std::size_t j, std::vector<Share>& out) {
    out.clear();
    for (std::uint32_t t : js.path(j))
      if (w[t] > 0) out.push_back({t, w[t]});
    merge(out, slot, mark, clock);
  }
  // Journey j's credit under model m as (touchpoint, conversions, value), distinct touchpoints.
  void credit(AttributionModel m, const detail::CreditRule* rule, std::size_t j, std::vector<Share>& conv,
              std::vector<double>& value) {
    const double c = js.conversions(j), v = js.value(j);
    value.clear();
    if (m != AttributionModel::markov) {
      rule_shares(*rule, j, conv);
      for (auto& x : conv) {
        value.push_back(v * x.share);
        x.share *= c;
      }
      return;
    }
    markov_seed(re, j, conv);
    place(conv_fit, c, conv);
    std::vector<Share> vs;
    if (v > 0) {
      markov_seed(re_value, j, vs);
      place(value_fit, v, vs);
    }
    // Value credit by the conversions' touchpoints (a touchpoint with value credit but no conversions credit
    // cannot occur: both need a removal effect > 0 and both seeds list the same journey touchpoints).
    for (auto& x : conv) {
      double y = 0;
      for (const auto& z : vs)
        if (z.touchpoint == x.touchpoint) y = z.share;
      value.push_back(y);
    }
    for (const auto& z : vs) {
      bool found = false;
      for (const auto& x : conv) found = found || x.touchpoint == z.touchpoint;
      if (!found) {
        conv.push_back({z.touchpoint, 0.0});
        value.push_back(z.share);
      }
    }
  }
  // x_jt = a_j b_t k_t with a_j making the row sum r.
  // The base model's conversions credit of journey j (the calibration's seed).
  void base_credit(std::size_t j, std::vector<Share>& out) {
    if (cal_rule) {
      rule_shares(*cal_rule, j, out);
      for (auto& x : out) x.share *= js.conversions(j);
    } else {
      markov_seed(re, j, out);
      place(conv_fit, js.conversions(j), out);
    }
    out.erase(std::remove_if(out.begin(), out.end(), [](const Share& x) { return !(x.share > 0); }), out.end());
  }
};

std::vector<AttributionModel> unique_models(const std::vector<AttributionModel>& in) {
  std::vector<AttributionModel> out;
  for (AttributionModel m : in)
    if (std::find(out.begin(), out.end(), m) == out.end()) out.push_back(m);
  return out;
}

void validate(const CreditOptions& o) {
  if (o.max_iterations < 1) throw InvalidArgument("max_iterations must be at least 1, got 0");
  if (!(o.tolerance > 0 && o.tolerance <= 1e-6))
    throw InvalidArgument("tolerance must be in (0, 1e-6], got " + detail::format_double(o.tolerance));
  if (o.attribution.models.empty()) throw InvalidArgument("no attribution model requested");
}

// External figures by dictionary id, NaN for a touchpoint not listed; throws for an unknown touchpoint or a
// bad number.
std::vector<double> external_by_id(const JourneySet& js, const Calibration& c) {
  if (c.touchpoints.size() != c.conversions.size())
    throw InvalidArgument("calibration: " + std::to_string(c.touchpoints.size()) + " touchpoints but " +
                          std::to_string(c.conversions.size()) + " figures");
  std::vector<double> out(js.touchpoints().size(), std::nan(""));
  std::vector<std::uint8_t> seen(out.size(), 0);
  for (std::size_t i = 0; i < c.touchpoints.size(); ++i) {
    const auto id = js.touchpoints().find(c.touchpoints[i]);
    if (!id)
      throw InvalidArgument("calibration: touchpoint " + detail::show(c.touchpoints[i]) +
                            " is not a touchpoint of the journeys");
    if (seen[*id])
      throw InvalidArgument("calibration: touchpoint " + detail::show(c.touchpoints[i]) + " is listed twice");
    seen[*id] = 1;
    const double x = c.conversions[i];
    if (!std::isfinite(x) || x < 0)
      throw InvalidArgument("calibration: touchpoint " + detail::show(c.touchpoints[i]) +
                            " has incremental conversions " + detail::format_double(x) +
                            " (they must be finite and >= 0)");
    out[*id] = x;
  }
  return out;
}

// A model's conversions credit per touchpoint, by dictionary id.
std::vector<double> model_totals(const JourneySet& js, AttributionModel m, const AttributionOptions& options,
                                 const Execution& exec) {
  AttributionOptions ao = options;
  ao.models = {m};
  ao.bootstrap = BootstrapOptions{};
  const AttributionResult r = attribute(js, ao, exec);
  const auto rank = detail::sorted_rank(js);
  std::vector<double> out(rank.size());
  for (std::size_t t = 0; t < rank.size(); ++t) out[t] = r.models[0].conversions[rank[t]];
  return out;
}

std::unique_ptr<Plan> make_plan(const JourneySet& js, const CreditOptions& o, const Execution& exec) {
  validate(o);
  if (js.size() == 0) throw DataError("no journeys to credit");
  if (!(js.total_conversions() > 0)) throw DataError("the journeys have no conversions: nothing to credit");
  auto plan = std::make_unique<Plan>(js);
  Plan& p = *plan;
  const std::size_t nt = js.touchpoints().size();
  p.slot.assign(nt, 0);
  p.mark.assign(nt, 0);
  p.models = unique_models(o.attribution.models);
  const bool cal = o.calibration.has_value();
  const bool need_markov =
      std::find(p.models.begin(), p.models.end(), AttributionModel::markov) != p.models.end() ||
      (cal && o.calibration->model == AttributionModel::markov);
  for (AttributionModel m : p.models)
    p.rules.push_back(m == AttributionModel::markov ? nullptr
                                                    : std::make_unique<detail::CreditRule>(m, o.attribution, js));
  if (need_markov) {
    AttributionOptions ao = o.attribution;
    ao.models = {AttributionModel::markov};
    ao.bootstrap = BootstrapOptions{};
    const AttributionResult r = attribute(js, ao, exec);
    const auto rank = detail::sorted_rank(js);
    std::vector<double> m_conv(nt), m_value(nt);
    p.re.assign(nt, 0.0);
    p.re_value.assign(nt, 0.0);
    for (std::size_t t = 0; t < nt; ++t) {
      p.re[t] = r.markov->removal_effect[rank[t]];
      p.re_value[t] = r.markov->removal_effect_value[rank[t]];
      m_conv[t] = r.models[0].conversions[rank[t]];
      m_value[t] = r.models[0].value[rank[t]];
    }
    p.conv_fit = fit_margins(
        js, [&](std::size_t j, std::vector<Share>& out) { p.markov_seed(p.re, j, out); },
        [&](std::size_t j) { return js.conversions(j); }, m_conv, o, "Markov conversions", exec);
    if (js.total_value() > 0)
      p.value_fit = fit_margins(
          js, [&](std::size_t j, std::vector<Share>& out) { p.markov_seed(p.re_value, j, out); },
          [&](std::size_t j) { return js.value(j); }, m_value, o, "Markov value", exec);
    else
      p.value_fit.factor.assign(nt, 0.0);
    p.markov = true;
  }
  if (cal) {
    std::vector<double> ext = external_by_id(js, *o.calibration);
    p.calibrated = true;
    p.cal_model = o.calibration->model;
    if (p.cal_model != AttributionModel::markov)
      p.cal_rule = std::make_unique<detail::CreditRule>(p.cal_model, o.attribution, js);
    // A touchpoint without an external figure keeps the model's credit.
    const std::vector<double> base = model_totals(js, p.cal_model, o.attribution, exec);
    double e = 0;
    for (std::size_t t = 0; t < nt; ++t) {
      if (std::isnan(ext[t])) ext[t] = base[t];
      e += ext[t];
    }
    if (!(e > 0)) throw InvalidArgument("calibration: the external incremental conversions sum to 0");
    p.cal_scale = e / js.total_conversions();
    p.cal = fit_margins(
        js, [&](std::size_t j, std::vector<Share>& out) { p.base_credit(j, out); },
        [&](std::size_t j) { return js.conversions(j) * p.cal_scale; }, ext, o, "external (calibration)", exec);
  }
  return plan;
}

// The rows of one chunk of journeys, as table columns (the journeys named by their row, keyed on output).
struct Rows {
  std::vector<std::size_t> row;
  std::vector<std::int64_t> part;
  std::vector<std::string> model, touchpoint;
  std::vector<double> conversions, value;
  std::vector<std::uint8_t> in_journey;
  std::size_t size() const { return part.size(); }
  void clear() {
    row.clear();
    part.clear();
    model.clear();
    touchpoint.clear();
    conversions.clear();
    value.clear();
    in_journey.clear();
  }
  Table table(const JourneySet& js) {
    Table t;
    t.name = "journey_credit";
    add_journey_key_columns(t, js, row, std::move(part));
    t.add("model", std::move(model)).add("touchpoint", std::move(touchpoint));
    t.add("conversions", std::move(conversions)).add("value", std::move(value));
    t.add("in_journey", BoolColumn{std::move(in_journey)});
    return t;
  }
};

// Calls flush(rows) whenever rows holds at least chunk rows, and once at the end.
template <class Flush>
void emit(Plan& p, std::size_t chunk, const Execution& exec, Flush&& flush) {
  const JourneySet& js = p.js;
  Rows rows;
  const auto& names = js.touchpoints().names();
  std::vector<Share> conv;
  std::vector<double> value;
  std::vector<std::uint32_t> seen(names.size(), 0);  // seen[t] == j + 1: t is a touchpoint of journey j
  std::int64_t part = 0;
  for (std::size_t j = 0; j < js.size(); ++j) {
    part = (j > 0 && same_key(js, j, j - 1)) ? part + 1 : 1;
    if (!(js.conversions(j) > 0)) continue;
    if (exec.progress && (j & 0xFFFF) == 0 && !exec.progress(double(j) / double(js.size()), "credit"))
      throw Interrupted("interrupted while writing the per-journey credit");
    for (std::uint32_t t : js.path(j)) seen[t] = static_cast<std::uint32_t>(j + 1);
    auto add_rows = [&](const char* model) {
      for (std::size_t i = 0; i < conv.size(); ++i) {
        if (conv[i].share == 0 && value[i] == 0) continue;
        rows.row.push_back(j);
        rows.part.push_back(part);
        rows.model.emplace_back(model);
        rows.touchpoint.push_back(names[conv[i].touchpoint]);
        rows.conversions.push_back(conv[i].share);
        rows.value.push_back(value[i]);
        rows.in_journey.push_back(seen[conv[i].touchpoint] == j + 1 ? 1 : 0);
      }
    };
    for (std::size_t m = 0; m < p.models.size(); ++m) {
      p.credit(p.models[m], p.rules[m].get(), j, conv, value);
      add_rows(model_name(p.models[m]));
    }
    if (p.calibrated) {
      p.base_credit(j, conv);
      place(p.cal, js.conversions(j) * p.cal_scale, conv);
      value.clear();
      const double per = js.value(j) / js.conversions(j);
      for (const auto& x : conv) value.push_back(x.share * per);
      add_rows("calibrated");
    }
    if (rows.size() >= chunk) {
      flush(rows);
      rows.clear();
    }
  }
  flush(rows);
}

void set_meta(Table& t, const Plan& p) {
  std::string models;
  for (AttributionModel m : p.models) models += (models.empty() ? "" : ",") + std::string(model_name(m));
  if (p.calibrated) models += ",calibrated";
  t.set("models", models).set("total_conversions", p.js.total_conversions()).set("total_value", p.js.total_value());
  if (p.markov)
    t.set("markov_iterations", std::int64_t(std::max(p.conv_fit.iterations, p.value_fit.iterations)))
        .set("markov_max_gap", std::max(p.conv_fit.max_gap, p.value_fit.max_gap))
        .set("markov_moved", p.conv_fit.moved)
        .set("markov_value_moved", p.value_fit.moved);
  if (p.calibrated)
    t.set("calibration_iterations", std::int64_t(p.cal.iterations))
        .set("calibration_max_gap", p.cal.max_gap)
        .set("calibration_moved", p.cal.moved);
}

}  // namespace

bool same_key(const JourneySet& js, std::size_t a, std::size_t b) {
  switch (js.key_kind()) {
    case KeyKind::integer: return js.key_integer(a) == js.key_integer(b);
    case KeyKind::text: return js.key_text(a) == js.key_text(b);
    case KeyKind::none: break;
  }
  return false;
}

std::vector<std::int64_t> journey_parts(const JourneySet& js) {
  std::vector<std::int64_t> part(js.size(), 1);
  for (std::size_t j = 1; j < js.size(); ++j)
    if (same_key(js, j, j - 1)) part[j] = part[j - 1] + 1;
  return part;
}

Table& add_journey_key_columns(Table& t, const JourneySet& js, const std::vector<std::size_t>& rows,
                               std::vector<std::int64_t> parts) {
  if (js.key_kind() == KeyKind::text) {
    std::vector<std::string> key;
    key.reserve(rows.size());
    for (std::size_t j : rows) key.emplace_back(js.key_text(j));
    t.add("journey", std::move(key));
  } else {
    std::vector<std::int64_t> key;
    key.reserve(rows.size());
    for (std::size_t j : rows)
      key.push_back(js.key_kind() == KeyKind::integer ? js.key_integer(j) : static_cast<std::int64_t>(j));
    t.add("journey", std::move(key));
  }
  return t.add("part", std::move(parts));
}

Table journey_credit(const JourneySet& js, const CreditOptions& o, const Execution& exec) {
  auto plan = make_plan(js, o, exec);
  Rows all;
  emit(*plan, std::size_t(-1), exec, [&](Rows& r) { all = std::move(r); });
  Table t = all.table(js);
  set_meta(t, *plan);
  return t;
}

void write_journey_credit_csv(const JourneySet& js, const std::string& file, const CreditOptions& o,
                              const CsvOptions& csv, const Execution& exec) {
  auto plan = make_plan(js, o, exec);
  TextFileWriter out(file);
  bool header = true;
  emit(*plan, 4096, exec, [&](Rows& r) {
    // One formatter for every CSV the library writes: each chunk goes through to_csv, its header kept once.
    const std::string text = to_csv(r.table(js), csv);
    out.write(header ? std::string_view(text) : std::string_view(text).substr(text.find('\n') + 1));
    header = false;
  });
  out.commit();
}

Table calibration_table(const JourneySet& js, const CreditOptions& o, const Execution& exec) {
  validate(o);
  if (!o.calibration) throw InvalidArgument("calibration_table needs CreditOptions::calibration");
  const std::vector<double> ext_id = external_by_id(js, *o.calibration);
  AttributionOptions ao = o.attribution;
  ao.models = {o.calibration->model};
  ao.bootstrap = BootstrapOptions{};
  const AttributionResult r = attribute(js, ao, exec);
  const auto rank = detail::sorted_rank(js);
  const std::size_t nt = r.touchpoints.size();
  std::vector<double> ext(nt), diff(nt), ratio(nt);
  double model_total = 0, ext_total = 0;
  for (std::size_t t = 0; t < nt; ++t) ext[rank[t]] = ext_id[t];
  const auto& model = r.models[0].conversions;
  for (std::size_t i = 0; i < nt; ++i) {
    diff[i] = model[i] - ext[i];  // NaN for a touchpoint without an external figure
    ratio[i] = ext[i] > 0 ? model[i] / ext[i] : std::nan("");
    model_total += model[i];
    if (!std::isnan(ext[i])) ext_total += ext[i];
  }
  Table t;
  t.name = "calibration";
  t.set("model", std::string(model_name(o.calibration->model)))
      .set("model_total", model_total)
      .set("external_total", ext_total);
  t.add("touchpoint", r.touchpoints).add("model_conversions", model).add("external_conversions", ext);
  t.add("difference", diff).add("ratio", ratio);
  return t;
}

Calibration read_calibration_csv(const std::string& file) {
  detail::CsvReader r(file, CsvFormat{});
  if (!r.next()) throw ParseError(file, 1, 0, "", "", "empty file: expected a header with touchpoint and conversions");
  std::size_t ct = std::size_t(-1), cc = std::size_t(-1);
  for (std::size_t i = 0; i < r.size(); ++i) {
    if (r.field(i) == "touchpoint") ct = i;
    if (r.field(i) == "conversions") cc = i;
  }
  if (ct == std::size_t(-1) || cc == std::size_t(-1))
    throw ParseError(file, r.line(), 0, "", "",
                     "the header needs the columns touchpoint and conversions (external incremental conversions "
                     "per touchpoint)");
  Calibration c;
  std::unordered_map<std::string, std::uint64_t> seen;
  while (r.next()) {
    if (r.size() <= std::max(ct, cc)) r.fail(r.size() ? r.size() - 1 : 0, "", "too few fields");
    const std::string name(r.field(ct));
    if (name.empty()) r.fail(ct, "touchpoint", "empty touchpoint name");
    if (!seen.emplace(name, r.line()).second)
      r.fail(ct, "touchpoint",
             "touchpoint " + detail::show(name) + " is listed twice (first on line " + std::to_string(seen[name]) +
                 ")");
    const auto x = detail::parse_double(r.field(cc));
    if (!x || *x < 0)
      r.fail(cc, "conversions",
             "expected incremental conversions as a finite number >= 0, got " + detail::show(r.field(cc)));
    c.touchpoints.push_back(name);
    c.conversions.push_back(*x);
  }
  return c;
}

}  // namespace journeygraph
