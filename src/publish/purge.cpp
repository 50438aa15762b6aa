#include "publish/purge.h"

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

#include "publish/cache_tags.h"
#include "site/dependency_tag.h"
#include "util/hmac.h"

namespace isrgen::publish {
namespace {

constexpr size_t kCloudFrontPathsPerBatch = 3000;  // CloudFront's limit of paths in progress
constexpr size_t kFastlyKeysPerRequest = 256;
constexpr size_t kCloudflareTagsPerRequest = 30;

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
  std::vector<std::string> paths = request.paths;
  if (paths.size() > static_cast<size_t>(config.max_paths)) paths = {"/*"};
  size_t batch = 0;
  return in_batches(paths, kCloudFrontPathsPerBatch, [&](const std::vector<std::string>& items) {
    std::string body =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<InvalidationBatch xmlns=\"http://cloudfront.amazonaws.com/doc/2020-05-31/\">"
        "<CallerReference>" + xml_escape(caller_reference + "-" + std::to_string(batch++)) + "</CallerReference>"
        "<Paths><Quantity>" + std::to_string(items.size()) + "</Quantity><Items>";
    for (const std::string& path : items)  // the "/*" wildcard stays as it is; keys are encoded
      body += "<Path>" + xml_escape(path == "/*" ? path : aws_uri_encode(path, true)) + "</Path>";
    body += "</Items></Paths></InvalidationBatch>";
    net::Request call;
    call.method = "POST";
    call.url = "https://cloudfront.amazonaws.com/2020-05-31/distribution/" + config.distribution_id + "/invalidation";
    call.headers = {{"Content-Type", "application/xml"}};
    call.body = body;
    call.aws_sigv4 = "aws:amz:us-east-1:cloudfront";
    call.aws_credentials = aws.access_key_id + ":" + aws.secret_access_key;
    if (!aws.session_token.empty()) call.credential_headers.emplace_back("x-amz-security-token", aws.session_token);
    return call;
  });
}

std::vector<net::Request> fastly_purge_calls(const PurgeConfig& config, const PurgeRequest& request) {
  return in_batches(request.tags, kFastlyKeysPerRequest, [&](const std::vector<std::string>& keys) {
    std::string joined;
    for (const std::string& key : keys) joined += (joined.empty() ? "" : " ") + key;
    net::Request call;
    call.method = "POST";
    call.url = "https://api.fastly.com/service/" + config.service_id + "/purge";
    call.headers = {{"Surrogate-Key", joined}, {"Accept", "application/json"}};
    call.credential_headers = {{"Fastly-Key", config.token}};
    return call;
  });
}

std::vector<net::Request> cloudflare_purge_calls(const PurgeConfig& config, const PurgeRequest& request) {
  return in_batches(request.tags, kCloudflareTagsPerRequest, [&](const std::vector<std::string>& tags) {
    net::Request call;
    call.method = "POST";
    call.url = "https://api.cloudflare.com/client/v4/zones/" + config.zone_id + "/purge_cache";
    call.headers = {{"Content-Type", "application/json"}};
    call.credential_headers = {{"Authorization", "Bearer " + config.token}};
    call.body = nlohmann::json{{"tags", tags}}.dump();
    return call;
  });
}

}  // namespace isrgen::publish
