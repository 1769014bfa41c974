#include "sim/kafka/client/arrivals.h"

#include "sim/core/assert.h"

namespace ksim::kafka {

ArrivalProcess::ArrivalProcess(RandomStream stream, const ProducerWorkload& workload, TimeNs workload_end_ns,
                               std::shared_ptr<const ZipfTable> zipf_keys)
    : stream_(stream),
      zipf_keys_(std::move(zipf_keys)),
      key_space_(workload.key_space),
      messages_(workload.messages),
      mean_gap_ns_(1e9 / workload.rate_per_second),
      workload_end_ns_(workload_end_ns) {
  KSIM_ASSERT(workload.rate_per_second > 0, "producer {}: arrival rate {} is not positive", workload.name,
              workload.rate_per_second);
}

PendingMessage ArrivalProcess::take() {
  KSIM_ASSERT(!done(), "an arrival taken after the last one ({} arrived)", arrived_);
  PendingMessage message;
  message.sequence = arrived_++;
  message.arrival_ns = next_arrival_ns_;
  if (zipf_keys_) {
    message.key_plus_one = static_cast<std::uint32_t>(zipf_keys_->draw(stream_) + 1);
  } else if (key_space_ > 0) {
    message.key_plus_one = static_cast<std::uint32_t>(stream_.uniform_below(key_space_) + 1);
  }
  next_arrival_ns_ += static_cast<TimeNs>(stream_.exponential(mean_gap_ns_));
  return message;
}

}  // namespace ksim::kafka
