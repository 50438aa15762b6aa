#include "serve/http_server.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <list>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include "serve/request_framing.h"
#include "util/hex.h"

namespace isrgen::serve {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

HttpResponse HttpResponse::text(int status, std::string body, std::string_view content_type) {
  HttpResponse response;
  response.status = status;
  response.headers.emplace_back("Content-Type", std::string(content_type));
  response.body = std::move(body);
  return response;
}

HttpResponse HttpResponse::json(int status, const nlohmann::json& document) {
  return text(status, document.dump(), "application/json");
}

namespace {

// ---- Parsing what the client sent ------------------------------------------

std::string endpoint_text(const tcp::endpoint& endpoint) {
  std::string address = endpoint.address().to_string();
  if (endpoint.address().is_v6()) address = "[" + address + "]";
  return address + ":" + std::to_string(endpoint.port());
}

struct ListenAddress {
  std::string host;  // without the brackets of an IPv6 address
  uint16_t port = 0;
};

// "HOST:PORT" with a name, a numeric IPv4 address or a bracketed IPv6 one.
Result<ListenAddress> parse_listen_address(const std::string& listen) {
  auto invalid = [&listen](const std::string& why) {
    return make_error("", 0, listen + ": " + why + "; expected HOST:PORT such as 127.0.0.1:8080 or [::1]:8080");
  };
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos) return invalid("no port");
  std::string_view host = std::string_view(listen).substr(0, colon);
  std::string_view port_text = std::string_view(listen).substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  // An empty host would make the resolver pick an address we never asked for.
  if (host.empty()) return invalid("no host");
  unsigned port = 0;
  auto [end, parse_error] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || parse_error != std::errc() || end != port_text.data() + port_text.size() || port > 65535)
    return invalid("the port is not a number from 0 to 65535");
  return ListenAddress{std::string(host), static_cast<uint16_t>(port)};
}

// The addresses to try binding, in the resolver's order. A numeric address
// skips the resolver, so the usual "127.0.0.1:8080" never waits on DNS.
Result<std::vector<tcp::endpoint>> resolve_listen_address(const std::string& listen, const ListenAddress& address,
                                                          asio::io_context& io) {
  std::vector<tcp::endpoint> endpoints;
  error_code error;
  asio::ip::address numeric = asio::ip::make_address(address.host, error);
  if (!error) {
    endpoints.emplace_back(numeric, address.port);
    return endpoints;
  }
  // Not the resolver's default address_configured: glibc then ignores the
  // loopback interface, and "localhost" on a machine with no other network
  // would resolve to nothing. An address of a family the machine lacks just
  // fails to bind, and the next one is tried.
  tcp::resolver resolver(io);
  tcp::resolver::results_type results =
      resolver.resolve(address.host, std::to_string(address.port), tcp::resolver::numeric_service, error);
  if (error == asio::error::host_not_found || error == asio::error::no_data || (!error && results.empty()))
    return make_error("", 0, listen + ": no such host");
  if (error) return make_error("", 0, listen + ": cannot resolve '" + address.host + "': " + error.message());
  for (const auto& result : results) endpoints.push_back(result.endpoint());
  return endpoints;
}

std::string bind_failure(const std::string& listen, const error_code& error) {
  if (error == asio::error::address_in_use) return listen + ": address already in use; choose another with --listen";
  if (error == asio::error::access_denied)
    return listen + ": permission denied (ports below 1024 need privileges); choose another with --listen";
  if (error == boost::system::errc::address_not_available)
    return listen + ": no network interface of this machine has that address; choose another with --listen";
  return listen + ": cannot listen: " + error.message();
}

// Whether binding failed because this machine has no such address or family,
// rather than because of the port.
bool lacks_address(const error_code& error) {
  return error == boost::system::errc::address_not_available || error == asio::error::address_family_not_supported;
}

