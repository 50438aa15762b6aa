#include "util/signal_stop.h"

#include <signal.h>

#include <catch2/catch.hpp>

using namespace isrgen;

namespace {

volatile sig_atomic_t terms_seen = 0;
void count_term(int) { terms_seen = terms_seen + 1; }

}  // namespace

TEST_CASE("SIGTERM and SIGINT raise the stop while installed, and the previous handlers come back") {
  struct sigaction counting {}, original {};
  counting.sa_handler = count_term;
  sigemptyset(&counting.sa_mask);
  REQUIRE(sigaction(SIGTERM, &counting, &original) == 0);
  terms_seen = 0;
  {
    auto stop = StopSignal::create();
    REQUIRE(stop.ok());
    {
      SignalStop installed(stop.value());
      CHECK_FALSE(stop.value().raised());
      REQUIRE(::raise(SIGTERM) == 0);  // delivered to this thread before raise() returns
      CHECK(stop.value().raised());
      REQUIRE(::raise(SIGINT) == 0);   // a second signal while stopping is harmless
      CHECK(stop.value().raised());
      CHECK(terms_seen == 0);
    }
    REQUIRE(::raise(SIGTERM) == 0);
    CHECK(terms_seen == 1);
  }
  sigaction(SIGTERM, &original, nullptr);
}

TEST_CASE("SIGINT raises the stop") {
  auto stop = StopSignal::create();
  REQUIRE(stop.ok());
  SignalStop installed(stop.value());
  REQUIRE(::raise(SIGINT) == 0);
  CHECK(stop.value().raised());
}
