#pragma once
// A consumer group member and the application around it: it resumes each assigned
// partition from the group's committed offset (or auto.offset.reset), fetches from the
// partition leader below the high watermark, processes records one at a time into the
// group's sink, and commits offsets as its commit strategy says.
//
// Simplification until the consumer-group issue: partitions are assigned statically by
// the range assignor when the run starts (no rebalances), and committed offsets are kept
// by a coordinator hosted on the controller node.
#include <cstdint>
#include <deque>
#include <vector>

#include "sim/kafka/consumer_config.h"
#include "sim/kafka/node_context.h"
#include "sim/kafka/sink.h"

namespace ksim::kafka {

// Range assignor: member i of m gets a consecutive run of the partitions.
std::vector<std::uint32_t> range_assignment(std::uint32_t partitions, std::uint32_t members, std::uint32_t member);

struct AssignedPartition {
  std::uint32_t partition = 0;
  Offset position = -1;            // next offset to fetch; -1 until known
  Offset position_at_last_poll = -1;  // what auto-commit commits (records of earlier polls)
  Offset processed_end = -1;       // everything below was processed
  bool offset_fetch_in_flight = false;
  bool fetch_in_flight = false;
  bool batch_in_processing = false;
  std::uint64_t session = 0;
};

struct RecordToProcess {
  std::uint32_t partition = 0;
  Offset offset = 0;
  std::uint64_t message_id = 0;
  bool last_of_batch = false;
};

class Consumer {
 public:
  Consumer(std::uint32_t index, NodeIndex node, std::uint32_t group, const ConsumerGroupConfig& config,
           std::vector<std::uint32_t> partitions, Sink& sink);

  NodeIndex node() const { return node_; }
  std::uint32_t group() const { return group_; }
  // Processed everything below `end` of `partition` (for the drain phase).
  bool caught_up(std::uint32_t partition, Offset end) const;
  const std::vector<AssignedPartition>& assigned() const { return assigned_; }

  void start(NodeContext& context);
  void crash();
  void on_message(NodeContext& context, NodeIndex from, const Payload& payload);
  void on_timer(NodeContext& context, std::uint32_t kind, std::uint64_t argument);

 private:
  enum Timer : std::uint32_t { kProcessed = 1, kFetchTimeout, kRetry, kMetadataRetry };

  AssignedPartition* find(std::uint32_t partition);
  void advance(NodeContext& context, AssignedPartition& assigned);
  void send_fetch(NodeContext& context, AssignedPartition& assigned);
  void on_fetch_response(NodeContext& context, const FetchResponse& response);
  void on_offset_fetch(NodeContext& context, const OffsetFetchResponse& response);
  void commit(NodeContext& context, std::uint32_t partition, Offset offset);
  void maybe_auto_commit(NodeContext& context);
  void start_processing(NodeContext& context);
  void finish_record(NodeContext& context);
  void request_metadata(NodeContext& context);
  void record(NodeContext& context, history::RecordKind kind, std::uint32_t partition, Offset offset,
              std::uint64_t message_id, std::uint8_t detail = 0);

  std::uint32_t index_;
  NodeIndex node_;
  std::uint32_t group_;
  ConsumerGroupConfig config_;
  std::vector<std::uint32_t> partitions_;
  Sink& sink_;

  std::uint32_t incarnation_ = 0;
  std::vector<AssignedPartition> assigned_;
  std::vector<std::uint32_t> leaders_;  // by partition
  std::deque<RecordToProcess> queue_;
  bool processing_ = false;
  bool metadata_in_flight_ = false;
  TimeNs last_auto_commit_ns_ = 0;
  std::uint64_t next_request_id_ = 1;
};

}  // namespace ksim::kafka
