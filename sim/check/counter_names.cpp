#include "sim/check/counter_names.h"

namespace ksim::check {

namespace {

struct CounterField {
  const char* name;
  std::uint64_t Counters::*field;
};

constexpr CounterField kCounterFields[] = {
    {"offered", &Counters::offered},
    {"not_sent", &Counters::not_sent},
    {"not_sent_max_block_ms", &Counters::not_sent_max_block_ms},
    {"not_sent_application_queue_full", &Counters::not_sent_application_queue_full},
    {"not_sent_record_too_large", &Counters::not_sent_record_too_large},
    {"not_sent_still_waiting", &Counters::not_sent_still_waiting},
    {"produced", &Counters::produced},
    {"acknowledged", &Counters::acknowledged},
    {"failed", &Counters::failed},
    {"indeterminate", &Counters::indeterminate},
    {"delivered", &Counters::delivered},
    {"lost", &Counters::lost},
    {"duplicated", &Counters::duplicated},
    {"duplicate_applications", &Counters::duplicate_applications},
    {"redelivered_absorbed", &Counters::redelivered_absorbed},
    {"log_duplicates", &Counters::log_duplicates},
    {"reordered_within_key", &Counters::reordered_within_key},
    {"reordered_within_producer_partition", &Counters::reordered_within_producer_partition},
    {"reordered_within_producer", &Counters::reordered_within_producer},
    {"failed_but_delivered", &Counters::failed_but_delivered},
    {"aborted_but_delivered", &Counters::aborted_but_delivered},
    {"late_transaction_writes", &Counters::late_transaction_writes},
    {"hanging_transaction_records", &Counters::hanging_transaction_records},
    {"late_writes_committed", &Counters::late_writes_committed},
    {"out_of_order_sequence_errors", &Counters::out_of_order_sequence_errors},
    {"committed_missing_after_election", &Counters::committed_missing_after_election},
    {"divergent_replicas_below_hw", &Counters::divergent_replicas_below_hw},
    {"acked_below_min_insync", &Counters::acked_below_min_insync},
    {"unclean_election_when_disabled", &Counters::unclean_election_when_disabled},
    {"isr_joined_before_caught_up", &Counters::isr_joined_before_caught_up},
    {"hw_above_isr_member_log", &Counters::hw_above_isr_member_log},
    {"replicas_diverged_below_both_hw", &Counters::replicas_diverged_below_both_hw},
    {"committed_lost_after_clean_election", &Counters::committed_lost_after_clean_election},
    {"read_above_hw_or_lso", &Counters::read_above_hw_or_lso},
    {"kafka_promises_broken", &Counters::kafka_promises_broken},
};

}  // namespace

const std::vector<std::string>& counter_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> all;
    for (const CounterField& field : kCounterFields) all.emplace_back(field.name);
    all.emplace_back("reordered");
    all.emplace_back("lost_cause_unknown");
    all.emplace_back("duplicated_cause_unknown");
    const JepsenAnomalies none;
    for (const check::NamedAnomaly& anomaly : check::named(none)) all.emplace_back(anomaly.name);
    return all;
  }();
  return names;
}

std::optional<std::uint64_t> counter_value(const Outcome& outcome, std::string_view name) {
  for (const CounterField& field : kCounterFields) {
    if (name == field.name) return outcome.counters.*(field.field);
  }
  // Messages no cause rule of sim/check/causes.cpp explains: a scenario can require none.
  constexpr auto kUnknown = static_cast<std::size_t>(CauseCategory::unknown);
  if (name == "lost_cause_unknown") return outcome.lost_by_cause[kUnknown];
  if (name == "duplicated_cause_unknown") return outcome.duplicated_by_cause[kUnknown];
  if (name == "reordered") {
    return outcome.counters.reordered_within_key + outcome.counters.reordered_within_producer_partition;
  }
  for (const check::NamedAnomaly& anomaly : check::named(outcome.jepsen)) {
    if (name == anomaly.name) return anomaly.anomaly->count;
  }
  return std::nullopt;
}

}  // namespace ksim::run
