#include "event_stream_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace isrgen::testing {

EventStreamClient::EventStreamClient(uint16_t port, const std::string& host, const std::string& path) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd_ < 0 || ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
    throw std::runtime_error("cannot connect to port " + std::to_string(port) + ": " + std::strerror(errno));
  std::string request = "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAccept: text/event-stream\r\n\r\n";
  if (::send(fd_, request.data(), request.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(request.size()))
    throw std::runtime_error(std::string("cannot send the request: ") + std::strerror(errno));
}

EventStreamClient::~EventStreamClient() {
  if (fd_ >= 0) ::close(fd_);
}

bool EventStreamClient::receive_more(std::chrono::steady_clock::time_point deadline) {
  if (closed_) return false;
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
  if (left.count() <= 0) return false;
  pollfd readable{fd_, POLLIN, 0};
  if (::poll(&readable, 1, static_cast<int>(left.count())) <= 0) return false;
  char chunk[16 * 1024];
  ssize_t got = ::recv(fd_, chunk, sizeof chunk, 0);
  if (got <= 0) {
    closed_ = true;
    return false;
  }
  received_.append(chunk, static_cast<size_t>(got));
  return true;
}

std::string EventStreamClient::head(std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  size_t end;
  while ((end = received_.find("\r\n\r\n")) == std::string::npos)
    if (!receive_more(deadline)) return "";
  std::string head = received_.substr(0, end + 4);
  received_.erase(0, end + 4);
  head_read_ = true;
  return head;
}

std::optional<ServerEvent> EventStreamClient::next_event(const std::string& name, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  if (!head_read_ && head(limit).empty()) return std::nullopt;
  for (;;) {
    size_t end;
    while ((end = received_.find("\n\n")) == std::string::npos)
      if (!receive_more(deadline)) return std::nullopt;
    std::string block = received_.substr(0, end + 1);
    received_.erase(0, end + 2);
    ServerEvent event{"message", ""};
    bool has_data = false;
    for (size_t start = 0; start < block.size();) {
      size_t line_end = block.find('\n', start);
      std::string line = block.substr(start, line_end - start);
      start = line_end + 1;
      if (line.starts_with("event: ")) event.name = line.substr(7);
      if (line.starts_with("data: ")) {
        if (has_data) event.data += '\n';
        event.data += line.substr(6);
        has_data = true;
      }
    }
    if (has_data && event.name == name) return event;
  }
}

bool EventStreamClient::wait_closed(std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (receive_more(deadline)) {
  }
  return closed_;
}

}  // namespace isrgen::testing
