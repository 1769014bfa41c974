#define BOOST_TEST_MODULE results_model
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "sim/run/scenario_result.h"

// The typed results model of sim/run: expectation verdicts on typed bounds, per-mode
// aggregates, worst seeds, vary points, the merge of shard slices, timeline choice and
// the verdict of a command, each on hand-made run figures with known answers.

using namespace ksim;
using namespace ksim::run;

namespace {

RunFigures run_of(const std::string& mode, std::uint64_t seed, std::uint64_t lost, std::uint64_t duplicated = 0,
                  RunVerdict verdict = RunVerdict::held) {
  RunFigures run;
  run.mode = mode;
  run.seed = seed;
  run.verdict = verdict;
  run.guarantee_held = verdict != RunVerdict::broken;
  run.replay = "ksim run s.yaml --seed " + std::to_string(seed) + " --mode " + mode;
  run.counters = {{"lost", lost}, {"duplicated", duplicated}, {"offered", 100}, {"acknowledged", 100 - lost}};
  if (verdict == RunVerdict::inconclusive) run.inconclusive_reason = "stopped at limits.max_events";
  if (lost > 0) run.lost_by_cause = {{"leader_failover", lost}};
  return run;
}

ExpectationSpec spec_of(const std::string& mode, const std::string& counter, check::Bound bound, check::Quantifier q) {
  ExpectationSpec spec;
  spec.mode = mode;
  spec.counter = counter;
  spec.bound = bound;
  spec.quantifier = q;
  return spec;
}

const check::Bound kZero{check::Bound::Op::eq, 0, 0};
const check::Bound kAboveZero{check::Bound::Op::gt, 0, 0};

// Seeds 1..10 of two modes: at-least-once loses on seeds 4 and 7, at-most-once on 2.
ScenarioResult ten_seeds() {
  ScenarioResult result;
  result.name = "s";
  result.file = "s.yaml";
  result.first_seed = 1;
  result.last_seed = 10;
  result.modes = {"at-most-once", "at-least-once"};
  for (const std::string& mode : result.modes) {
    for (std::uint64_t seed = 1; seed <= 10; ++seed) {
      const bool loses = mode == "at-least-once" ? (seed == 4 || seed == 7) : seed == 2;
      result.runs.push_back(run_of(mode, seed, loses ? seed : 0, seed == 9 ? 1 : 0,
                                   loses && mode == "at-least-once" ? RunVerdict::broken : RunVerdict::held));
    }
  }
  result.expectations = {spec_of("at-least-once", "lost", kZero, check::Quantifier::every_seed),
                         spec_of("at-most-once", "lost", kAboveZero, check::Quantifier::some_seed)};
  summarize(result);
  return result;
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_seed_bound_fails_on_the_first_complete_run_outside_it) {
  const ScenarioResult result = ten_seeds();
  const JudgedExpectation& judged = result.judged.at(0);
  BOOST_TEST((judged.verdict == ExpectationVerdict::failed));
  BOOST_TEST(judged.failing_seed.value() == 4U);
  BOOST_TEST(!judged.witness_seed.has_value());
  BOOST_TEST(judged.observed == 4U);
  BOOST_TEST(judged.seeds_checked == 10U);
  BOOST_TEST(judged.replay.value() == "ksim run s.yaml --seed 4 --mode at-least-once");
}

BOOST_AUTO_TEST_CASE(some_seed_bound_holds_on_its_first_witness) {
  const JudgedExpectation judged = ten_seeds().judged.at(1);
  BOOST_TEST((judged.verdict == ExpectationVerdict::held));
  BOOST_TEST(judged.witness_seed.value() == 2U);
  BOOST_TEST(!judged.failing_seed.has_value());
  const JudgedExpectation never = judge_expectation(spec_of("at-most-once", "duplicated", {check::Bound::Op::ge, 5, 0},
                                                            check::Quantifier::some_seed),
                                                    ten_seeds().runs);
  BOOST_TEST((never.verdict == ExpectationVerdict::failed));
  BOOST_TEST(never.observed == 1U);  // the largest value seen when nothing decided
}

BOOST_AUTO_TEST_CASE(an_incomplete_run_makes_a_passing_expectation_inconclusive_but_not_a_failing_one) {
  std::vector<RunFigures> runs{run_of("m", 1, 0), run_of("m", 2, 0, 0, RunVerdict::inconclusive), run_of("m", 3, 0)};
  const JudgedExpectation judged = judge_expectation(spec_of("m", "lost", kZero, check::Quantifier::every_seed), runs);
  BOOST_TEST((judged.verdict == ExpectationVerdict::inconclusive));
  BOOST_TEST(!judged.held());
  BOOST_TEST(judged.seeds_checked == 2U);
  BOOST_TEST(judged.inconclusive_seeds == 1U);
  BOOST_TEST(judged.inconclusive_seed.value() == 2U);
  BOOST_TEST(judged.inconclusive_reason.value() == "stopped at limits.max_events");
  BOOST_TEST(judged.replay.value() == "ksim run s.yaml --seed 2 --mode m");
  runs.push_back(run_of("m", 4, 3));
  const JudgedExpectation failed = judge_expectation(spec_of("m", "lost", kZero, check::Quantifier::every_seed), runs);
  BOOST_TEST((failed.verdict == ExpectationVerdict::failed));
  BOOST_TEST(failed.failing_seed.value() == 4U);
}

BOOST_AUTO_TEST_CASE(no_run_of_the_mode_is_not_shown_to_hold) {
  const JudgedExpectation judged =
      judge_expectation(spec_of("other", "lost", kZero, check::Quantifier::every_seed), ten_seeds().runs);
  BOOST_TEST((judged.verdict == ExpectationVerdict::failed));
  BOOST_TEST(judged.seeds_checked == 0U);
}

BOOST_AUTO_TEST_CASE(bounds_between_and_comparisons) {
  const check::Bound between{check::Bound::Op::between, 2, 5};
  BOOST_TEST(!between.holds(1));
  BOOST_TEST(between.holds(2));
  BOOST_TEST(between.holds(5));
  BOOST_TEST(!between.holds(5.5));
  BOOST_TEST(between.to_string() == "2..5");
  BOOST_TEST((check::Bound{check::Bound::Op::le, 3, 0}.to_string() == "<= 3"));
}

BOOST_AUTO_TEST_CASE(aggregates_sum_median_violating_seeds_and_verdict_counts) {
  const ScenarioResult result = ten_seeds();
  const ModeAggregate& alo = result.aggregates.at(1);
  BOOST_TEST(alo.mode == "at-least-once");
  const auto lost = std::find_if(alo.counters.begin(), alo.counters.end(), [](const auto& c) { return c.first == "lost"; });
  BOOST_REQUIRE(lost != alo.counters.end());
  BOOST_TEST(lost->second.sum == 11U);  // 4 + 7
  BOOST_TEST(lost->second.min == 0U);
  BOOST_TEST(lost->second.median == 0U);
  BOOST_TEST(lost->second.max == 7U);
  BOOST_TEST(lost->second.violating_seeds == 2U);
  BOOST_TEST(alo.guarantee_violations == 2U);
  BOOST_TEST(alo.inconclusive_runs == 0U);
  BOOST_TEST(alo.counters.size() == aggregated_counters().size());
  const CounterAggregate odd = aggregate_values({9, 1, 5, 3});
  BOOST_TEST(odd.median == 3U);  // the lower median of 1 3 5 9
  BOOST_TEST((aggregate_values({}) == CounterAggregate{}));
}

BOOST_AUTO_TEST_CASE(worst_seeds_by_badness_ties_in_run_order_and_cause_totals) {
  const ScenarioResult result = ten_seeds();
  BOOST_REQUIRE(result.worst.size() == 5U);  // seed 9 duplicates in both modes, 2, 4 and 7 lose
  BOOST_TEST(result.worst[0].seed == 7U);
  BOOST_TEST(result.worst[1].seed == 4U);
  BOOST_TEST(result.worst[2].seed == 2U);
  BOOST_TEST(result.worst[3].seed == 9U);
  BOOST_TEST(result.worst[3].mode == "at-most-once");  // the tie with at-least-once's seed 9, in run order
  BOOST_TEST(result.worst[4].mode == "at-least-once");
  BOOST_TEST(worst_seeds(result.runs, 2).size() == 2U);
  const std::vector<CauseCount> causes = cause_totals(result.runs, "", CauseMap::lost);
  BOOST_REQUIRE(causes.size() == 1U);
  BOOST_TEST(causes[0].count == 13U);
  BOOST_TEST(cause_totals(result.runs, "at-most-once", CauseMap::lost)[0].count == 2U);
}

BOOST_AUTO_TEST_CASE(merge_of_shards_equals_the_unsharded_result) {
  const ScenarioResult whole = ten_seeds();
  for (const std::uint64_t count : {1U, 3U, 4U, 11U}) {
    std::vector<ScenarioResult> shards;
    for (std::uint64_t index = count; index >= 1; --index) {  // given in reverse: the merge orders them
      ScenarioResult shard = whole;
      shard.shard = Shard{index, count};
      shard.runs.clear();
      if (const auto span = shard_span(1, 10, Shard{index, count})) {
        for (const RunFigures& run : whole.runs) {
          if (run.seed >= span->first && run.seed <= span->second) shard.runs.push_back(run);
        }
      }
      summarize(shard);
      shards.push_back(shard);
    }
    const std::vector<ScenarioResult> merged = merge_results(shards);
    BOOST_REQUIRE(merged.size() == 1U);
    BOOST_TEST((merged.front() == whole), "merge of " << count << " shards");
  }
}

BOOST_AUTO_TEST_CASE(shard_spans_cover_the_range_once) {
  std::uint64_t next = 5;
  for (std::uint64_t index = 1; index <= 4; ++index) {
    const auto span = shard_span(5, 14, Shard{index, 4});
    BOOST_REQUIRE(span.has_value());
    BOOST_TEST(span->first == next);
    next = span->second + 1;
  }
  BOOST_TEST(next == 15U);
  BOOST_TEST(!shard_span(1, 2, Shard{1, 3}).has_value());  // fewer seeds than shards
}

BOOST_AUTO_TEST_CASE(vary_points_per_value_and_mode) {
  std::vector<RunFigures> runs;
  for (const std::string value : {"1000/s", "2000/s"}) {
    for (std::uint64_t seed = 1; seed <= 3; ++seed) {
      RunFigures run = run_of("m", seed, value == "2000/s" ? seed * 10 : 0);
      run.vary_value = value;
      run.throughput = RunThroughput{seed * 1000, 1'000'000'000};
      runs.push_back(run);
    }
  }
  const std::vector<VaryPoint> points = vary_points(runs, {{"1000/s", 1000}, {"2000/s", 2000}}, {"m"});
  BOOST_REQUIRE(points.size() == 2U);
  BOOST_TEST(points[0].value == 1000);
  BOOST_TEST(points[0].counters[0].max == 0U);  // lost
  BOOST_TEST(points[1].value == 2000);
  BOOST_TEST(points[1].counters[0].min == 10U);
  BOOST_TEST(points[1].counters[0].median == 20U);
  BOOST_TEST(points[1].counters[0].max == 30U);
  BOOST_REQUIRE(points[1].acknowledged_per_s.has_value());
  BOOST_TEST(points[1].acknowledged_per_s->median == 2000.0);
  BOOST_TEST(!points[1].produce_p99_ns.has_value());  // no run carries latency
  BOOST_TEST(acknowledged_per_s(RunThroughput{1, 3'000'000'000}) == 0.3);  // rounded to 0.1
}

BOOST_AUTO_TEST_CASE(merge_of_vary_shards_recomputes_the_curves) {
  ScenarioResult whole;
  whole.name = "v";
  whole.modes = {"m"};
  whole.vary_key = "network.loss";
  whole.vary_values = {{"0", 0}, {"0.01", 0.01}};
  // As the sweep runs them: by value, then mode, then seed.
  for (const VaryValue& value : whole.vary_values) {
    for (std::uint64_t seed = 1; seed <= 4; ++seed) {
      RunFigures run = run_of("m", seed, value.number > 0 ? seed : 0);
      run.vary_value = value.text;
      whole.runs.push_back(run);
    }
  }
  summarize(whole);
  ScenarioResult first = whole, second = whole;  // seeds 1..2 and 3..4 of each value
  first.runs.clear();
  second.runs.clear();
  for (const RunFigures& run : whole.runs) (run.seed <= 2 ? first : second).runs.push_back(run);
  summarize(first);
  summarize(second);
  BOOST_TEST(first.vary_points[1].counters[0].max == 2U);  // a shard sees only its seeds
  const ScenarioResult merged = merge_parts({second, first});
  BOOST_TEST((merged == whole));
  BOOST_TEST(merged.vary_points[1].counters[0].max == 4U);
}

BOOST_AUTO_TEST_CASE(timelines_for_failing_expectations_else_the_worst_seed) {
  const ScenarioResult failing = ten_seeds();
  BOOST_TEST((timeline_runs(failing) == std::vector<RunRef>{{"at-least-once", 4}}));
  ScenarioResult clean = ten_seeds();
  clean.expectations.clear();
  summarize(clean);
  BOOST_TEST((timeline_runs(clean) == std::vector<RunRef>{{"at-least-once", 7}}));
  ScenarioResult nothing;
  nothing.modes = {"m"};
  nothing.runs = {run_of("m", 1, 0)};
  summarize(nothing);
  BOOST_TEST(timeline_runs(nothing).empty());
}

BOOST_AUTO_TEST_CASE(overall_verdict_of_a_command) {
  const std::vector<ScenarioResult> failing{ten_seeds()};
  BOOST_TEST((overall_verdict(failing, true) == Overall::failed));
  BOOST_TEST((overall_verdict(failing, false) == Overall::failed));  // a broken guarantee
  BOOST_TEST(!all_expectations_held(failing));
  BOOST_TEST(!all_guarantees_held(failing));
  ScenarioResult pending;
  pending.modes = {"m"};
  pending.runs = {run_of("m", 1, 0), run_of("m", 2, 0, 0, RunVerdict::inconclusive)};
  pending.expectations = {spec_of("m", "lost", kZero, check::Quantifier::every_seed)};
  summarize(pending);
  BOOST_TEST((overall_verdict({pending}, true) == Overall::inconclusive));
  pending.runs.back().counters["kafka_promises_broken"] = 1;
  BOOST_TEST(!all_guarantees_held({pending}));
  pending.runs.pop_back();
  summarize(pending);
  BOOST_TEST((overall_verdict({pending}, true) == Overall::held));
  BOOST_TEST(all_expectations_held({pending}));
}
