// Extreme chains that once lost digits or overflowed (nearly closed cycles, huge fan-in, huge weights and
// smoothing, probabilities at 1), kept as regression tests. Each states what it expects and why.

#include <catch2/catch.hpp>
#include <cmath>
#include <iomanip>
#include <string>
#include <vector>

#include "chain_reference.hpp"
#include "journeygraph/attribution.hpp"
#include "journeygraph/io.hpp"

using namespace journeygraph;

TEST_CASE("N11 P(conversion) to 1e-12 when a long journey keeps the chain in a cycle", "[numerics]") {
  // One journey of 1M touches over 7 touchpoints and three short converting ones. Without smoothing
  // P(conversion) is exactly the converting share (3/4). I - Q is nearly singular (exits are ~1e-6 of each
  // row): rounded probabilities alone would move the answer by ~1e-12, so the solve works on counts.
  const char* names[] = {"a", "b", "c", "d", "e", "f", "g"};
  JourneySetBuilder b;
  std::vector<std::string> path;
  std::uint64_t s = 7;
  for (int i = 0; i < 1000000; ++i) {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    path.push_back(names[(s >> 33) % 7]);
  }
  b.add(path, 0, 1);
  b.add({"a", "b"}, 1, 0);
  b.add({"c"}, 1, 0);
  b.add({"d", "a"}, 1, 0);
  const JourneySet js = b.finish();
  const double p = MarkovModel::fit(js).conversion_probability();
  INFO(std::setprecision(17) << "P(conversion) " << p);
  CHECK(jgtest::close(p, 0.75, 1e-12));
  jgtest::check_against_reference(js, 1);
}

TEST_CASE("N12 P(conversion) to 1e-12 with 1M states entered from START", "[numerics]") {
  // START -> t_i -> hub -> end for 1M touchpoints: P(conversion) = converting share exactly; a plain running
  // sum of the 1M inflows of "hub" would drift by ~1e-11.
  const std::size_t n = 1000000;
  JourneySetBuilder b;
  double conv = 0, weight = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double c = i % 3 == 0 ? 1 : 0;
    b.add({"t" + std::to_string(i), "hub"}, c, 1);
    conv += c;
    weight += c + 1;
  }
  const double p = MarkovModel::fit(b.finish()).conversion_probability();
  INFO(std::setprecision(17) << "P(conversion) " << p << ", exact " << conv / weight);
  CHECK(jgtest::close(p, conv / weight, 1e-12));
}

TEST_CASE("N13 counts near the largest double are refused where they are read", "[numerics]") {
  // A row of "a" would sum 1e308 (to "b") and 1e308 (to CONVERSION) and overflow; weights are summed exactly
  // below 2^62 only, so the reader refuses the count with its place instead.
  CHECK_THROWS_WITH(parse_paths_csv("path,total_conversions,total_null\na > b > a,1e308,0\n", "k03.csv"),
                    "k03.csv:2:11: field 'total_conversions': count \"1e308\" is too large (the limit is 2^62)");
}

TEST_CASE("N14 P(conversion) stays within [0, 1]", "[numerics]") {
  // Found by fuzz_paths_csv: every journey converts (the nulls column is misspelt, so absent); rounding once
  // gave 1 + 2^-52 at order 1.
  const JourneySet js = read_paths_csv(JG_TEST_DATA_DIR "/../fuzz/corpus/paths_csv/probability_above_one.csv");
  for (unsigned order : {1u, 2u}) {
    ModelOptions o;
    o.order = order;
    const double p = MarkovModel::fit(js, o).conversion_probability();
    INFO(std::setprecision(17) << "order " << order << ": P(conversion) " << p);
    CHECK(p <= 1.0);
  }
}

TEST_CASE("N15 huge smoothing keeps the row denominators finite", "[numerics]") {
  // alpha = 1e308 is finite and accepted; total + alpha * candidates must not overflow. As alpha grows the
  // smoothed rows tend to uniform, so P(conversion) must stay clearly above 0.
  const JourneySet js = parse_paths_csv("path,total_conversions,total_null\na > b,3,1\nb,1,2\nc > a,0,1\n");
  ModelOptions o;
  o.smoothing = 1e308;
  const MarkovModel m = MarkovModel::fit(js, o);
  for (const auto& t : m.transitions()) {
    INFO(t.from << " -> " << t.to << ": " << t.probability);
    if (t.from != "(start)") CHECK(t.probability > 0);
  }
  CHECK(m.conversion_probability() > 0.1);
}
