#include "chromium_session.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <regex>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include "http_client.h"

extern char** environ;

namespace isrgen::testing {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using nlohmann::json;
using namespace std::chrono_literals;

// Chromium's start on a loaded two-core machine takes seconds, rarely more.
constexpr auto kStartLimit = 30s;
constexpr auto kCallLimit = 10s;
constexpr auto kCloseLimit = 5s;
constexpr size_t kMaxQueuedEvents = 1000;  // Page.* events nobody waits for are dropped

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> result;
  for (std::string& text : strings) result.push_back(text.data());
  result.push_back(nullptr);
  return result;
}

// The predicate as an expression that polls it in the page for up to 200 ms
// and gives {ok, error}: each evaluate stays short, and the test sleeps never.
std::string polled(const std::string& predicate) {
  return "new Promise(function (resolve) {\n"
         "  var until = Date.now() + 200;\n"
         "  (function check() {\n"
         "    var ok = false, error = '';\n"
         "    try { ok = !!(function () { return (" + predicate + "\n); })(); } catch (e) { error = String(e); }\n"
         "    if (ok || Date.now() >= until) resolve({ok: ok, error: error}); else setTimeout(check, 10);\n"
         "  })();\n"
         "})";
}

}  // namespace

// One WebSocket to a DevTools endpoint. Each read runs the I/O context until
// the message came or the deadline passed; a missed deadline closes it.
struct ChromiumSession::Connection {
  asio::io_context io;
  websocket::stream<beast::tcp_stream> socket{io};

  Connection(uint16_t port, const std::string& path) {
    asio::ip::tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), port);
    beast::get_lowest_layer(socket).connect(endpoint);
    socket.read_message_max(64 << 20);
    socket.handshake("127.0.0.1:" + std::to_string(port), path);
  }

  void send(const json& message) { socket.write(asio::buffer(message.dump())); }

  json receive(Clock::time_point deadline) {
    beast::flat_buffer buffer;
    std::optional<beast::error_code> result;
    socket.async_read(buffer, [&result](beast::error_code error, size_t) { result = error; });
    io.restart();
    io.run_until(deadline);
    if (!result) {
      beast::get_lowest_layer(socket).cancel();
      io.restart();
      io.run();
      throw std::runtime_error("Chromium sent nothing before the deadline");
    }
    if (*result) throw std::runtime_error("the DevTools connection failed: " + result->message());
    return json::parse(beast::buffers_to_string(buffer.data()));
  }
};

std::unique_ptr<ChromiumSession> ChromiumSession::start(const std::filesystem::path& profile_dir,
                                                        std::string& why_not) {
  std::filesystem::create_directories(profile_dir);
  std::unique_ptr<ChromiumSession> session(new ChromiumSession());
  int err_pipe[2];
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  std::vector<std::string> args = {"chromium",
                                   "--headless",
                                   "--no-sandbox",
                                   "--disable-gpu",
                                   "--no-first-run",
                                   "--no-default-browser-check",
                                   "--remote-debugging-port=0",
                                   "--user-data-dir=" + profile_dir.string(),
                                   "about:blank"};
  std::vector<char*> argv = pointers(args);
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attributes;
  ::posix_spawn_file_actions_init(&actions);
  ::posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  ::posix_spawn_file_actions_adddup2(&actions, err_pipe[1], STDERR_FILENO);
  ::posix_spawnattr_init(&attributes);
  // A session (and process group) of its own: close() ends every process
  // Chromium started, renderers and zygotes included.
  ::posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSID);
  int spawned = ::posix_spawnp(&session->pid_, "chromium", &actions, &attributes, argv.data(), environ);
  ::posix_spawn_file_actions_destroy(&actions);
  ::posix_spawnattr_destroy(&attributes);
  ::close(err_pipe[1]);
  if (spawned != 0) {
    ::close(err_pipe[0]);
    session->closed_ = true;
    why_not = std::string("chromium could not be run: ") + std::strerror(spawned);
    return nullptr;
  }
  session->log_fd_ = err_pipe[0];
  session->log_reader_ = std::thread([raw = session.get()] { raw->read_log(); });

  // "DevTools listening on ws://127.0.0.1:PORT/devtools/browser/<id>"
  if (!session->wait_for_log("DevTools listening on ws://", Clock::now() + kStartLimit)) {
    why_not = "chromium did not open its DevTools port:\n" + session->log();
    return nullptr;  // the destructor ends it
  }
  std::smatch match;
  std::string log = session->log();
  if (!std::regex_search(log, match, std::regex("DevTools listening on ws://[^:/]+:([0-9]+)(/devtools/[^\\s]+)"))) {
    why_not = "chromium's DevTools line is not understood:\n" + log;
    return nullptr;
  }
  session->port_ = static_cast<uint16_t>(std::stoi(match[1]));
  session->browser_path_ = match[2];

  std::string base = "http://127.0.0.1:" + std::to_string(session->port_);
  ClientResponse targets = http_get(base + "/json/list");
  if (targets.status != 200)
    throw std::runtime_error("GET /json/list: " + std::to_string(targets.status) + " " + targets.error);
  std::string page_url;
  for (const json& target : json::parse(targets.body))
    if (target.value("type", "") == "page") {
      page_url = target.at("webSocketDebuggerUrl").get<std::string>();
      break;
    }
  if (page_url.empty()) {  // no tab open: ask for one (PUT, as /json/new requires)
    ClientResponse opened = http_request({"PUT", base + "/json/new?about:blank", {}, ""});
    if (opened.status != 200) throw std::runtime_error("PUT /json/new: " + std::to_string(opened.status));
    page_url = json::parse(opened.body).at("webSocketDebuggerUrl").get<std::string>();
  }
  session->page_ = std::make_unique<Connection>(session->port_, page_url.substr(page_url.find("/devtools/")));
  session->call(*session->page_, "Page.enable", json::object(), Clock::now() + kCallLimit);
  return session;
}

