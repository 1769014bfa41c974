#include "reports/overview.h"

#include <algorithm>

#include <fmt/format.h>

#include "reports/latency_json.h"
#include "reports/results_doc.h"

namespace ksim::reports {

namespace {

OverviewCell overview_cell(const nlohmann::json& scenario, const std::string& mode) {
  OverviewCell cell;
  cell.ran = !mode_runs(scenario, mode).empty();
  if (!cell.ran) return cell;
  cell.verdict = guarantee_broken_runs(scenario, mode) > 0 ? "broken"
                 : inconclusive_runs(scenario, mode) > 0  ? "inconclusive"
                                                           : "held";
  for (const auto& expectation : array_at(scenario, "expectations")) {
    if (text_at(expectation, "mode") == mode && expectation_verdict(expectation) == "failed") cell.expectation_failed = true;
  }
  cell.lost = counter_sum(scenario, mode, "lost");
  cell.duplicated = counter_sum(scenario, mode, "duplicated");
  cell.reordered = counter_sum(scenario, mode, "reordered");
  const nlohmann::json* latency = mode_latency(scenario, mode);
  const bool measured = latency != nullptr && latency->contains("end_to_end") && count_at(latency->at("end_to_end"), "count") > 0;
  cell.end_to_end_p99 = measured ? format_duration_ns(count_at(latency->at("end_to_end"), "p99_ns")) : "–";
  return cell;
}

}  // namespace

std::vector<std::string> overview_modes(const nlohmann::json& results) {
  std::vector<std::string> modes;
  for (const auto& scenario : array_at(results, "scenarios")) {
    for (const std::string& mode : scenario_modes(scenario)) {
      if (std::find(modes.begin(), modes.end(), mode) == modes.end()) modes.push_back(mode);
    }
  }
  return modes;
}

std::vector<OverviewRow> overview_rows(const nlohmann::json& results, const std::vector<std::string>& modes) {
  std::vector<OverviewRow> rows;
  const auto& scenarios = array_at(results, "scenarios");
  for (std::size_t s = 0; s < scenarios.size(); ++s) {
    OverviewRow row{text_at(scenarios[s], "name", "(unnamed scenario)"), s, false, {}};
    for (const std::string& mode : modes) {
      row.cells.push_back(overview_cell(scenarios[s], mode));
      row.failing = row.failing || (row.cells.back().ran && row.cells.back().failing());
    }
    for (const auto& expectation : array_at(scenarios[s], "expectations")) {
      row.failing = row.failing || expectation_verdict(expectation) != "held";
    }
    rows.push_back(std::move(row));
  }
  std::stable_partition(rows.begin(), rows.end(), [](const OverviewRow& row) { return row.failing; });
  return rows;
}

std::string overview_cell_text(const OverviewCell& cell) {
  if (!cell.ran) return "";
  const char* mark = cell.verdict == "broken" || cell.expectation_failed ? "✘" : cell.verdict == "inconclusive" ? "?" : "✔";
  return fmt::format("{} {} · {} · {} · {}", mark, cell.lost, cell.duplicated, cell.reordered, cell.end_to_end_p99);
}

std::string section_anchor(std::size_t section) { return fmt::format("scenario-{}", section + 1); }

}  // namespace ksim::reports
