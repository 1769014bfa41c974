// Kafka's replication safety invariants; the rules are in invariants.h, the sources in
// scenarios/README.md ("Safety invariants").
#include "sim/check/invariants.h"

#include <algorithm>
#include <bit>

namespace ksim::check {

namespace {

void count(InvariantCount& invariant, bool promised) {
  ++invariant.seen;
  if (promised) ++invariant.promised;
}

bool in_mask(std::uint64_t mask, std::uint32_t position) {
  return position < 64 && ((mask >> position) & 1U) != 0;
}

std::uint64_t bit(std::uint32_t position) {
  return position < 64 ? std::uint64_t{1} << position : 0;
}

}  // namespace

InvariantJudge::InvariantJudge(const history::History& history, std::uint32_t partition_count,
                               std::uint32_t message_count)
    : history_(history), partitions_(partition_count) {
  std::size_t most_replicas = 0;
  for (std::uint32_t p = 0; p < partition_count && p < history.replication.size(); ++p) {
    const history::PartitionReplication& entry = history.replication[p];
    if (entry.replicas.empty()) continue;
    partitions_[p].config = &entry;
    partitions_[p].replicas.resize(entry.replicas.size());
    most_replicas = std::max(most_replicas, entry.replicas.size());
  }
  // A byte per message when every partition has at most 8 replicas (issue 19: 7 bytes a
  // message fewer in a long run), else 64 bits.
  narrow_holders_ = most_replicas <= 8;
  if (narrow_holders_) holders_narrow_.assign(message_count, 0);
  else holders_wide_.assign(message_count, 0);
}

void InvariantJudge::reserve(std::size_t message_count) {
  if (narrow_holders_) holders_narrow_.reserve(message_count);
  else holders_wide_.reserve(message_count);
}

void InvariantJudge::grow_to(std::uint32_t message_count) {
  if (narrow_holders_) holders_narrow_.resize(message_count, 0);
  else holders_wide_.resize(message_count, 0);
}

void InvariantJudge::add_holder(std::uint32_t message, std::uint32_t position) {
  if (narrow_holders_) holders_narrow_[message] |= static_cast<std::uint8_t>(bit(position));
  else holders_wide_[message] |= bit(position);
}

std::uint32_t InvariantJudge::holder_count(std::uint32_t message) const {
  return static_cast<std::uint32_t>(narrow_holders_ ? std::popcount(holders_narrow_[message])
                                                     : std::popcount(holders_wide_[message]));
}

std::uint32_t InvariantJudge::position(const Partition& partition, std::uint32_t broker) const {
  if (partition.config == nullptr) return kNone;
  const auto& replicas = partition.config->replicas;
  const auto it = std::find(replicas.begin(), replicas.end(), NodeId{broker});
  return it == replicas.end() ? kNone : static_cast<std::uint32_t>(it - replicas.begin());
}

// Kafka's promises hold for a partition with a known configuration until an unflushed power
// loss (A4/A5), an election from outside the ISR (A3), and never with pre-KIP-101
// truncation to the high watermark (A6).
bool InvariantJudge::promised(const Partition& partition) const {
  return partition.config != nullptr && !partition.config->truncate_to_high_watermark &&
         !partition.power_loss && !partition.election_outside_isr;
}

std::int64_t InvariantJudge::log_end(const LogReplay& replay, std::uint32_t broker,
                                     std::uint32_t partition) const {
  const std::vector<std::uint32_t>* log = replay.replica_log(broker, partition);
  return log == nullptr ? 0 : static_cast<std::int64_t>(log->size());
}

std::int64_t InvariantJudge::leader_high_watermark(const Partition& partition) const {
  const std::uint32_t leader = position(partition, partition.leader);
  return leader == kNone ? 0 : partition.replicas[leader].high_watermark;
}

void InvariantJudge::note_log_change(Partition& partition, std::uint32_t broker, bool power_loss) {
  const std::uint32_t at = position(partition, broker);
  if (at == kNone) return;
  Replica& replica = partition.replicas[at];
  replica.leader_hw_at_log_change = leader_high_watermark(partition);
  replica.leader_epoch_at_log_change = partition.leader_epoch;
  replica.log_change_was_power_loss = power_loss;
}

InvariantJudge::Partition* InvariantJudge::judged(std::uint32_t partition) {
  return partition < partitions_.size() ? &partitions_[partition] : nullptr;
}

void InvariantJudge::on_truncate(const history::TruncateRecord& r) {
  Partition* partition = judged(r.partition.value());
  if (partition == nullptr) return;
  const bool power_loss = r.reason == history::TruncationReason::power_failure;
  partition->power_loss = partition->power_loss || power_loss;
  // A truncated replica's HW drops with its log (ReplicaLog::truncate_to).
  if (const std::uint32_t at = position(*partition, r.broker.value()); at != kNone) {
    partition->replicas[at].high_watermark =
        std::min(partition->replicas[at].high_watermark, r.offset.value());
  }
  note_log_change(*partition, r.broker.value(), power_loss);
}

// (c) Kafka adds a follower once its fetch offset reached the leader's HW (and the start of
// the leader's epoch). Its fetch left after its last log change, when the leader's HW was
// at least what it was at that change: a log end below that HW is a join before catching up.
void InvariantJudge::on_isr_changed(const history::IsrChangedRecord& r, const LogReplay& replay,
                                    InvariantFacts& out) {
  if (judged(r.partition.value()) == nullptr) return;
  Partition& partition = partitions_[r.partition.value()];
  if (partition.config == nullptr) return;
  const std::uint64_t added = partition.isr_known ? r.isr_mask & ~partition.isr : 0;
  for (std::uint32_t at = 0; at < partition.replicas.size(); ++at) {
    const std::uint32_t broker = partition.config->replicas[at].value();
    if (!in_mask(added, at) || broker == partition.leader) continue;  // an unclean election's ISR is (b)'s
    const Replica& replica = partition.replicas[at];
    if (replica.leader_epoch_at_log_change != partition.leader_epoch)
      continue;  // judged against another leader
    if (log_end(replay, broker, r.partition.value()) < replica.leader_hw_at_log_change) {
      count(out.isr_joined_before_caught_up, promised(partition) && !replica.log_change_was_power_loss);
    }
  }
  partition.isr = r.isr_mask;
  partition.isr_known = true;
}

// (b) Clean elections pick an ISR member [DES]; an unclean one is allowed only with
// unclean.leader.election.enable [TC].
void InvariantJudge::on_leader_elected(const history::LeaderElectedRecord& r, InvariantFacts& out) {
  if (judged(r.partition.value()) == nullptr) return;
  Partition& partition = partitions_[r.partition.value()];
  partition.leader = r.leader.value();
  partition.leader_epoch = r.leader_epoch.value();
  if (r.leader.value() == history::kNoNode) return;
  const std::uint32_t at = position(partition, r.leader.value());
  const bool outside_isr =
      r.unclean || (partition.config != nullptr && partition.isr_known && !in_mask(partition.isr, at));
  if (!outside_isr) return;
  partition.election_outside_isr = true;
  if (partition.config != nullptr && !partition.config->unclean_leader_election_enable) {
    count(out.unclean_election_when_disabled, true);
  }
}

// (d) The HW is the offset below which every ISR member holds the log [DES]: judged on the
// current leader's HW moves (a deposed leader's claims are about a stale ISR).
void InvariantJudge::on_high_watermark(const history::HighWatermarkRecord& r, const LogReplay& replay,
                                       InvariantFacts& out) {
  if (judged(r.partition.value()) == nullptr) return;
  on_replica_high_watermark(r.broker.value(), r.partition.value(), r.high_watermark.value(), replay, out);
  Partition& partition = partitions_[r.partition.value()];
  if (partition.config == nullptr || !partition.isr_known) return;
  if (r.broker.value() != partition.leader || r.leader_epoch.value() != partition.leader_epoch) return;
  for (std::uint32_t at = 0; at < partition.replicas.size(); ++at) {
    if (in_mask(partition.isr, at) && log_end(replay, partition.config->replicas[at].value(),
                                              r.partition.value()) < r.high_watermark.value()) {
      count(out.hw_above_isr_member_log, promised(partition));
    }
  }
}

// (e) Replicas agree below their high watermarks (hachikuji/kafka-specification's
// consistency invariant; KIP-101, KIP-279): each offset a replica's HW newly covers is
// compared with every other replica whose HW already covers it.
void InvariantJudge::on_follower_high_watermark(const history::FollowerHighWatermarkRecord& r,
                                                const LogReplay& replay, InvariantFacts& out) {
  if (judged(r.partition.value()) == nullptr) return;
  on_replica_high_watermark(r.broker.value(), r.partition.value(), r.high_watermark.value(), replay, out);
}

void InvariantJudge::on_replica_high_watermark(std::uint32_t broker, std::uint32_t partition_index,
                                               std::int64_t high_watermark, const LogReplay& replay,
                                               InvariantFacts& out) {
  Partition& partition = partitions_[partition_index];
  partition.max_high_watermark = std::max(partition.max_high_watermark, high_watermark);
  const std::uint32_t at = position(partition, broker);
  if (at == kNone) return;
  Replica& replica = partition.replicas[at];
  const std::int64_t from = replica.high_watermark;
  replica.high_watermark = high_watermark;
  const std::vector<std::uint32_t>* log = replay.replica_log(broker, partition_index);
  if (log == nullptr) return;
  const std::int64_t to = std::min<std::int64_t>(high_watermark, static_cast<std::int64_t>(log->size()));
  for (std::int64_t o = std::max<std::int64_t>(from, 0); o < to; ++o) {
    const std::uint32_t entry = (*log)[static_cast<std::size_t>(o)];
    if (entry == kNone) continue;
    for (std::uint32_t other = 0; other < partition.replicas.size(); ++other) {
      if (other == at || o >= partition.replicas[other].high_watermark) continue;
      const auto* other_log = replay.replica_log(partition.config->replicas[other].value(), partition_index);
      if (other_log == nullptr || o >= static_cast<std::int64_t>(other_log->size())) continue;
      const std::uint32_t other_entry = (*other_log)[static_cast<std::size_t>(o)];
      if (other_entry != kNone && other_entry != entry) {
        count(out.replicas_diverged_below_both_hw, promised(partition));
        break;
      }
    }
  }
}

void InvariantJudge::on_append(const history::AppendRecord& r, std::uint32_t message, std::int32_t transaction) {
  Partition* partition = judged(r.partition.value());
  if (partition == nullptr) return;
  const bool recorded = transaction >= 0 || !partition->copy_transaction.empty();
  if (r.source == history::AppendSource::leader && r.offset.value() >= 0 && recorded) {
    const auto at_offset = static_cast<std::size_t>(r.offset.value());
    if (partition->copy_transaction.size() <= at_offset) partition->copy_transaction.resize(at_offset + 1, -1);
    partition->copy_transaction[at_offset] = message == kNone ? -1 : transaction;
  }
  const std::uint32_t at = position(*partition, r.broker.value());
  if (at == kNone) return;
  if (message != kNone) add_holder(message, at);
  note_log_change(*partition, r.broker.value(), false);
}

void InvariantJudge::on_append_range(const history::FollowerAppendRangeRecord& r, const LogReplay& replay) {
  Partition* partition = judged(r.partition.value());
  if (partition == nullptr) return;
  const std::uint32_t at = position(*partition, r.follower.value());
  if (at == kNone) return;
  if (const std::vector<std::uint32_t>* log = replay.replica_log(r.follower.value(), r.partition.value())) {
    const auto end = std::min<std::int64_t>(r.first_offset.value() + static_cast<std::int64_t>(r.count),
                                            static_cast<std::int64_t>(log->size()));
    for (std::int64_t o = std::max<std::int64_t>(r.first_offset.value(), 0); o < end; ++o) {
      const std::uint32_t held = (*log)[static_cast<std::size_t>(o)];
      if (held != kNone) add_holder(held, at);
    }
  }
  note_log_change(*partition, r.follower.value(), false);
}

// (a) acks=all: the leader refuses below min.insync.replicas (NOT_ENOUGH_REPLICAS) and
// answers only once the HW passed the record with the ISR still that large
// (NOT_ENOUGH_REPLICAS_AFTER_APPEND otherwise) [PC][TC].
void InvariantJudge::on_acknowledged(const history::SendAcknowledgedRecord& r, std::uint32_t message,
                                     InvariantFacts& out) {
  if (judged(r.partition.value()) == nullptr) return;
  const Partition& partition = partitions_[r.partition.value()];
  if (message == kNone || partition.config == nullptr) return;
  const auto producer =
      std::find_if(history_.producers.begin(), history_.producers.end(),
                   [&](const history::ProducerEntry& entry) { return entry.node == r.producer; });
  if (producer == history_.producers.end() || producer->acks != history::Acks::all) return;
  // Not held against Kafka once the partition lost an unflushed tail (or under pre-KIP-101
  // truncation): a follower may then hold another record at the offset its leader counts
  // it for, as on a pre-2.2 ZooKeeper controller whose leader came back from a power
  // failure still leading in the same epoch (bounced.broker.detection false).
  if (holder_count(message) < partition.config->min_insync_replicas) {
    count(out.acked_below_min_insync, promised(partition));
  }
}

// (g) Consumers read below the HW, read_committed ones below the LSO [DES][CC]. The HW bound
// is the highest any replica reached so far; the LSO bound is that the record's own
// transaction was decided before the poll.
void InvariantJudge::on_poll(const history::PollRecord& r, std::uint32_t message, const Facts& facts,
                             InvariantFacts& out) {
  if (judged(r.partition.value()) == nullptr) return;
  const Partition& partition = partitions_[r.partition.value()];
  if (partition.config == nullptr) return;
  if (r.offset.value() >= partition.max_high_watermark) {
    count(out.read_above_hw_or_lso, true);
    return;
  }
  const std::size_t group = r.group.value();
  if (message == kNone || group >= history_.groups.size() || !history_.groups[group].read_committed) return;
  const MessageFacts& m = facts.messages[message];
  const auto at_offset = static_cast<std::size_t>(r.offset.value());
  const std::int32_t transaction =
      at_offset < partition.copy_transaction.size() ? partition.copy_transaction[at_offset] : m.transaction;
  if (transaction >= 0 && !facts.transactions.contains({m.producer, transaction})) {
    count(out.read_above_hw_or_lso, true);
  }
}

// (f) Kafka's promise: a committed record is not lost while one in-sync replica stays alive
// [DES]; after clean elections only (an unclean one is A3).
void InvariantJudge::finish(Facts& facts) const {
  for (const MessageFacts& m : facts.messages) {
    if (!m.committed || m.final_count != 0 || m.partition >= partitions_.size()) continue;
    const Partition& partition = partitions_[m.partition];
    if (partition.election_outside_isr) continue;
    count(facts.invariants.committed_lost_after_clean_election, promised(partition));
  }
}

}  // namespace ksim::check
