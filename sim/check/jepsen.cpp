// Jepsen's queue anomalies [JK], computed from the same history:
// - lost-write: acknowledged (or indeterminate but proven committed by a read of it or of
//   another message of its transaction, as Jepsen's :info), never polled by anyone although
//   some group polled a later offset of its partition (message offset: acknowledged, else
//   final-log, else last leader-append, else polled offset). As Jepsen, across all readers:
//   a message one group skipped but another read is no lost-write (ksim's `lost` is per group);
// - unseen: acknowledged, never polled by anyone by the end of the run though some group
//   reads its partition, lost-writes included, as Jepsen's unseen is (every lost-write is
//   also unseen); each counts distinct messages;
// - duplicate: a message polled at 2+ distinct offsets, polled at an offset other than the one
//   its send was acknowledged at, or at 2+ offsets of the final log;
// - inconsistent-offsets: (partition, offset) slots at which 2+ distinct message ids were
//   polled or acknowledged (Jepsen takes offsets from acknowledged sends too); examples are
//   all the ids involved;
// - poll-skip / nonmonotonic-poll: per (consumer, partition), successive polls within one
//   assignment (partition_assigned or partition_revoked reset the cursor; a consumer's aborted
//   transaction returns it to where its last committed one left it): an offset greater
//   than the previous + 1 is a skip (unless every offset between holds a transaction marker,
//   or, for a read_committed group, a record of an aborted transaction), an offset <= the
//   previous goes back; counted per poll, the example is the polled message;
// - nonmonotonic-send: per (producer, partition), acknowledged sends with a known offset in
//   send order: an offset lower than or equal to the previous one's (Jepsen flags equal
//   positions too: two sends acknowledged at one offset);
// - G1a: a send that definitely failed, or a send of an aborted transaction, was polled.
//   As Jepsen's Kafka client does, only an error that says the write did not happen makes a
//   failure definite (`:fail`); a timeout, a network error, NOT_LEADER_OR_FOLLOWER or
//   NOT_ENOUGH_REPLICAS_AFTER_APPEND (written, not replicated) leave it indeterminate
//   (`:info`), and reading an indeterminate write is no anomaly. ksim's own
//   failed_but_delivered (A10) still counts every failed send that was read.
#include <algorithm>
#include <initializer_list>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "sim/check/inconsistent_offsets.h"
#include "sim/check/judgement.h"
#include "sim/check/stages.h"
#include "sim/core/overloaded.h"
#include "sim/history/records.h"

namespace ksim::check {

namespace {

// Offsets a consumer passes over without a skip: transaction markers (no record), and for a
// read_committed group the records of aborted transactions. Known per partition from the
// leaders' appends, which precede any poll past them; empty for partitions without markers.
class SkippableOffsets {
 public:
  SkippableOffsets(const Facts& facts, std::uint32_t partitions) : facts_(facts), slots_(partitions) {}

  void on_leader_append(const history::AppendRecord& r) {
    const bool marker = r.message_id == history::kControlMessageId;
    std::vector<std::uint8_t>& slots = slots_[r.partition.value()];
    if (slots.empty() && !marker) return;  // no transactions here (yet): nothing to remember
    if (r.offset.value() < 0 || r.offset.value() > kMaxOffset) return;
    const auto offset = static_cast<std::size_t>(r.offset.value());
    if (slots.size() <= offset) slots.resize(offset + 1, kRecord);
    std::uint8_t kind = marker ? kMarker : kRecord;
    if (!marker) {
      const std::uint32_t mi = facts_.messages_index.find(r.message_id);
      if (mi != kNone && facts_.messages[mi].aborted) kind = kAborted;
    }
    slots[offset] = kind;
  }

