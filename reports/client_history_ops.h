#pragma once
// Internal to the client-history reader: turns the parsed lines of a "ksim-client-history"
// v1 file into history records, checking each line as it goes.
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <span>

#include <nlohmann/json.hpp>

#include "reports/client_history_format.h"
#include "reports/client_history_line.h"
#include "sim/history/history.h"

namespace ksim::reports {

// A problem on the line being read; the reader adds the line number.
struct BadLine {
  std::string field;
  std::string message;
};

// Counts the line's bytes and throws if the file or the line is over its bound (both readers).
void check_line_bounds(const std::string& line, std::size_t number, std::uint64_t& bytes,
                       const ClientHistoryLimits& limits);

class OpReader {
 public:
  void header(const nlohmann::json& line);
  // One line after the header; true when it is the end line.
  bool line(const FlatLine& line);
  std::uint64_t operations() const { return operations_; }
  bool has_apply() const { return has_apply_; }
  history::History finish();

 private:
  using Values = std::span<const FlatObject>;
  struct Process {
    NodeId node{0};
    bool sends = false;  // a producer or a client
    bool reads = false;  // a consumer or a client
    GroupIndex group{0};
  };
  // An invoked operation waiting for its completion.
  struct Open {
    NodeId node{0};
    std::string f;
    std::uint64_t message = 0;  // a send's message id
    PartitionId partition{0};
    std::int64_t transaction = -1;  // a send's or a txn's transaction, -1 if none
  };

  void read_processes(const nlohmann::json& processes);
  bool end_line(const FlatObject& line);
  void operation(const FlatLine& line);
  void invoke(std::uint64_t id, const Process& process, const std::string& f, TimeNs time, Values values);
  void complete(std::uint64_t id, const Process& process, const std::string& f, const std::string& type, TimeNs time,
                const FlatLine& line);
  void complete_send(const Open& open, const std::string& type, TimeNs time, const FlatLine& line);
  void read_values(const Process& process, const std::string& f, TimeNs time, Values values);
  PartitionId partition_of(const FlatObject& value) const;
  std::int64_t transaction_of(const FlatObject& value, const std::string& where) const;
  void complete_transaction(const Open& open, const std::string& type, TimeNs time);

  history::History history_;
  std::vector<history::Record> records_;
  std::map<std::string, Process> processes_;
  std::map<std::uint64_t, Open> open_;   // invoked, not completed
  std::set<std::uint64_t> used_ids_;     // every id ever invoked
  std::uint64_t operations_ = 0;
  TimeNs last_time_ = 0;
  bool has_apply_ = false;
  int version_ = kClientHistoryVersion;
};

}  // namespace ksim::reports
