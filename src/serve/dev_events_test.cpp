#include "serve/dev_events.h"

#include <catch2/catch.hpp>

using namespace isrgen::serve;

namespace {

// The answer a subscriber got, held as a client connection would hold it.
struct Subscriber {
  HttpResponse response;
  bool answered = false;

  Responder responder() {
    return [this](HttpResponse answer) {
      response = std::move(answer);
      answered = true;
    };
  }
  std::string read() { return response.stream ? response.stream->take(nullptr).bytes : ""; }
};

}  // namespace

TEST_CASE("dev events: an event is formatted with one data line per line", "[dev_events]") {
  CHECK(format_server_event("build", "{\"id\":1}") == "event: build\ndata: {\"id\":1}\n\n");
  CHECK(format_server_event("note", "a\nb") == "event: note\ndata: a\ndata: b\n\n");
}

TEST_CASE("dev events: a subscriber gets an open event stream starting with the state", "[dev_events]") {
  EventHub hub;
  Subscriber client;
  hub.subscribe(client.responder(), format_server_event("state", "{}"));
  REQUIRE(client.answered);
  CHECK(client.response.status == 200);
  CHECK(find_header(client.response.headers, "Content-Type") == "text/event-stream; charset=utf-8");
  REQUIRE(client.response.stream);
  CHECK(client.read() == "retry: 1000\n\nevent: state\ndata: {}\n\n");
  hub.publish(format_server_event("build", "1"));
  hub.heartbeat();
  CHECK(client.read() == "event: build\ndata: 1\n\n: heartbeat\n\n");
  CHECK(hub.clients() == 1);
}

TEST_CASE("dev events: a client too far behind is dropped, and the others still hear", "[dev_events]") {
  EventHub hub(EventHubLimits{8, 3});
  Subscriber slow, quick;
  hub.subscribe(slow.responder(), "");
  hub.subscribe(quick.responder(), "");
  for (int i = 0; i < 5; ++i) {
    hub.publish(format_server_event("build", std::to_string(i)));
    quick.read();
  }
  CHECK(slow.response.stream->closed());
  CHECK(slow.read().empty());  // what it had queued is dropped too
  CHECK(hub.clients() == 1);
  hub.publish(format_server_event("build", "5"));
  CHECK(quick.read() == "event: build\ndata: 5\n\n");
}

TEST_CASE("dev events: over max_clients a subscriber gets a 503; a gone client frees its place", "[dev_events]") {
  EventHub hub(EventHubLimits{2, 4});
  Subscriber first, second, third, fourth;
  hub.subscribe(first.responder(), "");
  hub.subscribe(second.responder(), "");
  hub.subscribe(third.responder(), "");
  CHECK(third.response.status == 503);
  CHECK_FALSE(third.response.stream);
  first.response.stream->close();  // its connection ended
  hub.subscribe(fourth.responder(), "");
  CHECK(fourth.response.status == 200);
  hub.close_all();
  CHECK(second.response.stream->closed());
  CHECK(fourth.response.stream->closed());
  CHECK(hub.clients() == 0);
}
