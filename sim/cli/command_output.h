#pragma once
// What every scenario command ends with: the input errors (exit 2), the results document
// printed (terminal table or --json) and written (--report-dir), and the exit code.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/cli/scenario_commands.h"
#include "sim/scenario/input_error.h"

namespace ksim::cli {

// The scenario objects of one command's results, in the order they ran.
struct Executed {
  nlohmann::json scenarios = nlohmann::json::array();
  // The first run's lost, duplicated and Jepsen-anomalous messages (run: --anomaly-trace).
  std::vector<std::uint64_t> first_run_anomalies;
};

// Prints every input error at once, sorted by file and position; returns exit code 2.
int print_input_errors(const scenario::InputErrors& errors);
int exit_code_of(const nlohmann::json& results, bool judge_expectations);
// Writes the report folder; a failure to write is reported, not a crash.
bool write_reports(const nlohmann::json& results, const std::string& dir);
// Prints and writes the results of `command` and returns its exit code.
int finish(const std::string& command, Executed& executed, const ScenarioOptions& options, bool judge_expectations);

}  // namespace ksim::cli
