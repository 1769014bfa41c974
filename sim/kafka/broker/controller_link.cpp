#include "sim/kafka/broker/controller_link.h"

#include "sim/history/history.h"

namespace ksim::kafka {

void ControllerLink::before_heartbeat(const NodeContext& context, TimeNs silence_ns) {
  const std::uint32_t controllers = context.controller_count();
  if (controllers <= 1 || context.now() - contact_ns_ <= silence_ns) return;
  choice_ = (choice_ + 1) % controllers;
  contact_ns_ = context.now();  // the next one gets as long
}

bool ControllerLink::accept(const NodeContext& context, NodeId from, std::int32_t epoch) {
  if (epoch < epoch_) return false;
  epoch_ = epoch;
  if (const auto index = context.quorum_index(from)) {
    choice_ = *index;
    contact_ns_ = context.now();
  }
  return true;
}

void ControllerLink::redirected(const NodeContext& context, NodeId active) {
  if (const auto index = context.quorum_index(active)) choice_ = *index;
}

}  // namespace ksim::kafka
