#pragma once
// Where a transactional client's coordinator is, shared by the producer and the
// consume-transform-produce member. Kafka's TransactionManager sends FindCoordinator (key
// type transaction) and, on NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE or a broken
// connection, finds it again and retries after retry.backoff.ms (Kafka 0.11 to 4.1). Here
// FindCoordinator is folded into the metadata request both clients already make through
// MetadataRefresh (as the group coordinator is): the answer names the leader of every
// __transaction_state partition, and the client's coordinator is the leader of the
// partition its transactional.id hashes to (TransactionStateManager.partitionFor).
#include <cstdint>

#include "sim/kafka/node/node_context.h"

namespace ksim::kafka {

class TransactionCoordinatorLookup {
 public:
  void set_state_partition(std::uint32_t partition) { state_partition_ = partition; }
  // A metadata answer arrived: the coordinator it names (none while the partition has no leader).
  void update(const MetadataResponse& metadata) {
    broker_ = state_partition_ < metadata.transaction_coordinators.size()
                  ? metadata.transaction_coordinators[state_partition_]
                  : kNoBroker;
  }
  bool known() const { return broker_ != kNoBroker; }
  BrokerId broker() const { return broker_; }
  // NOT_COORDINATOR, a reset connection or a timeout: find it again.
  void lose() { broker_ = kNoBroker; }

 private:
  std::uint32_t state_partition_ = 0;
  BrokerId broker_ = kNoBroker;
};

}  // namespace ksim::kafka
