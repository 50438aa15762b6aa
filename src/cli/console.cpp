#include "cli/console.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>

namespace isrgen {

Console::Console(bool quiet, bool json)
    : quiet_(quiet),
      json_(json),
      interactive_(::isatty(STDERR_FILENO) == 1),
      colour_(interactive_ && std::getenv("NO_COLOR") == nullptr) {}

std::string Console::paint(const char* colour, const std::string& text) const {
  if (!colour_) return text;
  return std::string("\033[") + colour + "m" + text + "\033[0m";
}

void Console::clear_progress_line() {
  if (!progress_shown_) return;
  std::fputs("\r\033[K", stderr);
  progress_shown_ = false;
}

void Console::progress(size_t done, size_t total) {
  if (quiet_ || json_ || !interactive_ || total == 0) return;
  int percent = static_cast<int>(done * 100 / total);
  std::lock_guard<std::mutex> lock(mutex_);
  if (percent == last_percent_ && done != total) return;
  last_percent_ = percent;
  constexpr int kWidth = 30;
  int filled = percent * kWidth / 100;
  std::string bar(static_cast<size_t>(filled), '=');
  bar.resize(kWidth, ' ');
  std::fprintf(stderr, "\r[%s] %3d%% %zu/%zu pages", bar.c_str(), percent, done, total);
  std::fflush(stderr);
  progress_shown_ = true;
}

void Console::error(const std::string& message) {
  std::lock_guard<std::mutex> lock(mutex_);
  clear_progress_line();
  std::fprintf(stderr, "%s\n", paint("31", message).c_str());
}

void Console::note(const std::string& message) {
  std::lock_guard<std::mutex> lock(mutex_);
  clear_progress_line();
  if (quiet_ || json_) return;
  std::fprintf(stderr, "%s\n", message.c_str());
}

void Console::warning(const std::string& message) {
  std::lock_guard<std::mutex> lock(mutex_);
  clear_progress_line();
  if (quiet_) return;
  std::fprintf(stderr, "%s\n", paint("33", "warning: " + message).c_str());
}

void Console::summary(const std::string& line, bool clean) {
  std::lock_guard<std::mutex> lock(mutex_);
  clear_progress_line();
  if (quiet_ || json_) return;
  std::fprintf(stderr, "%s\n", paint(clean ? "32" : "33", line).c_str());
}

void Console::build_summary(const BuildReport& report) {
  std::string line = std::string(command_name(report.command)) + ": " + std::to_string(report.pages) + " pages, " +
                     std::to_string(report.rendered.size()) + " rendered, " + std::to_string(report.written) +
                     " written, " + std::to_string(report.deleted.size()) + " deleted, " +
                     std::to_string(report.failed.size()) + " failed";
  if (report.deferred > 0) line += ", " + std::to_string(report.deferred) + " deferred";
  if (!report.degraded.empty()) line += ", " + std::to_string(report.degraded.size()) + " sources degraded";
  line += " in " + std::to_string(report.duration_ms) + " ms";
  summary(line, report.failed.empty() && report.degraded.empty());
}

}  // namespace isrgen
