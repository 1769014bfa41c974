#include "sim/core/event_queue.h"

#include "sim/core/assert.h"

namespace ksim {

namespace {
constexpr std::uint64_t kSlotMask = (std::uint64_t{1} << EventQueue::kSlotBits) - 1;
constexpr std::size_t kArity = 4;
// Keys in 256 KiB, a typical per-core L2 cache: up to there the heap is sifted without branches.
constexpr std::size_t kBranchlessMaxKeys = (256 * 1024) / 16;
}  // namespace

void EventQueue::reserve(std::size_t pending_events) {
  heap_.reserve(pending_events);
  bodies_.reserve(pending_events);
  free_slots_.reserve(pending_events);
}

void EventQueue::push(TimeNs time_ns, std::uint64_t seq, const EventBody& body) {
  KSIM_ASSERT(!full(), "event queue full: {} pending events", heap_.size());
  KSIM_ASSERT(seq <= kMaxSequence, "sequence number {} exceeds {}", seq, kMaxSequence);
  std::uint32_t slot;
  if (free_slots_.empty()) {
    slot = static_cast<std::uint32_t>(bodies_.size());
    bodies_.push_back(body);
  } else {
    slot = free_slots_.back();
    free_slots_.pop_back();
    bodies_[slot] = body;
  }
  heap_.push_back(Key{});
  sift_up(heap_.size() - 1, Key{time_ns, (seq << kSlotBits) | slot});
}

Event EventQueue::pop() {
  KSIM_ASSERT(!heap_.empty(), "pop from an empty event queue");
  const Key top = heap_.front();
  const auto slot = static_cast<std::uint32_t>(top.seq_and_slot & kSlotMask);
  Event event{top.time_ns, top.seq_and_slot >> kSlotBits, bodies_[slot]};
  free_slots_.push_back(slot);
  const Key last = heap_.back();
  heap_.pop_back();
  if (!heap_.empty()) sift_down_from_root(last);
  return event;
}

Event EventQueue::top() const {
  KSIM_ASSERT(!heap_.empty(), "top of an empty event queue");
  const Key key = heap_.front();
  const auto slot = static_cast<std::uint32_t>(key.seq_and_slot & kSlotMask);
  return Event{key.time_ns, key.seq_and_slot >> kSlotBits, bodies_[slot]};
}

void EventQueue::discard_top() {
  KSIM_ASSERT(!heap_.empty(), "discard_top of an empty event queue");
  free_slots_.push_back(static_cast<std::uint32_t>(heap_.front().seq_and_slot & kSlotMask));
  const Key last = heap_.back();
  heap_.pop_back();
  if (!heap_.empty()) sift_down_from_root(last);
}

void EventQueue::replace_top(TimeNs time_ns, std::uint64_t seq, const EventBody& body) {
  KSIM_ASSERT(!heap_.empty(), "replace_top of an empty event queue");
  KSIM_ASSERT(seq <= kMaxSequence, "sequence number {} exceeds {}", seq, kMaxSequence);
  const std::uint64_t slot = heap_.front().seq_and_slot & kSlotMask;
  bodies_[slot] = body;
  sift_down_from_root(Key{time_ns, (seq << kSlotBits) | slot});
}

// Moves a hole up from `index` until `key` fits, then stores it there.
void EventQueue::sift_up(std::size_t index, Key key) {
  while (index > 0) {
    const std::size_t parent = (index - 1) / kArity;
    if (!before(key, heap_[parent])) break;
    heap_[index] = heap_[parent];
    index = parent;
  }
  heap_[index] = key;
}

// The earliest of the children first_child.. (at most four, all before `count`), and its key.
// With `branchless`, a full group of four is decided by conditional moves on 128-bit
// keys (time above seq_and_slot); else by ordinary branches.
template <bool branchless>
std::size_t EventQueue::earliest_child(const Key* heap, std::size_t first_child, std::size_t count, Wide& best_wide) {
  std::size_t best = first_child;
  best_wide = wide(heap[first_child]);
  if (branchless && first_child + kArity <= count) {
    const Wide w1 = wide(heap[first_child + 1]);
    const Wide w2 = wide(heap[first_child + 2]);
    const Wide w3 = wide(heap[first_child + 3]);
    const bool left_second = w1 < best_wide;
    const std::size_t left = first_child + left_second;
    const Wide left_wide = left_second ? w1 : best_wide;
    const bool right_second = w3 < w2;
    const std::size_t right = first_child + 2 + right_second;
    const Wide right_wide = right_second ? w3 : w2;
    const bool right_wins = right_wide < left_wide;
    best_wide = right_wins ? right_wide : left_wide;
    return right_wins ? right : left;
  }
  const std::size_t end = first_child + kArity < count ? first_child + kArity : count;
  for (std::size_t child = first_child + 1; child < end; ++child) {
    const Wide w = wide(heap[child]);
    if (w < best_wide) {
      best = child;
      best_wide = w;
    }
  }
  return best;
}

// Moves a hole down from the root, always towards the earliest child, until `key` fits.
// The first step finds the next root: its body is prefetched then, so that the miss on a
// large slab overlaps the rest of the sift instead of stalling the next top().
template <bool branchless>
void EventQueue::sift_down(Key key) {
  const std::size_t count = heap_.size();
  Key* const heap = heap_.data();
  const Wide key_wide = wide(key);
  std::size_t index = 0;
  bool first = true;
  while (true) {
    const std::size_t first_child = index * kArity + 1;
    if (first_child >= count) break;
    Wide best_wide;
    const std::size_t best = earliest_child<branchless>(heap, first_child, count, best_wide);
    if (!(best_wide < key_wide)) break;
    if (first) {
      __builtin_prefetch(&bodies_[heap[best].seq_and_slot & kSlotMask]);
      first = false;
    }
    heap[index] = heap[best];
    index = best;
  }
  heap[index] = key;
}

// Measured with `ksim bench core` (issue 19): conditional moves win while the heap is in
// cache (1,000 pending: no mispredicted branch to pay), branches win once it is not
// (100,000 pending: a predicted branch lets the processor start the next level's loads
// before the comparison is known, conditional moves make it wait for each). The choice
// changes only how the earliest child is found, never which one.
void EventQueue::sift_down_from_root(Key key) {
  if (heap_.size() <= kBranchlessMaxKeys) {
    sift_down<true>(key);
  } else {
    sift_down<false>(key);
  }
}

}  // namespace ksim
