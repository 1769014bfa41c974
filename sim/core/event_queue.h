#pragma once
// The pending-event set: a 4-ary min-heap of 16-byte keys ordered by (time, seq), with
// event bodies in a slab beside it. Four children of a node share one 64-byte cache
// line, and sifting moves only keys, never bodies. The scheduling sequence number and
// the body's slab slot are packed into one word: seq in the high bits, so comparing the
// word compares seq (unique), and the slot rides along for free.
// Issue 19 (`ksim bench core` against a plain binary heap in the same run): the next root's
// body is prefetched as soon as a sift knows it, and a small heap picks the earliest child
// without branches, a large one with them (event_queue.cpp says why); the order is the same.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "sim/core/event.h"

namespace ksim {

class EventQueue {
 public:
  static constexpr unsigned kSlotBits = 24;
  static constexpr std::size_t kMaxPendingEvents = std::size_t{1} << kSlotBits;  // 16,777,216
  static constexpr std::uint64_t kMaxSequence = (std::uint64_t{1} << (64 - kSlotBits)) - 1;

  EventQueue() = default;

  bool empty() const { return heap_.empty(); }
  std::size_t size() const { return heap_.size(); }
  bool full() const { return heap_.size() >= kMaxPendingEvents; }

  // Precondition: !full() and seq <= kMaxSequence (the simulator bounds both).
  void push(TimeNs time_ns, std::uint64_t seq, const EventBody& body);

  // Time of the earliest event. Precondition: !empty().
  TimeNs top_time() const { return heap_.front().time_ns; }

  // Removes and returns the earliest event. Precondition: !empty().
  Event pop();

  // The earliest event, left in place. Precondition: !empty().
  Event top() const;
  // Removes the earliest event. Precondition: !empty().
  void discard_top();
  // Replaces the earliest event with a new one in one sift: what an event loop wants when
  // the event it runs schedules its successor (the common case), half the work of a pop
  // followed by a push. Precondition: !empty(), seq <= kMaxSequence.
  void replace_top(TimeNs time_ns, std::uint64_t seq, const EventBody& body);

  void reserve(std::size_t pending_events);

 private:
  struct Key {
    TimeNs time_ns;
    std::uint64_t seq_and_slot;
  };
  // Times are never negative (the simulator starts at 0 and never goes back), so the
  // unsigned 128-bit order of (time, seq_and_slot) is the (time, seq) order.
  using Wide = unsigned __int128;
  static Wide wide(const Key& k) {
    return (static_cast<Wide>(static_cast<std::uint64_t>(k.time_ns)) << 64) | k.seq_and_slot;
  }
  static bool before(const Key& a, const Key& b) {
    return a.time_ns < b.time_ns || (a.time_ns == b.time_ns && a.seq_and_slot < b.seq_and_slot);
  }
  void sift_up(std::size_t index, Key key);
  void sift_down_from_root(Key key);
  template <bool branchless>
  void sift_down(Key key);
  template <bool branchless>
  static std::size_t earliest_child(const Key* heap, std::size_t first_child, std::size_t count, Wide& best_wide);

  std::vector<Key> heap_;
  std::vector<EventBody> bodies_;
  std::vector<std::uint32_t> free_slots_;
};

}  // namespace ksim
