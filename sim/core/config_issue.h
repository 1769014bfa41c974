#pragma once
// A problem with user input (a scenario file, a flag, a parameter of a distribution or
// link). Input problems are expected and reported, never asserted: validators return
// every issue they find, and the scenario loader adds file, line and column.
#include <string>
#include <vector>

namespace ksim {

struct ConfigIssue {
  std::string key_path;  // e.g. "network.default.latency.max", or a parameter name
  std::string message;   // names the value and what was expected
};

using ConfigIssues = std::vector<ConfigIssue>;

}  // namespace ksim
