#include "sim/cli/progress.h"

#include <cmath>
#include <cstdio>
#include <memory>

#include <unistd.h>

#include <fmt/format.h>

namespace ksim::cli {

namespace {

constexpr auto kRedraw = std::chrono::milliseconds(100);
constexpr auto kPlainEvery = std::chrono::seconds(30);

}  // namespace

std::string progress_text(std::size_t done, std::size_t total, double elapsed_s) {
  std::string text = fmt::format("{}/{} runs", done, total);
  if (done == 0 || elapsed_s <= 0) return text;
  const double per_second = static_cast<double>(done) / elapsed_s;
  const double left_s = static_cast<double>(total - done) / per_second;
  return text + fmt::format(", {:.1f} runs/s, {} left", per_second,
                            left_s >= 60 ? fmt::format("{:.0f} min {:.0f} s", std::floor(left_s / 60), std::fmod(left_s, 60))
                                         : fmt::format("{:.0f} s", left_s));
}

run::Progress progress_printer(bool enabled) {
  if (!enabled) return {};
  auto line = std::make_shared<ProgressLine>(0, true, isatty(fileno(stderr)) != 0);
  return [line](std::size_t done, std::size_t total) {
    line->set_total(total);
    line->advance_to(done);
    if (done == total) line->finish();
  };
}

ProgressLine::ProgressLine(std::size_t total_runs, bool enabled, bool terminal)
    : total_(total_runs), enabled_(enabled), terminal_(terminal) {}

void ProgressLine::note(const std::string& text, const std::string& label) {
  label_ = label;
  if (!enabled_) return;
  fmt::print(stderr, "{}{}\n", terminal_ && drawn_ ? "\r\x1b[K" : "", text);
  drawn_ = false;
}

run::Progress ProgressLine::for_batch() {
  batch_base_ = done_;
  return [this](std::size_t done, std::size_t) { advance_to(batch_base_ + done); };
}

void ProgressLine::advance_to(std::size_t done) {
  const std::size_t before = done_;
  done_ = done;
  if (!enabled_) return;
  const Clock::time_point now = Clock::now();
  const double elapsed_s = std::chrono::duration<double>(now - started_).count();
  if (terminal_) {
    if (done_ != total_ && drawn_ && now - last_drawn_ < kRedraw) return;
    constexpr std::size_t kWidth = 30;
    const std::size_t filled = total_ == 0 ? kWidth : std::min(kWidth, done_ * kWidth / total_);
    fmt::print(stderr, "\r[{}{}] {}{}{}\x1b[K", std::string(filled, '#'), std::string(kWidth - filled, '.'),
               progress_text(done_, total_, elapsed_s), label_.empty() ? "" : " · ", label_);
    std::fflush(stderr);
    drawn_ = true;
    last_drawn_ = now;
    return;
  }
  const bool new_tenth = total_ > 0 && done_ * 10 / total_ != before * 10 / total_;
  if (new_tenth || (done_ != before && now - last_drawn_ >= kPlainEvery)) {
    fmt::print(stderr, "{}{}\n", progress_text(done_, total_, elapsed_s), label_.empty() ? "" : fmt::format(" ({})", label_));
    last_drawn_ = now;
  }
}

void ProgressLine::finish() {
  if (enabled_ && terminal_ && drawn_) fmt::print(stderr, "\n");
  drawn_ = false;
}

}  // namespace ksim::cli