error_code listen_on(tcp::acceptor& acceptor, const tcp::endpoint& endpoint) {
  error_code error;
  acceptor.open(endpoint.protocol(), error);
  // Lets a restarted server bind while connections of the previous one linger
  // in TIME_WAIT; on Linux it does not let two servers listen on one port.
  if (!error) acceptor.set_option(tcp::acceptor::reuse_address(true), error);
  if (!error) acceptor.bind(endpoint, error);
  if (!error) acceptor.listen(asio::socket_base::max_listen_connections, error);
  if (error) {
    error_code ignored;
    acceptor.close(ignored);  // so the next address can open it for its own family
  }
  return error;
}

// ---- Writing the answer ------------------------------------------------------

// The Date header in IMF-fixdate (RFC 7231 7.1.1.1). Formatting it is the
// costliest part of an answer's head, and it changes once a second, so each
// event-loop thread keeps the text of the current second.
std::string_view http_date_now() {
  thread_local std::time_t cached_second = -1;
  thread_local char text[64];
  thread_local size_t length = 0;
  std::time_t now = std::time(nullptr);
  if (now != cached_second) {
    static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    std::tm utc{};
    gmtime_r(&now, &utc);
    int written = std::snprintf(text, sizeof text, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[utc.tm_wday],
                                utc.tm_mday, kMonths[utc.tm_mon], utc.tm_year + 1900, utc.tm_hour, utc.tm_min,
                                utc.tm_sec);
    length = written > 0 ? static_cast<size_t>(written) : 0;
    cached_second = now;
  }
  return {text, length};
}

bool may_carry_body(int status) { return status >= 200 && status != 204 && status != 304; }

// A header whose name or value holds a line break would let text that came
// from a request (a path in a Location, say) inject headers of its own.
bool splits_lines(std::string_view text) { return text.find_first_of("\r\n") != std::string_view::npos; }

void append_number(std::string& out, size_t number) {
  char digits[24];
  auto [end, ignored] = std::to_chars(digits, digits + sizeof digits, number);
  out.append(digits, end);
}

struct AnswerShape {
  bool head_request = false;  // headers only
  bool keep_alive = false;
  bool http10 = false;  // a 1.0 client assumes close unless told otherwise
};

void format_head(std::string& out, const HttpResponse& response, const AnswerShape& shape) {
  int status = response.status >= 100 && response.status <= 999 ? response.status : 500;
  out.clear();
  out += "HTTP/1.1 ";
  append_number(out, static_cast<size_t>(status));
  out += ' ';
  beast::string_view reason = http::obsolete_reason(http::int_to_status(static_cast<unsigned>(status)));
  out.append(reason.data(), reason.size());
  out += "\r\nServer: isrgen\r\nDate: ";
  out += http_date_now();
  out += "\r\n";
  if (may_carry_body(status) && !response.stream) {
    out += "Content-Length: ";
    append_number(out, response.body_view().size());
    out += "\r\n";
  }
  if (!shape.keep_alive)
    out += "Connection: close\r\n";
  else if (shape.http10)
    out += "Connection: keep-alive\r\n";
  for (const auto& [name, value] : response.headers) {
    if (name.empty() || splits_lines(name) || splits_lines(value)) continue;
    out += name;
    out += ": ";
    out += value;
    out += "\r\n";
  }
  out += "\r\n";
}

int status_for_read_error(const error_code& error) {
  if (error == http::error::header_limit) return 431;
  if (error == http::error::body_limit) return 413;
  return 400;
}

// Whether a read ended because the connection did (or its time ran out), in
// which case there is nobody to answer.
bool connection_gone(const error_code& error) {
  return error == http::error::end_of_stream || error == http::error::partial_message ||
         error == asio::error::eof || error == asio::error::connection_reset ||
         error == asio::error::operation_aborted || error == beast::error::timeout ||
         error.category() == asio::error::get_system_category();
}

enum class Expectation { none, continue_first, unmet };

