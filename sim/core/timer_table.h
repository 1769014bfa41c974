#pragma once
// A node's pending timers as small typed values. Setting a timer stores its value in a
// slot and gives a ticket (slot, generation) for the event queue to carry, so an event
// stays 24 bytes whatever the timer holds. A slot is held until its event runs, even
// when the timer went stale meanwhile, so the value can still be described then (the run
// fingerprint folds every executed event); a stale timer is one whose slot generation
// moved on (disarm_all: the process died), and take() drops it.
#include <cstdint>
#include <optional>
#include <vector>

#include "sim/core/assert.h"

namespace ksim {

struct TimerTicket {
  std::uint32_t slot = 0;
  std::uint32_t generation = 0;
};

template <typename Value>
class TimerTable {
 public:
  // Pending timers include stale ones still queued (e.g. a request timeout whose request
  // was answered), so the bound is far above the few a node has live at once.
  static constexpr std::uint32_t kMaxPendingTimers = 1U << 22;

  TimerTicket arm(const Value& value) {
    std::uint32_t slot = 0;
    if (free_slots_.empty()) {
      KSIM_ASSERT(slots_.size() < kMaxPendingTimers, "a node has {} timers pending, the table's bound",
                  slots_.size());
      slot = static_cast<std::uint32_t>(slots_.size());
      slots_.emplace_back();
    } else {
      slot = free_slots_.back();
      free_slots_.pop_back();
    }
    Slot& entry = slots_[slot];
    entry.value = value;
    entry.pending = true;
    return TimerTicket{slot, ++entry.generation};
  }

  // The value a queued ticket was set with, stale or not (its slot is still held).
  const Value& pending_value(TimerTicket ticket) const {
    KSIM_ASSERT(ticket.slot < slots_.size() && slots_[ticket.slot].pending, "timer slot {} is not pending",
                ticket.slot);
    return slots_[ticket.slot].value;
  }

  // The ticket's event runs: frees its slot; the value unless the timer went stale.
  std::optional<Value> take(TimerTicket ticket) {
    const Value value = pending_value(ticket);
    Slot& entry = slots_[ticket.slot];
    const bool live = entry.generation == ticket.generation;
    release(ticket);
    if (!live) return std::nullopt;
    return value;
  }

  // The ticket's event will never run (dropped from a held queue): frees its slot.
  void release(TimerTicket ticket) {
    pending_value(ticket);  // asserts that the slot is held
    slots_[ticket.slot].pending = false;
    free_slots_.push_back(ticket.slot);
  }

  // Every pending timer goes stale (its process died); their slots stay held until
  // their events run.
  void disarm_all() {
    for (Slot& entry : slots_) {
      if (entry.pending) ++entry.generation;
    }
  }

 private:
  struct Slot {
    Value value{};
    std::uint32_t generation = 0;
    bool pending = false;
  };
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_slots_;  // reused last-freed first: deterministic
};

}  // namespace ksim
