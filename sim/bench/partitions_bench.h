#pragma once
// Cost per message against the partition count (issue 19 item 1): runs every scenario file
// of a folder (the repository's bench/ by default: 12 brokers with 12 and with 10,000
// partitions and the same 40,000 messages, then 100 brokers, 10,000 partitions and 100,000
// messages), each in its first mode and its own seed, world then batch checker as `ksim run`
// does, and reports wall time per message against the first file's, in one process.
//
// The ratio splits in two factors, each against the first file's: the work Kafka's protocol
// does per message (protocol messages on the wire: at many partitions more fetches answer
// fewer records each, and more commits follow) and ksim's cost per unit of that work (wall
// time per protocol message). The first is the workload's, as Kafka would run it; the second
// is the simulator's own.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/kafka/wire/wire_tally.h"
#include "sim/scenario/input_error.h"

namespace ksim {

struct PartitionsBenchCase {
  std::string file;
  std::uint32_t brokers = 0;
  std::uint32_t partitions = 0;  // over every topic
  std::uint64_t messages = 0;    // produced (distinct messages with a send record)
  std::uint64_t events = 0;
  kafka::WireTally wire;       // the protocol's work for the run
  double wall_seconds = 0;     // the best repeat's world and checker together
  double world_seconds = 0;    // of that repeat
  double checker_seconds = 0;  // of that repeat
  double wall_us_per_message = 0;
  double per_message_vs_first = 0;  // wall_us_per_message / the first case's
  double wire_messages_per_message = 0;
  double work_per_message_vs_first = 0;  // wire_messages_per_message / the first case's
  double wall_us_per_wire_message = 0;
  double cost_per_work_vs_first = 0;  // wall_us_per_wire_message / the first case's
  double wall_us_per_event = 0;
  double cost_per_event_vs_first = 0;
  std::uint64_t peak_rss_bytes = 0;  // the process's peak so far (files run in name order)
  std::uint64_t fingerprint = 0;
};

// Files in name order; errors (no such folder, no scenario in it, a bad file) go to `errors`.
std::vector<PartitionsBenchCase> run_partitions_bench(const std::string& folder, std::uint32_t repeats,
                                                      scenario::InputErrors& errors);

}  // namespace ksim
