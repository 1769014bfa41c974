#pragma once
// `ksim run --history-out`: the client-visible part of a run's history, as the JSON Lines
// "ksim-client-history" v1 (client_history_format.h). A pure function of the history: what
// the producers' applications were told (sends: invoke, then ok with the offset, fail or info
// with the error, or info at the end when never answered), what the consumers' polls
// returned, and what the consumers' applications applied. Broker internals (appends,
// truncations, elections, ISR, faults) are not client-visible and are left out.
#include <string>

#include "sim/history/history.h"

namespace ksim::reports {

std::string render_client_history(const history::History& history);

}  // namespace ksim::reports
