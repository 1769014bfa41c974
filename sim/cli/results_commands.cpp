// ksim merge and ksim report: results documents in, results (and reports) out; nothing runs.
#include <fstream>

#include <fmt/format.h>

#include "reports/results_json.h"
#include "reports/scenario_result_json.h"
#include "reports/terminal_table.h"
#include "sim/cli/command_output.h"
#include "sim/cli/scenario_commands.h"
#include "sim/scenario/input_error.h"

namespace ksim::cli {

using scenario::InputErrors;

namespace {

std::optional<nlohmann::json> read_results(const std::string& path, InputErrors& errors) {
  std::ifstream file(path);
  if (!file) {
    errors.add(path, {}, "", "cannot open the file");
    return std::nullopt;
  }
  nlohmann::json document = nlohmann::json::parse(file, nullptr, false);
  if (document.is_discarded() || !document.is_object() || document.value("schema", "") != "ksim-results" ||
      !document.contains("scenarios")) {
    errors.add(path, {}, "", "not a ksim results file (schema \"ksim-results\")");
    return std::nullopt;
  }
  if (document.value("version", 0) != reports::kResultsSchemaVersion) {
    errors.add(path, {}, "version", fmt::format("results version {} is not {}", document.value("version", 0),
                                                reports::kResultsSchemaVersion));
    return std::nullopt;
  }
  return document;
}

}  // namespace

int command_merge(const ScenarioOptions& options) {
  InputErrors errors;
  std::vector<nlohmann::json> documents;
  for (const std::string& path : options.paths) {
    if (auto document = read_results(path, errors)) documents.push_back(std::move(*document));
  }
  if (!errors.empty()) return print_input_errors(errors);
  Executed executed;
  nlohmann::json merged;
  try {
    merged = reports::merge_documents(documents);
  } catch (const std::exception& error) {
    fmt::print(stderr, "ksim: cannot merge the results: {}\n", error.what());
    return kExitBadInput;
  }
  executed.scenarios = merged.at("scenarios");
  return finish(merged.at("command").get<std::string>(), executed, options, false);
}

int command_report(const ScenarioOptions& options) {
  InputErrors errors;
  std::optional<nlohmann::json> results = read_results(options.paths.front(), errors);
  if (!errors.empty()) return print_input_errors(errors);
  if (options.report_dir.empty()) {
    fmt::print("{}", reports::render_terminal_table(*results));
  } else if (!write_reports(*results, options.report_dir)) {
    return kExitBadInput;
  }
  return exit_code_of(*results, true);
}

}  // namespace ksim::cli
