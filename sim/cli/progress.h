#pragma once
// Progress of a whole `ksim check` (every run of every scenario) on stderr: on a terminal
// one line rewritten in place (at most ten times a second) with runs done/total, runs per
// second, time left and the scenario being run; elsewhere (CI logs) a plain line every
// tenth of the runs and at least every 30 s. Nothing when disabled (--json keeps stdout
// for the document and stderr quiet). The wall clock here is the user's, for display only:
// runs know nothing of it.
#include <chrono>
#include <cstddef>
#include <string>

#include "sim/run/batch.h"

namespace ksim::cli {

// "12/40 runs, 3.5 runs/s, 8 s left" (the rate and time left once a run is done).
std::string progress_text(std::size_t done, std::size_t total, double elapsed_s);

// Progress of one batch (run, compare, sweep): one updating line on a terminal (at most ten
// redraws a second), a plain line every tenth of the runs elsewhere; nothing when disabled.
run::Progress progress_printer(bool enabled);

class ProgressLine {
 public:
  // `terminal`: stderr is a terminal (isatty), decided by the caller.
  ProgressLine(std::size_t total_runs, bool enabled, bool terminal);
  // Prints `text` as its own line (the scenario now starting), keeping the progress line below.
  void note(const std::string& text, const std::string& label);
  // The callback for one batch: its (done, total) added to the runs before it.
  run::Progress for_batch();
  void finish();
  // Runs done so far over all batches; `set_total` when the total is known only later.
  void advance_to(std::size_t done);
  void set_total(std::size_t total_runs) { total_ = total_runs; }

 private:
  using Clock = std::chrono::steady_clock;
  std::size_t total_;
  bool enabled_, terminal_;
  std::size_t done_ = 0, batch_base_ = 0;
  std::string label_;
  Clock::time_point started_ = Clock::now(), last_drawn_{};
  bool drawn_ = false;
};

}  // namespace ksim::cli
