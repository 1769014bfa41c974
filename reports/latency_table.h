#pragma once
// The rows of the latency and throughput table shown under each scenario's counters (the
// terminal table, summary.md, report.html): one row per (latency, percentile) and one of
// throughput, a cell per mode, formatted alike everywhere.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace ksim::reports {

struct LatencyRow {
  std::string label;               // "produce p99", "throughput"
  std::vector<std::string> cells;  // by mode; "–" where the mode measured nothing
};

// How much of it: every percentile (summary.md, report.html), or the terminal's short form:
// p50, p99 and max, and one row for a latency that is 0 in every mode (nothing waited).
enum class LatencyDetail : std::uint8_t { full, compact };

// Empty when no mode of the scenario has latency aggregates (results older than them).
std::vector<LatencyRow> latency_rows(const nlohmann::json& scenario, const std::vector<std::string>& modes,
                                     LatencyDetail detail = LatencyDetail::full);

}  // namespace ksim::reports
