#pragma once
// Internal to the checker: the write-write (ww) and write-read (wr) dependency graph between
// the history's operations, as Jepsen's Kafka checker builds it for Elle [JK] (ww-graph,
// wr-graph in jepsen.tests.kafka), on Boost.Graph. jepsen_cycles.cpp finds G0 and G1c in it.
//
// An operation is what Jepsen calls one: a producer transaction (producer, transaction
// number), a non-transactional send (one message), or a consumer's transaction
// (consume-transform-produce: its reads are the records it processed in that transaction,
// its `effect_in_transaction` records; in a client history its sends too). Only operations
// that write are vertices: an operation that only reads has no outgoing edge, so it lies on
// no cycle, and leaving it out keeps the graph as small as the writes.
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <boost/graph/adjacency_list.hpp>

#include "sim/check/facts.h"

namespace ksim::check {

enum class Dependency : std::uint8_t {
  ww,  // the earlier operation's value directly precedes the later one's in a partition's version order
  wr,  // the later operation read a value the earlier one wrote
};

struct DependencyEdge {
  Dependency kind = Dependency::ww;
  std::uint32_t partition = 0;
  std::uint64_t value = 0;       // ww: the earlier operation's value; wr: the value read
  std::uint64_t next_value = 0;  // ww: the later operation's value (directly after `value`); wr: = value
};

using DependencyGraph =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, boost::no_property, DependencyEdge>;

// A writing operation, by what names it.
struct OperationName {
  std::uint32_t node = history::kNoNode;
  std::int32_t transaction = -1;  // -1: a non-transactional send, of `message_id`
  std::uint64_t message_id = 0;
};

// A read of a value the same operation wrote: Jepsen's precommitted-read.
struct OwnRead {
  std::uint32_t operation = kNone;
  std::uint32_t partition = 0;
  std::uint64_t value = 0;
};

struct Dependencies {
  DependencyGraph graph;
  std::vector<OperationName> operations;  // by vertex
  std::vector<OwnRead> own_reads;         // at most one per operation, in history order
};

Dependencies build_dependencies(const history::History& history, const Facts& facts);

// "producer-1 transaction 4", "producer-0's send of 17": an operation as a person reads it.
std::string operation_text(const history::History& history, const OperationName& operation);

}  // namespace ksim::check
