// Building a World: the nodes in their fixed order (brokers, the controller, producers,
// consumers), the network between them, the replica assignment and what each server hosts.
#include <algorithm>

#include <fmt/format.h>

#include "sim/core/assert.h"
#include "sim/history/records.h"
#include "sim/kafka/config/config_names.h"
#include "sim/kafka/config/topic_layout.h"
#include "sim/kafka/controller/replica_assignment.h"
#include "sim/kafka/coordinator/transaction_log.h"
#include "sim/kafka/world.h"

namespace ksim::kafka {

namespace {

std::uint32_t effective_min_isr(const ClusterConfig& cluster, const TopicConfig& topic) {
  return topic.min_insync_replicas >= 0 ? static_cast<std::uint32_t>(topic.min_insync_replicas)
                                        : cluster.broker.min_insync_replicas;
}

// The history header's copy of a partition's replication settings (what the checker's
// invariants need to know which of Kafka's promises applied).
history::PartitionReplication replication_entry(const ClusterConfig& cluster, const TopicConfig& topic,
                                                const std::vector<std::uint32_t>& brokers, const NodeContext& context) {
  history::PartitionReplication entry;
  for (const std::uint32_t broker : brokers) entry.replicas.push_back(context.broker_node(BrokerId{broker}));
  entry.min_insync_replicas = effective_min_isr(cluster, topic);
  entry.unclean_leader_election_enable = cluster.broker.unclean_leader_election_enable;
  entry.strict_min_isr = cluster.broker.strict_min_isr;
  entry.truncate_to_high_watermark = cluster.broker.log_truncation == LogTruncation::high_watermark;
  return entry;
}

}  // namespace

World::World(const WorldConfig& config) : config_(config) {
  KSIM_ASSERT(!config_.cluster.topics.empty(), "a run needs a topic (the loader gives one by default)");
  partitions_ = total_partitions(config_.cluster);
  if (!config_.producers.empty()) record_size_bytes_ = config_.producers.front().message_size_bytes;
  if (!config_.history_spill_directory.empty()) {
    history_.records.spill_to(history::SpillFile::create(config_.history_spill_directory));
  }
  build_nodes();
}

World::~World() = default;

void World::build_nodes() {
  build_network();
  std::vector<std::vector<std::uint32_t>> assignment = assign_replicas();
  const TransactionalIds ids = transactional_id_settings();
  build_servers(std::move(assignment), ids.settings);
  build_producers(ids.settings);
  build_consumers(ids.first_consumer_id, ids.settings);
  partition_cuts_.assign(config_.faults.size(), 0);
  partition_in_force_.assign(config_.faults.size(), false);
  fault_nodes_.assign(config_.faults.size(), {});
  network_impairments_.assign(config_.faults.size(), 0);
  network_fault_over_.assign(config_.faults.size(), false);
  std::vector<std::uint32_t> replication_factors;
  for (const PartitionId p : ids_below<PartitionId>(partitions_)) {
    replication_factors.push_back(config_.cluster.topics[topic_of_partition(config_.cluster, p)].replication_factor);
  }
  triggers_ = FaultTriggers(config_.faults, std::move(replication_factors));
}

// Every node in node order (controller, brokers, producers, consumers), each with its own
// random stream and history entry, on the topology the configuration describes.
void World::build_network() {
  const ClusterConfig& cluster = config_.cluster;
  std::vector<net::NodeInfo> infos;
  auto add = [&](std::string name, std::string kind, Role role, std::uint32_t local, std::string zone) {
    history_.nodes.push_back(history::NodeEntry{name, kind});
    streams_.emplace_back(config_.seed, "node." + name);
    infos.push_back(net::NodeInfo{std::move(name), std::move(kind), std::move(zone)});
    NodeSlot slot;
    slot.role = role;
    slot.local_index = local;
    nodes_.push_back(std::move(slot));
  };
  // A single controller keeps the name it always had; a quorum's voters are numbered.
  for (std::uint32_t c = 0; c < cluster.controllers; ++c) {
    add(cluster.controllers == 1 ? std::string("controller") : fmt::format("controller-{}", c + 1), "controller",
        Role::controller, c, "");
  }
  for (std::uint32_t b = 0; b < cluster.brokers; ++b) {
    add(fmt::format("broker-{}", b + 1), "broker", Role::broker, b,
        b < cluster.broker_racks.size() ? cluster.broker_racks[b] : "");
  }
  std::uint32_t producer_index = 0;
  for (const ProducerWorkload& workload : config_.producers) {
    for (std::uint32_t i = 0; i < workload.count; ++i) {
      add(fmt::format("{}-{}", workload.name, i), "producer", Role::producer, producer_index++, "");
    }
  }
  std::uint32_t consumer_index = 0;
  for (const ConsumerGroupConfig& group : config_.consumer_groups) {
    for (std::uint32_t i = 0; i < group.members; ++i) {
      add(fmt::format("{}-{}", group.name, i), "consumer", Role::consumer, consumer_index++, "");
    }
  }
  for (net::NodeInfo& info : infos) {
    if (const auto zone = config_.zone_of.find(info.name); zone != config_.zone_of.end()) info.zone = zone->second;
  }
  net::Topology topology = config_.inter_zone_profile
                               ? net::Topology::zoned_mesh(std::move(infos), config_.link_profile,
                                                           *config_.inter_zone_profile)
                               : net::Topology::full_mesh(std::move(infos), config_.link_profile);
  for (const LinkOverride& link : config_.link_overrides) {
    const auto from = topology.find_node(link.from);
    const auto to = topology.find_node(link.to);
    KSIM_ASSERT(from && to, "link override {} -> {} names unknown nodes (the loader validates names)", link.from,
                link.to);
    topology.set_link(*from, *to, link.profile);
    if (link.both_ways) topology.set_link(*to, *from, link.profile);
  }
  network_ = std::make_unique<net::Network>(std::move(topology), config_.seed);
}

// The replicas of each user partition, topic after topic, then of the offsets partition,
// each drawn from its own stream; the user partitions' topic, in-topic number and
// replication settings go into the history header.
std::vector<std::vector<std::uint32_t>> World::assign_replicas() {
  const ClusterConfig& cluster = config_.cluster;
  std::vector<std::vector<std::uint32_t>> assignment;
  for (std::uint32_t t = 0; t < cluster.topics.size(); ++t) {
    const TopicConfig& topic = cluster.topics[t];
    for (std::vector<std::uint32_t>& replicas : assign_topic_replicas(t)) {
      history_.partitions.push_back(history::PartitionEntry{topic.name, static_cast<std::uint32_t>(assignment.size()) -
                                                                            topic_range(cluster, t).first});
      history_.replication.push_back(replication_entry(cluster, topic, replicas, *this));
      assignment.push_back(std::move(replicas));
    }
  }
  KSIM_ASSERT(assignment.size() == partitions_, "replica assignment of {} partitions for {} (the loader checks it)",
              assignment.size(), partitions_);
  // The offsets partition (__consumer_offsets-0) after the user partitions: its own topic,
  // placed with its own random start, replication factor 3 (offsets.topic.replication.factor)
  // or every broker if fewer; min.insync.replicas is the broker default.
  RandomStream offsets_stream(config_.seed, "kafka.offsets-assignment");
  const auto offsets_start = static_cast<std::uint32_t>(offsets_stream.uniform_below(cluster.brokers));
  assignment.push_back(assign_replicas_for_cluster(1, offsets_replication_factor(), cluster.brokers,
                                                   cluster.broker_racks, offsets_start, 0)
                           .front());
  // __transaction_state after it, only in a run with transactions: Kafka creates the topic
  // on the first FindCoordinator of key type transaction. Its own stream, so a run without
  // transactions draws nothing more.
  if (transaction_state_partitions() > 0) {
    RandomStream state_stream(config_.seed, "kafka.transaction-state-assignment");
    const auto start = static_cast<std::uint32_t>(state_stream.uniform_below(cluster.brokers));
    const auto shift = static_cast<std::uint32_t>(state_stream.uniform_below(cluster.brokers));
    for (std::vector<std::uint32_t>& replicas :
         assign_replicas_for_cluster(transaction_state_partitions(), transaction_state_replication_factor(),
                                     cluster.brokers, cluster.broker_racks, start, shift)) {
      assignment.push_back(std::move(replicas));
    }
  }
  return assignment;
}

// One topic's replicas, as Kafka places a new topic's: a random start and shift per topic
// (AdminUtils.assignReplicasToBrokers draws both for each topic it creates). The first
// topic draws from the stream a one-topic run always used; each other from its own.
std::vector<std::vector<std::uint32_t>> World::assign_topic_replicas(std::uint32_t t) const {
  const ClusterConfig& cluster = config_.cluster;
  const TopicConfig& topic = cluster.topics[t];
  RandomStream assignment_stream(config_.seed,
                                 t == 0 ? std::string("kafka.replica-assignment") : "kafka.replica-assignment." + topic.name);
  const auto start_index = static_cast<std::uint32_t>(assignment_stream.uniform_below(cluster.brokers));
  const auto shift = static_cast<std::uint32_t>(assignment_stream.uniform_below(cluster.brokers));
  // A pinned assignment replaces the drawn one; the draws above happen anyway (their own
  // stream), so pinning changes nothing else of the run.
  if (!topic.replica_assignment.empty()) return topic.replica_assignment;
  return assign_replicas_for_cluster(topic.partitions, topic.replication_factor, cluster.brokers, cluster.broker_racks,
                                     start_index, shift);
}

std::uint32_t World::offsets_replication_factor() const { return std::min<std::uint32_t>(3, config_.cluster.brokers); }

bool World::uses_transactions() const {
  for (const ProducerWorkload& workload : config_.producers) {
    if (!workload.config.transactional_id.empty()) return true;
  }
  for (const ConsumerGroupConfig& group : config_.consumer_groups) {
    if (group.commit_strategy == CommitStrategy::transactional) return true;
  }
  return false;
}

std::uint32_t World::transaction_state_partitions() const {
  return uses_transactions() ? config_.cluster.broker.transaction_state_partitions : 0;
}

// transaction.state.log.replication.factor, or min(3, brokers) when not set (the loader
// refuses more than the brokers).
std::uint32_t World::transaction_state_replication_factor() const {
  const std::uint32_t configured = config_.cluster.broker.transaction_state_replication_factor;
  return configured > 0 ? configured : std::min<std::uint32_t>(3, config_.cluster.brokers);
}

// One transactional id per producer (index = producer index; unused by producers without
// transactional.id), its producer id the top of that producer's block of ids; then one per
// consumer, for consume-transform-produce members (commit: transactional).
// Each id's __transaction_state partition is partitionFor of its name: the producer's
// transactional.id (with "-i" appended when a workload runs several producers, each its own
// id here), or a consume-transform-produce member's node name.
World::TransactionalIds World::transactional_id_settings() const {
  TransactionalIds ids;
  const std::uint32_t state_partitions = std::max<std::uint32_t>(1, transaction_state_partitions());
  const auto partition_for = [&](const std::string& name) { return transaction_state_partition_for(name, state_partitions); };
  std::uint32_t client = 0;
  for (const ProducerWorkload& workload : config_.producers) {
    for (std::uint32_t i = 0; i < workload.count; ++i, ++client) {
      const auto index = static_cast<std::uint32_t>(ids.settings.size());
      const std::string& id = workload.config.transactional_id;
      ids.settings.push_back(TransactionalIdSettings{client_node(client), ProducerId{((index + 1) << 16) | 0xFFFFU},
                                                     workload.config.transaction_timeout_ns,
                                                     partition_for(workload.count == 1 ? id : fmt::format("{}-{}", id, i))});
    }
  }
  ids.first_consumer_id = static_cast<std::uint32_t>(ids.settings.size());
  for (const ConsumerGroupConfig& group : config_.consumer_groups) {
    for (std::uint32_t m = 0; m < group.members; ++m, ++client) {
      const auto index = static_cast<std::uint32_t>(ids.settings.size());
      const NodeId node = client_node(client);
      ids.settings.push_back(TransactionalIdSettings{node, ProducerId{((index + 1) << 16) | 0xFFFFU},
                                                     milliseconds(60'000), partition_for(history_.nodes[node.index()].name)});
    }
  }
  return ids;
}

void World::build_servers(std::vector<std::vector<std::uint32_t>> assignment,
                          std::vector<TransactionalIdSettings> transactional_ids) {
  const ClusterConfig& cluster = config_.cluster;
  const std::uint32_t offsets_min_isr = std::min(cluster.broker.min_insync_replicas, offsets_replication_factor());
  std::vector<GroupSettings> group_settings;
  for (const ConsumerGroupConfig& group : config_.consumer_groups) {
    const PartitionRange range = topic_range(cluster, client_topic(group.topic));
    group_settings.push_back(GroupSettings{range.count, group.config.session_timeout_ns,
                                           group.config.partition_assignment_strategy, range.first});
  }
  // Each user partition's topic's min.insync.replicas (one value with one topic).
  std::vector<std::uint32_t> min_isr_by_partition;
  for (const PartitionId p : ids_below<PartitionId>(partitions_)) {
    min_isr_by_partition.push_back(effective_min_isr(cluster, cluster.topics[topic_of_partition(cluster, p)]));
  }
  const std::uint32_t min_isr = min_isr_by_partition.front();
  const std::uint32_t state_partitions = transaction_state_partitions();
  const std::uint32_t state_min_isr =
      std::min(cluster.broker.transaction_state_min_isr, transaction_state_replication_factor());
  // Every voter holds the metadata; the transaction coordinators are on the brokers.
  for (std::uint32_t c = 0; c < cluster.controllers; ++c) {
    controllers_.push_back(std::make_unique<Controller>(quorum_node(c), cluster.broker, assignment,
                                                        cluster.brokers, min_isr, offsets_min_isr, PartitionId{partitions_}));
    if (cluster.controllers > 1) controllers_.back()->join_quorum(c, cluster.controllers, cluster.quorum);
    for (const PartitionId p : ids_below<PartitionId>(partitions_)) controllers_.back()->set_min_insync_replicas(p, min_isr_by_partition[p.index()]);
    for (std::uint32_t s = 0; s < state_partitions; ++s) {
      controllers_.back()->set_min_insync_replicas(PartitionId{partitions_ + 1 + s}, state_min_isr);
    }
  }
  brokers_.reserve(cluster.brokers);
  for (const BrokerId b : ids_below<BrokerId>(cluster.brokers)) {
    const BrokerPlacement placement{.index = b,
                                    .node = broker_node(b),
                                    .partition_count = partitions_ + 1 + state_partitions,
                                    .broker_count = cluster.brokers,
                                    .min_insync_replicas = min_isr,
                                    .offsets_min_insync_replicas = offsets_min_isr};
    brokers_.emplace_back(placement, cluster.broker, group_settings);
    brokers_.back().set_topic_min_insync_replicas(min_isr_by_partition);
    brokers_.back().set_writeback(writeback_schedule(b));
    if (state_partitions > 0) brokers_.back().host_transaction_state(transactional_ids, state_partitions, state_min_isr);
  }
}

// Broker b's page-cache writeback schedule: its pinned phase, or one drawn from its own
// stream (broker/os_writeback.h), so no two machines write back in step.
WritebackSchedule World::writeback_schedule(BrokerId b) const {
  const ClusterConfig& cluster = config_.cluster;
  const TimeNs interval_ns = cluster.broker.os_flush_interval_ns;
  if (b.index() < cluster.os_flush_phases_ns.size() && cluster.os_flush_phases_ns[b.index()] >= 0) {
    return WritebackSchedule(interval_ns, cluster.os_flush_phases_ns[b.index()]);
  }
  return WritebackSchedule(interval_ns, draw_writeback_phase_ns(config_.seed, history_.nodes[broker_node(b).index()].name, interval_ns));
}

// The topic a producer or group names, as an index into cluster.topics. The loader refuses
// unknown names; a configuration built in code with one topic may leave the default name.
std::uint32_t World::client_topic(const std::string& name) const {
  if (const auto topic = topic_index(config_.cluster, name)) return *topic;
  KSIM_ASSERT(config_.cluster.topics.size() == 1, "a client names topic \"{}\", not one of the run's {} topics", name,
              config_.cluster.topics.size());
  return 0;
}

void World::build_producers(const std::vector<TransactionalIdSettings>& transactional_ids) {
  std::uint32_t producer_index = 0;
  for (const ProducerWorkload& workload : config_.producers) {
    std::shared_ptr<const ZipfTable> zipf_keys;
    if (workload.zipf_exponent > 0 && workload.key_space > 0) {
      zipf_keys = std::make_shared<const ZipfTable>(workload.key_space, workload.zipf_exponent);
    }
    for (std::uint32_t i = 0; i < workload.count; ++i, ++producer_index) {
      const NodeId node = client_node(producer_index);
      // Producer ids: a block of 2^16 per producer, one id per client session.
      // The application's arrivals draw from a stream of their own, not the node's, so
      // every mode is offered the same messages at the same times with the same keys.
      ArrivalProcess arrivals(RandomStream(config_.seed, "application." + history_.nodes[node.index()].name), workload,
                              config_.workload_duration_ns, zipf_keys);
      producers_.emplace_back(producer_index, node, workload, partitions_, (producer_index + 1) << 16,
                              std::move(arrivals));
      const PartitionRange range = topic_range(config_.cluster, client_topic(workload.topic));
      producers_.back().set_topic_partitions(range.first, range.count);
      producers_.back().set_transaction_state_partition(transactional_ids[producer_index].state_partition);
      history_.producers.push_back(history::ProducerEntry{
          node, workload.config.acks, workload.config.enable_idempotence,
          workload.config.max_in_flight_requests_per_connection, !workload.config.transactional_id.empty()});
    }
  }
}

void World::build_consumers(std::uint32_t first_consumer_transactional_id,
                            const std::vector<TransactionalIdSettings>& transactional_ids) {
  const auto producer_count = static_cast<std::uint32_t>(producers_.size());
  std::uint32_t consumer_index = 0;
  for (std::uint32_t g = 0; g < config_.consumer_groups.size(); ++g) {
    const ConsumerGroupConfig& group = config_.consumer_groups[g];
    sinks_.push_back(std::make_unique<Sink>(group.sink));
    history::ConsumerGroupEntry entry{group.name, std::string(to_string(group.commit_strategy)),
                                      group.sink == SinkKind::idempotent, {}, group.config.read_committed, {}};
    const PartitionRange range = topic_range(config_.cluster, client_topic(group.topic));
    for (std::uint32_t p = range.first; p < range.first + range.count; ++p)
      entry.partitions.push_back(PartitionId{p});
    std::optional<PartitionRange> output;
    if (group.output.enabled()) {
      output = topic_range(config_.cluster, client_topic(group.output.topic));
      for (std::uint32_t p = output->first; p < output->first + output->count; ++p)
        entry.output_partitions.push_back(PartitionId{p});
    }
    history_.groups.push_back(entry);
    for (std::uint32_t m = 0; m < group.members; ++m, ++consumer_index) {
      const NodeId node = client_node(producer_count + consumer_index);
      consumers_.emplace_back(consumer_index, node, g, group, *sinks_.back());
      const std::uint32_t id = first_consumer_transactional_id + consumer_index;
      consumers_.back().set_transactional_id(id, transactional_ids[id].state_partition);
      if (!output) continue;
      // A processor's producer (pipelines): its output records are sends of its node.
      consumers_.back().set_output_partitions(output->first, output->count);
      const bool transactional = group.commit_strategy == CommitStrategy::transactional;
      const ProducerConfig& producer = group.output.producer;
      history_.producers.push_back(
          history::ProducerEntry{node, transactional ? Acks::all : producer.acks,
                                 transactional || producer.enable_idempotence, 1, transactional});
    }
  }
}

}  // namespace ksim::kafka
