#include "sim/kafka/wire/wire_tally.h"

namespace ksim::kafka {

void WireTally::count(const Payload& payload) {
  ++messages;
  if (std::holds_alternative<ProduceRequest>(payload) ||
      std::holds_alternative<MultiProduceRequest>(payload)) {
    ++produce_requests;
  } else if (const auto* fetch = std::get_if<SessionFetchRequest>(&payload)) {
    ++(fetch->from_follower ? replica_fetches : consumer_fetches);
  } else if (std::holds_alternative<OffsetCommitRequest>(payload) ||
             std::holds_alternative<MultiOffsetCommitRequest>(payload) ||
             std::holds_alternative<TxnOffsetCommitRequest>(payload)) {
    ++offset_commits;
  }
}

}  // namespace ksim::kafka
