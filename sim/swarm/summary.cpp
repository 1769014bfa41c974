#include "sim/swarm/summary.h"

#include <algorithm>

#include <fmt/format.h>

namespace ksim::swarm {

namespace {

void count_dimensions(const RunOutcome& outcome, Summary& summary) {
  // Not a structured binding: clang 14 cannot capture one in the lambda.
  for (const auto& dimension : outcome.dimensions) {
    auto found = std::find_if(summary.dimensions.begin(), summary.dimensions.end(),
                              [&](const auto& entry) { return entry.first == dimension.first; });
    if (found == summary.dimensions.end()) {
      summary.dimensions.emplace_back(dimension.first, std::map<std::string, std::uint64_t>{});
      found = summary.dimensions.end() - 1;
    }
    ++found->second[dimension.second];
  }
}

nlohmann::json sizes_json(const shrink::Sizes& sizes) {
  return {{"faults", sizes.faults}, {"messages", sizes.messages}, {"nodes", sizes.nodes}, {"events", sizes.events}};
}

nlohmann::json finding_json(const Finding& finding, const RunOutcome& outcome) {
  nlohmann::json drawn = nlohmann::json::object();
  for (const auto& [name, value] : outcome.dimensions) drawn[name] = value;
  return {{"run", finding.run},
          {"seed", finding.run},
          {"mode", finding.mode},
          {"kind", kind_of(finding.violation)},
          {"violation", finding.violation.describe()},
          {"variant", drawn},
          {"file", finding.file},
          {"shrunk_file", finding.shrunk_file},
          {"before", sizes_json(finding.before)},
          {"after", sizes_json(finding.after)},
          {"shrink_budget_spent", finding.shrink_budget_spent},
          {"replay", finding.replay}};
}

}  // namespace

std::string kind_of(const shrink::Violation& violation) {
  return fmt::format("{} {}", shrink::to_string(violation.source), violation.counter);
}

Summary summarize(const SwarmResult& result) {
  Summary summary;
  for (const RunOutcome& outcome : result.runs) {
    ++summary.runs;
    count_dimensions(outcome, summary);
    if (outcome.probes) reports::add_run(summary.coverage, *outcome.probes);
    if (!outcome.invalid.empty()) {
      if (summary.invalid_runs++ == 0) summary.first_invalid = fmt::format("run {}: {}", outcome.run, outcome.invalid);
    }
    if (outcome.violations.empty()) continue;
    ++summary.failing_runs;
    std::vector<std::string> kinds;
    for (const shrink::Violation& violation : outcome.violations) {
      const std::string kind = kind_of(violation);
      if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) kinds.push_back(kind);
    }
    for (const std::string& kind : kinds) ++summary.failures_by_kind[kind];
  }
  return summary;
}

nlohmann::json to_json(const SwarmRequest& request, const SwarmResult& result) {
  const Summary summary = summarize(result);
  nlohmann::json dimensions = nlohmann::json::array();
  for (const auto& [name, values] : summary.dimensions) dimensions.push_back({{"name", name}, {"drawn", values}});
  nlohmann::json findings = nlohmann::json::array();
  for (const Finding& finding : result.findings) {
    const auto outcome = std::find_if(result.runs.begin(), result.runs.end(),
                                      [&](const RunOutcome& run) { return run.run == finding.run; });
    findings.push_back(finding_json(finding, *outcome));
  }
  return {{"schema", "ksim-swarm"},
          {"version", 1},
          {"base", request.file},
          {"runs", {{"first", request.first_run}, {"done", summary.runs}}},
          {"failing_runs", summary.failing_runs},
          {"invalid_runs", summary.invalid_runs},
          {"first_invalid", summary.first_invalid},
          {"failures_by_kind", summary.failures_by_kind},
          {"dimensions", dimensions},
          {"findings", findings},
          {"probes", reports::coverage_to_json(summary.coverage)}};
}

}  // namespace ksim::swarm
