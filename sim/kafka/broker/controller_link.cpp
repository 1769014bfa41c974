#include "sim/kafka/broker/controller_link.h"

#include "sim/history/history.h"

namespace ksim::kafka {

void ControllerLink::before_heartbeat(const NodeContext& context, TimeNs silence_ns) {
  const std::uint32_t controllers = context.controller_count();
  if (controllers <= 1 || context.now() - contact_ns_ <= silence_ns) return;
  choice_ = (choice_ + 1) % controllers;
  contact_ns_ = context.now();  // the next one gets as long
}

bool ControllerLink::accept(const NodeContext& context, NodeIndex from, std::int32_t epoch) {
  if (epoch < epoch_) return false;
  epoch_ = epoch;
  const NodeIndex first = context.controller_node();
  if (from >= first && from < first + context.controller_count()) {
    choice_ = from - first;
    contact_ns_ = context.now();
  }
  return true;
}

void ControllerLink::redirected(const NodeContext& context, NodeIndex active) {
  const NodeIndex first = context.controller_node();
  if (active == history::kNoNode || active < first || active >= first + context.controller_count()) return;
  choice_ = active - first;
}

}  // namespace ksim::kafka
