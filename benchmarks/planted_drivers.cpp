// Planted-effects study of conversion_drivers(): journeys with planted drivers of known odds ratio among many
// null features (see planted_drivers.hpp), analysed seed after seed. Per seed: discoveries at q < alpha, the
// false discovery proportion, the share of planted features with odds ratio >= 1.5 found, and what happens to
// the length-confounded touchpoints q and w. Averages over the seeds at the end.
// usage: planted_drivers [--journeys N] [--seeds S] [--first-seed K] [--threads T] [--length-strata L]

#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

#include "bench_common.hpp"
#include "journeygraph/drivers.hpp"
#include "planted_drivers.hpp"

namespace jg = journeygraph;

int main(int argc, char** argv) {
  std::size_t journeys = 100000, seeds = 20, first = 1;
  jg::DriverOptions o;
  o.length_strata = 64;  // the study's lengths run from 17 to about 30: one stratum each
  jg::Execution exec;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    const long long v = std::atoll(argv[i + 1]);
    if (a == "--journeys") journeys = std::size_t(v);
    else if (a == "--seeds") seeds = std::size_t(v);
    else if (a == "--first-seed") first = std::size_t(v);
    else if (a == "--threads") exec.threads = unsigned(v);
    else if (a == "--length-strata") o.length_strata = std::size_t(v);
    else {
      std::fprintf(stderr, "usage: planted_drivers [--journeys N] [--seeds S] [--first-seed K] [--threads T] [--length-strata L]\n");
      return 2;
    }
  }
  const auto fs = planted::features();
  std::printf("planted features (conditional OR, share, exact marginal OR):\n");
  std::vector<double> marginal;
  for (std::size_t f = 0; f < fs.size(); ++f) {
    marginal.push_back(planted::marginal_odds_ratio(f));
    std::printf("  %-16s %5.2f %7.4f %7.4f\n", fs[f].text.c_str(), fs[f].conditional_or, fs[f].share, marginal[f]);
  }
  std::printf("journeys %zu, seeds %zu..%zu, alpha %.2f, min_support %.0f, length strata %zu\n\n", journeys, first,
              first + seeds - 1, o.alpha, o.min_support, o.length_strata);
  std::printf("%5s %6s %6s %5s %5s %6s %6s | %8s %8s %8s | %6s %6s | %6s %6s %6s | %7s\n", "seed", "tested", "nulls",
              "conf", "R", "V", "fdp", "fdp_drv", "R_mh", "fdp_mh", "power", "pw_mh", "q_raw", "q_mh", "q_conf",
              "cover");
  std::vector<std::size_t> found_raw(fs.size(), 0), found_adj(fs.size(), 0);
  double sum_fdp = 0, sum_fdp_drivers = 0, sum_fdp_mh = 0, sum_power = 0, sum_power_mh = 0, sum_cover = 0;
  std::size_t q_flagged = 0, q_mh = 0, q_conf = 0, secs_n = 0;
  double secs = 0;
  for (std::size_t seed = first; seed < first + seeds; ++seed) {
    const jg::JourneySet js = planted::journeys(journeys, seed);
    const auto t0 = bench::Clock::now();
    const jg::DriverAnalysis da = jg::conversion_drivers(js, o, exec);
    secs += bench::seconds_since(t0);
    ++secs_n;
    std::size_t nulls = 0, conf = 0, R = 0, V = 0, R_drivers = 0, V_drivers = 0, R_mh = 0, V_mh = 0;
    std::size_t planted_strong = 0, found = 0, found_mh = 0, covered = 0, planted_n = 0;
    bool qr = false, qm = false, qc = false;
    for (const jg::Driver& d : da.drivers) {
      const planted::Truth t = planted::truth(d.feature);
      if (t == planted::Truth::null) ++nulls;
      if (t == planted::Truth::confounded) ++conf;
      if (d.significant) {
        ++R;
        if (t == planted::Truth::null) ++V;
        if (!d.confounded) {
          ++R_drivers;
          if (t == planted::Truth::null || t == planted::Truth::confounded) ++V_drivers;
        }
      }
      if (d.mh_significant) {
        ++R_mh;
        if (t == planted::Truth::null || t == planted::Truth::confounded) ++V_mh;
      }
      if (t == planted::Truth::planted) {
        for (std::size_t f = 0; f < fs.size(); ++f)
          if (fs[f].text == d.feature) {
            ++planted_n;
            if (d.lower <= marginal[f] && marginal[f] <= d.upper) ++covered;
            found_raw[f] += d.significant;
            found_adj[f] += d.mh_significant;
            if (marginal[f] >= 1.5) {
              ++planted_strong;
              found += d.significant ? 1 : 0;
              found_mh += d.mh_significant ? 1 : 0;
            }
          }
      }
      if (d.feature == "q") {
        qr = d.significant;
        qm = d.mh_significant;
        qc = d.confounded;
      }
    }
    const double fdp = R ? double(V) / double(R) : 0.0;
    const double fdp_drivers = R_drivers ? double(V_drivers) / double(R_drivers) : 0.0;
    const double fdp_mh = R_mh ? double(V_mh) / double(R_mh) : 0.0;
    const double power = planted_strong ? double(found) / double(planted_strong) : 0.0;
    const double power_mh = planted_strong ? double(found_mh) / double(planted_strong) : 0.0;
    const double cover = planted_n ? double(covered) / double(planted_n) : 0.0;
    sum_fdp += fdp;
    sum_fdp_drivers += fdp_drivers;
    sum_fdp_mh += fdp_mh;
    sum_power += power;
    sum_power_mh += power_mh;
    sum_cover += cover;
    q_flagged += qr;
    q_mh += qm;
    q_conf += qc;
    std::printf("%5zu %6zu %6zu %5zu %5zu %6zu %6.3f | %8.3f %8zu %8.3f | %6.3f %6.3f | %6d %6d %6d | %7.3f\n", seed,
                da.drivers.size(), nulls, conf, R, V, fdp, fdp_drivers, R_mh, fdp_mh, power, power_mh, int(qr), int(qm),
                int(qc), cover);
  }
  const double S = double(seeds);
  std::printf("\nmean over %zu seeds: FDP (raw q < %.2f, null features false) %.4f; FDP (significant and not "
              "confounded, null and length-confounded features false) %.4f; FDP (Mantel-Haenszel q < %.2f) %.4f\n",
              seeds, o.alpha, sum_fdp / S, sum_fdp_drivers / S, o.alpha, sum_fdp_mh / S);
  std::printf("power (planted features with marginal OR >= 1.5 found): raw %.4f, Mantel-Haenszel %.4f\n", sum_power / S,
              sum_power_mh / S);
  std::printf("planted features found (raw, Mantel-Haenszel) in how many of the %zu seeds:", seeds);
  for (std::size_t f = 0; f < fs.size(); ++f) std::printf(" %s %zu/%zu;", fs[f].text.c_str(), found_raw[f], found_adj[f]);
  std::printf("\n");
  std::printf("coverage of the true marginal OR by the 95%% interval over the planted features: %.4f\n", sum_cover / S);
  std::printf("length-confounded touchpoint q: raw q < %.2f in %zu of %zu seeds, Mantel-Haenszel q < %.2f in %zu, "
              "flagged confounded in %zu\n",
              o.alpha, q_flagged, seeds, o.alpha, q_mh, q_conf);
  std::printf("conversion_drivers: %.3f s per seed on average (%zu journeys)\n", secs / double(secs_n), journeys);
  return 0;
}
