// The price of each guarantee in simulated time: produce and end-to-end latency, the time
// the application held a message before sending it, and acknowledged throughput. Computed
// from the facts of the history only (send, send_acknowledged, effect_applied,
// effect_in_transaction + transaction_ended), never from the model's counters.
#include "sim/check/stages.h"

namespace ksim::check {

namespace {

// acks=0: the producer acknowledges a batch when it hands it to the network (a
// send_acknowledged record without offset). A message with no such record that the facts
// still call acknowledged (acks=0, not failed: e.g. still queued at the end) was promised
// success at its send, so it counts there for throughput, but has no produce latency.
TimeNs acknowledged_at(const MessageFacts& m) { return m.ack_record ? m.ack_ns : m.send_time; }

void measure_message(const Facts& facts, std::uint32_t i, TimeNs workload_end_ns, Latencies& out) {
  const MessageFacts& m = facts.messages[i];
  if (!m.sent) return;
  out.blocked_ns.record(m.send_time - facts.arrival_ns(m));
  if (m.acknowledged) {
    const TimeNs acked = acknowledged_at(m);
    if (m.ack_record) out.produce_ns.record(acked - m.send_time);
    if (acked <= workload_end_ns) ++out.acknowledged_in_workload;
  }
  // One sample per group that applied it: each group is its own pipeline to its own sink.
  for (std::uint32_t g = 0; g < facts.group_count; ++g) {
    const GroupMessageFacts gm = facts.in_group(i, g);
    if (gm.visible_effect_ns >= 0) out.end_to_end_ns.record(gm.visible_effect_ns - facts.arrival_ns(m));
  }
}

}  // namespace

void measure_latencies(const history::History& history, const Facts& facts, Outcome& outcome) {
  Latencies& out = outcome.latency;
  out.workload_ns = history.workload_end_ns;
  for (std::uint32_t i = 0; i < facts.messages.size(); ++i) measure_message(facts, i, history.workload_end_ns, out);
}

}  // namespace ksim::check
