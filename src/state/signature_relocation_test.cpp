#include "state/signature_relocation.h"

#include <catch2/catch.hpp>

#include <SQLiteCpp/SQLiteCpp.h>

using namespace isrgen;

TEST_CASE("relocated signature: known parts map, unknown parts empty, empty parts stay") {
  const SignatureMap here{{"9:100:7", "9:555:42"}, {"3:100:8", "3:555:43"}};
  CHECK(relocated_signature("9:100:7|3:100:8", here) == "9:555:42|3:555:43");
  CHECK(relocated_signature("9:100:7|3:999:8", here) == "9:555:42|");  // the metadata is not known: hashed again
  CHECK(relocated_signature("|3:100:8", here) == "|3:555:43");
  CHECK(relocated_signature("4:1:1", here) == "");
  CHECK(relocated_signature("", here) == "");
}

TEST_CASE("relocating a column rewrites each row by its recorded value, never chaining") {
  SQLite::Database db(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  db.exec("CREATE TABLE files(path TEXT PRIMARY KEY, signature TEXT NOT NULL) WITHOUT ROWID");
  db.exec("INSERT INTO files VALUES('a', '1:1:1'), ('b', '2:2:2'), ('c', 'unknown')");
  // a's new signature is b's old one: a second pass would map it again.
  relocate_signature_column(db, "files", "signature", {{"1:1:1", "2:2:2"}, {"2:2:2", "3:3:3"}});
  SQLite::Statement query(db, "SELECT path, signature FROM files ORDER BY path");
  std::vector<std::string> rows;
  while (query.executeStep()) rows.push_back(query.getColumn(0).getString() + "=" + query.getColumn(1).getString());
  CHECK(rows == std::vector<std::string>{"a=2:2:2", "b=3:3:3", "c="});
}
