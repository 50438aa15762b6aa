#include "publish/purge.h"

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

#include "publish/cache_tags.h"
#include "publish/purge_limits.h"
#include "site/dependency_tag.h"
#include "util/hmac.h"
#include "util/json_nesting.h"

namespace isrgen::publish {
namespace {

// The provider's API origin, or the [deploy.purge] endpoint that replaces it.
std::string api_base(const PurgeConfig& config, const std::string& provider_origin) {
  std::string base = config.endpoint.empty() ? provider_origin : config.endpoint;
  while (base.ends_with('/')) base.pop_back();
  return base;
}

size_t batch_size(const PurgeConfig& config, std::string_view provider) {
  return config.batch_size > 0 ? static_cast<size_t>(config.batch_size) : default_batch_size(provider);
}

template <class Build>
std::vector<net::Request> in_batches(const std::vector<std::string>& items, size_t size, Build build) {
  std::vector<net::Request> calls;
  for (size_t at = 0; at < items.size(); at += size)
    calls.push_back(build(std::vector<std::string>(items.begin() + static_cast<std::ptrdiff_t>(at),
                                                   items.begin() + static_cast<std::ptrdiff_t>(std::min(items.size(), at + size)))));
  return calls;
}

std::string xml_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '&') out += "&amp;";
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else out += c;
  }
  return out;
}

}  // namespace

PurgeRequest purge_request_for(const std::vector<DeployedObject>& changed) {
  std::set<std::string> paths, tags;
  const std::string index = "index.html";
  for (const DeployedObject& object : changed) {
    paths.insert("/" + object.key);
    if (object.key == index || object.key.ends_with("/" + index))
      paths.insert("/" + object.key.substr(0, object.key.size() - index.size()));
    // The page: tag is carried by every copy of the page at any URL; other
    // tags would purge unchanged pages too.
    for (const std::string& tag : object.tags)
      if (kind_of(tag) == TagKind::kPage) tags.insert(cdn_tag(tag));
  }
  return {{paths.begin(), paths.end()}, {tags.begin(), tags.end()}};
}

std::vector<net::Request> webhook_purge_calls(const PurgeConfig& config, const PurgeRequest& request, const Clock& clock) {
  net::Request call;
  call.method = "POST";
  call.url = config.url;
  call.body = nlohmann::json{{"paths", request.paths}, {"tags", request.tags}}.dump();
  std::string timestamp = std::to_string(clock.now_unix_ms() / 1000);
  call.headers = {{"Content-Type", "application/json"}};
  call.credential_headers = {
      {"X-Isrgen-Signature", "t=" + timestamp + ",v1=" + hmac_sha256_hex(config.secret, timestamp + "." + call.body)}};
  return {call};
}

std::vector<net::Request> cloudfront_purge_calls(const PurgeConfig& config, const PurgeRequest& request,
                                             const S3Settings& aws, const std::string& caller_reference) {
  if (request.paths.empty()) return {};
  // One invalidation per sync: a second one of individual paths could pass
  // the 3,000 in progress and be refused with TooManyInvalidationsInProgress.
  size_t most = std::min(static_cast<size_t>(config.max_paths), kCloudFrontPathsInProgress);
  std::vector<std::string> paths = request.paths.size() > most ? std::vector<std::string>{"/*"} : request.paths;
  // CreateInvalidation (API version 2020-05-31): POST
  // /2020-05-31/distribution/{Id}/invalidation with an InvalidationBatch:
  // Paths (Quantity, Items of Path) and a CallerReference unique per request.
  std::string body =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<InvalidationBatch xmlns=\"http://cloudfront.amazonaws.com/doc/2020-05-31/\">"
      "<CallerReference>" + xml_escape(caller_reference) + "</CallerReference>"
      "<Paths><Quantity>" + std::to_string(paths.size()) + "</Quantity><Items>";
  for (const std::string& path : paths)  // the "/*" wildcard stays as it is; keys are encoded
    body += "<Path>" + xml_escape(path == "/*" ? path : aws_uri_encode(path, true)) + "</Path>";
  body += "</Items></Paths></InvalidationBatch>";
  net::Request call;
  call.method = "POST";
  call.url = api_base(config, "https://cloudfront.amazonaws.com") + "/2020-05-31/distribution/" +
             config.distribution_id + "/invalidation";
  call.headers = {{"Content-Type", "application/xml"}};
  call.body = body;
  // CloudFront is a global service: signed for us-east-1 whatever AWS_REGION says.
  call.aws_sigv4 = "aws:amz:us-east-1:cloudfront";
  call.aws_credentials = aws.access_key_id + ":" + aws.secret_access_key;
  if (!aws.session_token.empty()) call.credential_headers.emplace_back("x-amz-security-token", aws.session_token);
  return {call};
}

