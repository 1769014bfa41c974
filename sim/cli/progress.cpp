#include "sim/cli/progress.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>

#include <fmt/format.h>
#include <unistd.h>

namespace ksim::cli {

namespace {

// Progress on a terminal as one rewritten line; plain lines every tenth otherwise.
// "12.5 runs/s, 40 s left" from the wall clock (the user's, never a run's: runs know only
// simulated time).
std::string progress_rate(std::size_t done, std::size_t total, std::chrono::steady_clock::time_point started) {
  const double elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (done == 0 || elapsed_s <= 0) return "";
  const double per_second = static_cast<double>(done) / elapsed_s;
  const double left_s = static_cast<double>(total - done) / per_second;
  return fmt::format(", {:.1f} runs/s, {} left", per_second,
                     left_s >= 60 ? fmt::format("{:.0f} min {:.0f} s", std::floor(left_s / 60), std::fmod(left_s, 60))
                                  : fmt::format("{:.0f} s", left_s));
}

}  // namespace

// Progress on stderr: one updating line on a terminal (at most ten redraws a second), a
// plain line every tenth of the runs elsewhere (CI logs); nothing when disabled (--json).
run::Progress progress_printer(bool enabled) {
  if (!enabled) return {};
  const bool terminal = isatty(fileno(stderr)) != 0;
  const auto started = std::chrono::steady_clock::now();
  auto last_drawn = std::make_shared<std::chrono::steady_clock::time_point>();
  return [terminal, started, last_drawn](std::size_t done, std::size_t total) {
    if (terminal) {
      const auto now = std::chrono::steady_clock::now();
      if (done != total && now - *last_drawn < std::chrono::milliseconds(100)) return;
      *last_drawn = now;
      const std::size_t width = 30;
      const std::size_t filled = total == 0 ? width : done * width / total;
      fmt::print(stderr, "\r[{}{}] {}/{} runs{}\x1b[K", std::string(filled, '#'), std::string(width - filled, '.'),
                 done, total, progress_rate(done, total, started));
      if (done == total) fmt::print(stderr, "\n");
    } else if (total >= 10 && (done * 10 / total) != ((done - 1) * 10 / total)) {
      fmt::print(stderr, "{}/{} runs{}\n", done, total, progress_rate(done, total, started));
    }
  };
}

}  // namespace ksim::cli
