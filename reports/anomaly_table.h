#pragma once
// Jepsen's anomalies (issue 16) in the tables people read: the rows of the "Jepsen
// anomalies" table shown under a scenario's counters (the terminal table, summary.md,
// report.html), one row per anomaly seen in some run, a cell per mode, summed over seeds;
// and the first written-out case of each (G0/G1c cycles, precommitted reads) for
// report.html. Read from each run object's "jepsen" counts and "jepsen_cases".
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "reports/latency_table.h"

namespace ksim::reports {

// Rows in Jepsen's order (check::named); empty when no run has an anomaly.
std::vector<LatencyRow> anomaly_rows(const nlohmann::json& scenario, const std::vector<std::string>& modes);

// The first written-out case of each anomaly, from the first run (in document order) that
// has one: (anomaly, "MODE seed N: case"). Empty when no run wrote a case out.
std::vector<std::pair<std::string, std::string>> first_anomaly_cases(const nlohmann::json& scenario);

}  // namespace ksim::reports
