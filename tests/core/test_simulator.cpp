#define BOOST_TEST_MODULE simulator
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <vector>

#include "sim/core/simulator.h"
#include "sim/core/timer_table.h"
#include "sim/random/random_stream.h"

using namespace ksim;

namespace {

// Records every event; each event of kind 1 schedules a follower at a random delay
// drawn from the model's own stream, so the run depends on the seed.
struct RecordingModel {
  explicit RecordingModel(std::uint64_t seed) : random(seed, "test.model") {}
  void handle(Simulator& simulator, const Event& event) {
    seen.push_back(event);
    if (event.body.kind == 1 && event.body.message_id < 2000) {
      simulator.schedule_after(random.uniform_int(0, 3), EventBody{1, 0, 1, 0, event.body.message_id + 100});
    }
  }
  RandomStream random;
  std::vector<Event> seen;
};

RunResult run_model(std::uint64_t seed, RunLimits limits = {}) {
  Simulator simulator;
  RecordingModel model(seed);
  for (std::uint64_t i = 0; i < 100; ++i) simulator.schedule_at(static_cast<TimeNs>(i % 7), EventBody{1, 0, 1, 0, i});
  return simulator.run(model, limits);
}

struct OrderChecker {
  void handle(Simulator& simulator, const Event& event) {
    BOOST_REQUIRE(event.time_ns == simulator.now());
    if (!order.empty()) {
      const Event& previous = order.back();
      BOOST_REQUIRE(previous.time_ns < event.time_ns || (previous.time_ns == event.time_ns && previous.seq < event.seq));
    }
    order.push_back(event);
  }
  std::vector<Event> order;
};

struct SchedulesInThePast {
  void handle(Simulator& simulator, const Event& event) {
    simulator.schedule_at(event.time_ns - 1, EventBody{});
  }
};

struct StopsAtThirdEvent {
  void handle(Simulator& simulator, const Event&) {
    if (++count == 3) simulator.stop();
  }
  int count = 0;
};

}  // namespace

BOOST_AUTO_TEST_CASE(events_at_equal_times_run_in_scheduling_order) {
  Simulator simulator;
  OrderChecker checker;
  simulator.schedule_at(10, EventBody{.message_id = 1});
  simulator.schedule_at(5, EventBody{.message_id = 2});
  simulator.schedule_at(10, EventBody{.message_id = 3});
  simulator.schedule_at(5, EventBody{.message_id = 4});
  const RunResult result = simulator.run(checker, {});
  BOOST_TEST(result.events_executed == 4u);
  BOOST_TEST(to_string(result.stop_reason) == "queue-empty");
  BOOST_TEST(checker.order[0].body.message_id == 2u);
  BOOST_TEST(checker.order[1].body.message_id == 4u);
  BOOST_TEST(checker.order[2].body.message_id == 1u);
  BOOST_TEST(checker.order[3].body.message_id == 3u);
  BOOST_TEST(result.end_time_ns == 10);
}

BOOST_AUTO_TEST_CASE(scheduling_in_the_past_is_an_invariant_violation) {
  Simulator simulator;
  SchedulesInThePast model;
  simulator.schedule_at(100, EventBody{});
  BOOST_CHECK_THROW(simulator.run(model, {}), InvariantViolation);
  BOOST_CHECK_THROW(simulator.schedule_after(-1, EventBody{}), InvariantViolation);
}

BOOST_AUTO_TEST_CASE(event_limit_stops_the_run_and_says_so) {
  const RunResult result = run_model(7, RunLimits{.max_events = 150, .max_time_ns = kTimeNeverNs});
  BOOST_TEST(result.events_executed == 150u);
  BOOST_TEST(to_string(result.stop_reason) == "event-limit");
}

