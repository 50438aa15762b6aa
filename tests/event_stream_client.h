// A client of a server-sent event stream for tests of `isrgen dev`: a plain
// socket to the loopback that sends one GET with the Host header a browser
// would send, then reads events as they come. Waits are on the socket, with a
// deadline that only bounds a failing test.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace isrgen::testing {

struct ServerEvent {
  std::string name;  // "message" when the event has no "event:" line
  std::string data;  // its data lines, joined by '\n'
};

class EventStreamClient {
 public:
  EventStreamClient(uint16_t port, const std::string& host, const std::string& path = "/_isrgen/events");
  ~EventStreamClient();
  EventStreamClient(const EventStreamClient&) = delete;
  EventStreamClient& operator=(const EventStreamClient&) = delete;

  // The status line and headers, once they came; "" when the server closed first.
  std::string head(std::chrono::milliseconds limit = std::chrono::seconds(10));

  // The next event named `name` (comments and other events are skipped), or
  // nullopt when `limit` passed or the server closed the stream first.
  std::optional<ServerEvent> next_event(const std::string& name,
                                        std::chrono::milliseconds limit = std::chrono::seconds(10));

  // Whether the server closed the stream within `limit`.
  bool wait_closed(std::chrono::milliseconds limit = std::chrono::seconds(10));

  // Everything received so far that no call consumed, for failure messages.
  const std::string& unread() const { return received_; }

 private:
  // False on end of stream or when `deadline` passed.
  bool receive_more(std::chrono::steady_clock::time_point deadline);

  int fd_ = -1;
  bool closed_ = false;
  bool head_read_ = false;
  std::string received_;
};

}  // namespace isrgen::testing
