#include "reports/topic_table.h"

#include <map>
#include <utility>

#include <fmt/format.h>

#include "reports/results_doc.h"

namespace ksim::reports {

namespace {

// The rows of one object of named counter maps in every run ("topics", "pipeline"), summed
// over seeds: (name, counter) -> a cell per mode; names in name order, as the runs hold them.
template <std::size_t N>
std::vector<TopicRow> object_rows(const nlohmann::json& scenario, const std::vector<std::string>& modes,
                                  const char* key, const char* const (&counters_shown)[N]) {
  std::map<std::string, std::map<std::string, std::vector<std::uint64_t>>> sums;
  for (std::size_t m = 0; m < modes.size(); ++m) {
    for (const nlohmann::json* run : mode_runs(scenario, modes[m])) {
      const auto topics = run->find(key);
      if (topics == run->end() || !topics->is_object()) continue;
      for (const auto& [topic, counts] : topics->items()) {
        for (const char* counter : counters_shown) {
          std::vector<std::uint64_t>& cells = sums[topic][counter];
          cells.resize(modes.size(), 0);
          if (counts.is_object() && counts.contains(counter)) cells[m] += count_of(counts.at(counter));
        }
      }
    }
  }
  std::vector<TopicRow> rows;
  for (const auto& [topic, counters] : sums) {
    for (const char* counter : counters_shown) {
      TopicRow& row = rows.emplace_back();
      row.label = fmt::format("{} {}", topic, counter);
      for (const std::uint64_t sum : counters.at(counter)) row.cells.push_back(std::to_string(sum));
    }
  }
  return rows;
}

}  // namespace

std::vector<TopicRow> topic_rows(const nlohmann::json& scenario, const std::vector<std::string>& modes) {
  return object_rows(scenario, modes, "topics", kTopicCounters);
}

// Stage order (processor, downstream, end to end) and labels short enough for the tables'
// label column: "processor lost", "downstream lost", "end_to_end lost".
std::vector<TopicRow> pipeline_rows(const nlohmann::json& scenario, const std::vector<std::string>& modes) {
  const std::vector<TopicRow> rows = object_rows(scenario, modes, "pipeline", kPipelineCounters);
  const std::pair<const char*, const char*> stages[] = {
      {"input_to_processor", "processor"}, {"output_to_downstream", "downstream"}, {"end_to_end", "end_to_end"}};
  std::vector<TopicRow> ordered;
  for (const auto& [stage, label] : stages) {
    const std::string prefix = std::string(stage) + " ";
    for (const TopicRow& row : rows) {
      if (row.label.rfind(prefix, 0) != 0) continue;
      TopicRow& shown = ordered.emplace_back(row);
      shown.label = label + std::string(" ") + row.label.substr(prefix.size());
    }
  }
  return ordered;
}

}  // namespace ksim::reports
