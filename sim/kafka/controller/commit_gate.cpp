#include "sim/kafka/controller/commit_gate.h"

#include <utility>

#include "sim/core/assert.h"

namespace ksim::kafka {

namespace {
// A quorum that never commits would hold effects without end: the bound turns that into
// an assertion instead of memory growth.
constexpr std::size_t kMaxHeldEffects = 1'000'000;
}  // namespace

void CommitGate::send(NodeId from, NodeId to, Payload payload) {
  KSIM_ASSERT(held_.size() < kMaxHeldEffects, "the commit gate holds {} effects: the quorum never commits",
              held_.size());
  held_.push_back(Held{Held::kUntagged, Message{from, to, std::move(payload)}});
}

void CommitGate::record(const history::Record& record) {
  KSIM_ASSERT(held_.size() < kMaxHeldEffects, "the commit gate holds {} effects: the quorum never commits",
              held_.size());
  held_.push_back(Held{Held::kUntagged, record});
}

void CommitGate::tag_untagged(std::uint64_t offset) {
  for (Held& held : held_) {
    if (held.offset == Held::kUntagged) held.offset = offset;
  }
}

void CommitGate::release(std::uint64_t committed) {
  std::size_t released = 0;
  // Offsets only grow along the queue, so what is released is a prefix.
  while (released < held_.size() && held_[released].offset <= committed) ++released;
  if (released == 0) return;
  std::vector<Held> out(std::make_move_iterator(held_.begin()),
                        std::make_move_iterator(held_.begin() + static_cast<std::ptrdiff_t>(released)));
  held_.erase(held_.begin(), held_.begin() + static_cast<std::ptrdiff_t>(released));
  for (Held& held : out) {
    if (auto* message = std::get_if<Message>(&held.effect)) {
      inner_->send(message->from, message->to, std::move(message->payload));
    } else {
      inner_->record(std::get<history::Record>(held.effect));
    }
  }
}

}  // namespace ksim::kafka
