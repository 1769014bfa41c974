#pragma once
// Where a record goes: Kafka's own hash for keyed records, so a key lands on the
// partition real Kafka would choose.
#include <cstdint>
#include <string>

#include "sim/core/ids.h"
#include <string_view>

namespace ksim::kafka {

// Kafka's murmur2 (clients Utils.murmur2), as a signed 32-bit value like Java's int.
std::int32_t murmur2(std::string_view bytes);

// BuiltInPartitioner.partitionForKey: toPositive(murmur2(key)) % partitions.
std::uint32_t partition_for_key(std::string_view key_bytes, std::uint32_t partitions);

// The bytes of key number `key_id` in a scenario's key space ("key-17").
std::string key_bytes(std::uint64_t key_id);

}  // namespace ksim::kafka
