#pragma once
// What one directed link remembers while a run goes on: its random stream, its loss
// model's state, when it finishes serializing what was already sent (bandwidth), when
// it last scheduled a delivery (FIFO order), and its counters.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "sim/core/sim_time.h"
#include "sim/net/link_profile.h"
#include "sim/net/loss.h"
#include "sim/random/random_stream.h"

namespace ksim::net {

struct LinkCounters {
  // sent: messages entering the link (a copy made upstream is counted with its original);
  // delivered: copies leaving it; lost: messages it dropped; duplicated: copies it made;
  // cut: messages dropped at send time because this direct link was cut.
  // retransmitted: messages delayed by at least one retransmission.
  std::uint64_t sent = 0, delivered = 0, lost = 0, duplicated = 0, cut = 0, retransmitted = 0;
};

// The random outcome of one message on one link. Drawn in a fixed order (loss,
// duplication, latency of the original, latency of a copy) and always all of them, so
// the number of draws per message does not depend on the outcomes.
struct HopDraws {
  bool lost = false;
  bool duplicated = false;
  TimeNs latency_ns = 0;
  TimeNs copy_latency_ns = 0;
};

// RFC 5681 section 3.2: the third duplicate ACK triggers a fast retransmit.
inline constexpr std::size_t kDuplicateAckThreshold = 3;

class LinkState {
 public:
  LinkState(std::uint64_t root_seed, std::string_view stream_name) : random_(root_seed, stream_name) {}

  HopDraws draw(const LinkProfile& profile);

  // Fast retransmit (RFC 5681 section 3.2): a loss is found without waiting for the
  // retransmission timeout once kDuplicateAckThreshold later segments have arrived and
  // their duplicate ACKs are back. The network decides a message's fate when it is sent,
  // before the segments after it exist, so this is an estimate: the link is assumed to
  // keep sending at the pace of its last kDuplicateAckThreshold messages (entered before
  // enter_ns). Returns how long after enter_ns the fast retransmission leaves: the third
  // follower's send and arrival, the duplicate ACK back and, applied by the caller, the
  // retransmission's own trip, each leg taking latency_ns. nullopt (a tail loss, left to
  // the timeout) when the link sent fewer than three messages before, or when that would
  // come after the retransmission timeout fires (RFC 6298 section 5.1).
  std::optional<TimeNs> fast_retransmit_delay_ns(const LinkProfile& profile, TimeNs enter_ns,
                                                 TimeNs latency_ns) const;

  // Remembers that a message entered the link at enter_ns, for the estimate above.
  void note_send(TimeNs enter_ns);

  // After a loss on a retransmitting link: how much later the message gets through, or
  // nullopt if every retransmission was lost too. Each retransmission draws its own loss.
  // The first is the fast retransmission when there is one; if it is lost too, the
  // retransmission timer restarted when it was sent fires (Linux rearms it when it
  // retransmits the head segment, tcp_xmit_retransmit_queue) and then backs off,
  // doubling (RFC 6298 section 5.5).
  std::optional<TimeNs> retransmission_delay_ns(const LinkProfile& profile,
                                                std::optional<TimeNs> fast_retransmit_delay_ns);

  // Time the last byte of a message handed to the link at enter_ns has left it: it waits
  // for earlier messages to finish (busy_until), then takes size / bandwidth, rounded up
  // to whole nanoseconds. Unlimited bandwidth: enter_ns, and no queueing.
  TimeNs serialize(const LinkProfile& profile, TimeNs enter_ns, std::uint32_t size_bytes);

  // Delivery time of a copy that left the link at left_ns and travels latency_ns. On a
  // FIFO link never earlier than the previous delivery scheduled on the link.
  TimeNs propagate(const LinkProfile& profile, TimeNs left_ns, TimeNs latency_ns);

  // A network fault's added latency and loss on this link (link_impairment.h); zero for
  // both: none. The added loss draws from `impairment_random`, a stream of its own taken
  // on the first impairment, so the link's own draws stay those of an unimpaired run.
  void set_impairment(TimeNs added_latency_ns, double loss_probability, std::uint64_t root_seed,
                      std::string_view stream_name);

  LinkCounters& counters() { return counters_; }
  const LinkCounters& counters() const { return counters_; }

 private:
  // The link's own loss, then (while impaired) the impairment's, always drawn when in force.
  bool decide_impaired_loss(const LossModel& loss);

  RandomStream random_;
  LossState loss_state_;
  TimeNs added_latency_ns_ = 0;
  double impairment_loss_probability_ = 0;
  std::optional<RandomStream> impairment_random_;
  TimeNs busy_until_ns_ = 0;
  TimeNs last_delivery_ns_ = 0;
  // When the last kDuplicateAckThreshold messages entered the link, oldest overwritten first.
  std::array<TimeNs, kDuplicateAckThreshold> recent_enter_ns_{};
  std::uint64_t enter_count_ = 0;
  LinkCounters counters_;
};

// ceil(size_bytes * 1e9 / bandwidth) in integers. size_bytes < 2^32 and 1e9 < 2^30, so
// the product stays below 2^62 and fits an unsigned 64-bit integer.
TimeNs serialization_delay_ns(std::uint32_t size_bytes, std::uint64_t bandwidth_bytes_per_second);

// a + b for non-negative times, saturating at kTimeNeverNs instead of overflowing.
TimeNs saturating_add_ns(TimeNs a, TimeNs b);

}  // namespace ksim::net
