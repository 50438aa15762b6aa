#include "serve/dev_listen.h"

#include <catch2/catch.hpp>

using isrgen::serve::dev_listen_address;

TEST_CASE("dev listen: the loopback by default, and localhost names", "[dev_listen]") {
  CHECK(dev_listen_address("").value().address == "127.0.0.1:4000");
  CHECK(dev_listen_address("").value().loopback);
  for (const char* listen : {"localhost:4001", "acme.localhost:4001", "127.0.0.1:0", "127.1.2.3:4000", "[::1]:4000"}) {
    INFO(listen);
    auto address = dev_listen_address(listen);
    REQUIRE(address.ok());
    CHECK(address.value().address == listen);
    CHECK(address.value().loopback);
  }
}

TEST_CASE("dev listen: another address only when written as a number", "[dev_listen]") {
  for (const char* listen : {"0.0.0.0:4000", "192.168.1.5:4000", "[::]:4000"}) {
    INFO(listen);
    auto address = dev_listen_address(listen);
    REQUIRE(address.ok());
    CHECK_FALSE(address.value().loopback);
  }
  auto named = dev_listen_address("devbox.example:4000");
  REQUIRE_FALSE(named.ok());
  CHECK(named.error().message.find("give the address itself (0.0.0.0:4000") != std::string::npos);
}
