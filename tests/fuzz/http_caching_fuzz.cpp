// Feeds the conditional-request headers the ISR origin reads to decide
// between 200 and 304: each input line is one request header ("Name: value",
// e.g. If-None-Match lists of ETags, If-Modified-Since HTTP dates in all
// three RFC 9110 forms), answered by answer_file for a fixed file whose
// ETag, Cache-Control and Last-Modified are what isrgen serve sends.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "serve/http_server.h"
#include "serve/origin_files.h"

namespace {

const isrgen::serve::OriginFile& file() {
  static const isrgen::serve::OriginFile kFile{
      .output = "acme/summer/index.html",
      .body = std::make_shared<const std::string>("<!doctype html><title>Summer</title>"),
      .etag = "\"1f2e3d4c5b6a7988\"",
      .content_type = "text/html; charset=utf-8",
      .cache_control = "public, max-age=0, s-maxage=31536000, stale-while-revalidate=60",
      .last_modified = "Sun, 06 Nov 1994 08:49:37 GMT",
      .modified_unix_seconds = 784111777,
  };
  return kFile;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  isrgen::serve::HttpRequest request;
  request.method = !input.empty() && input.front() == 'H' ? "HEAD" : "GET";
  request.target = request.path = "/acme/summer/";
  while (!input.empty()) {
    const size_t end = input.find('\n');
    const std::string_view line = input.substr(0, end);
    const size_t colon = line.find(':');
    if (colon != std::string_view::npos) {
      // The server hands values over without the whitespace around them.
      std::string_view value = line.substr(colon + 1);
      while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
      while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
      request.headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
    }
    if (end == std::string_view::npos) break;
    input.remove_prefix(end + 1);
  }
  const isrgen::serve::HttpResponse response = isrgen::serve::answer_file(file(), request);
  if (response.status != 200 && response.status != 304) __builtin_trap();
  return 0;
}
