// The one pass over a history that gathers the per-message facts every later stage reads:
// one handler per record kind, each given the record as its typed struct (records.h).
#include <algorithm>
#include <map>
#include <type_traits>

#include "sim/check/facts.h"
#include "sim/core/assert.h"
#include "sim/check/stages.h"
#include "sim/check/invariants.h"
#include "sim/check/log_replay.h"
#include "sim/check/record_message.h"
#include "sim/history/records.h"

namespace ksim::check {

namespace {

// Beyond these, a record's partition or group index is taken as malformed and the record is
// ignored (it would only make the per-partition and per-group tables huge).
constexpr std::uint32_t kMaxPartitions = 1U << 20;
constexpr std::uint64_t kMaxGroups = 1U << 10;
// A streamed run's tables are reserved for at most this many messages (a dense index is 32 bits).
constexpr std::uint64_t kMaxReservedMessages = std::uint64_t{1} << 32;

}  // namespace

bool transaction_committed(const Facts& facts, const history::EffectInTransactionRecord& effect) {
  const auto decision = facts.transactions.find({effect.consumer.value(), effect.transaction});
  return decision != facts.transactions.end() && decision->second;
}

bool group_reads(const Facts& facts, std::uint32_t group, std::uint32_t partition) {
  if (group >= facts.group_reads_every_partition.size() || facts.group_reads_every_partition[group]) return true;
  return facts.group_partitions_read[group].contains(partition);
}

namespace {

// The records a group's consumer writes (poll, effects, commits, assignments): those a
// group index out of range makes malformed.
template <class Typed>
concept GroupRecord = requires(const Typed& typed) {
  typed.consumer;
  typed.group;
};

void note_partitions_read(const history::History& history, Facts& facts) {
  for (const history::ConsumerGroupEntry& group : history.groups) {
    facts.group_reads_every_partition.push_back(group.partitions.empty());
    IndexSet& read = facts.group_partitions_read.emplace_back();
    for (const PartitionId partition : group.partitions) read.insert(partition.value());
  }
}

Facts make_facts(const history::History& history) {
  MessageIdCollector ids;
  std::uint32_t partition_count = static_cast<std::uint32_t>(std::min<std::size_t>(history.partitions.size(), kMaxPartitions));
  std::uint64_t group_count = history.groups.size();
  for (const history::Record& r : history.records) {
    // `partition` means the same in every kind (0 in those about no partition).
    if (r.partition < kMaxPartitions) partition_count = std::max(partition_count, r.partition + 1);
    history::visit(r, [&]<class Typed>(const Typed& typed) {
      if (names_message(typed)) ids.measure(message_id_of(typed));
      if constexpr (GroupRecord<Typed>) {
        if (typed.group.value() < kMaxGroups)
          group_count = std::max<std::uint64_t>(group_count, typed.group.value() + 1);
      }
    });
  }
  ids.prepare();
  for (const history::Record& r : history.records) {
    history::visit(r, [&]<class Typed>(const Typed& typed) {
      if (names_message(typed)) ids.collect(message_id_of(typed));
    });
  }
  Facts facts{ids.finish()};
  facts.partition_count = partition_count;
  facts.group_count = static_cast<std::uint32_t>(std::min<std::uint64_t>(group_count, kMaxGroups));
  facts.messages.resize(facts.messages_index.size());
  facts.send_order.reserve(facts.messages_index.size());  // at most one send each: no doubling slack
  facts.group_messages.resize(static_cast<std::size_t>(facts.messages_index.size()) * facts.group_count);
  note_partitions_read(history, facts);
  return facts;
}

// A stream's facts start empty and grow as ids come; the tables are the header's size (a
// world writes no record of a partition or group its header does not name).
Facts make_stream_facts(const history::History& header) {
  Facts facts{MessageIndex::growing()};
  facts.partition_count = static_cast<std::uint32_t>(std::min<std::size_t>(header.partitions.size(), kMaxPartitions));
  facts.group_count = static_cast<std::uint32_t>(std::min<std::uint64_t>(header.groups.size(), kMaxGroups));
  note_partitions_read(header, facts);
  return facts;
}

std::uint32_t dense(std::map<std::pair<std::uint32_t, std::uint32_t>, std::uint32_t>& ids, std::uint32_t a, std::uint32_t b) {
  return ids.try_emplace({a, b}, static_cast<std::uint32_t>(ids.size())).first->second;
}

// An application to the group's database (a plain or idempotent sink's, or a committed
// transaction's output).
void note_application(Facts& facts, StoredGroupFacts& gm, std::uint32_t consumer, TimeNs time_ns) {
  if (gm.applied == 0) {
    gm.first_consumer = consumer;
    gm.first_time = time_ns;
  } else if (gm.applied == 1) {
    RareGroupFacts& rare = facts.rare_for_update(gm);
    rare.second_consumer = consumer;
    rare.second_time = time_ns;
  }
  ++gm.applied;
}

// The earliest time an application was visible (transactions commit in any order). Only a
// time before the first application or a second or more after it needs the rare facts.
void note_visible(Facts& facts, StoredGroupFacts& gm, TimeNs time_ns) {
  const TimeNs before = gm.visible_near_first ? gm.first_time + gm.visible_after_first_ns
                        : gm.rare != kNone    ? facts.rare_group_messages[gm.rare].visible_effect_ns
                                              : TimeNs{-1};
  if (before >= 0 && time_ns >= before) return;
  const TimeNs after_first = time_ns - gm.first_time;
  if (gm.applied > 0 && after_first >= 0 && after_first < StoredGroupFacts::kVisibleAfterFirstLimitNs) {
    gm.visible_near_first = 1;
    gm.visible_after_first_ns = static_cast<std::uint32_t>(after_first);
    return;
  }
  gm.visible_near_first = 0;
  facts.rare_for_update(gm).visible_effect_ns = time_ns;
}

}  // namespace

// The state of the one pass, with one handler per record kind the facts depend on (kinds
// without one, e.g. the group coordinator's, explain and judge nothing). Each handler runs
// before the invariant judge sees the record, as the judge reads the replayed logs.
class FactGatherer {
 public:
  explicit FactGatherer(const history::History& history)
      : history_(history),
        facts_(make_facts(history)),
        invariants_(history, facts_.partition_count, facts_.messages_index.size()) {}
  struct Streaming {};
  // Ids as they come (FactStream): `header`'s records are not read.
  FactGatherer(const history::History& header, Streaming, std::uint64_t expected_messages)
      : history_(header), facts_(make_stream_facts(header)), invariants_(header, facts_.partition_count, 0), streaming_(true) {
    const auto expected = static_cast<std::size_t>(std::min<std::uint64_t>(expected_messages, kMaxReservedMessages));
    facts_.messages.reserve(expected);
    facts_.group_messages.reserve(expected * facts_.group_count);
    facts_.send_order.reserve(expected);
    facts_.messages_index.reserve(expected);
    invariants_.reserve(expected);
  }

