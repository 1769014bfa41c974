#pragma once
// The checker's stages, each filling its part of the Outcome from the gathered facts.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/check/facts.h"
#include "sim/check/outcome.h"
#include "sim/core/overloaded.h"
#include "sim/history/records.h"

namespace ksim::check {

void count(const history::History& history, const Facts& facts, Outcome& outcome);            // counters.cpp
void count_reorderings(const history::History& history, const Facts& facts, Outcome& outcome,  // reorder.cpp
                       std::size_t max_examples);
// The same from the applications a FactStream kept (the streaming checker).
void count_reorderings(const std::vector<AppliedMessage>& applications, const Facts& facts, Outcome& outcome);
void find_jepsen_anomalies(const history::History& history, const Facts& facts, Outcome& outcome,  // jepsen.cpp
                           std::size_t max_examples);
void find_internal_anomalies(const history::History& history, const Facts& facts,  // jepsen_internal.cpp
                             JepsenAnomalies& out);
void find_transactional_anomalies(const history::History& history, const Facts& facts,  // jepsen_cycles.cpp
                                  JepsenAnomalies& out);
void count_pipeline(const history::History& history, const Facts& facts, Outcome& outcome);  // pipeline.cpp
void measure_latencies(const history::History& history, const Facts& facts, Outcome& outcome);  // latency.cpp
void attribute_causes(const history::History& history, const Facts& facts, Outcome& outcome);  // causes.cpp

// A power failure rewound the log under a group (rewound_by_power.cpp; rules 3.b1 and 3.b0 of
// causes.cpp): the explanation, or nullopt.
std::optional<std::string> rewound_under_position(const history::History& history, const Facts& facts,
                                                  const GroupPartitionFacts& gp, const MessageFacts& m, std::int64_t offset,
                                                  const std::string& group_text);
std::optional<std::string> rewound_by_power(const history::History& history, const Facts& facts, std::uint32_t partition,
                                            std::int64_t offset, TimeNs committed_ns, const std::string& group_text);

// KIP-320 not in force (undetected_truncation.cpp): the explanation when a group read on
// past offsets its partition's log wrote again under a new leader (a lost message at
// `offset`), or went back over them by auto.offset.reset (a message applied twice, at
// `first_ns` and `second_ns`); nullopt when the history shows no such thing.
std::optional<std::string> undetected_truncation_skip(const history::History& history, const Facts& facts,
                                                      std::uint32_t message, std::uint32_t group);
std::optional<std::string> undetected_truncation_reread(const history::History& history, const Facts& facts,
                                                        std::uint32_t message, std::uint32_t group, TimeNs first_ns,
                                                        TimeNs second_ns);

// KIP-890's late transactional writes (late_transaction_writes.cpp): while gathering, a
// leader's marker append and a leader's data append; afterwards, the counters and the
// offset a hanging transaction holds each partition's last stable offset at.
void note_marker_append(Facts& facts, const history::AppendRecord& append);
void note_late_transaction_write(Facts& facts, const history::AppendRecord& append, std::uint32_t message);
struct LateWriteSummary {
  std::uint64_t late_transaction_writes = 0;
  std::uint64_t hanging_transaction_records = 0;
  std::uint64_t late_writes_committed = 0;
  // Per partition: the lowest offset of a late write no marker ever ended (-1: none).
  std::vector<std::int64_t> hanging_from_offset;
};
LateWriteSummary summarize_late_writes(const Facts& facts);

// Calls on_applied(group, message_id) for each application to a group's database, in
// history order: a plain or idempotent sink's effect, or a committed transaction's output.
template <class OnApplied>
void for_each_application(const history::History& history, const Facts& facts, OnApplied&& on_applied) {
  const Overloaded handlers{
      [&](const history::EffectAppliedRecord& e) { on_applied(e.group.value(), e.message_id); },
      [&](const history::EffectInTransactionRecord& e) {
        if (transaction_committed(facts, e)) on_applied(e.group.value(), e.message_id);
      },
      [](const auto&) {},
  };
  for (const history::Record& r : history.records) history::visit(r, handlers);
}

// One more occurrence of a Jepsen anomaly, with its example message.
inline void note(Anomaly& anomaly, std::uint64_t message_id) {
  ++anomaly.count;
  anomaly.examples.push_back(message_id);
}

// Sorts, deduplicates and trims example ids.
void finish_examples(std::vector<std::uint64_t>& examples, std::size_t max_examples);

}  // namespace ksim::check
