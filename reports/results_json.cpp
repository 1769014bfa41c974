#include "reports/results_json.h"

#include <fmt/format.h>

namespace ksim::reports {

namespace {

nlohmann::json cause_counts(const std::array<std::uint64_t, check::kCauseCategoryCount>& counts) {
  nlohmann::json out = nlohmann::json::object();
  for (std::size_t c = 0; c < counts.size(); ++c) {
    if (counts[c] > 0) out[std::string(check::to_string(static_cast<check::CauseCategory>(c)))] = counts[c];
  }
  return out;
}

nlohmann::json explained(const std::vector<check::ExplainedMessage>& messages, std::size_t limit) {
  nlohmann::json out = nlohmann::json::array();
  for (std::size_t i = 0; i < messages.size() && i < limit; ++i) {
    out.push_back({{"message_id", messages[i].message_id},
                   {"cause", std::string(check::to_string(messages[i].category))},
                   {"explanation", messages[i].explanation}});
  }
  return out;
}

}  // namespace

const std::vector<std::string>& run_counter_names() {
  static const std::vector<std::string> names{
      "produced",       "acknowledged",          "failed",         "indeterminate",
      "delivered",      "lost",                  "duplicated",     "duplicate_applications",
      "redelivered_absorbed", "log_duplicates",  "reordered",      "reordered_within_key",
      "reordered_within_producer_partition",     "failed_but_delivered", "aborted_but_delivered",
      "out_of_order_sequence_errors", "committed_missing_after_election", "divergent_replicas_below_hw"};
  return names;
}

nlohmann::json run_to_json(const run::RunReport& report, const std::string& replay_command) {
  const check::Counters& c = report.outcome.counters;
  nlohmann::json run = {
      {"scenario", report.scenario},
      {"seed", report.seed},
      {"mode", report.mode},
      {"produced", c.produced},
      {"acknowledged", c.acknowledged},
      {"failed", c.failed},
      {"indeterminate", c.indeterminate},
      {"delivered", c.delivered},
      {"lost", c.lost},
      {"duplicated", c.duplicated},
      {"duplicate_applications", c.duplicate_applications},
      {"redelivered_absorbed", c.redelivered_absorbed},
      {"log_duplicates", c.log_duplicates},
      // "reordered": pairs processed against their acknowledged send order, within a key
      // or within one producer's partition (cross-partition order is not promised).
      {"reordered", c.reordered_within_key + c.reordered_within_producer_partition},
      {"reordered_within_key", c.reordered_within_key},
      {"reordered_within_producer_partition", c.reordered_within_producer_partition},
      {"failed_but_delivered", c.failed_but_delivered},
      {"aborted_but_delivered", c.aborted_but_delivered},
      {"out_of_order_sequence_errors", c.out_of_order_sequence_errors},
      {"committed_missing_after_election", c.committed_missing_after_election},
      {"divergent_replicas_below_hw", c.divergent_replicas_below_hw},
      {"events", report.run.events_executed},
      {"end_time_ns", report.run.end_time_ns},
      {"stop_reason", std::string(to_string(report.run.stop_reason))},
      {"drain_completed", report.drain_completed},
      {"drain_blocker", report.drain_blocker},
      {"fingerprint", fmt::format("{:016x}", report.run.fingerprint)},
      {"guarantee", report.guarantee},
      {"guarantee_held", report.guarantee_held},
      {"verdicts",
       {{"at_most_once", report.outcome.verdicts.at_most_once},
        {"at_least_once", report.outcome.verdicts.at_least_once},
        {"exactly_once", report.outcome.verdicts.exactly_once},
        {"per_key_order", report.outcome.verdicts.per_key_order}}},
      {"lost_by_cause", cause_counts(report.outcome.lost_by_cause)},
      {"duplicated_by_cause", cause_counts(report.outcome.duplicated_by_cause)},
      {"lost_examples", explained(report.outcome.lost, 5)},
      {"duplicated_examples", explained(report.outcome.duplicated, 5)},
      {"replay", replay_command},
  };
  nlohmann::json jepsen = nlohmann::json::object();
  for (const check::NamedAnomaly& named : check::named(report.outcome.jepsen)) {
    jepsen[std::string(named.name)] = named.anomaly->count;
  }
  run["jepsen"] = jepsen;
  return run;
}

}  // namespace ksim::reports
