// Coverage probes (issue 17 item 3, sim/history/probes.h): bundled scenarios built to take
// a rare path must hit its probe, with the counts these runs give; runs that cannot take a
// path must not hit it; and the probes change nothing else (same fingerprint as a run whose
// probes are ignored is not testable in-process, so .ci/behaviour-snapshot checks that).
#define BOOST_TEST_MODULE probes
#include <boost/test/unit_test.hpp>

#include <string>

#include "reports/probe_coverage.h"
#include "reports/results_json.h"
#include "sim/run/run_once.h"
#include "sim/scenario/scenario_loader.h"

using namespace ksim;
using history::Probe;

namespace {

// The first mode of a bundled scenario, run on its first seed.
run::RunReport run_bundled(const std::string& name) {
  scenario::InputErrors errors;
  const auto loaded = scenario::load_scenario_file(std::string(KSIM_SCENARIOS_DIR) + "/" + name + ".yaml", errors);
  BOOST_TEST_REQUIRE(errors.empty(), errors.to_string());
  const scenario::ModeChoice mode = loaded->modes.front();
  const kafka::WorldConfig config = scenario::build_world_config(*loaded, mode, loaded->seed, errors);
  BOOST_TEST_REQUIRE(errors.empty(), errors.to_string());
  return run::run_once(config, loaded->name, mode.mode);
}

std::uint64_t hits(const run::RunReport& report, Probe probe) {
  BOOST_TEST_REQUIRE(report.probes.has_value());
  return (*report.probes)[probe];
}

}  // namespace

BOOST_AUTO_TEST_CASE(names_follow_the_enum_and_are_unique) {
  for (std::size_t a = 0; a < history::kProbeCount; ++a) {
    BOOST_TEST(!history::kProbeNames[a].empty());
    for (std::size_t b = a + 1; b < history::kProbeCount; ++b) BOOST_TEST(history::kProbeNames[a] != history::kProbeNames[b]);
  }
  BOOST_TEST(history::to_string(Probe::unclean_election) == "unclean_election");
  BOOST_TEST(history::to_string(Probe::controlled_shutdown) == "controlled_shutdown");
}

// a03: two ISR members pause, the last one is elected uncleanly; the old leader comes back
// and truncates its divergent suffix (below its high watermark) to the new leader's epoch.
BOOST_AUTO_TEST_CASE(unclean_election_scenario_hits_its_probes) {
  const run::RunReport report = run_bundled("a03-unclean-election");
  BOOST_TEST(hits(report, Probe::unclean_election) == 1U);
  BOOST_TEST(hits(report, Probe::divergence_truncation) == 1U);
  BOOST_TEST(hits(report, Probe::truncation_below_high_watermark) == 1U);
  BOOST_TEST(hits(report, Probe::isr_shrunk_to_one) >= 1U);
  // No transactions, no ELR, no controlled shutdown in this file.
  BOOST_TEST(hits(report, Probe::transaction_aborted_by_timeout) == 0U);
  BOOST_TEST(hits(report, Probe::elr_election) == 0U);
  BOOST_TEST(hits(report, Probe::controlled_shutdown) == 0U);
  BOOST_TEST(hits(report, Probe::high_watermark_truncation) == 0U);
}

// a09: delivery.timeout.ms expires batches in flight, the idempotent producer bumps its epoch.
BOOST_AUTO_TEST_CASE(epoch_bump_scenario_hits_its_probe) {
  const run::RunReport report = run_bundled("a09-epoch-bump-duplicate");
  BOOST_TEST(hits(report, Probe::producer_epoch_bump) >= 1U);
  BOOST_TEST(hits(report, Probe::unclean_election) == 0U);
  BOOST_TEST(hits(report, Probe::rebalance_during_transaction) == 0U);
}

// One bundled scenario per rare path of the library, first mode, first seed: the exact
// counts these deterministic runs give.
BOOST_AUTO_TEST_CASE(bundled_scenarios_hit_the_paths_they_exist_for) {
  // KIP-966: the ISR empties below min.insync.replicas; leaders come from the ELR.
  BOOST_TEST(hits(run_bundled("history/kip966-last-replica-standing-after"), Probe::elr_election) == 4U);
  // A rolling restart: each of the 3 brokers stops at the end of a controlled shutdown.
  BOOST_TEST(hits(run_bundled("rolling-restart"), Probe::controlled_shutdown) == 3U);
  // Before KIP-101: new followers truncate to their own high watermark (never below it).
  const run::RunReport a06 = run_bundled("history/kip101-scenario1-before");
  BOOST_TEST(hits(a06, Probe::high_watermark_truncation) == 3U);
  BOOST_TEST(hits(a06, Probe::divergence_truncation) == 0U);
  BOOST_TEST(hits(run_bundled("coordinator-failover"), Probe::coordinator_failover) == 1U);
  // KIP-320: the consumer is sent back to the divergence point after the unclean election.
  BOOST_TEST(hits(run_bundled("history/kip320-consumer-detects-truncation-after"), Probe::consumer_rewind_after_truncation) == 1U);
}

// The probes of one run are in its JSON (hit ones only), and the document's coverage table
// sums them, lists every probe and names those never hit.
BOOST_AUTO_TEST_CASE(results_json_carries_the_probes_and_their_coverage) {
  const run::RunReport report = run_bundled("a03-unclean-election");
  const nlohmann::json run = reports::run_to_json(report, "replay");
  BOOST_TEST(run.at("probes").at("unclean_election").get<std::uint64_t>() == 1U);
  BOOST_TEST(!run.at("probes").contains("elr_election"));
  nlohmann::json scenarios = nlohmann::json::array();
  scenarios.push_back({{"runs", nlohmann::json::array({run, run})}});
  const nlohmann::json coverage = reports::document_coverage(scenarios);
  BOOST_TEST(coverage.at("runs").get<std::uint64_t>() == 2U);
  BOOST_TEST(coverage.at("of").get<std::uint64_t>() == history::kProbeCount);
  BOOST_TEST(coverage.at("probes").at("unclean_election").at("sum").get<std::uint64_t>() == 2U);
  BOOST_TEST(coverage.at("probes").at("unclean_election").at("runs").get<std::uint64_t>() == 2U);
  BOOST_TEST(coverage.at("probes").at("elr_election").at("runs").get<std::uint64_t>() == 0U);
  const nlohmann::json& never = coverage.at("never_hit");
  BOOST_TEST((std::find(never.begin(), never.end(), "elr_election") != never.end()));
  BOOST_TEST((std::find(never.begin(), never.end(), "unclean_election") == never.end()));
  BOOST_TEST(coverage.at("hit").get<std::uint64_t>() + never.size() == history::kProbeCount);
  // A run without probes (a client history's) is not counted.
  nlohmann::json without = run;
  without.erase("probes");
  nlohmann::json only_without = nlohmann::json::array();
  only_without.push_back({{"runs", nlohmann::json::array({without})}});
  BOOST_TEST(reports::document_coverage(only_without).is_null());
}
