#include "reports/scenario_timelines.h"
#include "sim/check/outcome.h"

#include "reports/timeline_json.h"
#include "sim/core/assert.h"

namespace ksim::reports {

nlohmann::json run_timeline_json(const run::RunReport& report) {
  KSIM_ASSERT(report.history.has_value(), "a timeline of {} seed {} needs the run's history", report.mode, report.seed);
  // Each with its cause and explanation, for the timeline's click-to-explain panel.
  std::vector<FlaggedMessage> flagged;
  const auto add = [&flagged](const std::vector<check::ExplainedMessage>& messages, const char* status) {
    for (std::size_t i = 0; i < messages.size() && i < kFlaggedPerStatus; ++i) {
      flagged.push_back({messages[i].message_id, status, std::string(check::to_string(messages[i].category)),
                         messages[i].explanation});
    }
  };
  add(report.outcome.lost, "lost");
  add(report.outcome.duplicated, "duplicated");
  return timeline_to_json(*report.history, report.mode, report.seed, flagged);
}

void set_timelines(nlohmann::json& scenario, const std::vector<nlohmann::json>& timelines) {
  if (!timelines.empty()) scenario["timeline"] = timelines.front();
  scenario["timelines"] = timelines;
}

}  // namespace ksim::reports
