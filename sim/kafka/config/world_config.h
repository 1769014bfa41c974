#pragma once
// Everything a run needs, validated: the cluster, the producers and consumer groups
// around it, the network, the fault schedule, the phases and the bounds. The scenario
// loader produces it; World consumes it.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/core/simulator.h"
#include "sim/kafka/config/config.h"
#include "sim/kafka/config/consumer_config.h"
#include "sim/history/history.h"
#include "sim/net/link_impairment.h"
#include "sim/net/link_profile.h"

namespace ksim::kafka {

enum class FaultAction : std::uint8_t {
  crash,          // process crash of each target; restarts after `duration_ns` if > 0
  power_failure,  // machine power loss of each target broker; restarts after `duration_ns` if > 0
  restart,        // start each crashed target again
  pause,          // each target is alive but silent for `duration_ns` (a GC pause)
  partition,      // split the network into `groups` for `duration_ns` (0: until the drain)
  controlled_shutdown,  // each target broker moves its leaderships away, then stops; restarts after `duration_ns`
  network,        // impairs the directed links `links` (cut, latency, loss, bandwidth) for `duration_ns`
};

// A target named by its role, resolved when the fault fires (world_fault_targets.cpp).
struct RoleTarget {
  history::FaultRole role = history::FaultRole::none;
  std::uint32_t argument = 0;  // partition (leader, follower), group index, or the transactional producer's index
};

// What makes a fault fire when it has `when:` instead of `at:` (fault_triggers.h).
enum class TriggerKind : std::uint8_t {
  none,                        // fires at `at_ns`
  acknowledged_sends,          // the count-th acknowledged send
  isr_shrinks_to,              // the ISR of `partition` shrinks to `count` replicas
  leader_election,             // a leader elected (any partition, or `partition`) after the bootstrap
  transaction_prepare_commit,  // a transaction coordinator decides to commit (PrepareCommit)
  consumer_commit,             // a consumer (any group, or `group`) commits offsets
};

struct FaultTrigger {
  TriggerKind kind = TriggerKind::none;
  std::uint64_t count = 0;
  std::optional<std::uint32_t> partition;
  std::optional<std::uint32_t> group;  // consumer group index
  TimeNs delay_ns = 0;                 // the fault fires this long after its condition held
};

// A network fault: every directed link from a node of `from` to a node of `to` (a node
// never to itself), impaired while the fault is on. Flapping (flap_period_ns > 0): on for
// the first half of each period, off for the second, over `duration_ns`.
struct NetworkEndpoint {
  std::string name;               // a node name, or empty when `role` is set
  std::optional<RoleTarget> role;  // resolved when the fault turns on
};

struct NetworkFaultSpec {
  std::vector<NetworkEndpoint> from;
  std::vector<NetworkEndpoint> to;
  net::LinkImpairment impairment;
  TimeNs flap_period_ns = 0;
};

struct FaultSpec {
  TimeNs at_ns = 0;
  FaultAction action = FaultAction::crash;
  std::vector<std::string> targets;              // node names
  std::vector<std::vector<std::string>> groups;  // for partitions; unlisted nodes form one more group
  bool one_way = false;
  TimeNs duration_ns = 0;
  std::optional<RoleTarget> role = {};  // instead of targets
  FaultTrigger when = {};
  NetworkFaultSpec network = {};
};

// The random nemesis (nemesis.h): faults drawn per seed instead of written out.
struct NemesisSpec {
  std::vector<std::string> targets;    // node names faults may hit
  std::vector<std::string> all_nodes;  // every node, for partitions that isolate a target
  double crash_per_second = 0;
  double power_failure_per_second = 0;  // brokers only
  double pause_per_second = 0;
  double partition_per_second = 0;      // isolates the target from every other node
  TimeNs duration_ns = seconds(5);      // how long each fault lasts
  std::uint32_t max_faults = 1'000;     // bound on the faults one run may draw
};

// Kafka's connections are TCP: a lost packet is retransmitted (and delays everything
// behind it on the connection); only a broken connection (a partition, a crash, or
// every retransmission lost) loses a request or a response.
//
// The default one-way delay is not constant, as no real network's is: a lognormal with
// a mean of 1 ms (ln-mean 13.7705, sigma 0.3: median 0.96 ms, 1st percentile 0.48 ms,
// 99th 1.92 ms), clamped to [0.1 ms, 10 ms]. The 1 ms mean is the old constant default,
// about a one-way delay between availability zones of one region, where Kafka's rack-
// aware replicas usually sit (AWS's Regions and Availability Zones documentation
// promises "single-digit millisecond" latency between the AZs of a region).
// The lognormal shape is the right-skewed, long-tailed distribution datacenter
// measurements find (Guo et al., "Pingmesh", SIGCOMM 2015: intra-datacenter RTTs with
// a 99th percentile several times the median). Jitter is what lets messages sent in one
// order over different links arrive in another, e.g. keyless records on two partitions.
inline constexpr double kDefaultLatencyLnMean = 13.7705;  // ln(1e6 ns) - sigma^2 / 2: mean 1 ms
inline constexpr double kDefaultLatencySigma = 0.3;

inline net::LinkProfile tcp_link_profile() {
  net::LinkProfile profile;
  profile.latency.kind = net::LatencyKind::lognormal;
  profile.latency.lognormal_mu = kDefaultLatencyLnMean;
  profile.latency.lognormal_sigma = kDefaultLatencySigma;
  profile.latency.latency_ns_min = microseconds(100);
  profile.latency.latency_ns_max = milliseconds(10);
  profile.latency.mean_ns = milliseconds(1);  // the fallback of a `constant` latency without `mean`
  profile.fifo = true;
  profile.max_retransmissions = 15;
  profile.retransmission_timeout_ns = milliseconds(200);
  return profile;
}

// A link whose profile differs from its zone's: degraded or special paths.
struct LinkOverride {
  std::string from;
  std::string to;
  bool both_ways = true;
  net::LinkProfile profile;
};

struct WorldConfig {
  std::uint64_t seed = 1;
  ClusterConfig cluster;
  std::vector<ProducerWorkload> producers{ProducerWorkload{}};
  std::vector<ConsumerGroupConfig> consumer_groups{ConsumerGroupConfig{}};
  net::LinkProfile link_profile = tcp_link_profile();  // within a zone (or everywhere)
  std::map<std::string, std::string> zone_of;          // node name -> zone; brokers default to their rack
  std::optional<net::LinkProfile> inter_zone_profile;  // between zones; none: link_profile everywhere
  std::vector<LinkOverride> link_overrides;
  std::vector<FaultSpec> faults;
  std::optional<NemesisSpec> nemesis;  // drawn per seed by with_seed (nemesis.h)
  TimeNs workload_duration_ns = seconds(10);  // the workload phase; then the drain
  TimeNs drain_max_ns = seconds(120);         // bound on the drain phase
  RunLimits limits{50'000'000, seconds(3'600)};
  // Runs beyond memory (issue 19 item 3): a directory for the history's records, written
  // there block by block as the run goes; empty keeps them in memory. What the run does and
  // what the checker reads are the same either way.
  std::string history_spill_directory;
};

// The messages the producers' workloads offer in all (each producer of a workload its own).
inline std::uint64_t offered_messages(const WorldConfig& config) {
  std::uint64_t total = 0;
  for (const ProducerWorkload& producer : config.producers) total += producer.messages * producer.count;
  return total;
}

}  // namespace ksim::kafka
