#pragma once
// Where a run's records can go as they are written, besides (or instead of) the history:
// the streaming checker (issue 19 item 3) judges a run it never stores.
namespace ksim::history {

struct Record;  // history.h

class RecordSink {
 public:
  virtual ~RecordSink() = default;
  // Each record once, in history order, stamped with its time.
  virtual void on_record(const Record& record) = 0;
};

}  // namespace ksim::history
