// Pipelines (issue 15 item 6): a processor group (its header entry names output
// partitions) turns each input message into output records (OutputProducedRecord: the
// output's id and the input's), which a downstream group (the first other group reading
// any of those partitions) applies. From the history alone:
// - input_to_processor: the input messages, judged by the processor group's effects (a
//   processor's effect is its output record written: acknowledged, or in a committed
//   transaction) as any group's are (judgement.h);
// - output_to_downstream: the output records, judged by the downstream group's effects;
// - end_to_end: each input message's downstream effects, summed over every output record
//   linked to it: none while it was acknowledged is lost, two or more is duplicated.
// Reordered: adjacent inversions of send order within a (producer, partition) stream, in
// the order of the first effects (reorder.cpp's rule); end to end, the input messages'
// streams in the order of the first downstream effect of any of their outputs.
#include <vector>

#include "sim/check/judgement.h"
#include "sim/check/stages.h"
#include "sim/history/records.h"

namespace ksim::check {

namespace {

// The last send order seen per stream, for adjacent inversions.
class StreamOrder {
 public:
  explicit StreamOrder(std::uint32_t streams) : last_(streams, kNoSeq) {}
  void observe(const MessageFacts& m, std::uint64_t& reordered) {
    if (!m.sent || !m.acknowledged || m.producer_stream >= last_.size()) return;
    std::uint64_t& last = last_[m.producer_stream];
    if (last != kNoSeq && m.send_seq < last) ++reordered;
    last = m.send_seq;
  }

 private:
  std::vector<std::uint64_t> last_;
};

struct Pipeline {
  std::uint32_t processor = 0;
  std::uint32_t downstream = 0;
  std::vector<std::uint32_t> input_of;  // by output message (dense index): its input's, kNone for the others
};

// The first group other than the processor reading one of its output partitions.
std::uint32_t downstream_of(const history::History& history, const Facts& facts, std::uint32_t processor) {
  for (std::uint32_t g = 0; g < facts.group_count && g < history.groups.size(); ++g) {
    if (g == processor) continue;
    for (const PartitionId partition : history.groups[processor].output_partitions) {
      if (group_reads(facts, g, partition.value())) return g;
    }
  }
  return kNone;
}

void link_outputs(const history::History& history, const Facts& facts, Pipeline& pipeline) {
  pipeline.input_of.assign(facts.messages.size(), kNone);
  for (const history::Record& r : history.records) {
    if (r.kind != history::RecordKind::output_produced) continue;
    const history::OutputProducedRecord o = history::as_output_produced(r);
    if (o.group.value() != pipeline.processor) continue;
    const std::uint32_t output = facts.messages_index.find(o.output_message_id);
    const std::uint32_t input = facts.messages_index.find(o.input_message_id);
    if (output != kNone && input != kNone) pipeline.input_of[output] = input;
  }
}

void count_stage(const Facts& facts, std::uint32_t message, std::uint32_t group, std::uint32_t applied,
                 StageCounters& stage) {
  if (applied > 0) ++stage.delivered;
  if (applied >= 2) ++stage.duplicated;
  const MessageFacts& m = facts.messages[message];
  if (group == kNone ? (m.sent && m.acknowledged && applied == 0) : lost_in_group(facts, message, group)) ++stage.lost;
}

void count_messages(const Facts& facts, const Pipeline& p, PipelineCounters& out) {
  std::vector<std::uint32_t> downstream_effects(facts.messages.size(), 0);
  for (std::uint32_t i = 0; i < facts.messages.size(); ++i) {
    if (p.input_of[i] != kNone) downstream_effects[p.input_of[i]] += facts.stored_in_group(i, p.downstream).applied;
  }
  for (std::uint32_t i = 0; i < facts.messages.size(); ++i) {
    const MessageFacts& m = facts.messages[i];
    if (!m.sent) continue;
    if (p.input_of[i] != kNone) {
      count_stage(facts, i, p.downstream, facts.stored_in_group(i, p.downstream).applied, out.output_to_downstream);
    } else if (group_reads(facts, p.processor, m.partition)) {
      count_stage(facts, i, p.processor, facts.stored_in_group(i, p.processor).applied, out.input_to_processor);
      count_stage(facts, i, kNone, downstream_effects[i], out.end_to_end);
    }
  }
}

void count_reordered(const history::History& history, const Facts& facts, const Pipeline& p, PipelineCounters& out) {
  StreamOrder input(facts.producer_stream_count), output(facts.producer_stream_count),
      end_to_end(facts.producer_stream_count);
  std::vector<bool> seen_processor(facts.messages.size()), seen_downstream(facts.messages.size()),
      seen_end_to_end(facts.messages.size());
  const auto on_applied = [&](std::uint32_t group, std::uint64_t message_id) {
    const std::uint32_t i = facts.messages_index.find(message_id);
    if (i == kNone) return;
    if (group == p.processor && p.input_of[i] == kNone && !seen_processor[i]) {
      seen_processor[i] = true;
      input.observe(facts.messages[i], out.input_to_processor.reordered);
    } else if (group == p.downstream && p.input_of[i] != kNone && !seen_downstream[i]) {
      seen_downstream[i] = true;
      output.observe(facts.messages[i], out.output_to_downstream.reordered);
      const std::uint32_t origin = p.input_of[i];
      if (!seen_end_to_end[origin]) {
        seen_end_to_end[origin] = true;
        end_to_end.observe(facts.messages[origin], out.end_to_end.reordered);
      }
    }
  };
  for_each_application(history, facts, on_applied);
}

}  // namespace

void count_pipeline(const history::History& history, const Facts& facts, Outcome& outcome) {
  for (std::uint32_t g = 0; g < facts.group_count && g < history.groups.size(); ++g) {
    if (history.groups[g].output_partitions.empty()) continue;
    Pipeline pipeline{g, downstream_of(history, facts, g), {}};
    if (pipeline.downstream == kNone) continue;
    link_outputs(history, facts, pipeline);
    outcome.pipeline.present = true;
    count_messages(facts, pipeline, outcome.pipeline);
    count_reordered(history, facts, pipeline, outcome.pipeline);
  }
}

}  // namespace ksim::check
