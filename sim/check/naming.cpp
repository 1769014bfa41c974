#include "sim/check/naming.h"

#include <fmt/format.h>

namespace ksim::check {

std::string node_name(const history::History& history, std::uint32_t node) {
  if (node < history.nodes.size()) return history.nodes[node].name;
  if (node == history::kNoNode) return "no node";
  return fmt::format("node-{}", node);
}

std::string partition_name(const history::History& history, std::uint32_t partition) {
  if (partition < history.partitions.size()) {
    const auto& entry = history.partitions[partition];
    return fmt::format("{}-{}", entry.topic, entry.index);
  }
  return fmt::format("partition-{}", partition);
}

std::string group_name(const history::History& history, std::uint32_t group) {
  if (group < history.groups.size()) return history.groups[group].name;
  return fmt::format("group-{}", group);
}

std::string seconds_text(TimeNs time_ns) {
  // Integer arithmetic: the same text on every compiler and libc.
  const TimeNs ms = time_ns / kNanosecondsPerMillisecond;
  const char* sign = ms < 0 ? "-" : "";
  const TimeNs abs_ms = ms < 0 ? -ms : ms;
  return fmt::format("{}{}.{:03} s", sign, abs_ms / 1000, abs_ms % 1000);
}

}  // namespace ksim::check
