#include "sim/kafka/config/delivery_mode.h"

namespace ksim::kafka {

std::string_view to_string(DeliveryMode mode) {
  switch (mode) {
    case DeliveryMode::at_most_once:
      return "at-most-once";
    case DeliveryMode::at_least_once:
      return "at-least-once";
    case DeliveryMode::exactly_once:
      return "exactly-once";
    case DeliveryMode::exactly_once_transactions:
      return "exactly-once-transactions";
  }
  return "unknown";
}

const std::vector<DeliveryMode>& all_delivery_modes() {
  static const std::vector<DeliveryMode> modes{DeliveryMode::at_most_once, DeliveryMode::at_least_once,
                                               DeliveryMode::exactly_once, DeliveryMode::exactly_once_transactions};
  return modes;
}

std::optional<DeliveryMode> parse_delivery_mode(std::string_view name) {
  for (const DeliveryMode mode : all_delivery_modes()) {
    if (to_string(mode) == name) return mode;
  }
  return std::nullopt;
}

Guarantee promised_guarantee(DeliveryMode mode) {
  switch (mode) {
    case DeliveryMode::at_most_once:
      return Guarantee::no_duplicates;
    case DeliveryMode::at_least_once:
      return Guarantee::no_loss;
    case DeliveryMode::exactly_once:
    case DeliveryMode::exactly_once_transactions:
      return Guarantee::no_loss_no_duplicates;
  }
  return Guarantee::no_loss_no_duplicates;
}

std::string_view describe(Guarantee guarantee) {
  switch (guarantee) {
    case Guarantee::no_duplicates:
      return "no duplicates";
    case Guarantee::no_loss:
      return "no loss";
    case Guarantee::no_loss_no_duplicates:
      return "no loss and no duplicates";
  }
  return "";
}

void apply_producer_preset(DeliveryMode mode, ProducerConfig& settings) {
  settings.enable_idempotence_explicit = false;
  switch (mode) {
    case DeliveryMode::at_most_once:
      settings.acks = Acks::none;
      settings.retries = 0;
      settings.enable_idempotence = false;
      break;
    case DeliveryMode::at_least_once:
      settings.acks = Acks::all;
      settings.retries = ProducerConfig{}.retries;
      settings.enable_idempotence = false;
      break;
    case DeliveryMode::exactly_once:
      settings.acks = Acks::all;
      settings.retries = ProducerConfig{}.retries;
      settings.enable_idempotence = true;
      break;
    case DeliveryMode::exactly_once_transactions:
      settings.acks = Acks::all;
      settings.retries = ProducerConfig{}.retries;
      settings.enable_idempotence = true;
      if (settings.transactional_id.empty()) settings.transactional_id = "tx";
      break;
  }
}

void apply_consumer_preset(DeliveryMode mode, ConsumerGroupConfig& group) {
  group.commit_strategy = mode == DeliveryMode::at_most_once                ? CommitStrategy::before_processing
                          : mode == DeliveryMode::exactly_once_transactions ? CommitStrategy::transactional
                                                                            : CommitStrategy::after_processing;
  group.sink = mode == DeliveryMode::exactly_once ? SinkKind::idempotent : SinkKind::plain;
  group.config.read_committed = mode == DeliveryMode::exactly_once_transactions;
  // A processor's producer takes the mode's producer settings (its transactions are the
  // member's own, commit: transactional; the preset's transactional.id is not used).
  apply_producer_preset(mode, group.output.producer);
}

void apply_delivery_mode(DeliveryMode mode, WorldConfig& config) {
  for (ProducerWorkload& producer : config.producers) apply_producer_preset(mode, producer.config);
  for (ConsumerGroupConfig& group : config.consumer_groups) apply_consumer_preset(mode, group);
}

}  // namespace ksim::kafka
