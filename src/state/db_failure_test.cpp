#include "state/db_failure.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <catch2/catch.hpp>

#include "state/dep_index.h"
#include "test_support.h"

using namespace isrgen;
using isrgen::testing::ScratchDir;

TEST_CASE("db_failure tells read-only, full and locked from damaged", "[state]") {
  ScratchDir dir;
  const std::filesystem::path db = dir / "state.db";
  const std::string damaged_advice = "move it aside";
  auto message_for = [&](int code) {
    return db_failure(db, SQLite::Exception("boom", code), "state database", damaged_advice).message;
  };
  CHECK_THAT(message_for(SQLITE_READONLY), Catch::Contains("is read-only") && Catch::Contains("keep it") &&
                                               !Catch::Contains(damaged_advice));
  CHECK_THAT(message_for(SQLITE_FULL), Catch::Contains("no space left") && Catch::Contains("keep it") &&
                                           !Catch::Contains(damaged_advice));
  CHECK_THAT(message_for(SQLITE_BUSY), Catch::Contains("another process") && !Catch::Contains(damaged_advice));
  CHECK_THAT(message_for(SQLITE_CORRUPT), Catch::Contains("damaged: " + damaged_advice));
  CHECK_THAT(message_for(SQLITE_NOTADB), Catch::Contains("damaged: " + damaged_advice));
  // A generic I/O error on a writable folder with room: kept, not deleted.
  CHECK_THAT(message_for(SQLITE_IOERR), Catch::Contains("is kept as it is") && !Catch::Contains(damaged_advice));
  CHECK(classify_db_failure(db, std::runtime_error("x")) == DbFailureKind::kOther);
}

TEST_CASE("a state index that is not SQLite is reported damaged and left in place", "[state]") {
  ScratchDir dir;
  isrgen::testing::write_text(dir / ".isrgen/state.db", std::string(4096, 'x'));
  auto opened = DepIndex::open(dir / ".isrgen/state.db");
  REQUIRE_FALSE(opened.ok());
  CHECK_THAT(opened.error().message, Catch::Contains("state database: ") &&
                                         Catch::Contains("the database is damaged: move it aside"));
  CHECK(isrgen::testing::read_text(dir / ".isrgen/state.db") == std::string(4096, 'x'));
}
