#pragma once
// Reading a results document ("ksim-results" v1) the same way in every report writer:
// one schema check, tolerant accessors (a missing optional field reads as absent, never
// as an exception), and the few derived figures several reports show (sums per mode,
// violating seeds, top causes). Everything returned is in a fixed order, so the reports
// built on it are byte-identical for the same document.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace ksim::reports {

// Throws std::runtime_error unless `results` says schema "ksim-results", version 1.
void require_results_schema(const nlohmann::json& results);

// `object[key]` if it is an array, else an empty array (absent, null or wrong type).
const nlohmann::json& array_at(const nlohmann::json& object, const char* key);
// `object[key]` as text: strings as they are, numbers in their JSON form, else `fallback`.
std::string text_at(const nlohmann::json& object, const char* key, const std::string& fallback = "");
// A JSON value as a non-negative count: integers as they are, floats rounded, else 0.
std::uint64_t count_of(const nlohmann::json& value);
// count_of(object[key]), 0 when absent.
std::uint64_t count_at(const nlohmann::json& object, const char* key);
// Whether `object[key]` is a boolean (so "absent" and "false" stay different).
bool has_bool(const nlohmann::json& object, const char* key);

// A counter of a run object by name: a top-level counter or a Jepsen anomaly (0 when
// the run has neither).
std::uint64_t run_counter(const nlohmann::json& run, const std::string& name);

// A run's "verdict" ("held", "broken", "inconclusive"); documents written before runs had
// one give "held" or "broken" from "guarantee_held".
std::string run_verdict(const nlohmann::json& run);
// An expectation's "verdict" ("held", "failed", "inconclusive"), else from "held".
std::string expectation_verdict(const nlohmann::json& expectation);

// The modes of a scenario: its "modes" list, then any other mode met in its runs, in
// order of first appearance.
std::vector<std::string> scenario_modes(const nlohmann::json& scenario);
// The runs of one mode, in document order.
std::vector<const nlohmann::json*> mode_runs(const nlohmann::json& scenario, const std::string& mode);

// A counter summed over the seeds of a mode: the aggregate's "sum" when the document has
// one, else the sum over the runs.
std::uint64_t counter_sum(const nlohmann::json& scenario, const std::string& mode, const std::string& counter);
// Seeds of a mode where the counter is above zero (aggregate "violating_seeds", else runs).
std::uint64_t violating_seeds(const nlohmann::json& scenario, const std::string& mode, const std::string& counter);

// The rows of the per-mode counter tables (summary.md, report.html): counts of messages,
// then counts of anomalies; only anomalies say on how many seeds they happened, since "5
// lost" on one seed of twenty reads differently from one per seed.
struct TableRow {
  const char* counter;
  bool violation;
};
inline constexpr TableRow kTableRows[] = {{"offered", false}, {"not_sent", true}, {"produced", false},       {"acknowledged", false}, {"delivered", false},
                                          {"lost", true},            {"duplicated", true},    {"reordered", true},
                                          {"log_duplicates", true},  {"failed_but_delivered", true},
                                          {"kafka_promises_broken", true}};

// The counts of a cause map ("lost_by_cause" or "duplicated_by_cause") summed over the
// runs of `mode` (all modes when `mode` is empty); sorted by count descending, then name.
struct CauseCount {
  std::string cause;
  std::uint64_t count = 0;
};
std::vector<CauseCount> cause_totals(const nlohmann::json& scenario, const std::string& mode, const char* map_key);

// Guarantee of a mode as its runs state it ("" without runs), and how many runs broke it.
std::string mode_guarantee(const nlohmann::json& scenario, const std::string& mode);
// Broken runs are complete runs that broke the promise; inconclusive runs did not complete.
std::uint64_t guarantee_broken_runs(const nlohmann::json& scenario, const std::string& mode);
std::uint64_t inconclusive_runs(const nlohmann::json& scenario, const std::string& mode);
// The runs of all scenarios that did not complete, in document order.
std::vector<const nlohmann::json*> all_inconclusive_runs(const nlohmann::json& results);

// Expectations with verdict "failed" / "inconclusive", over all scenarios.
std::uint64_t failed_expectation_count(const nlohmann::json& results);
std::uint64_t inconclusive_expectation_count(const nlohmann::json& results);

}  // namespace ksim::reports
