#include "state/site_lock.h"

#include <unistd.h>

#include <future>
#include <thread>

#include <catch2/catch.hpp>

#include "test_support.h"

using namespace isrgen;
using isrgen::testing::ScratchDir;

TEST_CASE("SiteLock: one holder at a time, named to the others", "[state][lock]") {
  ScratchDir site;
  auto first = SiteLock::acquire(site / ".isrgen", "isrgen serve", std::chrono::milliseconds(0));
  REQUIRE(first.ok());
  auto second = SiteLock::acquire(site / ".isrgen", "isrgen build", std::chrono::milliseconds(0));
  REQUIRE_FALSE(second.ok());
  CHECK(second.error().file == (site / ".isrgen/lock").string());
  CHECK_THAT(second.error().message,
             Catch::StartsWith("the site is in use by pid " + std::to_string(::getpid()) + " (isrgen serve, since ") &&
                 Catch::EndsWith("UTC): let it finish (or stop it), or pass --wait SECONDS to wait for it"));
  first.value().reset();
  CHECK(SiteLock::acquire(site / ".isrgen", "isrgen build", std::chrono::milliseconds(0)).ok());
}

TEST_CASE("SiteLock: never opens its lock through a link, so no file it leads to is changed", "[state][lock]") {
  ScratchDir site, elsewhere;
  testing::write_text(elsewhere / "profile", "export PATH=/usr/bin\n");
  std::filesystem::create_directories(site / ".isrgen");
  std::filesystem::create_symlink(elsewhere / "profile", site / ".isrgen/lock");
  auto lock = SiteLock::acquire(site / ".isrgen", "isrgen build", std::chrono::milliseconds(0));
  REQUIRE_FALSE(lock.ok());
  CHECK(lock.error().message ==
        "the site's lock is a symbolic link, which isrgen never writes through: delete it (isrgen makes the lock "
        "file itself)");
  CHECK(testing::read_text(elsewhere / "profile") == "export PATH=/usr/bin\n");
}

TEST_CASE("SiteLock: refuses a state folder that is a link, so nothing is written where it leads", "[state][lock]") {
  ScratchDir site, elsewhere;
  std::filesystem::create_directory_symlink(elsewhere.path(), site / ".isrgen");
  auto lock = SiteLock::acquire(site / ".isrgen", "isrgen build", std::chrono::milliseconds(0));
  REQUIRE_FALSE(lock.ok());
  CHECK(lock.error().file == (site / ".isrgen").string());
  CHECK(lock.error().message ==
        "the site's state folder is a symbolic link, which isrgen never writes through: delete the link (isrgen "
        "makes the folder itself)");
  CHECK(std::filesystem::is_empty(elsewhere.path()));
}

TEST_CASE("SiteLock: a waiting run takes the lock once the holder lets go", "[state][lock]") {
  ScratchDir site;
  auto holder = SiteLock::acquire(site / ".isrgen", "isrgen build", std::chrono::milliseconds(0));
  REQUIRE(holder.ok());
  std::promise<std::string> told;
  std::thread waiter_thread;
  Result<std::unique_ptr<SiteLock>> waited = make_error("", 0, "not yet");
  waiter_thread = std::thread([&] {
    waited = SiteLock::acquire(site / ".isrgen", "isrgen revalidate", std::chrono::minutes(1),
                               [&](const std::string& who) { told.set_value(who); });
  });
  // Released only once the waiter said it waits: the wait itself is tested.
  CHECK_THAT(told.get_future().get(), Catch::StartsWith("pid " + std::to_string(::getpid()) + " (isrgen build"));
  holder.value().reset();
  waiter_thread.join();
  CHECK(waited.ok());
}
