#pragma once
// The application's database. A plain sink applies every processing as an effect; an
// idempotent sink stores the processed message id in the same write as the effect and
// skips ids it has seen (the seed's "idempotent consumer"). It belongs to the group's
// application, not to a consumer process, so it survives consumer crashes.
#include <cstdint>
#include <vector>

#include "sim/kafka/config/consumer_config.h"

namespace ksim::kafka {

class Sink {
 public:
  explicit Sink(SinkKind kind) : kind_(kind) {}
  SinkKind kind() const { return kind_; }

  // Returns true if the effect was applied, false if an idempotent sink skipped a repeat.
  bool apply(std::uint64_t message_id);

 private:
  SinkKind kind_;
  // Message ids are (producer + 1) << 40 | sequence: one bitmap per producer keeps the
  // "processed ids" table at a bit per message.
  std::vector<std::vector<bool>> seen_;
};

}  // namespace ksim::kafka
