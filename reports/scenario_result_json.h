#pragma once
// A scenario object of results.json and the typed run::ScenarioResult (sim/run): reading
// one, writing the summary the model computes (aggregates, worst_seeds, judged
// expectations, vary points) into one, and the merge of shard documents. The scenario
// object keeps each run's whole JSON object; the model holds the figures it judges on.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/run/scenario_result.h"

namespace ksim::reports {

// Everything the model holds of a scenario object, the computed parts as the document
// states them (not recomputed). Throws std::runtime_error on what it cannot understand.
run::ScenarioResult scenario_result_from_json(const nlohmann::json& scenario);
// Every scenario object of a results document.
std::vector<run::ScenarioResult> results_from_json(const nlohmann::json& results);

// Writes the computed parts of `result` into its scenario object: "aggregates",
// "worst_seeds", "expectations" and, for a --vary sweep, "vary" ({key, points}).
void write_summary(const run::ScenarioResult& result, nlohmann::json& scenario);

// (Re)computes a scenario object's summary from its run objects alone (run::summarize):
// the one path for fresh results and for merged shards.
void summarize_scenario(nlohmann::json& scenario);

// The scenarios of shard documents merged into the unsharded result (run::merge_results):
// runs in unsharded order, no "shard", summary recomputed; the document of the first's
// command ("sweep" without documents).
nlohmann::json merge_documents(const std::vector<nlohmann::json>& documents);

// Marks a sweep's scenario object as slice `shard` of the seed range first..last (the
// whole range, so a merge can check and rebuild the unsharded result).
void mark_shard(nlohmann::json& scenario, run::Shard shard, std::uint64_t first_seed, std::uint64_t last_seed);

}  // namespace ksim::reports
