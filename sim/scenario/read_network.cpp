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
  latency.latency_ns_min = duration("min", latency.latency_ns_min);
  latency.latency_ns_max = duration("max", latency.latency_ns_max);
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

void read_network(MapReader& network, net::LinkProfile& profile) {
  if (auto latency = network.optional_map("latency")) read_latency(*latency, profile.latency);
  // `loss: 1%` is independent loss; `loss_model:` describes bursty loss.
  profile.loss.loss_probability = network.optional<Probability>("loss", Probability{0}).value;
  if (auto loss = network.optional_map("loss_model")) {
    if (network.has("loss")) network.report("loss_model", "give either loss or loss_model, not both");
    read_loss(*loss, profile.loss);
  }
  const std::string transport = network.optional_enum("transport", {"tcp", "udp"}, "tcp");
  profile.fifo = transport == "tcp";
  profile.max_retransmissions = transport == "tcp" ? profile.max_retransmissions : 0;
  profile.max_retransmissions = static_cast<std::uint32_t>(network.optional<std::uint64_t>(
      "max_retransmissions", profile.max_retransmissions, Range<std::uint64_t>{0, 100}));
  profile.retransmission_timeout_ns =
      network.optional<Duration>("retransmission_timeout", Duration{profile.retransmission_timeout_ns}).ns;
  profile.duplicate_probability = network.optional<Probability>("duplicate", Probability{0}).value;
  profile.bandwidth_bytes_per_second = network.optional<ByteSize>("bandwidth_per_second", ByteSize{0}).bytes;
  for (const ConfigIssue& issue : net::validate(profile, "")) network.report("latency", issue.message);
  network.finish();
}

}  // namespace ksim::scenario
