#pragma once
// `ksim check-history`: the checker's outcome on a client history as a scenario object of
// results.json, so the terminal table, --json and every report file are the usual ones.
// What a client history cannot show (broker internals: replica logs, truncations,
// elections, ISR changes) is marked, never guessed: those counters are null in the run
// object and in the aggregates, the causes are null, and the run's "unavailable" object
// names them with the reason. Without consumer groups, lost is judged on the replica logs,
// so it is null too.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/check/outcome.h"
#include "sim/history/history.h"

namespace ksim::reports {

// The counters a client history cannot give (broker-side facts).
const std::vector<std::string>& broker_side_counters();

nlohmann::json client_history_scenario(const std::string& file, const history::History& history,
                                       const check::Outcome& outcome);

// One line for the terminal under the table: what was unavailable and why.
std::string unavailable_note(const nlohmann::json& scenario);

}  // namespace ksim::reports