// What the Expect header asks of the server. 100-continue is the only
// expectation HTTP defines (RFC 7231 5.1.1); an HTTP/1.0 client cannot mean
// it, since 1.0 has no 100 status, so its Expect is ignored.
Expectation expectation_of(const http::request<http::string_body>& message) {
  if (message.version() < 11) return Expectation::none;
  Expectation expectation = Expectation::none;
  auto [field, end] = message.equal_range(http::field::expect);
  for (; field != end; ++field) {
    if (!beast::iequals(field->value(), "100-continue")) return Expectation::unmet;
    expectation = Expectation::continue_first;
  }
  return expectation;
}

constexpr std::string_view kOverCapacity =
    "HTTP/1.1 503 Service Unavailable\r\nServer: isrgen\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

}  // namespace

// ---- The server and its connections -------------------------------------------

struct HttpServer::Impl : std::enable_shared_from_this<HttpServer::Impl> {
  class Session;

  Impl(const ServerLimits& limits, RequestHandler handler, OwnAnswerObserver own_answers)
      : limits(limits), handler(std::move(handler)), own_answers(std::move(own_answers)) {}

  const ServerLimits limits;
  const RequestHandler handler;
  const OwnAnswerObserver own_answers;
  asio::io_context io;
  // Once the acceptor closes, a connection waiting for its handler's answer
  // has no I/O pending; without this the threads would end before the answer.
  asio::executor_work_guard<asio::io_context::executor_type> keep_running{io.get_executor()};
  tcp::acceptor acceptor{asio::make_strand(io)};
  asio::steady_timer accept_retry{acceptor.get_executor()};
  std::vector<std::thread> threads;
  uint16_t port = 0;

  // Read on every answer without a lock: once set, answers close their connection.
  std::atomic<bool> stopping{false};
  // Answers that arrive once the event loop has ended are dropped instead of
  // queued, so no queued answer keeps its connection (and this) alive forever.
  // `delivering` counts answers being queued, so shutdown knows when the
  // last of them has reached the queue it then empties.
  std::atomic<bool> loop_ended{false};
  std::atomic<int> delivering{0};

  std::mutex sessions_mutex;  // guards what follows; taken once per connection, never per request
  std::list<std::weak_ptr<Session>> sessions;
  size_t live_sessions = 0;
  std::condition_variable all_closed;

  std::once_flag shutdown_once;

  void accept_next();
  void admit(tcp::socket socket);
  void forget(std::list<std::weak_ptr<Session>>::iterator registration);
  std::vector<std::shared_ptr<Session>> snapshot_sessions();
  void stop(int grace_ms);
};

// One connection. Everything it does runs on its strand; a Responder reaches
// it by posting there. While a handler has its request, the Responder's
// shared_ptr is what keeps it alive.
class HttpServer::Impl::Session : public std::enable_shared_from_this<Session> {
 public:
  Session(std::shared_ptr<Impl> server, tcp::socket socket)
      : server_(std::move(server)), stream_(std::move(socket)), strand_(stream_.get_executor()) {
    error_code ignored;
    stream_.socket().set_option(tcp::no_delay(true), ignored);
    tcp::endpoint peer = stream_.socket().remote_endpoint(ignored);
    remote_address_ = endpoint_text(peer);
    head_.reserve(256);
  }

  // A handler that lets go of its Responder without answering ends the
  // connection here; it must still stop counting against the cap.
  ~Session() {
    if (state_ != State::closed) server_->forget(registration);
  }

  std::list<std::weak_ptr<Session>>::iterator registration;

  void start() {
    asio::dispatch(strand_, [self = shared_from_this()] { self->wait_for_request(); });
  }

  // Shutdown has begun: a connection between requests closes now, one in the
  // middle of a request answers it (with Connection: close) first.
  void drain() {
    asio::dispatch(strand_, [self = shared_from_this()] {
      if (self->state_ == State::idle || self->state_ == State::lingering || self->state_ == State::streaming)
        self->close();
    });
  }

  void close_soon() {
    asio::dispatch(strand_, [self = shared_from_this()] { self->close(); });
  }

  // From any thread, through a Responder.
  static void deliver(const std::shared_ptr<Session>& session, uint64_t request_number, HttpResponse response) {
    Impl& server = *session->server_;
    server.delivering.fetch_add(1);
    if (!server.loop_ended.load())
      asio::dispatch(session->strand_, [session, request_number, response = std::move(response)]() mutable {
        session->answer(request_number, std::move(response));
      });
    server.delivering.fetch_sub(1);
  }

