#pragma once
// The application in front of a producer, as a source of messages: they arrive at the
// scenario's rate (Poisson arrivals) whatever the producer does, each with its key drawn
// on arrival, until the producer's `messages` have arrived or the workload phase ends.
// The arrival times and keys come from the application's own random stream, so every
// delivery mode run on one seed is offered the same messages at the same times with the
// same keys (issue 13: the modes do the same work). What the producer cannot take at once
// waits in the application's backlog (producer_application.cpp).
#include <cstdint>
#include <memory>

#include "sim/core/sim_time.h"
#include "sim/history/history.h"
#include "sim/kafka/config/config.h"
#include "sim/random/random_stream.h"
#include "sim/random/zipf.h"

namespace ksim::kafka {

// A message the application has and has not yet handed to the producer (or hands again:
// a resend after the producer restarted).
struct PendingMessage {
  static constexpr PartitionId kUnchosen{0xFFFFFFFFU};
  std::uint64_t sequence = 0;
  TimeNs arrival_ns = 0;
  std::uint32_t key_plus_one = 0;        // 0: no key
  PartitionId partition = kUnchosen;   // chosen by the partitioner when send() first takes it
  bool resend = false;

  // The key id, or history::kNoKey for a record without a key.
  std::uint64_t key_id() const { return key_plus_one == 0 ? history::kNoKey : key_plus_one - 1; }
};

class ArrivalProcess {
 public:
  ArrivalProcess(RandomStream stream, const ProducerWorkload& workload, TimeNs workload_end_ns,
                 std::shared_ptr<const ZipfTable> zipf_keys);

  // No message arrives any more: `messages` arrived, or the next would come after the
  // workload phase.
  bool done() const { return arrived_ >= messages_ || next_arrival_ns_ >= workload_end_ns_; }
  TimeNs next_arrival_ns() const { return next_arrival_ns_; }
  std::uint64_t arrived() const { return arrived_; }
  // The message arriving at next_arrival_ns() (precondition: !done()); draws the next gap.
  PendingMessage take();

 private:
  RandomStream stream_;
  std::shared_ptr<const ZipfTable> zipf_keys_;  // null: keys uniform over key_space_
  std::uint64_t key_space_ = 0;                 // 0: records without a key
  std::uint64_t messages_ = 0;
  double mean_gap_ns_ = 0;
  TimeNs workload_end_ns_ = 0;
  TimeNs next_arrival_ns_ = 0;  // the first message arrives when the run starts
  std::uint64_t arrived_ = 0;
};

}  // namespace ksim::kafka
