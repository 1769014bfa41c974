#include "sim/cli/command_output.h"

#include <fmt/format.h>

#include "reports/atomic_write.h"
#include "reports/results_json.h"
#include "reports/terminal_table.h"

namespace ksim::cli {

using scenario::InputErrors;

int print_input_errors(const InputErrors& errors) {
  InputErrors sorted = errors;
  sorted.sort();
  fmt::print(stderr, "{}", sorted.to_string());
  fmt::print(stderr, "ksim: {} error{} in the input; nothing was run\n", sorted.size(), sorted.size() == 1 ? "" : "s");
  return kExitBadInput;
}

int exit_code_of(const nlohmann::json& results, bool judge_expectations) {
  reports::Overall overall = reports::Overall::held;
  try {
    overall = reports::overall_verdict(results, judge_expectations);
  } catch (const std::exception& error) {  // a saved results file the model cannot read
    fmt::print(stderr, "ksim: cannot judge the results: {}\n", error.what());
    return kExitBadInput;
  }
  switch (overall) {
    case reports::Overall::held:
      return kExitHeld;
    case reports::Overall::failed:
      return kExitViolated;
    case reports::Overall::inconclusive:
      return kExitInconclusive;
  }
  return kExitViolated;
}

bool write_reports(const nlohmann::json& results, const std::string& dir) {
  if (dir.empty()) return true;
  try {
    reports::write_report_dir(dir, results);
  } catch (const std::exception& error) {
    fmt::print(stderr, "ksim: cannot write the reports to {}: {}\n", dir, error.what());
    return false;
  }
  fmt::print(stderr, "reports written to {}/ (results.json, summary.md, junit.xml, report.html)\n", dir);
  return true;
}

int finish(const std::string& command, Executed& executed, const ScenarioOptions& options, bool judge_expectations) {
  const nlohmann::json results = reports::results_document(command, std::move(executed.scenarios));
  if (options.json) {
    fmt::print("{}\n", results.dump(2));
  } else {
    fmt::print("{}", reports::render_terminal_table(results));
  }
  if (!write_reports(results, options.report_dir)) return kExitBadInput;
  return exit_code_of(results, judge_expectations);
}

}  // namespace ksim::cli
