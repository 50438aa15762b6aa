// Feeds raw bytes as an HTTP/1.1 request off the socket, the way `isrgen
// serve` reads one: Boost.Beast's parser, then isrgen's own checks of what
// arrives from the internet: the framing check of the head, the delivery id,
// the webhook signature headers, and the body of POST /revalidate, both
// isrgen's {"tags", "paths"} and a CMS payload through [[serve.map]] rules.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/http.hpp>

#include "serve/request_framing.h"
#include "serve/revalidate_request.h"
#include "serve/serve_config.h"
#include "serve/webhook_auth.h"
#include "site/site_config.h"

namespace http = boost::beast::http;

namespace {

// Two tenants and two CMS rules, as the example site and the serve tests have them.
struct Settings {
  isrgen::SiteConfig site;
  std::vector<isrgen::serve::MapRule> map;
};

const Settings& settings() {
  static const Settings kSettings = [] {
    auto site = isrgen::parse_site_config(
        "[tenants.acme]\nbase_url = \"https://acme.example\"\n[tenants.nova]\nbase_url = \"https://nova.example\"\n",
        "content/site.toml");
    auto serve = isrgen::serve::parse_serve_config(R"([[serve.map]]
when = { "sys.contentType.sys.id" = "model", sys.type = "Entry" }
tags = ["models:{sys.id}", "source:models"]
[[serve.map]]
when = { "entry.id" = 7, published = true }
tags = ["articles:{entry.slug}", "item:{items.0.id}"]
)",
                                                   "content/site.toml");
    if (!site || !serve) __builtin_trap();
    return Settings{site.value(), serve.value().map};
  }();
  return kSettings;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  http::request_parser<http::string_body> parser;
  parser.eager(true);
  parser.body_limit(1 << 20);
  boost::beast::error_code error;
  size_t offset = 0;
  while (!parser.is_done()) {
    const size_t used = parser.put(boost::asio::buffer(data + offset, size - offset), error);
    if (error == http::error::need_more && offset + used == size) parser.put_eof(error);
    if (error || used == 0) break;
    offset += used;
  }
  if (!parser.is_header_done()) return 0;
  const auto& request = parser.get();
  if (auto fault = isrgen::serve::framing_fault(request)) return 0;

  isrgen::serve::Headers headers;
  for (const auto& field : request) headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  for (auto scheme : {isrgen::serve::WebhookScheme::kGitHub, isrgen::serve::WebhookScheme::kStandardWebhooks}) {
    auto id = isrgen::serve::delivery_id(headers, scheme);
    if (!id) (void)id.error().to_string();
  }
  const std::string& body = request.body();
  const isrgen::ManualClock clock(1'750'000'000'000);  // fixed: signatures' time checks stay deterministic
  (void)isrgen::serve::authenticate_webhook(body, headers, "whsec_c2VjcmV0LWtleS1mb3ItZnV6emluZw==", clock);
  (void)isrgen::serve::authenticate_webhook(body, headers, "plain-secret", clock);
  auto parsed = isrgen::serve::parse_revalidate_request(body, settings().site, settings().map);
  if (!parsed) (void)parsed.error().to_string();
  return 0;
}
