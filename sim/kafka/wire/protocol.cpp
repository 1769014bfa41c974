#include "sim/kafka/wire/protocol.h"

namespace ksim::kafka {

namespace {
constexpr std::uint32_t kHeaderBytes = 64;
}

std::uint32_t wire_size_bytes(const Payload& payload, std::uint32_t record_size_bytes) {
  std::size_t records = 0;
  if (const auto* produce = std::get_if<ProduceRequest>(&payload)) records = produce->records.size();
  if (const auto* produce = std::get_if<MultiProduceRequest>(&payload)) {
    for (const ProduceRequest& part : produce->partitions) records += part.records.size();
  }
  if (const auto* fetch = std::get_if<SessionFetchResponse>(&payload)) {
    for (const FetchResponse& part : fetch->partitions) records += part.entries.size();
  }
  return kHeaderBytes + static_cast<std::uint32_t>(records) * record_size_bytes;
}

}  // namespace ksim::kafka
