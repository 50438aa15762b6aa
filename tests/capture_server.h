// A loopback HTTP/1.1 server for tests that records every request it gets and
// answers each with what the test's responder says (200 and an empty body by
// default). Keep-alive connections are served, so clients that reuse
// connections behave as they would against a real server.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace isrgen::testing {

struct CapturedRequest {
  std::string method;
  std::string target;                          // path and query as sent
  std::map<std::string, std::string> headers;  // lower-case names; a repeated header keeps its last value
  std::string body;
};

struct CannedResponse {
  int status = 200;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

class CaptureServer {
 public:
  using Responder = std::function<CannedResponse(const CapturedRequest&)>;
  explicit CaptureServer(Responder responder = {});
  ~CaptureServer();
  CaptureServer(const CaptureServer&) = delete;
  CaptureServer& operator=(const CaptureServer&) = delete;

  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::vector<CapturedRequest> requests() const;

 private:
  void serve_connection(int fd);

  Responder responder_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::thread acceptor_;
  mutable std::mutex mutex_;
  std::vector<CapturedRequest> requests_;
  std::vector<std::thread> connections_;
};

}  // namespace isrgen::testing