std::vector<net::Request> fastly_purge_calls(const PurgeConfig& config, const PurgeRequest& request) {
  // "Purge multiple surrogate key tags": POST /service/{service_id}/purge with
  // {"surrogate_keys":[...]} (the body form: 256 keys of up to 256 bytes would
  // overflow a header), Fastly-Key for the token, Fastly-Soft-Purge: 1 to mark
  // the objects stale instead of evicting them.
  return in_batches(request.tags, batch_size(config, "fastly"), [&](const std::vector<std::string>& keys) {
    net::Request call;
    call.method = "POST";
    call.url = api_base(config, "https://api.fastly.com") + "/service/" + config.service_id + "/purge";
    call.headers = {{"Content-Type", "application/json"}, {"Accept", "application/json"}};
    if (config.soft) call.headers.emplace_back("Fastly-Soft-Purge", "1");
    call.credential_headers = {{"Fastly-Key", config.token}};
    call.body = nlohmann::json{{"surrogate_keys", keys}}.dump();
    return call;
  });
}

std::vector<net::Request> cloudflare_purge_calls(const PurgeConfig& config, const PurgeRequest& request) {
  // "Purge Cached Content": POST /client/v4/zones/{zone_id}/purge_cache with
  // {"tags":[...]} and a Bearer API token. Purging by URL ("files") needs the
  // absolute URL of each host serving the object; a page's tag reaches all of them.
  // The API has no soft purge.
  return in_batches(request.tags, batch_size(config, "cloudflare"), [&](const std::vector<std::string>& tags) {
    net::Request call;
    call.method = "POST";
    call.url = api_base(config, "https://api.cloudflare.com/client/v4") + "/zones/" + config.zone_id + "/purge_cache";
    call.headers = {{"Content-Type", "application/json"}};
    call.credential_headers = {{"Authorization", "Bearer " + config.token}};
    call.body = nlohmann::json{{"tags", tags}}.dump();
    return call;
  });
}

std::optional<std::string> purge_answer_refusal(const std::string& provider, const net::Response& answer) {
  if (provider != "cloudflare") return std::nullopt;
  // The answer is within the publisher's 16 MiB limit; its nesting is
  // checked before nlohmann's recursive parser sees it.
  constexpr int kMaxEnvelopeDepth = 32;
  if (json_nesting_past(answer.body, kMaxEnvelopeDepth))
    return "HTTP " + std::to_string(answer.status) + " with an answer nested deeper than " +
           std::to_string(kMaxEnvelopeDepth);
  auto envelope = nlohmann::json::parse(answer.body, nullptr, false);
  if (envelope.is_discarded() || !envelope.is_object())
    return "HTTP " + std::to_string(answer.status) + " without Cloudflare's JSON envelope";
  auto success = envelope.find("success");
  if (success != envelope.end() && success->is_boolean() && success->get<bool>()) return std::nullopt;
  std::string reason = "Cloudflare answered success: false";
  auto errors = envelope.find("errors");
  if (errors != envelope.end() && errors->is_array() && !errors->empty() && errors->front().is_object()) {
    const auto& first = errors->front();
    if (first.contains("code") && first["code"].is_number_integer())
      reason += " (" + std::to_string(first["code"].get<int64_t>()) + ")";
    if (first.contains("message") && first["message"].is_string()) reason += ": " + first["message"].get<std::string>();
  }
  return reason;
}

}  // namespace isrgen::publish
