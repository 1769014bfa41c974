#include "reports/anomaly_table.h"

#include <algorithm>

#include <fmt/format.h>

#include "reports/results_doc.h"
#include "sim/check/outcome.h"

namespace ksim::reports {

namespace {

// The anomalies' names, in Jepsen's order (the counts of an empty set are not read).
const check::JepsenAnomalies kNames{};

}  // namespace

std::vector<LatencyRow> anomaly_rows(const nlohmann::json& scenario, const std::vector<std::string>& modes) {
  std::vector<LatencyRow> rows;
  for (const check::NamedAnomaly& named : check::named(kNames)) {
    const std::string name(named.name);
    std::vector<std::uint64_t> sums;
    for (const std::string& mode : modes) {
      std::uint64_t sum = 0;
      for (const nlohmann::json* run : mode_runs(scenario, mode)) {
        if (run->contains("jepsen")) sum += count_at(run->at("jepsen"), name.c_str());
      }
      sums.push_back(sum);
    }
    if (std::all_of(sums.begin(), sums.end(), [](std::uint64_t sum) { return sum == 0; })) continue;
    LatencyRow& row = rows.emplace_back();
    row.label = name;
    for (const std::uint64_t sum : sums) row.cells.push_back(std::to_string(sum));
  }
  return rows;
}

std::vector<std::pair<std::string, std::string>> first_anomaly_cases(const nlohmann::json& scenario) {
  std::vector<std::pair<std::string, std::string>> cases;
  for (const check::NamedAnomaly& named : check::named(kNames)) {
    const std::string name(named.name);
    for (const nlohmann::json& run : array_at(scenario, "runs")) {
      const auto found = run.find("jepsen_cases");
      if (found == run.end() || !found->is_object() || !found->contains(name)) continue;
      const nlohmann::json& written = found->at(name);
      if (!written.is_array() || written.empty() || !written.front().is_string()) continue;
      cases.emplace_back(name, fmt::format("{} seed {}: {}", text_at(run, "mode"), text_at(run, "seed"),
                                           written.front().get<std::string>()));
      break;
    }
  }
  return cases;
}

}  // namespace ksim::reports
