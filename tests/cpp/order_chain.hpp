#pragma once
// A random sparse Markov chain of a known order k over touchpoints, and journeys drawn from it: the truth an
// order choice must recover. Shared by the order-choice test and benchmarks/order_study.cpp.
//
// Construction. Touchpoints 0..T-1. A history is the last k touches of a journey, padded on the left with a
// START symbol while fewer than k touches have happened, so there are 1 + T + ... + T^k histories (the
// journey's first k - 1 touches depend on its whole beginning, as START -> first state does in a chain of
// order k). For every history, independently:
//   - its successors: `fanout` distinct touchpoints drawn uniformly without replacement, with weights
//     w = (u1, ..., u_fanout) / sum, u_i uniform in (0, 1];
//   - its ending probability e, uniform in [end_low, end_high] (0 for the empty history: a journey has at
//     least one touch), and the conversion share q of an ending, uniform in [conversion_low, conversion_high].
// After history h the next event is touchpoint x with probability (1 - e) w_x, a conversion with e q and a
// null with e (1 - q). With the defaults a journey has about 1 / 0.1 = 10 touches on average. Because every
// history draws its own successors, the event after (a, h') depends on a for every shorter history h': the
// chain is of order exactly k, not less. A journey still going after max_touches touches ends as a null (with
// the defaults this has probability below 0.95^1000).

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "journeygraph/journeys.hpp"

namespace journeygraph::testing {

struct OrderChainOptions {
  unsigned order = 1;
  unsigned touchpoints = 8;
  unsigned fanout = 3;
  double end_low = 0.06, end_high = 0.14;
  double conversion_low = 0.1, conversion_high = 0.5;
  std::size_t max_touches = 1000;
};

class OrderChain {
 public:
  OrderChain(const OrderChainOptions& o, std::uint64_t seed) : o_(o) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::size_t histories = 0;
    for (std::size_t j = 0, p = 1; j <= o.order; ++j, p *= o.touchpoints) histories += p;
    next_.resize(histories);
    for (std::size_t h = 0; h < histories; ++h) {
      Row& r = next_[h];
      std::vector<std::uint32_t> all(o.touchpoints);
      for (std::uint32_t t = 0; t < o.touchpoints; ++t) all[t] = t;
      double sum = 0;
      for (unsigned i = 0; i < o.fanout; ++i) {
        const std::size_t pick = i + std::size_t(rng() % (o.touchpoints - i));
        std::swap(all[i], all[pick]);
        r.successors.push_back(all[i]);
        r.weights.push_back(1.0 - u(rng));
        sum += r.weights.back();
      }
      for (double& w : r.weights) w /= sum;
      r.end = h == 0 ? 0.0 : o.end_low + (o.end_high - o.end_low) * u(rng);
      r.conversion = o.conversion_low + (o.conversion_high - o.conversion_low) * u(rng);
    }
  }

  std::size_t histories() const { return next_.size(); }

  // Journeys drawn from the chain, one row each (1 conversion or 1 null), touchpoints named t0, t1, ...
  JourneySet sample(std::size_t journeys, std::uint64_t seed) const {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    JourneySetBuilder b;
    std::vector<std::string> names;
    for (unsigned t = 0; t < o_.touchpoints; ++t) names.push_back("t" + std::to_string(t));
    b.set_touchpoints(Dictionary(names));
    std::vector<std::uint32_t> path;
    for (std::size_t j = 0; j < journeys; ++j) {
      path.clear();
      bool converted = false;
      while (true) {
        const Row& r = next_[history(path)];
        const double x = u(rng);
        if (x < r.end || path.size() >= o_.max_touches) {
          converted = path.size() < o_.max_touches && u(rng) < r.conversion;
          break;
        }
        double y = u(rng), acc = 0;
        std::uint32_t next = r.successors.back();
        for (std::size_t i = 0; i < r.successors.size(); ++i) {
          acc += r.weights[i];
          if (y < acc) {
            next = r.successors[i];
            break;
          }
        }
        path.push_back(next);
      }
      b.add(Span<const std::uint32_t>(path), {}, converted ? 1 : 0, converted ? 0 : 1, converted ? 1 : 0);
    }
    return b.finish();
  }

 private:
  struct Row {
    std::vector<std::uint32_t> successors;
    std::vector<double> weights;
    double end = 0, conversion = 0;
  };
  // Index of the history of the last `order` touches: histories of j < order touches (START-padded) are
  // numbered before the full ones, by length and then as base-T numbers.
  std::size_t history(const std::vector<std::uint32_t>& path) const {
    const std::size_t j = std::min<std::size_t>(path.size(), o_.order);
    std::size_t offset = 0, p = 1;
    for (std::size_t l = 0; l < j; ++l, p *= o_.touchpoints) offset += p;
    std::size_t code = 0;
    for (std::size_t l = path.size() - j; l < path.size(); ++l) code = code * o_.touchpoints + path[l];
    return offset + code;
  }

  OrderChainOptions o_;
  std::vector<Row> next_;
};

}  // namespace journeygraph::testing
