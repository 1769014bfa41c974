#include "sim/bench/history_bench.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <stdexcept>
#include <unistd.h>

#include "reports/atomic_write.h"
#include "reports/client_history_reader.h"
#include "reports/client_history_writer.h"
#include "sim/bench/peak_memory.h"
#include "sim/check/checker.h"
#include "sim/history/records.h"

namespace ksim {

namespace {

constexpr std::uint32_t kPartitions = 3;
constexpr std::uint32_t kProducer = 0;
constexpr std::uint32_t kConsumer = 1;
constexpr std::uint64_t kPollBatch = 10;

// The records of a healthy run as a client sees it: every message sent, acknowledged,
// polled and applied once, in order.
history::History synthetic_client_history(std::uint64_t messages) {
  history::History h;
  h.nodes = {{"producer-0", "producer"}, {"consumer-0", "consumer"}};
  for (std::uint32_t p = 0; p < kPartitions; ++p) h.partitions.push_back({"bench", p});
  h.producers = {{.node = NodeId{kProducer}}};
  h.groups.emplace_back().name = "bench";
  TimeNs now = 0;
  for (std::uint64_t first = 1; first <= messages; first += kPollBatch) {
    const std::uint64_t last = std::min(messages, first + kPollBatch - 1);
    for (std::uint64_t id = first; id <= last; ++id) {
      const auto p = static_cast<std::uint32_t>(id % kPartitions);
      now += 1000;
      h.add(history::send({.producer = NodeId{kProducer},
                           .message_id = id,
                           .partition = PartitionId{p},
                           .key = id % 1024,
                           .time_ns = now}));
      h.add(history::send_acknowledged({.producer = NodeId{kProducer},
                                        .message_id = id,
                                        .partition = PartitionId{p},
                                        .offset = ksim::Offset{static_cast<std::int64_t>(id / kPartitions)},
                                        .time_ns = now + 500}));
    }
    now += 1000;
    for (const bool apply : {false, true}) {
      for (std::uint64_t id = first; id <= last; ++id) {
        const history::PollRecord read{.consumer = NodeId{kConsumer},
                                       .partition = PartitionId{static_cast<std::uint32_t>(id % kPartitions)},
                                       .offset = Offset{static_cast<std::int64_t>(id / kPartitions)},
                                       .message_id = id,
                                       .time_ns = now + (apply ? 1 : 0)};
        h.add(apply ? history::effect_applied({.consumer = read.consumer, .partition = read.partition,
                                               .offset = read.offset, .message_id = id, .time_ns = read.time_ns})
                    : history::poll(read));
      }
    }
  }
  h.workload_end_ns = h.end_ns = now + 1000;
  h.drain_completed = true;
  return h;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

HistoryBenchResult run_history_bench(std::uint64_t ops) {
  HistoryBenchResult result;
  result.messages = std::max<std::uint64_t>(1, ops * kPollBatch / (2 * kPollBatch + 4));
  const std::string path =
      (std::filesystem::temp_directory_path() / ("ksim-history-bench-" + std::to_string(getpid()) + ".jsonl")).string();
  auto start = std::chrono::steady_clock::now();
  {
    const std::string text = reports::render_client_history(synthetic_client_history(result.messages));
    reports::write_file_atomically(path, text);
    result.file_bytes = text.size();
  }
  result.write_seconds = seconds_since(start);
  reset_peak_rss();
  const std::clock_t cpu_start = std::clock();  // CPU time too: wall time on a shared machine says little
  start = std::chrono::steady_clock::now();
  reports::ClientHistoryRead read = reports::read_client_history_file(path);
  result.read_seconds = seconds_since(start);
  std::filesystem::remove(path);
  if (!read.history) throw std::runtime_error("bench history: " + read.error->to_string(path));
  result.operations = read.operations;
  start = std::chrono::steady_clock::now();
  const check::Outcome outcome = check::check(*read.history);
  result.check_seconds = seconds_since(start);
  result.cpu_seconds = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  result.peak_rss_bytes = peak_rss_bytes();
  result.operations_per_second = static_cast<double>(result.operations) / (result.read_seconds + result.check_seconds);
  result.delivered = outcome.counters.delivered;
  result.lost = outcome.counters.lost;
  return result;
}

}  // namespace ksim
