#include "sim/net/network.h"

#include <algorithm>

#include "sim/core/assert.h"

namespace ksim::net {

namespace {

// Routing weight of a link: its mean latency, capped so a Pareto link without a finite
// mean stays usable by Dijkstra (which treats its numeric max as "unreached").
double route_weight(const LinkProfile& profile) { return std::min(profile.latency.mean_latency_ns_estimate(), 1e18); }

}  // namespace

std::string_view to_string(DropReason reason) {
  switch (reason) {
    case DropReason::none: return "none";
    case DropReason::loss: return "loss";
    case DropReason::partitioned: return "partitioned";
    case DropReason::unreachable: return "unreachable";
  }
  return "unknown";
}

Network::Network(Topology topology, std::uint64_t root_seed)
    : topology_(std::move(topology)), root_seed_(root_seed), cuts_(topology_.link_count()), router_(topology_.node_count()) {
  const ConfigIssues issues = validate(topology_);
  KSIM_ASSERT(issues.empty(), "Network built on an unvalidated topology: {}: {}", issues.front().key_path,
              issues.front().message);
  const std::size_t count = topology_.node_count();
  link_by_pair_.assign(count * count, kNoLink);
  links_.reserve(topology_.link_count());
  for (LinkId id = 0; id < topology_.link_count(); ++id) {
    const Link& link = topology_.link_by_id(id);
    link_by_pair_[link.from.index() * count + link.to.index()] = id;
    // Named by the endpoints, not by index, so adding a node leaves other links' draws alone.
    links_.emplace_back(root_seed, "net.link." + topology_.node(link.from).name + ">" + topology_.node(link.to).name);
    profiles_.push_back(link.profile);
    route_weights_.push_back(route_weight(link.profile));
  }
}

LinkId Network::link_between(NodeId from, NodeId to) const {
  const std::size_t count = topology_.node_count();
  KSIM_ASSERT(from.index() < count && to.index() < count, "node index {} or {} out of range ({} nodes)", from, to, count);
  return link_by_pair_[from.index() * count + to.index()];
}

LinkId Network::require_link(NodeId from, NodeId to) const {
  const LinkId link = link_between(from, to);
  KSIM_ASSERT(link != kNoLink, "no link {} > {}", topology_.node(from).name, topology_.node(to).name);
  return link;
}

Transmission Network::transmit(TimeNs now_ns, NodeId source, NodeId target, std::uint32_t size_bytes) {
  KSIM_ASSERT(now_ns >= 0, "transmit at negative time {} ns", now_ns);
  const LinkId direct = link_between(source, target);
  if (source == target) return Transmission{1, {Delivery{now_ns, false}, Delivery{}}, DropReason::none};
  if (direct != kNoLink) {
    if (cuts_.cut(direct)) {
      ++links_[direct].counters().cut;
      return Transmission{0, {}, DropReason::partitioned};
    }
    return carry(now_ns, std::span<const LinkId>(&direct, 1), size_bytes);
  }
  const auto path = route(source, target);
  if (!path) return Transmission{0, {}, DropReason::unreachable};
  return carry(now_ns, *path, size_bytes);
}

Transmission Network::carry(TimeNs now_ns, std::span<const LinkId> path, std::uint32_t size_bytes) {
  std::array<TimeNs, 2> at_ns{now_ns, 0};  // where the original and its copy are, in time
  std::uint8_t copies = 1;
  for (const LinkId link : path) {
    LinkState& state = links_[link];
    LinkProfile capped_scratch;
    const LinkProfile& profile = carrying_profile(link, capped_scratch);
    ++state.counters().sent;
    const HopDraws draws = state.draw(profile);
    const std::optional<TimeNs> fast_retransmit_ns =
        draws.lost ? state.fast_retransmit_delay_ns(profile, at_ns[0], draws.latency_ns) : std::nullopt;
    state.note_send(at_ns[0]);
    TimeNs retransmission_ns = 0;
    if (draws.lost) {
      const std::optional<TimeNs> delay_ns = state.retransmission_delay_ns(profile, fast_retransmit_ns);
      if (!delay_ns) {
        ++state.counters().lost;
        return Transmission{0, {}, DropReason::loss};
      }
      ++state.counters().retransmitted;
      retransmission_ns = *delay_ns;
    }
    const TimeNs left_ns = state.serialize(profile, saturating_add_ns(at_ns[0], retransmission_ns), size_bytes);
    std::array<TimeNs, 2> next_ns{state.propagate(profile, left_ns, draws.latency_ns), 0};
    if (copies == 2) {
      // A copy made upstream queues and travels on its own.
      next_ns[1] = state.propagate(profile, state.serialize(profile, at_ns[1], size_bytes), draws.copy_latency_ns);
    } else if (draws.duplicated) {
      // The link clones the message as it leaves: no second serialization.
      ++state.counters().duplicated;
      copies = 2;
      next_ns[1] = state.propagate(profile, left_ns, draws.copy_latency_ns);
    }
    state.counters().delivered += copies;
    at_ns = next_ns;
  }
  Transmission result{copies, {Delivery{at_ns[0], false}, Delivery{}}, DropReason::none};
  if (copies == 2) result.deliveries[1] = Delivery{at_ns[1], true};
  return result;
}

std::optional<std::vector<LinkId>> Network::route(NodeId source, NodeId target) const {
  return router_.route(topology_, source, target, cuts_, route_weights_, generation());
}

std::uint32_t Network::add_partition(const PartitionGroups& groups, bool one_way) {
  const ConfigIssues issues = validate_partition_groups(groups, topology_.node_count(), "partition");
  KSIM_ASSERT(issues.empty(), "add_partition with unvalidated groups: {}", issues.front().message);
  std::vector<LinkId> links;
  for (const auto& [from, to] : partition_cut_pairs(groups, topology_.node_count(), one_way)) {
    const LinkId link = link_between(from, to);
    if (link != kNoLink) links.push_back(link);
  }
  return cuts_.add(std::move(links));
}

std::uint32_t Network::cut_link(NodeId from, NodeId to) { return cuts_.add({require_link(from, to)}); }

void Network::heal(std::uint32_t cut_id) { cuts_.heal(cut_id); }

void Network::heal_all() {
  while (!impairments_.empty()) end_impairment(impairments_.begin()->first);  // before the cuts: each heals its own
  cuts_.heal_all();
}

std::uint32_t Network::impair_links(std::span<const std::pair<NodeId, NodeId>> pairs,
                                    const LinkImpairment& impairment) {
  KSIM_ASSERT(impairment.added_latency_ns >= 0 && impairment.loss_probability >= 0 &&
                  impairment.loss_probability <= 1,
              "impairment with latency {} ns and loss {} (the scenario loader validates them)",
              impairment.added_latency_ns, impairment.loss_probability);
  ActiveImpairment active{{}, impairment, 0};
  for (const auto& [from, to] : pairs) {
    const LinkId link = from == to ? kNoLink : link_between(from, to);
    if (link != kNoLink) active.links.push_back(link);
  }
  if (impairment.cut) active.cut_id = cuts_.add(active.links);
  if (composed_.empty()) composed_.assign(links_.size(), LinkImpairment{});
  const std::uint32_t id = next_impairment_id_++;
  const std::vector<LinkId> links = active.links;
  impairments_.emplace(id, std::move(active));
  recompose(links);
  return id;
}

void Network::end_impairment(std::uint32_t impairment_id) {
  const auto found = impairments_.find(impairment_id);
  KSIM_ASSERT(found != impairments_.end(), "impairment {} is not in force", impairment_id);
  const std::vector<LinkId> links = std::move(found->second.links);
  if (found->second.cut_id != 0) cuts_.heal(found->second.cut_id);
  impairments_.erase(found);
  recompose(links);
}

void Network::recompose(const std::vector<LinkId>& links) {
  for (const LinkId link : links) composed_[link] = LinkImpairment{};
  for (const auto& [id, active] : impairments_) {
    for (const LinkId link : active.links) composed_[link] = compose(composed_[link], active.impairment);
  }
  for (const LinkId link : links) {
    const Link& ends = topology_.link_by_id(link);
    links_[link].set_impairment(composed_[link].added_latency_ns, composed_[link].loss_probability, root_seed_,
                                "net.impairment." + topology_.node(ends.from).name + ">" + topology_.node(ends.to).name);
  }
}

const LinkProfile& Network::carrying_profile(LinkId link, LinkProfile& scratch) const {
  if (composed_.empty() || composed_[link].bandwidth_bytes_per_second == 0) return profiles_[link];
  scratch = profiles_[link];
  scratch.bandwidth_bytes_per_second =
      capped_bandwidth(scratch.bandwidth_bytes_per_second, composed_[link].bandwidth_bytes_per_second);
  return scratch;
}

LinkImpairment Network::link_impairment(NodeId from, NodeId to) const {
  const LinkId link = link_between(from, to);
  if (link == kNoLink || composed_.empty()) return {};
  return composed_[link];
}

bool Network::link_cut(NodeId from, NodeId to) const {
  const LinkId link = link_between(from, to);
  return link != kNoLink && cuts_.cut(link);
}

bool Network::reachable(NodeId from, NodeId to) const { return route(from, to).has_value(); }

std::vector<std::uint32_t> Network::components() const { return Router::components(topology_, cuts_); }

void Network::degrade_link(NodeId from, NodeId to, const LinkProfile& degraded) {
  const LinkId link = require_link(from, to);
  KSIM_ASSERT(validate(degraded, "degraded").empty(), "degrade_link {} > {} with an unvalidated profile",
              topology_.node(from).name, topology_.node(to).name);
  profiles_[link] = degraded;
  route_weights_[link] = route_weight(degraded);
  ++profile_generation_;
}

void Network::restore_link(NodeId from, NodeId to) {
  const LinkId link = require_link(from, to);
  profiles_[link] = topology_.link_by_id(link).profile;
  route_weights_[link] = route_weight(profiles_[link]);
  ++profile_generation_;
}

const LinkProfile& Network::current_link_profile(NodeId from, NodeId to) const {
  return profiles_[require_link(from, to)];
}

const LinkCounters& Network::counters(NodeId from, NodeId to) const {
  return links_[require_link(from, to)].counters();
}

}  // namespace ksim::net
