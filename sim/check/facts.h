#pragma once
// Internal to the checker: per-message and per-(message, group) facts gathered in one pass
// over a history, plus the replayed logs. Everything is indexed by a dense message index
// (MessageIndex), by group index, or by small sorted maps; nothing unordered.
#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <utility>
#include <vector>

#include "sim/check/message_ids.h"
#include "sim/core/index_set.h"
#include "sim/core/sim_time.h"
#include "sim/history/history.h"
#include "sim/history/record_types.h"

namespace ksim::check {

inline constexpr std::uint32_t kNone = 0xffffffffU;
inline constexpr std::uint64_t kNoSeq = 0xffffffffffffffffULL;

// The facts only some messages have (a retry, a resend, an epoch bump, a second copy or
// polled offset, a truncation): kept apart, in Facts::rare_messages, for the messages that
// have any, so a long run pays for them only where they happen (issue 19). Read through
// Facts::rare, written through Facts::rare_for_update.
struct RareMessageFacts {
  // When it arrived in the application, for a message that did not go straight to send():
  // its ArrivalQueuedRecord's or NotSentRecord's arrival time (Facts::arrival_ns reads it).
  TimeNs arrival_ns = -1;
  bool arrival_known = false;  // arrival_ns holds it
  // The transaction of its first send, kept once a later attempt moved it to another
  // transaction (Facts::first_transaction reads it; until then it is MessageFacts::transaction).
  std::int32_t first_transaction = -1;
  bool first_transaction_known = false;
  TimeNs first_retry_time = -1;          // first attempt >= 1
  TimeNs resend_time = -1;               // first resend by the application after a producer restart
  TimeNs bump_time = 0;                  // first attempt under a different producer epoch
  // A message's offsets (OffsetField) that differ from its MessageFacts::base_offset.
  std::int64_t other_offsets[5] = {-1, -1, -1, -1, -1};
  std::int64_t leader_offset_b = -1;     // second distinct offset appended as leader
  std::int64_t final_offset_b = -1;      // second offset in the partition's final log
  std::int64_t poll_offset_b = -1;       // second distinct polled offset, any group
  std::uint32_t max_attempt = 0;
  std::int32_t bumped_epoch = 0;
  std::uint32_t trunc_power = kNone;      // first power-failure truncation (index into Facts::truncations)
  std::uint32_t trunc_hw = kNone;         // first high-watermark truncation
  std::uint32_t trunc_divergent = kNone;  // last divergent-epoch truncation
  // Absent from the final log, yet kept by another replica's final log below the final high
  // watermark, at a slot where the final leader holds another record (the replicas diverged;
  // KIP-101's second scenario): that replica's node and the offset, else kNone / -1.
  std::uint32_t divergent_holder = kNone;
  std::int64_t divergent_offset = -1;
};
inline const RareMessageFacts kNoRareFacts{};

struct MessageFacts {
  // Fields are grouped by size (8, 4, 1 bytes) to keep the struct small: there is one per message.
  // --- 8-byte fields
  std::uint64_t key = history::kNoKey;
  TimeNs send_time = 0;
  TimeNs ack_ns = -1;                            // the first send_acknowledged record, -1 without one
  TimeNs last_leader_append_ns = -1;             // when a leader last appended it
  // Its offsets (OffsetField, read and written through Facts) in 8 bytes and 10 bits: the
  // first offset any of them took, and for each whether it is unset (-1), that offset, or
  // another kept in the rare facts. Most messages have one offset in every role (issue 19:
  // five 8-byte fields before).
  std::int64_t base_offset = -1;
  // --- 4-byte fields
  std::uint32_t send_seq = kNone;  // order of the send record among sends (dense indices are 32-bit)
  std::uint32_t producer = history::kNoNode;
  std::uint32_t partition = 0;
  std::uint32_t producer_stream = kNone;  // dense index of (producer, partition)
  std::int32_t first_producer_epoch = 0;
  std::uint32_t append_count = 0;
  std::uint32_t last_leader_broker = history::kNoNode;
  std::int32_t last_leader_epoch = 0;
  std::uint32_t final_count = 0;          // copies in the partition's final log
  std::int32_t transaction = -1;          // the producer's last transaction it was sent in, -1 if none
  std::uint32_t rare = kNone;             // its RareMessageFacts in Facts::rare_messages, kNone: none
  // --- 1-byte fields, then flags packed in bits (one MessageFacts per message: issue 19)
  std::uint16_t offset_states = 0;  // 2 bits per OffsetField
  std::uint8_t fail_code = 0;
  std::uint8_t not_sent = 0;  // 1 + the NotSentReason of the application giving up on it; 0: none
  bool sent : 1 = false;
  bool acknowledged : 1 = false;  // send_acknowledged, or acks=0 producer without send_failed
  bool ack_record : 1 = false;
  bool failed : 1 = false;
  bool has_attempt : 1 = false;
  bool epoch_bumped : 1 = false;
  bool committed : 1 = false;  // was below some leader's HW
  bool polled : 1 = false;     // by any group
  bool polled_at_several_offsets : 1 = false;
  bool aborted : 1 = false;    // its (last) transaction was decided aborted by the coordinator
  bool queued : 1 = false;     // waited in the application's backlog (ArrivalQueuedRecord)
  bool aborted_copy : 1 = false;  // an earlier transaction holding a copy of it aborted
};

// One per message: a long run's largest checker table (issue 19; 144 bytes before the
// arrival time, the producer and key indices and the first transaction left it, 120 before
// the offsets shared one field).
static_assert(sizeof(MessageFacts) <= 96);

// The offsets a message has in different roles (MessageFacts::base_offset).
enum class OffsetField : std::uint8_t {
  ack,          // its send_acknowledged record's (acks >= 1)
  leader_first, // the first distinct offset a leader appended it at (the second: rare leader_offset_b)
  leader_last,  // the offset a leader last appended it at
  final_first,  // the first offset in its partition's final log (the second: rare final_offset_b)
  poll_first,   // the first offset any group polled it at (a second distinct one: rare poll_offset_b)
};

// What one group did with one message, as the stages read it (Facts::in_group assembles it).
struct GroupMessageFacts {
  TimeNs aborted_effect_time = 0;  // the first of the aborted effects
  TimeNs first_time = 0;
  TimeNs second_time = 0;
  // When the group's first application became visible: an applied effect's time, or for an
  // effect inside a transaction the coordinator's commit decision; -1 if never.
  TimeNs visible_effect_ns = -1;
  std::uint32_t applied = 0;
  std::uint32_t skipped = 0;
  std::uint32_t aborted_effects = 0;  // processed inside transactions that aborted
  std::uint32_t first_consumer = history::kNoNode;
  std::uint32_t second_consumer = history::kNoNode;
  bool polled = false;
};

// How it is stored, one per message and group (issue 19 item 3: 56 bytes before, the largest
// table after MessageFacts with a consumer group). Most messages are applied once, visible
// when applied or, in a transaction, within a second of it: the rest (a second application,
// skips, aborted effects, a visible time further on) lives in RareGroupFacts, made for the
// (message, group) pairs that have any.
struct StoredGroupFacts {
  static constexpr TimeNs kVisibleAfterFirstLimitNs = TimeNs{1} << 30;  // about 1.07 s
  TimeNs first_time = 0;
  std::uint32_t first_consumer = history::kNoNode;
  std::uint32_t applied = 0;
  std::uint32_t rare = 0xffffffffU;  // its RareGroupFacts in Facts::rare_group_messages, or none
  std::uint32_t polled : 1 = 0;
  // visible_effect_ns is first_time + visible_after_first_ns (a plain sink's effect: +0; a
  // transaction's, its commit decision, within kVisibleAfterFirstLimitNs); else it is the rare
  // facts' (-1 without any).
  std::uint32_t visible_near_first : 1 = 0;
  std::uint32_t visible_after_first_ns : 30 = 0;
};
static_assert(sizeof(StoredGroupFacts) <= 24);

struct RareGroupFacts {
  TimeNs aborted_effect_time = 0;
  TimeNs second_time = 0;
  TimeNs visible_effect_ns = -1;
  std::uint32_t skipped = 0;
  std::uint32_t aborted_effects = 0;
  std::uint32_t second_consumer = history::kNoNode;
};

struct Truncation {
  TimeNs time_ns = 0;
  std::uint32_t broker = history::kNoNode;
  std::uint32_t partition = 0;
  std::int64_t offset = 0;
  std::int32_t epoch = 0;
  history::TruncationReason reason = history::TruncationReason::divergent_epoch;
};

struct Election {
  TimeNs time_ns = 0;
  std::uint32_t leader = history::kNoNode;
  std::uint32_t partition = 0;
  std::int32_t epoch = 0;
  bool unclean = false;
};

struct Commit {
  TimeNs time_ns = 0;
  std::int64_t offset = 0;
  std::int64_t prefix_max_offset = 0;  // max offset of this and earlier commits
  std::uint32_t consumer = history::kNoNode;
};

// A group coordinator's load of a group's committed offset for a partition
// (coordinator_loaded, committed_offset_loaded): the offset it found, or kNoOffset when
// its log held no commit for them.
struct OffsetLoad {
  TimeNs time_ns = 0;
  std::uint32_t broker = history::kNoNode;
  std::int32_t leader_epoch = 0;  // of the offsets partition
  std::int64_t offset = history::kNoOffset;
};

struct Assignment {
  TimeNs time_ns = 0;
  std::uint32_t consumer = history::kNoNode;
  // The processed end of a revocation of the partition in the group at the same instant,
  // just before this assignment (a member that rejoins gives it up and gets it back at
  // once); -1 if none. Offsets below it were applied before this assignment even where
  // their application has the same time (cause rule 2 of causes.cpp).
  std::int64_t revoked_processed_end = -1;
};

// What one group did on one partition.
struct GroupPartitionFacts {
  std::int64_t max_polled_offset = -1;
  // The highest offset polled each time it rose, in time order: when the group had first
  // read at or past an offset (rule 3.b1 of causes.cpp). A run of consecutive offsets polled
  // at one time (one poll's records) is one entry, not 16 bytes a record (issue 19).
  struct FrontierRun {
    TimeNs time_ns = 0;
    std::int64_t first_offset = -1;
    std::int64_t last_offset = -1;  // every offset from first_offset to here was polled at time_ns
  };
  std::vector<FrontierRun> poll_frontier;
  std::int64_t first_poll_offset = -1;
  TimeNs first_poll_time = 0;
  // Where the group's polls of the partition did not go on from the last offset polled
  // (a rewind or a jump ahead): (time, offset polled before, offset polled), in time order.
  // Sparse: a consumer reading on polls offset + 1 (undetected_truncation.cpp).
  struct PollJump {
    TimeNs time_ns = 0;
    std::int64_t from_offset = -1;
    std::int64_t to_offset = -1;
  };
  std::int64_t last_polled_offset = -1;
  std::vector<PollJump> poll_jumps;
  std::vector<Commit> commits;          // successful commits, in history order
  // Commits the coordinator answered (the consumer recorded them acknowledged), in history
  // order; prefix_max_offset as in `commits`.
  std::vector<Commit> acknowledged_commits;
  std::vector<OffsetLoad> loads;  // every coordinator load after the group's first acknowledged commit
  std::vector<Assignment> assignments;  // in history order
  TimeNs last_revoke_ns = -1;              // the group's last revocation of the partition
  std::int64_t last_revoke_processed_end = -1;
};

struct Fault {
  TimeNs time_ns = 0;
  std::uint32_t node = history::kNoNode;
  history::FaultKind kind = history::FaultKind::crash;
};

struct PartitionLogFacts {
  std::uint32_t final_leader = history::kNoNode;
  std::vector<std::uint32_t> final_log;  // dense message indices by offset, kNone where none
  std::int64_t final_high_watermark = 0;
  std::uint64_t divergent_slots = 0;
};

// One safety invariant's violations (sim/check/invariants.h): all of them, and those where
// Kafka promised the invariant (the rest happened under a configuration or fault that
// voids the promise, e.g. an unflushed power loss).
struct InvariantCount {
  std::uint64_t seen = 0;
  std::uint64_t promised = 0;
};

struct InvariantFacts {
  InvariantCount acked_below_min_insync;          // (a)
  InvariantCount unclean_election_when_disabled;  // (b)
  InvariantCount isr_joined_before_caught_up;     // (c)
  InvariantCount hw_above_isr_member_log;         // (d)
  InvariantCount replicas_diverged_below_both_hw; // (e)
  InvariantCount committed_lost_after_clean_election;  // (f)
  InvariantCount read_above_hw_or_lso;            // (g)
};

// A transaction marker a leader appended (KIP-98): when, and whether it commits.
struct MarkerAppend {
  TimeNs time_ns = 0;
  std::int64_t offset = 0;
  bool commit = false;
};

// KIP-890's late write: a leader appended a transactional record after the marker that
// ended its own transaction on that partition (late_transaction_writes.cpp).
struct LateTransactionWrite {
  std::uint32_t message = kNone;
  std::uint32_t partition = 0;
  std::int64_t offset = 0;
  std::uint64_t producer_id = 0;
  TimeNs time_ns = 0;
};

struct Facts {
  static constexpr unsigned kOffsetIsBase = 1, kOffsetIsRare = 2;  // MessageFacts::offset_states, per field
  explicit Facts(MessageIndex index) : messages_index(std::move(index)) {}
  MessageIndex messages_index;
  std::vector<MessageFacts> messages;            // by dense index
  std::uint32_t group_count = 0;
  std::vector<StoredGroupFacts> group_messages;  // [message * group_count + group]
  std::vector<RareGroupFacts> rare_group_messages;  // StoredGroupFacts::rare indexes it
  std::vector<std::uint32_t> send_order;         // dense indices in send order
  std::uint32_t producer_stream_count = 0, producer_count = 0;
  std::uint32_t partition_count = 0;
  std::vector<Truncation> truncations;
  std::vector<Election> elections;
  std::map<std::pair<std::uint32_t, std::int32_t>, std::uint32_t> election_by_epoch;  // (partition, epoch)
  std::map<std::pair<std::uint32_t, std::uint32_t>, GroupPartitionFacts> group_partitions;  // (group, partition)
  std::vector<Fault> faults;  // in history order
  std::vector<PartitionLogFacts> partition_logs;  // by partition
  std::uint64_t effect_skipped_records = 0;
  // Transaction decisions: (producer node, transaction number) -> committed.
  std::map<std::pair<std::uint32_t, std::int32_t>, bool> transactions;
  std::map<std::pair<std::uint32_t, std::int32_t>, TimeNs> transaction_decided_ns;  // same keys
  std::uint64_t out_of_order_sequence_errors = 0;
  // (partition, producer id) -> the markers leaders appended for it, in history order.
  std::map<std::pair<std::uint32_t, std::uint64_t>, std::vector<MarkerAppend>> marker_appends;
  std::vector<LateTransactionWrite> late_transaction_writes;  // in history order
  InvariantFacts invariants;
  // The partitions each group of the history's header reads (an empty list there: all),
  // for group_reads; a group past the header reads every partition.
  std::vector<IndexSet> group_partitions_read;
  std::vector<bool> group_reads_every_partition;

