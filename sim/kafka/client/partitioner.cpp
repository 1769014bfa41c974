#include "sim/kafka/client/partitioner.h"

#include <fmt/format.h>

#include "sim/core/assert.h"

namespace ksim::kafka {

// Unsigned arithmetic throughout: Java's int overflow wraps, C++'s signed overflow is
// undefined; unsigned wraps the same way and `>>>` is a plain unsigned shift.
std::int32_t murmur2(std::string_view bytes) {
  const auto length = static_cast<std::uint32_t>(bytes.size());
  constexpr std::uint32_t kSeed = 0x9747B28C;
  constexpr std::uint32_t m = 0x5BD1E995;
  constexpr int r = 24;
  auto byte = [&](std::size_t i) { return static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])); };
  std::uint32_t h = kSeed ^ length;
  const std::uint32_t length4 = length / 4;
  for (std::uint32_t i = 0; i < length4; ++i) {
    const std::size_t i4 = std::size_t{i} * 4;
    std::uint32_t k = byte(i4) + (byte(i4 + 1) << 8) + (byte(i4 + 2) << 16) + (byte(i4 + 3) << 24);
    k *= m;
    k ^= k >> r;
    k *= m;
    h *= m;
    h ^= k;
  }
  const std::size_t tail = length & ~3U;
  switch (length % 4) {
    case 3:
      h ^= byte(tail + 2) << 16;
      [[fallthrough]];
    case 2:
      h ^= byte(tail + 1) << 8;
      [[fallthrough]];
    case 1:
      h ^= byte(tail);
      h *= m;
      break;
    default:
      break;
  }
  h ^= h >> 13;
  h *= m;
  h ^= h >> 15;
  return static_cast<std::int32_t>(h);
}

std::uint32_t partition_for_key(std::string_view key_bytes, std::uint32_t partitions) {
  KSIM_ASSERT(partitions > 0, "partition_for_key needs at least one partition");
  const auto positive = static_cast<std::uint32_t>(murmur2(key_bytes)) & 0x7FFFFFFFU;
  return positive % partitions;
}

std::string key_bytes(std::uint64_t key_id) { return fmt::format("key-{}", key_id); }

}  // namespace ksim::kafka
