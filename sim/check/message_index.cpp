// The one pass over a history that gathers the per-message facts every later stage reads.
#include <algorithm>
#include <map>

#include "sim/check/facts.h"
#include "sim/check/invariants.h"
#include "sim/check/log_replay.h"

namespace ksim::check {

using history::RecordKind;

namespace {

// Beyond these, a record's partition or group index is taken as malformed and the record is
// ignored (it would only make the per-partition and per-group tables huge).
constexpr std::uint32_t kMaxPartitions = 1U << 20;
constexpr std::uint64_t kMaxGroups = 1U << 10;

// Transaction markers take an offset but are no message.
bool is_control(const history::Record& r) {
  return r.kind == RecordKind::append && r.message_id == history::kControlMessageId;
}

bool carries_message(RecordKind kind) {
  switch (kind) {
    case RecordKind::send:
    case RecordKind::send_acknowledged:
    case RecordKind::send_failed:
    case RecordKind::send_attempt:
    case RecordKind::append:
    case RecordKind::poll:
    case RecordKind::effect_applied:
    case RecordKind::effect_in_transaction:
    case RecordKind::effect_skipped:
      return true;
    default:
      return false;
  }
}

bool is_group_record(RecordKind kind) {
  switch (kind) {
    case RecordKind::poll:
    case RecordKind::effect_applied:
    case RecordKind::effect_in_transaction:
    case RecordKind::effect_skipped:
    case RecordKind::offset_committed:
    case RecordKind::partition_assigned:
    case RecordKind::partition_revoked:
      return true;
    default:
      return false;
  }
}

std::uint32_t dense(std::map<std::pair<std::uint32_t, std::uint32_t>, std::uint32_t>& ids, std::uint32_t a, std::uint32_t b) {
  return ids.try_emplace({a, b}, static_cast<std::uint32_t>(ids.size())).first->second;
}

}  // namespace

MessageIndex::MessageIndex(std::vector<std::uint64_t> ids) : ids_(std::move(ids)) {
  if (!std::is_sorted(ids_.begin(), ids_.end())) std::sort(ids_.begin(), ids_.end());
  ids_.erase(std::unique(ids_.begin(), ids_.end()), ids_.end());
  if (ids_.empty()) return;
  base_ = ids_.front();
  const std::uint64_t span = ids_.back() - base_;
  if (span < 4 * ids_.size() + 1024) {
    table_.assign(static_cast<std::size_t>(span) + 1, kNone);
    for (std::uint32_t i = 0; i < ids_.size(); ++i) table_[static_cast<std::size_t>(ids_[i] - base_)] = i;
  }
}

std::uint32_t MessageIndex::find(std::uint64_t id) const {
  if (!table_.empty()) {
    if (id < base_ || id - base_ >= table_.size()) return kNone;
    return table_[static_cast<std::size_t>(id - base_)];
  }
  auto it = std::lower_bound(ids_.begin(), ids_.end(), id);
  if (it == ids_.end() || *it != id) return kNone;
  return static_cast<std::uint32_t>(it - ids_.begin());
}

bool transaction_committed(const Facts& facts, const history::Record& effect) {
  const auto decision = facts.transactions.find({effect.node, effect.epoch});
  return decision != facts.transactions.end() && decision->second;
}

namespace {
// An application to the group's database (a plain or idempotent sink's, or a committed
// transaction's output).
void note_application(GroupMessageFacts& gm, const history::Record& r) {
  if (gm.applied == 0) {
    gm.first_consumer = r.node;
    gm.first_time = r.time_ns;
  } else if (gm.applied == 1) {
    gm.second_consumer = r.node;
    gm.second_time = r.time_ns;
  }
  ++gm.applied;
}
}  // namespace

bool group_reads(const history::History& history, std::uint32_t group, std::uint32_t partition) {
  if (group >= history.groups.size()) return true;
  const auto& partitions = history.groups[group].partitions;
  return partitions.empty() || std::find(partitions.begin(), partitions.end(), partition) != partitions.end();
}

namespace {

Facts make_facts(const history::History& history) {
  std::vector<std::uint64_t> ids;
  std::uint32_t partition_count = static_cast<std::uint32_t>(std::min<std::size_t>(history.partitions.size(), kMaxPartitions));
  std::uint64_t group_count = history.groups.size();
  for (const history::Record& r : history.records) {
    // The records of one message are often adjacent: skip repeats early, the sort is the cost.
    if (carries_message(r.kind) && !is_control(r) && (ids.empty() || ids.back() != r.message_id)) {
      ids.push_back(r.message_id);
    }
    if (r.partition < kMaxPartitions) partition_count = std::max(partition_count, r.partition + 1);
    if (is_group_record(r.kind) && r.extra < kMaxGroups) group_count = std::max(group_count, r.extra + 1);
  }
  Facts facts{MessageIndex(std::move(ids))};
  facts.partition_count = partition_count;
  facts.group_count = static_cast<std::uint32_t>(std::min<std::uint64_t>(group_count, kMaxGroups));
  facts.messages.resize(facts.messages_index.size());
  facts.group_messages.resize(static_cast<std::size_t>(facts.messages_index.size()) * facts.group_count);
  return facts;
}

}  // namespace

Facts gather_facts(const history::History& history) {
  Facts facts = make_facts(history);
  LogReplay replay;
  InvariantJudge invariants(history, facts.partition_count, facts.messages_index.size());
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::uint32_t> producer_streams, producers;
  std::map<std::uint32_t, const history::ProducerEntry*> producer_config;
  std::vector<history::Record> transactional_effects;  // in history order
  for (const auto& producer : history.producers) producer_config[producer.node] = &producer;

  for (const history::Record& r : history.records) {
    if (r.partition >= facts.partition_count) continue;
    if (is_group_record(r.kind) && r.extra >= facts.group_count) continue;
    if (is_control(r)) {
      replay.append(r, kNone);  // occupies its offset in the replica's log
      invariants.observe(r, kNone, replay, facts);
      continue;
    }
    const std::uint32_t mi = carries_message(r.kind) ? facts.messages_index.find(r.message_id) : kNone;
    MessageFacts* m = mi == kNone ? nullptr : &facts.messages[mi];
    const auto group = static_cast<std::uint32_t>(r.extra);
    switch (r.kind) {
      case RecordKind::send:
        if (m->sent) break;
        m->sent = true;
        m->producer = r.node;
        m->partition = r.partition;
        m->key = r.extra;
        m->send_seq = facts.send_order.size();
        m->send_time = r.time_ns;
        m->producer_stream = dense(producer_streams, r.node, r.partition);
        m->producer_index = dense(producers, r.node, 0);
        facts.send_order.push_back(mi);
        // The first attempt is implied by the send, under the epoch the send records.
        m->has_attempt = true;
        m->first_producer_epoch = r.epoch;
        if (r.offset >= 0) m->transaction = m->first_transaction = static_cast<std::int32_t>(r.offset);
        break;
      case RecordKind::send_acknowledged:
        m->ack_record = true;
        m->acknowledged = true;
        if (r.offset >= 0) m->ack_offset = r.offset;
        break;
      case RecordKind::send_failed:
        m->failed = true;
        m->fail_code = r.detail;
        if (r.detail == static_cast<std::uint8_t>(history::ErrorCode::out_of_order_sequence)) {
          ++facts.out_of_order_sequence_errors;
        }
        break;
      case RecordKind::send_attempt:
        if (r.offset >= 0) m->transaction = static_cast<std::int32_t>(r.offset);
        // Attempt 0 after the send: the application's resend after a restart (the first
        // attempt is implied by the send itself).
        if (r.detail == 0 && m->sent && r.time_ns > m->send_time && m->resend_time < 0) m->resend_time = r.time_ns;
        if (r.detail >= 1 && m->first_retry_time < 0) m->first_retry_time = r.time_ns;
        m->max_attempt = std::max<std::uint32_t>(m->max_attempt, r.detail);
        if (!m->has_attempt) {
          m->has_attempt = true;
          m->first_producer_epoch = r.epoch;
        } else if (r.epoch != m->first_producer_epoch && !m->epoch_bumped) {
          m->epoch_bumped = true;
          m->bumped_epoch = r.epoch;
          m->bump_time = r.time_ns;
        }
        break;
      case RecordKind::append:
        ++m->append_count;
        if (r.detail == 1 && r.offset >= 0) {
          if (m->leader_offset_a < 0) m->leader_offset_a = r.offset;
          else if (m->leader_offset_b < 0 && r.offset != m->leader_offset_a) m->leader_offset_b = r.offset;
          m->last_leader_broker = r.node;
          m->last_leader_offset = r.offset;
          m->last_leader_epoch = r.epoch;
        }
        replay.append(r, mi);
        break;
      case RecordKind::follower_append_range:
        replay.append_range(r, facts);
        break;
      case RecordKind::truncate:
        facts.truncations.push_back({r.time_ns, r.node, r.partition, r.offset, r.epoch,
                                     static_cast<history::TruncationReason>(r.detail)});
        replay.truncate(r, static_cast<std::uint32_t>(facts.truncations.size() - 1), facts);
        break;
      case RecordKind::high_watermark:
        replay.high_watermark(r, facts);
        break;
      case RecordKind::leader_elected:
        facts.elections.push_back({r.time_ns, r.node, r.partition, r.epoch, r.detail == 1});
        facts.election_by_epoch[{r.partition, r.epoch}] = static_cast<std::uint32_t>(facts.elections.size() - 1);
        break;
      case RecordKind::fault:
        facts.faults.push_back({r.time_ns, r.node, static_cast<history::FaultKind>(r.detail)});
        break;
      case RecordKind::poll: {
        if (!m->polled) {
          m->polled = true;
          m->poll_offset_a = r.offset;
        } else if (r.offset != m->poll_offset_a && !m->polled_at_several_offsets) {
          m->polled_at_several_offsets = true;
          m->poll_offset_b = r.offset;
        }
        facts.in_group(mi, group).polled = true;
        GroupPartitionFacts& gp = facts.group_partitions[{group, r.partition}];
        if (gp.first_poll_offset < 0) {
          gp.first_poll_offset = r.offset;
          gp.first_poll_time = r.time_ns;
        }
        gp.max_polled_offset = std::max(gp.max_polled_offset, r.offset);
        break;
      }
      case RecordKind::effect_applied:
        note_application(facts.in_group(mi, group), r);
        break;
      case RecordKind::effect_in_transaction:
        transactional_effects.push_back(r);  // judged once every decision is known
        break;
      case RecordKind::effect_skipped:
        ++facts.in_group(mi, group).skipped;
        ++facts.effect_skipped_records;
        break;
      case RecordKind::offset_committed:
        if (r.detail == 1) {
          auto& commits = facts.group_partitions[{group, r.partition}].commits;
          const std::int64_t prefix = commits.empty() ? r.offset : std::max(commits.back().prefix_max_offset, r.offset);
          commits.push_back({r.time_ns, r.offset, prefix, r.node});
        }
        break;
      case RecordKind::partition_assigned:
        facts.group_partitions[{group, r.partition}].assignments.push_back({r.time_ns, r.node});
        break;
      case RecordKind::partition_revoked:
        break;
      case RecordKind::transaction_ended:
        facts.transactions[{r.node, static_cast<std::int32_t>(r.offset)}] = r.detail == 1;
        break;
      case RecordKind::coordinator_loaded:
      case RecordKind::committed_offset_loaded:
        break;  // how the model got there, not what a client saw
      case RecordKind::isr_changed:
      case RecordKind::follower_high_watermark:
        break;  // judged by the invariants below
    }
    invariants.observe(r, mi, replay, facts);
  }
  replay.finish(facts);
  invariants.finish(facts);
  for (const history::Record& r : transactional_effects) {
    const std::uint32_t mi = facts.messages_index.find(r.message_id);
    GroupMessageFacts& gm = facts.in_group(mi, static_cast<std::uint32_t>(r.extra));
    if (transaction_committed(facts, r)) {
      note_application(gm, r);
    } else if (gm.aborted_effects++ == 0) {
      gm.aborted_effect_time = r.time_ns;
    }
  }
  if (!facts.transactions.empty()) {
    for (MessageFacts& m : facts.messages) {
      if (m.transaction < 0) continue;
      const auto aborted = [&](std::int32_t transaction) {
        const auto decision = facts.transactions.find({m.producer, transaction});
        return decision != facts.transactions.end() && !decision->second;
      };
      m.aborted = aborted(m.transaction);
      m.aborted_copy = m.first_transaction != m.transaction && aborted(m.first_transaction);
    }
  }

  // acks=0: the application was told success at send time; count every unfailed send.
  std::vector<std::uint64_t> keys;
  for (MessageFacts& m : facts.messages) {
    if (!m.sent) continue;
    auto it = producer_config.find(m.producer);
    if (it != producer_config.end() && it->second->acks == "0" && !m.failed) m.acknowledged = true;
    if (m.key != history::kNoKey) keys.push_back(m.key);
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  for (MessageFacts& m : facts.messages) {
    if (!m.sent || m.key == history::kNoKey) continue;
    m.key_index = static_cast<std::uint32_t>(std::lower_bound(keys.begin(), keys.end(), m.key) - keys.begin());
  }
  facts.key_count = static_cast<std::uint32_t>(keys.size());
  facts.producer_stream_count = static_cast<std::uint32_t>(producer_streams.size());
  facts.producer_count = static_cast<std::uint32_t>(producers.size());
  return facts;
}

}  // namespace ksim::check
