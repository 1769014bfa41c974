#include "sim/kafka/client/metadata_refresh.h"

#include <algorithm>
#include <tuple>

#include "sim/core/assert.h"

namespace ksim::kafka {

void MetadataRefresh::request(NodeContext& context, NodeId self, const BrokerLoad& load) {
  if (state_ != State::idle) return;
  const TimeNs now = context.now();
  const TimeNs allowed_ns = last_settled_ns_ < 0 ? now : last_settled_ns_ + backoff_ns_;
  if (allowed_ns <= now) {
    send_now(context, self, load);
    return;
  }
  state_ = State::waiting_for_backoff;
  context.set_timer(self, allowed_ns - now, as_node_timer_(timers::MetadataRetry{++attempt_}));
}

void MetadataRefresh::on_response(NodeContext& context, NodeId from, const MetadataResponse& response) {
  last_settled_ns_ = context.now();
  // A late answer to an earlier attempt settles the current one too; its timer goes stale.
  if (state_ == State::in_flight) state_ = State::idle;
  const std::uint32_t brokers = context.broker_count();
  const BrokerId broker = context.broker_index(from);
  if (broker.index() < failed_ns_.size()) failed_ns_[broker.index()] = -1;
  if (response.live_brokers.empty()) return;
  listed_.assign(brokers, 0);
  for (const BrokerId live : response.live_brokers) {
    if (live.value() < brokers) listed_[live.index()] = 1;
  }
}

void MetadataRefresh::merge_leaders(const MetadataResponse& response, std::vector<BrokerId>& leaders,
                                    std::uint32_t count) {
  const std::size_t end = std::min<std::size_t>({count, response.leaders.size(), leaders.size()});
  if (seen_epochs_.size() < end) seen_epochs_.resize(end, kNoLeaderEpoch);
  for (std::size_t p = 0; p < end; ++p) {
    const LeaderEpoch epoch = p < response.leader_epochs.size() ? response.leader_epochs[p] : kNoLeaderEpoch;
    if (check_leader_epochs_ && epoch >= LeaderEpoch{} && epoch < seen_epochs_[p]) {
      ++stale_ignored_;  // "Got metadata for an older epoch ..., not updating"
      continue;
    }
    if (epoch > seen_epochs_[p]) seen_epochs_[p] = epoch;
    leaders[p] = response.leaders[p];
  }
}

bool MetadataRefresh::take_named_leader(PartitionId partition, BrokerId leader, LeaderEpoch epoch,
                                        std::vector<BrokerId>& leaders) {
  if (leader == kNoBroker || partition.index() >= leaders.size()) return false;
  if (epoch < LeaderEpoch{} || epoch <= leader_epoch(partition)) return false;
  if (seen_epochs_.size() <= partition.index()) seen_epochs_.resize(partition.index() + 1, kNoLeaderEpoch);
  seen_epochs_[partition.index()] = epoch;
  leaders[partition.index()] = leader;
  return true;
}

void MetadataRefresh::on_timer(NodeContext& context, NodeId self, const timers::MetadataRetry& timer,
                               const BrokerLoad& load) {
  if (timer.attempt != attempt_) return;  // stale: its attempt was answered or replaced
  switch (state_) {
    case State::idle:
      return;  // answered; the timeout is moot
    case State::waiting_for_backoff:
      send_now(context, self, load);
      return;
    case State::in_flight:
      // No answer in time (lost, or the broker unreachable or down): ask another after the backoff.
      note_failure(context, asked_);
      last_settled_ns_ = context.now();
      state_ = State::idle;
      request(context, self, load);
      return;
  }
}

void MetadataRefresh::on_disconnect(NodeContext& context, NodeId self, BrokerId broker,
                                    const BrokerLoad& load) {
  note_failure(context, broker);
  if (state_ != State::in_flight || broker != asked_) return;
  last_settled_ns_ = context.now();
  state_ = State::idle;
  ++attempt_;  // the timeout of the broken request goes stale
  request(context, self, load);
}

void MetadataRefresh::restart() {
  state_ = State::idle;
  last_settled_ns_ = -1;
  asked_ = kNoBroker;
  failed_ns_.clear();
  listed_.clear();
  seen_epochs_.clear();
}

void MetadataRefresh::note_failure(const NodeContext& context, BrokerId broker) {
  if (broker == kNoBroker) return;
  if (failed_ns_.size() <= broker.index()) failed_ns_.resize(broker.index() + 1, -1);
  failed_ns_[broker.index()] = context.now();
}

BrokerId MetadataRefresh::choose(const NodeContext& context, const BrokerLoad& load) {
  const std::uint32_t brokers = context.broker_count();
  KSIM_ASSERT(brokers > 0, "a client with no broker to ask for metadata");
  const TimeNs now = context.now();
  BrokerId best = kNoBroker;
  // Smaller is better: (failed recently, when it failed, not listed, load).
  std::tuple<bool, TimeNs, bool, std::uint32_t> best_key{};
  for (std::uint32_t i = 0; i < brokers; ++i) {
    const BrokerId broker{(rotation_ + i) % brokers};
    const TimeNs failed_ns = broker.index() < failed_ns_.size() ? failed_ns_[broker.index()] : -1;
    const bool failed = failed_ns >= 0 && now - failed_ns < kMetadataAvoidFailedNs;
    const bool unlisted = broker.index() < listed_.size() && listed_[broker.index()] == 0;
    const std::tuple key{failed, failed ? failed_ns : TimeNs{0}, unlisted, load ? load(broker) : 0U};
    if (best == kNoBroker || key < best_key) {
      best = broker;
      best_key = key;
    }
  }
  rotation_ = (rotation_ + 1) % brokers;
  return best;
}

void MetadataRefresh::send_now(NodeContext& context, NodeId self, const BrokerLoad& load) {
  KSIM_ASSERT(state_ != State::in_flight, "node {}: a second metadata request while one is out", self);
  state_ = State::in_flight;
  ++requests_sent_;
  asked_ = choose(context, load);
  context.send(self, context.broker_node(asked_), MetadataRequest{});
  context.set_timer(self, timeout_ns_, as_node_timer_(timers::MetadataRetry{++attempt_}));
}

}  // namespace ksim::kafka
