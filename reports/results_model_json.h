#pragma once
// The one place the typed results model (sim/run: run figures, expectations and their
// verdicts, per-mode aggregates, worst seeds, vary points, scenario results) is converted
// to and from results.json ("ksim-results" v1, documented in scenarios/README.md). Every
// to_json / from_json pair round-trips (tests/reports/test_results_model_json.cpp).
// Reading throws std::runtime_error on a document it cannot understand (a bound that does
// not parse, an unknown verdict); absent optional fields read as their defaults.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/run/scenario_result.h"

namespace ksim::reports {

// A run object (run_to_json) as the figures the model needs; the rest of the object
// (examples, fingerprint, events, ...) stays in the document.
run::RunFigures run_figures_from_json(const nlohmann::json& run);
// The figures as a run object holds them (a subset of run_to_json's fields).
nlohmann::json run_figures_to_json(const run::RunFigures& figures);

nlohmann::json expectation_spec_to_json(const run::ExpectationSpec& spec);
run::ExpectationSpec expectation_spec_from_json(const nlohmann::json& expectation);
// The spec and its verdict: mode, counter, bound, quantifier, held, verdict, seeds_checked,
// observed, failing_seed, witness_seed, replay, inconclusive_seeds / _seed / _reason.
nlohmann::json judged_expectation_to_json(const run::JudgedExpectation& judged);
// Documents older than "verdict" give held / failed from "held".
run::JudgedExpectation judged_expectation_from_json(const nlohmann::json& expectation);

// {counter: {min, median, max, sum, violating_seeds}, ..., guarantee_violations,
// inconclusive_runs, latency, throughput}; the mode is the key it is stored under.
nlohmann::json mode_aggregate_to_json(const run::ModeAggregate& aggregate);
run::ModeAggregate mode_aggregate_from_json(const std::string& mode, const nlohmann::json& aggregate);

nlohmann::json worst_seed_to_json(const run::WorstSeed& worst);
run::WorstSeed worst_seed_from_json(const nlohmann::json& worst);

nlohmann::json vary_point_to_json(const run::VaryPoint& point);
run::VaryPoint vary_point_from_json(const nlohmann::json& point);

}  // namespace ksim::reports
