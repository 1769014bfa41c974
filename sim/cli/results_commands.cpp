// ksim merge and ksim report: results documents in, results (and reports) out; nothing runs.
#include <fstream>

#include <fmt/format.h>

#include "reports/results_doc.h"
#include "reports/results_json.h"
#include "reports/scenario_result_json.h"
#include "reports/terminal_table.h"
#include "sim/cli/command_output.h"
#include "sim/cli/scenario_commands.h"
#include "sim/scenario/input_error.h"
#include "sim/swarm/merge.h"

namespace ksim::cli {

using scenario::InputErrors;

namespace {

std::optional<nlohmann::json> read_json(const std::string& path, InputErrors& errors) {
  std::ifstream file(path);
  if (!file) {
    errors.add(path, {}, "", "cannot open the file");
    return std::nullopt;
  }
  return nlohmann::json::parse(file, nullptr, false);
}

std::optional<nlohmann::json> read_results(const std::string& path, InputErrors& errors) {
  std::optional<nlohmann::json> read = read_json(path, errors);
  if (!read) return std::nullopt;
  nlohmann::json document = std::move(*read);
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

namespace {

// `ksim swarm --shard K/N --json` documents: the unsharded swarm's document, its exit code.
int merge_swarm(const ScenarioOptions& options) {
  InputErrors errors;
  std::vector<nlohmann::json> shards;
  for (const std::string& path : options.paths) {
    std::optional<nlohmann::json> document = read_json(path, errors);
    if (document && !swarm::is_swarm_document(*document)) {
      errors.add(path, {}, "", "not a ksim swarm document (schema \"ksim-swarm\", version 1): merge swarm shards with swarm shards");
    } else if (document) {
      shards.push_back(std::move(*document));
    }
  }
  if (!options.report_dir.empty()) errors.add("", {}, "--report-dir", "swarm documents have no report files");
  if (!errors.empty()) return print_input_errors(errors);
  const nlohmann::json merged = swarm::merge_swarm_documents(std::move(shards));
  fmt::print("{}\n", merged.dump(2));
  if (reports::count_at(merged, "failing_runs") > 0) return kExitViolated;
  return reports::count_at(merged, "invalid_runs") > 0 ? kExitBadInput : kExitHeld;
}

bool first_is_swarm(const std::vector<std::string>& paths) {
  InputErrors ignored;
  const std::optional<nlohmann::json> first = paths.empty() ? std::nullopt : read_json(paths.front(), ignored);
  return first && swarm::is_swarm_document(*first);
}

}  // namespace

int command_merge(const ScenarioOptions& options) {
  if (first_is_swarm(options.paths)) return merge_swarm(options);
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
