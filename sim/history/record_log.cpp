#include "sim/history/record_log.h"

#include "sim/core/assert.h"
#include "sim/history/history.h"

namespace ksim::history {

namespace {

// kind + detail + 7 varints of at most 10 bytes each.
constexpr std::size_t kMaxRecordBytes = 2 + 7 * 10;

std::uint64_t zigzag(std::uint64_t difference) {
  const auto value = static_cast<std::int64_t>(difference);
  return (difference << 1) ^ static_cast<std::uint64_t>(value >> 63);
}
std::uint64_t unzigzag(std::uint64_t encoded) { return (encoded >> 1) ^ (~(encoded & 1) + 1); }

void put_varint(std::vector<std::uint8_t>& out, std::uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<std::uint8_t>(value | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<std::uint8_t>(value));
}

std::uint64_t get_varint(const std::uint8_t*& in) {
  std::uint64_t value = 0;
  for (unsigned shift = 0;; shift += 7) {
    const std::uint8_t byte = *in++;
    value |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return value;
  }
}

// Fields in the order they are encoded; kNoKey and kNoNode (the all-ones values) become 0.
enum Field { kTime, kMessageId, kOffset, kExtra, kNode, kPartition, kEpoch };

Record assemble(const std::uint64_t (&fields)[7], std::uint8_t kind, std::uint8_t detail) {
  Record record;
  record.time_ns = static_cast<TimeNs>(fields[kTime]);
  record.message_id = fields[kMessageId];
  record.offset = static_cast<std::int64_t>(fields[kOffset]);
  record.extra = fields[kExtra];
  record.node = static_cast<std::uint32_t>(fields[kNode]);
  record.partition = static_cast<std::uint32_t>(fields[kPartition]);
  record.epoch = static_cast<std::int32_t>(static_cast<std::int64_t>(fields[kEpoch]));
  record.kind = static_cast<RecordKind>(kind);
  record.detail = detail;
  return record;
}

}  // namespace

// A record never straddles blocks: at a block's end it starts the next one.
void RecordLog::decode(Cursor& cursor, std::uint64_t (&fields)[7], std::uint8_t& kind, std::uint8_t& detail) const {
  if (cursor.byte == blocks_[cursor.block].size) {
    ++cursor.block;
    cursor.byte = 0;
  }
  const std::uint8_t* start = bytes_of(cursor.block) + cursor.byte;
  const std::uint8_t* in = start;
  kind = *in++;
  detail = *in++;
  cursor.previous_time += unzigzag(get_varint(in));
  cursor.previous_id += unzigzag(get_varint(in));
  fields[kTime] = cursor.previous_time;
  fields[kMessageId] = cursor.previous_id;
  fields[kOffset] = unzigzag(get_varint(in));
  fields[kExtra] = get_varint(in) - 1;
  fields[kNode] = get_varint(in) - 1;
  fields[kPartition] = get_varint(in);
  fields[kEpoch] = unzigzag(get_varint(in));
  cursor.byte += static_cast<std::size_t>(in - start);
}

const std::uint8_t* RecordLog::bytes_of(std::size_t block) const {
  const Block& b = blocks_[block];
  if (b.file_offset == kInMemory) return b.bytes.data();
  CachedBlock& cached = cache_[block % cache_.size()];
  if (cached.block != block) {
    cached.bytes.resize(b.size);
    spill_->read(b.file_offset, cached.bytes.data(), b.size);
    cached.block = block;
  }
  return cached.bytes.data();
}

void RecordLog::spill_to(std::shared_ptr<SpillFile> file) {
  KSIM_ASSERT(file != nullptr, "spill_to without a file");
  spill_ = std::move(file);
  (void)spill_full_blocks();
}

// Every block but the last (the one being filled) goes to the spill file; they form a
// prefix. Gives back the buffer of the last block written, for the block being filled to
// reuse: a long run then does not map and clear fresh memory for every block it writes.
std::vector<std::uint8_t> RecordLog::spill_full_blocks() {
  std::vector<std::uint8_t> freed;
  for (; blocks_spilled_ + 1 < blocks_.size(); ++blocks_spilled_) {
    Block& block = blocks_[blocks_spilled_];
    block.file_offset = spill_->append(block.bytes.data(), block.size);
    spilled_bytes_ += block.size;
    freed = std::move(block.bytes);
  }
  return freed;
}

void RecordLog::push_back(const Record& record) {
  // A cursor at a full block's end reads on from the next block (decode), so the end of the
  // log as it stands is the checkpoint, whether or not this record starts a block.
  if (size_ % kCheckpointEvery == 0) checkpoints_.push_back(end_);
  if (blocks_.empty() || blocks_.back().size + kMaxRecordBytes > kBlockBytes) {
    blocks_.emplace_back();
    std::vector<std::uint8_t>& bytes = blocks_.back().bytes;
    if (spill_ != nullptr) {
      bytes = spill_full_blocks();  // the full block goes; its buffer takes this one
      bytes.clear();
    }
    bytes.reserve(kBlockBytes);
    end_.block = blocks_.size() - 1;
    end_.byte = 0;
  }
  std::vector<std::uint8_t>& out = blocks_.back().bytes;
  const std::size_t before = out.size();
  out.push_back(static_cast<std::uint8_t>(record.kind));
  out.push_back(record.detail);
  const auto time = static_cast<std::uint64_t>(record.time_ns);
  put_varint(out, zigzag(time - end_.previous_time));
  put_varint(out, zigzag(record.message_id - end_.previous_id));
  put_varint(out, zigzag(static_cast<std::uint64_t>(record.offset)));
  put_varint(out, record.extra + 1);  // kNoKey -> 0
  put_varint(out, record.node == kNoNode ? 0 : std::uint64_t{record.node} + 1);  // kNoNode -> 0
  put_varint(out, record.partition);
  put_varint(out, zigzag(static_cast<std::uint64_t>(static_cast<std::int64_t>(record.epoch))));
  KSIM_ASSERT(out.size() <= kBlockBytes, "record log block overflow: {} bytes", out.size());
  end_.previous_time = time;
  end_.previous_id = record.message_id;
  end_.byte = out.size();
  blocks_.back().size = out.size();
  encoded_bytes_ += out.size() - before;
  ++size_;
}

Record RecordLog::operator[](std::size_t index) const {
  KSIM_ASSERT(index < size_, "record {} of {}", index, size_);
  Cursor cursor = checkpoints_[index / kCheckpointEvery];
  std::uint64_t fields[7];
  std::uint8_t kind = 0, detail = 0;
  for (std::size_t i = index - index % kCheckpointEvery; i <= index; ++i) decode(cursor, fields, kind, detail);
  return assemble(fields, kind, detail);
}

RecordLog::const_iterator::const_iterator(const RecordLog* log, std::size_t index) : log_(log), index_(index) {
  if (index_ < log_->size_) {
    next_ = log_->checkpoints_[index_ / kCheckpointEvery];
    for (std::size_t i = index_ - index_ % kCheckpointEvery; i < index_; ++i) {
      std::uint8_t kind = 0, detail = 0;
      log_->decode(next_, current_, kind, detail);
    }
    decode_current();
  }
}

void RecordLog::const_iterator::decode_current() {
  std::uint8_t kind = 0, detail = 0;
  log_->decode(next_, current_, kind, detail);
  kind_detail_ = static_cast<std::uint16_t>(kind | (detail << 8));
}

Record RecordLog::const_iterator::operator*() const {
  return assemble(current_, static_cast<std::uint8_t>(kind_detail_ & 0xff), static_cast<std::uint8_t>(kind_detail_ >> 8));
}

RecordLog::const_iterator& RecordLog::const_iterator::operator++() {
  ++index_;
  if (index_ < log_->size_) decode_current();
  return *this;
}

}  // namespace ksim::history
