#include "net/redirect_policy.h"

#include <catch2/catch.hpp>

using namespace isrgen::net;

namespace {

Request request_to(std::string url) {
  Request request;
  request.url = std::move(url);
  return request;
}

}  // namespace

TEST_CASE("redirect policy: credentials are named, never their values") {
  Request request = request_to("https://reader:pw-1@api.example.com/jobs");
  request.headers = {{"Accept", "application/json"}, {"authorization", "Bearer t-1"}, {"Cookie", "s=1"}};
  request.credential_headers = {{"X-Tenant-Key", "k-1"}};
  request.aws_sigv4 = "aws:amz:us-east-1:s3";
  CHECK(credentials_carried(request) == std::vector<std::string>{"X-Tenant-Key", "authorization", "Cookie",
                                                                 "a user or password in the url",
                                                                 "an AWS signature"});
  Request plain = request_to("https://api.example.com/jobs");
  plain.headers = {{"Accept", "application/json"}, {"If-None-Match", "\"v1\""}};
  CHECK(credentials_carried(plain).empty());
  plain.headers.emplace_back("X-API-KEY", "k-2");
  plain.headers.emplace_back("Proxy-Authorization", "Basic x");
  CHECK(credentials_carried(plain) == std::vector<std::string>{"X-API-KEY", "Proxy-Authorization"});
}

TEST_CASE("redirect policy: a request with credentials follows only within its origin") {
  Request request = request_to("https://api.example.com/jobs?token=t-1");
  request.credential_headers = {{"X-Api-Key", "k-12345"}};
  const std::string from = "https://api.example.com/jobs?token=t-1";
  CHECK(judge_redirect(request, true, 0, from, "https://API.example.com:443/v2/jobs").kind == RedirectStep::kFollow);
  for (const char* elsewhere : {"https://evil.example/steal?token=t-1", "http://api.example.com/jobs",
                                "https://api.example.com:8443/jobs"}) {
    INFO(elsewhere);
    RedirectStep step = judge_redirect(request, true, 0, from, elsewhere);
    CHECK(step.kind == RedirectStep::kRefuse);
    CHECK(step.error.starts_with("redirect from https://api.example.com:443 to another origin, "));
    CHECK(step.error.find("refused: the request carries credentials (X-Api-Key), which stay with its own origin "
                          "(if the new address is trusted, use it as the url)") != std::string::npos);
    CHECK(step.error.find("k-12345") == std::string::npos);
    CHECK(step.error.find("t-1") == std::string::npos);  // a query may hold a token too
  }
  CHECK(judge_redirect(request, true, 0, from, "https://evil.example/").error ==
        "redirect from https://api.example.com:443 to another origin, https://evil.example:443, refused: the request "
        "carries credentials (X-Api-Key), which stay with its own origin (if the new address is trusted, use it as "
        "the url)");
  CHECK(judge_redirect(request, true, 0, from, "file:///etc/passwd").error.find("a url with no origin") !=
        std::string::npos);
}

TEST_CASE("redirect policy: a request without credentials follows anywhere, at most 5 hops") {
  Request request = request_to("http://api.example.com/jobs");
  request.headers = {{"Accept", "application/json"}};
  const std::string from = "http://api.example.com/jobs";
  CHECK(judge_redirect(request, true, 0, from, "https://cdn.example.net/jobs.json").kind == RedirectStep::kFollow);
  CHECK(judge_redirect(request, true, kMaxRedirects - 1, from, "/jobs").kind == RedirectStep::kFollow);
  CHECK(judge_redirect(request, true, kMaxRedirects, from, "http://api.example.com/jobs").kind ==
        RedirectStep::kTooMany);
}

TEST_CASE("redirect policy: a request that follows no redirect answers with it, unless it leads elsewhere") {
  Request request = request_to("https://bucket.example/key");
  request.aws_sigv4 = "aws:amz:us-east-1:s3";
  const std::string from = request.url;
  CHECK(judge_redirect(request, false, 0, from, "https://bucket.example/other").kind == RedirectStep::kAnswer);
  RedirectStep away = judge_redirect(request, false, 0, from, "https://other.example/key");
  CHECK(away.kind == RedirectStep::kRefuse);
  CHECK(away.error.find("carries credentials (an AWS signature)") != std::string::npos);
  Request unsigned_request = request_to("https://bucket.example/key");
  CHECK(judge_redirect(unsigned_request, false, 0, from, "https://other.example/key").error ==
        "redirect from https://bucket.example:443 to another origin, https://other.example:443, refused: the "
        "request follows no redirect to another origin (if the new address is trusted, use it as the url)");
}