  std::vector<RareMessageFacts> rare_messages;  // MessageFacts::rare indexes it
  // Dense index of each producer node that sent, in order of its first send (a handful of
  // producers: kept here rather than 4 bytes in every MessageFacts, issue 19).
  std::map<std::uint32_t, std::uint32_t> producer_index_by_node;

  // The transaction of its first send (-1: none); a resend after a restart starts another.
  std::int32_t first_transaction(const MessageFacts& m) const {
    const RareMessageFacts& stored = rare(m);
    return stored.first_transaction_known ? stored.first_transaction : m.transaction;
  }
  std::uint32_t producer_index(const MessageFacts& m) const {
    const auto found = producer_index_by_node.find(m.producer);
    return found == producer_index_by_node.end() ? kNone : found->second;
  }
  // When the message arrived in the application: its ArrivalQueuedRecord's or
  // NotSentRecord's arrival time, else its send time (sent the moment it arrived); -1
  // before any of them. Only the first two are stored (in the rare facts), as most messages
  // are sent the moment they arrive.
  TimeNs arrival_ns(const MessageFacts& m) const {
    const RareMessageFacts& stored = rare(m);
    if (stored.arrival_known) return stored.arrival_ns;
    return m.sent ? m.send_time : -1;
  }

  // A message's offset in one role, -1 if it has none.
  std::int64_t offset_of(const MessageFacts& m, OffsetField field) const {
    const auto shift = 2 * static_cast<unsigned>(field);
    switch ((m.offset_states >> shift) & 3U) {
      case kOffsetIsBase:
        return m.base_offset;
      case kOffsetIsRare:
        return rare(m).other_offsets[static_cast<std::size_t>(field)];
      default:
        return -1;
    }
  }
  void set_offset(MessageFacts& m, OffsetField field, std::int64_t offset) {
    const auto shift = 2 * static_cast<unsigned>(field);
    m.offset_states = static_cast<std::uint16_t>(m.offset_states & ~(3U << shift));
    if (offset < 0) return;  // none
    if (m.base_offset < 0) m.base_offset = offset;
    if (offset == m.base_offset) {
      m.offset_states = static_cast<std::uint16_t>(m.offset_states | (kOffsetIsBase << shift));
    } else {
      rare_for_update(m).other_offsets[static_cast<std::size_t>(field)] = offset;
      m.offset_states = static_cast<std::uint16_t>(m.offset_states | (kOffsetIsRare << shift));
    }
  }
  std::int64_t ack_offset(const MessageFacts& m) const { return offset_of(m, OffsetField::ack); }
  std::int64_t leader_offset_a(const MessageFacts& m) const { return offset_of(m, OffsetField::leader_first); }
  std::int64_t last_leader_offset(const MessageFacts& m) const { return offset_of(m, OffsetField::leader_last); }
  std::int64_t final_offset_a(const MessageFacts& m) const { return offset_of(m, OffsetField::final_first); }
  std::int64_t poll_offset_a(const MessageFacts& m) const { return offset_of(m, OffsetField::poll_first); }
  // Best known offset of the message in its partition: acknowledged, final log, leader append.
  std::int64_t offset(const MessageFacts& m) const {
    if (const std::int64_t acked = ack_offset(m); acked >= 0) return acked;
    if (const std::int64_t final = final_offset_a(m); final >= 0) return final;
    return last_leader_offset(m);
  }

