#pragma once
// Judging one `expect` entry of a scenario over the run objects of results.json.
#include <nlohmann/json.hpp>

namespace ksim::reports {

// Sets the expectation's verdict ("held", "failed", "inconclusive"), held, seeds_checked,
// observed, failing_seed, witness_seed, replay and inconclusive_seeds /
// inconclusive_seed / inconclusive_reason, from the runs of its mode in run order.
//
// Only complete runs are judged. An every-seed bound fails on the first complete run
// outside it. Otherwise a run of the mode that did not complete makes the expectation
// inconclusive (held false, exit 4), because the part of its history that is missing may
// hold the violation, or for a some-seed bound, because a scenario whose runs stop at a
// bound shows nothing dependable; the reason and replay of its first such run are kept.
void judge_expectation(nlohmann::json& expectation, const nlohmann::json& runs);

}  // namespace ksim::reports
