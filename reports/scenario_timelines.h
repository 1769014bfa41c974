#pragma once
// The timelines of a scenario object (report.html's space-time diagrams): the runs chosen
// by run::timeline_runs, rerun with their history by the caller, drawn from that history.
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/run/run_once.h"

namespace ksim::reports {

// A run (kept with its history) as a timeline, its first lost and duplicated messages
// (at most kFlaggedPerStatus of each) flagged.
inline constexpr std::size_t kFlaggedPerStatus = 8;
nlohmann::json run_timeline_json(const run::RunReport& report);

// "timelines" (all of them) and "timeline" (the first, when there is one) of a scenario.
void set_timelines(nlohmann::json& scenario, const std::vector<nlohmann::json>& timelines);

}  // namespace ksim::reports