  template <class Typed>
  void operator()(const Typed& typed) {
    if constexpr (GroupRecord<Typed>) {
      if (typed.group.value() >= facts_.group_count) return;
    }
    on(typed);
  }
  // A streamed record: its message gets an index (every record naming one, as the batch
  // index holds every id the history names), then the record is gathered.
  void add(const history::Record& r) {
    KSIM_ASSERT(r.partition < facts_.partition_count, "a streamed record of partition {} of a history with {}",
                r.partition, facts_.partition_count);
    history::visit(r, [&]<class Typed>(const Typed& typed) {
      if (names_message(typed)) index_new_message(message_id_of(typed));
      (*this)(typed);
    });
  }

  std::uint32_t partition_count() const { return facts_.partition_count; }
  Facts finish();
  // Streaming: the applications to groups' databases in history order, as
  // for_each_application gives them (after finish(): uncommitted transactions' effects out).
  std::vector<AppliedMessage> take_applications() { return std::move(applications_); }

 private:
  std::uint32_t message_index(std::uint64_t message_id) const { return facts_.messages_index.find(message_id); }
  void index_new_message(std::uint64_t message_id) {
    const std::uint32_t count_before = facts_.messages_index.size();
    const std::uint32_t index = facts_.messages_index.add(message_id);
    if (index < count_before) return;
    facts_.messages.emplace_back();
    facts_.group_messages.resize(facts_.group_messages.size() + facts_.group_count);
    invariants_.grow_to(facts_.messages_index.size());
  }
  InvariantFacts& judged() { return facts_.invariants; }

