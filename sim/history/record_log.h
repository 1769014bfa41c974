#pragma once
// The records of a run, in order, at 32 bytes each instead of a Record's 48. Most
// records fit narrower fields (a time within seconds of its block's first record, node
// and partition numbers below 65535, an epoch within int16, a 32-bit extra); such a
// record is stored packed. One that does not fit is stored whole in a side table, so
// nothing is ever truncated: reading gives back exactly the Record that was added.
// Iteration and indexing return Records by value.
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <vector>

#include "sim/core/sim_time.h"
#include "sim/history/chunked_vector.h"

namespace ksim::history {

struct Record;  // history.h

class RecordLog {
 public:
  class const_iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = Record;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = Record;

    const_iterator() = default;
    const_iterator(const RecordLog* log, std::size_t index) : log_(log), index_(index) {}
    Record operator*() const;
    const_iterator& operator++() {
      ++index_;
      return *this;
    }
    const_iterator operator++(int) {
      const_iterator before = *this;
      ++index_;
      return before;
    }
    bool operator==(const const_iterator& other) const { return index_ == other.index_; }

   private:
    const RecordLog* log_ = nullptr;
    std::size_t index_ = 0;
  };

  void push_back(const Record& record);
  std::size_t size() const { return packed_.size(); }
  bool empty() const { return packed_.empty(); }
  Record operator[](std::size_t index) const;
  const_iterator begin() const { return {this, 0}; }
  const_iterator end() const { return {this, size()}; }
  // How many records did not fit the packed form (for tests and benchmarks).
  std::size_t wide_records() const;  // out of line: Record is incomplete here

 private:
  struct Packed {
    std::uint64_t message_id;
    std::int64_t offset;
    std::uint32_t time_since_block_ns;  // since block_start_ns_ of its block
    std::uint32_t extra;                // kNoKey as kNoExtra32; for a wide record, its index in wide_
    std::uint16_t node;                 // kNoNode as kNoNode16
    std::uint16_t partition;
    std::int16_t epoch;
    std::uint8_t kind;  // a RecordKind, or kWideKind
    std::uint8_t detail;
  };
  static_assert(sizeof(Packed) == 32);

  ChunkedVector<Packed> packed_;
  std::vector<TimeNs> block_start_ns_;  // the time of each block's first record
  std::vector<Record> wide_;
};

}  // namespace ksim::history
