#pragma once
// The streaming checker (issue 19 item 3): judges a run from its records as the run writes
// them, so a run need not keep its history at all. Each record is gathered once into the
// same per-message facts the batch checker builds (FactStream, facts.h); at the end the
// batch checker's own stages judge those facts. What it gives is therefore what check()
// gives (tests/check/test_streaming_checker.cpp holds it to that on every bundled
// scenario), except what still needs the history read again: Jepsen's anomalies and the
// pipeline counters, which a stream leaves empty and says so.
//
// Memory: the facts (about 100 bytes a message, 24 more per group) and the applications in
// history order (8 bytes each), instead of the history (70 bytes a message or more) and
// the facts together.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "sim/check/facts.h"
#include "sim/check/outcome.h"
#include "sim/history/history.h"
#include "sim/history/record_sink.h"

namespace ksim::check {

struct StreamOutcome {
  Outcome outcome;
  // Not judged by a stream: outcome.jepsen and outcome.pipeline are empty.
  bool jepsen_judged = false;
  bool pipeline_judged = false;
  std::uint64_t records = 0;  // the records the stream saw
  // The full records of a bounded sample: every record naming one of the first
  // kSampleMessages messages to appear, up to kSampleRecordsMax records, in history order.
  std::vector<history::Record> sample_records;
};

class StreamingChecker final : public history::RecordSink {
 public:
  static constexpr std::size_t kSampleMessages = 8;
  static constexpr std::size_t kSampleRecordsMax = 4096;

  // `header`: the run's history as built, before any record (its header is copied).
  explicit StreamingChecker(const history::History& header);
  void on_record(const history::Record& record) override;
  // Once, after the last record. `end`: the run's history at its end, for the header fields
  // the run sets last (workload end); its records, if any, are not read.
  StreamOutcome finish(const history::History& end);

 private:
  void sample(const history::Record& record);

  history::History header_;
  FactStream facts_;  // reads header_
  std::uint64_t records_ = 0;
  std::vector<std::uint64_t> sample_ids_;
  std::vector<history::Record> sample_records_;
  bool finished_ = false;
};

}  // namespace ksim::check
