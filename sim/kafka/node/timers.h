#pragma once
// The timers of the Kafka model's nodes as typed values (issue 12, item 6). A node sets
// one with NodeContext::set_timer; World keeps it in the node's TimerTable and hands it
// back to the node's on_timer when it fires. A timer carries what its handler needs to
// tell whether it is still wanted (a session, an attempt, a batch id), compared field by
// field; timers of a process that died are dropped by World before any handler runs.
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <variant>

#include "sim/core/fingerprint.h"
#include "sim/core/ids.h"

namespace ksim::kafka::timers {

// Timers whose handler needs nothing but their kind.
struct NoFields {
  std::uint64_t fingerprint_argument() const { return 0; }
};

// controller
struct LivenessCheck : NoFields {};
struct QuorumTick : NoFields {};  // a quorum member's periodic work (controller_quorum.cpp)
struct QuorumElectionTimeout {    // a candidate's election ran out of time
  std::uint64_t election = 0;
  std::uint64_t fingerprint_argument() const { return election; }
};

// broker
struct BrokerHeartbeat : NoFields {};
struct OsFlush : NoFields {};
struct IsrCheck : NoFields {};
// A follower's partition rejoins its fetcher after replica.fetch.backoff.ms (it left it on
// an error answer: AbstractFetcherThread.delayPartitions).
struct FollowerFetchRetry {
  PartitionId partition{};
  std::uint64_t fingerprint_argument() const { return partition.value(); }
};
// The replica fetcher's fetch from `leader` had no answer within replica.socket.timeout.ms
// (the fetcher's DeadlineTimer: set again while the fetch in flight is younger).
struct ReplicaFetcherTimeout {
  BrokerId leader{};
  std::uint64_t fingerprint_argument() const { return leader.value(); }
};
// The replica fetcher of `leader` fetches again after replica.fetch.backoff.ms (its
// connection was reset).
struct ReplicaFetcherRetry {
  BrokerId leader{};
  std::uint64_t fingerprint_argument() const { return leader.value(); }
};
// A leader's parked session fetch from `requester` (a follower's broker node, or a
// consumer) reached replica.fetch.wait.max.ms / fetch.max.wait.ms (the session's
// DeadlineTimer: set again while the fetch parked now is younger).
struct SessionFetchExpiry {
  NodeId requester{};
  bool from_follower = true;
  std::uint64_t fingerprint_argument() const { return requester.value(); }
};
struct GroupSessions : NoFields {};
// A coordinator's load of an internal partition it leads is done (broker_coordinator_load.cpp);
// stale once the broker no longer leads it at that epoch.
struct CoordinatorLoad {
  PartitionId partition{};
  LeaderEpoch leader_epoch{};
  std::uint64_t fingerprint_argument() const {
    return Fingerprint::pair(static_cast<std::uint32_t>(leader_epoch.value()), partition.value());
  }
};

// clients (producer and consumer)
struct MetadataRetry {
  std::uint64_t attempt = 0;  // the MetadataRefresh attempt it guards
  std::uint64_t fingerprint_argument() const { return attempt; }
};
struct TransactionRetry {
  std::uint64_t request_id = 0;  // the transactional request it resends
  std::uint64_t fingerprint_argument() const { return request_id; }
};

// producer
// The next message arrives in the application (ArrivalProcess).
struct Arrival : NoFields {};
// send() has waited max.block.ms for buffer.memory.
struct MaxBlockExpired {
  std::uint64_t block = 0;  // the wait it ends (Producer::BufferWait)
  std::uint64_t fingerprint_argument() const { return block; }
};
struct Linger {
  PartitionId partition{};
  std::uint64_t batch_id = 0;  // the open batch it closes
  std::uint64_t fingerprint_argument() const { return Fingerprint::pair(batch_id, partition.value()); }
};
struct RequestTimeout {
  std::uint64_t request_id = 0;
  PartitionId partition{};  // where the request's batch is queued (not fingerprinted: implied by the id)
  std::uint64_t fingerprint_argument() const { return request_id; }
};
struct SenderWakeup : NoFields {};
struct MetadataMaxAge : NoFields {};
struct Reconnect {
  BrokerId broker{};
  std::uint64_t fingerprint_argument() const { return broker.value(); }
};
struct ProbeTimeout {
  BrokerId broker{};
  std::uint64_t probe = 0;  // the handshake it guards
  std::uint64_t fingerprint_argument() const { return Fingerprint::pair(probe, broker.value()); }
};
struct BackoffExpired : NoFields {};
// The retry of an AddPartitionsToTxn. Fingerprinted as the TransactionRetry it was before
// typed timers, whose argument told the two apart by its top bit.
struct AddPartitionRetry {
  using FingerprintedAs = TransactionRetry;
  PartitionId partition{};
  std::uint32_t attempt = 0;  // the AddPartitionsToTxn attempt it guards
  std::uint64_t fingerprint_argument() const {
    constexpr std::uint32_t kAddPartitionTag = 1U << 31;
    return Fingerprint::pair(kAddPartitionTag | (attempt & (kAddPartitionTag - 1)), partition.value());
  }
};

// consumer
struct RecordProcessed : NoFields {};
// A member's fetch from `broker` had no answer within request.timeout.ms (the fetcher's
// DeadlineTimer: set again while the fetch in flight is younger).
struct FetchTimeout {
  BrokerId broker{};
  std::uint64_t fingerprint_argument() const { return broker.value(); }
};
// A member's OffsetFetch had no answer within request.timeout.ms.
struct OffsetFetchTimeout {
  std::uint64_t request_id = 0;
  std::uint64_t fingerprint_argument() const { return request_id; }
};
struct FetchRetry {
  PartitionId partition{};
  std::uint64_t fingerprint_argument() const { return partition.value(); }
};
struct GroupHeartbeat : NoFields {};
struct PollDeadline {
  std::uint64_t poll = 0;  // the number of the poll whose processing it bounds
  std::uint64_t fingerprint_argument() const { return poll; }
};
struct CommitTimeout : NoFields {};
// retry.backoff.ms after a COORDINATOR_LOAD_IN_PROGRESS answer to a join or an offset commit:
// ask the same coordinator again.
struct CoordinatorLoadRetry : NoFields {};
// A processor's output record (consumer_output.cpp): its produce request's answer is
// overdue, or its retry backoff is over. A stale one is told by its generation.
struct OutputRetry {
  std::uint64_t generation = 0;
  std::uint64_t fingerprint_argument() const { return generation; }
};

}  // namespace ksim::kafka::timers

