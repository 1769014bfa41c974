#pragma once
// Several topics (issue 15 item 5): the rows of the per-topic table shown under a
// scenario's counters (the terminal table, summary.md, report.html) when its runs wrote
// more than one topic; one row per (topic, counter), a cell per mode, summed over seeds.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "reports/latency_table.h"

namespace ksim::reports {

// The latency table's row shape: a label ("orders lost") and a cell per mode.
using TopicRow = LatencyRow;

// The counters each run object's "topics" holds, in table order.
inline constexpr const char* kTopicCounters[] = {"produced", "acknowledged", "delivered", "lost", "duplicated"};

// Empty when no run of the scenario has per-topic counters (one topic, or older results).
std::vector<TopicRow> topic_rows(const nlohmann::json& scenario, const std::vector<std::string>& modes);

// Pipelines (issue 15 item 6): the counters of each run object's "pipeline" stages
// (input_to_processor, output_to_downstream, end_to_end), rows as the per-topic table's.
inline constexpr const char* kPipelineCounters[] = {"delivered", "lost", "duplicated", "reordered"};
std::vector<TopicRow> pipeline_rows(const nlohmann::json& scenario, const std::vector<std::string>& modes);

}  // namespace ksim::reports
