#include "sim/net/loss.h"

#include <fmt/format.h>

#include "sim/core/assert.h"
#include "sim/net/check.h"

namespace ksim::net {

std::string_view to_string(LossModelKind kind) {
  switch (kind) {
    case LossModelKind::independent: return "independent";
    case LossModelKind::gilbert_elliott: return "gilbert_elliott";
    case LossModelKind::correlated: return "correlated";
  }
  return "unknown";
}

double LossModel::average_loss_probability() const {
  switch (kind) {
    case LossModelKind::independent:
    case LossModelKind::correlated:
      return loss_probability;
    case LossModelKind::gilbert_elliott: {
      const double leave_rates = good_to_bad_probability + bad_to_good_probability;
      if (leave_rates == 0.0) return loss_probability_good;  // never leaves the initial good state
      const double bad_share = good_to_bad_probability / leave_rates;
      return (1.0 - bad_share) * loss_probability_good + bad_share * loss_probability_bad;
    }
  }
  return 0;
}

ConfigIssues validate(const LossModel& loss, const std::string& key_path) {
  ConfigIssues issues;
  switch (loss.kind) {
    case LossModelKind::correlated:
      if (!(loss.loss_correlation >= 0.0 && loss.loss_correlation < 1.0)) {
        issues.push_back({join_key(key_path, "loss_correlation"),
                          fmt::format("loss_correlation must be in [0, 1), got {}", loss.loss_correlation)});
      }
      [[fallthrough]];
    case LossModelKind::independent:
      check_probability(issues, key_path, "loss_probability", loss.loss_probability);
      break;
    case LossModelKind::gilbert_elliott:
      check_probability(issues, key_path, "good_to_bad_probability", loss.good_to_bad_probability);
      check_probability(issues, key_path, "bad_to_good_probability", loss.bad_to_good_probability);
      check_probability(issues, key_path, "loss_probability_good", loss.loss_probability_good);
      check_probability(issues, key_path, "loss_probability_bad", loss.loss_probability_bad);
      break;
  }
  return issues;
}

bool decide_loss(const LossModel& loss, LossState& state, RandomStream& random) {
  switch (loss.kind) {
    case LossModelKind::independent:
      return random.bernoulli(loss.loss_probability);
    case LossModelKind::correlated: {
      const bool repeat_previous = random.bernoulli(loss.loss_correlation);
      const bool fresh_lost = random.bernoulli(loss.loss_probability);
      state.previous_lost = repeat_previous ? state.previous_lost : fresh_lost;
      return state.previous_lost;
    }
    case LossModelKind::gilbert_elliott: {
      // Transition first, then lose with the probability of the state now entered.
      const bool switch_state =
          random.bernoulli(state.bad ? loss.bad_to_good_probability : loss.good_to_bad_probability);
      const double loss_uniform = random.uniform01();
      if (switch_state) state.bad = !state.bad;
      return loss_uniform < (state.bad ? loss.loss_probability_bad : loss.loss_probability_good);
    }
  }
  KSIM_ASSERT(false, "unknown loss model kind {}", static_cast<int>(loss.kind));
  return false;
}

}  // namespace ksim::net
