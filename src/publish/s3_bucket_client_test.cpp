// The S3 client's listing (paging, XML) against a loopback server.
#include "publish/s3_bucket_client.h"

#include <catch2/catch.hpp>

#include "http_test_server.h"

using namespace isrgen::publish;
using isrgen::testing::HttpTestServer;
using isrgen::testing::TestRequest;
using isrgen::testing::TestResponse;

namespace {

std::string page_xml(const std::string& key, bool truncated, const std::string& next) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult><Name>b</Name>"
         "<IsTruncated>" + std::string(truncated ? "true" : "false") + "</IsTruncated>" +
         (next.empty() ? "" : "<NextContinuationToken>" + next + "</NextContinuationToken>") +
         "<Contents><Key>" + key + "</Key><Size>12</Size><ETag>&quot;0123abcd&quot;</ETag></Contents>"
         "</ListBucketResult>";
}

}  // namespace

TEST_CASE("S3 listing pages through continuation tokens and strips the prefix") {
  HttpTestServer server;
  server.on("/bucket", [](const TestRequest& request) {
    if (request.target.find("continuation-token=t%2B1") != std::string::npos)
      return TestResponse{200, {}, page_xml("site/b &amp; c.html", false, "")};
    return TestResponse{200, {}, page_xml("site/a.html", true, "t+1")};
  });
  S3Settings settings;
  settings.access_key_id = "id";
  settings.secret_access_key = "secret";
  settings.endpoint = server.url("");
  auto client = make_s3_bucket_client(settings, "bucket", "site", {});
  CHECK(client->describe() == "s3://bucket/site/");
  auto listed = client->list();
  REQUIRE(listed.ok());
  REQUIRE(listed.value().size() == 2);
  CHECK(listed.value()[0].key == "a.html");
  CHECK(listed.value()[0].size == 12);
  CHECK(listed.value()[0].etag == "0123abcd");
  CHECK(listed.value()[1].key == "b & c.html");
  auto requests = server.requests();
  REQUIRE(requests.size() == 2);
  CHECK(requests[0].target == "/bucket?list-type=2&prefix=site%2F");
  CHECK(requests[1].target == "/bucket?continuation-token=t%2B1&list-type=2&prefix=site%2F");
  CHECK(requests[0].header("authorization").starts_with("AWS4-HMAC-SHA256 Credential=id/"));
}

TEST_CASE("S3 listing refuses a continuation token given twice and a key outside its prefix") {
  HttpTestServer server;
  server.on("/bucket", [](const TestRequest&) { return TestResponse{200, {}, page_xml("site/a.html", true, "again")}; });
  server.on("/other", [](const TestRequest&) { return TestResponse{200, {}, page_xml("elsewhere/a.html", false, "")}; });
  S3Settings settings;
  settings.access_key_id = "id";
  settings.secret_access_key = "secret";
  settings.endpoint = server.url("");
  auto looping = make_s3_bucket_client(settings, "bucket", "site", {})->list();
  REQUIRE_FALSE(looping.ok());
  CHECK(looping.error().message ==
        "listing s3://bucket/site/ returned the continuation token 'again' a second time: the endpoint does not "
        "answer as S3 does");
  CHECK(server.requests().size() == 2);
  auto outside = make_s3_bucket_client(settings, "other", "site", {})->list();
  REQUIRE_FALSE(outside.ok());
  CHECK(outside.error().message ==
        "listing s3://other/site/ returned the key 'elsewhere/a.html', outside the prefix: the endpoint does not "
        "answer as S3 does");
}

TEST_CASE("S3 listing reports an error response as an error") {
  HttpTestServer server;
  server.on("/bucket", [](const TestRequest&) { return TestResponse{403, {}, "<Error><Code>AccessDenied</Code></Error>"}; });
  S3Settings settings;
  settings.access_key_id = "id";
  settings.secret_access_key = "secret";
  settings.endpoint = server.url("");
  auto listed = make_s3_bucket_client(settings, "bucket", "", {})->list();
  REQUIRE_FALSE(listed.ok());
  CHECK(listed.error().message.find("HTTP 403") != std::string::npos);
  CHECK(listed.error().message.find("AccessDenied") != std::string::npos);
}

TEST_CASE("S3 listing decodes character references and keeps malformed ones as written") {
  // Found by tests/fuzz (s3_listing): "&#x;" or "&#99999999999;" threw out of the parser.
  auto listed = parse_listing_page(
      "<ListBucketResult><Contents><Key>a&#38;b&#x2F;&#233;&#x1F600;&#x;&#99999999999;&#0;&#xD800;&#12a;</Key>"
      "<Size>1</Size><ETag>&quot;e&quot;</ETag></Contents></ListBucketResult>");
  REQUIRE(listed.ok());
  REQUIRE(listed.value().objects.size() == 1);
  CHECK(listed.value().objects[0].key == "a&b/\xc3\xa9\xf0\x9f\x98\x80&#x;&#99999999999;&#0;&#xD800;&#12a;");
  CHECK(listed.value().objects[0].etag == "e");
}

TEST_CASE("S3 listing refuses a <Size> that is no number instead of throwing") {
  for (const char* size : {"", "abc", "-1", "99999999999999999999999", "12x"}) {
    INFO(size);
    auto listed = parse_listing_page(std::string("<ListBucketResult><Contents><Key>a.html</Key><Size>") + size +
                                     "</Size><ETag>e</ETag></Contents></ListBucketResult>");
    REQUIRE_FALSE(listed.ok());
    CHECK_THAT(listed.error().message, Catch::Contains("object 'a.html' has no valid <Size>"));
  }
}
