// Human output of the CLI: a progress bar on a terminal, plain lines elsewhere
// (CI logs), errors as "file:line: message", colour unless NO_COLOR is set or
// stderr is not a terminal. Machine output (--json) goes to stdout only.
#pragma once

#include <cstddef>
#include <mutex>
#include <string>

#include "engine/build_report.h"

namespace isrgen {

class Console {
 public:
  Console(bool quiet, bool json);

  void progress(size_t done, size_t total);  // thread-safe, throttled
  void error(const std::string& message);
  void note(const std::string& message);  // a plain line on stderr unless --quiet or --json
  void warning(const std::string& message);  // on stderr unless --quiet
  void build_summary(const BuildReport& report);
  // A line that sums up a run on stderr unless --quiet or --json: green when
  // `clean`, else yellow.
  void summary(const std::string& line, bool clean);

 private:
  void clear_progress_line();
  std::string paint(const char* colour, const std::string& text) const;

  bool quiet_;
  bool json_;
  bool interactive_;
  bool colour_;
  std::mutex mutex_;
  bool progress_shown_ = false;
  int last_percent_ = -1;
};

}  // namespace isrgen
