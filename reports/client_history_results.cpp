#include "reports/client_history_results.h"

#include <fmt/format.h>

#include "reports/results_json.h"
#include "reports/scenario_result_json.h"
#include "sim/run/run_once.h"

namespace ksim::reports {

namespace {

constexpr const char* kReason =
    "a client history records what clients were told and read, not the brokers' replica logs, truncations, "
    "elections or ISR changes";

void mark_unavailable(nlohmann::json& run, const std::vector<std::string>& counters) {
  for (const std::string& name : counters) run[name] = nullptr;
  run["lost_by_cause"] = nullptr;
  run["duplicated_by_cause"] = nullptr;
  for (const char* examples : {"lost_examples", "duplicated_examples"}) {
    for (nlohmann::json& example : run[examples]) {
      example["cause"] = nullptr;
      example["explanation"] = "cause unavailable from a client history";
    }
  }
  run["unavailable"] = {{"counters", counters}, {"causes", true}, {"reason", kReason}};
}

}  // namespace

const std::vector<std::string>& broker_side_counters() {
  static const std::vector<std::string> names{
      "log_duplicates", "leader_append_duplicates", "committed_missing_after_election", "divergent_replicas_below_hw",
      "acked_below_min_insync", "unclean_election_when_disabled", "isr_joined_before_caught_up",
      "hw_above_isr_member_log", "replicas_diverged_below_both_hw", "committed_lost_after_clean_election",
      "read_above_hw_or_lso", "kafka_promises_broken",
      // KIP-890's late writes: a leader's appends after its own transaction's marker
      "late_transaction_writes", "late_writes_committed", "hanging_transaction_records"};
  return names;
}

nlohmann::json client_history_scenario(const std::string& file, const history::History& history,
                                       const check::Outcome& outcome) {
  run::RunReport report;
  report.scenario = file;
  report.mode = "as-configured";
  report.outcome = outcome;
  report.drain_completed = history.drain_completed;
  report.run.end_time_ns = history.end_ns;
  report.guarantee = "none (a history has no mode)";
  report.history_records = history.records.size();
  std::vector<std::string> unavailable = broker_side_counters();
  if (history.groups.empty()) unavailable.push_back("lost");  // judged on the replica logs without groups
  nlohmann::json run = run_to_json(report, "");
  mark_unavailable(run, unavailable);
  nlohmann::json scenario = {{"name", file}, {"file", file}, {"description", "a client history"},
                             {"seeds", {{"first", 0}, {"last", 0}}}, {"modes", {"as-configured"}},
                             {"runs", {run}}, {"expectations", nlohmann::json::array()}, {"vary", nullptr},
                             {"timeline", nullptr}, {"topology_dot", ""}};
  summarize_scenario(scenario);
  for (const std::string& name : unavailable) scenario["aggregates"]["as-configured"][name] = nullptr;
  scenario["worst_seeds"] = nlohmann::json::array();  // one history, nothing to replay
  return scenario;
}

std::string unavailable_note(const nlohmann::json& scenario) {
  std::string out;
  for (const nlohmann::json& run : scenario.at("runs")) {
    if (!run.contains("unavailable")) continue;
    std::string names;
    for (const nlohmann::json& name : run["unavailable"]["counters"]) {
      names += (names.empty() ? "" : ", ") + name.get<std::string>();
    }
    out += fmt::format("  n/a (unavailable): {} and the causes of loss and duplication: {}\n", names, kReason);
  }
  return out;
}

}  // namespace ksim::reports
