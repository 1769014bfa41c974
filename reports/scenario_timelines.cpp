#include "reports/scenario_timelines.h"

#include "reports/timeline_json.h"
#include "sim/core/assert.h"

namespace ksim::reports {

nlohmann::json run_timeline_json(const run::RunReport& report) {
  KSIM_ASSERT(report.history.has_value(), "a timeline of {} seed {} needs the run's history", report.mode, report.seed);
  std::vector<FlaggedMessage> flagged;
  for (std::size_t i = 0; i < report.outcome.lost.size() && i < kFlaggedPerStatus; ++i) {
    flagged.push_back({report.outcome.lost[i].message_id, "lost"});
  }
  for (std::size_t i = 0; i < report.outcome.duplicated.size() && i < kFlaggedPerStatus; ++i) {
    flagged.push_back({report.outcome.duplicated[i].message_id, "duplicated"});
  }
  return timeline_to_json(*report.history, report.mode, report.seed, flagged);
}

void set_timelines(nlohmann::json& scenario, const std::vector<nlohmann::json>& timelines) {
  if (!timelines.empty()) scenario["timeline"] = timelines.front();
  scenario["timelines"] = timelines;
}

}  // namespace ksim::reports
