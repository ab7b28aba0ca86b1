// The journeygraph command-line program: a thin shell over the C++ API.

#include <iostream>
#include <new>
#include <string>
#include <vector>

#include "args.hpp"
#include "commands.hpp"
#include "common.hpp"
#include "journeygraph/io.hpp"
#include "journeygraph/text.hpp"
#include "journeygraph/error.hpp"
#include "journeygraph/version.hpp"

namespace jg = journeygraph;

namespace {

struct Command {
  const char* name;
  const char* usage;
  const char* summary;
  int (*run)(int, char**);
};

const Command kCommands[] = {
    {"attribute", "FILE", "attribution per touchpoint: exact Markov removal effects, Shapley, heuristics, intervals",
     jg::cli::cmd_attribute},
    {"order", "FILE", "choose the chain's order: likelihoods, AIC/BIC, held-out prediction", jg::cli::cmd_order},
    {"transitions", "FILE", "the fitted transition table (from, to, count, probability)", jg::cli::cmd_transitions},
    {"fit", "FILE -o M", "fit a Markov model and save it (binary .jgm, versioned and checksummed)", jg::cli::cmd_fit},
    {"map", "FILE", "the journey map: funnel by stage, pain points, paths, what-if, comparison, SVG/DOT/JSON",
     jg::cli::cmd_map},
    {"report", "FILE -o H", "one self-contained HTML page: graph, funnel, Sankey, pain points, attribution, paths",
     jg::cli::cmd_report},
    {"funnel", "FILE", "event funnel: steps in order, windows, exclusions, intervals, segment tests, trends",
     jg::cli::cmd_funnel},
    {"paths", "FILE", "path explorer: after a start, before an end, between funnel steps; every step adds up",
     jg::cli::cmd_paths},
    {"drivers", "FILE", "conversion drivers: odds ratios, tests, FDR q-values, adjusted for journey length",
     jg::cli::cmd_drivers},
    {"score", "FILE", "score open journeys: P(conversion | touches so far), value, touches to go, next best touch",
     jg::cli::cmd_score},
    {"credit", "FILE", "every journey's credit (per-journey attribution, every model), calibration; streamed CSV",
     jg::cli::cmd_credit},
    {"sequences", "FILE", "exact removal effects of touchpoint sequences (\"a>b\"), named or most frequent",
     jg::cli::cmd_sequences},
    {"demo", "", "the whole job on the built-in retailer sample", jg::cli::cmd_demo},
    {"generate", "-o F", "write a seeded synthetic events or paths CSV (for benchmarks and trials)",
     jg::cli::cmd_generate},
};

std::string main_help() {
  std::string s =
      "usage: journeygraph <command> [options]\n\n"
      "Customer-journey analytics: exact Markov attribution (solved, not simulated) and heuristics.\n\n"
      "commands:\n";
  for (const auto& c : kCommands) {
    std::string left = std::string("  ") + c.name + (c.usage[0] ? std::string(" ") + c.usage : "");
    s += left + std::string(left.size() < 20 ? 20 - left.size() : 1, ' ') + c.summary + "\n";
  }
  s += "  version           print the library version\n\n"
       "Run 'journeygraph <command> --help' for the options of a command.\n";
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << main_help();
    return 2;
  }
  const std::string cmd = argv[1];
  jg::cli::install_interrupt_handler();
  try {
    if (cmd == "--help" || cmd == "-h" || cmd == "help") {
      jg::write_standard_output(main_help());
      return 0;
    }
    if (cmd == "--version" || cmd == "version") {
      jg::write_standard_output("journeygraph " + std::string(jg::version_string()) + "\n");
      return 0;
    }
    for (const auto& c : kCommands)
      if (cmd == c.name) {
        const int status = c.run(argc, argv);
        jg::cli::check_interrupted();
        return status;
      }
    std::vector<std::string> names;
    for (const auto& c : kCommands) names.emplace_back(c.name);
    const std::string best = jg::closest_name(cmd, names);
    const std::string hint = best.empty() ? "" : " (did you mean '" + best + "'?)";
    std::cerr << "journeygraph: unknown command '" << cmd << "'" << hint << "\n(run 'journeygraph --help' for the commands)\n";
    return 2;
  } catch (const jg::cli::UsageError& e) {
    std::cerr << "journeygraph: " << e.what() << "\n(run 'journeygraph " << cmd << " --help' for usage)\n";
    return 2;
  } catch (const jg::Interrupted&) {
    // 128 + SIGINT, as a shell reports a program ended by the signal; output files are replaced whole or not at all.
    std::cerr << "journeygraph: interrupted (SIGINT)\n";
    return 130;
  } catch (const jg::Error& e) {
    jg::cli::end_progress_line();
    std::cerr << "journeygraph: error: " << jg::cli::error_message(e) << "\n";
    return 1;
  } catch (const std::bad_alloc&) {
    std::cerr << "journeygraph: error: out of memory\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "journeygraph: internal error: " << e.what() << "\n";
    return 3;
  }
}
