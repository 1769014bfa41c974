#pragma once
// The checker's stages, each filling its part of the Outcome from the gathered facts.
#include <cstddef>

#include "sim/check/facts.h"
#include "sim/check/outcome.h"

namespace ksim::check {

void count(const history::History& history, const Facts& facts, Outcome& outcome);            // counters.cpp
void count_reorderings(const history::History& history, const Facts& facts, Outcome& outcome,  // reorder.cpp
                       std::size_t max_examples);
void find_jepsen_anomalies(const history::History& history, const Facts& facts, Outcome& outcome,  // jepsen.cpp
                           std::size_t max_examples);
void find_internal_anomalies(const history::History& history, const Facts& facts,  // jepsen_internal.cpp
                             JepsenAnomalies& out);
void find_transactional_anomalies(const history::History& history, const Facts& facts,  // jepsen_cycles.cpp
                                  JepsenAnomalies& out);
void measure_latencies(const history::History& history, const Facts& facts, Outcome& outcome);  // latency.cpp
void attribute_causes(const history::History& history, const Facts& facts, Outcome& outcome);  // causes.cpp

// One more occurrence of a Jepsen anomaly, with its example message.
inline void note(Anomaly& anomaly, std::uint64_t message_id) {
  ++anomaly.count;
  anomaly.examples.push_back(message_id);
}

// Sorts, deduplicates and trims example ids.
void finish_examples(std::vector<std::uint64_t>& examples, std::size_t max_examples);

}  // namespace ksim::check
