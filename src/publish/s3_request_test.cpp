// The signature libcurl computes for our S3 requests, checked against the
// worked examples in AWS's documentation of Signature V4 for S3 (fixed date,
// example keys): the request goes to a loopback capture server under the
// example's host name, and the Authorization header must be AWS's, byte for byte.
#include <catch2/catch.hpp>

#include "publish/s3_request.h"
#include "http_test_server.h"

using namespace isrgen;
using namespace isrgen::publish;
using isrgen::testing::HttpTestServer;
using isrgen::testing::TestRequest;
using isrgen::testing::TestResponse;

namespace {

S3Settings example_settings(const HttpTestServer& server) {
  S3Settings settings;
  settings.access_key_id = "AKIAIOSFODNN7EXAMPLE";
  settings.secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  settings.region = "us-east-1";
  settings.endpoint = "http://s3.amazonaws.com";
  settings.virtual_hosted = true;
  settings.connect_to = {"examplebucket.s3.amazonaws.com:80:127.0.0.1:" + std::to_string(server.port())};
  return settings;
}

// Sends the request under the example's host name to a loopback server and
// returns what arrived.
TestRequest send_as_example(const S3Request& request, const std::string& path) {
  HttpTestServer server;
  server.on(path, [](const TestRequest&) { return TestResponse{}; });
  net::Response outcome = run_http_call(make_s3_call(example_settings(server), request), {});
  REQUIRE(outcome.ok());
  auto requests = server.requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].header("host") == "examplebucket.s3.amazonaws.com");
  return requests[0];
}

constexpr const char* kExampleDate = "20130524T000000Z";

}  // namespace

TEST_CASE("GET Object is signed as in AWS's example") {
  S3Request request;
  request.bucket = "examplebucket";
  request.key = "test.txt";
  request.headers = {{"Range", "bytes=0-9"}, {"x-amz-date", kExampleDate}};
  CHECK(send_as_example(request, "/test.txt").header("authorization") ==
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
        "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
        "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

TEST_CASE("PUT Object with a key that needs encoding is signed as in AWS's example") {
  S3Request request;
  request.method = "PUT";
  request.bucket = "examplebucket";
  request.key = "test$file.text";
  request.body = "Welcome to Amazon S3.";
  request.headers = {{"Date", "Fri, 24 May 2013 00:00:00 GMT"},
                     {"x-amz-storage-class", "REDUCED_REDUNDANCY"},
                     {"x-amz-date", kExampleDate}};
  auto sent = send_as_example(request, "/test%24file.text");
  CHECK(sent.target == "/test%24file.text");
  CHECK(sent.body == "Welcome to Amazon S3.");
  CHECK(sent.header("authorization") ==
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
        "SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class, "
        "Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");
}

TEST_CASE("a bucket listing's query is sorted and signed as in AWS's example") {
  S3Request request;
  request.bucket = "examplebucket";
  request.query = {{"prefix", "J"}, {"max-keys", "2"}};
  request.headers = {{"x-amz-date", kExampleDate}};
  auto sent = send_as_example(request, "/");
  CHECK(sent.target == "/?max-keys=2&prefix=J");
  CHECK(sent.header("authorization") ==
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
        "SignedHeaders=host;x-amz-content-sha256;x-amz-date, "
        "Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
}

TEST_CASE("a custom endpoint is addressed path-style with encoded keys") {
  S3Settings settings;
  settings.access_key_id = "id";
  settings.secret_access_key = "secret";
  settings.region = "eu-west-1";
  settings.endpoint = "http://127.0.0.1:9000";
  S3Request request;
  request.method = "PUT";
  request.bucket = "site";
  request.key = "acme/a b+c/index.html";
  request.query = {{"list-type", "2"}, {"continuation-token", "x/y="}};
  net::Request call = make_s3_call(settings, request);
  CHECK(call.url == "http://127.0.0.1:9000/site/acme/a%20b%2Bc/index.html?continuation-token=x%2Fy%3D&list-type=2");
  CHECK(call.aws_sigv4 == "aws:amz:eu-west-1:s3");
  CHECK(call.aws_credentials == "id:secret");

  settings.endpoint.clear();
  S3Request plain;
  plain.bucket = "site";
  plain.key = "k";
  CHECK(make_s3_call(settings, plain).url == "https://site.s3.eu-west-1.amazonaws.com/k");
}

TEST_CASE("settings come from the standard AWS variables") {
  std::map<std::string, std::string> env = {{"AWS_ACCESS_KEY_ID", "id"},
                                            {"AWS_SECRET_ACCESS_KEY", "secret"},
                                            {"AWS_SESSION_TOKEN", "token"},
                                            {"AWS_REGION", "eu-central-1"},
                                            {"AWS_ENDPOINT_URL", "http://localhost:4568/"}};
  isrgen::data::EnvLookup lookup = [&](const std::string& name) -> std::optional<std::string> {
    auto it = env.find(name);
    return it == env.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
  auto settings = s3_settings_from_environment(lookup);
  REQUIRE(settings.ok());
  CHECK(settings.value().region == "eu-central-1");
  CHECK(settings.value().endpoint == "http://localhost:4568");
  S3Request request;
  request.bucket = "b";
  net::Request call = make_s3_call(settings.value(), request);
  CHECK(std::count(call.credential_headers.begin(), call.credential_headers.end(),
                   std::pair<std::string, std::string>("x-amz-security-token", "token")) == 1);

  env.erase("AWS_SECRET_ACCESS_KEY");
  auto missing = s3_settings_from_environment(lookup);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message.find("AWS_SECRET_ACCESS_KEY") != std::string::npos);
}
