#include "publish/s3_request.h"

#include "publish/digest.h"

namespace isrgen::publish {

Result<S3Settings> s3_settings_from_environment(const data::EnvLookup& lookup) {
  auto get = [&](const std::string& name) { return lookup(name).value_or(""); };
  S3Settings settings;
  settings.access_key_id = get("AWS_ACCESS_KEY_ID");
  settings.secret_access_key = get("AWS_SECRET_ACCESS_KEY");
  settings.session_token = get("AWS_SESSION_TOKEN");
  if (std::string region = get("AWS_REGION"); !region.empty()) settings.region = region;
  else if (std::string fallback = get("AWS_DEFAULT_REGION"); !fallback.empty()) settings.region = fallback;
  settings.endpoint = get("AWS_ENDPOINT_URL");
  while (!settings.endpoint.empty() && settings.endpoint.back() == '/') settings.endpoint.pop_back();
  if (settings.access_key_id.empty() || settings.secret_access_key.empty())
    return make_error("", 0,
                      "no S3 credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN "
                      "for temporary credentials)");
  return settings;
}

std::string aws_uri_encode(std::string_view text, bool keep_slash) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                      c == '.' || c == '_' || c == '~' || (keep_slash && c == '/');
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

net::Request make_s3_call(const S3Settings& settings, const S3Request& request) {
  std::string base = settings.endpoint.empty() ? "https://s3." + settings.region + ".amazonaws.com" : settings.endpoint;
  std::string path;
  if (settings.virtual_hosted || settings.endpoint.empty()) {
    size_t host_start = base.find("://");
    host_start = host_start == std::string::npos ? 0 : host_start + 3;
    base.insert(host_start, request.bucket + ".");
    path = "/" + aws_uri_encode(request.key, true);
  } else {
    path = "/" + request.bucket + (request.key.empty() ? "" : "/" + aws_uri_encode(request.key, true));
  }
  std::string query;
  for (const auto& [name, value] : request.query)
    query += (query.empty() ? "?" : "&") + aws_uri_encode(name, false) + "=" + aws_uri_encode(value, false);

  net::Request call;
  call.method = request.method;
  call.url = base + path + query;
  call.body = request.body;
  call.body_file = request.body_file;
  call.headers = request.headers;
  call.headers.emplace_back("x-amz-content-sha256",
                            request.payload_sha256.empty() ? sha256_hex(request.body) : request.payload_sha256);
  if (!settings.session_token.empty())
    call.credential_headers.emplace_back("x-amz-security-token", settings.session_token);
  call.aws_sigv4 = "aws:amz:" + settings.region + ":s3";
  call.aws_credentials = settings.access_key_id + ":" + settings.secret_access_key;
  call.connect_to = settings.connect_to;
  return call;
}

}  // namespace isrgen::publish
