#include "sim/core/event_queue.h"

#include "sim/core/assert.h"

namespace ksim {

namespace {
constexpr std::uint64_t kSlotMask = (std::uint64_t{1} << EventQueue::kSlotBits) - 1;
constexpr std::size_t kArity = 4;
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

// Moves a hole down from the root, always towards the earliest child, until `key` fits.
void EventQueue::sift_down_from_root(Key key) {
  const std::size_t count = heap_.size();
  std::size_t index = 0;
  while (true) {
    const std::size_t first_child = index * kArity + 1;
    if (first_child >= count) break;
    std::size_t best = first_child;
    const std::size_t last_child = first_child + kArity < count ? first_child + kArity : count;
    for (std::size_t child = first_child + 1; child < last_child; ++child) {
      if (before(heap_[child], heap_[best])) best = child;
    }
    if (!before(heap_[best], key)) break;
    heap_[index] = heap_[best];
    index = best;
  }
  heap_[index] = key;
}

}  // namespace ksim
