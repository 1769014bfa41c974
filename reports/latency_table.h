#pragma once
// The rows of the latency and throughput table shown under each scenario's counters (the
// terminal table, summary.md, report.html): one row per (latency, percentile) and one of
// throughput, a cell per mode, formatted alike everywhere.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace ksim::reports {

struct LatencyRow {
  std::string label;               // "produce p99", "throughput"
  std::vector<std::string> cells;  // by mode; "–" where the mode measured nothing
};

// Empty when no mode of the scenario has latency aggregates (results older than them).
std::vector<LatencyRow> latency_rows(const nlohmann::json& scenario, const std::vector<std::string>& modes);

}  // namespace ksim::reports
