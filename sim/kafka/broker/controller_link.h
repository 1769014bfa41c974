#pragma once
// How a broker finds the active controller of the quorum and fences a deposed one
// (KIP-631): it sends heartbeats and AlterPartition to the controller it believes active;
// a controller that is not active answers NOT_CONTROLLER with the one it believes active;
// after hearing nothing from its controller for two heartbeat intervals it tries the next
// one. A decision or answer from a controller epoch older than one it has seen comes from a
// deposed controller and is ignored. With a single controller all of this is a no-op.
#include <cstdint>

#include "sim/kafka/node/node_context.h"

namespace ksim::kafka {

class ControllerLink {
 public:
  NodeId target(const NodeContext& context) const { return context.quorum_node(choice_); }
  void started(TimeNs now_ns) { contact_ns_ = now_ns; }
  // Before a heartbeat: after `silence_ns` without word from its controller, the next one.
  void before_heartbeat(const NodeContext& context, TimeNs silence_ns);
  // A decision or heartbeat answer from controller `from` at `epoch`: false if it comes
  // from a controller older than one already heard (it must be ignored).
  bool accept(const NodeContext& context, NodeId from, std::int32_t epoch);
  // NOT_CONTROLLER: `active` (a node, or kNoNodeId when unknown) is where to go next.
  void redirected(const NodeContext& context, NodeId active);

 private:
  std::uint32_t choice_ = 0;  // quorum index
  std::int32_t epoch_ = 0;    // the highest controller epoch heard
  TimeNs contact_ns_ = 0;
};

}  // namespace ksim::kafka
