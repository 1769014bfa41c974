#pragma once
// --shard K/N: the K-th of N contiguous slices of a numbered range (sweep's seeds,
// swarm's runs), so N machines together run exactly the unsharded range.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "sim/scenario/input_error.h"

namespace ksim::cli {

struct Shard {
  std::uint64_t index = 1;  // 1-based
  std::uint64_t count = 1;
};

std::optional<Shard> parse_shard(const std::string& text, scenario::InputErrors& errors);

// The K-th slice of first..last as (first, last); nullopt when it is empty (the last
// slices are when there are fewer numbers than shards).
std::optional<std::pair<std::uint64_t, std::uint64_t>> shard_span(std::uint64_t first, std::uint64_t last, Shard shard);

}  // namespace ksim::cli
