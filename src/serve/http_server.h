// The HTTP/1.1 server of `isrgen serve`, on Boost.Beast and Asio. It knows
// nothing of webhooks or pages: it reads requests within the limits below,
// hands each to one handler, and writes the answer the handler gives, which
// may come later and from another thread (a page rendered on its first
// request is answered by the build worker).
//
// What it guards against, since it may face the internet behind a CDN:
//   - headers over max_header_bytes: 431; a body over max_body_bytes: 413
//     (by Content-Length before any of it is read, or as chunks arrive);
//   - a client that sends its request too slowly (read_timeout_ms for the
//     whole request) or keeps an idle keep-alive connection (idle_timeout_ms):
//     the connection is closed;
//   - more than max_connections at once: the connections over the cap are
//     accepted and closed at once, so the backlog never fills;
//   - a malformed request: 400 and the connection closed; so is one whose
//     framing is in doubt (request_framing.h: a Transfer-Encoding other than
//     chunked, Content-Length beside it or twice with different values, no or
//     two Host headers), so that no part of it is read as another request.
// A request with `Expect: 100-continue` gets "100 Continue" before its body is
// read (when its Content-Length is within the limit; over it, the 413 comes
// instead); any other expectation gets 417 and the connection closed.
// HTTP/1.0 requests have no 100 status, so their Expect is ignored.
// HEAD is answered with the headers a GET would get and no body.
// An answer with a ResponseStream is written as its chunks come, without
// Content-Length, until the stream closes, the client goes or the server
// stops; then its connection closes (response_stream.h).
// shutdown() stops accepting, lets answers in progress finish for up to
// grace_ms, then closes what is left.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "serve/headers.h"
#include "serve/response_stream.h"
#include "util/error.h"

namespace isrgen::serve {

struct HttpRequest {
  std::string method;  // "GET", as sent (methods are case-sensitive)
  std::string target;  // as sent: "/acme/summer/?utm=x"
  std::string path;    // the target up to '?', percent-decoded: "/acme/summer/"
  std::string query;   // after '?', as sent; "" when none
  Headers headers;
  std::string body;
  std::string remote_address;  // "127.0.0.1:53122"
};

struct HttpResponse {
  int status = 200;
  // Besides these the server adds Content-Length, Date, Server and, when the
  // connection ends after this answer, Connection: close.
  Headers headers;
  std::string body;
  // When set, sent instead of `body` without a copy: the origin's cached files.
  std::shared_ptr<const std::string> shared_body;
  // When set, the body comes from it as it is pushed, after `body` (server-sent events).
  std::shared_ptr<ResponseStream> stream;

  std::string_view body_view() const { return shared_body ? std::string_view(*shared_body) : std::string_view(body); }

  static HttpResponse text(int status, std::string body,
                           std::string_view content_type = "text/plain; charset=utf-8");
  // The document dumped compactly, Content-Type: application/json.
  static HttpResponse json(int status, const nlohmann::json& document);
};

// Answers one request: call it exactly once, from any thread. Calling it after
// the client went away or the server stopped does nothing.
using Responder = std::function<void(HttpResponse)>;
using RequestHandler = std::function<void(HttpRequest&&, Responder)>;

// Told of every answer the server gives on its own instead of the handler's
// (a 413, 431, 417 or 400 above, a 500 for a handler that threw), with the
// decoded path when the request line was read ("" otherwise), so what counts
// answers by path misses none. Called on the server's threads.
using OwnAnswerObserver = std::function<void(std::string_view path, int status)>;

struct ServerLimits {
  size_t max_connections = 1024;
  size_t max_header_bytes = 16 * 1024;
  size_t max_body_bytes = 64 * 1024;
  int read_timeout_ms = 10'000;
  int idle_timeout_ms = 30'000;
  int threads = 2;  // threads running the event loop (and the handler)
};

class HttpServer {
 public:
  // `listen` is "HOST:PORT" ("127.0.0.1:8080", "[::1]:0", "0.0.0.0:80",
  // "localhost:8080"); port 0 lets the system pick one (port() tells which).
  // A host name is resolved here, blocking, and the server listens on the
  // first of its addresses that can be bound, in the resolver's order. The
  // error names the address and why it could not be resolved or bound.
  static Result<std::unique_ptr<HttpServer>> start(const std::string& listen, const ServerLimits& limits,
                                                   RequestHandler handler, OwnAnswerObserver own_answers = {});
  ~HttpServer();  // shutdown(0)
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  uint16_t port() const;

  // Idempotent; returns once every thread of the server has ended.
  void shutdown(int grace_ms);

 private:
  struct Impl;
  explicit HttpServer(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;
};

}  // namespace isrgen::serve
