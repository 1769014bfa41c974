// A message index built as the ids come (message_ids.h): the streaming checker sees each
// record once, as the run writes it, and cannot count the ids first.
#include <limits>

#include "sim/check/facts.h"
#include "sim/check/message_ids.h"
#include "sim/core/assert.h"

namespace ksim::check {

namespace {
constexpr unsigned kHighShift = 32;
constexpr std::uint64_t kLowMask = (std::uint64_t{1} << kHighShift) - 1;
constexpr std::size_t kMaxGrowingSegments = 1024;
// A segment's table may reach this far past its last slot (or below its base) for a new id;
// farther ids go to the sparse map, so a stray id never costs gigabytes of table.
constexpr std::uint64_t kMaxGap = std::uint64_t{1} << 16;
}  // namespace

MessageIndex MessageIndex::growing() {
  MessageIndex index;
  index.growing_ = true;
  return index;
}

const MessageIndex::GrowingSegment* MessageIndex::growing_segment(std::uint64_t high) const {
  if (last_growing_ < growing_segments_.size() && growing_segments_[last_growing_].high == high) {
    return &growing_segments_[last_growing_];
  }
  for (std::size_t s = 0; s < growing_segments_.size(); ++s) {
    if (growing_segments_[s].high != high) continue;
    last_growing_ = s;
    return &growing_segments_[s];
  }
  return nullptr;
}

std::uint32_t* MessageIndex::growing_slot(std::uint64_t id) {
  const std::uint64_t high = id >> kHighShift, low = id & kLowMask;
  // growing_segment() is a const lookup into this non-const index's own segments.
  auto* segment = const_cast<GrowingSegment*>(growing_segment(high));
  if (segment == nullptr) {
    if (growing_segments_.size() == kMaxGrowingSegments) return nullptr;
    last_growing_ = growing_segments_.size();
    segment = &growing_segments_.emplace_back(GrowingSegment{high, low, {}});
  }
  std::vector<std::uint32_t>& table = segment->index_by_low;
  if (low < segment->low_base) {
    if (segment->low_base - low > kMaxGap) return nullptr;
    table.insert(table.begin(), static_cast<std::size_t>(segment->low_base - low), kNone);
    segment->low_base = low;
  }
  const std::uint64_t at = low - segment->low_base;
  if (at >= table.size()) {
    if (at - table.size() > kMaxGap) return nullptr;
    table.resize(static_cast<std::size_t>(at) + 1, kNone);
  }
  return &table[static_cast<std::size_t>(at)];
}

std::uint32_t MessageIndex::add(std::uint64_t id) {
  KSIM_ASSERT(growing_, "MessageIndex::add on an index built from a whole history");
  std::uint32_t* slot = growing_slot(id);
  if (slot != nullptr && *slot != kNone) return *slot;
  // A table may have grown over an id the sparse map took when it was too far.
  if (const auto sparse = growing_sparse_.find(id); sparse != growing_sparse_.end()) return sparse->second;
  if (slot == nullptr) slot = &growing_sparse_[id];
  KSIM_ASSERT(size_ < std::numeric_limits<std::uint32_t>::max() - 1, "more than 2^32 - 2 messages in one run");
  *slot = size_++;
  ids_.push_back(id);
  return *slot;
}

std::uint32_t MessageIndex::find_growing(std::uint64_t id) const {
  const std::uint64_t low = id & kLowMask;
  if (const GrowingSegment* segment = growing_segment(id >> kHighShift);
      segment != nullptr && low >= segment->low_base && low - segment->low_base < segment->index_by_low.size()) {
    const std::uint32_t index = segment->index_by_low[static_cast<std::size_t>(low - segment->low_base)];
    if (index != kNone) return index;
  }
  const auto sparse = growing_sparse_.find(id);
  return sparse == growing_sparse_.end() ? kNone : sparse->second;
}

}  // namespace ksim::check
