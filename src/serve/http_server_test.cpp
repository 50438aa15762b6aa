#include "serve/http_server.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <future>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using isrgen::find_header;
using isrgen::serve::Headers;
using isrgen::serve::HttpRequest;
using isrgen::serve::HttpResponse;
using isrgen::serve::HttpServer;
using isrgen::serve::RequestHandler;
using isrgen::serve::Responder;
using isrgen::serve::ServerLimits;

namespace {

// How long a test waits for what should take milliseconds before it fails.
constexpr int kGenerousMs = 10'000;

std::unique_ptr<HttpServer> start_server(RequestHandler handler, ServerLimits limits = {}) {
  auto started = HttpServer::start("127.0.0.1:0", limits, std::move(handler));
  if (!started) FAIL(started.error().message);
  return std::move(started).value();
}

std::string url(const HttpServer& server, std::string_view path) {
  return "http://127.0.0.1:" + std::to_string(server.port()) + std::string(path);
}

// The requests a handler saw, for the test thread to read.
class RequestLog {
 public:
  void add(const HttpRequest& request) {
    std::lock_guard lock(mutex_);
    requests_.push_back(request);
  }
  std::vector<HttpRequest> all() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<HttpRequest> requests_;
};

struct Reply {
  long status = 0;
  Headers headers;
  std::string body;
  long new_connections = 0;  // connections libcurl opened for this request
  std::vector<std::string> status_lines;  // "HTTP/1.1 100 Continue", then the final one

  bool got_continue() const {
    return std::find(status_lines.begin(), status_lines.end(), "HTTP/1.1 100 Continue") != status_lines.end();
  }

  std::string header(std::string_view name) const { return std::string(find_header(headers, name).value_or("")); }
};

// One libcurl handle: it keeps its connection between requests, as a browser would.
class CurlClient {
 public:
  CurlClient() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    easy_ = curl_easy_init();
  }
  ~CurlClient() { curl_easy_cleanup(easy_); }
  CurlClient(const CurlClient&) = delete;
  CurlClient& operator=(const CurlClient&) = delete;

  Reply get(const std::string& address, const std::vector<std::string>& headers = {}) {
    return perform(address, headers, nullptr);
  }
  Reply post(const std::string& address, const std::string& body, const std::vector<std::string>& headers = {}) {
    return perform(address, headers, &body);
  }

 private:
  Reply perform(const std::string& address, std::vector<std::string> headers, const std::string* body) {
    Reply reply;
    curl_easy_reset(easy_);  // keeps the connection cache
    curl_easy_setopt(easy_, CURLOPT_URL, address.c_str());
    curl_easy_setopt(easy_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy_, CURLOPT_TIMEOUT_MS, static_cast<long>(kGenerousMs));
    curl_easy_setopt(easy_, CURLOPT_WRITEFUNCTION, &CurlClient::on_body);
    curl_easy_setopt(easy_, CURLOPT_WRITEDATA, &reply);
    curl_easy_setopt(easy_, CURLOPT_HEADERFUNCTION, &CurlClient::on_header);
    curl_easy_setopt(easy_, CURLOPT_HEADERDATA, &reply);
    if (body) {
      curl_easy_setopt(easy_, CURLOPT_POSTFIELDS, body->data());
      curl_easy_setopt(easy_, CURLOPT_POSTFIELDSIZE, static_cast<long>(body->size()));
    }
    bool expect_set = std::any_of(headers.begin(), headers.end(), [](const std::string& header) {
      return header.size() >= 7 && curl_strnequal(header.c_str(), "Expect:", 7);
    });
    if (!expect_set) headers.push_back("Expect:");  // send the body at once, without waiting for 100 Continue
    // Longer than the test waits, so a 100 Continue that never comes is seen
    // as such instead of libcurl sending the body anyway after a second.
    curl_easy_setopt(easy_, CURLOPT_EXPECT_100_TIMEOUT_MS, static_cast<long>(kGenerousMs));
    curl_slist* list = nullptr;
    for (const std::string& header : headers) list = curl_slist_append(list, header.c_str());
    curl_easy_setopt(easy_, CURLOPT_HTTPHEADER, list);
    CURLcode code = curl_easy_perform(easy_);
    curl_slist_free_all(list);
    if (code != CURLE_OK) FAIL("libcurl: " << curl_easy_strerror(code));
    curl_easy_getinfo(easy_, CURLINFO_RESPONSE_CODE, &reply.status);
    curl_easy_getinfo(easy_, CURLINFO_NUM_CONNECTS, &reply.new_connections);
    return reply;
  }

