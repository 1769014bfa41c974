#define BOOST_TEST_MODULE record_log
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <filesystem>
#include <limits>
#include <vector>

#include "sim/history/chunked_vector.h"
#include "sim/history/history.h"

namespace ksim::history {

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
      // Wide and extreme values: every field round-trips exactly.
      {.time_ns = 7, .extra = std::uint64_t{30'000'000'000}, .node = 1, .kind = RecordKind::fault},
      {.time_ns = 8, .message_id = 2, .extra = std::numeric_limits<std::uint32_t>::max(), .kind = RecordKind::send},
      {.time_ns = 9, .node = 70'000, .kind = RecordKind::fault},
      {.time_ns = 9, .node = 0xffff, .kind = RecordKind::fault},
      {.time_ns = 10, .partition = 70'000, .kind = RecordKind::high_watermark},
      {.time_ns = 11, .epoch = 40'000, .kind = RecordKind::leader_elected},
      {.time_ns = 12, .epoch = -40'000, .kind = RecordKind::leader_elected},
      {.time_ns = std::int64_t{20'000'000'000}, .offset = std::int64_t{1} << 40, .kind = RecordKind::high_watermark},
      {.time_ns = 3, .offset = kNoOffset, .kind = RecordKind::truncate},  // earlier than the record before
      {.time_ns = std::numeric_limits<TimeNs>::max(), .message_id = std::numeric_limits<std::uint64_t>::max(),
       .offset = std::numeric_limits<std::int64_t>::min(), .extra = kNoKey - 1, .node = kNoNode - 1,
       .partition = std::numeric_limits<std::uint32_t>::max(), .epoch = std::numeric_limits<std::int32_t>::min(),
       .kind = RecordKind::poll_call, .detail = 0xff},
      {.time_ns = std::numeric_limits<TimeNs>::min(), .message_id = 0, .offset = std::numeric_limits<std::int64_t>::max(),
       .epoch = std::numeric_limits<std::int32_t>::max(), .kind = RecordKind::send},
  };
  RecordLog log;
  for (const Record& record : originals) log.push_back(record);
  BOOST_TEST(log.size() == originals.size());
  std::size_t i = 0;
  for (const Record& record : log) {
    BOOST_TEST((record == originals[i]), "record " << i);
    BOOST_TEST((log[i] == originals[i]), "record " << i);
    ++i;
  }
  BOOST_TEST(i == originals.size());
}

BOOST_AUTO_TEST_CASE(record_log_is_exact_across_blocks_and_checkpoints) {
  RecordLog log;
  // Enough records for several byte blocks and many checkpoints, with ids jumping between
  // producers as a run's do ((producer + 1) << 40 | sequence).
  const std::size_t count = RecordLog::kBlockBytes / 4 + 5;
  const auto id_of = [](std::size_t i) { return (std::uint64_t{i % 3} + 1) << 40 | i; };
  for (std::size_t i = 0; i < count; ++i) {
    log.push_back({.time_ns = static_cast<TimeNs>(i) * 100'000, .message_id = id_of(i), .offset = static_cast<std::int64_t>(i / 3),
                   .extra = i % 7 == 0 ? kNoKey : i, .node = static_cast<std::uint32_t>(i % 5), .partition = static_cast<std::uint32_t>(i % 12),
                   .kind = RecordKind::append});
  }
  BOOST_TEST(log.size() == count);
  BOOST_TEST(log.encoded_bytes() > RecordLog::kBlockBytes * 2);  // several blocks
  // A run's records take far less than the 32 bytes of the former packed form.
  BOOST_TEST(static_cast<double>(log.encoded_bytes()) / static_cast<double>(count) < 20.0);
  std::size_t i = 0;
  for (const Record& record : log) {
    BOOST_TEST(record.time_ns == static_cast<TimeNs>(i) * 100'000);
    BOOST_TEST(record.message_id == id_of(i));
    BOOST_TEST(record.extra == (i % 7 == 0 ? kNoKey : i));
    ++i;
  }
  BOOST_TEST(i == count);
  for (std::size_t k = 0; k < count; k += 977) {
    BOOST_TEST(log[k].time_ns == static_cast<TimeNs>(k) * 100'000);
    BOOST_TEST(log[k].message_id == id_of(k));
    BOOST_TEST(log[k].partition == k % 12);
  }
  // An iterator started anywhere (not only at begin) reads on correctly.
  BOOST_TEST((*RecordLog::const_iterator(&log, count - 1)).message_id == id_of(count - 1));
}

namespace {

// Records of a run-like shape: ids jumping between producers, times rising, wide extras.
Record run_like(std::size_t i) {
  return {.time_ns = static_cast<TimeNs>(i) * 70'000 + static_cast<TimeNs>(i % 11), .message_id = (std::uint64_t{i % 3} + 1) << 40 | i,
          .offset = static_cast<std::int64_t>(i / 3), .extra = i % 7 == 0 ? kNoKey : i * 1'000'003,
          .node = static_cast<std::uint32_t>(i % 5), .partition = static_cast<std::uint32_t>(i % 12),
          .epoch = static_cast<std::int32_t>(i % 4), .kind = static_cast<RecordKind>(i % 27), .detail = static_cast<std::uint8_t>(i % 4)};
}

std::string temp_directory() { return std::filesystem::temp_directory_path().string(); }

}  // namespace

// Issue 19 item 3: a log whose full blocks went to a file reads back the same records, in
// order, by index and from any iterator, with its file unlinked (nothing left behind).
BOOST_AUTO_TEST_CASE(spilled_record_log_reads_back_what_memory_would) {
  const std::size_t count = RecordLog::kBlockBytes / 3;  // about 7 blocks
  RecordLog memory, spilled;
  for (std::size_t i = 0; i < count / 2; ++i) {
    memory.push_back(run_like(i));
    spilled.push_back(run_like(i));
  }
  // Spilling starts mid-run: the blocks already full go at once, the later ones as they fill.
  const std::shared_ptr<SpillFile> file = SpillFile::create(temp_directory());
  spilled.spill_to(file);
  for (std::size_t i = count / 2; i < count; ++i) {
    memory.push_back(run_like(i));
    spilled.push_back(run_like(i));
  }
  BOOST_TEST(spilled.size() == count);
  BOOST_TEST(spilled.encoded_bytes() == memory.encoded_bytes());
  BOOST_TEST(spilled.resident_bytes() < RecordLog::kBlockBytes);  // only the block being filled
  BOOST_TEST(file->size_bytes() + spilled.resident_bytes() == spilled.encoded_bytes());
  std::size_t i = 0;
  for (const Record& record : spilled) {
    BOOST_TEST_REQUIRE((record == run_like(i)), "record " << i);
    ++i;
  }
  BOOST_TEST(i == count);
  // Random access jumps between blocks, and iterators spread over every block read in
  // turns (some of their blocks compete for one slot of the cache).
  for (std::size_t k = 0; k < count; k += 4099) BOOST_TEST((spilled[k] == memory[k]), "record " << k);
  std::vector<RecordLog::const_iterator> readers;
  for (std::size_t k = 0; k < 16; ++k) readers.emplace_back(&spilled, count * k / 16);
  for (std::size_t step = 0; step < 40; ++step) {
    for (std::size_t k = 0; k < readers.size(); ++k) {
      BOOST_TEST_REQUIRE((*readers[k] == run_like(count * k / 16 + step)), "reader " << k << " step " << step);
      ++readers[k];
    }
  }
}

// A copy of a spilled log shares its file; both go on growing apart, each reading its own.
BOOST_AUTO_TEST_CASE(copies_of_a_spilled_log_append_apart) {
  RecordLog original;
  original.spill_to(SpillFile::create(temp_directory()));
  const std::size_t count = RecordLog::kBlockBytes / 6;
  for (std::size_t i = 0; i < count; ++i) original.push_back(run_like(i));
  RecordLog copy = original;
  for (std::size_t i = count; i < 2 * count; ++i) {
    original.push_back(run_like(i));
    copy.push_back(run_like(i + 5));
  }
  for (std::size_t i = 0; i < 2 * count; i += 997) {
    BOOST_TEST((original[i] == run_like(i)));
    BOOST_TEST((copy[i] == run_like(i < count ? i : i + 5)));
  }
}

BOOST_AUTO_TEST_CASE(a_missing_spill_directory_is_a_clear_error) {
  const std::string missing = temp_directory() + "/ksim-no-such-directory/inside";
  try {
    SpillFile::create(missing);
    BOOST_FAIL("no error for a missing directory");
  } catch (const SpillError& error) {
    BOOST_TEST(std::string(error.what()).find(missing) != std::string::npos, error.what());
  }
}

}  // namespace ksim::history
