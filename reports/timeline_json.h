#pragma once
// The timeline of one run for report.html's space-time diagram, read from its history:
// fault bands, elections, and the life lines (send, retries, appends, acknowledgement,
// truncations, polls, effects) of the lost and duplicated messages the checker named.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/history/history.h"

namespace ksim::reports {

struct FlaggedMessage {
  std::uint64_t message_id = 0;
  std::string status;  // "lost" or "duplicated"
  std::string cause;        // the checker's cause category, e.g. "truncated_after_ack"
  std::string explanation;  // the checker's sentence about this message
};

nlohmann::json timeline_to_json(const history::History& history, const std::string& mode, std::uint64_t seed,
                                const std::vector<FlaggedMessage>& messages);

}  // namespace ksim::reports
