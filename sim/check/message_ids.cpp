#include "sim/check/message_ids.h"

#include <algorithm>
#include <bit>
#include <utility>

#include "sim/check/facts.h"

namespace ksim::check {

namespace {
constexpr unsigned kSegmentShift = 32;
constexpr std::size_t kMaxSegments = 1024;
// A segment's bitmap costs span / 8 bytes (+ span / 16 for ranks): used while its span is
// at most this many times the ids (records) it holds, i.e. a few bytes per id at worst.
constexpr std::uint64_t kDenseSpanPerId = 16;
constexpr std::uint64_t kDenseSpanSlack = 1 << 12;

bool dense(std::uint64_t span, std::uint64_t ids) { return span <= kDenseSpanPerId * ids + kDenseSpanSlack; }

void set_bit(std::vector<std::uint64_t>& words, std::uint64_t first_word, std::uint64_t at) {
  words[static_cast<std::size_t>(first_word + at / 64)] |= std::uint64_t{1} << (at % 64);
}
}  // namespace

MessageIndex::MessageIndex(std::vector<std::uint64_t> ids) : ids_(std::move(ids)) {
  if (!std::is_sorted(ids_.begin(), ids_.end())) std::sort(ids_.begin(), ids_.end());
  ids_.erase(std::unique(ids_.begin(), ids_.end()), ids_.end());
  ids_.shrink_to_fit();
  size_ = static_cast<std::uint32_t>(ids_.size());
  index_segments();
}

void MessageIndex::index_segments() {
  std::vector<Segment> segments;
  for (std::uint32_t i = 0; i < ids_.size(); ++i) {
    if (segments.empty() || (ids_[i] >> kSegmentShift) != (segments.back().base >> kSegmentShift)) {
      if (segments.size() == kMaxSegments) return;  // binary search in ids_
      segments.push_back({.base = ids_[i], .first_index = i});
    }
    Segment& s = segments.back();
    s.span = ids_[i] - s.base + 1;
    ++s.count;
  }
  bool all_contiguous = true;
  for (Segment& s : segments) {
    if (s.span == s.count) continue;
    if (!dense(s.span, s.count)) return;  // binary search in ids_
    all_contiguous = false;
    s.first_word = words_.size();
    words_.resize(words_.size() + static_cast<std::size_t>((s.span + 63) / 64), 0);
  }
  for (const Segment& s : segments) {
    if (s.span == s.count) continue;
    for (std::uint32_t i = s.first_index; i < s.first_index + s.count; ++i) set_bit(words_, s.first_word, ids_[i] - s.base);
  }
  ranks_.resize(words_.size());
  for (const Segment& s : segments) {
    if (s.span == s.count) continue;
    std::uint32_t below = 0;
    for (std::size_t w = s.first_word; w < s.first_word + (s.span + 63) / 64; ++w) {
      ranks_[w] = below;
      below += static_cast<std::uint32_t>(std::popcount(words_[w]));
    }
  }
  segments_ = std::move(segments);
  if (all_contiguous) {
    ids_.clear();
    ids_.shrink_to_fit();
  }
}

const MessageIndex::Segment* MessageIndex::segment_of(std::uint64_t id) const {
  auto it = std::upper_bound(segments_.begin(), segments_.end(), id,
                             [](std::uint64_t value, const Segment& s) { return value < s.base; });
  if (it == segments_.begin()) return nullptr;
  --it;
  return id - it->base < it->span ? &*it : nullptr;
}

std::uint32_t MessageIndex::find(std::uint64_t id) const {
  if (growing_) return find_growing(id);
  if (segments_.empty()) {
    auto it = std::lower_bound(ids_.begin(), ids_.end(), id);
    if (it == ids_.end() || *it != id) return kNone;
    return static_cast<std::uint32_t>(it - ids_.begin());
  }
  const Segment* s = segment_of(id);
  if (s == nullptr) return kNone;
  const std::uint64_t at = id - s->base;
  if (s->span == s->count) return s->first_index + static_cast<std::uint32_t>(at);
  const auto w = static_cast<std::size_t>(s->first_word + at / 64);
  const std::uint64_t bit = std::uint64_t{1} << (at % 64);
  if ((words_[w] & bit) == 0) return kNone;
  return s->first_index + ranks_[w] + static_cast<std::uint32_t>(std::popcount(words_[w] & (bit - 1)));
}

std::uint64_t MessageIndex::id(std::uint32_t index) const {
  if (growing_ || !ids_.empty()) return ids_[index];
  auto it = std::upper_bound(segments_.begin(), segments_.end(), index,
                             [](std::uint32_t value, const Segment& s) { return value < s.first_index; });
  --it;  // every segment is contiguous here
  return it->base + (index - it->first_index);
}

MessageIdCollector::Range* MessageIdCollector::range_of(std::uint64_t high) {
  if (last_ < ranges_.size() && ranges_[last_].high == high) return &ranges_[last_];
  for (std::size_t r = 0; r < ranges_.size(); ++r) {
    if (ranges_[r].high == high) {
      last_ = r;
      return &ranges_[r];
    }
  }
  if (ranges_.size() == kMaxSegments) return nullptr;
  last_ = ranges_.size();
  ranges_.push_back({.high = high});
  return &ranges_.back();
}

void MessageIdCollector::measure(std::uint64_t id) {
  if (too_many_) return;
  Range* range = range_of(id >> kSegmentShift);
  if (range == nullptr) {
    too_many_ = true;
    return;
  }
  range->min = std::min(range->min, id);
  range->max = std::max(range->max, id);
  ++range->records;
}

void MessageIdCollector::prepare() {
  bitmap_ = !too_many_;
  for (Range& range : ranges_) {
    if (!dense(range.max - range.min + 1, range.records)) bitmap_ = false;
  }
  if (!bitmap_) return;
  std::sort(ranges_.begin(), ranges_.end(), [](const Range& a, const Range& b) { return a.high < b.high; });
  last_ = 0;
  std::uint64_t words = 0;
  for (Range& range : ranges_) {
    range.first_word = words;
    words += (range.max - range.min + 1 + 63) / 64;
  }
  words_.assign(static_cast<std::size_t>(words), 0);
}

void MessageIdCollector::collect(std::uint64_t id) {
  if (!bitmap_) {
    if (ids_.empty() || ids_.back() != id) ids_.push_back(id);  // one message's records are often adjacent
    return;
  }
  const Range* range = range_of(id >> kSegmentShift);
  set_bit(words_, range->first_word, id - range->min);
}

MessageIndex MessageIdCollector::finish() {
  if (!bitmap_) return MessageIndex(std::move(ids_));
  // The bitmaps as segments: contiguous ones drop theirs, the others keep them with ranks.
  MessageIndex index;
  std::uint32_t first_index = 0;
  for (const Range& range : ranges_) {
    std::uint32_t count = 0;
    const std::uint64_t span_words = (range.max - range.min + 1 + 63) / 64;
    for (std::uint64_t w = 0; w < span_words; ++w) count += static_cast<std::uint32_t>(std::popcount(words_[range.first_word + w]));
    index.segments_.push_back({.base = range.min, .span = range.max - range.min + 1, .first_index = first_index, .count = count});
    first_index += count;
  }
  index.size_ = first_index;
  const bool all_contiguous =
      std::all_of(index.segments_.begin(), index.segments_.end(), [](const auto& s) { return s.span == s.count; });
  if (all_contiguous) return index;
  // Some gap: rebuild from the ids (sorted already), keeping bitmaps only where needed.
  std::vector<std::uint64_t> ids;
  ids.reserve(first_index);
  for (const Range& range : ranges_) {
    const std::uint64_t span_words = (range.max - range.min + 1 + 63) / 64;
    for (std::uint64_t w = 0; w < span_words; ++w) {
      for (std::uint64_t word = words_[range.first_word + w]; word != 0; word &= word - 1) {
        ids.push_back(range.min + 64 * w + static_cast<std::uint64_t>(std::countr_zero(word)));
      }
    }
  }
  words_ = {};
  return MessageIndex(std::move(ids));
}

}  // namespace ksim::check
