#define BOOST_TEST_MODULE record_log
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <limits>
#include <vector>

#include "sim/history/chunked_vector.h"
#include "sim/history/history.h"

namespace ksim::history {
namespace {

bool same(const Record& a, const Record& b) {
  return a.time_ns == b.time_ns && a.message_id == b.message_id && a.offset == b.offset && a.extra == b.extra &&
         a.node == b.node && a.partition == b.partition && a.epoch == b.epoch && a.kind == b.kind && a.detail == b.detail;
}

}  // namespace

BOOST_AUTO_TEST_CASE(chunked_vector_keeps_order_across_blocks_and_copies) {
  ChunkedVector<std::uint32_t, 4> values;
  for (std::uint32_t i = 0; i < 10; ++i) values.push_back(i * 3);
  BOOST_TEST(values.size() == 10U);
  for (std::uint32_t i = 0; i < 10; ++i) BOOST_TEST(values[i] == i * 3);
  const std::uint32_t* first = &values[0];
  for (std::uint32_t i = 10; i < 100; ++i) values.push_back(i * 3);
  BOOST_TEST(first == &values[0]);  // never moved to grow
  ChunkedVector<std::uint32_t, 4> copy = values;
  copy.push_back(300);
  BOOST_TEST(copy.size() == 101U);
  BOOST_TEST(values.size() == 100U);
  for (std::uint32_t i = 0; i < 100; ++i) BOOST_TEST(copy[i] == i * 3);
  BOOST_TEST(copy.back() == 300U);
}

BOOST_AUTO_TEST_CASE(record_log_gives_back_every_record_exactly) {
  const std::vector<Record> originals = {
      {.time_ns = 5, .message_id = (std::uint64_t{3} << 40) | 17, .offset = 12, .extra = 7, .node = 4, .partition = 2,
       .epoch = 3, .kind = RecordKind::append, .detail = 1},
      {.time_ns = 6, .message_id = 1, .extra = kNoKey, .node = 4, .kind = RecordKind::send},
      {.time_ns = 6, .node = kNoNode, .partition = 1, .epoch = 9, .kind = RecordKind::leader_elected},
      // Each of these needs a field wider than the packed form: stored whole.
      {.time_ns = 7, .extra = std::uint64_t{30'000'000'000}, .node = 1, .kind = RecordKind::fault},
      {.time_ns = 8, .message_id = 2, .extra = std::numeric_limits<std::uint32_t>::max(), .kind = RecordKind::send},
      {.time_ns = 9, .node = 70'000, .kind = RecordKind::fault},
      {.time_ns = 9, .node = 0xffff, .kind = RecordKind::fault},
      {.time_ns = 10, .partition = 70'000, .kind = RecordKind::high_watermark},
      {.time_ns = 11, .epoch = 40'000, .kind = RecordKind::leader_elected},
      {.time_ns = 12, .epoch = -40'000, .kind = RecordKind::leader_elected},
      {.time_ns = std::int64_t{20'000'000'000}, .offset = std::int64_t{1} << 40, .kind = RecordKind::high_watermark},
      {.time_ns = 3, .offset = kNoOffset, .kind = RecordKind::truncate},  // earlier than its block's start
  };
  RecordLog log;
  for (const Record& record : originals) log.push_back(record);
  BOOST_TEST(log.size() == originals.size());
  BOOST_TEST(log.wide_records() == 9U);
  std::size_t i = 0;
  for (const Record& record : log) {
    BOOST_TEST(same(record, originals[i]), "record " << i);
    BOOST_TEST(same(log[i], originals[i]), "record " << i);
    ++i;
  }
  BOOST_TEST(i == originals.size());
}

BOOST_AUTO_TEST_CASE(record_log_times_are_exact_across_blocks) {
  RecordLog log;
  const std::size_t count = ChunkedVector<int>::block_elements() * 3 + 5;
  for (std::size_t i = 0; i < count; ++i) {
    log.push_back({.time_ns = static_cast<TimeNs>(i) * 100'000, .message_id = i, .kind = RecordKind::send});
  }
  BOOST_TEST(log.wide_records() == 0U);
  for (std::size_t i = 0; i < count; i += 977) {
    BOOST_TEST(log[i].time_ns == static_cast<TimeNs>(i) * 100'000);
    BOOST_TEST(log[i].message_id == i);
  }
}

}  // namespace ksim::history
