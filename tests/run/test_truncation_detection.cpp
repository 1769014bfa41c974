// KIP-320's consumer side per version (issue 14, `log.truncation.detection`): the two before
// narratives run with the knob as written (off) and turned on, on the same seeds and so the
// same faults. Off, the consumer must skip (or read again) what the new leader wrote under its
// position, and the checker must name it undetected-truncation; on, the consumer must go back
// to the divergence point and nothing may be put down to undetected-truncation.
#define BOOST_TEST_MODULE truncation_detection
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <string>

#include "sim/check/facts.h"
#include "sim/kafka/world.h"
#include "tests/run/bundled_seeds.h"

using namespace ksim;
using history::Probe;

namespace {

constexpr auto kUndetected = static_cast<std::size_t>(check::CauseCategory::undetected_truncation);
constexpr auto kUnknown = static_cast<std::size_t>(check::CauseCategory::unknown);

struct Totals {
  std::uint64_t skipped = 0;    // lost, undetected-truncation
  std::uint64_t reread = 0;     // duplicated, undetected-truncation
  std::uint64_t unknown = 0;    // lost or duplicated, unknown
  std::uint64_t rewinds = 0;    // probe consumer_rewind_after_truncation
  std::uint64_t out_of_range = 0;  // probe consumer_offset_out_of_range
};

// A bundled scenario's first mode on seeds 1..`seeds`, its consumers' detection as `detection`
// says (nullopt: as the file has it).
Totals run_seeds(const std::string& name, std::optional<bool> detection, std::uint64_t seeds) {
  Totals totals;
  auto adjust = [&](kafka::WorldConfig& config) {
    for (auto& group : config.consumer_groups) {
      if (detection) group.config.truncation_detection = *detection;
    }
  };
  testing::run_bundled_seeds(name, seeds, adjust, [&](const run::RunReport& report) {
    totals.skipped += report.outcome.lost_by_cause[kUndetected];
    totals.reread += report.outcome.duplicated_by_cause[kUndetected];
    totals.unknown += report.outcome.lost_by_cause[kUnknown] + report.outcome.duplicated_by_cause[kUnknown];
    BOOST_TEST_REQUIRE(report.probes.has_value());
    totals.rewinds += (*report.probes)[Probe::consumer_rewind_after_truncation];
    totals.out_of_range += (*report.probes)[Probe::consumer_offset_out_of_range];
  });
  return totals;
}

}  // namespace

BOOST_AUTO_TEST_CASE(without_detection_the_skip_is_seen_and_named) {
  // Seeds 1..5 hold both of KIP-320's outcomes: reading on (a loss) and OFFSET_OUT_OF_RANGE
  // with auto.offset.reset=earliest (the log read again).
  const Totals active = run_seeds("history/kip320-consumer-detects-truncation-before", std::nullopt, 5);
  BOOST_TEST(active.skipped > 0U);
  BOOST_TEST(active.reread > 0U);
  BOOST_TEST(active.out_of_range > 0U);
  BOOST_TEST(active.rewinds == 0U);
  BOOST_TEST(active.unknown == 0U);
  // Resumed from a committed offset above the truncation point: the records between are skipped.
  const Totals restart = run_seeds("history/kip320-restart-validates-committed-offset-before", std::nullopt, 5);
  BOOST_TEST(restart.skipped > 0U);
  BOOST_TEST(restart.rewinds == 0U);
  BOOST_TEST(restart.unknown == 0U);
}

BOOST_AUTO_TEST_CASE(with_detection_the_consumer_goes_back) {
  // The same files and seeds with the knob on: the consumer is sent back to the divergence
  // point, never out of range, and loses or rereads nothing through the truncation.
  const Totals active = run_seeds("history/kip320-consumer-detects-truncation-before", true, 5);
  BOOST_TEST(active.rewinds > 0U);
  BOOST_TEST(active.out_of_range == 0U);
  BOOST_TEST(active.skipped == 0U);
  BOOST_TEST(active.reread == 0U);
  BOOST_TEST(active.unknown == 0U);
  const Totals restart = run_seeds("history/kip320-restart-validates-committed-offset-before", true, 5);
  BOOST_TEST(restart.rewinds > 0U);
  BOOST_TEST(restart.skipped == 0U);
  BOOST_TEST(restart.unknown == 0U);
}

// The drain ends only when each group's position is at its partition's log end, not past it
// (Consumer::caught_up): a member that read records the log then lost (a power failure, then
// an election) has its position past the new log end until its next fetch shows the
// truncation. Before, the drain could end right then, and the records written again at
// those offsets counted as lost (power-loss-unflushed) though the member was about to read
// them. With detection on and only brokers failing, every acknowledged record still in the
// final log below its high watermark is applied. Seeds 110..120 of the nemesis hold such a
// run (seed 116 ended its drain at 30.4 s with 451 of them unread).
BOOST_AUTO_TEST_CASE(the_drain_waits_for_a_member_past_the_log_end_to_read_what_was_written_again) {
  scenario::InputErrors errors;
  const auto loaded =
      scenario::load_scenario_file(std::string(KSIM_SCENARIOS_DIR) + "/a05-power-failure-nemesis.yaml", errors);
  BOOST_TEST_REQUIRE(errors.empty(), errors.to_string());
  const auto mode = std::find_if(loaded->modes.begin(), loaded->modes.end(),
                                 [](const scenario::ModeChoice& m) { return m.name() == "at-least-once"; });
  BOOST_TEST_REQUIRE((mode != loaded->modes.end()));
  std::uint64_t in_final_log = 0;
  for (std::uint64_t seed = 110; seed <= 120; ++seed) {
    kafka::WorldConfig config = scenario::build_world_config(*loaded, *mode, seed, errors);
    BOOST_TEST_REQUIRE(errors.empty(), errors.to_string());
    BOOST_TEST_REQUIRE(config.consumer_groups.front().config.truncation_detection);
    kafka::World world(config);
    const kafka::RunOutput output = world.run();
    BOOST_TEST_REQUIRE(output.drain_completed, "seed " << seed << ": " << output.drain_blocker);
    const check::Facts facts = check::gather_facts(output.history);
    for (std::uint32_t i = 0; i < facts.messages.size(); ++i) {
      const check::MessageFacts& m = facts.messages[i];
      if (!m.acknowledged || facts.final_offset_a(m) < 0) continue;
      if (facts.final_offset_a(m) >= facts.partition_logs[m.partition].final_high_watermark) continue;
      ++in_final_log;
      BOOST_TEST(facts.in_group(i, 0).applied > 0u,
                 "seed " << seed << ": message " << i << " at offset " << facts.final_offset_a(m) << " of partition "
                         << m.partition << " never applied");
    }
  }
  BOOST_TEST(in_final_log > 10'000u);
}