  void on(const history::SendRecord& s);
  void on(const history::SendAcknowledgedRecord& a);
  void on(const history::SendFailedRecord& f);
  void on(const history::SendAttemptRecord& a);
  void on(const history::ArrivalQueuedRecord& a) {
    MessageFacts& m = facts_.messages[message_index(a.message_id)];
    m.queued = true;
    note_arrival(m, a.arrival_ns);
  }
  void on(const history::NotSentRecord& n) {
    MessageFacts& m = facts_.messages[message_index(n.message_id)];
    m.not_sent = static_cast<std::uint8_t>(1 + static_cast<std::uint8_t>(n.reason));
    if (facts_.arrival_ns(m) < 0) note_arrival(m, n.arrival_ns);
  }
  void on(const history::AppendRecord& a);
  void note_arrival(MessageFacts& m, TimeNs arrival_ns) {
    RareMessageFacts& rare = facts_.rare_for_update(m);
    rare.arrival_ns = arrival_ns;
    rare.arrival_known = true;
  }
  void on(const history::FollowerAppendRangeRecord& f) {
    replay_.append_range(f, facts_);
    invariants_.on_append_range(f, replay_);
  }
  void on(const history::TruncateRecord& t);
  void on(const history::HighWatermarkRecord& h) {
    replay_.high_watermark(h, facts_);
    invariants_.on_high_watermark(h, replay_, judged());
  }
  void on(const history::FollowerHighWatermarkRecord& f) {
    invariants_.on_follower_high_watermark(f, replay_, judged());
  }
  void on(const history::IsrChangedRecord& i) { invariants_.on_isr_changed(i, replay_, judged()); }
  void on(const history::LeaderElectedRecord& l);
  void on(const history::FaultRecord& f) { facts_.faults.push_back({f.time_ns, f.node.value(), f.fault}); }
  void on(const history::PollRecord& p);
  void on(const history::EffectAppliedRecord& e) {
    const std::uint32_t mi = message_index(e.message_id);
    if (streaming_) applications_.push_back({mi, e.group.value()});
    StoredGroupFacts& gm = facts_.stored_in_group(mi, e.group.value());
    note_application(facts_, gm, e.consumer.value(), e.time_ns);
    note_visible(facts_, gm, e.time_ns);
  }
  void on(const history::EffectSkippedRecord& e) {
    ++facts_.rare_for_update(facts_.stored_in_group(message_index(e.message_id), e.group.value())).skipped;
    ++facts_.effect_skipped_records;
  }
  void on(const history::EffectInTransactionRecord& e) {
    // Judged once every decision is known; a stream marks its place among the applications.
    if (streaming_) applications_.push_back({kNone, static_cast<std::uint32_t>(transactional_effects_.size())});
    transactional_effects_.push_back(e);
  }
  void on(const history::OffsetCommittedRecord& o);
  void on(const history::CoordinatorLoadedRecord& c);
  void on(const history::CommittedOffsetLoadedRecord& c);
  void on(const history::PartitionAssignedRecord& p) {
    GroupPartitionFacts& gp = facts_.group_partitions[{p.group.value(), p.partition.value()}];
    const std::int64_t revoked_end = gp.last_revoke_ns == p.time_ns ? gp.last_revoke_processed_end : -1;
    gp.assignments.push_back({p.time_ns, p.consumer.value(), revoked_end});
  }
  void on(const history::PartitionRevokedRecord& p) {
    GroupPartitionFacts& gp = facts_.group_partitions[{p.group.value(), p.partition.value()}];
    gp.last_revoke_ns = p.time_ns;
    gp.last_revoke_processed_end = p.processed_end.value();
  }
  void on(const history::TransactionEndedRecord& t) {
    // A coordinator that took over a prepared transaction records its decision again (the
    // same one: it was replicated); the decision dates from the first record.
    facts_.transactions[{t.producer.value(), static_cast<std::int32_t>(t.transaction)}] = t.committed;
    facts_.transaction_decided_ns.try_emplace({t.producer.value(), static_cast<std::int32_t>(t.transaction)},
                                              t.time_ns);
  }
  template <class Typed>
  void on(const Typed&) {}  // how the model got there, not what a client saw

  void apply_transactional_effects();
  void resolve_transactional_applications();
  void mark_aborted_sends();
  void acknowledge_unacked_sends();

