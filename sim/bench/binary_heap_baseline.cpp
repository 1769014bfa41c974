#include "sim/bench/binary_heap_baseline.h"

#include <chrono>
#include <vector>

#include "sim/core/event.h"
#include "sim/core/fingerprint.h"

namespace ksim::bench {

namespace {

bool before(const Event& a, const Event& b) {
  return a.time_ns < b.time_ns || (a.time_ns == b.time_ns && a.seq < b.seq);
}

class BinaryHeap {
 public:
  explicit BinaryHeap(std::size_t capacity) { heap_.reserve(capacity); }
  const Event& top() const { return heap_.front(); }
  void push(const Event& event) {
    std::size_t index = heap_.size();
    heap_.push_back(event);
    while (index > 0) {
      const std::size_t parent = (index - 1) / 2;
      if (!before(event, heap_[parent])) break;
      heap_[index] = heap_[parent];
      index = parent;
    }
    heap_[index] = event;
  }
  void pop() {
    const Event last = heap_.back();
    heap_.pop_back();
    const std::size_t count = heap_.size();
    if (count == 0) return;
    std::size_t index = 0;
    while (true) {
      std::size_t child = 2 * index + 1;
      if (child >= count) break;
      if (child + 1 < count && before(heap_[child + 1], heap_[child])) ++child;
      if (!before(heap_[child], last)) break;
      heap_[index] = heap_[child];
      index = child;
    }
    heap_[index] = last;
  }

 private:
  std::vector<Event> heap_;
};

}  // namespace

BaselineRun run_binary_heap_baseline(HoldIncrements& increments, std::uint64_t pending_events, std::uint64_t events) {
  increments.rewind();
  BinaryHeap heap(pending_events + 1);
  std::uint64_t next_seq = 0;
  for (std::uint64_t i = 0; i < pending_events; ++i) {
    heap.push(Event{increments.next_increment(), next_seq++, EventBody{1, static_cast<std::uint32_t>(i), 0, 0, i}});
  }
  Fingerprint fingerprint;
  // The benchmark is the one place that reads the wall clock: it measures, it does not simulate.
  const auto start = std::chrono::steady_clock::now();
  for (std::uint64_t executed = 0; executed < events; ++executed) {
    const Event event = heap.top();
    heap.pop();
    fingerprint.fold(event);
    heap.push(Event{event.time_ns + increments.next_increment(), next_seq++,
                    EventBody{1, event.body.target, event.body.source, 0, event.seq}});
  }
  const auto stop = std::chrono::steady_clock::now();
  return BaselineRun{std::chrono::duration<double>(stop - start).count(), fingerprint.value()};
}

}  // namespace ksim::bench
