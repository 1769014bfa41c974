#pragma once
// How explanations name things: nodes by their history.nodes name, partitions as
// topic-index, times in seconds with 3 decimals.
#include <cstdint>
#include <string>

#include "sim/core/sim_time.h"
#include "sim/history/history.h"

namespace ksim::check {

std::string node_name(const history::History& history, std::uint32_t node);
std::string partition_name(const history::History& history, std::uint32_t partition);
std::string group_name(const history::History& history, std::uint32_t group);
std::string seconds_text(TimeNs time_ns);  // "5.210 s"

}  // namespace ksim::check
