#include "reports/timeline_json.h"

#include <map>
#include <tuple>

#include <fmt/format.h>

#include "sim/history/records.h"

namespace ksim::reports {

namespace {

using history::FaultKind;
using history::Record;
using history::RecordKind;

std::string node_name(const history::History& history, std::uint32_t node) {
  return node < history.nodes.size() ? history.nodes[node].name : "network";
}

std::string partition_name(const history::History& history, std::uint32_t partition) {
  if (partition >= history.partitions.size()) return fmt::format("partition-{}", partition);
  return fmt::format("{}-{}", history.partitions[partition].topic, history.partitions[partition].index);
}

// How a role-targeted fault's node was chosen ("leader of events-0"); "" for a named node.
std::string role_text(const history::History& history, const history::FaultRecord& fault) {
  using history::FaultRole;
  switch (fault.role) {
    case FaultRole::none: return "";
    case FaultRole::leader: return "leader of " + partition_name(history, fault.argument);
    case FaultRole::follower: return "follower of " + partition_name(history, fault.argument);
    case FaultRole::controller: return "controller";
    case FaultRole::group_coordinator:
      return fault.argument < history.groups.size() ? "coordinator of group " + history.groups[fault.argument].name
                                                    : "group coordinator";
    case FaultRole::transaction_coordinator: return "transaction coordinator";
    case FaultRole::random_broker: return "random broker";
    case FaultRole::random_client: return "random client";
  }
  return "";
}

std::string network_text(std::uint64_t effects) {
  std::string text = "network";
  if (effects & history::kNetworkCut) text += " cut";
  if (effects & history::kNetworkLatency) text += " latency";
  if (effects & history::kNetworkLoss) text += " loss";
  if (effects & history::kNetworkBandwidth) text += " bandwidth";
  return text;
}

struct OpenBand {
  TimeNs start_ns = 0;
  std::string kind;
  std::string role;  // role_text, "" for a named node
};

void close_band(const history::History& history, std::uint32_t node, const OpenBand& band, TimeNs end_ns,
                nlohmann::json& bands) {
  // A network fault covers links, not one node: "" draws it across every row.
  nlohmann::json entry = {{"start_ns", band.start_ns}, {"end_ns", end_ns}, {"kind", band.kind},
                          {"node", node == history::kNoNode ? std::string() : node_name(history, node)}};
  if (!band.role.empty()) entry["target"] = band.role;
  bands.push_back(std::move(entry));
}

nlohmann::json fault_bands(const history::History& history) {
  nlohmann::json bands = nlohmann::json::array();
  std::map<std::uint32_t, OpenBand> open;                       // node -> band
  std::vector<std::pair<TimeNs, std::string>> open_partitions;  // (start, first node)
  std::map<std::uint32_t, OpenBand> open_network;               // fault index -> band
  for (const Record& record : history.records) {
    if (record.kind != RecordKind::fault) continue;
    const history::FaultRecord fault = history::as_fault(record);
    const auto kind = fault.fault;
    switch (kind) {
      case FaultKind::crash:
      case FaultKind::power_failure:
      case FaultKind::shutdown:
        open[record.node] = {record.time_ns,
                             kind == FaultKind::crash           ? "crash"
                             : kind == FaultKind::power_failure ? "power-failure"
                                                                : "controlled-shutdown",
                             role_text(history, fault)};
        break;
      case FaultKind::pause_begin:
        open[record.node] = {record.time_ns, "pause", role_text(history, fault)};
        break;
      case FaultKind::restart:
      case FaultKind::pause_end:
        if (const auto found = open.find(record.node); found != open.end()) {
          close_band(history, record.node, found->second, record.time_ns, bands);
          open.erase(found);
        }
        break;
      case FaultKind::network_begin:
        open_network[fault.argument] = {record.time_ns, network_text(fault.effects), ""};
        break;
      case FaultKind::network_end:
        if (const auto found = open_network.find(fault.argument); found != open_network.end()) {
          close_band(history, history::kNoNode, found->second, record.time_ns, bands);
          open_network.erase(found);
        }
        break;
      case FaultKind::partition_begin:
        open_partitions.emplace_back(record.time_ns, node_name(history, record.node));
        break;
      case FaultKind::partition_end:
        if (!open_partitions.empty()) {
          bands.push_back({{"start_ns", open_partitions.front().first}, {"end_ns", record.time_ns},
                           {"kind", "partition"}, {"node", open_partitions.front().second}});
          open_partitions.erase(open_partitions.begin());
        }
        break;
    }
  }
  for (const auto& [node, band] : open) close_band(history, node, band, history.end_ns, bands);
  for (const auto& [fault, band] : open_network) close_band(history, history::kNoNode, band, history.end_ns, bands);
  for (const auto& [start, node] : open_partitions) {
    bands.push_back({{"start_ns", start}, {"end_ns", history.end_ns}, {"kind", "partition"}, {"node", node}});
  }
  return bands;
}

nlohmann::json elections(const history::History& history) {
  nlohmann::json out = nlohmann::json::array();
  for (const Record& record : history.records) {
    if (record.kind == RecordKind::controller_elected) {  // a KRaft controller failover, as a tick of its own
      out.push_back({{"t_ns", record.time_ns}, {"partition", "controller quorum"},
                     {"leader", node_name(history, record.node)}, {"epoch", record.epoch}, {"unclean", false}});
      continue;
    }
    if (record.kind != RecordKind::leader_elected) continue;
    out.push_back({{"t_ns", record.time_ns},
                   {"partition", partition_name(history, record.partition)},
                   {"leader", record.node == history::kNoNode ? nlohmann::json(nullptr)
                                                              : nlohmann::json(node_name(history, record.node))},
                   {"epoch", record.epoch},
                   {"unclean", record.detail == 1}});
  }
  return out;
}

const char* event_kind(RecordKind kind) {
  switch (kind) {
    case RecordKind::send:
      return "send";
    case RecordKind::send_attempt:
      return "attempt";
    case RecordKind::append:
      return "append";
    case RecordKind::send_acknowledged:
      return "ack";
    case RecordKind::send_failed:
      return "fail";
    case RecordKind::poll:
      return "poll";
    case RecordKind::effect_applied:
      return "effect";
    case RecordKind::effect_skipped:
      return "skip";
    default:
      return nullptr;
  }
}

// Where each flagged message sits: (broker, partition) -> [(offset, line)].
using Placements = std::map<std::pair<std::uint32_t, std::uint32_t>, std::vector<std::pair<std::int64_t, std::size_t>>>;

// A follower's range copies the source replica's entries: each flagged message the source
// holds in the range gets an append on the follower, as a per-message append would show it.
void replicate_placed(const history::History& history, const Record& range, Placements& placed, nlohmann::json& lines) {
  const auto source = placed.find({static_cast<std::uint32_t>(range.message_id), range.partition});
  if (source == placed.end()) return;
  std::vector<std::pair<std::int64_t, std::size_t>> copied;
  for (const auto& [offset, line] : source->second) {
    if (offset >= range.offset && static_cast<std::uint64_t>(offset - range.offset) < range.extra) copied.emplace_back(offset, line);
  }
  for (const auto& [offset, line] : copied) {
    lines[line]["events"].push_back(
        {{"t_ns", range.time_ns}, {"kind", "append"}, {"node", node_name(history, range.node)}, {"offset", offset}});
    placed[{range.node, range.partition}].emplace_back(offset, line);
  }
}

}  // namespace

nlohmann::json timeline_to_json(const history::History& history, const std::string& mode, std::uint64_t seed,
                                const std::vector<FlaggedMessage>& messages) {
  std::map<std::uint64_t, std::size_t> wanted;  // message id -> index in `out`
  nlohmann::json lines = nlohmann::json::array();
  for (const FlaggedMessage& message : messages) {
    wanted[message.message_id] = lines.size();
    lines.push_back({{"message_id", message.message_id}, {"status", message.status}, {"cause", message.cause},
                     {"explanation", message.explanation},
                     {"events", nlohmann::json::array()}});
  }
  Placements placed;
  for (const Record& record : history.records) {
    if (record.kind == RecordKind::truncate) {
      auto found = placed.find({record.node, record.partition});
      if (found == placed.end()) continue;
      auto& entries = found->second;
      for (auto it = entries.begin(); it != entries.end();) {
        if (it->first >= record.offset) {
          lines[it->second]["events"].push_back(
              {{"t_ns", record.time_ns}, {"kind", "truncate"}, {"node", node_name(history, record.node)}, {"offset", it->first}});
          it = entries.erase(it);
        } else {
          ++it;
        }
      }
      continue;
    }
    if (record.kind == RecordKind::follower_append_range) {
      replicate_placed(history, record, placed, lines);
      continue;
    }
    const char* kind = event_kind(record.kind);
    if (kind == nullptr) continue;
    const auto found = wanted.find(record.message_id);
    if (found == wanted.end()) continue;
    nlohmann::json event = {{"t_ns", record.time_ns}, {"kind", kind}, {"node", node_name(history, record.node)}};
    if (record.offset >= 0 && record.kind != RecordKind::send && record.kind != RecordKind::send_attempt) {
      event["offset"] = record.offset;
    }
    if (record.kind == RecordKind::append) placed[{record.node, record.partition}].emplace_back(record.offset, found->second);
    lines[found->second]["events"].push_back(std::move(event));
  }
  return {{"mode", mode}, {"seed", seed}, {"end_ns", history.end_ns}, {"faults", fault_bands(history)},
          {"elections", elections(history)}, {"messages", lines}};
}

}  // namespace ksim::reports