 private:
  enum class State { idle, reading, handling, writing, streaming, lingering, closed };

  // Between requests, only idle_timeout_ms applies; the read timeout starts
  // with the first byte of a request, so it bounds the whole request.
  void wait_for_request() {
    if (server_->stopping.load(std::memory_order_relaxed)) return close();
    if (buffer_.size() > 0) return read_request();  // pipelined: already here
    state_ = State::idle;
    stream_.expires_after(std::chrono::milliseconds(server_->limits.idle_timeout_ms));
    stream_.async_read_some(buffer_.prepare(beast::read_size(buffer_, 64 * 1024)),
                            [self = shared_from_this()](error_code error, size_t bytes) {
                              if (self->state_ == State::closed) return;
                              if (error) return self->close();
                              self->buffer_.commit(bytes);
                              self->read_request();
                            });
  }

  void read_request() {
    state_ = State::reading;
    stream_.expires_after(std::chrono::milliseconds(server_->limits.read_timeout_ms));
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(std::min<size_t>(server_->limits.max_header_bytes, UINT32_MAX)));
    parser_->body_limit(server_->limits.max_body_bytes);
    // The header first: a Content-Length over the limit is refused before
    // any of the body is read.
    http::async_read_header(stream_, buffer_, *parser_, [self = shared_from_this()](error_code error, size_t) {
      if (self->state_ == State::closed) return;
      if (error) return self->refuse(error);
      if (std::optional<std::string> fault = framing_fault(self->parser_->get())) {
        // Where the body ends, or whom it is for, is in doubt: nothing after
        // this head is read as a request, the connection closes after the 400.
        self->shape_ = AnswerShape{};
        return self->reject(400, *fault);
      }
      Expectation expectation = expectation_of(self->parser_->get());
      if (expectation == Expectation::unmet) {
        // The body that may follow is never read: the connection closes after the 417.
        self->shape_ = AnswerShape{};
        self->shape_.head_request = self->parser_->get().method() == http::verb::head;
        return self->reject(417);
      }
      if (self->parser_->is_done()) return self->handle_request();
      if (expectation == Expectation::continue_first) return self->send_continue();
      self->read_body();
    });
  }

  // The client holds its body back until told to go on (curl waits a second
  // for this before sending anyway). A Content-Length over the limit never
  // gets here: the header read already failed with a 413.
  void send_continue() {
    static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    // The read timeout set for this request bounds this write too.
    asio::async_write(stream_, asio::buffer(kContinue.data(), kContinue.size()),
                      [self = shared_from_this()](error_code error, size_t) {
                        if (self->state_ == State::closed) return;
                        if (error) return self->close();
                        self->read_body();
                      });
  }

  void read_body() {
    http::async_read(stream_, buffer_, *parser_, [self = shared_from_this()](error_code error, size_t) {
      if (self->state_ == State::closed) return;
      if (error) return self->refuse(error);
      self->handle_request();
    });
  }

  void refuse(const error_code& error) {
    if (connection_gone(error)) return close();
    shape_ = AnswerShape{};
    reject(status_for_read_error(error));
  }

  // An answer of the server's own, after which the connection closes: what
  // is left of the request is not read, so it cannot be told from the next.
  // `why`, when given, follows the reason phrase in the body.
  void reject(int status, const std::string& why = "") {
    beast::string_view reason = http::obsolete_reason(http::int_to_status(static_cast<unsigned>(status)));
    shape_.keep_alive = false;
    std::string body(reason.data(), reason.size());
    if (!why.empty()) body += ": " + why;
    tell_own_answer(status);
    write_answer(HttpResponse::text(status, body + "\n"));
  }

  // The path of the request being read, decoded where it can be: "" before
  // its request line arrived.
  std::string path_in_reading() const {
    if (!parser_) return "";
    std::string_view target(parser_->get().target().data(), parser_->get().target().size());
    target = target.substr(0, target.find('?'));
    return percent_decode(target).value_or(std::string(target));
  }

  void tell_own_answer(int status, std::optional<std::string> path = std::nullopt) const {
    if (server_->own_answers) server_->own_answers(path ? *path : path_in_reading(), status);
  }

  void handle_request() {
    http::request<http::string_body>& message = parser_->get();
    shape_.head_request = message.method() == http::verb::head;
    shape_.keep_alive = message.keep_alive();
    shape_.http10 = message.version() == 10;

    HttpRequest request;
    request.target = std::string(message.target());
    std::string_view target = request.target;
    size_t question = target.find('?');
    std::optional<std::string> path = percent_decode(target.substr(0, question));
    if (!path) {
      shape_.keep_alive = false;
      tell_own_answer(400);
      return write_answer(HttpResponse::text(400, "Bad Request: the path has an invalid percent escape\n"));
    }
    request.path = std::move(*path);
    if (question != std::string_view::npos) request.query = std::string(target.substr(question + 1));
    request.method = std::string(message.method_string());
    for (const auto& field : message) request.headers.emplace_back(field.name_string(), field.value());
    request.body = std::move(message.body());
    request.remote_address = remote_address_;
    parser_.reset();

    state_ = State::handling;
    stream_.expires_never();  // a page rendered on its first request may take seconds
    uint64_t number = ++request_number_;
    Responder responder = [self = shared_from_this(), number](HttpResponse response) {
      deliver(self, number, std::move(response));
    };
    std::optional<std::string> handled_path;
    if (server_->own_answers) handled_path = request.path;
    try {
      server_->handler(std::move(request), std::move(responder));
    } catch (...) {
      // What went wrong is not the client's business (it may name files).
      if (state_ == State::handling && number == request_number_) tell_own_answer(500, handled_path);
      answer(number, HttpResponse::text(500, "Internal Server Error\n"));
    }
  }

  // Only the first answer to the request in hand counts: a second call, or a
  // late one for a request already answered with a 500, is dropped.
  void answer(uint64_t request_number, HttpResponse response) {
    if (state_ != State::handling || request_number != request_number_) return;
    write_answer(std::move(response));
  }

  void write_answer(HttpResponse response) {
    state_ = State::writing;
    if (server_->stopping.load(std::memory_order_relaxed)) shape_.keep_alive = false;
    answer_ = std::move(response);
    if (answer_.stream) {
      // Its end is the connection's: nothing can follow it on this connection.
      shape_.keep_alive = false;
      if (shape_.head_request) answer_.stream->close();
    }
    format_head(head_, answer_, shape_);
    std::string_view body = may_carry_body(answer_.status) && !shape_.head_request ? answer_.body_view() : "";
    std::array<asio::const_buffer, 2> buffers{asio::buffer(head_), asio::buffer(body.data(), body.size())};
    // A client that stops taking its answer is dropped like an idle one.
    stream_.expires_after(std::chrono::milliseconds(server_->limits.idle_timeout_ms));
    asio::async_write(stream_, buffers, [self = shared_from_this()](error_code error, size_t) {
      if (self->state_ == State::closed) return;
      std::shared_ptr<ResponseStream> events = self->shape_.head_request ? nullptr : self->answer_.stream;
      self->answer_ = HttpResponse{};  // let go of a shared body now, not at the next answer
      if (error) return self->close();
      if (events) return self->stream_body(std::move(events));
      if (!self->shape_.keep_alive) return self->linger();
      self->wait_for_request();
    });
  }

  // The rest of a streamed answer: each chunk as the producer pushes it,
  // until it closes the stream (or the stream closes itself on a client
  // too far behind), the client goes, or the server stops.
  void stream_body(std::shared_ptr<ResponseStream> events) {
    state_ = State::streaming;
    events_ = std::move(events);
    if (server_->stopping.load(std::memory_order_relaxed)) return close();  // drain() has passed it by
    watch_for_hangup();
    write_pending_events();
  }

  void write_pending_events() {
    if (state_ != State::streaming) return;
    std::weak_ptr<Session> weak = shared_from_this();
    ResponseStream::Taken taken = events_->take([weak] {
      if (std::shared_ptr<Session> self = weak.lock()) wake(self);
    });
    if (taken.bytes.empty()) {
      if (taken.closed) return close();
      stream_.expires_never();  // waiting for the producer, not for the client
      return;
    }
    event_bytes_ = std::move(taken.bytes);
    // A client that stops taking what is written is dropped like an idle one.
    stream_.expires_after(std::chrono::milliseconds(server_->limits.idle_timeout_ms));
    asio::async_write(stream_, asio::buffer(event_bytes_), [self = shared_from_this()](error_code error, size_t) {
      if (self->state_ != State::streaming) return;
      if (error) return self->close();
      self->write_pending_events();
    });
  }

  // From the producer's thread; like deliver(), nothing is queued once the
  // event loop has ended.
  static void wake(const std::shared_ptr<Session>& session) {
    Impl& server = *session->server_;
    server.delivering.fetch_add(1);
    if (!server.loop_ended.load())
      asio::post(session->strand_, [session] { session->write_pending_events(); });
    server.delivering.fetch_sub(1);
  }

  // A client of a stream sends nothing more; a read that ends tells at once
  // that it went, so its stream is dropped without waiting for a write to fail.
  void watch_for_hangup() {
    buffer_.clear();
    stream_.async_read_some(buffer_.prepare(4 * 1024), [self = shared_from_this()](error_code error, size_t) {
      if (self->state_ != State::streaming) return;
      if (error) return self->close();
      self->watch_for_hangup();
    });
  }

  // After the last answer, stop sending and read what the client still sends
  // until it closes: closing with unread data would make the kernel reset the
  // connection, and the client could lose the answer (a 413 most of all).
  void linger() {
    if (server_->stopping.load(std::memory_order_relaxed)) return close();  // shutdown waits for no one idle
    state_ = State::lingering;
    error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(std::chrono::milliseconds(server_->limits.read_timeout_ms));
    discard_until_closed();
  }

  void discard_until_closed() {
    buffer_.clear();
    stream_.async_read_some(buffer_.prepare(16 * 1024), [self = shared_from_this()](error_code error, size_t) {
      if (self->state_ == State::closed) return;
      if (error) return self->close();
      self->discard_until_closed();
    });
  }

  void close() {
    if (state_ == State::closed) return;
    state_ = State::closed;
    error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
    parser_.reset();
    answer_ = HttpResponse{};
    if (events_) events_->close();  // its producer learns the client is gone
    events_.reset();
    server_->forget(registration);
  }

  std::shared_ptr<Impl> server_;  // keeps the event loop alive as long as any session
  beast::tcp_stream stream_;
  const asio::any_io_executor strand_;
  std::string remote_address_;
  beast::flat_buffer buffer_;  // reused for every request of the connection
  std::optional<http::request_parser<http::string_body>> parser_;
  State state_ = State::idle;
  uint64_t request_number_ = 0;
  AnswerShape shape_;
  HttpResponse answer_;  // kept until written: the buffers point into it
  std::string head_;
  std::shared_ptr<ResponseStream> events_;  // while streaming
  std::string event_bytes_;                 // being written

};

