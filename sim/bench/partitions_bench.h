#pragma once
// Cost per message against the partition count (issue 19 item 1): runs every scenario file
// of a folder (the repository's bench/ by default: 12 brokers with 12 and with 10,000
// partitions and the same 40,000 messages, then 100 brokers, 10,000 partitions and 100,000
// messages), each in its first mode and its own seed, world and checker as `ksim run` does,
// and reports wall time per message against the first file's, in one process.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/scenario/input_error.h"

namespace ksim {

struct PartitionsBenchCase {
  std::string file;
  std::uint32_t brokers = 0;
  std::uint32_t partitions = 0;   // over every topic
  std::uint64_t messages = 0;     // produced (distinct messages with a send record)
  std::uint64_t events = 0;
  double wall_seconds = 0;        // best of the repeats: world and checker
  double wall_us_per_message = 0;
  double per_message_vs_first = 0;  // wall_us_per_message / the first case's
  std::uint64_t peak_rss_bytes = 0;  // the process's peak so far (files run in name order)
  std::uint64_t fingerprint = 0;
};

// Files in name order; errors (no such folder, no scenario in it, a bad file) go to `errors`.
std::vector<PartitionsBenchCase> run_partitions_bench(const std::string& folder, std::uint32_t repeats,
                                                      scenario::InputErrors& errors);

}  // namespace ksim
