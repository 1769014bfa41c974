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

}  // namespace ksim::cli
