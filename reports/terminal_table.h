#pragma once
// The readable table `ksim run`, `compare`, `sweep` and `check` print: for each scenario
// the modes side by side, counters, verdicts, top causes, expectations and the command
// that replays a bad seed. Rendered from the results document like every other report.
#include <string>

#include <nlohmann/json.hpp>

namespace ksim::reports {

std::string render_terminal_table(const nlohmann::json& results);

// One line per scenario and mode expectation, for `ksim check`.
std::string render_check_lines(const nlohmann::json& results);

}  // namespace ksim::reports
