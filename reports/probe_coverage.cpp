#include "reports/probe_coverage.h"

#include <fmt/format.h>

#include "reports/results_doc.h"

namespace ksim::reports {

nlohmann::json probes_to_json(const history::ProbeCounts& probes) {
  nlohmann::json out = nlohmann::json::object();
  for (std::size_t p = 0; p < history::kProbeCount; ++p) {
    if (probes.hits[p] > 0) out[std::string(history::kProbeNames[p])] = probes.hits[p];
  }
  return out;
}

void add_runs(Coverage& coverage, const nlohmann::json& runs) {
  if (!runs.is_array()) return;
  for (const nlohmann::json& run : runs) {
    if (!run.is_object() || !run.contains("probes") || !run.at("probes").is_object()) continue;
    ++coverage.runs;
    const nlohmann::json& probes = run.at("probes");
    for (std::size_t p = 0; p < history::kProbeCount; ++p) {
      const std::uint64_t hits = count_at(probes, std::string(history::kProbeNames[p]).c_str());
      coverage.sum[p] += hits;
      coverage.runs_hit[p] += hits > 0 ? 1 : 0;
    }
  }
}

void add_run(Coverage& coverage, const history::ProbeCounts& probes) {
  ++coverage.runs;
  for (std::size_t p = 0; p < history::kProbeCount; ++p) {
    coverage.sum[p] += probes.hits[p];
    coverage.runs_hit[p] += probes.hits[p] > 0 ? 1 : 0;
  }
}

nlohmann::json coverage_to_json(const Coverage& coverage) {
  if (coverage.runs == 0) return nullptr;
  nlohmann::json probes = nlohmann::json::object();
  nlohmann::json never_hit = nlohmann::json::array();
  std::uint64_t hit = 0;
  for (std::size_t p = 0; p < history::kProbeCount; ++p) {
    const std::string name(history::kProbeNames[p]);
    probes[name] = {{"sum", coverage.sum[p]}, {"runs", coverage.runs_hit[p]}};
    if (coverage.runs_hit[p] > 0) {
      ++hit;
    } else {
      never_hit.push_back(name);
    }
  }
  return {{"runs", coverage.runs}, {"hit", hit}, {"of", history::kProbeCount}, {"probes", probes},
          {"never_hit", never_hit}};
}

nlohmann::json document_coverage(const nlohmann::json& scenarios) {
  Coverage coverage;
  if (scenarios.is_array()) {
    for (const nlohmann::json& scenario : scenarios) add_runs(coverage, array_at(scenario, "runs"));
  }
  return coverage_to_json(coverage);
}

std::vector<std::string> coverage_lines(const nlohmann::json& coverage) {
  if (!coverage.is_object()) return {};
  std::string hit_line;
  const nlohmann::json& probes = coverage.value("probes", nlohmann::json::object());
  // In the fixed order of the list (sim/history/probes.h), not the JSON object's.
  for (const std::string_view name_view : history::kProbeNames) {
    const std::string name(name_view);
    if (!probes.contains(name) || count_at(probes.at(name), "runs") == 0) continue;
    hit_line += fmt::format("{}{} {}/{}", hit_line.empty() ? "" : ", ", name, count_at(probes.at(name), "sum"),
                            count_at(probes.at(name), "runs"));
  }
  std::string never_line;
  for (const nlohmann::json& name : array_at(coverage, "never_hit")) {
    never_line += (never_line.empty() ? "" : ", ") + (name.is_string() ? name.get<std::string>() : std::string("?"));
  }
  return {fmt::format("coverage probes: {} of {} hit over {} runs (hits/runs): {}", count_at(coverage, "hit"),
                      count_at(coverage, "of"), count_at(coverage, "runs"), hit_line.empty() ? "none" : hit_line),
          fmt::format("never hit: {}", never_line.empty() ? "none" : never_line)};
}

}  // namespace ksim::reports