  static size_t on_body(char* data, size_t size, size_t count, void* reply) {
    static_cast<Reply*>(reply)->body.append(data, size * count);
    return size * count;
  }

  static size_t on_header(char* data, size_t size, size_t count, void* reply) {
    std::string_view line(data, size * count);
    if (line.rfind("HTTP/", 0) == 0) {
      while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.remove_suffix(1);
      static_cast<Reply*>(reply)->status_lines.emplace_back(line);
      return size * count;
    }
    size_t colon = line.find(':');
    if (colon != std::string_view::npos) {
      std::string_view value = line.substr(colon + 1);
      while (!value.empty() && (value.front() == ' ')) value.remove_prefix(1);
      while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.remove_suffix(1);
      static_cast<Reply*>(reply)->headers.emplace_back(line.substr(0, colon), value);
    }
    return size * count;
  }

  CURL* easy_ = nullptr;
};

// A plain socket, for clients that misbehave: slow, oversized, half a request.
class RawConnection {
 public:
  explicit RawConnection(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
      FAIL("cannot connect to port " << port << ": " << std::strerror(errno));
  }
  ~RawConnection() { close(); }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  void send(std::string_view bytes) {
    while (!bytes.empty()) {
      ssize_t sent = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (sent <= 0) FAIL("send failed: " << std::strerror(errno));
      bytes.remove_prefix(static_cast<size_t>(sent));
    }
  }

  // All the server sends until it closes the connection.
  std::string read_until_closed() {
    while (receive_more()) {
    }
    return std::exchange(received_, "");
  }

  // One answer whose body has a Content-Length, leaving the connection open.
  std::string read_answer() {
    size_t head_end;
    while ((head_end = received_.find("\r\n\r\n")) == std::string::npos)
      if (!receive_more()) FAIL("closed before a whole answer came: " << received_);
    std::string head = received_.substr(0, head_end + 4);
    size_t length_at = head.find("\r\nContent-Length: ");
    size_t body_size = length_at == std::string::npos ? 0 : std::stoul(head.substr(length_at + 18));
    while (received_.size() < head.size() + body_size)
      if (!receive_more()) FAIL("closed in the middle of an answer: " << received_);
    std::string answer = received_.substr(0, head.size() + body_size);
    received_.erase(0, answer.size());
    return answer;
  }

  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  // False once the server has closed the connection (a reset counts).
  bool receive_more() {
    pollfd readable{fd_, POLLIN, 0};
    int ready = ::poll(&readable, 1, kGenerousMs);
    if (ready == 0) FAIL("the server neither sent nor closed within " << kGenerousMs << " ms");
    char chunk[16 * 1024];
    ssize_t got = ::recv(fd_, chunk, sizeof chunk, 0);
    if (got <= 0) return false;
    received_.append(chunk, static_cast<size_t>(got));
    return true;
  }

  int fd_ = -1;
  std::string received_;
};

// "Sun, 06 Nov 1994 08:49:37 GMT" (RFC 7231 7.1.1.1).
bool is_imf_fixdate(std::string_view date) {
  constexpr std::string_view kShape = "???, 00 ??? 0000 00:00:00 GMT";  // ?: a name, 0: a digit
  constexpr std::string_view kDays = "Mon Tue Wed Thu Fri Sat Sun";
  constexpr std::string_view kMonths = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec";
  if (date.size() != kShape.size()) return false;
  for (size_t i = 0; i < kShape.size(); ++i) {
    bool digit = date[i] >= '0' && date[i] <= '9';
    if (kShape[i] == '0' && !digit) return false;
    if (kShape[i] != '0' && kShape[i] != '?' && date[i] != kShape[i]) return false;
  }
  return kDays.find(date.substr(0, 3)) % 4 == 0 && kMonths.find(date.substr(8, 3)) % 4 == 0;
}

std::string body_of(const std::string& answer) { return answer.substr(answer.find("\r\n\r\n") + 4); }

HttpResponse echo_path(const HttpRequest& request) { return HttpResponse::text(200, request.path); }

RequestHandler counting_echo(std::atomic<int>& handled) {
  return [&handled](HttpRequest&& request, Responder respond) {
    ++handled;
    respond(echo_path(request));
  };
}

