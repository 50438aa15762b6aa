// Headless Chromium driven through the DevTools protocol, for tests that must
// see what a real browser does with a page: the live-reload script of
// `isrgen dev` running, a stylesheet applied, an image picked for a width.
//
// One browser process (its own process group, a fresh profile) and one
// WebSocket to its first tab. Every call has a deadline, which only bounds a
// failing test: nothing here waits for time. Failures of the connection throw
// std::runtime_error; errors the page or the protocol report throw
// DevToolsError, which wait_until() takes as "not yet".
#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

namespace isrgen::testing {

// An error answered by the browser: a failed command, or an exception thrown
// by evaluated JavaScript (its message and the expression's first line).
struct DevToolsError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class ChromiumSession {
 public:
  using Clock = std::chrono::steady_clock;

  // Starts `chromium --headless` with its profile in `profile_dir` (created;
  // the caller removes it) and attaches to its tab. nullptr, with `why_not`
  // saying what happened, when Chromium is missing or does not start here.
  static std::unique_ptr<ChromiumSession> start(const std::filesystem::path& profile_dir, std::string& why_not);
  ~ChromiumSession();  // close()
  ChromiumSession(const ChromiumSession&) = delete;
  ChromiumSession& operator=(const ChromiumSession&) = delete;

  // Loads `url` in the tab and returns once its load event fired. Throws
  // DevToolsError when the browser cannot load it (its errorText).
  void navigate(const std::string& url, std::chrono::milliseconds limit = std::chrono::seconds(10));

  // The value of the JavaScript expression `js` in the page, as JSON (a
  // promise is awaited; undefined is null). Throws DevToolsError when it throws.
  nlohmann::json evaluate(const std::string& js);

  // Evaluates the expression `predicate` in the page until it is truthy
  // (true) or `limit` passed (false). Polled in the page every 10 ms; an
  // error while the page reloads counts as false (see last_wait_error()).
  bool wait_until(const std::string& predicate, std::chrono::milliseconds limit = std::chrono::seconds(5));
  const std::string& last_wait_error() const { return last_wait_error_; }

  // Lays the page out as a window `width` CSS pixels wide (device scale 1,
  // not mobile), as responsive images and media queries see it.
  void set_viewport(int width, int height = 800);

  // Browser.close, then the process group killed if it has not exited within
  // a few seconds. Idempotent.
  void close();

  // Chromium's stderr so far, for failure messages.
  std::string log() const;

 private:
  struct Connection;
  ChromiumSession() = default;

  // Sends a command and returns its result, queueing the events read meanwhile.
  nlohmann::json call(Connection& connection, const std::string& method, const nlohmann::json& params,
                      Clock::time_point deadline);
  void wait_for_event(const std::string& method, Clock::time_point deadline);
  void read_log();
  // Blocks until the log holds `text` or Chromium closed its stderr; true when it holds it.
  bool wait_for_log(const std::string& text, Clock::time_point deadline);

  pid_t pid_ = -1;
  int log_fd_ = -1;
  std::thread log_reader_;
  mutable std::mutex log_mutex_;
  std::condition_variable log_changed_;
  std::string log_;
  bool log_closed_ = false;

  uint16_t port_ = 0;
  std::string browser_path_;  // /devtools/browser/<id>
  std::unique_ptr<Connection> page_;
  std::deque<nlohmann::json> events_;  // read while waiting for an answer
  int next_id_ = 0;
  std::string last_wait_error_;
  bool closed_ = false;
};

}  // namespace isrgen::testing
