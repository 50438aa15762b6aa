#include "capture_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <stdexcept>

namespace isrgen::testing {
namespace {

// Reads until `buffer` holds `wanted` bytes; false on EOF.
bool fill(int fd, std::string& buffer, size_t wanted) {
  char chunk[8192];
  while (buffer.size() < wanted) {
    ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer.append(chunk, static_cast<size_t>(n));
  }
  return true;
}

bool read_head(int fd, std::string& buffer, size_t& head_end) {
  char chunk[8192];
  while ((head_end = buffer.find("\r\n\r\n")) == std::string::npos) {
    ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer.append(chunk, static_cast<size_t>(n));
  }
  return true;
}

CapturedRequest parse_head(const std::string& head) {
  CapturedRequest request;
  size_t line_end = head.find("\r\n");
  std::string first = head.substr(0, line_end);
  size_t space = first.find(' ');
  request.method = first.substr(0, space);
  request.target = first.substr(space + 1, first.rfind(' ') - space - 1);
  size_t at = line_end + 2;
  while (at < head.size()) {
    size_t end = head.find("\r\n", at);
    if (end == std::string::npos) end = head.size();
    std::string line = head.substr(at, end - at);
    size_t colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
      size_t value = line.find_first_not_of(' ', colon + 1);
      request.headers[name] = value == std::string::npos ? "" : line.substr(value);
    }
    at = end + 2;
  }
  return request;
}

void send_all(int fd, const std::string& bytes) {
  size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return;
    sent += static_cast<size_t>(n);
  }
}

}  // namespace

CaptureServer::CaptureServer(Responder responder) : responder_(std::move(responder)) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || ::listen(listen_fd_, 64) != 0 ||
      ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0)
    throw std::runtime_error("capture server: cannot listen on loopback");
  port_ = ntohs(address.sin_port);
  acceptor_ = std::thread([this] {
    for (;;) {
      int fd = ::accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) return;  // the listening socket was shut down
      std::lock_guard lock(mutex_);
      connections_.emplace_back([this, fd] { serve_connection(fd); });
    }
  });
}

CaptureServer::~CaptureServer() {
  ::shutdown(listen_fd_, SHUT_RDWR);
  ::close(listen_fd_);
  acceptor_.join();
  for (auto& connection : connections_) connection.join();
}

std::vector<CapturedRequest> CaptureServer::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

void CaptureServer::serve_connection(int fd) {
  std::string buffer;
  size_t head_end = 0;
  while (read_head(fd, buffer, head_end)) {
    CapturedRequest request = parse_head(buffer.substr(0, head_end));
    size_t length = request.headers.count("content-length") ? std::stoul(request.headers["content-length"]) : 0;
    if (!fill(fd, buffer, head_end + 4 + length)) break;
    request.body = buffer.substr(head_end + 4, length);
    buffer.erase(0, head_end + 4 + length);
    CannedResponse response = responder_ ? responder_(request) : CannedResponse{};
    {
      std::lock_guard lock(mutex_);
      requests_.push_back(std::move(request));
    }
    std::string reply = "HTTP/1.1 " + std::to_string(response.status) + " X\r\nContent-Length: " +
                        std::to_string(response.body.size()) + "\r\n";
    for (const auto& [name, value] : response.headers) reply += name + ": " + value + "\r\n";
    send_all(fd, reply + "\r\n" + response.body);
  }
  ::close(fd);
}

}  // namespace isrgen::testing
