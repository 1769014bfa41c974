#include "sim/run/anomaly_records.h"

#include <algorithm>
#include <utility>

#include "sim/check/record_message.h"
#include "sim/history/record_sink.h"
#include "sim/kafka/world.h"

namespace ksim::run {

namespace {

// Keeps, as a run writes them, the records naming one of `ids` and those naming no message,
// each kind up to its bound. It judges nothing: the run was judged before its replay.
class KeptRecords final : public history::RecordSink {
 public:
  static constexpr std::size_t kChosenRecordsMax = 4'000'000;   // records naming chosen messages
  static constexpr std::size_t kContextRecordsMax = 2'000'000;  // records naming no message

  KeptRecords(const std::vector<std::uint64_t>& ids, AnomalyRecords& into) : ids_(ids), into_(into) {}

  void on_record(const history::Record& record) override {
    ++into_.records_seen;
    history::visit(record, [&](const auto& typed) {
      const bool names = check::names_message(typed);
      if (names && !std::binary_search(ids_.begin(), ids_.end(), check::message_id_of(typed))) return;
      std::size_t& kept = names ? chosen_ : context_;
      if (kept == (names ? kChosenRecordsMax : kContextRecordsMax)) {
        ++into_.records_dropped;
        return;
      }
      ++kept;
      into_.history.add(record);
    });
  }

 private:
  const std::vector<std::uint64_t>& ids_;  // sorted, distinct
  AnomalyRecords& into_;
  std::size_t chosen_ = 0;
  std::size_t context_ = 0;
};

}  // namespace

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
  result.message_ids = std::move(message_ids);
  std::sort(result.message_ids.begin(), result.message_ids.end());
  result.message_ids.erase(std::unique(result.message_ids.begin(), result.message_ids.end()), result.message_ids.end());
  kafka::World world(config);
  result.history = world.history_header();
  KeptRecords kept(result.message_ids, result);
  world.stream_history_to(kept, false);
  const kafka::RunOutput output = world.run();
  result.history.workload_end_ns = output.history.workload_end_ns;
  result.history.end_ns = output.history.end_ns;
  result.history.drain_completed = output.history.drain_completed;
  return result;
}

}  // namespace ksim::run
