#include "sim/check/streaming_checker.h"

#include <algorithm>

#include "sim/check/record_message.h"
#include "sim/check/stages.h"
#include "sim/core/assert.h"

namespace ksim::check {

namespace {

history::History header_of(const history::History& history) {
  history::History header;
  header.nodes = history.nodes;
  header.partitions = history.partitions;
  header.replication = history.replication;
  header.producers = history.producers;
  header.groups = history.groups;
  header.client_only = history.client_only;
  return header;
}

bool by_message_id(const ExplainedMessage& a, const ExplainedMessage& b) { return a.message_id < b.message_id; }

}  // namespace

StreamingChecker::StreamingChecker(const history::History& header, const CheckOptions& options,
                                   std::uint64_t expected_messages)
    : options_(options),
      header_(header_of(header)),
      facts_(header_, expected_messages),
      partition_has_marker_(header.partitions.size()) {
  KSIM_ASSERT(!header.client_only, "a client history is judged from its file, not streamed");
  for (const history::ConsumerGroupEntry& group : header.groups) pipeline_ = pipeline_ || !group.output_partitions.empty();
}

void StreamingChecker::on_record(const history::Record& record) {
  KSIM_ASSERT(!finished_, "a record streamed after the streaming checker finished");
  ++records_;
  facts_.add(record);
  sample(record);
  if (reread_later(record)) header_.add(record);
}

// The kinds the record-reading stages visit (jepsen.cpp, jepsen_internal.cpp,
// dependency_graph.cpp, inconsistent_offsets.cpp, pipeline.cpp); any other kind they pass by.
bool StreamingChecker::reread_later(const history::Record& record) {
  using Kind = history::RecordKind;
  switch (record.kind) {
    case Kind::send_acknowledged:
    case Kind::poll:
    case Kind::poll_call:
    case Kind::partition_assigned:
    case Kind::partition_revoked:
    case Kind::effect_in_transaction:
    case Kind::transaction_ended:
      return true;
    case Kind::effect_applied:
    case Kind::output_produced:
      return pipeline_;
    case Kind::append: {
      const history::AppendRecord append = history::as_append(record);
      if (append.source == history::AppendSource::follower) return false;
      // Until a partition's first marker, Jepsen's skippable offsets keep nothing of it.
      if (append.message_id == history::kControlMessageId) partition_has_marker_[record.partition] = true;
      return partition_has_marker_[record.partition];
    }
    default:
      return false;
  }
}

void StreamingChecker::sample(const history::Record& record) {
  if (sample_records_.size() == kSampleRecordsMax) return;
  history::visit(record, [&](const auto& typed) {
    if (!names_message(typed)) return;
    const std::uint64_t id = message_id_of(typed);
    const bool known = std::find(sample_ids_.begin(), sample_ids_.end(), id) != sample_ids_.end();
    if (!known && sample_ids_.size() == kSampleMessages) return;
    if (!known) sample_ids_.push_back(id);
    sample_records_.push_back(record);
  });
}

StreamOutcome StreamingChecker::finish(const history::History& end) {
  KSIM_ASSERT(!finished_, "the streaming checker finished twice");
  finished_ = true;
  header_.workload_end_ns = end.workload_end_ns;
  header_.end_ns = end.end_ns;
  header_.drain_completed = end.drain_completed;
  std::vector<AppliedMessage> applications;
  const Facts facts = facts_.finish(applications);
  StreamOutcome result;
  Outcome& outcome = result.outcome;
  // The batch checker's stages (checker.cpp), in its order; those that read records read the kept ones.
  count(header_, facts, outcome);
  count_reorderings(applications, facts, outcome);
  count_pipeline(header_, facts, outcome);
  find_jepsen_anomalies(header_, facts, outcome, options_.max_examples);
  attribute_causes(header_, facts, outcome);
  measure_latencies(header_, facts, outcome);
  // A stream's dense indices follow first appearance: the lists go back to id order.
  std::sort(outcome.lost.begin(), outcome.lost.end(), by_message_id);
  std::sort(outcome.duplicated.begin(), outcome.duplicated.end(), by_message_id);
  result.records = records_;
  result.records_kept = header_.records.size();
  result.kept_bytes = header_.records.encoded_bytes();
  result.sample_records = std::move(sample_records_);
  return result;
}

}  // namespace ksim::check