// Sends `request` on a connection of its own and checks that the answer is
// `status_line` and that the server then closes the connection.
void check_refused(uint16_t port, const std::string& request, std::string_view status_line) {
  INFO(request);
  RawConnection connection(port);
  connection.send(request);
  std::string answer = connection.read_until_closed();
  CHECK(answer.rfind(std::string(status_line) + "\r\n", 0) == 0);
  CHECK(answer.find("\r\nConnection: close\r\n") != std::string::npos);
}

// Hands the responder of each request to the test thread.
class ResponderQueue {
 public:
  void push(Responder responder) {
    {
      std::lock_guard lock(mutex_);
      waiting_.push_back(std::move(responder));
    }
    arrived_.notify_all();
  }
  Responder pop() {
    std::unique_lock lock(mutex_);
    if (!arrived_.wait_for(lock, std::chrono::milliseconds(kGenerousMs), [this] { return !waiting_.empty(); }))
      FAIL("no request reached the handler");
    Responder responder = std::move(waiting_.front());
    waiting_.erase(waiting_.begin());
    return responder;
  }

 private:
  std::mutex mutex_;
  std::condition_variable arrived_;
  std::vector<Responder> waiting_;
};

// "/slow" hands its responder to the test thread; any other path is echoed at once.
RequestHandler slow_path_waits(ResponderQueue& responders) {
  return [&responders](HttpRequest&& request, Responder respond) {
    if (request.path == "/slow")
      responders.push(std::move(respond));
    else
      respond(echo_path(request));
  };
}

}  // namespace

TEST_CASE("http_server: a GET reaches the handler with its path decoded and its query apart", "[http_server]") {
  RequestLog log;
  auto server = start_server([&log](HttpRequest&& request, Responder respond) {
    log.add(request);
    respond(HttpResponse::text(200, "hello"));
  });
  CurlClient client;
  Reply reply = client.get(url(*server, "/caf%C3%A9/a%2Fb?x=1&y=%41"), {"X-Trace: abc"});

  CHECK(reply.status == 200);
  CHECK(reply.body == "hello");
  CHECK(reply.header("Content-Length") == "5");
  CHECK(reply.header("Content-Type") == "text/plain; charset=utf-8");
  CHECK(reply.header("Server") == "isrgen");
  CHECK(is_imf_fixdate(reply.header("Date")));
  CHECK_FALSE(find_header(reply.headers, "Connection").has_value());
  std::vector<HttpRequest> seen = log.all();
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].method == "GET");
  CHECK(seen[0].target == "/caf%C3%A9/a%2Fb?x=1&y=%41");
  CHECK(seen[0].path == "/caf\xC3\xA9/a/b");
  CHECK(seen[0].query == "x=1&y=%41");
  CHECK(find_header(seen[0].headers, "x-trace") == "abc");
  CHECK(seen[0].headers.front().first == "Host");  // in arrival order
  CHECK(seen[0].remote_address.rfind("127.0.0.1:", 0) == 0);
}

TEST_CASE("http_server: a path with a bad escape or %00 is refused with 400", "[http_server]") {
  std::atomic<int> handled{0};
  auto server = start_server(counting_echo(handled));
  for (std::string path : {"/a%00b", "/a%zzb", "/a%4", "/a%", "/a%+1"})
    check_refused(server->port(), "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n", "HTTP/1.1 400 Bad Request");
  CHECK(handled == 0);
}

TEST_CASE("http_server: a POST body reaches the handler and a JSON answer comes back", "[http_server]") {
  RequestLog log;
  auto server = start_server([&log](HttpRequest&& request, Responder respond) {
    log.add(request);
    respond(HttpResponse::json(201, {{"ok", true}, {"size", request.body.size()}}));
  });
  CurlClient client;
  Reply reply = client.post(url(*server, "/hooks/github"), R"({"ref":"main"})", {"Content-Type: application/json"});

  CHECK(reply.status == 201);
  CHECK(reply.body == R"({"ok":true,"size":14})");
  CHECK(reply.header("Content-Type") == "application/json");
  std::vector<HttpRequest> seen = log.all();
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].method == "POST");
  CHECK(seen[0].body == R"({"ref":"main"})");
  CHECK(find_header(seen[0].headers, "content-type") == "application/json");
}

