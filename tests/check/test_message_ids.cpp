#define BOOST_TEST_MODULE message_ids
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "sim/check/facts.h"
#include "sim/check/message_ids.h"

namespace ksim::check {
namespace {

// The reference: sorted unique ids, index = position.
void expect_same_as_sorted(const MessageIndex& index, std::vector<std::uint64_t> ids,
                           const std::vector<std::uint64_t>& absent) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  BOOST_TEST(index.size() == ids.size());
  for (std::uint32_t i = 0; i < ids.size(); ++i) {
    BOOST_TEST(index.find(ids[i]) == i);
    BOOST_TEST(index.id(i) == ids[i]);
  }
  for (const std::uint64_t id : absent) BOOST_TEST(index.find(id) == kNone);
}

MessageIndex collected(const std::vector<std::uint64_t>& ids) {
  MessageIdCollector collector;
  for (const std::uint64_t id : ids) collector.measure(id);
  collector.prepare();
  for (const std::uint64_t id : ids) collector.collect(id);
  return collector.finish();
}

// A run's ids: (producer + 1) << 40 | sequence, records of producers interleaved, each
// message named by several records.
std::vector<std::uint64_t> run_ids(std::uint64_t per_producer, std::uint64_t gap_every) {
  std::vector<std::uint64_t> ids;
  for (std::uint64_t s = 1; s <= per_producer; ++s) {
    if (gap_every != 0 && s % gap_every == 0) continue;
    for (std::uint64_t p = 0; p < 3; ++p) {
      ids.push_back((p + 1) << 40 | s);
      ids.push_back((p + 1) << 40 | s);
    }
  }
  return ids;
}

}  // namespace

BOOST_AUTO_TEST_CASE(contiguous_runs_per_producer_are_indexed_exactly) {
  const std::vector<std::uint64_t> ids = run_ids(5000, 0);
  const std::vector<std::uint64_t> absent = {0, 1, (std::uint64_t{1} << 40), (std::uint64_t{1} << 40) | 5001,
                                             (std::uint64_t{4} << 40) | 1, ~std::uint64_t{0}};
  expect_same_as_sorted(collected(ids), ids, absent);
  expect_same_as_sorted(MessageIndex(ids), ids, absent);
}

BOOST_AUTO_TEST_CASE(dense_ids_with_gaps_are_indexed_exactly) {
  const std::vector<std::uint64_t> ids = run_ids(5000, 7);
  const std::vector<std::uint64_t> absent = {(std::uint64_t{1} << 40) | 7, (std::uint64_t{2} << 40) | 4998, 3};
  expect_same_as_sorted(collected(ids), ids, absent);
  expect_same_as_sorted(MessageIndex(ids), ids, absent);
}

BOOST_AUTO_TEST_CASE(sparse_and_many_segment_ids_fall_back_to_search) {
  std::vector<std::uint64_t> sparse;
  for (std::uint64_t i = 0; i < 500; ++i) sparse.push_back(i * 1'000'003 + 11);
  expect_same_as_sorted(collected(sparse), sparse, {12, 1'000'003, ~std::uint64_t{0}});
  std::vector<std::uint64_t> many_segments;  // more high words than segments are kept for
  for (std::uint64_t i = 0; i < 3000; ++i) many_segments.push_back((i << 32) | (i % 5));
  expect_same_as_sorted(collected(many_segments), many_segments, {1, (std::uint64_t{1} << 32)});
  expect_same_as_sorted(collected({}), {}, {0, 1});
}

// The streaming checker's index (message_ids_growing.cpp): indices in order of first
// appearance, whatever the ids: dense runs per producer interleaved, ids below a segment's
// first, ids far beyond it and more high words than segments (the sparse map), repeats.
BOOST_AUTO_TEST_CASE(a_growing_index_numbers_ids_in_order_of_first_appearance) {
  std::vector<std::uint64_t> arrivals;
  for (std::uint64_t i = 0; i < 2000; ++i) {
    arrivals.push_back((std::uint64_t{1} << 40) | (100 + i));  // producer 1, from 100 up
    arrivals.push_back((std::uint64_t{2} << 40) | (5000 - i));  // producer 2, downwards
    if (i % 7 == 0) arrivals.push_back((std::uint64_t{1} << 40) | (100 + i / 2));  // a repeat
    if (i % 50 == 0) arrivals.push_back(i * 1'000'003 + (std::uint64_t{1} << 20));  // far apart
  }
  for (std::uint64_t i = 0; i < 1500; ++i) arrivals.push_back((i + 10) << 32);  // many high words
  MessageIndex index = MessageIndex::growing();
  std::vector<std::uint64_t> first_seen;
  for (const std::uint64_t id : arrivals) {
    const bool seen = std::find(first_seen.begin(), first_seen.end(), id) != first_seen.end();
    if (!seen) first_seen.push_back(id);
    const std::uint32_t expected = static_cast<std::uint32_t>(std::find(first_seen.begin(), first_seen.end(), id) - first_seen.begin());
    BOOST_REQUIRE(index.add(id) == expected);
  }
  BOOST_TEST(index.size() == first_seen.size());
  for (std::uint32_t i = 0; i < first_seen.size(); ++i) {
    BOOST_REQUIRE(index.find(first_seen[i]) == i);
    BOOST_REQUIRE(index.id(i) == first_seen[i]);
  }
  for (const std::uint64_t absent : {std::uint64_t{3}, (std::uint64_t{1} << 40) | 99, (std::uint64_t{2} << 40) | 5001,
                                     (std::uint64_t{7} << 40), ~std::uint64_t{0}}) {
    BOOST_TEST(index.find(absent) == kNone);
  }
}

}  // namespace ksim::check
