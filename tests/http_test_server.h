// A real HTTP/1.1 server on 127.0.0.1 (or another loopback address, for a
// second host) for tests. It listens on a port the
// system picks, serves each connection on a thread of its own (so a handler
// may block, e.g. until another request arrives, without holding up the
// rest), and keeps a log of every request for tests to assert on. The fetcher
// tests talk to it through libcurl; CLI tests run the isrgen binary against
// it. The destructor stops it, even while answers hang; it does wait for
// handlers that are running to return.
//
//   HttpTestServer server;
//   server.on("/jobs", [](const TestRequest&) { return TestResponse::json("[]"); });
//   fetch(server.url("/jobs"));
//   CHECK(server.requests().at(0).header("accept") == "application/json");
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace isrgen::testing {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct TestRequest {
  std::string method;  // "GET"
  std::string target;  // "/jobs?page=2"
  HeaderList headers;  // as received, in order
  std::string body;
  int connection = 0;  // which connection it came on: 1 for the first accepted, and so on

  std::string path() const;  // the target up to any '?'
  // The first header of that name (compared without case), "" when absent.
  std::string header(std::string_view name) const;
  bool has_header(std::string_view name) const;
};

struct TestResponse {
  int status = 200;
  HeaderList headers;
  std::string body;
  bool chunked = false;  // Transfer-Encoding: chunked instead of a Content-Length
  bool gzip = false;     // send the body gzip-compressed, with Content-Encoding: gzip
  bool hang = false;     // never answer; the connection stays open until the client
                         // closes it or the server stops

  static TestResponse json(std::string body, int status = 200);  // Content-Type: application/json
  static TestResponse hanging();                                  // hang set
};

using TestHandler = std::function<TestResponse(const TestRequest&)>;

class HttpTestServer {
 public:
  // Listening once constructed; throws when it cannot. Any 127.x.y.z is a
  // loopback address on Linux: "127.0.0.2" stands for another host.
  explicit HttpTestServer(const std::string& address = "127.0.0.1");
  ~HttpTestServer();
  HttpTestServer(const HttpTestServer&) = delete;
  HttpTestServer& operator=(const HttpTestServer&) = delete;

  uint16_t port() const;
  std::string url(std::string_view path) const;  // "http://<address>:<port>" + path

  // Answers requests for `path` (the target up to any '?'); setting a path again
  // replaces its handler. Requests for other paths get a 404. Handlers run on
  // the connection's thread, several at once: they must be thread-safe.
  void on(std::string path, TestHandler handler);

  std::vector<TestRequest> requests() const;  // a copy of the log, in arrival order
  size_t request_count() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A port on 127.0.0.1 that is bound but not listening, so connections to it
// are refused for as long as this object lives (and no other test can take it).
class RefusingPort {
 public:
  RefusingPort();
  ~RefusingPort();
  RefusingPort(const RefusingPort&) = delete;
  RefusingPort& operator=(const RefusingPort&) = delete;
  uint16_t port() const { return port_; }
  std::string url(std::string_view path) const;

 private:
  int fd_ = -1;
  uint16_t port_ = 0;
};

}  // namespace isrgen::testing
