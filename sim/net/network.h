#pragma once
// The lossy network at run time: decides the fate of each message (dropped, delivered
// once or twice, and when) over a fixed Topology, with partitions, link cuts and link
// degradation. It knows nothing of what the messages mean and schedules nothing itself:
// the caller turns the returned delivery times into events.
//
// Routing rule: a message between two nodes with a direct link always takes that link;
// if the link is cut the message is dropped (DropReason::partitioned), never rerouted,
// like a TCP connection that breaks. Only pairs without a direct link are routed: over
// the uncut links, by lowest sum of mean latency (Dijkstra); no route -> unreachable.
//
// Cuts act at send time only: a message already in flight when a partition starts is
// not recalled and arrives at its computed time; a multi-hop route is chosen, and its
// links' fates drawn, at send time.
#include <array>
#include <cstdint>
#include <map>
#include <utility>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "sim/core/sim_time.h"
#include "sim/net/link_impairment.h"
#include "sim/net/link_state.h"
#include "sim/net/partition.h"
#include "sim/net/routing.h"
#include "sim/net/topology.h"

namespace ksim::net {

enum class DropReason { none, loss, partitioned, unreachable };

std::string_view to_string(DropReason reason);

struct Delivery {
  TimeNs deliver_at_ns = 0;
  bool duplicate = false;
};

struct Transmission {
  std::uint8_t delivery_count = 0;  // 0 (dropped), 1, or 2 (duplicated)
  std::array<Delivery, 2> deliveries{};  // the original first, then its copy (which may arrive earlier on non-FIFO links)
  DropReason drop_reason = DropReason::none;
};

class Network {
 public:
  // Precondition: validate(topology) found no issue (the scenario layer reports them).
  Network(Topology topology, std::uint64_t root_seed);

  // Decides the fate of one message sent now from source to target. Each hop applies its
  // own profile: loss per hop (a loss anywhere drops the message and its copy), delays
  // summed, at most one copy made (by the first hop that duplicates; the copy then
  // travels the rest of the route on its own delays). source == target is a local
  // delivery at now_ns that touches no link.
  Transmission transmit(TimeNs now_ns, NodeId source, NodeId target, std::uint32_t size_bytes);

  // Splits the nodes into groups; symmetric cuts every link between different groups;
  // one_way cuts only links from group i to group j for i < j. Nodes in no group form an
  // implicit extra group after the listed ones. Returns an id for heal(); partitions may
  // overlap. Precondition: validate_partition_groups() found no issue.
  std::uint32_t add_partition(const PartitionGroups& groups, bool one_way);
  std::uint32_t cut_link(NodeId from, NodeId to);  // one directed link; precondition has_link
  void heal(std::uint32_t cut_id);                       // precondition: the cut is in force
  void heal_all();
  bool link_cut(NodeId from, NodeId to) const;  // false when there is no such link
  bool reachable(NodeId from, NodeId to) const;  // along uncut links, possibly multi-hop
  // Mutual-reachability classes over uncut links (see Router::components).
  std::vector<std::uint32_t> components() const;

  // Replaces a link's profile for a while (link degradation); the link keeps its stream,
  // loss state, queue and counters. Degrading twice keeps the first original for restore.
  // Precondition: has_link and validate(degraded) found no issue.
  void degrade_link(NodeId from, NodeId to, const LinkProfile& degraded);
  void restore_link(NodeId from, NodeId to);
  const LinkProfile& current_link_profile(NodeId from, NodeId to) const;

  // Impairs a set of directed links until end_impairment(id) or heal_all(); several may
  // overlap and compose (link_impairment.h). Pairs of nodes without a direct link, and a
  // node paired with itself, are skipped. Routing weights stay the links' own.
  std::uint32_t impair_links(std::span<const std::pair<NodeId, NodeId>> links, const LinkImpairment& impairment);
  void end_impairment(std::uint32_t impairment_id);  // precondition: in force
  // The composition of every impairment in force on the link (none: a default LinkImpairment).
  LinkImpairment link_impairment(NodeId from, NodeId to) const;

  const Topology& topology() const { return topology_; }
  const LinkCounters& counters(NodeId from, NodeId to) const;

 private:
  static constexpr LinkId kNoLink = 0xFFFF'FFFF;
  LinkId link_between(NodeId from, NodeId to) const;  // kNoLink when there is none
  LinkId require_link(NodeId from, NodeId to) const;
  Transmission carry(TimeNs now_ns, std::span<const LinkId> path, std::uint32_t size_bytes);
  std::optional<std::vector<LinkId>> route(NodeId source, NodeId target) const;
  std::uint64_t generation() const { return cuts_.generation() + profile_generation_; }

  struct ActiveImpairment {
    std::vector<LinkId> links;
    LinkImpairment impairment;
    std::uint32_t cut_id = 0;  // 0: it cuts nothing
  };
  // Recomputes the composed impairment of each link (id order: deterministic).
  void recompose(const std::vector<LinkId>& links);
  // The profile a link carries with under its bandwidth cap (a copy in `scratch` if capped).
  const LinkProfile& carrying_profile(LinkId link, LinkProfile& scratch) const;

  Topology topology_;
  std::uint64_t root_seed_ = 0;
  std::vector<LinkId> link_by_pair_;          // from * node_count + to -> link id, O(1) lookup
  std::vector<LinkState> links_;              // by link id
  std::vector<LinkProfile> profiles_;         // current profile by link id (degraded or not)
  std::vector<double> route_weights_;         // mean latency estimate by link id
  std::uint64_t profile_generation_ = 0;      // bumped on degrade/restore
  CutRegistry cuts_;
  std::map<std::uint32_t, ActiveImpairment> impairments_;  // by id, in force
  std::vector<LinkImpairment> composed_;                   // by link id; empty until the first impairment
  std::uint32_t next_impairment_id_ = 1;
  mutable Router router_;                     // a cache; routing does not change what the network is
};

}  // namespace ksim::net
