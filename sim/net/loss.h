#pragma once
// Which messages a link drops. Three models:
//  - independent: each message is lost with loss_probability, regardless of the others;
//  - correlated (netem's "loss p% correlation c%"): bursts with an exact average rate p;
//  - gilbert_elliott: a two-state (good/bad) Markov chain with a loss probability per state.
//
// About `correlated`: netem mixes uniform numbers, next = c * previous + (1 - c) * fresh,
// and compares the mix with p. A mix of uniforms is no longer uniform, so netem's real
// loss rate drifts away from p (towards 50%) as c grows, a known netem weakness. We keep
// the same idea, "with weight c the previous outcome, with weight 1 - c a fresh one",
// but mix decisions instead of numbers: with probability c the message repeats the
// previous message's outcome, otherwise it is lost with a fresh Bernoulli(p). The
// average stays exactly p, the lag-1 correlation of outcomes is exactly c, and the mean
// loss run is 1 / ((1 - c)(1 - p)) messages instead of 1 / (1 - p).
//
// About `gilbert_elliott`: bad_to_good_probability = 0 with good_to_bad_probability > 0
// is allowed: the bad state is then absorbing (a link that breaks for good once it
// enters the bad state) and the stationary loss rate is loss_probability_bad. With both
// transition probabilities 0 the chain never leaves its initial good state.
#include <string>
#include <string_view>

#include "sim/core/config_issue.h"
#include "sim/random/random_stream.h"

namespace ksim::net {

enum class LossModelKind { independent, gilbert_elliott, correlated };

std::string_view to_string(LossModelKind kind);

struct LossModel {
  LossModelKind kind = LossModelKind::independent;
  double loss_probability = 0;  // independent; and `correlated` with:
  double loss_correlation = 0;  // in [0, 1): weight of the previous outcome
  // Gilbert-Elliott two-state model, starting in the good state:
  double good_to_bad_probability = 0, bad_to_good_probability = 1, loss_probability_good = 0,
         loss_probability_bad = 1;

  // Long-run fraction of messages lost (the stationary average).
  double average_loss_probability() const;
};

ConfigIssues validate(const LossModel& loss, const std::string& key_path);

// What a loss model remembers between messages of one link.
struct LossState {
  bool bad = false;            // Gilbert-Elliott: in the bad state
  bool previous_lost = false;  // correlated: outcome of the previous message
};

// Decides whether the next message on the link is lost, advancing `state` once. Draws a
// fixed number of uniforms for a given kind (1 independent, 2 correlated, 2
// Gilbert-Elliott), whatever the outcome, so the draws of later messages do not depend
// on earlier outcomes. Precondition: validate() found no issue.
bool decide_loss(const LossModel& loss, LossState& state, RandomStream& random);

}  // namespace ksim::net
