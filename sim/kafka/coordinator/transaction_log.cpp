#include "sim/kafka/coordinator/transaction_log.h"

#include <limits>

#include "sim/core/assert.h"

namespace ksim::kafka {

namespace {
constexpr int kPartitionShift = 8;  // message_id: kind + 1, commit << 4, then partition + 1 above
}  // namespace

LogEntry transaction_log_entry(const TransactionLogValue& value) {
  KSIM_ASSERT(value.transactional_id <= std::numeric_limits<std::uint16_t>::max() &&
                  value.producer_id.value() <= std::numeric_limits<std::uint32_t>::max(),
              "transactional id {} or producer id {} does not fit a log entry", value.transactional_id,
              value.producer_id);
  // An init entry names no partition: its producer id takes the partition's bits.
  const std::uint32_t subject = value.kind == TransactionLogKind::init
                                    ? static_cast<std::uint32_t>(value.producer_id.value())
                                    : value.partition.value();
  LogEntry entry;
  entry.message_id = static_cast<std::uint64_t>(value.kind) | (value.commit ? 0x10U : 0U) |
                     ((static_cast<std::uint64_t>(subject) + 1) << kPartitionShift);
  entry.sequence = value.transaction;
  entry.set_producer(kNoProducerId, value.epoch);  // no producer batch: the id stays 0
  entry.index_in_batch = static_cast<std::uint16_t>(value.transactional_id);
  entry.batch_records = 1;
  entry.flags = kTransactionStateEntry;
  return entry;
}

TransactionLogValue decode_transaction_log(const LogEntry& entry) {
  KSIM_ASSERT(is_transaction_state_entry(entry), "entry with flags {} is no transaction state entry", entry.flags);
  TransactionLogValue value;
  value.kind = static_cast<TransactionLogKind>(entry.message_id & 0x0FU);
  value.commit = (entry.message_id & 0x10U) != 0;
  const auto subject = static_cast<std::uint32_t>((entry.message_id >> kPartitionShift) - 1);
  if (value.kind == TransactionLogKind::init) {
    value.producer_id = ProducerId{subject};
  } else {
    value.partition = PartitionId{subject};
  }
  value.transaction = entry.sequence;
  value.epoch = entry.producer_epoch();
  value.transactional_id = entry.index_in_batch;
  return value;
}

std::int32_t java_string_hash(std::string_view utf8) {
  std::uint32_t hash = 0;  // unsigned: Java's int arithmetic wraps
  const auto add = [&](std::uint32_t unit) { hash = hash * 31U + unit; };
  for (std::size_t i = 0; i < utf8.size();) {
    const auto byte = static_cast<unsigned char>(utf8[i]);
    std::uint32_t code = byte;
    std::size_t length = 1;
    if (byte >= 0xF0) {
      code = byte & 0x07U;
      length = 4;
    } else if (byte >= 0xE0) {
      code = byte & 0x0FU;
      length = 3;
    } else if (byte >= 0xC0) {
      code = byte & 0x1FU;
      length = 2;
    }
    for (std::size_t k = 1; k < length && i + k < utf8.size(); ++k) {
      code = (code << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3FU);
    }
    i += length;
    if (code >= 0x10000) {  // a surrogate pair in UTF-16
      code -= 0x10000;
      add(0xD800U + (code >> 10));
      add(0xDC00U + (code & 0x3FFU));
    } else {
      add(code);
    }
  }
  return static_cast<std::int32_t>(hash);
}

std::uint32_t transaction_state_partition_for(std::string_view transactional_id, std::uint32_t partitions) {
  KSIM_ASSERT(partitions > 0, "__transaction_state needs a partition");
  const std::int32_t hash = java_string_hash(transactional_id);
  const std::int64_t absolute = hash == std::numeric_limits<std::int32_t>::min() ? 0 : (hash < 0 ? -std::int64_t{hash} : hash);
  return static_cast<std::uint32_t>(absolute % partitions);
}

}  // namespace ksim::kafka
