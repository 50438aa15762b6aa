#include "serve/request_framing.h"

#include <string_view>

#include "util/ascii.h"
#include "util/text.h"

namespace isrgen::serve {
namespace {

namespace http = boost::beast::http;

// Every Transfer-Encoding field's list elements, in order, must come to the
// one coding "chunked", without parameters. Empty elements do not count
// (RFC 9110 §5.6.1); a list of nothing frames nothing, so it is refused too.
bool only_chunked(const http::request_header<>& head) {
  int codings = 0;
  auto [field, end] = head.equal_range(http::field::transfer_encoding);
  for (; field != end; ++field) {
    std::string_view rest(field->value().data(), field->value().size());
    while (!rest.empty()) {
      size_t comma = rest.find(',');
      std::string_view coding = trim(rest.substr(0, comma), " \t");  // optional whitespace around elements
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
      if (coding.empty()) continue;
      if (++codings > 1 || !equals_ignoring_ascii_case(coding, "chunked")) return false;
    }
  }
  return codings == 1;
}

}  // namespace

std::optional<std::string> framing_fault(const http::request_header<>& head) {
  if (head.count(http::field::transfer_encoding) > 0) {
    // HTTP/1.0 has no transfer codings: its framing is faulty (RFC 9112 §6.1).
    if (head.version() < 11) return "Transfer-Encoding in an HTTP/1.0 request";
    // Another coding, or chunked not last, leaves the body's end unknown.
    if (!only_chunked(head)) return "Transfer-Encoding other than exactly \"chunked\"";
  }
  size_t hosts = head.count(http::field::host);
  if (hosts > 1) return "more than one Host header";
  if (hosts == 0 && head.version() >= 11) return "no Host header in an HTTP/1.1 request";
  return std::nullopt;
}

}  // namespace isrgen::serve
