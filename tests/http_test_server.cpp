#include "http_test_server.h"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <exception>
#include <list>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "publish/gzip.h"
#include "util/ascii.h"

namespace isrgen::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

std::string TestRequest::path() const { return target.substr(0, target.find('?')); }

std::string TestRequest::header(std::string_view name) const {
  return std::string(find_header(headers, name).value_or(""));
}

bool TestRequest::has_header(std::string_view name) const { return find_header(headers, name).has_value(); }

TestResponse TestResponse::json(std::string body, int status) {
  TestResponse response;
  response.status = status;
  response.headers = {{"Content-Type", "application/json"}};
  response.body = std::move(body);
  return response;
}

TestResponse TestResponse::hanging() {
  TestResponse response;
  response.hang = true;
  return response;
}

namespace {

TestRequest to_test_request(const http::request<http::string_body>& request, int connection) {
  TestRequest out;
  out.connection = connection;
  out.method = std::string(request.method_string());
  out.target = std::string(request.target());
  for (const auto& field : request) out.headers.emplace_back(field.name_string(), field.value());
  out.body = request.body();
  return out;
}

std::string loopback_url(uint16_t port, std::string_view path, const std::string& address = "127.0.0.1") {
  return "http://" + address + ":" + std::to_string(port) + std::string(path);
}

bool may_carry_body(int status) { return status >= 200 && status != 204 && status != 304; }

http::response<http::string_body> to_beast_response(const TestResponse& response, bool keep_alive) {
  http::response<http::string_body> out;
  out.version(11);
  out.result(static_cast<unsigned>(response.status));
  for (const auto& [name, value] : response.headers) out.insert(name, value);
  out.keep_alive(keep_alive);
  if (!may_carry_body(response.status)) return out;
  if (response.gzip) out.set(http::field::content_encoding, "gzip");
  out.body() = response.gzip ? publish::gzip_compress(response.body) : response.body;
  if (response.chunked)
    out.chunked(true);
  else
    out.prepare_payload();
  return out;
}

// Blocks until the peer sends or closes, or the server shuts the socket down
// on stop: the way a hanging answer ends without a timer.
void wait_for_peer_or_stop(int fd) {
  pollfd watched{fd, POLLIN | POLLRDHUP, 0};
  while (::poll(&watched, 1, -1) < 0 && errno == EINTR) {
  }
}

}  // namespace

struct HttpTestServer::Impl {
  struct Connection {
    Connection(tcp::socket accepted, int number) : socket(std::move(accepted)), number(number) {}
    tcp::socket socket;
    int number;
    std::thread thread;
    bool finished = false;  // under mutex; the socket is closed once set
  };

  asio::io_context io;
  tcp::acceptor acceptor{io};
  std::string address;
  uint16_t port = 0;
  std::thread io_thread;

  mutable std::mutex mutex;  // guards everything below
  bool stopping = false;
  int accepted = 0;
  std::map<std::string, TestHandler> routes;
  std::vector<TestRequest> log;
  std::list<Connection> connections;  // a list: each thread holds on to its element

  explicit Impl(const std::string& listen_address) : address(listen_address) {
    tcp::endpoint loopback(asio::ip::make_address_v4(address), 0);
    acceptor.open(loopback.protocol());
    acceptor.bind(loopback);
    acceptor.listen();
    port = acceptor.local_endpoint().port();
    accept_next();
    io_thread = std::thread([this] { io.run(); });
  }

  ~Impl() {
    {
      std::lock_guard lock(mutex);
      stopping = true;
      // Shutting a socket down wakes its thread from a blocking read or a
      // hanging answer; the thread itself closes the socket.
      for (Connection& connection : connections)
        if (!connection.finished) ::shutdown(connection.socket.native_handle(), SHUT_RDWR);
    }
    asio::post(io, [this] { acceptor.close(); });
    io_thread.join();
    for (Connection& connection : connections) connection.thread.join();
  }

  void accept_next() {
    acceptor.async_accept([this](beast::error_code error, tcp::socket socket) {
      if (error) return;  // the acceptor was closed: the server is stopping
      join_finished_connections();
      std::lock_guard lock(mutex);
      if (stopping) return;
      Connection& connection = connections.emplace_back(std::move(socket), ++accepted);
      connection.thread = std::thread([this, &connection] { serve(connection); });
      accept_next();
    });
  }

  // Keeps the number of idle threads bounded when a test opens many connections.
  void join_finished_connections() {
    std::list<Connection> finished;
    {
      std::lock_guard lock(mutex);
      for (auto it = connections.begin(); it != connections.end();) {
        auto next = std::next(it);
        if (it->finished) finished.splice(finished.end(), connections, it);
        it = next;
      }
    }
    for (Connection& connection : finished) connection.thread.join();
  }

  void serve(Connection& connection) {
    beast::flat_buffer buffer;
    for (;;) {
      http::request_parser<http::string_body> parser;
      beast::error_code error;
      http::read_header(connection.socket, buffer, parser, error);
      if (error) break;
      // As real servers do (S3, isrgen serve): without the interim answer,
      // libcurl holds a PUT's body back for a second before sending it anyway.
      if (beast::iequals(parser.get()[http::field::expect], "100-continue")) {
        http::write(connection.socket, http::response<http::empty_body>{http::status::continue_, 11}, error);
        if (error) break;
      }
      http::read(connection.socket, buffer, parser, error);
      if (error) break;
      http::request<http::string_body> request = parser.release();
      TestResponse response = answer(to_test_request(request, connection.number));
      if (response.hang) {
        wait_for_peer_or_stop(connection.socket.native_handle());
        break;
      }
      http::write(connection.socket, to_beast_response(response, request.keep_alive()), error);
      if (error || !request.keep_alive()) break;
    }
    std::lock_guard lock(mutex);
    beast::error_code ignored;
    connection.socket.shutdown(tcp::socket::shutdown_both, ignored);
    connection.socket.close(ignored);
    connection.finished = true;
  }

  TestResponse answer(TestRequest request) {
    TestHandler handler;
    {
      std::lock_guard lock(mutex);
      log.push_back(request);
      auto route = routes.find(request.path());
      if (route != routes.end()) handler = route->second;
    }
    if (!handler) return TestResponse::json(R"({"error":"no handler for this path"})", 404);
    try {
      return handler(request);
    } catch (const std::exception& e) {
      // A handler that throws must not take the test process down with it.
      TestResponse failed;
      failed.status = 500;
      failed.body = std::string("test handler threw: ") + e.what();
      return failed;
    }
  }
};

HttpTestServer::HttpTestServer(const std::string& address) : impl_(std::make_unique<Impl>(address)) {}
HttpTestServer::~HttpTestServer() = default;

uint16_t HttpTestServer::port() const { return impl_->port; }

std::string HttpTestServer::url(std::string_view path) const { return loopback_url(port(), path, impl_->address); }

void HttpTestServer::on(std::string path, TestHandler handler) {
  std::lock_guard lock(impl_->mutex);
  impl_->routes[std::move(path)] = std::move(handler);
}

std::vector<TestRequest> HttpTestServer::requests() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->log;
}

size_t HttpTestServer::request_count() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->log.size();
}

RefusingPort::RefusingPort() {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
      ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    if (fd_ >= 0) ::close(fd_);
    throw std::runtime_error("cannot reserve a port on 127.0.0.1");
  }
  port_ = ntohs(address.sin_port);
}

RefusingPort::~RefusingPort() { ::close(fd_); }

std::string RefusingPort::url(std::string_view path) const { return loopback_url(port_, path); }

}  // namespace isrgen::testing
