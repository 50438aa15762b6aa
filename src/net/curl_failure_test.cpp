#include "net/curl_failure.h"

#include <memory>

#include <catch2/catch.hpp>

using namespace isrgen::net;

namespace {

// A handle that never ran: no host, no connection.
std::unique_ptr<CURL, void (*)(CURL*)> idle_handle() { return {curl_easy_init(), curl_easy_cleanup}; }

}  // namespace

TEST_CASE("curl failure: timeouts, broken connections, 5xx and 429 are worth another attempt") {
  for (CURLcode transient : {CURLE_OPERATION_TIMEDOUT, CURLE_COULDNT_CONNECT, CURLE_RECV_ERROR, CURLE_GOT_NOTHING})
    CHECK(is_transient(transient));
  for (CURLcode lasting : {CURLE_URL_MALFORMAT, CURLE_PEER_FAILED_VERIFICATION, CURLE_FILESIZE_EXCEEDED,
                           CURLE_TOO_MANY_REDIRECTS, CURLE_UNSUPPORTED_PROTOCOL})
    CHECK_FALSE(is_transient(lasting));
  CHECK(is_transient_status(500));
  CHECK(is_transient_status(503));
  CHECK(is_transient_status(429));
  CHECK_FALSE(is_transient_status(404));
  CHECK_FALSE(is_transient_status(304));
  CHECK_FALSE(is_transient_status(200));
}

TEST_CASE("curl failure: a limit's message names the setting that raises it, where there is one") {
  auto handle = idle_handle();
  REQUIRE(handle);
  TransferPolicy policy;
  policy.max_bytes = 1 << 20;
  CHECK(describe_failure(handle.get(), CURLE_FILESIZE_EXCEEDED, policy, false, "") == "response over 1 MiB");
  CHECK(describe_failure(handle.get(), CURLE_WRITE_ERROR, policy, true, "") == "response over 1 MiB");
  // Never connected, and the connect timeout is the shorter: that one fired.
  CHECK(describe_failure(handle.get(), CURLE_OPERATION_TIMEDOUT, policy, false, "") ==
        "could not connect to the server within 5 s");
  policy.settings = {"timeout", "connect_timeout", "max_bytes"};
  CHECK(describe_failure(handle.get(), CURLE_FILESIZE_EXCEEDED, policy, false, "") ==
        "response over 1 MiB (raise max_bytes)");
  CHECK(describe_failure(handle.get(), CURLE_OPERATION_TIMEDOUT, policy, false, "") ==
        "could not connect to the server within 5 s (raise connect_timeout)");
  policy.connect_timeout_ms = policy.timeout_ms;
  CHECK(describe_failure(handle.get(), CURLE_OPERATION_TIMEDOUT, policy, false, "") ==
        "timed out after 30 s (raise timeout)");
}

TEST_CASE("curl failure: other failures say what to check, with libcurl's detail where it helps") {
  auto handle = idle_handle();
  REQUIRE(handle);
  TransferPolicy policy;
  CHECK(describe_failure(handle.get(), CURLE_TOO_MANY_REDIRECTS, policy, false, "") ==
        "more than 5 redirects (check the url)");
  CHECK(describe_failure(handle.get(), CURLE_URL_MALFORMAT, policy, false, "") == "malformed url (check the url)");
  CHECK(describe_failure(handle.get(), CURLE_RECV_ERROR, policy, false, "Connection reset by peer") ==
        "connection to the server broke off: Connection reset by peer");
}
