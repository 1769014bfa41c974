#pragma once
// A client's metadata requests, shared by the producer and the consumer. At most one
// request is out at a time; requests are at least retry.backoff.ms apart, counted from the
// previous answer or timeout (Kafka's Metadata.timeToNextUpdate honours refreshBackoffMs:
// clients/src/main/java/org/apache/kafka/clients/Metadata.java, all versions since 0.9);
// one without an answer in time is sent again. Every timer carries the number of the
// attempt it guards, so a timer that outlived its attempt does nothing: before this, each
// stale timeout started one more request chain and the chains multiplied every simulated
// second while a partition had no leader (issue 11, bug 1).
//
// Which broker is asked (issue 18): any broker, never the controller. Kafka's client sends
// MetadataRequest to NetworkClient.leastLoadedNode(): of the nodes it knows (the brokers
// the last metadata listed, bootstrap.servers before that), one with the fewest requests
// in flight, skipping nodes whose connection failed and is in its reconnect backoff
// (all versions since 0.9). The broker answers from its own metadata cache, which may lag
// the controller (broker/metadata_cache.h). Here: the broker with no recent failure, then
// listed live by the last answer, then with the fewest requests in flight, the scan
// starting one broker further at each request (Kafka starts it at a random offset) so an
// idle client goes round the brokers. A broker that did not answer in time or reset the
// connection is avoided for reconnect.backoff.max.ms; the next request goes to another,
// so no single broker is needed for metadata. A broker the last answer did not list stays
// a last resort (as bootstrap.servers is with metadata.recovery.strategy=rebootstrap,
// KIP-899, Kafka 3.8).
//
// Stale answers (KAFKA-7738 "Track leader epochs in Metadata", apache/kafka PR 6045,
// Kafka 2.2.0, after KIP-232 and KIP-320 put the leader epoch in MetadataResponse v7,
// Kafka 2.1): the client remembers the highest leader epoch seen per partition and keeps
// its own metadata of a partition when an answer carries an older epoch
// (Metadata.updateLatestMetadata). Without the check (`check_leader_epochs` false: clients
// before 2.2) every answer replaces what the client had, so a lagging broker can send it
// back to an old leader.
#include <algorithm>
#include <cstdint>
#include <functional>
#include <vector>

#include "sim/kafka/node/node_context.h"

namespace ksim::kafka {

// How long a client waits for a metadata answer before asking again (another broker), at
// most: a request in flight expires after the client's request.timeout.ms (NetworkClient's
// handleTimedOutRequests, metadata requests included; all versions), and ksim caps that at
// 1 s for metadata, its stand-in for the connection-level failure detection that usually
// ends a request to a dead host sooner than the 30 s default (a simplification).
inline constexpr TimeNs kMetadataTimeoutNs = milliseconds(1'000);
// How long a broker that failed a metadata request is avoided: reconnect.backoff.max.ms's
// default (the longest a failed node stays blacked out in NetworkClient).
inline constexpr TimeNs kMetadataAvoidFailedNs = milliseconds(1'000);

class MetadataRefresh {
 public:
  // `as_node_timer` wraps this object's timer as its owner's (a producer's or a
  // consumer's); its timers come back through on_timer. `backoff_ns` is retry.backoff.ms.
  using AsNodeTimer = NodeTimer (*)(timers::MetadataRetry);
  // The owner's requests in flight to a broker (leastLoadedNode's measure of load); empty:
  // none anywhere.
  using BrokerLoad = std::function<std::uint32_t(BrokerId broker)>;
  // `request_timeout_ns` is request.timeout.ms (capped at kMetadataTimeoutNs).
  MetadataRefresh(AsNodeTimer as_node_timer, TimeNs backoff_ns, bool check_leader_epochs = true,
                  TimeNs request_timeout_ns = kMetadataTimeoutNs)
      : as_node_timer_(as_node_timer),
        backoff_ns_(backoff_ns),
        timeout_ns_(std::min(request_timeout_ns, kMetadataTimeoutNs)),
        check_leader_epochs_(check_leader_epochs) {}

  // The owner needs fresh metadata: ask now, or once the backoff allows. Nothing more is
  // sent while a request is out or already scheduled.
  void request(NodeContext& context, NodeId self, const BrokerLoad& load = {});
  // An answer arrived from node `from` (whichever attempt it answers: a late one settles the
  // current one too). The owner then merges its partitions with merge_leaders.
  void on_response(NodeContext& context, NodeId from, const MetadataResponse& response);
  void on_timer(NodeContext& context, NodeId self, const timers::MetadataRetry& timer,
                const BrokerLoad& load = {});
  // The connection to `broker` broke (its host reset it): avoided for a while, and a request
  // out to it is sent again to another broker after the backoff.
  void on_disconnect(NodeContext& context, NodeId self, BrokerId broker, const BrokerLoad& load = {});
  // The client restarted: nothing is out (the world dropped the old timers with the
  // process; attempt numbers keep counting, so none could be mistaken for a new one), and
  // what it knew of brokers and epochs was in memory.
  void restart();

  // Writes the answer's leader of each partition below `count` into `leaders`, except where
  // the leader epoch check keeps the client's own (an epoch older than the last seen).
  void merge_leaders(const MetadataResponse& response, std::vector<BrokerId>& leaders, std::uint32_t count);

  // KIP-951 (Metadata.updatePartitionLeadership, clients 3.7+): a NOT_LEADER_OR_FOLLOWER
  // answer named `leader` at `epoch` for the partition. When the epoch is newer than any seen,
  // it is noted and `leader` is written into `leaders`; true then (the owner still asks for
  // metadata, as the client does).
  bool take_named_leader(PartitionId partition, BrokerId leader, LeaderEpoch epoch,
                         std::vector<BrokerId>& leaders);
  // The highest leader epoch seen for `partition` (kNoLeaderEpoch: none yet).
  LeaderEpoch leader_epoch(PartitionId partition) const {
    return partition.index() < seen_epochs_.size() ? seen_epochs_[partition.index()] : kNoLeaderEpoch;
  }

  bool in_flight() const { return state_ == State::in_flight; }
  std::uint64_t requests_sent() const { return requests_sent_; }
  // The broker the last request went to (kNoBroker before any).
  BrokerId asked() const { return asked_; }
  std::uint64_t stale_answers_ignored() const { return stale_ignored_; }

 private:
  enum class State : std::uint8_t { idle, waiting_for_backoff, in_flight };
  void send_now(NodeContext& context, NodeId self, const BrokerLoad& load);
  BrokerId choose(const NodeContext& context, const BrokerLoad& load);
  void note_failure(const NodeContext& context, BrokerId broker);

  AsNodeTimer as_node_timer_;
  TimeNs backoff_ns_;
  TimeNs timeout_ns_;
  bool check_leader_epochs_;
  State state_ = State::idle;
  std::uint64_t attempt_ = 0;           // the attempt the live timer belongs to
  TimeNs last_settled_ns_ = -1;         // last answer or timeout; -1: never
  std::uint64_t requests_sent_ = 0;
  BrokerId asked_ = kNoBroker;              // the broker of the request out
  std::uint32_t rotation_ = 0;              // where the next scan starts
  std::vector<TimeNs> failed_ns_;           // per broker: last failure, -1 none
  std::vector<std::uint8_t> listed_;        // per broker: live in the last answer (empty: all)
  std::vector<LeaderEpoch> seen_epochs_;    // per partition: the highest leader epoch seen, -1 none
  std::uint64_t stale_ignored_ = 0;
};

}  // namespace ksim::kafka
