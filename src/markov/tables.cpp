// The result tables of the chain: transitions, transition counts, chain analysis and order choice; and the
// names of the self-loop rules.

#include <type_traits>
#include <utility>

#include "common/names.hpp"
#include "journeygraph/analysis.hpp"
#include "journeygraph/markov.hpp"

namespace journeygraph {

const char* self_loops_name(SelfLoops self_loops) noexcept {
  return self_loops == SelfLoops::keep ? "keep" : "drop";
}

SelfLoops parse_self_loops(std::string_view name) {
  static constexpr SelfLoops kAll[] = {SelfLoops::drop, SelfLoops::keep};
  return detail::parse_name(name, kAll, self_loops_name, "self-loop rule");
}

Table transition_table(const MarkovModel& m) {
  std::vector<std::string> from, to;
  std::vector<double> count, probability;
  for (Transition& x : m.transitions()) {
    from.push_back(std::move(x.from));
    to.push_back(std::move(x.to));
    count.push_back(x.count);
    probability.push_back(x.probability);
  }
  Table t;
  t.name = "transitions";
  t.set("order", std::int64_t(m.order())).set("states", std::int64_t(m.n_states()));
  t.set("conversion_probability", m.conversion_probability()).set("smoothing", m.smoothing());
  t.set("self_loops", self_loops_name(m.self_loops()));
  t.add("from", std::move(from)).add("to", std::move(to)).add("count", std::move(count));
  t.add("probability", std::move(probability));
  return t;
}

Table count_table(const TransitionCounts& c) {
  auto label = [&](std::uint32_t s) {
    if (s == TransitionCounts::kStart) return std::string("(start)");
    std::string out;
    const auto tokens = c.state(s);
    for (std::size_t a = 0; a < tokens.size(); ++a) out += (a ? " > " : "") + c.touchpoints()[tokens[a]];
    return out;
  };
  std::vector<std::string> from, to;
  std::vector<double> count;
  for (const auto& e : c.edges()) {
    from.push_back(label(e.from));
    to.push_back(label(e.to));
    count.push_back(e.count);
  }
  for (std::size_t s = 0; s < c.n_states(); ++s)
    for (const auto& [end, weight] : {std::pair<const char*, double>{"(conversion)", c.state_conversions(s)},
                                      std::pair<const char*, double>{"(null)", c.state_nulls(s)}})
      if (weight != 0) {
        from.push_back(label(static_cast<std::uint32_t>(s)));
        to.emplace_back(end);
        count.push_back(weight);
      }
  Table t;
  t.name = "transition_counts";
  t.set("order", std::int64_t(c.order())).set("self_loops", self_loops_name(c.self_loops()));
  t.set("journeys", c.journeys()).set("total_conversions", c.total_conversions()).set("total_nulls", c.total_nulls());
  t.set("total_value", c.total_value()).set("rows", std::int64_t(c.rows()));
  t.set("zero_weight_journeys", std::int64_t(c.zero_weight_journeys()));
  t.add("from", std::move(from)).add("to", std::move(to)).add("count", std::move(count));
  return t;
}

Table chain_table(const ChainAnalysis& a) {
  Table t;
  t.name = "chain_analysis";
  t.set("expected_touches", a.expected_touches).set("max_residual", a.max_residual);
  t.add("state", a.states)
      .add("conversion_probability", a.conversion_probability)
      .add("expected_value", a.expected_value)
      .add("touches_to_go", a.touches_to_go)
      .add("expected_visits", a.expected_visits);
  return t;
}

Table touchpoint_visit_table(const ChainAnalysis& a) {
  Table t;
  t.name = "touchpoint_visits";
  t.add("touchpoint", a.touchpoints).add("expected_visits", a.touchpoint_visits);
  return t;
}

Table order_table(const OrderChoice& c, const OrderChoiceOptions& o) {
  Table t;
  t.name = "order_choice";
  t.set("recommended_order", std::int64_t(c.recommended_order)).set("rule", c.rule);
  t.set("best_order", std::int64_t(c.best_order)).set("max_order", std::int64_t(o.max_order));
  t.set("holdout", o.holdout).set("seed", std::int64_t(o.seed)).set("smoothing", o.smoothing);
  t.set("self_loops", self_loops_name(o.self_loops)).set("floor", o.floor);
  // One line per column: (name, field).
  auto column = [&](const char* name, auto field) {
    using V = std::decay_t<decltype(c.scores[0].*field)>;
    std::vector<std::conditional_t<std::is_floating_point_v<V>, double, std::int64_t>> v;
    for (const OrderScore& s : c.scores) v.push_back(s.*field);
    t.add(name, std::move(v));
  };
  column("order", &OrderScore::order);
  column("states", &OrderScore::states);
  column("parameters", &OrderScore::parameters);
  column("observations", &OrderScore::observations);
  column("log_likelihood", &OrderScore::log_likelihood);
  column("aic", &OrderScore::aic);
  column("bic", &OrderScore::bic);
  column("heldout_log_likelihood", &OrderScore::heldout_log_likelihood);
  column("heldout_difference_se", &OrderScore::heldout_difference_se);
  column("heldout_events", &OrderScore::heldout_events);
  column("heldout_journeys", &OrderScore::heldout_journeys);
  column("unseen", &OrderScore::unseen);
  column("floored", &OrderScore::floored);
  column("auc", &OrderScore::auc);
  column("log_loss", &OrderScore::log_loss);
  return t;
}

}  // namespace journeygraph