ChromiumSession::~ChromiumSession() { close(); }

json ChromiumSession::call(Connection& connection, const std::string& method, const json& params,
                           Clock::time_point deadline) {
  int id = ++next_id_;
  connection.send({{"id", id}, {"method", method}, {"params", params}});
  for (;;) {
    json message = connection.receive(deadline);
    if (message.contains("id")) {
      if (message.at("id") != id) continue;  // the answer to a call that gave up
      if (message.contains("error"))
        throw DevToolsError(method + ": " + message.at("error").value("message", message.at("error").dump()));
      return message.value("result", json::object());
    }
    if (message.contains("method")) {
      events_.push_back(std::move(message));
      if (events_.size() > kMaxQueuedEvents) events_.pop_front();
    }
  }
}

void ChromiumSession::wait_for_event(const std::string& method, Clock::time_point deadline) {
  for (;;) {
    while (!events_.empty()) {
      bool found = events_.front().at("method") == method;
      events_.pop_front();
      if (found) return;
    }
    json message = page_->receive(deadline);
    if (message.contains("method")) events_.push_back(std::move(message));
  }
}

void ChromiumSession::navigate(const std::string& url, std::chrono::milliseconds limit) {
  auto deadline = Clock::now() + limit;
  events_.clear();  // a load event of an earlier page is not this one's
  json result = call(*page_, "Page.navigate", {{"url", url}}, deadline);
  if (!result.value("errorText", "").empty())
    throw DevToolsError("Page.navigate " + url + ": " + result.at("errorText").get<std::string>());
  wait_for_event("Page.loadEventFired", deadline);
}

json ChromiumSession::evaluate(const std::string& js) {
  json result = call(*page_, "Runtime.evaluate", {{"expression", js}, {"returnByValue", true}, {"awaitPromise", true}},
                     Clock::now() + kCallLimit);
  if (result.contains("exceptionDetails")) {
    const json& details = result.at("exceptionDetails");
    std::string message = details.contains("exception")
                              ? details.at("exception").value("description", details.value("text", ""))
                              : details.value("text", "");
    throw DevToolsError(message + "\n  in: " + js.substr(0, js.find('\n')));
  }
  return result.at("result").value("value", json());
}

bool ChromiumSession::wait_until(const std::string& predicate, std::chrono::milliseconds limit) {
  auto deadline = Clock::now() + limit;
  last_wait_error_.clear();
  do {
    try {
      json answer = evaluate(polled(predicate));
      if (answer.value("ok", false)) return true;
      if (!answer.value("error", "").empty()) last_wait_error_ = answer.at("error").get<std::string>();
    } catch (const DevToolsError& error) {
      last_wait_error_ = error.what();  // the page navigated while it was evaluated
    }
  } while (Clock::now() < deadline);
  return false;
}

void ChromiumSession::set_viewport(int width, int height) {
  call(*page_, "Emulation.setDeviceMetricsOverride",
       {{"width", width}, {"height", height}, {"deviceScaleFactor", 1}, {"mobile", false}}, Clock::now() + kCallLimit);
}

void ChromiumSession::close() {
  if (closed_) return;
  closed_ = true;
  page_.reset();
  try {
    Connection browser(port_, browser_path_);
    call(browser, "Browser.close", json::object(), Clock::now() + kCloseLimit);
  } catch (const std::exception&) {
    // Not started far enough, or gone already: the kill below ends it.
  }
  if (pid_ <= 0) return;
  // Every process of the browser holds its stderr: the pipe closes when all exited.
  {
    std::unique_lock lock(log_mutex_);
    log_changed_.wait_for(lock, kCloseLimit, [this] { return log_closed_; });
  }
  ::kill(-pid_, SIGKILL);  // the group still exists: its leader is not reaped yet
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  if (log_reader_.joinable()) log_reader_.join();
  ::close(log_fd_);
}

void ChromiumSession::read_log() {
  char chunk[4096];
  for (;;) {
    ssize_t got = ::read(log_fd_, chunk, sizeof chunk);
    if (got < 0 && errno == EINTR) continue;
    std::lock_guard lock(log_mutex_);
    if (got <= 0) {
      log_closed_ = true;
      log_changed_.notify_all();
      return;
    }
    log_.append(chunk, static_cast<size_t>(got));
    log_changed_.notify_all();
  }
}

bool ChromiumSession::wait_for_log(const std::string& text, Clock::time_point deadline) {
  std::unique_lock lock(log_mutex_);
  log_changed_.wait_until(lock, deadline, [&] { return log_closed_ || log_.find(text) != std::string::npos; });
  return log_.find(text) != std::string::npos;
}

std::string ChromiumSession::log() const {
  std::lock_guard lock(log_mutex_);
  return log_;
}

}  // namespace isrgen::testing
