#pragma once
// The protocol messages a run hands to the network, by the kind of work they stand for: what
// Kafka's own request pattern costs for a workload, whatever simulates it. `ksim bench
// partitions` divides a run's wall time by it (issue 19: at many partitions Kafka sends more
// fetches and commits per message, and the cost per unit of that work is what ksim owns).
// Statistics only: no record, verdict or event reads it.
#include <cstdint>

#include "sim/kafka/wire/protocol.h"

namespace ksim::kafka {

struct WireTally {
  std::uint64_t messages = 0;          // every message, requests and answers
  std::uint64_t produce_requests = 0;  // a producer's requests (one per broker, a batch per partition)
  std::uint64_t replica_fetches = 0;   // followers' session fetches
  std::uint64_t consumer_fetches = 0;  // consumers' session fetches
  std::uint64_t offset_commits = 0;    // OffsetCommit and TxnOffsetCommit requests

  void count(const Payload& payload);
};

}  // namespace ksim::kafka
