#pragma once
// The full records of a run's anomalous messages, at any run size (issue 19 item 3). The
// streaming checker keeps no history, and which messages end lost or duplicated is known
// only at the run's end; runs are deterministic, so the run is replayed, judging nothing,
// keeping every record that names one of those messages and every record that names none
// (faults, elections, ISR changes, commits, assignments: what explains them). The cost is
// one more run and memory for the world and the kept records only.
#include <cstdint>
#include <vector>

#include "sim/check/outcome.h"
#include "sim/history/history.h"
#include "sim/kafka/config/world_config.h"

namespace ksim::run {

struct AnomalyRecords {
  // The run's header (workload and run end included) and the kept records, in history order.
  history::History history;
  std::vector<std::uint64_t> message_ids;  // the messages chosen, ascending
  std::uint64_t records_seen = 0;          // every record of the replayed run
  std::uint64_t records_dropped = 0;       // past the bounds on kept records
};

// Every message `outcome` finds lost, duplicated or reordered within its key, and every
// example of its Jepsen anomalies.
std::vector<std::uint64_t> anomalous_messages(const check::Outcome& outcome);

// Runs `config` again and keeps the records of `message_ids` and those naming
// no message.
AnomalyRecords replay_keeping(const kafka::WorldConfig& config, std::vector<std::uint64_t> message_ids);

}  // namespace ksim::run
