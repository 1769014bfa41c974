#include "reports/topic_table.h"

#include <map>

#include <fmt/format.h>

#include "reports/results_doc.h"

namespace ksim::reports {

std::vector<TopicRow> topic_rows(const nlohmann::json& scenario, const std::vector<std::string>& modes) {
  // (topic, counter) -> sum per mode; topics in name order, as the run objects hold them.
  std::map<std::string, std::map<std::string, std::vector<std::uint64_t>>> sums;
  for (std::size_t m = 0; m < modes.size(); ++m) {
    for (const nlohmann::json* run : mode_runs(scenario, modes[m])) {
      const auto topics = run->find("topics");
      if (topics == run->end() || !topics->is_object()) continue;
      for (const auto& [topic, counts] : topics->items()) {
        for (const char* counter : kTopicCounters) {
          std::vector<std::uint64_t>& cells = sums[topic][counter];
          cells.resize(modes.size(), 0);
          if (counts.is_object() && counts.contains(counter)) cells[m] += count_of(counts.at(counter));
        }
      }
    }
  }
  std::vector<TopicRow> rows;
  for (const auto& [topic, counters] : sums) {
    for (const char* counter : kTopicCounters) {
      TopicRow& row = rows.emplace_back();
      row.label = fmt::format("{} {}", topic, counter);
      for (const std::uint64_t sum : counters.at(counter)) row.cells.push_back(std::to_string(sum));
    }
  }
  return rows;
}

}  // namespace ksim::reports
