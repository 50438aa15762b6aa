#include "cdn_mocks.h"

#include <algorithm>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "publish/digest.h"
#include "util/hmac.h"

namespace isrgen::testing {
namespace {

using nlohmann::json;

// The text between each "<tag>" and "</tag>" in `xml`, in order.
std::vector<std::string> elements(const std::string& xml, const std::string& tag) {
  std::vector<std::string> found;
  const std::string open = "<" + tag + ">", close = "</" + tag + ">";
  for (size_t at = xml.find(open); at != std::string::npos; at = xml.find(open, at)) {
    size_t end = xml.find(close, at);
    if (end == std::string::npos) break;
    found.push_back(xml.substr(at + open.size(), end - at - open.size()));
    at = end;
  }
  return found;
}

std::string trim(std::string text) {
  text.erase(0, text.find_first_not_of(" \t"));
  text.erase(text.find_last_not_of(" \t") + 1);
  return text;
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

std::string as_string(const Sha256Digest& digest) { return std::string(digest.begin(), digest.end()); }

// "a=1&b=2" sorted by name, as SigV4's canonical query string.
std::string canonical_query(const std::string& target) {
  size_t question = target.find('?');
  if (question == std::string::npos) return "";
  std::vector<std::string> pairs;
  std::stringstream query(target.substr(question + 1));
  for (std::string pair; std::getline(query, pair, '&');) pairs.push_back(pair.find('=') == std::string::npos ? pair + "=" : pair);
  std::sort(pairs.begin(), pairs.end());
  std::string joined;
  for (const std::string& pair : pairs) joined += (joined.empty() ? "" : "&") + pair;
  return joined;
}

TestResponse xml_error(int status, const std::string& code, const std::string& message) {
  return {status,
          {{"Content-Type", "text/xml"}},
          "<?xml version=\"1.0\"?><ErrorResponse xmlns=\"http://cloudfront.amazonaws.com/doc/2020-05-31/\"><Error>"
          "<Type>Sender</Type><Code>" + code + "</Code><Message>" + message + "</Message></Error></ErrorResponse>"};
}

TestResponse cloudflare_answer(int status, bool success, const json& errors = json::array()) {
  json body = {{"success", success}, {"errors", errors}, {"messages", json::array()}};
  if (success) body["result"] = {{"id", "9a7806061c88ada191ed06f989cc3dac"}};
  return TestResponse::json(body.dump(), status);
}

}  // namespace

std::string sigv4_problem(const TestRequest& request, const std::string& access_key_id,
                          const std::string& secret_access_key, const std::string& region, const std::string& service) {
  const std::string authorization = request.header("authorization");
  const std::string algorithm = "AWS4-HMAC-SHA256 ";
  if (!authorization.starts_with(algorithm)) return "no AWS4-HMAC-SHA256 Authorization header";
  std::map<std::string, std::string> fields;
  std::stringstream parts(authorization.substr(algorithm.size()));
  for (std::string part; std::getline(parts, part, ',');) {
    part = trim(part);
    size_t equals = part.find('=');
    if (equals != std::string::npos) fields[part.substr(0, equals)] = part.substr(equals + 1);
  }
  const std::string amz_date = request.header("x-amz-date");
  if (amz_date.size() != 16) return "no x-amz-date (YYYYMMDDTHHMMSSZ)";
  const std::string scope = amz_date.substr(0, 8) + "/" + region + "/" + service + "/aws4_request";
  if (fields["Credential"] != access_key_id + "/" + scope)
    return "credential scope '" + fields["Credential"] + "' is not '" + access_key_id + "/" + scope + "'";
  std::vector<std::string> signed_headers;
  std::stringstream names(fields["SignedHeaders"]);
  for (std::string name; std::getline(names, name, ';');) signed_headers.push_back(name);
  for (const char* needed : {"host", "x-amz-date"})
    if (std::find(signed_headers.begin(), signed_headers.end(), needed) == signed_headers.end())
      return std::string("SignedHeaders lacks ") + needed;
  std::string canonical = request.method + "\n" + request.path() + "\n" + canonical_query(request.target) + "\n";
  for (const std::string& name : signed_headers) canonical += lower(name) + ":" + trim(request.header(name)) + "\n";
  std::string payload = request.header("x-amz-content-sha256");
  canonical += "\n" + fields["SignedHeaders"] + "\n" + (payload.empty() ? publish::sha256_hex(request.body) : payload);
  const std::string to_sign =
      "AWS4-HMAC-SHA256\n" + amz_date + "\n" + scope + "\n" + publish::sha256_hex(canonical);
  std::string key = as_string(hmac_sha256("AWS4" + secret_access_key, amz_date.substr(0, 8)));
  for (const std::string& step : {region, service, std::string("aws4_request")}) key = as_string(hmac_sha256(key, step));
  if (fields["Signature"] != hmac_sha256_hex(key, to_sign)) return "the signature does not match the request";
  return "";
}

std::vector<std::string> CdnMock::problems() const {
  std::lock_guard lock(mutex_);
  return problems_;
}

std::vector<std::string> CdnMock::purged() const {
  std::lock_guard lock(mutex_);
  return purged_;
}

void CdnMock::throttle_next(int count, int retry_after_seconds) {
  std::lock_guard lock(mutex_);
  throttled_ = count;
  retry_after_seconds_ = retry_after_seconds;
}

TestResponse CdnMock::take_throttle(const std::string& body) {
  std::lock_guard lock(mutex_);
  if (throttled_ <= 0) return {0, {}, ""};
  --throttled_;
  return {429, {{"Retry-After", std::to_string(retry_after_seconds_)}, {"Content-Type", "application/json"}}, body};
}

void CdnMock::problem(const std::string& text) {
  std::lock_guard lock(mutex_);
  problems_.push_back(text);
}

void CdnMock::accept(const std::vector<std::string>& items) {
  std::lock_guard lock(mutex_);
  purged_.insert(purged_.end(), items.begin(), items.end());
}

CloudFrontMock::CloudFrontMock(std::string distribution_id, std::string access_key_id, std::string secret_access_key)
    : distribution_id_(std::move(distribution_id)),
      access_key_id_(std::move(access_key_id)),
      secret_access_key_(std::move(secret_access_key)) {
  server_.on("/2020-05-31/distribution/" + distribution_id_ + "/invalidation",
             [this](const TestRequest& request) { return handle(request); });
}

void CloudFrontMock::complete_all() {
  std::lock_guard lock(mutex_);
  paths_in_progress_ = wildcards_in_progress_ = 0;
}

void CloudFrontMock::refuse_next(int count) {
  std::lock_guard lock(mutex_);
  refused_ = count;
}

std::vector<std::string> CloudFrontMock::caller_references() const {
  std::lock_guard lock(mutex_);
  return references_;
}

TestResponse CloudFrontMock::handle(const TestRequest& request) {
  if (request.method != "POST") return problem("CreateInvalidation is a POST"), xml_error(405, "MethodNotAllowed", "");
  if (std::string wrong = sigv4_problem(request, access_key_id_, secret_access_key_, "us-east-1", "cloudfront");
      !wrong.empty()) {
    problem("SigV4: " + wrong);
    return xml_error(403, "SignatureDoesNotMatch", wrong);
  }
  const std::string& body = request.body;
  auto references = elements(body, "CallerReference");
  auto quantity = elements(body, "Quantity");
  auto paths = elements(body, "Path");
  bool shaped = body.find("<InvalidationBatch xmlns=\"http://cloudfront.amazonaws.com/doc/2020-05-31/\">") !=
                    std::string::npos &&
                references.size() == 1 && !references[0].empty() && quantity.size() == 1 &&
                elements(body, "Items").size() == 1;
  if (!shaped) return problem("not an InvalidationBatch: " + body), xml_error(400, "MalformedXML", "");
  if (quantity[0] != std::to_string(paths.size())) {
    problem("Quantity " + quantity[0] + " for " + std::to_string(paths.size()) + " paths");
    return xml_error(400, "InconsistentQuantities", "");
  }
  size_t wildcards = std::count_if(paths.begin(), paths.end(), [](const std::string& p) { return p.ends_with("*"); });
  for (const std::string& path : paths)
    if (!path.starts_with("/")) problem("path '" + path + "' does not start with /");
  std::lock_guard lock(mutex_);
  if (refused_ > 0 || paths_in_progress_ + paths.size() - wildcards > 3000 || wildcards_in_progress_ + wildcards > 15) {
    refused_ = std::max(0, refused_ - 1);
    return xml_error(400, "TooManyInvalidationsInProgress",
                     "Processing your request will cause you to exceed the maximum number of in-progress wildcard "
                     "invalidations.");
  }
  if (std::find(references_.begin(), references_.end(), references[0]) != references_.end())
    problems_.push_back("CallerReference '" + references[0] + "' was used before");
  references_.push_back(references[0]);
  paths_in_progress_ += paths.size() - wildcards;
  wildcards_in_progress_ += wildcards;
  purged_.insert(purged_.end(), paths.begin(), paths.end());
  std::string id = "I" + std::to_string(references_.size()) + "EXAMPLE";
  return {201,
          {{"Location", "https://cloudfront.amazonaws.com/2020-05-31/distribution/" + distribution_id_ +
                            "/invalidation/" + id},
           {"Content-Type", "text/xml"}},
          "<?xml version=\"1.0\"?><Invalidation xmlns=\"http://cloudfront.amazonaws.com/doc/2020-05-31/\"><Id>" + id +
              "</Id><Status>InProgress</Status>" + body.substr(body.find("<InvalidationBatch")) + "</Invalidation>"};
}

FastlyMock::FastlyMock(std::string service_id, std::string token)
    : service_id_(std::move(service_id)), token_(std::move(token)) {
  server_.on("/service/" + service_id_ + "/purge", [this](const TestRequest& request) { return handle(request); });
}

size_t FastlyMock::soft_requests() const {
  std::lock_guard lock(mutex_);
  return soft_;
}

TestResponse FastlyMock::handle(const TestRequest& request) {
  if (request.method != "POST") return problem("the batch purge is a POST"), TestResponse::json("{}", 405);
  if (request.header("fastly-key") != token_)
    return problem("no Fastly-Key"), TestResponse::json(R"({"msg":"Provided credentials are missing or invalid"})", 401);
  if (TestResponse busy = take_throttle(R"({"msg":"Too many requests"})"); busy.status) return busy;
  // The keys: in a Surrogate-Key header (space-separated) or a JSON body.
  std::vector<std::string> keys;
  if (request.has_header("surrogate-key")) {
    std::stringstream words(request.header("surrogate-key"));
    for (std::string key; words >> key;) keys.push_back(key);
  } else {
    json body = json::parse(request.body, nullptr, false);
    if (!body.is_object() || !body.contains("surrogate_keys") || !body["surrogate_keys"].is_array())
      return problem("no Surrogate-Key header nor {\"surrogate_keys\":[...]}: " + request.body),
             TestResponse::json(R"({"msg":"Bad request"})", 400);
    for (const json& key : body["surrogate_keys"])
      if (key.is_string()) keys.push_back(key.get<std::string>());
  }
  if (keys.empty() || keys.size() > 256) {
    problem(std::to_string(keys.size()) + " keys in one request (1 to 256)");
    return TestResponse::json(R"({"msg":"Bad request"})", 400);
  }
  for (const std::string& key : keys)
    if (key.size() > 256) problem("key longer than 256 bytes: " + key);
  json answer = json::object();
  for (const std::string& key : keys) answer[key] = "108-1391560174-974124";
  accept(keys);
  std::lock_guard lock(mutex_);
  soft_ += request.header("fastly-soft-purge") == "1";
  return TestResponse::json(answer.dump());
}

CloudflareMock::CloudflareMock(std::string zone_id, std::string token, size_t items_per_request)
    : zone_id_(std::move(zone_id)), token_(std::move(token)), items_per_request_(items_per_request) {
  server_.on("/client/v4/zones/" + zone_id_ + "/purge_cache", [this](const TestRequest& request) { return handle(request); });
}

TestResponse CloudflareMock::handle(const TestRequest& request) {
  if (request.method != "POST") return problem("purge_cache is a POST"), cloudflare_answer(405, false);
  if (request.header("authorization") != "Bearer " + token_)
    return problem("no Bearer token"),
           cloudflare_answer(403, false, json::array({{{"code", 10000}, {"message", "Authentication error"}}}));
  if (TestResponse busy = take_throttle(R"({"success":false,"errors":[{"code":971,"message":"Please wait and consider throttling your request speed"}],"messages":[]})");
      busy.status)
    return busy;
  if (!request.header("content-type").starts_with("application/json")) problem("Content-Type is not application/json");
  json body = json::parse(request.body, nullptr, false);
  std::vector<std::string> kinds;
  if (body.is_object())
    for (const char* kind : {"files", "tags", "hosts", "prefixes"})
      if (body.contains(kind)) kinds.push_back(kind);
  if (kinds.size() != 1 || !body[kinds[0]].is_array()) {
    problem("not one of files, tags, hosts, prefixes: " + request.body);
    return cloudflare_answer(400, false, json::array({{{"code", 1012}, {"message", "Request must contain one of"}}}));
  }
  const json& items = body[kinds[0]];
  if (items.empty() || items.size() > items_per_request_) {
    problem(std::to_string(items.size()) + " " + kinds[0] + " in one request (limit " +
            std::to_string(items_per_request_) + ")");
    return cloudflare_answer(400, false, json::array({{{"code", 1018}, {"message", "Too many items"}}}));
  }
  std::vector<std::string> accepted;
  for (const json& item : items) accepted.push_back(item.is_string() ? item.get<std::string>() : item.dump());
  accept(accepted);
  return cloudflare_answer(200, true);
}

}  // namespace isrgen::testing