  const RareMessageFacts& rare(const MessageFacts& m) const {
    return m.rare == kNone ? kNoRareFacts : rare_messages[m.rare];
  }
  // Creates the message's rare facts on first use: call it only to store a value.
  RareMessageFacts& rare_for_update(MessageFacts& m) {
    if (m.rare == kNone) {
      m.rare = static_cast<std::uint32_t>(rare_messages.size());
      rare_messages.emplace_back();
    }
    return rare_messages[m.rare];
  }

  // What group `group` did with message `message`, assembled from its stored facts.
  GroupMessageFacts in_group(std::uint32_t message, std::uint32_t group) const {
    const StoredGroupFacts& stored = stored_in_group(message, group);
    GroupMessageFacts gm;
    gm.first_time = stored.first_time;
    gm.first_consumer = stored.first_consumer;
    gm.applied = stored.applied;
    gm.polled = stored.polled;
    if (stored.rare != kNone) {
      const RareGroupFacts& rare = rare_group_messages[stored.rare];
      gm.aborted_effect_time = rare.aborted_effect_time;
      gm.second_time = rare.second_time;
      gm.visible_effect_ns = rare.visible_effect_ns;
      gm.skipped = rare.skipped;
      gm.aborted_effects = rare.aborted_effects;
      gm.second_consumer = rare.second_consumer;
    }
    if (stored.visible_near_first) gm.visible_effect_ns = stored.first_time + stored.visible_after_first_ns;
    return gm;
  }
  StoredGroupFacts& stored_in_group(std::uint32_t message, std::uint32_t group) {
    return group_messages[static_cast<std::size_t>(message) * group_count + group];
  }
  const StoredGroupFacts& stored_in_group(std::uint32_t message, std::uint32_t group) const {
    return group_messages[static_cast<std::size_t>(message) * group_count + group];
  }
  // Creates the pair's rare facts on first use: call it only to store a value.
  RareGroupFacts& rare_for_update(StoredGroupFacts& stored) {
    if (stored.rare == kNone) {
      stored.rare = static_cast<std::uint32_t>(rare_group_messages.size());
      rare_group_messages.emplace_back();
    }
    return rare_group_messages[stored.rare];
  }
};

// Makes room for `needed` elements, growing by a quarter rather than doubling: the checker's
// vectors with an entry per message (replayed logs, polled slots, known offsets) would
// otherwise carry up to as much again in slack in a long run (issue 19).
template <class T>
void reserve_for(std::vector<T>& values, std::size_t needed) {
  if (needed > values.capacity()) values.reserve(std::max(needed, values.capacity() + values.capacity() / 4 + 1024));
}

// Is the transaction of an effect made inside one committed?
bool transaction_committed(const Facts& facts, const history::EffectInTransactionRecord& effect);

// One pass over the history (plus the log replay); the heart of the checker.
Facts gather_facts(const history::History& history);

// An application to a group's database (for_each_application in stages.h), by dense index.
struct AppliedMessage {
  std::uint32_t message = kNone;
  std::uint32_t group = 0;
};

class FactGatherer;  // message_index.cpp
// The same pass fed one record at a time as a run writes them (the streaming checker,
// issue 19 item 3): the facts are those gather_facts gives for the same records, except
// that dense indices follow first appearance rather than id order. Also keeps the
// applications in history order, which the batch checker reads again from the history.
class FactStream {
 public:
  // `header` must outlive the stream. `expected_messages`: how many messages the run should
  // name (its workload's), for which the per-message tables are sized at once: grown step by
  // step they would hold up to as much again unused, and a copy of each while growing.
  explicit FactStream(const history::History& header, std::uint64_t expected_messages = 0);
  ~FactStream();
  FactStream(const FactStream&) = delete;
  FactStream& operator=(const FactStream&) = delete;
  void add(const history::Record& record);
  // Once, at the end of the records.
  Facts finish(std::vector<AppliedMessage>& applications);

 private:
  std::unique_ptr<FactGatherer> gatherer_;
};

// Does group `group` read `partition`? An empty partition list means every partition.
bool group_reads(const Facts& facts, std::uint32_t group, std::uint32_t partition);

}  // namespace ksim::check
