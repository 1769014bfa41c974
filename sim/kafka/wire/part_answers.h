#pragma once
// The server's side of a request of several parts (wire/protocol.h, Parts): each part is
// handled as a request of its own, and the answer goes once every part is answered (a
// broker's DelayedProduce waits for all the partitions of a produce request; the group
// coordinator answers an OffsetCommit of several partitions at once).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "sim/core/ids.h"
#include "sim/kafka/wire/protocol.h"

namespace ksim::kafka {

template <class Answer>
class PartAnswers {
 public:
  void expect(NodeId requester, std::uint64_t request_id, std::size_t parts) {
    if (parts > 0) pending_.push_back(Pending{requester, request_id, parts, {}});
  }
  void clear() { pending_.clear(); }
  // false: `answer` is to no request of several parts (send it as it is). true: it is held,
  // and `whole` gets the request's answer when it was the last part.
  bool take(NodeId requester, const Answer& answer, std::optional<Parts<Answer>>& whole) {
    for (auto pending = pending_.begin(); pending != pending_.end(); ++pending) {
      if (pending->requester != requester || pending->request_id != answer.request_id) continue;
      pending->answers.push_back(answer);
      if (--pending->unanswered == 0) {
        whole = Parts<Answer>{pending->request_id, std::move(pending->answers)};
        pending_.erase(pending);
      }
      return true;
    }
    return false;
  }

 private:
  struct Pending {
    NodeId requester{};
    std::uint64_t request_id = 0;
    std::size_t unanswered = 0;
    std::vector<Answer> answers;
  };
  std::vector<Pending> pending_;  // few: one per request in flight
};

}  // namespace ksim::kafka