TEST_CASE("http_server: HEAD gets a GET's headers and no body", "[http_server]") {
  RequestLog log;
  auto server = start_server([&log](HttpRequest&& request, Responder respond) {
    log.add(request);
    respond(HttpResponse::text(200, "hello world", "text/html"));
  });
  RawConnection connection(server->port());
  connection.send("HEAD /page/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  std::string answer = connection.read_until_closed();

  CHECK(answer.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
  CHECK(answer.find("\r\nContent-Length: 11\r\n") != std::string::npos);
  CHECK(answer.find("\r\nContent-Type: text/html\r\n") != std::string::npos);
  CHECK(answer.find("\r\nConnection: close\r\n") != std::string::npos);
  CHECK(answer.size() == answer.find("\r\n\r\n") + 4);  // nothing after the headers
  REQUIRE(log.all().size() == 1);
  CHECK(log.all()[0].method == "HEAD");
}

TEST_CASE("http_server: a shared body is sent in place of the body", "[http_server]") {
  auto page = std::make_shared<const std::string>(std::string(1 << 20, 'x') + "end");
  auto server = start_server([page](HttpRequest&&, Responder respond) {
    HttpResponse response;
    response.body = "not this";
    response.shared_body = page;
    respond(std::move(response));
  });
  CurlClient client;
  Reply reply = client.get(url(*server, "/big/"));

  CHECK(reply.status == 200);
  CHECK(reply.header("Content-Length") == std::to_string(page->size()));
  CHECK(reply.body == *page);
}

TEST_CASE("http_server: keep-alive serves several requests on one connection", "[http_server]") {
  RequestLog log;
  auto server = start_server([&log](HttpRequest&& request, Responder respond) {
    log.add(request);
    respond(echo_path(request));
  });

  SECTION("one libcurl handle reuses its connection") {
    CurlClient client;
    CHECK(client.get(url(*server, "/one")).body == "/one");
    Reply second = client.get(url(*server, "/two"));
    Reply third = client.get(url(*server, "/three"));
    CHECK(second.body == "/two");
    CHECK(third.body == "/three");
    CHECK(second.new_connections == 0);
    CHECK(third.new_connections == 0);
    std::vector<HttpRequest> seen = log.all();
    REQUIRE(seen.size() == 3);
    CHECK(seen[1].remote_address == seen[0].remote_address);
    CHECK(seen[2].remote_address == seen[0].remote_address);
  }

  SECTION("pipelined requests are answered in order") {
    RawConnection connection(server->port());
    connection.send(
        "GET /first HTTP/1.1\r\nHost: x\r\n\r\n"
        "GET /second HTTP/1.1\r\nHost: x\r\n\r\n"
        "GET /third HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    CHECK(body_of(connection.read_answer()) == "/first");
    CHECK(body_of(connection.read_answer()) == "/second");
    std::string last = connection.read_until_closed();
    CHECK(body_of(last) == "/third");
    CHECK(last.find("\r\nConnection: close\r\n") != std::string::npos);
  }

  SECTION("HTTP/1.0 closes unless asked to keep the connection") {
    RawConnection kept(server->port());
    kept.send("GET /kept HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    std::string first = kept.read_answer();
    CHECK(first.find("\r\nConnection: keep-alive\r\n") != std::string::npos);
    CHECK(body_of(first) == "/kept");
    kept.send("GET /closed HTTP/1.0\r\n\r\n");
    std::string second = kept.read_until_closed();
    CHECK(second.find("\r\nConnection: close\r\n") != std::string::npos);
    CHECK(body_of(second) == "/closed");
  }
}

TEST_CASE("http_server: an answer may come later from another thread", "[http_server]") {
  ResponderQueue responders;
  auto server = start_server([&responders](HttpRequest&&, Responder respond) { responders.push(std::move(respond)); });
  auto reply = std::async(std::launch::async, [&server] { return CurlClient().get(url(*server, "/first-render/")); });

  Responder respond = responders.pop();
  std::thread worker([&respond] {
    respond(HttpResponse::text(202, "rendered later"));
    respond(HttpResponse::text(500, "a second answer is dropped"));
  });
  worker.join();
  Reply got = reply.get();
  CHECK(got.status == 202);
  CHECK(got.body == "rendered later");
}

TEST_CASE("http_server: a handler that throws gets a 500 and the connection goes on", "[http_server]") {
  auto server = start_server([](HttpRequest&& request, Responder respond) {
    if (request.path == "/throws") throw std::runtime_error("/etc/secret is unreadable");
    respond(echo_path(request));
  });
  CurlClient client;
  Reply failed = client.get(url(*server, "/throws"));
  CHECK(failed.status == 500);
  CHECK(failed.body == "Internal Server Error\n");
  Reply next = client.get(url(*server, "/fine"));
  CHECK(next.status == 200);
  CHECK(next.body == "/fine");
  CHECK(next.new_connections == 0);
}

TEST_CASE("http_server: a body over max_body_bytes gets a 413 and the connection closes", "[http_server]") {
  ServerLimits limits;
  limits.max_body_bytes = 16;
  std::atomic<int> handled{0};
  auto server = start_server(
      [&handled](HttpRequest&& request, Responder respond) {
        ++handled;
        respond(HttpResponse::text(200, request.body));
      },
      limits);

  SECTION("by Content-Length, before the body is sent") {
    check_refused(server->port(), "POST /hook HTTP/1.1\r\nHost: x\r\nContent-Length: 17\r\n\r\n",
                  "HTTP/1.1 413 Payload Too Large");
    CHECK(handled == 0);
  }

  SECTION("by chunks as they arrive") {
    check_refused(server->port(),
                  "POST /hook HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                  "10\r\n0123456789abcdef\r\n1\r\nx\r\n0\r\n\r\n",
                  "HTTP/1.1 413 Payload Too Large");
    CHECK(handled == 0);
  }

  SECTION("a body of exactly the limit is taken") {
    CurlClient client;
    Reply reply = client.post(url(*server, "/hook"), "0123456789abcdef");
    CHECK(reply.status == 200);
    CHECK(reply.body == "0123456789abcdef");
    CHECK(handled == 1);
  }
}

TEST_CASE("http_server: every answer the server gives on its own is told with its path", "[http_server]") {
  std::mutex mutex;
  std::vector<std::pair<std::string, int>> told;
  ServerLimits limits;
  limits.max_body_bytes = 16;
  limits.max_header_bytes = 1024;
  auto started = HttpServer::start(
      "127.0.0.1:0", limits,
      [](HttpRequest&& request, Responder respond) {
        if (request.path == "/throws") throw std::runtime_error("broken");
        respond(echo_path(request));
      },
      [&](std::string_view path, int status) {
        std::lock_guard lock(mutex);
        told.emplace_back(path, status);
      });
  REQUIRE(started.ok());
  const uint16_t port = started.value()->port();
  check_refused(port, "POST /re%76alidate?x=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 17\r\n\r\n",
                "HTTP/1.1 413 Payload Too Large");
  check_refused(port, "GET /big HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(2000, 'a') + "\r\n\r\n",
                "HTTP/1.1 431 Request Header Fields Too Large");
  check_refused(port, "POST /revalidate HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: identity\r\n\r\n",
                "HTTP/1.1 400 Bad Request");
  check_refused(port, "NONSENSE\r\n\r\n", "HTTP/1.1 400 Bad Request");
  CurlClient client;
  CHECK(client.get(url(*started.value(), "/throws")).status == 500);
  CHECK(client.get(url(*started.value(), "/fine")).status == 200);  // the handler's answer: not told

  std::lock_guard lock(mutex);
  CHECK(told == std::vector<std::pair<std::string, int>>{
                    {"/revalidate", 413}, {"/big", 431}, {"/revalidate", 400}, {"", 400}, {"/throws", 500}});
}

TEST_CASE("http_server: headers over max_header_bytes get a 431 and the connection closes", "[http_server]") {
  ServerLimits limits;
  limits.max_header_bytes = 1024;
  std::atomic<int> handled{0};
  auto server = start_server(counting_echo(handled), limits);
  check_refused(server->port(), "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(2000, 'a') + "\r\n\r\n",
                "HTTP/1.1 431 Request Header Fields Too Large");
  CHECK(handled == 0);
}

TEST_CASE("http_server: a malformed request gets a 400 and the connection closes", "[http_server]") {
  std::atomic<int> handled{0};
  auto server = start_server(counting_echo(handled));
  for (std::string request : {"NONSENSE\r\n\r\n", "GET / HTTP/1.1\r\nNo colon here\r\n\r\n",
                              "POST / HTTP/1.1\r\nContent-Length: ten\r\n\r\n"})
    check_refused(server->port(), request, "HTTP/1.1 400 Bad Request");
  CHECK(handled == 0);
}

TEST_CASE("http_server: a request whose framing is in doubt gets a 400, and nothing after it is read",
          "[http_server]") {
  std::atomic<int> handled{0};
  auto server = start_server(counting_echo(handled));
  // Each head is followed by a body that is itself a request: answering it
  // would mean the server framed the bytes otherwise than a proxy might.
  const std::string smuggled = "0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"POST /revalidate HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, identity\r\n\r\n",
       "Transfer-Encoding other than exactly \"chunked\""},
      {"POST /revalidate HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: identity\r\n\r\n",
       "Transfer-Encoding other than exactly \"chunked\""},
      {"POST /revalidate HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
       "Transfer-Encoding other than exactly \"chunked\""},
      {"POST /revalidate HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: identity\r\nTransfer-Encoding: chunked\r\n\r\n",
       "Transfer-Encoding other than exactly \"chunked\""},
      {"POST /revalidate HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked;x=1\r\n\r\n",
       "Transfer-Encoding other than exactly \"chunked\""},
      {"POST /revalidate HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: ,\r\n\r\n",
       "Transfer-Encoding other than exactly \"chunked\""},
      {"POST /revalidate HTTP/1.0\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n",
       "Transfer-Encoding in an HTTP/1.0 request"},
      {"POST /revalidate HTTP/1.1\r\nHost: x\r\nHost: y\r\nContent-Length: 0\r\n\r\n", "more than one Host header"},
      {"POST /revalidate HTTP/1.1\r\nContent-Length: 0\r\n\r\n", "no Host header in an HTTP/1.1 request"},
      // Beast refuses these itself; the reason is its own.
      {"POST /revalidate HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n", ""},
      {"POST /revalidate HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", ""},
      {"POST /revalidate HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 40\r\n\r\n", ""},
      {"POST /revalidate HTTP/1.1\r\nHost: x\r\nContent-Length: 5, 40\r\n\r\n", ""},
  };
  for (const auto& [head, why] : cases) {
    INFO(head);
    RawConnection connection(server->port());
    connection.send(head + smuggled);
    std::string answer = connection.read_until_closed();  // the server closes after its one answer
    CHECK(answer.rfind("HTTP/1.1 400 Bad Request\r\n", 0) == 0);
    CHECK(answer.find("\r\nConnection: close\r\n") != std::string::npos);
    CHECK(answer.find("\nHTTP/") == std::string::npos);  // no second answer
    if (!why.empty()) CHECK(body_of(answer) == "Bad Request: " + why + "\n");
  }
  CHECK(handled == 0);
}

TEST_CASE("http_server: framing that is well defined is still served", "[http_server]") {
  RequestLog log;
  auto server = start_server([&log](HttpRequest&& request, Responder respond) {
    log.add(request);
    respond(HttpResponse::text(200, request.body));
  });
  for (const std::string request :
       {"POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: Chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
        "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello",
        "POST /a HTTP/1.0\r\nContent-Length: 5\r\n\r\nhello"}) {
    INFO(request);
    RawConnection connection(server->port());
    connection.send(request);
    std::string answer = connection.read_answer();
    CHECK(answer.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
    CHECK(body_of(answer) == "hello");
  }
  CHECK(log.all().size() == 3);
}

TEST_CASE("http_server: slow and idle clients are disconnected", "[http_server]") {
  std::atomic<int> handled{0};
  RequestHandler handler = counting_echo(handled);

  SECTION("a request not complete within read_timeout_ms") {
    ServerLimits limits;
    limits.read_timeout_ms = 200;
    limits.idle_timeout_ms = 60'000;  // longer than the test waits: the read timeout must close it
    auto server = start_server(handler, limits);
    RawConnection connection(server->port());
    connection.send("GET /slow HTTP/1.1\r\nHost: x\r\n");
    CHECK(connection.read_until_closed().empty());
    CHECK(handled == 0);
  }

  SECTION("a keep-alive connection idle for idle_timeout_ms") {
    ServerLimits limits;
    limits.read_timeout_ms = 60'000;
    limits.idle_timeout_ms = 200;
    auto server = start_server(handler, limits);
    RawConnection connection(server->port());
    connection.send("GET /once HTTP/1.1\r\nHost: x\r\n\r\n");
    CHECK(body_of(connection.read_answer()) == "/once");
    CHECK(connection.read_until_closed().empty());
  }
}

TEST_CASE("http_server: connections over max_connections are closed at once", "[http_server]") {
  ServerLimits limits;
  limits.max_connections = 2;
  auto server = start_server([](HttpRequest&& request, Responder respond) { respond(echo_path(request)); }, limits);
  RawConnection first(server->port());
  RawConnection second(server->port());
  RawConnection third(server->port());

  std::string refused = third.read_until_closed();
  CHECK(refused.rfind("HTTP/1.1 503 Service Unavailable\r\n", 0) == 0);
  first.send("GET /first HTTP/1.1\r\nHost: x\r\n\r\n");
  second.send("GET /second HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(body_of(first.read_answer()) == "/first");
  CHECK(body_of(second.read_answer()) == "/second");
}

TEST_CASE("http_server: shutdown finishes answers in progress and closes idle connections", "[http_server]") {
  ResponderQueue responders;
  auto server = start_server(slow_path_waits(responders));
  RawConnection idle(server->port());
  idle.send("GET /quick HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(body_of(idle.read_answer()) == "/quick");
  RawConnection busy(server->port());
  busy.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
  Responder respond = responders.pop();

  auto shutdown_took = std::async(std::launch::async, [&server] {
    auto began = std::chrono::steady_clock::now();
    server->shutdown(kGenerousMs);
    return std::chrono::steady_clock::now() - began;
  });
  CHECK(idle.read_until_closed().empty());  // at once, and so shutdown has begun
  respond(HttpResponse::text(200, "finished while stopping"));
  std::string answer = busy.read_until_closed();
  CHECK(answer.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
  CHECK(answer.find("\r\nConnection: close\r\n") != std::string::npos);
  CHECK(body_of(answer) == "finished while stopping");
  CHECK(shutdown_took.get() < std::chrono::milliseconds(kGenerousMs));
  server->shutdown(0);  // again: nothing left to do
}

TEST_CASE("http_server: answers nobody can receive any more are dropped safely", "[http_server]") {
  ResponderQueue responders;
  auto server = start_server(slow_path_waits(responders));

  SECTION("the client went away") {
    RawConnection gone(server->port());
    gone.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
    Responder respond = responders.pop();
    gone.close();
    respond(HttpResponse::text(200, std::string(1 << 20, 'x')));
    CurlClient client;
    CHECK(client.get(url(*server, "/still-serving")).body == "/still-serving");
  }

  SECTION("the server stopped before the answer, after its grace ran out") {
    RawConnection waiting(server->port());
    waiting.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
    Responder respond = responders.pop();
    server->shutdown(50);
    CHECK(waiting.read_until_closed().empty());
    respond(HttpResponse::text(200, "too late"));
    server.reset();
    respond(HttpResponse::text(200, "later still"));
  }
}

TEST_CASE("http_server: an address that cannot be listened on is an error naming it", "[http_server]") {
  auto handler = [](HttpRequest&&, Responder respond) { respond(HttpResponse::text(200, "")); };
  auto first = start_server(handler);
  std::string taken = "127.0.0.1:" + std::to_string(first->port());
  auto second = HttpServer::start(taken, {}, handler);
  REQUIRE_FALSE(second.ok());
  CHECK(second.error().message == taken + ": address already in use; choose another with --listen");

  auto no_port = HttpServer::start("127.0.0.1", {}, handler);
  REQUIRE_FALSE(no_port.ok());
  CHECK(no_port.error().message.rfind("127.0.0.1: no port;", 0) == 0);
  auto no_host = HttpServer::start(":8080", {}, handler);
  REQUIRE_FALSE(no_host.ok());
  CHECK(no_host.error().message.rfind(":8080: no host;", 0) == 0);
}

TEST_CASE("http_server: a host name is resolved and the server listens on its address", "[http_server]") {
  RequestLog log;
  auto started = HttpServer::start("localhost:0", {}, [&log](HttpRequest&& request, Responder respond) {
    log.add(request);
    respond(echo_path(request));
  });
  REQUIRE(started.ok());
  auto server = std::move(started).value();
  CHECK(server->port() != 0);
  CurlClient client;
  Reply reply = client.get("http://localhost:" + std::to_string(server->port()) + "/named");
  CHECK(reply.status == 200);
  CHECK(reply.body == "/named");
  std::vector<HttpRequest> seen = log.all();
  REQUIRE(seen.size() == 1);
  INFO(seen[0].remote_address);
  CHECK((seen[0].remote_address.rfind("127.0.0.1:", 0) == 0 || seen[0].remote_address.rfind("[::1]:", 0) == 0));
}

TEST_CASE("http_server: a host name that does not resolve is an error naming it", "[http_server]") {
  auto handler = [](HttpRequest&&, Responder respond) { respond(HttpResponse::text(200, "")); };
  auto unknown = HttpServer::start("no-such-host.invalid:0", {}, handler);
  REQUIRE_FALSE(unknown.ok());
  const std::string& message = unknown.error().message;
  INFO(message);
  // A machine that reaches no DNS server cannot tell that the name does not
  // exist, only that it could not be resolved.
  CHECK((message == "no-such-host.invalid:0: no such host" ||
         message.rfind("no-such-host.invalid:0: cannot resolve 'no-such-host.invalid': ", 0) == 0));
}

TEST_CASE("http_server: Expect: 100-continue is answered before the body is read", "[http_server]") {
  ServerLimits limits;
  limits.max_body_bytes = 16 * 1024;
  RequestLog log;
  auto server = start_server(
      [&log](HttpRequest&& request, Responder respond) {
        log.add(request);
        respond(HttpResponse::text(200, "got " + std::to_string(request.body.size())));
      },
      limits);

  SECTION("libcurl posting 10 KiB gets its 100 and then the answer") {
    std::string body(10 * 1024, 'b');
    body.back() = 'e';
    CurlClient client;
    Reply reply = client.post(url(*server, "/hook"), body, {"Expect: 100-continue"});
    CHECK(reply.got_continue());
    CHECK(reply.status == 200);
    CHECK(reply.body == "got 10240");
    std::vector<HttpRequest> seen = log.all();
    REQUIRE(seen.size() == 1);
    CHECK(seen[0].body == body);
  }

  SECTION("the 100 comes before the client sends the body, and the connection goes on") {
    RawConnection connection(server->port());
    connection.send("POST /hook HTTP/1.1\r\nHost: x\r\nExpect: 100-Continue\r\nContent-Length: 5\r\n\r\n");
    CHECK(connection.read_answer() == "HTTP/1.1 100 Continue\r\n\r\n");
    CHECK(log.all().empty());
    connection.send("hello");
    std::string answer = connection.read_answer();
    CHECK(answer.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
    CHECK(body_of(answer) == "got 5");
    connection.send("GET /next HTTP/1.1\r\nHost: x\r\n\r\n");
    CHECK(connection.read_answer().rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
    std::vector<HttpRequest> seen = log.all();
    REQUIRE(seen.size() == 2);
    CHECK(seen[0].body == "hello");
  }

  SECTION("a chunked body gets its 100 too") {
    RawConnection connection(server->port());
    connection.send(
        "POST /hook HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nTransfer-Encoding: chunked\r\n\r\n");
    CHECK(connection.read_answer() == "HTTP/1.1 100 Continue\r\n\r\n");
    connection.send("3\r\nabc\r\n0\r\n\r\n");
    CHECK(body_of(connection.read_answer()) == "got 3");
  }

  SECTION("a request without a body is answered without a 100") {
    RawConnection connection(server->port());
    connection.send("GET /page HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n\r\n");
    std::string answer = connection.read_answer();
    CHECK(answer.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
    CHECK(body_of(answer) == "got 0");
  }

  SECTION("a Content-Length over the limit gets a 413 at once, without a 100") {
    check_refused(server->port(),
                  "POST /hook HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 16385\r\n\r\n",
                  "HTTP/1.1 413 Payload Too Large");
    CHECK(log.all().empty());
  }

  SECTION("any other expectation gets a 417 and the connection closes") {
    for (std::string expect : {"something-else", "100-continue, extra"})
      check_refused(server->port(),
                    "POST /hook HTTP/1.1\r\nHost: x\r\nExpect: " + expect + "\r\nContent-Length: 5\r\n\r\nhello",
                    "HTTP/1.1 417 Expectation Failed");
    check_refused(server->port(),
                  "POST /hook HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nExpect: more\r\n"
                  "Content-Length: 5\r\n\r\nhello",
                  "HTTP/1.1 417 Expectation Failed");
    CHECK(log.all().empty());
  }

  SECTION("HTTP/1.0 requests have their Expect ignored") {
    for (std::string expect : {"100-continue", "something-else"}) {
      RawConnection connection(server->port());
      connection.send("POST /hook HTTP/1.0\r\nExpect: " + expect + "\r\nContent-Length: 5\r\n\r\nhello");
      std::string answer = connection.read_until_closed();
      INFO(answer);
      CHECK(answer.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
      CHECK(body_of(answer) == "got 5");
    }
    CHECK(log.all().size() == 2);
  }
}
