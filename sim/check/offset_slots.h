#pragma once
// One partition's offsets while the history is read: by offset, the dense index of the first
// message recorded there (kNone: none). A run's offsets are dense, so a slot per offset costs
// 4 bytes a message where (offset, id) pairs cost 16 and more (issue 19); an offset far past
// the values placed so far (a hand-built history, a negative offset) goes to a map, and
// stays there. Jepsen's version orders (dependency_graph.cpp) and its inconsistent-offsets
// (jepsen.cpp) read offsets this way.
#include <algorithm>
#include <cstdint>
#include <map>
#include <vector>

#include "sim/check/facts.h"

namespace ksim::check {

class OffsetSlots {
 public:
  // Places `message` at `offset` unless a message is there already; returns the offset's
  // first message (`message` itself when it is the first).
  std::uint32_t place(std::int64_t offset, std::uint32_t message) {
    const auto at = static_cast<std::uint64_t>(offset);
    ++placed_;
    if (!sparse_.empty()) {
      const auto found = sparse_.find(offset);
      if (found != sparse_.end()) return found->second;  // its first value stands
    }
    if (at >= dense_.size() && at >= 2 * placed_ + kDenseMargin) {
      sparse_.emplace(offset, message);
      return message;
    }
    const auto slot = static_cast<std::size_t>(at);
    if (slot >= dense_.size()) {
      reserve_for(dense_, slot + 1);
      dense_.resize(slot + 1, kNone);
    }
    if (dense_[slot] == kNone) dense_[slot] = message;
    return dense_[slot];
  }

  // fn(offset, message) for every offset holding a message, in increasing offset order.
  template <class Fn>
  void for_each_slot(Fn&& fn) const {
    auto sparse = sparse_.begin();
    for (std::size_t slot = 0; slot < dense_.size(); ++slot) {
      for (; sparse != sparse_.end() && sparse->first < static_cast<std::int64_t>(slot); ++sparse)
        fn(sparse->first, sparse->second);
      if (dense_[slot] != kNone) fn(static_cast<std::int64_t>(slot), dense_[slot]);
    }
    for (; sparse != sparse_.end(); ++sparse) fn(sparse->first, sparse->second);
  }

  // Messages in offset order, each offset's first value once; the slots are left empty.
  std::vector<std::uint32_t> take_order() {
    std::vector<std::uint32_t> order;
    if (sparse_.empty()) {  // the usual case: the slots themselves, holes removed
      order = std::move(dense_);
      order.erase(std::remove(order.begin(), order.end(), kNone), order.end());
      order.shrink_to_fit();
    } else {
      for_each_slot([&](std::int64_t, std::uint32_t message) { order.push_back(message); });
    }
    dense_ = {};
    sparse_.clear();
    return order;
  }

 private:
  static constexpr std::uint64_t kDenseMargin = std::uint64_t{1} << 16;
  std::vector<std::uint32_t> dense_;              // by offset
  std::map<std::int64_t, std::uint32_t> sparse_;  // offsets placed far past the slots
  std::uint64_t placed_ = 0;
};

}  // namespace ksim::check
