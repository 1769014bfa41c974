// `when:` (a fault fired by a model event) and `kind: network` (a fault on a set of
// directed links).
#include <fmt/format.h>

#include "sim/kafka/config/topic_layout.h"
#include "sim/scenario/read_faults.h"

namespace ksim::scenario {

namespace {

constexpr TimeNs kMaxDelayNs = 86'400'000'000'000;  // 24 h
constexpr std::size_t kMaxEndpoints = 1'000;

void warn(MapReader& reader, std::string_view key, const std::string& message) {
  reader.context().warn(reader.location_of(key), reader.key_path(key), message);
}

kafka::TriggerKind trigger_kind(const std::string& event) {
  using kafka::TriggerKind;
  return event == "acknowledged-sends"           ? TriggerKind::acknowledged_sends
         : event == "isr-shrink"                 ? TriggerKind::isr_shrinks_to
         : event == "leader-election"            ? TriggerKind::leader_election
         : event == "transaction-prepare-commit" ? TriggerKind::transaction_prepare_commit
                                                 : TriggerKind::consumer_commit;
}

// The keys each event takes besides `event` and `delay`; any other is refused by finish().
void read_event_keys(MapReader& when, const kafka::WorldConfig& config, kafka::FaultTrigger& trigger) {
  using kafka::TriggerKind;
  // The partition's own topic (several topics: topic_layout.h); the first until one is named.
  const auto topic_of = [&](std::optional<std::uint32_t> partition) -> const kafka::TopicConfig& {
    return config.cluster.topics[partition ? kafka::topic_of_partition(config.cluster, PartitionId{*partition}) : 0];
  };
  switch (trigger.kind) {
    case TriggerKind::acknowledged_sends:
      trigger.count = when.required<std::uint64_t>("count", between<std::uint64_t>(1, 1'000'000'000'000));
      if (trigger.count > kafka::offered_messages(config)) {
        warn(when, "count", fmt::format("never fires: the producers send {} messages in all", kafka::offered_messages(config)));
      }
      return;
    case TriggerKind::isr_shrinks_to:
      trigger.partition = read_partition_name(when, "partition", config);
      trigger.count = when.required<std::uint64_t>("size", between<std::uint64_t>(0, 100));
      if (const std::uint32_t factor = topic_of(trigger.partition).replication_factor; trigger.count >= factor) {
        warn(when, "size", fmt::format("never fires: an ISR of replication.factor ({}) replicas is full, it can only "
                                       "shrink below that", factor));
      } else if (trigger.count == 0 && !config.cluster.broker.eligible_leader_replicas) {
        warn(when, "size", "never fires: without eligible leader replicas (KIP-966) the controller never empties an ISR");
      }
      return;
    case TriggerKind::leader_election:
      if (when.has("partition")) trigger.partition = read_partition_name(when, "partition", config);
      return;
    case TriggerKind::consumer_commit:
      if (config.consumer_groups.empty()) warn(when, "event", "never fires: the scenario has no consumer group");
      if (when.has("group")) {
        const std::string name = when.required<std::string>("group");
        for (std::uint32_t g = 0; g < config.consumer_groups.size(); ++g) {
          if (config.consumer_groups[g].name == name) trigger.group = g;
        }
        if (!trigger.group) when.report("group", fmt::format("no consumer group \"{}\"", name));
      }
      return;
    case TriggerKind::transaction_prepare_commit:
    case TriggerKind::none:
      return;
  }
}

}  // namespace

void read_when(MapReader& fault_reader, const kafka::WorldConfig& config, kafka::FaultSpec& fault) {
  MapReader when = fault_reader.map("when");
  const std::string event = when.required_enum(
      "event", {"acknowledged-sends", "isr-shrink", "leader-election", "transaction-prepare-commit", "consumer-commit"});
  fault.when.kind = trigger_kind(event);
  fault.when.delay_ns = when.optional<Duration>("delay", Duration{0}).ns;
  if (fault.when.delay_ns < 0 || fault.when.delay_ns > kMaxDelayNs) when.report("delay", "must be between 0 and 24h");
  if (!event.empty()) read_event_keys(when, config, fault.when);
  when.finish();
}

namespace {

// One side of a link set: node names, the sets brokers / producers / consumers / clients /
// all, the role words, or one-key role maps; each resolved to endpoints.
std::vector<kafka::NetworkEndpoint> read_endpoints(MapReader& reader, std::string_view key,
                                                   const kafka::WorldConfig& config) {
  const std::vector<std::string> names = node_names(config);
  SequenceReader list = reader.sequence(key);
  std::vector<kafka::NetworkEndpoint> out;
  auto add_if = [&](auto keep) {
    for (const std::string& name : names) {
      if (keep(name)) out.push_back({name, std::nullopt});
    }
  };
  const auto is_broker = [](const std::string& n) { return n.rfind("broker-", 0) == 0; };
  for (std::size_t i = 0; i < std::min(list.size(), kMaxEndpoints); ++i) {
    if (list.is_map(i)) {
      MapReader role = list.map(i);
      if (auto target = read_role_map(role, config)) out.push_back({"", *target});
      continue;
    }
    const std::string word = list.get<std::string>(i);
    if (word == "all") {
      add_if([](const std::string&) { return true; });
    } else if (word == "brokers") {
      add_if(is_broker);
    } else if (word == "clients") {
      add_if([&](const std::string& n) { return !is_controller_name(n) && !is_broker(n); });
    } else if (word == "controllers") {
      add_if(is_controller_name);
    } else if (word == "producers") {
      for (const auto& p : config.producers) {
        for (std::uint32_t k = 0; k < p.count; ++k) out.push_back({fmt::format("{}-{}", p.name, k), std::nullopt});
      }
    } else if (word == "consumers") {
      for (const auto& g : config.consumer_groups) {
        for (std::uint32_t k = 0; k < g.members; ++k) out.push_back({fmt::format("{}-{}", g.name, k), std::nullopt});
      }
    } else if (auto role = role_word(word); role && (word != "controller" || config.cluster.controllers > 1)) {
      out.push_back({"", *role});
    } else if (std::find(names.begin(), names.end(), word) != names.end()) {
      out.push_back({word, std::nullopt});
    } else {
      list.report(i, fmt::format("unknown node or set \"{}\"; write node names (controller, broker-1.., "
                                 "<group>-<i>), brokers, producers, consumers, clients, all, random-broker, "
                                 "random-client or a role map such as {{leader-of: events-0}}", word));
    }
  }
  if (list.size() == 0 || list.size() > kMaxEndpoints) {
    reader.report(key, fmt::format("list between 1 and {} nodes or sets", kMaxEndpoints));
  }
  return out;
}

}  // namespace

void read_network_fault(MapReader& reader, const kafka::WorldConfig& config, kafka::FaultSpec& fault) {
  kafka::NetworkFaultSpec& network = fault.network;
  network.from = read_endpoints(reader, "from", config);
  network.to = read_endpoints(reader, "to", config);
  network.impairment.cut = reader.optional<bool>("cut", false);
  network.impairment.added_latency_ns = reader.optional<Duration>("latency", Duration{0}).ns;
  network.impairment.loss_probability = reader.optional<Probability>("loss", Probability{0}).value;
  network.impairment.bandwidth_bytes_per_second = reader.optional<ByteSize>("bandwidth_per_second", ByteSize{0}).bytes;
  network.flap_period_ns = reader.optional<Duration>("flap_period", Duration{0}).ns;
  if (network.impairment.added_latency_ns < 0 || network.impairment.added_latency_ns > kMaxDelayNs) {
    reader.report("latency", "must be between 0 and 24h");
  }
  if (!network.impairment.cut && !network.impairment.any_effect_on_carry()) {
    reader.report("kind", "a network fault needs an effect: cut: true, latency, loss or bandwidth_per_second");
  }
  if (network.flap_period_ns < 0 || (reader.has("flap_period") && network.flap_period_ns < 2)) {
    reader.report("flap_period", "must be at least 2ns");
  } else if (network.flap_period_ns > 0 && fault.duration_ns <= 0) {
    reader.report("flap_period", "a flapping fault needs the `duration` it flaps for (> 0)");
  }
}

}  // namespace ksim::scenario
