#pragma once
// Strong types for the identities that cross layers: which node, which partition, which
// offset, which epoch. Each is its own type, so a partition cannot be passed where a node is
// expected, nor an epoch where an offset is: the compiler rejects it (issue 12 item 5). The
// raw value is reached only through `value()`, and converting a raw value is an explicit
// construction, so every conversion is visible at the boundary that makes it (the packed
// history record, the wire, a table index).
//
// Two shapes: an `Id` names something and only compares; a `Position` (offsets, epochs)
// also steps and measures distances, because logs are walked and sliced by offset.
#include <compare>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <ostream>

#include <fmt/format.h>

namespace ksim {

template <class Tag, std::integral Rep>
class Id {
 public:
  using Representation = Rep;
  constexpr Id() = default;
  constexpr explicit Id(Rep value) : value_(value) {}
  constexpr Rep value() const { return value_; }
  // As a table index (ids that are dense indices: nodes, partitions, groups).
  constexpr std::size_t index() const { return static_cast<std::size_t>(value_); }
  friend constexpr auto operator<=>(Id, Id) = default;

 private:
  Rep value_{};
};

template <class Tag, std::signed_integral Rep>
class Position {
 public:
  using Representation = Rep;
  constexpr Position() = default;
  constexpr explicit Position(Rep value) : value_(value) {}
  constexpr Rep value() const { return value_; }
  // As a table index (an offset into a log's entries); precondition: not negative.
  constexpr std::size_t index() const { return static_cast<std::size_t>(value_); }
  friend constexpr auto operator<=>(Position, Position) = default;

  // Stepping and distances: a position plus a count is a position; two positions differ by a count.
  friend constexpr Position operator+(Position p, Rep count) {
    return Position(static_cast<Rep>(p.value_ + count));
  }
  friend constexpr Position operator-(Position p, Rep count) {
    return Position(static_cast<Rep>(p.value_ - count));
  }
  friend constexpr Rep operator-(Position a, Position b) { return static_cast<Rep>(a.value_ - b.value_); }
  constexpr Position& operator+=(Rep count) {
    value_ = static_cast<Rep>(value_ + count);
    return *this;
  }
  constexpr Position& operator++() {
    ++value_;
    return *this;
  }

 private:
  Rep value_{};
};

// A node of the simulated cluster (broker, controller, producer, consumer): its dense index
// in the order the world built them. A broker's id is its node's.
using NodeId = Id<struct NodeIdTag, std::uint32_t>;
// A broker's number among the brokers (broker-1 is 0), not its network node: the controller's
// replica lists, ISRs and leaders, and the clients' per-broker tables, are indexed by it.
// NodeContext::broker_node converts it to the node that history records name.
using BrokerId = Id<struct BrokerIdTag, std::uint32_t>;
// A topic-partition, as one dense index over every topic of a run (the history's partition
// table names its topic and number within the topic).
using PartitionId = Id<struct PartitionIdTag, std::uint32_t>;
// A consumer group, by its dense index in the scenario.
using GroupIndex = Id<struct GroupIndexTag, std::uint32_t>;
// Kafka's producer id (KIP-98); 0: no idempotence.
using ProducerId = Id<struct ProducerIdTag, std::uint64_t>;
// A record's position in a partition's log; -1 where none is known.
using Offset = Position<struct OffsetTag, std::int64_t>;
// A partition leader's epoch (KIP-101), bumped at every leader change.
using LeaderEpoch = Position<struct LeaderEpochTag, std::int32_t>;
// A producer's epoch (KIP-98, bumped by KIP-360 after an abort or a fence).
using ProducerEpoch = Position<struct ProducerEpochTag, std::int32_t>;
// A consumer group's generation, bumped at every rebalance.
using Generation = Position<struct GenerationTag, std::int32_t>;

// The dense ids below `count`, in order: `for (const PartitionId p : ids_below<PartitionId>(n))`.
template <class IdType>
class ids_below {
 public:
  using Rep = typename IdType::Representation;
  class iterator {
   public:
    constexpr explicit iterator(Rep at) : at_(at) {}
    constexpr IdType operator*() const { return IdType{at_}; }
    constexpr iterator& operator++() {
      ++at_;
      return *this;
    }
    friend constexpr bool operator==(iterator, iterator) = default;

   private:
    Rep at_;
  };
  constexpr explicit ids_below(Rep count) : count_(count) {}
  constexpr iterator begin() const { return iterator{0}; }
  constexpr iterator end() const { return iterator{count_}; }

 private:
  Rep count_;
};

inline constexpr NodeId kNoNodeId{std::numeric_limits<std::uint32_t>::max()};
// No broker (a partition without a leader, a coordinator not yet known); the same value as
// history::kNoNode, which the model used for it before BrokerId.
inline constexpr BrokerId kNoBroker{std::numeric_limits<std::uint32_t>::max()};
inline constexpr Offset kNoOffsetPosition{-1};
inline constexpr LeaderEpoch kNoLeaderEpoch{-1};
inline constexpr ProducerId kNoProducerId{0};  // not idempotent

// Test frameworks print values with <<: an id prints as its raw value.
template <class Tag, class Rep>
std::ostream& operator<<(std::ostream& out, Id<Tag, Rep> id) {
  return out << id.value();
}
template <class Tag, class Rep>
std::ostream& operator<<(std::ostream& out, Position<Tag, Rep> position) {
  return out << position.value();
}

}  // namespace ksim

// Ids print as their raw value, so messages and reports read as before.
template <class Tag, class Rep>
struct fmt::formatter<ksim::Id<Tag, Rep>> : fmt::formatter<Rep> {
  auto format(ksim::Id<Tag, Rep> id, fmt::format_context& context) const {
    return fmt::formatter<Rep>::format(id.value(), context);
  }
};
template <class Tag, class Rep>
struct fmt::formatter<ksim::Position<Tag, Rep>> : fmt::formatter<Rep> {
  auto format(ksim::Position<Tag, Rep> position, fmt::format_context& context) const {
    return fmt::formatter<Rep>::format(position.value(), context);
  }
};