void HttpServer::Impl::accept_next() {
  acceptor.async_accept(asio::make_strand(io), [this](error_code error, tcp::socket socket) {
    if (!acceptor.is_open()) return;
    if (!error) {
      admit(std::move(socket));
      return accept_next();
    }
    // Out of file descriptors, most likely: trying again at once would spin.
    accept_retry.expires_after(std::chrono::milliseconds(50));
    accept_retry.async_wait([this](error_code waited) {
      if (!waited && acceptor.is_open()) accept_next();
    });
  });
}

void HttpServer::Impl::admit(tcp::socket socket) {
  std::shared_ptr<Session> session;
  {
    std::lock_guard lock(sessions_mutex);
    if (!stopping && live_sessions < limits.max_connections) {
      session = std::make_shared<Session>(shared_from_this(), std::move(socket));
      session->registration = sessions.insert(sessions.end(), session);
      ++live_sessions;
    }
  }
  if (session) return session->start();
  // Over the cap: a best-effort 503 that never blocks the accept loop, then close.
  error_code ignored;
  socket.non_blocking(true, ignored);
  socket.write_some(asio::buffer(kOverCapacity.data(), kOverCapacity.size()), ignored);
  socket.shutdown(tcp::socket::shutdown_both, ignored);
  socket.close(ignored);
}

