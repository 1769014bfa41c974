#include "reports/latency_table.h"

#include <fmt/format.h>

#include "reports/latency_json.h"
#include "reports/results_doc.h"

namespace ksim::reports {

namespace {

// How each latency reads in a table: what it spans, from which records (README.md).
constexpr std::array<const char*, kLatencyKinds.size()> kLabels{"produce", "end-to-end", "blocked"};

std::string latency_cell(const nlohmann::json* latency, const char* kind, const Percentile& p) {
  if (latency == nullptr || !latency->contains(kind) || count_at(latency->at(kind), "count") == 0) return "–";
  return format_duration_ns(count_at(latency->at(kind), p.name));
}

}  // namespace

std::vector<LatencyRow> latency_rows(const nlohmann::json& scenario, const std::vector<std::string>& modes,
                                     LatencyDetail detail) {
  std::vector<const nlohmann::json*> latencies;
  bool any = false;
  for (const std::string& mode : modes) {
    latencies.push_back(mode_latency(scenario, mode));
    any = any || latencies.back() != nullptr;
  }
  std::vector<LatencyRow> rows;
  if (!any) return rows;
  const bool compact = detail == LatencyDetail::compact;
  for (std::size_t k = 0; k < kLatencyKinds.size(); ++k) {
    const std::size_t first_row = rows.size();
    bool all_zero = true;
    for (const Percentile& p : kPercentiles) {
      const std::string_view label = p.label;
      if (compact && label != "p50" && label != "p99" && label != "max") continue;
      LatencyRow row{fmt::format("{} {}", kLabels[k], p.label), {}};
      for (const nlohmann::json* latency : latencies) {
        row.cells.push_back(latency_cell(latency, kLatencyKinds[k], p));
        all_zero = all_zero && (row.cells.back() == "0 ns" || row.cells.back() == "–");
      }
      rows.push_back(std::move(row));
    }
    if (compact && all_zero) {  // one row says it: e.g. no message ever waited in the application
      rows.resize(first_row + 1);
      rows.back().label = fmt::format("{} (every percentile)", kLabels[k]);
    }
  }
  LatencyRow throughput{"throughput (acked/s)", {}};
  for (const std::string& mode : modes) {
    const std::optional<double> per_s = mode_throughput_per_s(scenario, mode);
    throughput.cells.push_back(per_s ? fmt::format("{:.1f}", *per_s) : "–");
  }
  rows.push_back(std::move(throughput));
  return rows;
}

}  // namespace ksim::reports