  // Are all offsets strictly between `from` and `to` ones the consumer may pass over?
  bool gap_explained(std::uint32_t partition, std::int64_t from, std::int64_t to, bool read_committed) const {
    const std::vector<std::uint8_t>& slots = slots_[partition];
    for (std::int64_t o = from + 1; o < to; ++o) {
      if (o < 0 || static_cast<std::size_t>(o) >= slots.size()) return false;
      const std::uint8_t kind = slots[static_cast<std::size_t>(o)];
      if (kind == kRecord || (kind == kAborted && !read_committed)) return false;
    }
    return true;
  }

 private:
  static constexpr std::int64_t kMaxOffset = std::int64_t{1} << 28;
  static constexpr std::uint8_t kRecord = 0, kMarker = 1, kAborted = 2;
  const Facts& facts_;
  std::vector<std::vector<std::uint8_t>> slots_;  // by partition, by offset
};

// A client history (History::client_only) has no replica appends to tell markers from
// records: there the offsets known to hold a record are those acknowledged sends returned and
// polls read earlier in the history, and a gap over offsets no client had seen is no skip.
// Earlier, not anywhere: a truncated log reuses offsets, so an offset acknowledged later may
// have held a marker or an aborted record when the consumer passed over it.
class ClientKnownOffsets {
 public:
  explicit ClientKnownOffsets(std::uint32_t partitions) : known_(partitions) {}

  void learn(std::uint32_t partition, std::int64_t offset) {
    if (offset >= 0 && partition < known_.size()) known_[partition].insert(offset);
  }

  bool gap_explained(std::uint32_t partition, std::int64_t from, std::int64_t to) const {
    const std::set<std::int64_t>& offsets = known_[partition];
    const auto first_inside = offsets.upper_bound(from);
    return first_inside == offsets.end() || *first_inside >= to;
  }

 private:
  std::vector<std::set<std::int64_t>> known_;  // by partition
};

// Per (consumer, partition), the offset of the last poll: the cursor poll-skip and
// nonmonotonic-poll compare the next poll with. A consume-transform-produce consumer polls
// inside its transactions; as Jepsen ignores the polls of an aborted (:fail) or crashed
// (:info) transaction [JK], the cursor returns, when one of its transactions aborts, to where
// its last committed transaction left it (fresh if none): the consumer must seek back there.
class PollCursors {
 public:
  using Key = std::pair<std::uint32_t, std::uint32_t>;  // (consumer, partition)
  std::map<Key, std::int64_t>& live() { return live_; }

  void reset(Key key) {
    live_.erase(key);
    committed_.erase(key);
  }
  void on_effect(const history::EffectInTransactionRecord& e) {
    open_transaction_[e.consumer.value()] = e.transaction;
  }
  void on_transaction_ended(const history::TransactionEndedRecord& t) {
    const auto open = open_transaction_.find(t.producer.value());
    if (open == open_transaction_.end() || open->second != t.transaction) return;  // not a consumer's current one
    open_transaction_.erase(open);
    const auto first = live_.lower_bound({t.producer.value(), 0});
    const auto last = live_.lower_bound({t.producer.value() + 1, 0});
    for (auto it = first; it != last;) {
      if (t.committed) {
        committed_[it->first] = it->second;
        ++it;
      } else if (const auto kept = committed_.find(it->first); kept != committed_.end()) {
        it->second = kept->second;
        ++it;
      } else {
        it = live_.erase(it);
      }
    }
  }