namespace ksim::kafka {

// Each node kind's timers. The order of the alternatives is the order of the numbered
// timer kinds before typed timers: the run fingerprint folds alternative i as kind i + 1
// (describe_timer), so fingerprints stayed byte-identical through the change.
using ControllerTimer = std::variant<timers::LivenessCheck, timers::QuorumTick, timers::QuorumElectionTimeout>;
using BrokerTimer =
    std::variant<timers::BrokerHeartbeat, timers::OsFlush, timers::IsrCheck, timers::FollowerFetchRetry,
                 timers::ReplicaFetcherTimeout, timers::GroupSessions,
                 timers::CoordinatorLoad, timers::ReplicaFetcherRetry, timers::SessionFetchExpiry>;
using ProducerTimer =
    std::variant<timers::Arrival, timers::Linger, timers::RequestTimeout, timers::SenderWakeup,
                 timers::MetadataRetry, timers::MetadataMaxAge, timers::Reconnect, timers::ProbeTimeout,
                 timers::TransactionRetry, timers::BackoffExpired, timers::AddPartitionRetry,
                 timers::MaxBlockExpired>;
using ConsumerTimer = std::variant<timers::RecordProcessed, timers::FetchTimeout, timers::FetchRetry,
                                   timers::MetadataRetry, timers::GroupHeartbeat, timers::PollDeadline,
                                   timers::TransactionRetry, timers::CommitTimeout, timers::OutputRetry,
                                   timers::CoordinatorLoadRetry, timers::OffsetFetchTimeout>;
using NodeTimer = std::variant<ControllerTimer, BrokerTimer, ProducerTimer, ConsumerTimer>;

// A timer as the run fingerprint folds it.
struct TimerDescription {
  std::uint32_t kind = 0;
  std::uint64_t argument = 0;
};
template <typename Alternative, typename NodeKindTimer, std::size_t index = 0>
constexpr std::uint32_t timer_kind() {
  if constexpr (std::is_same_v<Alternative, std::variant_alternative_t<index, NodeKindTimer>>) {
    return index + 1;
  } else {
    return timer_kind<Alternative, NodeKindTimer, index + 1>();
  }
}
inline TimerDescription describe_timer(const NodeTimer& timer) {
  return std::visit(
      [](const auto& node_kind_timer) {
        using NodeKindTimer = std::decay_t<decltype(node_kind_timer)>;
        return std::visit(
            [](const auto& value) {
              using Alternative = std::decay_t<decltype(value)>;
              std::uint32_t kind = 0;
              if constexpr (requires { typename Alternative::FingerprintedAs; }) {
                kind = timer_kind<typename Alternative::FingerprintedAs, NodeKindTimer>();
              } else {
                kind = timer_kind<Alternative, NodeKindTimer>();
              }
              return TimerDescription{kind, value.fingerprint_argument()};
            },
            node_kind_timer);
      },
      timer);
}

// The callables of one std::visit, one per alternative.
template <typename... Handlers>
struct Overloaded : Handlers... {
  using Handlers::operator()...;
};
// Spelled out for compilers without deduction for aggregates (clang before 17).
template <typename... Handlers>
Overloaded(Handlers...) -> Overloaded<Handlers...>;

}  // namespace ksim::kafka