void HttpServer::Impl::forget(std::list<std::weak_ptr<Session>>::iterator registration) {
  std::lock_guard lock(sessions_mutex);
  sessions.erase(registration);
  if (--live_sessions == 0) all_closed.notify_all();
}

auto HttpServer::Impl::snapshot_sessions() -> std::vector<std::shared_ptr<Session>> {
  std::vector<std::shared_ptr<Session>> alive;
  for (const std::weak_ptr<Session>& weak : sessions)
    if (std::shared_ptr<Session> session = weak.lock()) alive.push_back(std::move(session));
  return alive;
}

void HttpServer::Impl::stop(int grace_ms) {
  std::vector<std::shared_ptr<Session>> open;
  {
    std::lock_guard lock(sessions_mutex);
    stopping = true;
    open = snapshot_sessions();
  }
  asio::post(acceptor.get_executor(), [this] {
    error_code ignored;
    acceptor.close(ignored);
    accept_retry.cancel();
  });
  for (const auto& session : open) session->drain();
  open.clear();  // holding them would keep closed sessions from ending

  {
    std::unique_lock lock(sessions_mutex);
    all_closed.wait_for(lock, std::chrono::milliseconds(std::max(grace_ms, 0)), [this] { return live_sessions == 0; });
    open = snapshot_sessions();
  }
  for (const auto& session : open) session->close_soon();
  open.clear();

  keep_running.reset();
  io.stop();
  for (std::thread& thread : threads) thread.join();
  // What the stopped loop left queued (the closes just posted, the aborted
  // reads they cause, answers that arrived meanwhile) runs here, so that no
  // queued work keeps a session alive.
  loop_ended.store(true);
  while (delivering.load() != 0) std::this_thread::yield();
  io.restart();
  io.poll();
}

