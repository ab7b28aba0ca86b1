#pragma once
// Neumaier's compensated summation: the sum of many terms with an error of a few ulps of the result,
// whatever their number and order of magnitude (P(conversion) sums a term per state, up to millions).

namespace journeygraph::detail {

class CompensatedSum {
 public:
  void add(double x) noexcept {
    const double t = sum_ + x;
    if ((sum_ >= 0 ? sum_ : -sum_) >= (x >= 0 ? x : -x)) c_ += (sum_ - t) + x;
    else c_ += (x - t) + sum_;
    sum_ = t;
  }
  double value() const noexcept { return sum_ + c_; }

 private:
  double sum_ = 0, c_ = 0;
};

// A probability computed by floating-point arithmetic, kept inside [0, 1] (rounding can step outside).
inline double clamp_probability(double p) noexcept { return p < 0 ? 0.0 : (p > 1 ? 1.0 : p); }

}  // namespace journeygraph::detail
