#define BOOST_TEST_MODULE outbox
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <map>
#include <vector>

#include "sim/kafka/client/producer.h"
#include "sim/random/random_stream.h"

// The producer's outbox (a window over dense sequence numbers) must behave exactly like
// the ordered map it replaced: same membership, same keys, same ascending walk.

using ksim::kafka::Outbox;

BOOST_AUTO_TEST_CASE(put_at_erase_and_walk) {
  Outbox outbox;
  BOOST_TEST(outbox.empty());
  outbox.put(0, 0);
  outbox.put(1, 5);
  outbox.put(2, 0);
  BOOST_TEST(outbox.size() == 3U);
  BOOST_TEST(outbox.at(1) == 5U);
  BOOST_TEST(outbox.erase(1) == 1U);
  BOOST_TEST(outbox.erase(1) == 0U);  // already answered
  BOOST_TEST(outbox.erase(0) == 1U);
  BOOST_TEST(outbox.erase(0) == 0U);  // below the window now
  BOOST_TEST(outbox.sequences() == std::vector<std::uint64_t>({2}));
  outbox.put(2, 7);  // a resend replaces the key, does not add
  BOOST_TEST(outbox.size() == 1U);
  BOOST_TEST(outbox.at(2) == 7U);
  BOOST_TEST(outbox.erase(2) == 1U);
  BOOST_TEST(outbox.empty());
  outbox.put(10, 1);  // an empty outbox restarts its window anywhere ahead
  BOOST_TEST(outbox.sequences() == std::vector<std::uint64_t>({10}));
  outbox.clear();
  BOOST_TEST(outbox.empty());
  BOOST_TEST(outbox.erase(10) == 0U);
}

BOOST_AUTO_TEST_CASE(matches_an_ordered_map_on_random_traffic) {
  ksim::RandomStream stream(7, "test.outbox");
  Outbox outbox;
  std::map<std::uint64_t, std::uint32_t> reference;
  std::uint64_t next = 0;
  for (int step = 0; step < 200'000; ++step) {
    const auto draw = stream.uniform_below(10);
    if (draw < 4) {
      const auto key = static_cast<std::uint32_t>(stream.uniform_below(100));
      outbox.put(next, key);
      reference[next] = key;
      ++next;
    } else if (next > 0) {
      // Answers mostly near the front, sometimes anywhere, sometimes twice.
      const std::uint64_t span = draw < 8 ? std::min<std::uint64_t>(next, 64) : next;
      const std::uint64_t low = draw < 8 && !reference.empty() ? reference.begin()->first : 0;
      const std::uint64_t sequence = std::min(next - 1, low + stream.uniform_below(span));
      BOOST_REQUIRE(outbox.erase(sequence) == reference.erase(sequence));
    }
    BOOST_REQUIRE(outbox.size() == reference.size());
    if (step % 10'007 == 0) {
      std::vector<std::uint64_t> expected;
      for (const auto& [sequence, key] : reference) {
        expected.push_back(sequence);
        BOOST_REQUIRE(outbox.at(sequence) == key);
      }
      BOOST_REQUIRE(outbox.sequences() == expected);
    }
  }
}