HttpServer::HttpServer(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpServer::~HttpServer() { shutdown(0); }

uint16_t HttpServer::port() const { return impl_->port; }

void HttpServer::shutdown(int grace_ms) {
  std::call_once(impl_->shutdown_once, [this, grace_ms] { impl_->stop(grace_ms); });
}

Result<std::unique_ptr<HttpServer>> HttpServer::start(const std::string& listen, const ServerLimits& limits,
                                                     RequestHandler handler, OwnAnswerObserver own_answers) {
  Result<ListenAddress> address = parse_listen_address(listen);
  if (!address) return address.error();
  auto impl = std::make_shared<Impl>(limits, std::move(handler), std::move(own_answers));
  Result<std::vector<tcp::endpoint>> endpoints = resolve_listen_address(listen, address.value(), impl->io);
  if (!endpoints) return endpoints.error();
  error_code reported;
  bool bound = false;
  for (const tcp::endpoint& endpoint : endpoints.value()) {
    error_code error = listen_on(impl->acceptor, endpoint);
    if (!error) {
      bound = true;
      break;
    }
    // "localhost" may come as ::1 first on a machine without IPv6: that it
    // lacks ::1 says less than 127.0.0.1 being in use, so a later, more
    // telling failure is the one reported.
    if (!reported || (lacks_address(reported) && !lacks_address(error))) reported = error;
  }
  if (!bound) return make_error("", 0, bind_failure(listen, reported));
  error_code error;
  impl->port = impl->acceptor.local_endpoint(error).port();
  impl->accept_next();
  int threads = std::max(limits.threads, 1);
  for (int i = 0; i < threads; ++i) impl->threads.emplace_back([io = &impl->io] { io->run(); });
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

}  // namespace isrgen::serve
