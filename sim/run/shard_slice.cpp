#include "sim/run/shard_slice.h"

#include <algorithm>
#include <numeric>
#include <tuple>

namespace ksim::run {

std::optional<std::pair<std::uint64_t, std::uint64_t>> shard_span(std::uint64_t first, std::uint64_t last, Shard shard) {
  const std::uint64_t total = last - first + 1;
  const std::uint64_t begin = (shard.index - 1) * total / shard.count;
  const std::uint64_t end = shard.index * total / shard.count;
  if (begin == end) return std::nullopt;
  return std::make_pair(first + begin, first + end - 1);
}

std::vector<std::size_t> unsharded_order(const std::vector<std::string>& modes, const std::vector<VaryValue>& vary_values,
                                         const std::vector<RunFigures>& runs) {
  const auto position = [&](std::size_t i) {
    const auto mode = std::find(modes.begin(), modes.end(), runs[i].mode);
    const auto value = std::find_if(vary_values.begin(), vary_values.end(),
                                    [&](const VaryValue& v) { return runs[i].vary_value == v.text; });
    const std::size_t value_index = runs[i].vary_value ? static_cast<std::size_t>(value - vary_values.begin()) + 1 : 0;
    return std::make_tuple(value_index, static_cast<std::size_t>(mode - modes.begin()), runs[i].seed);
  };
  std::vector<std::size_t> order(runs.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return position(a) < position(b); });
  return order;
}

std::vector<std::vector<std::size_t>> group_by_identity(const std::vector<std::pair<std::string, std::string>>& identities) {
  std::vector<std::vector<std::size_t>> groups;
  std::vector<std::size_t> first_of_group;
  for (std::size_t i = 0; i < identities.size(); ++i) {
    const auto same = std::find_if(first_of_group.begin(), first_of_group.end(),
                                   [&](std::size_t first) { return identities[first] == identities[i]; });
    if (same == first_of_group.end()) {
      first_of_group.push_back(i);
      groups.push_back({i});
    } else {
      groups[static_cast<std::size_t>(same - first_of_group.begin())].push_back(i);
    }
  }
  return groups;
}

}  // namespace ksim::run
