// The run, per-group and per-partition counters (definitions in outcome.h and judgement.h).
#include <algorithm>
#include <utility>

#include "sim/check/judgement.h"
#include "sim/check/naming.h"
#include "sim/check/stages.h"

namespace ksim::check {

namespace {

constexpr std::uint32_t kNoTopic = 0xffffffffU;

void count_invariants(const InvariantFacts& invariants, Counters& c) {
  const std::pair<const InvariantCount*, std::uint64_t Counters::*> fields[] = {
      {&invariants.acked_below_min_insync, &Counters::acked_below_min_insync},
      {&invariants.unclean_election_when_disabled, &Counters::unclean_election_when_disabled},
      {&invariants.isr_joined_before_caught_up, &Counters::isr_joined_before_caught_up},
      {&invariants.hw_above_isr_member_log, &Counters::hw_above_isr_member_log},
      {&invariants.replicas_diverged_below_both_hw, &Counters::replicas_diverged_below_both_hw},
      {&invariants.committed_lost_after_clean_election, &Counters::committed_lost_after_clean_election},
      {&invariants.read_above_hw_or_lso, &Counters::read_above_hw_or_lso},
  };
  for (const auto& [invariant, field] : fields) {
    c.*field = invariant->seen;
    c.kafka_promises_broken += invariant->promised;
  }
}

// The per-group and per-partition tables, named, with what the final logs say.
void prepare_tables(const history::History& history, const Facts& facts, Outcome& outcome) {
  outcome.groups.resize(facts.group_count);
  for (std::uint32_t g = 0; g < facts.group_count; ++g) {
    outcome.groups[g].group = g;
    outcome.groups[g].name = group_name(history, g);
  }
  outcome.partitions.resize(facts.partition_count);
  for (std::uint32_t p = 0; p < facts.partition_count; ++p) {
    PartitionCounters& pc = outcome.partitions[p];
    const PartitionLogFacts& log = facts.partition_logs[p];
    pc.partition = p;
    pc.name = partition_name(history, p);
    pc.final_leader = log.final_leader;
    pc.final_log_end = static_cast<std::int64_t>(log.final_log.size());
    pc.final_high_watermark = log.final_high_watermark;
    outcome.counters.divergent_replicas_below_hw += log.divergent_slots;
  }
}

// The topic of each partition (an index into outcome.topics), from the history header.
std::vector<std::uint32_t> prepare_topics(const history::History& history, const Facts& facts, Outcome& outcome) {
  std::vector<std::uint32_t> topic_of(facts.partition_count, kNoTopic);
  for (std::uint32_t p = 0; p < facts.partition_count && p < history.partitions.size(); ++p) {
    const std::string& name = history.partitions[p].topic;
    const auto found = std::find_if(outcome.topics.begin(), outcome.topics.end(),
                                    [&](const TopicCounters& topic) { return topic.name == name; });
    topic_of[p] = static_cast<std::uint32_t>(found - outcome.topics.begin());
    if (found == outcome.topics.end()) outcome.topics.push_back(TopicCounters{name});
  }
  return topic_of;
}

// One sent message in its topic's counters (one without a known partition in none).
void count_topic(const MessageFacts& m, bool applied_anywhere, bool lost, bool duplicated,
                 const std::vector<std::uint32_t>& topic_of, Outcome& outcome) {
  if (!m.sent || m.partition >= topic_of.size() || topic_of[m.partition] == kNoTopic) return;
  TopicCounters& topic = outcome.topics[topic_of[m.partition]];
  ++topic.produced;
  if (m.acknowledged) ++topic.acknowledged;
  if (applied_anywhere) ++topic.delivered;
  if (lost) ++topic.lost;
  if (duplicated) ++topic.duplicated;
}

// One message's effects in every group: counts them per group, and whether it was applied
// anywhere.
bool count_groups(const Facts& facts, std::uint32_t i, Outcome& outcome) {
  bool applied_anywhere = false;
  for (std::uint32_t g = 0; g < facts.group_count; ++g) {
    const GroupMessageFacts gm = facts.in_group(i, g);
    GroupCounters& gc = outcome.groups[g];
    gc.redelivered_absorbed += gm.skipped;
    if (gm.applied > 0) {
      applied_anywhere = true;
      ++gc.delivered;
    }
    if (gm.applied >= 2) {
      ++gc.duplicated;
      gc.duplicate_applications += gm.applied - 1;
      outcome.counters.duplicate_applications += gm.applied - 1;
    }
    if (lost_in_group(facts, i, g)) ++gc.lost;
  }
  return applied_anywhere;
}

// The application's side: what arrived, and what it never handed to the producer.
void count_offered(const MessageFacts& m, Counters& c) {
  if (!m.sent && !m.queued && m.not_sent == 0) return;  // no record of its arrival (e.g. an unknown id)
  ++c.offered;
  if (m.sent) return;
  ++c.not_sent;
  using Reason = history::NotSentReason;
  const auto reason_is = [&](Reason reason) { return m.not_sent == 1 + static_cast<std::uint8_t>(reason); };
  if (m.not_sent == 0) ++c.not_sent_still_waiting;
  else if (reason_is(Reason::max_block_timeout)) ++c.not_sent_max_block_ms;
  else if (reason_is(Reason::application_queue_full)) ++c.not_sent_application_queue_full;
  else ++c.not_sent_record_too_large;
}

void count_message(const Facts& facts, std::uint32_t i, const std::vector<std::uint32_t>& topic_of, Outcome& outcome) {
  Counters& c = outcome.counters;
  const MessageFacts& m = facts.messages[i];
  const bool applied_anywhere = count_groups(facts, i, outcome);
  if (applied_anywhere) ++c.delivered;
  if (m.final_count >= 2) ++c.log_duplicates;
  if (facts.rare(m).leader_offset_b >= 0) ++c.leader_append_duplicates;
  if (m.committed && m.final_count == 0) ++c.committed_missing_after_election;
  const bool lost = lost_group(facts, i) != kNone;
  const bool duplicated = duplicated_group(facts, i) != kNone;
  if (lost) ++c.lost;
  if (duplicated) ++c.duplicated;
  count_topic(m, applied_anywhere, lost, duplicated, topic_of, outcome);
  PartitionCounters* pc = m.partition < outcome.partitions.size() ? &outcome.partitions[m.partition] : nullptr;
  if (pc != nullptr && m.final_count >= 2) ++pc->log_duplicates;
  count_offered(m, c);
  if (!m.sent) return;
  ++c.produced;
  if (m.acknowledged) ++c.acknowledged;
  if (m.failed) ++c.failed;
  if (!m.acknowledged && !m.failed) ++c.indeterminate;
  if (m.failed && !m.aborted && applied_anywhere) ++c.failed_but_delivered;
  if (m.aborted && applied_anywhere) ++c.aborted_but_delivered;
  if (pc != nullptr) {
    ++pc->produced;
    if (m.acknowledged) ++pc->acknowledged;
    if (lost) ++pc->lost;
    if (duplicated) ++pc->duplicated;
  }
}

}  // namespace

void count(const history::History& history, const Facts& facts, Outcome& outcome) {
  Counters& c = outcome.counters;
  prepare_tables(history, facts, outcome);
  c.out_of_order_sequence_errors = facts.out_of_order_sequence_errors;
  c.redelivered_absorbed = facts.effect_skipped_records;
  const LateWriteSummary late = summarize_late_writes(facts);
  c.late_transaction_writes = late.late_transaction_writes;
  c.hanging_transaction_records = late.hanging_transaction_records;
  c.late_writes_committed = late.late_writes_committed;
  const std::vector<std::uint32_t> topic_of = prepare_topics(history, facts, outcome);
  for (std::uint32_t i = 0; i < facts.messages.size(); ++i) count_message(facts, i, topic_of, outcome);
  count_invariants(facts.invariants, c);

  Verdicts& v = outcome.verdicts;
  v.at_most_once = c.duplicated == 0;
  v.at_least_once = c.lost == 0;
  v.exactly_once = v.at_most_once && v.at_least_once;
  v.per_key_order = c.reordered_within_key == 0;
  v.replication_ok = c.committed_missing_after_election == 0 && c.divergent_replicas_below_hw == 0;
  v.kafka_promises_kept = c.kafka_promises_broken == 0;
}

void finish_examples(std::vector<std::uint64_t>& examples, std::size_t max_examples) {
  std::sort(examples.begin(), examples.end());
  examples.erase(std::unique(examples.begin(), examples.end()), examples.end());
  if (examples.size() > max_examples) examples.resize(max_examples);
}

}  // namespace ksim::check
