#pragma once
// The typed results model, part 5: --shard K/N slices of a numbered range (sweep's seeds,
// swarm's runs), and the order in which the runs of several slices form the unsharded
// result, so N machines together give exactly the result of one.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/run/run_figures.h"
#include "sim/run/vary_points.h"

namespace ksim::run {

struct Shard {
  std::uint64_t index = 1;  // 1-based
  std::uint64_t count = 1;
  bool operator==(const Shard&) const = default;
};

// The K-th of N contiguous slices of first..last as (first, last); nullopt when it is empty
// (the last slices are when there are fewer numbers than shards).
std::optional<std::pair<std::uint64_t, std::uint64_t>> shard_span(std::uint64_t first, std::uint64_t last, Shard shard);

// The positions of `runs` (several slices' runs, concatenated) in the order of the
// unsharded sweep: by the --vary value's place in `vary_values` (runs without one first),
// then by the mode's place in `modes` (modes not in it last), then by seed; ties keep
// their order.
std::vector<std::size_t> unsharded_order(const std::vector<std::string>& modes, const std::vector<VaryValue>& vary_values,
                                         const std::vector<RunFigures>& runs);

// Groups parts by identity (a scenario's name and file): for each distinct identity, in
// order of first appearance, the indexes of the parts that have it.
std::vector<std::vector<std::size_t>> group_by_identity(const std::vector<std::pair<std::string, std::string>>& identities);

}  // namespace ksim::run
