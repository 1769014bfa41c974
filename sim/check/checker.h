#pragma once
// The delivery checker: a pure function from a run history to its Outcome. It reads only
// the history (never a model object), so it can judge a history from anywhere. Time is
// linear in the history apart from sorting (message ids, keys, polled slots), and the
// output is deterministic: no unordered containers, every list sorted.
//
// Definitions: counters in outcome.h, lost/duplicated in judgement.h, the final log in
// log_replay.h, reordering in reorder.cpp, Jepsen anomalies in jepsen.cpp, causes in
// causes.cpp, Kafka's safety invariants in invariants.h.
#include <cstddef>

#include "sim/check/outcome.h"
#include "sim/history/history.h"

namespace ksim::check {

struct CheckOptions {
  std::size_t max_examples = 10;  // example message ids kept per Jepsen anomaly
};

Outcome check(const history::History& history, const CheckOptions& options = {});

}  // namespace ksim::check
