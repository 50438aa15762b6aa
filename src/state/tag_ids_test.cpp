#include "state/tag_ids.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <catch2/catch.hpp>

#include "test_support.h"

using namespace isrgen;
using isrgen::testing::ScratchDir;

namespace {

SQLite::Database tags_database(const ScratchDir& dir) {
  SQLite::Database db((dir / "tags.db").string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  db.exec("CREATE TABLE tags(id INTEGER PRIMARY KEY, tag TEXT NOT NULL UNIQUE)");
  return db;
}

int64_t stored_id(SQLite::Database& db, const std::string& tag) {
  SQLite::Statement query(db, "SELECT id FROM tags WHERE tag=?");
  query.bind(1, tag);
  REQUIRE(query.executeStep());
  return query.getColumn(0).getInt64();
}

int rows(SQLite::Database& db) { return db.execAndGet("SELECT count(*) FROM tags").getInt(); }

}  // namespace

TEST_CASE("TagIds gives the ids already in the table without writing", "[state]") {
  ScratchDir dir;
  SQLite::Database db = tags_database(dir);
  db.exec("INSERT INTO tags(id, tag) VALUES(7, 'models:m-1'), (40, 'page:acme/x')");
  TagIds ids(db);
  CHECK(ids.known() == 0);
  CHECK(ids.id_of("page:acme/x") == 40);
  CHECK(ids.known() == 2);  // the whole table, read once
  CHECK(ids.id_of("models:m-1") == 7);
  CHECK(db.getTotalChanges() == 2);  // the two rows inserted above, nothing since
  CHECK(rows(db) == 2);
}

TEST_CASE("TagIds adds a new tag once and then answers it from memory", "[state]") {
  ScratchDir dir;
  SQLite::Database db = tags_database(dir);
  db.exec("INSERT INTO tags(tag) VALUES('models:m-1')");
  TagIds ids(db);
  const int64_t added = ids.id_of("lang:de");
  CHECK(added == stored_id(db, "lang:de"));
  CHECK(added != stored_id(db, "models:m-1"));
  const int changes = db.getTotalChanges();
  CHECK(ids.id_of("lang:de") == added);
  CHECK(db.getTotalChanges() == changes);
  const int64_t jobs = ids.id_of("jobs:42");
  CHECK(jobs == stored_id(db, "jobs:42"));
  CHECK(rows(db) == 3);
  CHECK(ids.known() == 3);
}

TEST_CASE("TagIds keeps tags that differ only in case or by a trailing byte apart", "[state]") {
  ScratchDir dir;
  SQLite::Database db = tags_database(dir);
  TagIds ids(db);
  const int64_t lower = ids.id_of("tag:a");
  CHECK(ids.id_of("tag:A") != lower);
  CHECK(ids.id_of("tag:a ") != lower);
  CHECK(ids.id_of("tag:a") == lower);
  CHECK(rows(db) == 3);
}

TEST_CASE("TagIds reports a table it cannot read as an exception", "[state]") {
  ScratchDir dir;
  SQLite::Database db((dir / "empty.db").string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  TagIds ids(db);
  CHECK_THROWS_AS(ids.id_of("models:m-1"), SQLite::Exception);
}
