// Removal effects of touchpoint sequences: the fitted chain with the transitions that complete a sequence
// redirected to NULL, solved again by the chain solver.

#include <algorithm>
#include <unordered_map>

#include "common/sequence_index.hpp"
#include "common/sum.hpp"
#include "common/text.hpp"
#include "journeygraph/credit.hpp"
#include "journeygraph/error.hpp"
#include "markov/solver.hpp"

namespace journeygraph {

std::vector<std::vector<std::string>> parse_sequences(std::string_view text) {
  std::vector<std::vector<std::string>> out;
  std::size_t pos = 0;
  auto fail = [&](std::size_t at, const std::string& why) {
    throw InvalidArgument("sequences " + detail::show(text) + ": " + why + " at character " + std::to_string(at + 1) +
                          " (write them as \"a>b,c>d\")");
  };
  while (pos <= text.size()) {
    std::size_t end = text.find(',', pos);
    if (end == std::string_view::npos) end = text.size();
    std::vector<std::string> seq;
    std::size_t p = pos;
    while (p <= end) {
      std::size_t q = text.find('>', p);
      if (q == std::string_view::npos || q > end) q = end;
      const std::string_view name = detail::trim(text.substr(p, q - p));
      if (name.empty()) fail(p, "empty touchpoint name");
      seq.emplace_back(name);
      p = q + 1;
    }
    out.push_back(std::move(seq));
    pos = end + 1;
  }
  return out;
}

namespace {

std::string join(const std::vector<std::string>& seq) {
  std::string s;
  for (const auto& t : seq) s += (s.empty() ? "" : " > ") + t;
  return s;
}

}  // namespace

Table sequence_removal_effects(const JourneySet& js, const SequenceOptions& o, const Execution& exec) {
  if (o.top_n > 0 && o.top_length < 1) throw InvalidArgument("top_length must be at least 1, got 0");
  const MarkovModel model = MarkovModel::fit(js, o.markov, exec);
  const double p_full = model.conversion_probability();
  if (!(p_full > 0)) throw DataError("the model has no conversions (P(conversion) = 0): removal effects are undefined");
  const double v_full = model.expected_value();
  const auto& tps = model.touchpoints();
  std::unordered_map<std::string, std::uint32_t> model_id;
  for (std::uint32_t i = 0; i < tps.size(); ++i) model_id.emplace(tps[i], i);

  // The sequences: named ones, then the most frequent observed ones not named already.
  std::vector<std::vector<std::string>> seqs;
  auto known = [&](const std::vector<std::string>& s) { return std::find(seqs.begin(), seqs.end(), s) != seqs.end(); };
  for (const auto& s : o.sequences) {
    if (s.empty()) throw InvalidArgument("an empty sequence (give at least one touchpoint)");
    for (const auto& name : s)
      if (!js.touchpoints().find(name))
        throw InvalidArgument("sequence " + detail::show(join(s)) + ": unknown touchpoint " + detail::show(name));
    if (!known(s)) seqs.push_back(s);
  }
  // Weighted occurrences of every sequence of top_length consecutive touches (dictionary ids).
  const auto& names = js.touchpoints().names();
  if (o.top_n > 0) {
    detail::SequenceIndex grams;
    std::vector<double> weight;
    for (std::size_t j = 0; j < js.size(); ++j) {
      const auto p = js.path(j);
      for (std::size_t i = 0; i + o.top_length <= p.size(); ++i) {
        const std::uint32_t id = grams.intern(p.data() + i, o.top_length);
        if (id == weight.size()) weight.push_back(0.0);
        weight[id] += js.weight(j);
      }
    }
    std::vector<std::pair<double, std::vector<std::string>>> ranked;
    for (std::uint32_t id = 0; id < grams.size(); ++id) {
      std::vector<std::string> s;
      for (std::uint32_t t : grams.sequence(id)) s.push_back(names[t]);
      ranked.emplace_back(weight[id], std::move(s));
    }
    std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    std::size_t taken = 0;
    for (auto& r : ranked) {
      if (taken == o.top_n) break;
      if (known(r.second)) continue;
      seqs.push_back(std::move(r.second));
      ++taken;
    }
  }

  const std::size_t n = model.n_states();
  const auto& row = model.row_offsets();
  const auto& col = model.columns();
  const auto& prob = model.probabilities();
  const auto& vpc = model.value_per_conversion();
  const auto& p_conv = model.chain().p_conversion;
  const std::uint32_t null_column = static_cast<std::uint32_t>(n + 1);

  std::vector<std::string> label;
  std::vector<std::int64_t> length;
  std::vector<double> occurrences, re, re_value, p_without;
  double max_residual = model.solve_residual();
  std::vector<std::uint32_t> ids, hist;
  std::vector<double> x;
  for (const auto& s : seqs) {
    const std::size_t L = s.size();
    if (L > std::size_t(model.order()) + 1)
      throw InvalidArgument("sequence " + detail::show(join(s)) + " has " + std::to_string(L) +
                            " touchpoints, but a chain of order " + std::to_string(model.order()) +
                            " remembers only " + std::to_string(model.order()) +
                            " of them: fit with order >= " + std::to_string(L - 1));
    // Occurrences in the journeys (dictionary ids).
    ids.clear();
    for (const auto& name : s) ids.push_back(*js.touchpoints().find(name));
    detail::CompensatedSum occ;
    for (std::size_t j = 0; j < js.size(); ++j) {
      const auto p = js.path(j);
      for (std::size_t i = 0; i + L <= p.size(); ++i)
        if (std::equal(ids.begin(), ids.end(), p.data() + i)) occ.add(js.weight(j));
    }
    // The sequence in model ids; a touchpoint the chain does not know (only in zero-weight journeys)
    // cannot be completed: nothing changes.
    bool in_model = true;
    ids.clear();
    for (const auto& name : s) {
      auto it = model_id.find(name);
      if (it == model_id.end()) in_model = false;
      else ids.push_back(it->second);
    }
    std::vector<std::uint32_t> edited(col.begin(), col.end());
    std::size_t cut = 0;
    if (in_model) {
      for (std::size_t from = 0; from < n; ++from) {
        // The history at state `from`: its tokens (START has none), oldest first.
        hist.clear();
        if (from > 0)
          for (std::uint32_t t : model.state_tokens(from)) hist.push_back(t);
        if (hist.size() + 1 < L) continue;  // a history shorter than the sequence (near START) cannot complete it
        if (!std::equal(ids.begin(), ids.end() - 1, hist.end() - static_cast<std::ptrdiff_t>(L - 1))) continue;
        for (std::uint64_t e = row[from]; e < row[from + 1]; ++e) {
          const std::uint32_t to = col[e];
          if (to >= n) continue;  // CONVERSION or NULL
          if (model.state_tokens(to).back() != ids.back()) continue;
          edited[e] = null_column;
          ++cut;
        }
      }
    }
    double p_new = p_full, v_new = v_full;
    if (cut > 0) {
      const detail::ChainSolver solver(n, row.data(), edited.data(), prob.data());
      detail::SolveStats stats;
      solver.visits(nullptr, x, &stats);
      max_residual = std::max(max_residual, std::max(stats.max_residual, solver.full_stats().max_residual));
      detail::CompensatedSum pc, pv;
      for (std::size_t i = 0; i < n; ++i) {
        pc.add(x[i] * p_conv[i]);
        pv.add(x[i] * p_conv[i] * vpc[i]);
      }
      p_new = pc.value();
      v_new = pv.value();
    }
    label.push_back(join(s));
    length.push_back(std::int64_t(L));
    occurrences.push_back(occ.value());
    p_without.push_back(std::clamp(p_new, 0.0, 1.0));
    re.push_back(std::clamp(1.0 - p_new / p_full, 0.0, 1.0));
    re_value.push_back(v_full > 0 ? std::clamp(1.0 - v_new / v_full, 0.0, 1.0) : 0.0);
  }
  Table t;
  t.name = "sequence_removal_effects";
  t.set("order", std::int64_t(model.order()))
      .set("conversion_probability", p_full)
      .set("expected_value", v_full)
      .set("max_residual", max_residual);
  t.add("sequence", std::move(label)).add("length", std::move(length)).add("occurrences", std::move(occurrences));
  t.add("removal_effect", std::move(re)).add("removal_effect_value", std::move(re_value));
  t.add("conversion_probability_without", std::move(p_without));
  return t;
}

}  // namespace journeygraph
