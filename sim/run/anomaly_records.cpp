#include "sim/run/anomaly_records.h"

#include <algorithm>
#include <utility>

#include "sim/check/streaming_checker.h"
#include "sim/kafka/world.h"

namespace ksim::run {

std::vector<std::uint64_t> anomalous_messages(const check::Outcome& outcome) {
  std::vector<std::uint64_t> ids;
  for (const check::ExplainedMessage& lost : outcome.lost) ids.push_back(lost.message_id);
  for (const check::ExplainedMessage& duplicated : outcome.duplicated) ids.push_back(duplicated.message_id);
  ids.insert(ids.end(), outcome.reordered.begin(), outcome.reordered.end());
  for (const check::NamedAnomaly& named : check::named(outcome.jepsen)) {
    ids.insert(ids.end(), named.anomaly->examples.begin(), named.anomaly->examples.end());
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

AnomalyRecords replay_keeping(const kafka::WorldConfig& config, std::vector<std::uint64_t> message_ids) {
  AnomalyRecords result;
  result.message_ids = message_ids;
  std::sort(result.message_ids.begin(), result.message_ids.end());
  kafka::World world(config);
  result.history = world.history_header();
  check::StreamingChecker streaming(world.history_header(), check::CheckOptions{}, kafka::offered_messages(config),
                                    std::move(message_ids));
  world.stream_history_to(streaming, false);
  const kafka::RunOutput output = world.run();
  check::StreamOutcome streamed = streaming.finish(output.history);
  result.history.workload_end_ns = output.history.workload_end_ns;
  result.history.end_ns = output.history.end_ns;
  result.history.drain_completed = output.history.drain_completed;
  for (const history::Record& record : streamed.kept_records) result.history.add(record);
  result.records_seen = streamed.records;
  result.records_dropped = streamed.kept_records_dropped;
  return result;
}

}  // namespace ksim::run
