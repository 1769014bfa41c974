#define BOOST_TEST_MODULE run_once
#include <boost/test/unit_test.hpp>

#include <string>

#include "sim/run/run_once.h"

// A run stopped by a bound has a partial history: its verdict is "inconclusive" with the
// bound, the simulated time and what the drain waited for, never "held"; the same world
// given room to finish completes and holds as before.

using namespace ksim;
using namespace ksim::kafka;

namespace {

WorldConfig healthy_cluster() {
  WorldConfig config;
  config.seed = 1;
  config.cluster.brokers = 3;
  config.cluster.topics = {TopicConfig{"events", 3, 3, 2}};
  config.producers.front().messages = 300;
  config.producers.front().rate_per_second = 1'000;
  config.consumer_groups.front().config.auto_offset_reset = OffsetReset::earliest;
  config.workload_duration_ns = seconds(1);
  config.drain_max_ns = seconds(60);
  return config;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

BOOST_AUTO_TEST_CASE(a_complete_run_is_conclusive) {
  const run::RunReport report = run::run_once(healthy_cluster(), "healthy", DeliveryMode::at_least_once);
  BOOST_TEST(report.drain_completed);
  BOOST_TEST(report.conclusive());
  BOOST_TEST(report.inconclusive_reason.empty());
  BOOST_TEST(report.verdict() == "held");
  BOOST_TEST(report.guarantee_held);
}

BOOST_AUTO_TEST_CASE(the_event_limit_makes_a_run_inconclusive) {
  WorldConfig config = healthy_cluster();
  config.limits.max_events = 500;
  const run::RunReport report = run::run_once(config, "cut", DeliveryMode::at_least_once);
  BOOST_TEST(to_string(report.run.stop_reason) == "event-limit");
  BOOST_TEST(report.verdict() == "inconclusive");
  BOOST_TEST(!report.guarantee_held);
  BOOST_TEST(contains(report.inconclusive_reason, "stopped at the event limit (limits.max_events = 500) at "),
             report.inconclusive_reason);
  BOOST_TEST(contains(report.inconclusive_reason, "during the workload (the drain never began)"), report.inconclusive_reason);
}

BOOST_AUTO_TEST_CASE(the_time_limit_makes_a_run_inconclusive) {
  WorldConfig config = healthy_cluster();
  config.limits.max_time_ns = milliseconds(300);
  const run::RunReport report = run::run_once(config, "cut", DeliveryMode::at_least_once);
  BOOST_TEST(to_string(report.run.stop_reason) == "time-limit");
  BOOST_TEST(report.verdict() == "inconclusive");
  BOOST_TEST(contains(report.inconclusive_reason, "stopped at the time limit (limits.max_time = 0.300 s)"),
             report.inconclusive_reason);
}

BOOST_AUTO_TEST_CASE(the_drain_bound_names_what_the_drain_waited_for) {
  WorldConfig config = healthy_cluster();
  config.workload_duration_ns = milliseconds(200);  // the producer is still sending
  config.drain_max_ns = milliseconds(1);
  const run::RunReport report = run::run_once(config, "cut", std::nullopt);
  BOOST_TEST(report.verdict() == "inconclusive");  // even without a promise: no verdict
  BOOST_TEST(contains(report.inconclusive_reason, "stopped at the drain's bound (drain = 0.001 s after the 0.200 s workload)"),
             report.inconclusive_reason);
  BOOST_TEST(contains(report.inconclusive_reason, "; the drain was waiting for: producer-0 has "), report.inconclusive_reason);
}
