#include "args.hpp"

#include <cerrno>
#include <cstdlib>
#include <iostream>
#include <sstream>

#include "journeygraph/io.hpp"
#include "journeygraph/text.hpp"

namespace journeygraph::cli {

Args::Args(std::string command, std::string summary, std::string usage)
    : command_(std::move(command)), summary_(std::move(summary)), usage_(std::move(usage)) {}

Args& Args::option(const std::string& name, const std::string& metavar, const std::string& help,
                   const std::string& fallback) {
  specs_.push_back({"", OptionSpec{name, metavar, help, fallback}});
  return *this;
}

Args& Args::flag(const std::string& name, const std::string& help) { return option(name, "", help); }

Args& Args::section(const std::string& title) {
  specs_.push_back({title, OptionSpec{}});
  return *this;
}

const OptionSpec* Args::find(const std::string& name) const {
  for (const auto& [title, spec] : specs_)
    if (title.empty() && spec.name == name) return &spec;
  return nullptr;
}

bool Args::parse(int argc, char** argv, int first) {
  for (int i = first; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      journeygraph::write_standard_output(help_text());
      return false;
    }
    if (a.size() > 2 && a.compare(0, 2, "--") == 0) {
      std::string name = a.substr(2), value;
      bool inline_value = false;
      auto eq = name.find('=');
      if (eq != std::string::npos) {
        value = name.substr(eq + 1);
        name = name.substr(0, eq);
        inline_value = true;
      }
      const OptionSpec* spec = find(name);
      if (!spec) {
        std::vector<std::string> names;
        for (const auto& [title, s] : specs_)
          if (title.empty()) names.push_back(s.name);
        const std::string best = closest_name(name, names, 3);
        throw UsageError("unknown option --" + name + (best.empty() ? "" : " (did you mean --" + best + "?)"));
      }
      if (spec->metavar.empty()) {
        if (inline_value) throw UsageError("option --" + name + " takes no value");
        values_[name] = "1";
      } else {
        if (!inline_value) {
          if (i + 1 >= argc) throw UsageError("option --" + name + " needs a value (" + spec->metavar + ")");
          value = argv[++i];
        }
        values_[name] = value;
      }
      continue;
    }
    if (a == "-o" && find("output")) {
      if (i + 1 >= argc) throw UsageError("option -o needs a value (FILE)");
      values_["output"] = argv[++i];
      continue;
    }
    if (a.size() > 1 && a[0] == '-' && a != "-") throw UsageError("unknown option " + a + " (options start with --)");
    positional_.push_back(a);
  }
  return true;
}

bool Args::has(const std::string& name) const { return values_.count(name) > 0; }

std::string Args::get(const std::string& name, const std::string& fallback) const {
  auto it = values_.find(name);
  return it == values_.end() ? fallback : it->second;
}

std::optional<std::string> Args::maybe(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

long long Args::get_int(const std::string& name, long long fallback, long long lo, long long hi) const {
  auto v = maybe(name);
  if (!v) return fallback;
  auto x = parse_integer(*v);
  if (!x || *x < lo || *x > hi)
    throw UsageError("--" + name + " must be an integer in " + std::to_string(lo) + ".." + std::to_string(hi) +
                     ", got " + quoted(*v));
  return *x;
}

double Args::get_double(const std::string& name, double fallback) const {
  auto v = maybe(name);
  if (!v) return fallback;
  auto x = parse_number(*v);
  if (!x) throw UsageError("--" + name + " must be a number, got " + quoted(*v));
  return *x;
}

std::string Args::help_text() const {
  std::ostringstream os;
  os << "usage: journeygraph " << command_ << ' ' << usage_ << "\n\n" << summary_ << "\n";
  for (const auto& [title, s] : specs_) {
    if (!title.empty()) {
      os << "\n" << title << ":\n";
      continue;
    }
    std::string left = (s.name == "output" ? "  -o, --" : "  --") + s.name + (s.metavar.empty() ? "" : " " + s.metavar);
    os << left;
    if (left.size() < 30) os << std::string(30 - left.size(), ' ');
    else os << "\n" << std::string(30, ' ');
    os << s.help;
    if (!s.fallback.empty()) os << " [" << s.fallback << "]";
    os << "\n";
  }
  os << "  --help                      show this help\n";
  return os.str();
}

}  // namespace journeygraph::cli
