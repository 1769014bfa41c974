#include "sim/history/record_log.h"

#include <limits>

#include "sim/core/assert.h"
#include "sim/history/history.h"

namespace ksim::history {

namespace {

constexpr std::uint8_t kWideKind = 0xff;
constexpr std::uint32_t kNoExtra32 = std::numeric_limits<std::uint32_t>::max();
constexpr std::uint16_t kNoNode16 = std::numeric_limits<std::uint16_t>::max();

bool fits_packed(const Record& record, TimeNs block_start_ns) {
  const TimeNs since_block = record.time_ns - block_start_ns;
  return since_block >= 0 && since_block <= TimeNs{std::numeric_limits<std::uint32_t>::max()} &&
         (record.extra < kNoExtra32 || record.extra == kNoKey) && (record.node < kNoNode16 || record.node == kNoNode) &&
         record.partition <= std::numeric_limits<std::uint16_t>::max() &&
         record.epoch >= std::numeric_limits<std::int16_t>::min() &&
         record.epoch <= std::numeric_limits<std::int16_t>::max() && static_cast<std::uint8_t>(record.kind) != kWideKind;
}

}  // namespace

Record RecordLog::const_iterator::operator*() const { return (*log_)[index_]; }

std::size_t RecordLog::wide_records() const { return wide_.size(); }

void RecordLog::push_back(const Record& record) {
  if (packed_.size() % packed_.block_elements() == 0) block_start_ns_.push_back(record.time_ns);
  Packed packed{};
  if (fits_packed(record, block_start_ns_.back())) {
    packed.message_id = record.message_id;
    packed.offset = record.offset;
    packed.time_since_block_ns = static_cast<std::uint32_t>(record.time_ns - block_start_ns_.back());
    packed.extra = record.extra == kNoKey ? kNoExtra32 : static_cast<std::uint32_t>(record.extra);
    packed.node = record.node == kNoNode ? kNoNode16 : static_cast<std::uint16_t>(record.node);
    packed.partition = static_cast<std::uint16_t>(record.partition);
    packed.epoch = static_cast<std::int16_t>(record.epoch);
    packed.kind = static_cast<std::uint8_t>(record.kind);
    packed.detail = record.detail;
  } else {
    KSIM_ASSERT(wide_.size() < kNoExtra32, "{} records too wide to pack", wide_.size());
    packed.kind = kWideKind;
    packed.extra = static_cast<std::uint32_t>(wide_.size());
    wide_.push_back(record);
  }
  packed_.push_back(packed);
}

Record RecordLog::operator[](std::size_t index) const {
  const Packed& packed = packed_[index];
  if (packed.kind == kWideKind) return wide_[packed.extra];
  Record record;
  record.time_ns = block_start_ns_[index / packed_.block_elements()] + packed.time_since_block_ns;
  record.message_id = packed.message_id;
  record.offset = packed.offset;
  record.extra = packed.extra == kNoExtra32 ? kNoKey : packed.extra;
  record.node = packed.node == kNoNode16 ? kNoNode : packed.node;
  record.partition = packed.partition;
  record.epoch = packed.epoch;
  record.kind = static_cast<RecordKind>(packed.kind);
  record.detail = packed.detail;
  return record;
}

}  // namespace ksim::history