  const history::History& history_;
  Facts facts_;
  LogReplay replay_;
  InvariantJudge invariants_;
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::uint32_t> producer_streams_;
  std::vector<history::EffectInTransactionRecord> transactional_effects_;  // in history order
  const bool streaming_ = false;
  // Streaming: (message, group), or (kNone, index into transactional_effects_) until finish().
  std::vector<AppliedMessage> applications_;
};


void FactGatherer::on(const history::SendRecord& s) {
  const std::uint32_t mi = message_index(s.message_id);
  MessageFacts& m = facts_.messages[mi];
  if (m.sent) return;
  m.sent = true;
  m.producer = s.producer.value();
  m.partition = s.partition.value();
  m.key = s.key;
  m.send_seq = static_cast<std::uint32_t>(facts_.send_order.size());
  m.send_time = s.time_ns;
  // Its arrival time is the send's unless a queued or not-sent record gave one (Facts::arrival_ns),
  // or gave a negative one, which the send replaces.
  if (facts_.rare(m).arrival_known && facts_.rare(m).arrival_ns < 0) note_arrival(m, s.time_ns);
  m.producer_stream = dense(producer_streams_, s.producer.value(), s.partition.value());
  facts_.producer_index_by_node.try_emplace(s.producer.value(),
                                            static_cast<std::uint32_t>(facts_.producer_index_by_node.size()));
  facts_.send_order.push_back(mi);
  // The first attempt is implied by the send, under the epoch the send records.
  m.has_attempt = true;
  m.first_producer_epoch = s.producer_epoch.value();
  if (s.transaction >= 0) {
    m.transaction = static_cast<std::int32_t>(s.transaction);
    if (facts_.rare(m).first_transaction_known) facts_.rare_for_update(m).first_transaction = m.transaction;
  }
}

void FactGatherer::on(const history::SendAcknowledgedRecord& a) {
  const std::uint32_t mi = message_index(a.message_id);
  MessageFacts& m = facts_.messages[mi];
  if (!m.ack_record) m.ack_ns = a.time_ns;
  m.ack_record = true;
  m.acknowledged = true;
  if (a.offset.value() >= 0) facts_.set_offset(m, OffsetField::ack, a.offset.value());
  invariants_.on_acknowledged(a, mi, judged());
}

void FactGatherer::on(const history::SendFailedRecord& f) {
  MessageFacts& m = facts_.messages[message_index(f.message_id)];
  m.failed = true;
  m.fail_code = static_cast<std::uint8_t>(f.error);
  if (f.error == history::ErrorCode::out_of_order_sequence) ++facts_.out_of_order_sequence_errors;
}

void FactGatherer::on(const history::SendAttemptRecord& a) {
  MessageFacts& m = facts_.messages[message_index(a.message_id)];
  if (a.transaction >= 0) {
    const auto transaction = static_cast<std::int32_t>(a.transaction);
    // Moving to another transaction: the first one is kept apart (Facts::first_transaction).
    if (transaction != m.transaction && !facts_.rare(m).first_transaction_known) {
      RareMessageFacts& first = facts_.rare_for_update(m);
      first.first_transaction = m.transaction;
      first.first_transaction_known = true;
    }
    m.transaction = transaction;
  }
  // Attempt 0 after the send: the application's resend after a restart (the first
  // attempt is implied by the send itself).
  if (a.attempt == 0 && m.sent && a.time_ns > m.send_time && facts_.rare(m).resend_time < 0) {
    facts_.rare_for_update(m).resend_time = a.time_ns;
  }
  if (a.attempt >= 1 && facts_.rare(m).first_retry_time < 0) facts_.rare_for_update(m).first_retry_time = a.time_ns;
  if (a.attempt > facts_.rare(m).max_attempt) facts_.rare_for_update(m).max_attempt = a.attempt;
  if (!m.has_attempt) {
    m.has_attempt = true;
    m.first_producer_epoch = a.producer_epoch.value();
  } else if (a.producer_epoch.value() != m.first_producer_epoch && !m.epoch_bumped) {
    m.epoch_bumped = true;
    RareMessageFacts& bumped = facts_.rare_for_update(m);
    bumped.bumped_epoch = a.producer_epoch.value();
    bumped.bump_time = a.time_ns;
  }
}

void FactGatherer::on(const history::AppendRecord& a) {
  if (a.message_id == history::kControlMessageId) {  // a transaction marker: it occupies its offset
    note_marker_append(facts_, a);
    replay_.append(a, kNone);
    invariants_.on_append(a, kNone, -1);
    return;
  }
  const std::uint32_t mi = message_index(a.message_id);
  MessageFacts& m = facts_.messages[mi];
  ++m.append_count;
  if (a.source == history::AppendSource::leader && a.offset.value() >= 0) {
    const std::int64_t first = facts_.leader_offset_a(m);
    if (first < 0)
      facts_.set_offset(m, OffsetField::leader_first, a.offset.value());
    else if (facts_.rare(m).leader_offset_b < 0 && a.offset.value() != first)
      facts_.rare_for_update(m).leader_offset_b = a.offset.value();
    m.last_leader_broker = a.broker.value();
    facts_.set_offset(m, OffsetField::leader_last, a.offset.value());
    m.last_leader_epoch = a.leader_epoch.value();
    m.last_leader_append_ns = a.time_ns;
    note_late_transaction_write(facts_, a, mi);
  }
  replay_.append(a, mi);
  invariants_.on_append(a, mi, m.transaction);
}

void FactGatherer::on(const history::TruncateRecord& t) {
  facts_.truncations.push_back(
      {t.time_ns, t.broker.value(), t.partition.value(), t.offset.value(), t.leader_epoch.value(), t.reason});
  replay_.truncate(t, static_cast<std::uint32_t>(facts_.truncations.size() - 1), facts_);
  invariants_.on_truncate(t);
}

void FactGatherer::on(const history::LeaderElectedRecord& l) {
  facts_.elections.push_back(
      {l.time_ns, l.leader.value(), l.partition.value(), l.leader_epoch.value(), l.unclean});
  facts_.election_by_epoch[{l.partition.value(), l.leader_epoch.value()}] =
      static_cast<std::uint32_t>(facts_.elections.size() - 1);
  invariants_.on_leader_elected(l, judged());
}

void FactGatherer::on(const history::PollRecord& p) {
  const std::uint32_t mi = message_index(p.message_id);
  MessageFacts& m = facts_.messages[mi];
  if (!m.polled) {
    m.polled = true;
    facts_.set_offset(m, OffsetField::poll_first, p.offset.value());
  } else if (p.offset.value() != facts_.poll_offset_a(m) && !m.polled_at_several_offsets) {
    m.polled_at_several_offsets = true;
    facts_.rare_for_update(m).poll_offset_b = p.offset.value();
  }
  facts_.stored_in_group(mi, p.group.value()).polled = true;
  GroupPartitionFacts& gp = facts_.group_partitions[{p.group.value(), p.partition.value()}];
  if (gp.first_poll_offset < 0) {
    gp.first_poll_offset = p.offset.value();
    gp.first_poll_time = p.time_ns;
  }
  if (p.offset.value() > gp.max_polled_offset) {
    auto& frontier = gp.poll_frontier;
    if (!frontier.empty() && frontier.back().time_ns == p.time_ns && frontier.back().last_offset + 1 == p.offset.value()) {
      frontier.back().last_offset = p.offset.value();
    } else {
      frontier.push_back({p.time_ns, p.offset.value(), p.offset.value()});
    }
  }
  if (gp.last_polled_offset >= 0 && p.offset.value() != gp.last_polled_offset + 1) {
    gp.poll_jumps.push_back({p.time_ns, gp.last_polled_offset, p.offset.value()});
  }
  gp.last_polled_offset = p.offset.value();
  gp.max_polled_offset = std::max(gp.max_polled_offset, p.offset.value());
  invariants_.on_poll(p, mi, facts_, judged());
}

void FactGatherer::on(const history::OffsetCommittedRecord& o) {
  if (o.stage == history::CommitStage::failed) return;
  GroupPartitionFacts& gp = facts_.group_partitions[{o.group.value(), o.partition.value()}];
  auto& commits = o.stage == history::CommitStage::sent ? gp.commits : gp.acknowledged_commits;
  const std::int64_t prefix =
      commits.empty() ? o.offset.value() : std::max(commits.back().prefix_max_offset, o.offset.value());
  commits.push_back({o.time_ns, o.offset.value(), prefix, o.consumer.value()});
}

// A coordinator load: each group partition with an acknowledged commit gets a load that
// found nothing, which the committed_offset_loaded records that follow it fill in.
void FactGatherer::on(const history::CoordinatorLoadedRecord& c) {
  for (auto& [key, gp] : facts_.group_partitions) {
    if (!gp.acknowledged_commits.empty())
      gp.loads.push_back({c.time_ns, c.broker.value(), c.leader_epoch.value(), history::kNoOffset});
  }
}

void FactGatherer::on(const history::CommittedOffsetLoadedRecord& c) {
  const auto gp = facts_.group_partitions.find({c.group.value(), c.partition.value()});
  if (gp == facts_.group_partitions.end() || gp->second.loads.empty()) return;
  OffsetLoad& load = gp->second.loads.back();
  KSIM_ASSERT(load.time_ns == c.time_ns && load.broker == c.broker.value(),
              "committed_offset_loaded for group {} partition {} at {} ns without its coordinator_loaded",
              c.group, c.partition, c.time_ns);
  load.offset = c.offset.value();
}

Facts FactGatherer::finish() {
  replay_.finish(facts_);
  invariants_.finish(facts_);
  apply_transactional_effects();
  if (streaming_) resolve_transactional_applications();
  mark_aborted_sends();
  acknowledge_unacked_sends();
  facts_.producer_stream_count = static_cast<std::uint32_t>(producer_streams_.size());
  facts_.producer_count = static_cast<std::uint32_t>(facts_.producer_index_by_node.size());
  return std::move(facts_);
}

void FactGatherer::apply_transactional_effects() {
  for (const history::EffectInTransactionRecord& e : transactional_effects_) {
    StoredGroupFacts& gm = facts_.stored_in_group(message_index(e.message_id), e.group.value());
    if (transaction_committed(facts_, e)) {
      note_application(facts_, gm, e.consumer.value(), e.time_ns);
      // The effect is the transaction's output: visible once the coordinator decided commit.
      note_visible(facts_, gm, facts_.transaction_decided_ns.at({e.consumer.value(), e.transaction}));
    } else if (RareGroupFacts& rare = facts_.rare_for_update(gm); rare.aborted_effects++ == 0) {
      rare.aborted_effect_time = e.time_ns;
    }
  }
}

void FactGatherer::resolve_transactional_applications() {
  std::size_t kept = 0;
  for (const AppliedMessage& applied : applications_) {
    if (applied.message != kNone) {
      applications_[kept++] = applied;
      continue;
    }
    const history::EffectInTransactionRecord& e = transactional_effects_[applied.group];
    if (transaction_committed(facts_, e)) applications_[kept++] = {message_index(e.message_id), e.group.value()};
  }
  applications_.resize(kept);
}

void FactGatherer::mark_aborted_sends() {
  if (facts_.transactions.empty()) return;
  for (MessageFacts& m : facts_.messages) {
    if (m.transaction < 0) continue;
    const auto aborted = [&](std::int32_t transaction) {
      const auto decision = facts_.transactions.find({m.producer, transaction});
      return decision != facts_.transactions.end() && !decision->second;
    };
    m.aborted = aborted(m.transaction);
    const std::int32_t first = facts_.first_transaction(m);
    m.aborted_copy = first != m.transaction && aborted(first);
  }
}

void FactGatherer::acknowledge_unacked_sends() {
  std::map<std::uint32_t, const history::ProducerEntry*> producer_config;
  for (const auto& producer : history_.producers) producer_config[producer.node.value()] = &producer;
  // acks=0: the application was told success at send time; count every unfailed send.
  for (MessageFacts& m : facts_.messages) {
    if (!m.sent) continue;
    auto it = producer_config.find(m.producer);
    if (it != producer_config.end() && it->second->acks == history::Acks::none && !m.failed) m.acknowledged = true;
  }
}


FactStream::FactStream(const history::History& header, std::uint64_t expected_messages)
    : gatherer_(std::make_unique<FactGatherer>(header, FactGatherer::Streaming{}, expected_messages)) {}

FactStream::~FactStream() = default;

void FactStream::add(const history::Record& record) { gatherer_->add(record); }

Facts FactStream::finish(std::vector<AppliedMessage>& applications) {
  Facts facts = gatherer_->finish();
  applications = gatherer_->take_applications();
  gatherer_.reset();
  return facts;
}

Facts gather_facts(const history::History& history) {
  FactGatherer gatherer(history);
  const std::uint32_t partition_count = gatherer.partition_count();
  for (const history::Record& r : history.records) {
    // `partition` means the same in every kind (0 in those about no partition).
    if (r.partition >= partition_count) continue;
    history::visit(r, gatherer);
  }
  return gatherer.finish();
}

}  // namespace ksim::check
