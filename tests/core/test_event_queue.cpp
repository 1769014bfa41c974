#define BOOST_TEST_MODULE event_queue
#include <boost/test/unit_test.hpp>

#include <set>
#include <tuple>
#include <vector>

#include "sim/core/event_queue.h"
#include "sim/random/random_stream.h"

using namespace ksim;

BOOST_AUTO_TEST_CASE(pops_in_time_order_then_sequence_order) {
  EventQueue queue;
  queue.push(30, 0, EventBody{.kind = 1});
  queue.push(10, 1, EventBody{.kind = 2});
  queue.push(30, 2, EventBody{.kind = 3});
  queue.push(10, 3, EventBody{.kind = 4});
  queue.push(20, 4, EventBody{.kind = 5});
  std::vector<std::uint32_t> kinds;
  while (!queue.empty()) kinds.push_back(queue.pop().body.kind);
  BOOST_TEST(kinds == (std::vector<std::uint32_t>{2, 4, 5, 1, 3}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(ties_at_one_time_keep_scheduling_order) {
  EventQueue queue;
  for (std::uint64_t seq = 0; seq < 1000; ++seq) queue.push(5, seq, EventBody{.message_id = seq});
  for (std::uint64_t expected = 0; expected < 1000; ++expected) {
    const Event event = queue.pop();
    BOOST_TEST(event.seq == expected);
    BOOST_TEST(event.body.message_id == expected);
  }
}

// Against a reference sort over a random interleaving of pushes and pops, with many
// duplicate times so tie-breaking is exercised, and slots reused after pops.
BOOST_AUTO_TEST_CASE(matches_a_sorted_reference_under_random_pushes_and_pops) {
  RandomStream random(42, "test.event_queue");
  EventQueue queue;
  std::set<std::tuple<TimeNs, std::uint64_t, std::uint64_t>> reference;  // (time, seq, payload), ordered
  std::uint64_t seq = 0;
  TimeNs now = 0;
  for (int step = 0; step < 200'000; ++step) {
    if (reference.empty() || random.bernoulli(0.55)) {
      const TimeNs time = now + random.uniform_int(0, 50);
      const std::uint64_t payload = random.next_u64();
      queue.push(time, seq, EventBody{.message_id = payload});
      reference.emplace(time, seq, payload);
      ++seq;
    } else {
      const auto earliest = reference.begin();
      const Event event = queue.pop();
      BOOST_REQUIRE(event.time_ns == std::get<0>(*earliest));
      BOOST_REQUIRE(event.seq == std::get<1>(*earliest));
      BOOST_REQUIRE(event.body.message_id == std::get<2>(*earliest));
      now = event.time_ns;
      reference.erase(earliest);
    }
    BOOST_REQUIRE(queue.size() == reference.size());
  }
}

// replace_top is "pop the earliest, push this one" in one sift: checked against the
// sorted reference like push and pop.
BOOST_AUTO_TEST_CASE(replace_top_matches_pop_then_push) {
  RandomStream random(43, "test.event_queue.replace");
  EventQueue queue;
  std::set<std::tuple<TimeNs, std::uint64_t, std::uint64_t>> reference;
  std::uint64_t seq = 0;
  for (; seq < 500; ++seq) {
    const TimeNs time = random.uniform_int(0, 100);
    queue.push(time, seq, EventBody{.message_id = seq});
    reference.emplace(time, seq, seq);
  }
  for (int step = 0; step < 50'000; ++step) {
    const Event top = queue.top();
    BOOST_REQUIRE(top.time_ns == std::get<0>(*reference.begin()));
    BOOST_REQUIRE(top.seq == std::get<1>(*reference.begin()));
    reference.erase(reference.begin());
    const TimeNs time = top.time_ns + random.uniform_int(0, 100);
    queue.replace_top(time, seq, EventBody{.message_id = seq});
    reference.emplace(time, seq, seq);
    ++seq;
    BOOST_REQUIRE(queue.size() == reference.size());
  }
  while (!queue.empty()) {
    BOOST_REQUIRE(queue.pop().seq == std::get<1>(*reference.begin()));
    reference.erase(reference.begin());
  }
}

// Issue 19: the heap picks the earliest child without branches while it is small and with
// branches once it outgrows the cache; a hold model that crosses that size both ways (grows
// to 40,000 keys, then drains) must still run every event in (time, seq) order, bodies intact.
BOOST_AUTO_TEST_CASE(hold_model_across_both_sift_strategies_keeps_time_then_sequence_order) {
  EventQueue queue;
  RandomStream stream(7, "test.event_queue.hold");
  std::uint64_t next_seq = 0;
  TimeNs now = 0;
  std::uint64_t last_seq = 0;
  const auto schedule = [&] {
    // Coarse times (multiples of 1,000 ns over a small range) make ties common.
    const TimeNs time = now + static_cast<TimeNs>(stream.uniform_below(64)) * 1000;
    queue.push(time, next_seq, EventBody{.message_id = next_seq * 3});
    ++next_seq;
  };
  std::size_t popped = 0;
  for (int step = 0; step < 200'000; ++step) {
    const bool growing = step < 100'000;
    if (growing || queue.empty()) {
      schedule();
      if (step % 2 == 0) continue;  // grows by one event every two steps
    }
    if (queue.empty()) continue;
    const Event event = queue.pop();
    BOOST_REQUIRE(event.time_ns >= now);
    if (event.time_ns == now && popped > 0) BOOST_REQUIRE(event.seq > last_seq);
    BOOST_REQUIRE(event.body.message_id == event.seq * 3);
    now = event.time_ns;
    last_seq = event.seq;
    ++popped;
  }
  BOOST_TEST(popped > 100'000U);
}
