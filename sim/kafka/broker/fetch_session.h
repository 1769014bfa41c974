#pragma once
// Fetch sessions (KIP-227, Kafka 1.1): the state each end keeps so that a follower fetches
// all it follows from one leader, and a consumer all it reads there, in one request, and
// each request and answer carries only what changed. With 10,000 partitions a broker
// follows hundreds of partitions of each leader, most of them idle at any moment, and a
// consumer reads hundreds from each broker (issue 19).
#include <algorithm>
#include <cstdint>
#include <vector>

#include "sim/core/ids.h"
#include "sim/core/sim_time.h"
#include "sim/kafka/broker/sparse_partitions.h"
#include "sim/kafka/node/deadline_timer.h"
#include "sim/kafka/wire/protocol.h"

namespace ksim::kafka {

// A sorted vector of items keyed by `.partition`, with find, insert and erase.
template <class Item>
class PartitionTable {
 public:
  Item* find(PartitionId partition) {
    const auto at = lower_bound(partition);
    return at != items_.end() && at->partition == partition ? &*at : nullptr;
  }
  // The partition's item, added (with only its partition set) if absent.
  Item& upsert(PartitionId partition) {
    const auto at = lower_bound(partition);
    if (at != items_.end() && at->partition == partition) return *at;
    Item item{};
    item.partition = partition;
    return *items_.insert(at, item);
  }
  bool erase(PartitionId partition) {
    const auto at = lower_bound(partition);
    if (at == items_.end() || at->partition != partition) return false;
    items_.erase(at);
    return true;
  }
  void clear() { items_.clear(); }
  bool empty() const { return items_.empty(); }
  std::size_t size() const { return items_.size(); }
  const std::vector<Item>& items() const { return items_; }
  std::vector<Item>& items() { return items_; }  // keys must stay as they are

 private:
  typename std::vector<Item>::iterator lower_bound(PartitionId partition) {
    return partition_lower_bound(items_, partition);
  }
  std::vector<Item> items_;  // sorted by partition
};

// The leader's cache of one partition of a follower's session (Kafka's CachedPartition).
struct SessionPartition {
  PartitionId partition{};
  FetchPosition position;                        // as the follower last listed it
  Offset high_watermark_sent = kNoOffsetPosition;  // the last one the follower was told
  // Nothing to do at a fetch until the partition changes. For a follower: it was caught up
  // to the log end, is in the ISR and knows the high watermark; its caught-up time is the
  // session's last fetch (FollowerProgress::caught_up_in_session). For a consumer: it had
  // nothing to read, or was answered and lists the partition again when it reads on. Kafka
  // reads such a partition at every fetch and finds nothing to send; here it is skipped.
  bool quiet = false;
};

// The leader's side of one requester's session. Kafka keys a session by an id the leader
// hands out; a broker here keeps one per follower broker and one per consumer, which is what
// one fetcher per leader on the requester's side makes of it.
struct LeaderFetchSession {
  BrokerId follower = kNoBroker;  // a follower's session; kNoBroker: a consumer's
  bool read_committed = false;    // a consumer's isolation.level
  std::uint64_t id = 0;  // 0: none
  std::uint32_t next_epoch = 0;
  TimeNs last_fetch_ns = 0;  // when the follower's last fetch arrived
  PartitionTable<SessionPartition> partitions;
  std::vector<PartitionId> unquiet;  // the partitions not quiet, each once, to look at every fetch
  // A fetch with nothing to answer yet waits (long poll) until a partition has records for
  // it, one stops being led here, or replica.fetch.wait.max.ms passes.
  bool parked = false;
  DeadlineTimer expiry;  // the parked fetch's max wait
  NodeId requester{};
  std::uint64_t request_id = 0;
  std::uint32_t max_records = 0;
};

// The requester's side: one fetcher per leader broker (a follower's num.replica.fetchers=1;
// a consumer's Fetcher keeps one fetch in flight per node).
struct FetcherPartition {
  PartitionId partition{};
  bool changed = false;     // in `changed`: to list in the next request (joined, or its position moved)
  bool in_session = false;  // listed since the session began: the leader's session holds it
};
struct SessionFetcher {
  std::uint64_t session_id = 0;
  std::uint32_t next_epoch = 0;  // 0: the next fetch is a full one
  bool in_flight = false;
  std::uint64_t request_id = 0;
  DeadlineTimer timeout;  // the fetch in flight's (replica.socket.timeout.ms, request.timeout.ms)
  PartitionTable<FetcherPartition> partitions;  // those fetched from this leader now
  std::vector<PartitionId> changed;             // to list in the next incremental fetch
  std::vector<PartitionId> forgotten;           // left since the last fetch, held by the session

  // A partition fetched here is listed in the next fetch (it joined, or its position moved).
  void mark_changed(PartitionId partition) {
    FetcherPartition* fetched = partitions.find(partition);
    if (fetched == nullptr || fetched->changed) return;
    fetched->changed = true;
    changed.push_back(partition);
  }
  // The partition is fetched here from now on.
  void add(PartitionId partition) {
    partitions.upsert(partition);
    mark_changed(partition);
  }
  // The partition leaves: the next fetch forgets it if the leader's session holds it. (One
  // that comes back before then is both forgotten and listed: the leader forgets first.)
  void remove(PartitionId partition) {
    const FetcherPartition* fetched = partitions.find(partition);
    if (fetched != nullptr && fetched->in_session) forgotten.push_back(partition);
    partitions.erase(partition);
  }
  // The fetch in flight is given up: the next one opens a new session.
  void restart() {
    in_flight = false;
    next_epoch = 0;
  }
  // The next fetch's session fields and lists (FetchSessionHandler.Builder.build), after
  // which it is in flight. A full fetch (the caller has set session_id) lists every
  // partition; an incremental one lists those that joined or moved, in partition order, and
  // forgets those that left. `position_of(partition)` gives a listed partition's position.
  template <class PositionOf>
  SessionFetchRequest next_request(PositionOf position_of) {
    SessionFetchRequest request;
    const auto list = [&](FetcherPartition& fetched) {
      request.partitions.push_back(position_of(fetched.partition));
      fetched.changed = false;
      fetched.in_session = true;
    };
    if (next_epoch == 0) {
      for (FetcherPartition& fetched : partitions.items()) list(fetched);
    } else {
      std::sort(changed.begin(), changed.end());
      for (const PartitionId partition : changed) {
        FetcherPartition* fetched = partitions.find(partition);
        if (fetched != nullptr && fetched->changed) list(*fetched);  // else left since, or listed already
      }
      request.forgotten = std::move(forgotten);
    }
    changed.clear();
    forgotten.clear();
    request.session_id = session_id;
    request.session_epoch = next_epoch++;
    request.request_id = ++request_id;
    in_flight = true;
    return request;
  }
};

}  // namespace ksim::kafka
