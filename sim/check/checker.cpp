#include "sim/check/checker.h"

#include "sim/check/facts.h"
#include "sim/check/stages.h"

namespace ksim::check {

Outcome check(const history::History& history, const CheckOptions& options) {
  const Facts facts = gather_facts(history);
  Outcome outcome;
  count(history, facts, outcome);
  count_reorderings(history, facts, outcome, options.max_examples);
  count_pipeline(history, facts, outcome);
  find_jepsen_anomalies(history, facts, outcome, options.max_examples);
  attribute_causes(history, facts, outcome);
  measure_latencies(history, facts, outcome);
  return outcome;
}

}  // namespace ksim::check