BOOST_AUTO_TEST_CASE(time_limit_stops_the_run_before_later_events) {
  const RunResult result = run_model(7, RunLimits{.max_events = 1'000'000, .max_time_ns = 20});
  BOOST_TEST(to_string(result.stop_reason) == "time-limit");
  BOOST_TEST(result.end_time_ns <= 20);
  const RunResult unbounded = run_model(7);
  BOOST_TEST(result.events_executed < unbounded.events_executed);
}

BOOST_AUTO_TEST_CASE(model_can_stop_the_run) {
  Simulator simulator;
  StopsAtThirdEvent model;
  for (int i = 0; i < 10; ++i) simulator.schedule_at(i, EventBody{});
  const RunResult result = simulator.run(model, {});
  BOOST_TEST(result.events_executed == 3u);
  BOOST_TEST(to_string(result.stop_reason) == "stopped-by-model");
}

BOOST_AUTO_TEST_CASE(same_seed_gives_same_fingerprint_and_events) {
  const RunResult first = run_model(12345);
  const RunResult second = run_model(12345);
  BOOST_TEST(first.fingerprint == second.fingerprint);
  BOOST_TEST(first.events_executed == second.events_executed);
  BOOST_TEST(first.end_time_ns == second.end_time_ns);
}

BOOST_AUTO_TEST_CASE(different_seeds_give_different_fingerprints) {
  std::vector<std::uint64_t> fingerprints;
  for (std::uint64_t seed = 1; seed <= 50; ++seed) fingerprints.push_back(run_model(seed).fingerprint);
  std::sort(fingerprints.begin(), fingerprints.end());
  BOOST_TEST((std::adjacent_find(fingerprints.begin(), fingerprints.end()) == fingerprints.end()));
}

BOOST_AUTO_TEST_CASE(fingerprint_depends_on_event_order) {
  Fingerprint a;
  Fingerprint b;
  const Event first{1, 0, EventBody{.kind = 1}};
  const Event second{1, 1, EventBody{.kind = 2}};
  a.fold(first);
  a.fold(second);
  b.fold(second);
  b.fold(first);
  BOOST_TEST(a.value() != b.value());
}

// A model whose events carry only a ticket folds the same fingerprint as one whose events
// carry the payload itself, when it describes each event as the latter would have been.
struct DescribedModel {
  void handle(Simulator&, const Event&) {}
  EventBody fingerprint_body(const Event& event) const {
    return EventBody{event.body.kind, 0, 0, 0, payloads[event.body.message_id]};
  }
  std::vector<std::uint64_t> payloads{7, 9};
};
struct PlainModel {
  void handle(Simulator&, const Event&) {}
};

BOOST_AUTO_TEST_CASE(fingerprint_folds_the_models_description_of_an_event) {
  Simulator described;
  DescribedModel described_model;
  Simulator plain;
  PlainModel plain_model;
  for (std::uint64_t i = 0; i < 2; ++i) {
    described.schedule_at(5, EventBody{.kind = 3, .message_id = i});
    plain.schedule_at(5, EventBody{.kind = 3, .message_id = described_model.payloads[i]});
  }
  BOOST_TEST(described.run(described_model, RunLimits{}).fingerprint ==
             plain.run(plain_model, RunLimits{}).fingerprint);
}

BOOST_AUTO_TEST_CASE(timer_table_drops_stale_timers_and_reuses_their_slots_after_they_run) {
  TimerTable<int> table;
  const TimerTicket first = table.arm(10);
  const TimerTicket second = table.arm(20);
  BOOST_TEST(table.take(first).value() == 10);
  table.disarm_all();  // the process died: `second` is stale, its slot still held
  BOOST_TEST(table.pending_value(second) == 20);
  const TimerTicket third = table.arm(30);
  BOOST_TEST(third.slot == first.slot);  // the freed slot, with a new generation
  BOOST_TEST(third.generation != first.generation);
  BOOST_TEST(!table.take(second).has_value());
  BOOST_TEST(table.take(third).value() == 30);
  const TimerTicket held = table.arm(40);
  table.release(held);  // its event was dropped without running
  BOOST_TEST(table.arm(50).slot == held.slot);
}
