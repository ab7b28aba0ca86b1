#pragma once
// Command-line parsing for the journeygraph program: declared options, --name value / --name=value,
// positional arguments, and errors that suggest the closest known option.

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace journeygraph::cli {

// A usage error: printed with the command's --help hint, exit status 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct OptionSpec {
  std::string name;      // without the leading dashes
  std::string metavar;   // empty for a flag
  std::string help;
  std::string fallback;  // shown as the default in --help
};

class Args {
 public:
  Args(std::string command, std::string summary, std::string usage);
  // Declare an option taking a value (metavar non-empty) or a flag.
  Args& option(const std::string& name, const std::string& metavar, const std::string& help,
               const std::string& fallback = "");
  Args& flag(const std::string& name, const std::string& help);
  Args& section(const std::string& title);
  // Parse argv[first..]; throws UsageError. Returns false if --help was given (help already printed).
  bool parse(int argc, char** argv, int first);
  bool has(const std::string& name) const;
  std::string get(const std::string& name, const std::string& fallback = "") const;
  std::optional<std::string> maybe(const std::string& name) const;
  long long get_int(const std::string& name, long long fallback, long long lo, long long hi) const;
  double get_double(const std::string& name, double fallback) const;
  const std::vector<std::string>& positional() const { return positional_; }
  std::string help_text() const;

 private:
  std::string command_, summary_, usage_;
  std::vector<std::pair<std::string, OptionSpec>> specs_;  // section title entries have empty spec name
  std::map<std::string, std::string> values_;
  std::vector<std::string> positional_;
  const OptionSpec* find(const std::string& name) const;
};

}  // namespace journeygraph::cli
