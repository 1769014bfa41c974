#pragma once
// Kafka's replication safety invariants (issue 11), judged from the history alone, record
// by record in history order, next to the log replay (it reads the replayed replica logs).
// Definitions, sources and the versions they apply to are in scenarios/README.md
// ("Safety invariants"); in short:
//  (a) acked_below_min_insync: an acks=all write acknowledged while fewer than
//      min.insync.replicas replicas had appended it;
//  (b) unclean_election_when_disabled: a leader elected from outside the ISR (or an
//      election marked unclean) while unclean.leader.election.enable is false;
//  (c) isr_joined_before_caught_up: a replica added to the ISR whose log did not reach the
//      leader's high watermark as it stood when that replica's log last changed;
//  (d) hw_above_isr_member_log: the current leader's high watermark moved above the log
//      end of a member of the ISR;
//  (e) replicas_diverged_below_both_hw: two replicas hold different records at an offset
//      below both their high watermarks;
//  (f) committed_lost_after_clean_election (judged in finish): a record once below a
//      leader's high watermark is missing from the final log of a partition whose every
//      election was clean;
//  (g) read_above_hw_or_lso: a poll returned an offset no replica's high watermark had
//      passed yet, or, under read_committed, a record of a transaction not yet decided (the
//      transaction of the copy polled: the one its message was in when a leader appended it).
// A promise is void on a partition (the violation is counted, not held against Kafka) once
// it had an unflushed power loss (a power_failure truncation: A4/A5), an election from
// outside the ISR (A3), or when its header says followers truncate to the high watermark
// (pre-KIP-101, A6). Invariants (a), (b) and (g) are promised unconditionally.
#include <cstdint>
#include <vector>

#include "sim/check/facts.h"
#include "sim/check/log_replay.h"

namespace ksim::check {

class InvariantJudge {
 public:
  InvariantJudge(const history::History& history, std::uint32_t partition_count, std::uint32_t message_count);
  // Judge one record each, after the replay applied it; `message` is its dense message index
  // or kNone. A record of a partition the judge does not know is ignored.
  void on_isr_changed(const history::IsrChangedRecord& r, const LogReplay& replay, InvariantFacts& out);
  void on_leader_elected(const history::LeaderElectedRecord& r, InvariantFacts& out);
  void on_high_watermark(const history::HighWatermarkRecord& r, const LogReplay& replay, InvariantFacts& out);
  void on_follower_high_watermark(const history::FollowerHighWatermarkRecord& r, const LogReplay& replay,
                                  InvariantFacts& out);
  // `transaction`: the transaction the message was last sent in (-1: none), as of this record.
  void on_append(const history::AppendRecord& r, std::uint32_t message, std::int32_t transaction);
  void on_append_range(const history::FollowerAppendRangeRecord& r, const LogReplay& replay);
  void on_truncate(const history::TruncateRecord& r);
  void on_acknowledged(const history::SendAcknowledgedRecord& r, std::uint32_t message, InvariantFacts& out);
  void on_poll(const history::PollRecord& r, std::uint32_t message, const Facts& facts, InvariantFacts& out);
  // Judges (f) on the final logs (after LogReplay::finish).
  void finish(Facts& facts) const;
  // Room for messages [0, message_count): a stream's messages come as it goes.
  void grow_to(std::uint32_t message_count);
  void reserve(std::size_t message_count);

 private:
  struct Replica {
    std::int64_t high_watermark = 0;
    std::int64_t leader_hw_at_log_change = 0;  // the leader's HW when this replica's log last changed
    std::int32_t leader_epoch_at_log_change = -1;
    bool log_change_was_power_loss = false;
  };
  struct Partition {
    const history::PartitionReplication* config = nullptr;  // nullptr: no replica list, not judged
    std::vector<Replica> replicas;                          // by position in config->replicas
    std::uint64_t isr = 0;                                  // bitmask over positions
    bool isr_known = false;
    std::uint32_t leader = history::kNoNode;
    std::int32_t leader_epoch = -1;
    std::int64_t max_high_watermark = 0;  // over every replica, leader or follower
    bool power_loss = false;
    bool election_outside_isr = false;
    // By offset: the transaction of the copy a leader last appended there (-1: none or not
    // transactional). A message resent in a later transaction (a restarted application)
    // has copies of several transactions; (g) bounds a poll by the polled copy's.
    std::vector<std::int32_t> copy_transaction;
  };

  std::uint32_t position(const Partition& partition, std::uint32_t broker) const;
  bool promised(const Partition& partition) const;
  std::int64_t log_end(const LogReplay& replay, std::uint32_t broker, std::uint32_t partition) const;
  std::int64_t leader_high_watermark(const Partition& partition) const;
  void note_log_change(Partition& partition, std::uint32_t broker, bool power_loss);
  Partition* judged(std::uint32_t partition);
  void on_replica_high_watermark(std::uint32_t broker, std::uint32_t partition, std::int64_t high_watermark,
                                 const LogReplay& replay, InvariantFacts& out);

  const history::History& history_;
  std::vector<Partition> partitions_;
  void add_holder(std::uint32_t message, std::uint32_t position);
  std::uint32_t holder_count(std::uint32_t message) const;
  // By message: bitmask of replica positions that appended it; one of the two is used.
  std::vector<std::uint8_t> holders_narrow_;
  std::vector<std::uint64_t> holders_wide_;
  bool narrow_holders_ = true;
};

}  // namespace ksim::check
