#define BOOST_TEST_MODULE results_model_json
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "reports/results_json.h"
#include "reports/results_model_json.h"
#include "reports/scenario_result_json.h"
#include "tests/reports/report_fixture.h"

// The one conversion between the typed results model (sim/run) and results.json: every
// to_json / from_json pair round-trips, re-summarising a document changes nothing the
// model did not compute, and merging shard documents gives the unsharded document.

using namespace ksim;
using namespace ksim::reports;
using ksim::reports::testing::fixture;

namespace {

check::LatencyHistogram histogram_of(std::initializer_list<std::uint64_t> values) {
  check::LatencyHistogram histogram;
  for (const std::uint64_t value : values) histogram.record(static_cast<std::int64_t>(value));
  return histogram;
}

}  // namespace

BOOST_AUTO_TEST_CASE(run_figures_round_trip) {
  // The document outlives the loop (a range-for over a member of a temporary would dangle).
  const nlohmann::json document = fixture();
  for (const nlohmann::json& scenario : document.at("scenarios")) {
    for (const nlohmann::json& run : scenario.at("runs")) {
      const run::RunFigures figures = run_figures_from_json(run);
      BOOST_TEST((run_figures_from_json(run_figures_to_json(figures)) == figures));
      BOOST_TEST(figures.counter("lost") == run.at("lost").get<std::uint64_t>());
    }
  }
  // Every optional part set, on a run of the fixture (so the counters are the full set).
  run::RunFigures made = run_figures_from_json(fixture().at("scenarios").at(1).at("runs").at(0));
  made.mode = "m";
  made.seed = 7;
  made.verdict = run::RunVerdict::inconclusive;
  made.inconclusive_reason = "stopped";
  made.counters["lost"] = 3;
  made.latency = run::RunLatency{{histogram_of({1000, 2000}), histogram_of({5'000'000}), {}}};
  made.throughput = run::RunThroughput{10, 2'000'000'000};
  made.vary_value = "1000/s";
  BOOST_TEST((run_figures_from_json(run_figures_to_json(made)) == made));
}

BOOST_AUTO_TEST_CASE(judged_expectations_round_trip_with_and_without_seeds) {
  run::JudgedExpectation judged;
  judged.spec.mode = "at-least-once";
  judged.spec.counter = "lost";
  judged.spec.bound = check::Bound{check::Bound::Op::between, 0, 2.5};
  judged.spec.quantifier = check::Quantifier::some_seed;
  judged.verdict = run::ExpectationVerdict::inconclusive;
  judged.observed = 4;
  judged.inconclusive_seeds = 2;
  judged.inconclusive_seed = 3;
  judged.inconclusive_reason = "limits.max_events";
  judged.replay = "ksim run x --seed 3";
  BOOST_TEST((judged_expectation_from_json(judged_expectation_to_json(judged)) == judged));
  judged.verdict = run::ExpectationVerdict::failed;
  judged.failing_seed = 9;
  judged.inconclusive_seed.reset();
  judged.inconclusive_reason.reset();
  judged.replay.reset();
  const nlohmann::json json = judged_expectation_to_json(judged);
  BOOST_TEST(json.at("bound") == "0..2.5");
  BOOST_TEST(json.at("held") == false);
  BOOST_TEST(json.at("witness_seed").is_null());
  BOOST_TEST((judged_expectation_from_json(json) == judged));
  nlohmann::json bad = json;
  bad["bound"] = "about 3";
  BOOST_CHECK_THROW(judged_expectation_from_json(bad), std::runtime_error);
}

BOOST_AUTO_TEST_CASE(aggregates_worst_seeds_and_vary_points_round_trip) {
  std::vector<run::RunFigures> runs;
  const nlohmann::json document = fixture();
  for (const nlohmann::json& run : document.at("scenarios").at(0).at("runs")) runs.push_back(run_figures_from_json(run));
  const run::ModeAggregate aggregate = run::aggregate_mode(runs, "at-least-once");
  BOOST_TEST((mode_aggregate_from_json("at-least-once", mode_aggregate_to_json(aggregate)) == aggregate));
  for (const run::WorstSeed& worst : run::worst_seeds(runs)) {
    BOOST_TEST((worst_seed_from_json(worst_seed_to_json(worst)) == worst));
  }
  for (auto& run : runs) run.vary_value = run.seed % 2 == 0 ? "0.01" : "0";
  for (const run::VaryPoint& point : run::vary_points(runs, {{"0", 0}, {"0.01", 0.01}}, {"at-most-once", "exactly-once"})) {
    BOOST_TEST((vary_point_from_json(vary_point_to_json(point)) == point));
  }
}

BOOST_AUTO_TEST_CASE(a_summarised_scenario_reads_back_as_the_model_wrote_it) {
  const nlohmann::json document = fixture();
  for (nlohmann::json scenario : document.at("scenarios")) {
    summarize_scenario(scenario);
    const nlohmann::json once = scenario;
    summarize_scenario(scenario);
    BOOST_TEST(once.dump() == scenario.dump());  // idempotent: nothing but the model's figures moved
    const run::ScenarioResult result = scenario_result_from_json(scenario);
    nlohmann::json written = scenario;
    write_summary(result, written);
    BOOST_TEST(written.dump() == scenario.dump());
    BOOST_TEST((scenario_result_from_json(written) == result));
  }
}

BOOST_AUTO_TEST_CASE(merging_shard_documents_gives_the_unsharded_document) {
  nlohmann::json whole = fixture().at("scenarios").at(0);
  summarize_scenario(whole);
  // Slices of the seeds 1..3: {1}, {2, 3}; given in reverse order.
  std::vector<nlohmann::json> documents;
  for (const auto& [index, first, last] : {std::tuple{2U, 2U, 3U}, std::tuple{1U, 1U, 1U}}) {
    nlohmann::json shard = whole;
    shard["runs"] = nlohmann::json::array();
    for (const nlohmann::json& run : whole.at("runs")) {
      if (run.at("seed") >= first && run.at("seed") <= last) shard["runs"].push_back(run);
    }
    summarize_scenario(shard);
    mark_shard(shard, run::Shard{index, 2}, 1, 3);
    documents.push_back(results_document("sweep", nlohmann::json::array({shard})));
  }
  const nlohmann::json merged = merge_documents(documents);
  BOOST_TEST(merged.dump(2) == results_document("sweep", nlohmann::json::array({whole})).dump(2));
}
