#pragma once
// A broker's metadata cache (Kafka's KRaftMetadataCache, Kafka 2.8+ and the only one from
// 4.0; ZkMetadataCache before): the last metadata image the broker learned from the active
// controller, through a MetadataUpdate push or a heartbeat answer, so it lags the controller
// by at least a network delay, and further while the broker cannot reach it. Clients' Metadata
// requests (FindCoordinator folded in) are answered from it, and the transaction coordinator
// on this broker routes its markers by it (TransactionMarkerChannelManager reads the
// broker's metadata cache). An older image than the one held is ignored (a delayed push, or
// one from a deposed controller). The cache lives in memory: a restarted broker answers no
// Metadata request until its first image arrives (KRaft brokers serve clients only once
// caught up with the metadata log, KIP-631's broker startup).
#include <cstdint>
#include <memory>
#include <vector>

#include "sim/kafka/wire/protocol.h"

namespace ksim::kafka {

class MetadataCache {
 public:
  // The image if newer than the one held; false if it was ignored.
  bool update(std::shared_ptr<const MetadataImage> image);
  void clear() { image_.reset(); }
  bool ready() const { return image_ != nullptr; }
  MetadataVersion version() const { return image_ == nullptr ? MetadataVersion{} : image_->version; }
  // The leader of `partition` as the cache has it; kNoBroker when unknown.
  BrokerId leader(PartitionId partition) const;
  // Its leader epoch as the cache has it; kNoLeaderEpoch when unknown.
  LeaderEpoch leader_epoch(PartitionId partition) const;
  // Leaders of partitions [first, end) (kNoBroker for those the cache does not hold).
  std::vector<BrokerId> leaders(std::uint32_t first, std::uint32_t end) const;
  // A Metadata answer: the user partitions below `offsets_partition`, the group coordinator
  // (its leader), the transaction coordinators (the leaders above it) and the live brokers.
  MetadataResponse answer(PartitionId offsets_partition) const;

 private:
  std::shared_ptr<const MetadataImage> image_;
};

}  // namespace ksim::kafka