 private:
  std::map<Key, std::int64_t> live_;
  std::map<Key, std::int64_t> committed_;
  std::map<std::uint32_t, std::int64_t> open_transaction_;  // consumer -> its transaction with effects
};

void poll_anomalies(const history::History& history, const Facts& facts, JepsenAnomalies& out) {
  const std::uint32_t partition_count = facts.partition_count;
  SkippableOffsets skippable(facts, partition_count);
  std::optional<ClientKnownOffsets> client_known;
  if (history.client_only) client_known.emplace(partition_count);
  const auto gap_explained = [&](std::uint32_t partition, std::int64_t from, std::int64_t to, bool read_committed) {
    return client_known ? client_known->gap_explained(partition, from, to)
                        : skippable.gap_explained(partition, from, to, read_committed);
  };
  PollCursors cursors;
  std::map<PollCursors::Key, std::int64_t>& cursor = cursors.live();  // (consumer, partition) -> last offset
  InconsistentOffsets inconsistent(facts);
  const Overloaded handlers{
      [&](const history::AppendRecord& a) {
        if (a.source != history::AppendSource::follower) skippable.on_leader_append(a);
      },
      [&](const history::SendAcknowledgedRecord& a) {
        if (client_known) client_known->learn(a.partition.value(), a.offset.value());
        // Jepsen: sends' offsets too
        if (a.offset.value() >= 0) inconsistent.observe(a.partition.value(), a.offset.value(), a.message_id);
      },
      [&](const history::PartitionAssignedRecord& p) {
        cursors.reset({p.consumer.value(), p.partition.value()});
      },
      [&](const history::PartitionRevokedRecord& p) {
        cursors.reset({p.consumer.value(), p.partition.value()});
      },
      [&](const history::EffectInTransactionRecord& e) { cursors.on_effect(e); },
      [&](const history::TransactionEndedRecord& t) { cursors.on_transaction_ended(t); },
      [&](const history::PollRecord& p) {
        inconsistent.observe(p.partition.value(), p.offset.value(), p.message_id);
        if (client_known) client_known->learn(p.partition.value(), p.offset.value());
        auto [it, fresh] = cursor.try_emplace({p.consumer.value(), p.partition.value()}, p.offset.value());
        if (fresh) return;
        const bool read_committed =
            p.group.value() < history.groups.size() && history.groups[p.group.value()].read_committed;
        if (p.offset.value() > it->second + 1 &&
            !gap_explained(p.partition.value(), it->second, p.offset.value(), read_committed)) {
          note(out.poll_skip, p.message_id);
        }
        if (p.offset.value() <= it->second) note(out.nonmonotonic_poll, p.message_id);
        it->second = p.offset.value();
      },
      [](const auto&) {},
  };
  for (const history::Record& r : history.records) {
    // `partition` means the same in every kind (0 in those about no partition).
    if (r.partition < partition_count) history::visit(r, handlers);
  }
  inconsistent.count(history, out.inconsistent_offsets);
}

// Transactions (producer, number) of which some message was polled: a read proves the
// transaction committed (or the read was an aborted read, G1a), as Jepsen's version order
// assumes of an indeterminate (:info) transaction whose write was read [JK].
std::set<std::pair<std::uint32_t, std::int32_t>> transactions_read(const Facts& facts) {
  std::set<std::pair<std::uint32_t, std::int32_t>> read;
  for (const MessageFacts& m : facts.messages) {
    if (m.polled && m.transaction >= 0) read.emplace(m.producer, m.transaction);
  }
  return read;
}

// As Jepsen judges reads [JK] (lost-write-cases, unseen): across every reader, not per
// group. Per partition: whether some group reads it, and the highest offset any group polled.
struct PartitionReaders {
  bool read = false;
  std::int64_t max_polled_offset = -1;
};
std::vector<PartitionReaders> partition_readers(const Facts& facts) {
  std::vector<PartitionReaders> readers(facts.partition_count);
  for (std::uint32_t p = 0; p < facts.partition_count; ++p) {
    for (std::uint32_t g = 0; g < facts.group_count && !readers[p].read; ++g) readers[p].read = group_reads(facts, g, p);
  }
  for (const auto& [group_partition, gp] : facts.group_partitions) {
    const std::uint32_t p = group_partition.second;
    if (p < readers.size()) readers[p].max_polled_offset = std::max(readers[p].max_polled_offset, gp.max_polled_offset);
  }
  return readers;
}

// An indeterminate send (neither acknowledged nor definitely failed nor aborted) that a read
// proves committed: itself polled by some group, or another message of its transaction.
// Jepsen judges lost-write on it like on an acknowledged one.
bool proven_committed(const MessageFacts& m, const std::set<std::pair<std::uint32_t, std::int32_t>>& polled_transactions) {
  if (m.acknowledged || m.aborted) return false;
  if (m.failed && definite_failure(static_cast<history::ErrorCode>(m.fail_code))) return false;
  return m.polled || (m.transaction >= 0 && polled_transactions.contains({m.producer, m.transaction}));
}

// Jepsen's version order takes a value's positions from sends and polls alike [JK]: a
// message acknowledged at one offset and polled at another stands at two positions.
bool polled_elsewhere_than_acknowledged(const Facts& facts, const MessageFacts& m) {
  const std::int64_t ack_offset = facts.ack_offset(m);
  if (ack_offset < 0) return false;
  const std::int64_t poll_offset_a = facts.poll_offset_a(m);
  const std::int64_t poll_offset_b = facts.rare(m).poll_offset_b;
  return (poll_offset_a >= 0 && poll_offset_a != ack_offset) || (poll_offset_b >= 0 && poll_offset_b != ack_offset);
}

}  // namespace

void find_jepsen_anomalies(const history::History& history, const Facts& facts, Outcome& outcome, std::size_t max_examples) {
  JepsenAnomalies& out = outcome.jepsen;
  const std::set<std::pair<std::uint32_t, std::int32_t>> polled_transactions = transactions_read(facts);
  const std::vector<PartitionReaders> readers = partition_readers(facts);
  for (std::uint32_t i = 0; i < facts.messages.size(); ++i) {
    const MessageFacts& m = facts.messages[i];
    const std::uint64_t id = facts.messages_index.id(i);
    if (m.polled_at_several_offsets || m.final_count >= 2 || polled_elsewhere_than_acknowledged(facts, m)) {
      note(out.duplicate, id);
    }
    const bool definitely_failed = m.failed && definite_failure(static_cast<history::ErrorCode>(m.fail_code));
    if ((definitely_failed || m.aborted) && m.polled) note(out.g1a, id);
    if (!m.sent || !(m.acknowledged || proven_committed(m, polled_transactions))) continue;
    if (m.polled || m.partition >= readers.size() || !readers[m.partition].read) continue;  // read by someone
    const std::int64_t best = facts.offset(m);
    const std::int64_t offset = best >= 0 ? best : facts.poll_offset_a(m);
    if (offset >= 0 && readers[m.partition].max_polled_offset > offset) note(out.lost_write, id);
    note(out.unseen, id);
  }
  std::vector<std::int64_t> last_offset(facts.producer_stream_count, history::kNoOffset);
  for (std::uint32_t i : facts.send_order) {
    const MessageFacts& m = facts.messages[i];
    const std::int64_t ack_offset = facts.ack_offset(m);
    if (!m.acknowledged || ack_offset < 0) continue;
    std::int64_t& last = last_offset[m.producer_stream];
    if (last >= 0 && ack_offset <= last) note(out.nonmonotonic_send, facts.messages_index.id(i));
    last = ack_offset;
  }
  poll_anomalies(history, facts, out);
  find_internal_anomalies(history, facts, out);
  find_transactional_anomalies(history, facts, out);
  for (Anomaly* anomaly : {&out.lost_write, &out.unseen, &out.duplicate, &out.inconsistent_offsets, &out.poll_skip,
                           &out.nonmonotonic_poll, &out.nonmonotonic_send, &out.g1a, &out.int_poll_skip,
                           &out.int_nonmonotonic_poll, &out.int_send_skip, &out.int_nonmonotonic_send,
                           &out.g0, &out.g1c, &out.precommitted_read}) {
    finish_examples(anomaly->examples, max_examples);
  }
}

}  // namespace ksim::check
