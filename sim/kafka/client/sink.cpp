#include "sim/kafka/client/sink.h"

namespace ksim::kafka {

bool Sink::apply(std::uint64_t message_id) {
  if (kind_ == SinkKind::plain) return true;
  const std::uint64_t producer = message_id >> 40;
  const std::uint64_t sequence = message_id & ((std::uint64_t{1} << 40) - 1);
  if (producer >= seen_.size()) seen_.resize(producer + 1);
  std::vector<bool>& seen = seen_[producer];
  if (sequence >= seen.size()) seen.resize(sequence + 1, false);
  if (seen[sequence]) return false;
  seen[sequence] = true;
  return true;
}

}  // namespace ksim::kafka
