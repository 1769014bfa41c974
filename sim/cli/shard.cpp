#include "sim/cli/shard.h"

#include <fmt/format.h>

#include "sim/scenario/units.h"

namespace ksim::cli {

std::optional<Shard> parse_shard(const std::string& text, scenario::InputErrors& errors) {
  const std::size_t slash = text.find('/');
  const auto index = scenario::parse_uint64(text.substr(0, slash));
  const auto count = slash == std::string::npos ? index : scenario::parse_uint64(text.substr(slash + 1));
  if (slash == std::string::npos || !index || !count || count.value() == 0 || index.value() == 0 ||
      index.value() > count.value()) {
    errors.add("", {}, "--shard", fmt::format("expected K/N with 1 <= K <= N, got \"{}\"", text));
    return std::nullopt;
  }
  return Shard{index.value(), count.value()};
}

std::optional<std::pair<std::uint64_t, std::uint64_t>> shard_span(std::uint64_t first, std::uint64_t last, Shard shard) {
  const std::uint64_t total = last - first + 1;
  const std::uint64_t begin = (shard.index - 1) * total / shard.count;
  const std::uint64_t end = shard.index * total / shard.count;
  if (begin == end) return std::nullopt;
  return std::make_pair(first + begin, first + end - 1);
}

}  // namespace ksim::cli
