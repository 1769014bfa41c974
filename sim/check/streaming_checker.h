#pragma once
// The streaming checker (issue 19 item 3): judges a run from its records as the run writes
// them, so a run need not keep its history. Each record is gathered once into the same
// per-message facts the batch checker builds (FactStream, facts.h); at the end the batch
// checker's own stages judge those facts. The stages that read records again (Jepsen's
// poll, internal and transactional anomalies, the pipeline) read the few kinds they need,
// which the stream keeps as they come (about one record a message per acknowledgement and
// per poll, where the history has three to seven): acknowledgements, polls and poll calls,
// assignments, transactional effects and their ends, leader appends of partitions that have
// had a transaction marker (before one, Jepsen's skippable offsets ignore them), and, with
// a pipeline, outputs and applications. What it gives is therefore what check() gives, on
// every bundled scenario (tests/reports/test_streaming_checker.cpp).
#include <cstddef>
#include <cstdint>
#include <vector>

#include "sim/check/checker.h"
#include "sim/check/facts.h"
#include "sim/check/outcome.h"
#include "sim/history/history.h"
#include "sim/history/record_sink.h"

namespace ksim::check {

struct StreamOutcome {
  Outcome outcome;
  std::uint64_t records = 0;        // the records the stream saw
  std::uint64_t records_kept = 0;   // of them, those kept for the stages that read records again
  std::uint64_t kept_bytes = 0;     // their encoded size
  // The full records of a bounded sample: every record naming one of the first
  // kSampleMessages messages to appear, up to kSampleRecordsMax records, in history order.
  std::vector<history::Record> sample_records;
};

class StreamingChecker final : public history::RecordSink {
 public:
  static constexpr std::size_t kSampleMessages = 8;
  static constexpr std::size_t kSampleRecordsMax = 4096;

  // `header`: the run's history as built, before any record (its header is copied).
  // `expected_messages`: how many the run's workload offers (FactStream sizes its tables).
  explicit StreamingChecker(const history::History& header, const CheckOptions& options = {},
                            std::uint64_t expected_messages = 0);
  void on_record(const history::Record& record) override;
  // Once, after the last record. `end`: the run's history at its end, for the header fields
  // the run sets last (workload end); its records, if any, are not read.
  StreamOutcome finish(const history::History& end);

 private:
  void sample(const history::Record& record);
  bool reread_later(const history::Record& record);

  CheckOptions options_;
  history::History header_;  // and the records kept for rereading
  FactStream facts_;  // reads header_
  bool pipeline_ = false;  // some group is a processor with output partitions
  std::vector<bool> partition_has_marker_;
  std::uint64_t records_ = 0;
  std::vector<std::uint64_t> sample_ids_;
  std::vector<history::Record> sample_records_;
  bool finished_ = false;
};

}  // namespace ksim::check
