#include <algorithm>

#include <fmt/format.h>

#include "sim/scenario/read_world.h"

namespace ksim::scenario {

namespace {

void read_latency(MapReader& reader, net::LatencyDistribution& latency) {
  const std::string kind = reader.optional_enum(
      "distribution", {"constant", "uniform", "exponential", "normal", "lognormal", "pareto"}, "constant");
  auto duration = [&](std::string_view key, TimeNs fallback) {
    return reader.optional<Duration>(key, Duration{fallback}).ns;
  };
  if (kind == "constant" || kind == "exponential" || kind == "normal") {
    latency.kind = kind == "constant"      ? net::LatencyKind::constant
                   : kind == "exponential" ? net::LatencyKind::exponential
                                           : net::LatencyKind::normal;
    latency.mean_ns = duration("mean", latency.mean_ns);
    if (kind == "normal") latency.stddev_ns = reader.required<Duration>("stddev").ns;
  } else if (kind == "uniform") {
    latency.kind = net::LatencyKind::uniform;
    latency.uniform_low_ns = reader.required<Duration>("low").ns;
    latency.uniform_high_ns = reader.required<Duration>("high").ns;
  } else if (kind == "lognormal") {
    latency.kind = net::LatencyKind::lognormal;
    latency.lognormal_mu = reader.required<double>("mu");
    latency.lognormal_sigma = reader.required<double>("sigma");
  } else {
    latency.kind = net::LatencyKind::pareto;
    latency.pareto_scale_ns = reader.required<Duration>("scale").ns;
    latency.pareto_shape = reader.required<double>("shape");
  }
  // A latency map states a whole distribution: the clamps of the profile it starts from
  // (the default's [0.1 ms, 10 ms]) would silently cut `constant, mean: 20ms` to 10 ms.
  const net::LatencyDistribution unclamped;
  latency.latency_ns_min = duration("min", unclamped.latency_ns_min);
  latency.latency_ns_max = duration("max", unclamped.latency_ns_max);
  reader.finish();
}

void read_loss(MapReader& reader, net::LossModel& loss) {
  const std::string model =
      reader.optional_enum("model", {"independent", "gilbert-elliott", "correlated"}, "independent");
  auto probability = [&](std::string_view key, double fallback) {
    return reader.optional<Probability>(key, Probability{fallback}).value;
  };
  if (model == "gilbert-elliott") {
    loss.kind = net::LossModelKind::gilbert_elliott;
    loss.good_to_bad_probability = reader.required<Probability>("good_to_bad").value;
    loss.bad_to_good_probability = reader.required<Probability>("bad_to_good").value;
    loss.loss_probability_good = probability("loss_good", 0);
    loss.loss_probability_bad = probability("loss_bad", 1);
  } else {
    loss.kind = model == "correlated" ? net::LossModelKind::correlated : net::LossModelKind::independent;
    loss.loss_probability = reader.required<Probability>("probability").value;
    if (model == "correlated") loss.loss_correlation = reader.required<Probability>("correlation").value;
  }
  reader.finish();
}

}  // namespace

namespace {

// The keys of one link profile, read on top of `profile` (so a zone or link override
// starts from the network's default profile and changes only what it names).
void read_profile(MapReader& reader, net::LinkProfile& profile) {
  if (auto latency = reader.optional_map("latency")) read_latency(*latency, profile.latency);
  // `loss: 1%` is independent loss; `loss_model:` describes bursty loss.
  if (reader.has("loss")) {
    profile.loss = net::LossModel{};
    profile.loss.loss_probability = reader.optional<Probability>("loss", Probability{0}).value;
  }
  if (auto loss = reader.optional_map("loss_model")) {
    if (reader.has("loss")) reader.report("loss_model", "give either loss or loss_model, not both");
    read_loss(*loss, profile.loss);
  }
  if (reader.has("transport")) {
    const std::string transport = reader.optional_enum("transport", {"tcp", "udp"}, "tcp");
    profile.fifo = transport == "tcp";
    profile.max_retransmissions = transport == "tcp" ? kafka::tcp_link_profile().max_retransmissions : 0;
  }
  profile.max_retransmissions = static_cast<std::uint32_t>(reader.optional<std::uint64_t>(
      "max_retransmissions", profile.max_retransmissions, Range<std::uint64_t>{0, 100}));
  profile.retransmission_timeout_ns =
      reader.optional<Duration>("retransmission_timeout", Duration{profile.retransmission_timeout_ns}).ns;
  profile.duplicate_probability =
      reader.optional<Probability>("duplicate", Probability{profile.duplicate_probability}).value;
  profile.bandwidth_bytes_per_second =
      reader.optional<ByteSize>("bandwidth_per_second", ByteSize{profile.bandwidth_bytes_per_second}).bytes;
  for (const ConfigIssue& issue : net::validate(profile, "")) reader.report("latency", issue.message);
}

bool known_node(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

void read_network(MapReader& network, kafka::WorldConfig& config) {
  read_profile(network, config.link_profile);
  const std::vector<std::string> names = node_names(config);
  if (auto zones = network.optional_map("zones")) {
    for (const std::string& zone : zones->keys()) {
      SequenceReader members = zones->sequence(zone);
      for (std::size_t i = 0; i < members.size(); ++i) {
        const std::string name = members.get<std::string>(i);
        if (!known_node(names, name)) {
          members.report(i, fmt::format("unknown node \"{}\"", name));
        } else if (config.zone_of.count(name) != 0) {
          members.report(i, fmt::format("node \"{}\" is already in zone \"{}\"", name, config.zone_of[name]));
        } else {
          config.zone_of[name] = zone;
        }
      }
    }
    zones->finish();
  }
  if (auto inter_zone = network.optional_map("inter_zone")) {
    net::LinkProfile profile = config.link_profile;
    read_profile(*inter_zone, profile);
    inter_zone->finish();
    config.inter_zone_profile = profile;
  }
  if (auto links = network.optional_sequence("links")) {
    for (std::size_t i = 0; i < links->size() && i < 10'000; ++i) {
      MapReader link = links->map(i);
      kafka::LinkOverride override_spec;
      override_spec.from = link.required<std::string>("from");
      override_spec.to = link.required<std::string>("to");
      override_spec.both_ways = link.optional<bool>("both_ways", true);
      for (const char* key : {"from", "to"}) {
        const std::string& name = std::string(key) == "from" ? override_spec.from : override_spec.to;
        if (!name.empty() && !known_node(names, name)) link.report(key, fmt::format("unknown node \"{}\"", name));
      }
      if (override_spec.from == override_spec.to) link.report("to", "a link joins two different nodes");
      override_spec.profile = config.link_profile;
      read_profile(link, override_spec.profile);
      link.finish();
      config.link_overrides.push_back(override_spec);
    }
  }
  network.finish();
}

}  // namespace ksim::scenario
