#include "net/http_request.h"

#include <algorithm>

namespace isrgen::net {

std::string Response::describe() const {
  if (!error.empty()) return error;
  std::string text = "HTTP " + std::to_string(status);
  // An error page can be long; its start says what went wrong.
  if (!body.empty()) text += ": " + body.substr(0, 300);
  return text;
}

std::string Response::header(const std::string& name) const {
  std::string lower = name;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : static_cast<char>(c);
  });
  auto found = headers.find(lower);
  return found == headers.end() ? "" : found->second;
}

}  // namespace isrgen::net
