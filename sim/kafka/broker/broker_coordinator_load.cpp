// A broker that becomes the leader of a coordinator's internal partition (__consumer_offsets
// for the group coordinator, a __transaction_state partition for the transaction
// coordinator) loads the coordinator's state from its replica before it serves requests.
// Kafka schedules the load on a background thread (GroupMetadataManager.scheduleLoadGroupAndOffsets,
// TransactionStateManager.loadTransactionsForTxnTopicPartition, 0.11 to 4.1), reading the
// partition from its start to its log end; until it is done the partition is "loading" and
// the coordinator answers COORDINATOR_LOAD_IN_PROGRESS. How long that takes is not a Kafka
// setting (KIP-484's partition-load-time metrics measure it); ksim charges
// ksim.coordinator.load.base plus ksim.coordinator.load.per.entry for each entry of the log,
// and nothing for an empty log (nothing to read: the bootstrap's leaders are active at once,
// so runs without a coordinator failover keep their fingerprints).
#include "sim/kafka/broker/broker.h"

#include "sim/core/assert.h"

namespace ksim::kafka {

void Broker::begin_coordinator_load(NodeContext& context, PartitionId partition) {
  const PartitionReplica& replica = hosted(partition);
  const std::int64_t entries = replica.log.log_end_offset().value();
  // The scenario reader bounds per.entry to 1 s and base to 1 h: below 2^32 entries the
  // product stays inside TimeNs.
  KSIM_ASSERT(entries >= 0 && entries < (std::int64_t{1} << 32), "coordinator load of {} entries", entries);
  const TimeNs load_ns =
      entries == 0 ? 0 : config_.coordinator_load_base_ns + entries * config_.coordinator_load_per_entry_ns;
  if (load_ns == 0) {
    finish_coordinator_load(context, partition);
    return;
  }
  if (partition == offsets_partition()) coordinator_.begin_load();
  if (is_state_partition(partition)) transactions_.begin_load(state_index(partition));
  context.set_timer(node_, load_ns, timers::CoordinatorLoad{partition, replica.leader_epoch});
}

void Broker::on_coordinator_loaded(NodeContext& context, const timers::CoordinatorLoad& load) {
  const PartitionReplica* replica = find_replica(load.partition);
  // Stale: the broker lost the leadership (or won it again at a later epoch) meanwhile.
  if (replica == nullptr || replica->leader != index_ || replica->leader_epoch != load.leader_epoch) return;
  finish_coordinator_load(context, load.partition);
}

// The load read the log to its end as it stands now (markers of other coordinators' transactions
// may have been appended to __consumer_offsets meanwhile; Kafka's loader reads them too).
void Broker::finish_coordinator_load(NodeContext& context, PartitionId partition) {
  PartitionReplica& replica = hosted(partition);
  if (partition == offsets_partition()) coordinator_.activate(context, replica.log, replica.leader_epoch);
  if (is_state_partition(partition)) {
    transactions_.activate(context, state_index(partition), replica.log);
    route_markers(context);  // the markers of what it loaded go to the leaders its cache names
  }
}

}  // namespace ksim::kafka
