#pragma once
// The records of a run, in order, in about 12 bytes each instead of a Record's 48 (issue
// 19: the history was half of a long run's memory). Each record is encoded in bytes: its
// kind and detail, then every field as a LEB128 varint, the time and message id as the
// zigzag difference from the previous record's (a run's records come in time order, and one
// message's records are close), the other fields as small numbers. Nothing is ever
// truncated: reading gives back exactly the Record that was added, whatever its values.
// Bytes live in fixed blocks (growing never copies what is stored); a checkpoint every
// kCheckpointEvery records makes indexing cost at most that many decodes. Iteration
// decodes each record once and returns Records by value.
//
// Runs beyond memory (issue 19 item 3): after spill_to(file), every block that fills is
// written to the file and its memory freed; reading a written block loads it into a small
// cache of blocks. Reading gives the same records either way. The cache makes reads of a
// spilled log unsafe from two threads at once (a run's history is read by one).
#include <array>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <vector>

#include "sim/core/sim_time.h"
#include "sim/history/spill_file.h"

namespace ksim::history {

struct Record;  // history.h

class RecordLog {
 public:
  // Where a record's bytes start, and the previous record's time and id it is encoded against.
  struct Cursor {
    std::size_t block = 0;
    std::size_t byte = 0;
    std::uint64_t previous_time = 0;
    std::uint64_t previous_id = 0;
  };

  class const_iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = Record;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = Record;

    const_iterator() = default;
    const_iterator(const RecordLog* log, std::size_t index);
    Record operator*() const;
    const_iterator& operator++();
    const_iterator operator++(int) {
      const_iterator before = *this;
      ++*this;
      return before;
    }
    bool operator==(const const_iterator& other) const { return index_ == other.index_; }

   private:
    void decode_current();

    const RecordLog* log_ = nullptr;
    std::size_t index_ = 0;
    Cursor next_;  // just past the current record
    std::uint64_t current_[7] = {};  // the current record's fields, decoded (see record_log.cpp)
    std::uint16_t kind_detail_ = 0;  // its kind (low byte) and detail
  };

  void push_back(const Record& record);
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  Record operator[](std::size_t index) const;
  const_iterator begin() const { return {this, 0}; }
  const_iterator end() const { return {this, size_}; }
  // Bytes the encoded records take (for tests and benchmarks).
  std::size_t encoded_bytes() const { return encoded_bytes_; }
  // From now on, full blocks go to `file` (the blocks already full go at once).
  void spill_to(std::shared_ptr<SpillFile> file);
  // Bytes of records held in memory: the blocks not written to a spill file.
  std::size_t resident_bytes() const { return encoded_bytes_ - spilled_bytes_; }

  static constexpr std::size_t kBlockBytes = std::size_t{1} << 18;
  static constexpr std::size_t kCheckpointEvery = 256;

 private:
  static constexpr std::uint64_t kInMemory = ~std::uint64_t{0};
  struct Block {
    std::vector<std::uint8_t> bytes;         // empty once written to the spill file
    std::size_t size = 0;                    // bytes of records in it
    std::uint64_t file_offset = kInMemory;   // where the spill file holds it
  };
  // A block's bytes, loaded from the spill file if need be. Valid until the next call.
  const std::uint8_t* bytes_of(std::size_t block) const;
  // Decodes the record at `cursor` into its fields, kind and detail, advancing the cursor.
  void decode(Cursor& cursor, std::uint64_t (&fields)[7], std::uint8_t& kind, std::uint8_t& detail) const;
  std::vector<std::uint8_t> spill_full_blocks();

  std::vector<Block> blocks_;
  std::shared_ptr<SpillFile> spill_;
  std::size_t spilled_bytes_ = 0;
  std::size_t blocks_spilled_ = 0;  // blocks_[0, blocks_spilled_) are in the spill file
  struct CachedBlock {
    std::size_t block = ~std::size_t{0};
    std::vector<std::uint8_t> bytes;
  };
  mutable std::array<CachedBlock, 4> cache_;  // spilled blocks read back, by block % 4
  std::vector<Cursor> checkpoints_;  // the cursor of record i * kCheckpointEvery
  Cursor end_;                       // where the next record goes
  std::size_t size_ = 0;
  std::size_t encoded_bytes_ = 0;
};

}  // namespace ksim::history
