// The server-sent events of `isrgen dev` (GET /_isrgen/events): every page the
// preview serves listens here, and hears of each build as it finishes.
//
// Each client is an open answer (response_stream.h) with its own bounded
// queue, so a slow or vanished client never blocks a build or another
// request: it is dropped when it falls behind, when its connection ends or
// when a heartbeat finds it gone. At most max_clients listen at once (a
// browser holds one per open tab); more get a 503.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "serve/http_server.h"

namespace isrgen::serve {

struct EventHubLimits {
  size_t max_clients = 64;
  size_t max_pending_per_client = 32;  // events not yet written
};

// One event in the text/event-stream format: "event: <name>" and the data,
// one "data:" line per line of it, then a blank line.
std::string format_server_event(std::string_view name, std::string_view data);

class EventHub {
 public:
  explicit EventHub(EventHubLimits limits = {});
  EventHub(const EventHub&) = delete;
  EventHub& operator=(const EventHub&) = delete;

  // Answers a GET of the event stream: 200 text/event-stream that stays open
  // and starts with `first` (a formatted event: the state a new client needs),
  // or 503 when max_clients already listen.
  void subscribe(const Responder& respond, std::string first);

  // Sends a formatted event to every client; drops those that are gone or
  // too far behind. Never blocks on a client.
  void publish(const std::string& event);

  // A comment line, which keeps proxies from closing an idle stream and
  // finds clients that went away without closing their connection.
  void heartbeat();

  // Ends every stream (the server is stopping).
  void close_all();

  size_t clients() const;

 private:
  EventHubLimits limits_;
  mutable std::mutex mutex_;
  std::vector<std::shared_ptr<ResponseStream>> clients_;
};

}  // namespace isrgen::serve
