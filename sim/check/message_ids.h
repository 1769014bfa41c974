#pragma once
// Maps message ids to dense indices 0..n-1 in id order, in as little memory as the ids
// allow. Ids are split into segments by their high 32 bits (a run's ids are a few dense
// runs, e.g. one per producer); a segment whose ids are contiguous costs nothing per id, a
// dense one a bitmap with a rank per 64 ids, and only when some segment is not contiguous
// are the sorted ids kept (for id()). Too many segments, or sparse ones: the sorted ids
// with binary search. Issue 19: the old direct table and the sort of every id a record
// named (three per message) were a large part of a long run's checker memory and time.
#include <cstdint>
#include <map>
#include <vector>

namespace ksim::check {

class MessageIndex {
 public:
  MessageIndex() = default;
  explicit MessageIndex(std::vector<std::uint64_t> ids);  // any order, duplicates allowed

  // An index that grows as ids come (the streaming checker, which cannot read ahead): dense
  // indices in order of first appearance, not of id (message_ids_growing.cpp).
  static MessageIndex growing();
  // The id's index, a new one (the next) if the id is new. Only on a growing index.
  std::uint32_t add(std::uint64_t id);
  void reserve(std::size_t ids) { ids_.reserve(ids); }  // a growing index's

  std::uint32_t find(std::uint64_t id) const;  // kNone (facts.h) if absent
  std::uint64_t id(std::uint32_t index) const;
  std::uint32_t size() const { return size_; }

 private:
  friend class MessageIdCollector;
  // A growing index's ids with the same high 32 bits: the index of each, by its low bits
  // from `low_base` (a producer's ids are dense, so about 4 bytes per id).
  struct GrowingSegment {
    std::uint64_t high = 0;
    std::uint64_t low_base = 0;
    std::vector<std::uint32_t> index_by_low;  // kNone where no id yet
  };
  std::uint32_t find_growing(std::uint64_t id) const;
  // The growing segment of ids with these high bits (through the last one found), or null.
  const GrowingSegment* growing_segment(std::uint64_t high) const;
  // The id's slot in its segment's table, made room for; null when the id belongs in the
  // sparse map (too many segments, or too far from its segment's ids).
  std::uint32_t* growing_slot(std::uint64_t id);

  struct Segment {
    std::uint64_t base = 0;         // its smallest id
    std::uint64_t span = 0;         // largest id - base + 1
    std::uint32_t first_index = 0;  // dense index of `base`
    std::uint32_t count = 0;
    std::uint64_t first_word = 0;   // into words_ and ranks_ (not contiguous)
  };
  // Builds the segments from sorted, unique ids_ (keeps ids_ only if needed).
  void index_segments();
  const Segment* segment_of(std::uint64_t id) const;

  std::vector<std::uint64_t> ids_;  // sorted, unique; empty when every segment is contiguous
  std::vector<Segment> segments_;   // by base; empty: binary search in ids_
  std::vector<std::uint64_t> words_;  // per non-contiguous segment, bit (id - base) set when present
  std::vector<std::uint32_t> ranks_;  // ids of the segment below each word
  std::uint32_t size_ = 0;
  // A growing index: ids_ holds the ids in index order; segments by first appearance, and
  // the ids no dense segment takes (too many segments, or far from a segment's base).
  bool growing_ = false;
  std::vector<GrowingSegment> growing_segments_;
  std::map<std::uint64_t, std::uint32_t> growing_sparse_;
  mutable std::size_t last_growing_ = 0;  // a run's records name a few producers' ids in turn
};

// Collects the message ids of a history in two passes without holding one id per record:
// first each segment's range and count of id-bearing records, then, when every segment is
// dense, one bitmap per segment (a bit per id of its span), else the ids (sorted once).
class MessageIdCollector {
 public:
  void measure(std::uint64_t id);  // pass 1
  void prepare();                  // between the passes
  void collect(std::uint64_t id);  // pass 2
  MessageIndex finish();

 private:
  struct Range {
    std::uint64_t high = 0, min = ~std::uint64_t{0}, max = 0, records = 0, first_word = 0;
  };
  Range* range_of(std::uint64_t high);

  std::vector<Range> ranges_;  // by first appearance, then sorted in prepare()
  std::size_t last_ = 0;       // the range the previous id fell in
  bool too_many_ = false;
  bool bitmap_ = false;
  std::vector<std::uint64_t> words_;
  std::vector<std::uint64_t> ids_;
};

}  // namespace ksim::check
