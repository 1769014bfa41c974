#pragma once
// A partition (and a broker) in the cluster's metadata: what the controller decides (leader, epochs,
// replicas, ISR, KIP-966's ELR) and the coordinators read to find a partition's leader.
#include <compare>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "sim/history/history.h"
#include "sim/kafka/log/replica_log.h"

namespace ksim::kafka {

struct PartitionState {
  BrokerId leader = kNoBroker;
  LeaderEpoch leader_epoch{};
  std::int32_t partition_epoch = 0;
  std::vector<BrokerId> replicas;  // preferred leader first
  std::vector<BrokerId> isr;
  std::uint32_t min_insync_replicas = 1;
  // KIP-966's eligible leader replicas (controller_elr.cpp): out of the ISR, yet holding
  // every committed record. Empty unless eligible.leader.replicas.version=1.
  std::vector<BrokerId> elr;
  BrokerId last_known_leader = kNoBroker;  // the last ISR member, when the ISR emptied
  std::size_t isr_size_recorded = 0;  // the ISR's size at its last record_isr (coverage probe only)

  bool operator==(const PartitionState&) const = default;
};

// A broker as the controller's metadata knows it.
struct BrokerRegistration {
  bool fenced = true;
  std::uint32_t incarnation = 0;
  TimeNs last_heartbeat_ns = 0;  // the active controller's clock: not part of the replicated state
  bool shut_down_cleanly = false;  // its last process ended in a controlled shutdown

  // The replicated part: heartbeat times are the active controller's own.
  bool same_registration(const BrokerRegistration& other) const {
    return fenced == other.fenced && incarnation == other.incarnation && shut_down_cleanly == other.shut_down_cleanly;
  }
};

// Which metadata a broker holds: the controller epoch that wrote it, then a count of the
// images that controller published in its epoch (KRaft orders metadata by log offset; a new
// controller epoch starts after everything the last one committed).
struct MetadataVersion {
  std::int32_t controller_epoch = 0;
  std::uint64_t image = 0;  // 0: none yet

  auto operator<=>(const MetadataVersion&) const = default;
};

// The cluster's metadata as the active controller publishes it: every partition (the user
// topics', the offsets partition, the __transaction_state partitions) and which brokers
// are fenced.
struct MetadataImage {
  MetadataVersion version;
  std::vector<PartitionState> partitions;
  std::vector<std::uint8_t> fenced;  // per broker: 1 fenced (not offered to clients)
};

}  // namespace ksim::kafka
