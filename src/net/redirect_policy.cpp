#include "net/redirect_policy.h"

#include "net/url_origin.h"

namespace isrgen::net {
namespace {

// Headers that hold a credential by their very name, wherever a caller put them.
constexpr const char* kCredentialHeaderNames[] = {"Authorization", "Proxy-Authorization", "Cookie", "X-Api-Key"};

bool is_credential_name(const std::string& name) {
  for (const char* known : kCredentialHeaderNames)
    if (equals_ignoring_ascii_case(name, known)) return true;
  return false;
}

std::string joined(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& name : names) text += (text.empty() ? "" : ", ") + name;
  return text;
}

// Names both origins only: a path or query may hold a token.
std::string refusal(const std::vector<std::string>& credentials, const std::string& from_url,
                    const std::string& to_url) {
  std::string to = url_origin(to_url);
  if (to.empty()) to = "a url with no origin";
  std::string reason = credentials.empty()
                           ? "the request follows no redirect to another origin"
                           : "the request carries credentials (" + joined(credentials) +
                                 "), which stay with its own origin";
  return "redirect from " + url_origin(from_url) + " to another origin, " + to + ", refused: " + reason +
         " (if the new address is trusted, use it as the url)";
}

}  // namespace

std::vector<std::string> credentials_carried(const Request& request) {
  std::vector<std::string> names;
  for (const auto& header : request.credential_headers) names.push_back(header.first);
  for (const auto& header : request.headers)
    if (is_credential_name(header.first)) names.push_back(header.first);
  if (url_has_userinfo(request.url)) names.emplace_back("a user or password in the url");
  if (!request.aws_sigv4.empty()) names.emplace_back("an AWS signature");
  return names;
}

RedirectStep judge_redirect(const Request& request, bool follow, int hops, const std::string& from_url,
                            const std::string& to_url) {
  std::string to_origin = url_origin(to_url);
  bool same_origin = !to_origin.empty() && to_origin == url_origin(from_url);
  std::vector<std::string> credentials = credentials_carried(request);
  if (!same_origin && (!follow || !credentials.empty()))
    return RedirectStep{RedirectStep::kRefuse, refusal(credentials, from_url, to_url)};
  if (!follow) return RedirectStep{RedirectStep::kAnswer, ""};
  if (hops >= kMaxRedirects) return RedirectStep{RedirectStep::kTooMany, ""};
  return RedirectStep{RedirectStep::kFollow, ""};
}

}  // namespace isrgen::net
