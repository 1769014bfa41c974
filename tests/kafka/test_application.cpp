#define BOOST_TEST_MODULE application
#include <boost/test/unit_test.hpp>

#include <string>

#include "sim/check/checker.h"
#include "sim/kafka/world.h"
#include "sim/scenario/input_error.h"
#include "sim/scenario/scenario_loader.h"

// The application in front of the producer (issue 13): every delivery mode is offered the
// same messages, what send() cannot take waits in the application's backlog, and nothing
// is dropped silently: offered == produced + not_sent, each not-sent message with a reason.
// Every figure is judged by the checker from the history alone.

using namespace ksim;

namespace {

// A small service: 3 brokers, one keyed producer at 1000/s for 2 s, a leader crash and a
// lossy network. `extra` is appended to the producer's entry (indented as its keys).
std::string service(const std::string& producer_extra = "", const std::string& faults = "") {
  return R"(version: 1
name: application
duration: 2s
cluster:
  brokers: 3
  topics: [{name: orders, partitions: 3, replication.factor: 3}]
  config: {min.insync.replicas: 2}
producers:
  - name: checkout
    messages: 2000
    rate: 1000/s
    keys: 10
    config: {request.timeout.ms: 200, retry.backoff.ms: 20)" +
         producer_extra + R"(}
consumers:
  - {name: billing, config: {auto.offset.reset: earliest}}
network:
  loss: 1%
faults:
  - {at: 1s, kind: crash, targets: [broker-1], duration: 2s}
)" + faults;
}

scenario::Scenario load(const std::string& text) {
  scenario::InputErrors errors;
  auto scenario = scenario::load_scenario_text(text, "application.yaml", errors);
  BOOST_REQUIRE_MESSAGE(scenario.has_value(), errors.to_string());
  return *scenario;
}

check::Outcome run(const scenario::Scenario& scenario, const scenario::ModeChoice& mode, std::uint64_t seed) {
  scenario::InputErrors errors;
  kafka::WorldConfig config = scenario::build_world_config(scenario, mode, seed, errors);
  BOOST_REQUIRE_MESSAGE(errors.empty(), errors.to_string());
  kafka::World world(std::move(config));
  const kafka::RunOutput output = world.run();
  BOOST_TEST(output.drain_completed, "seed " << seed << ": " << output.drain_blocker);
  return check::check(output.history);
}

void require_accounted(const check::Counters& c) {
  BOOST_TEST(c.offered == c.produced + c.not_sent);
  BOOST_TEST(c.not_sent == c.not_sent_max_block_ms + c.not_sent_application_queue_full + c.not_sent_record_too_large +
                               c.not_sent_still_waiting);
}

}  // namespace

// The transactional producer blocks the application in commitTransaction(); what arrives
// meanwhile waits and is sent afterwards, so it produces what the others produce.
BOOST_AUTO_TEST_CASE(every_mode_is_offered_the_same_messages_and_produces_them) {
  const scenario::Scenario scenario = load(service());
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    std::uint64_t offered_first_mode = 0;
    for (const kafka::DeliveryMode mode : kafka::all_delivery_modes()) {
      const check::Outcome outcome = run(scenario, {mode}, seed);
      const check::Counters& c = outcome.counters;
      require_accounted(c);
      if (offered_first_mode == 0) offered_first_mode = c.offered;
      BOOST_TEST(c.offered == offered_first_mode, "seed " << seed);
      BOOST_TEST(c.offered > 1'500u);  // 2000 messages at 1000/s over 2 s: most arrive
      BOOST_TEST(c.not_sent == 0u);    // nothing bounds the backlog here
    }
  }
}

// buffer.memory holds two batches; with every broker down nothing completes, so send()
// blocks, and after max.block.ms the application gives the blocked message up, then the next.
BOOST_AUTO_TEST_CASE(a_full_buffer_blocks_send_until_max_block_ms) {
  const std::string all_down = "  - {at: 500ms, kind: crash, targets: [broker-1, broker-2, broker-3], duration: 1s}\n";
  const scenario::Scenario scenario =
      load(service(", buffer.memory: 32768, max.block.ms: 100, linger.ms: 0", all_down));
  const check::Outcome outcome = run(scenario, {kafka::DeliveryMode::at_least_once}, 1);
  const check::Counters& c = outcome.counters;
  require_accounted(c);
  BOOST_TEST(c.not_sent_max_block_ms > 0u);
  BOOST_TEST(c.not_sent_max_block_ms < c.offered / 2);  // only while the brokers were down
  BOOST_TEST(c.produced > 0u);
  BOOST_TEST(c.lost == 0u);

  // The same outage with max.block.ms longer than it: the blocked sends wait and go out.
  const scenario::Scenario patient =
      load(service(", buffer.memory: 32768, max.block.ms: 60000, linger.ms: 0", all_down));
  const check::Outcome waited = run(patient, {kafka::DeliveryMode::at_least_once}, 1);
  require_accounted(waited.counters);
  BOOST_TEST(waited.counters.not_sent == 0u);
  BOOST_TEST(waited.counters.produced == waited.counters.offered);
}

BOOST_AUTO_TEST_CASE(a_bounded_application_queue_turns_arrivals_away_when_full) {
  const std::string all_down = "  - {at: 500ms, kind: crash, targets: [broker-1, broker-2, broker-3], duration: 1s}\n";
  std::string text = service(", buffer.memory: 32768, linger.ms: 0", all_down);
  text.replace(text.find("    keys: 10\n"), 13, "    keys: 10\n    application_queue: 50\n");
  const check::Outcome outcome = run(load(text), {kafka::DeliveryMode::at_least_once}, 1);
  require_accounted(outcome.counters);
  BOOST_TEST(outcome.counters.not_sent_application_queue_full > 0u);
  BOOST_TEST(outcome.counters.not_sent_max_block_ms == 0u);  // 60 s: longer than the outage
}

BOOST_AUTO_TEST_CASE(a_record_larger_than_buffer_memory_is_never_sent) {
  std::string text = service(", buffer.memory: 100");
  text.replace(text.find("    keys: 10\n"), 13, "    keys: 10\n    message.size: 200B\n");
  const check::Outcome outcome = run(load(text), {kafka::DeliveryMode::at_least_once}, 1);
  require_accounted(outcome.counters);
  BOOST_TEST(outcome.counters.produced == 0u);
  BOOST_TEST(outcome.counters.not_sent_record_too_large == outcome.counters.offered);
}
