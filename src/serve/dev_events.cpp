#include "serve/dev_events.h"

#include <algorithm>
#include <utility>

namespace isrgen::serve {

std::string format_server_event(std::string_view name, std::string_view data) {
  std::string event = "event: ";
  event += name;
  event += '\n';
  for (;;) {
    size_t end = data.find('\n');
    event += "data: ";
    event += data.substr(0, end);
    event += '\n';
    if (end == std::string_view::npos) break;
    data.remove_prefix(end + 1);
  }
  return event + "\n";
}

EventHub::EventHub(EventHubLimits limits) : limits_(limits) {}

void EventHub::subscribe(const Responder& respond, std::string first) {
  auto stream = std::make_shared<ResponseStream>(limits_.max_pending_per_client);
  {
    std::lock_guard lock(mutex_);
    std::erase_if(clients_, [](const auto& client) { return client->closed(); });
    if (clients_.size() >= limits_.max_clients) {
      respond(HttpResponse::text(503, "too many live-reload listeners; close some tabs of the preview\n"));
      return;
    }
    clients_.push_back(stream);
  }
  // A client that loses its connection tries again after a second.
  stream->push("retry: 1000\n\n" + first);
  HttpResponse response;
  response.headers = {{"Content-Type", "text/event-stream; charset=utf-8"}, {"Cache-Control", "no-store"}};
  response.stream = std::move(stream);
  respond(std::move(response));
}

void EventHub::publish(const std::string& event) {
  std::lock_guard lock(mutex_);
  std::erase_if(clients_, [&event](const auto& client) { return !client->push(event); });
}

void EventHub::heartbeat() { publish(": heartbeat\n\n"); }

void EventHub::close_all() {
  std::lock_guard lock(mutex_);
  for (const auto& client : clients_) client->close();
  clients_.clear();
}

size_t EventHub::clients() const {
  std::lock_guard lock(mutex_);
  return static_cast<size_t>(std::count_if(clients_.begin(), clients_.end(),
                                           [](const auto& client) { return !client->closed(); }));
}

}  // namespace isrgen::serve
