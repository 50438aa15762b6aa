// open_sqlite_store on real files in a scratch folder: a store of notes,
// declared as the state index, the deploy state and the job queue declare
// theirs.
#include "state/sqlite_store.h"

#include <sys/mount.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <catch2/catch.hpp>

#include "state/db_failure.h"
#include "test_support.h"

using namespace isrgen;
using isrgen::testing::ScratchDir;
namespace fs = std::filesystem;

namespace {

const StoreIdentity kNotes{
    .what_it_holds = "notes store",
    .way_out = "move it aside: an empty one is made",
};

// Version 1 held the text; version 2 added the author.
SqliteSchema notes_schema(VersionRecord recorded_in, WithoutUpgrade without_upgrade) {
  return SqliteSchema{
      .version = 2,
      .recorded_in = recorded_in,
      .create = "CREATE TABLE notes(text TEXT NOT NULL)",
      .created_as = 1,
      .upgrades = {{1, "ALTER TABLE notes ADD COLUMN author TEXT NOT NULL DEFAULT 'unknown'"}},
      .without_upgrade = without_upgrade,
  };
}

const SqliteSchema kNotesSchema = notes_schema(VersionRecord::kUserVersion, WithoutUpgrade::kRefuse);

// Version 2 made at once: no upgrade reaches it from version 1.
SqliteSchema without_upgrades(WithoutUpgrade without_upgrade) {
  return SqliteSchema{
      .version = 2,
      .recorded_in = VersionRecord::kUserVersion,
      .create = "CREATE TABLE notes(text TEXT NOT NULL, author TEXT NOT NULL DEFAULT 'unknown')",
      .created_as = 2,
      .upgrades = {},
      .without_upgrade = without_upgrade,
  };
}
const SqliteProfile kNotesProfile{};

// What a file holds, read past the store.
int user_version(const fs::path& path) {
  SQLite::Database db(path.string(), SQLite::OPEN_READONLY);
  return db.execAndGet("PRAGMA user_version").getInt();
}

std::vector<std::string> texts(const fs::path& path, const std::string& table = "notes") {
  SQLite::Database db(path.string(), SQLite::OPEN_READONLY);
  SQLite::Statement query(db, "SELECT text FROM " + table + " ORDER BY rowid");
  std::vector<std::string> found;
  while (query.executeStep()) found.push_back(query.getColumn(0).getString());
  return found;
}

// A file as an earlier or later isrgen, or another program, left it.
void write_file(const fs::path& path, const std::string& sql) {
  SQLite::Database db(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  db.exec(sql);
}

std::string bytes_of(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// `folder` bound onto itself read-only until the guard dies; mounted() is
// false (and the reason WARNed) where this machine refuses mounts.
class ReadOnlyFolder {
 public:
  explicit ReadOnlyFolder(const fs::path& folder) : folder_(folder) {
    if (::mount(folder.c_str(), folder.c_str(), nullptr, MS_BIND, nullptr) != 0) {
      WARN("skipped: cannot bind-mount " << folder << ": " << std::strerror(errno));
      return;
    }
    bound_ = true;
    if (::mount(nullptr, folder.c_str(), nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY, nullptr) != 0) {
      WARN("skipped: cannot make " << folder << " read-only: " << std::strerror(errno));
      return;
    }
    read_only_ = true;
  }
  ~ReadOnlyFolder() {
    if (bound_) ::umount2(folder_.c_str(), MNT_DETACH);
  }
  ReadOnlyFolder(const ReadOnlyFolder&) = delete;
  ReadOnlyFolder& operator=(const ReadOnlyFolder&) = delete;

  bool mounted() const { return read_only_; }

 private:
  fs::path folder_;
  bool bound_ = false;
  bool read_only_ = false;
};

}  // namespace

TEST_CASE("sqlite store: a new file is made with its folder, its schema and every upgrade", "[state]") {
  ScratchDir dir;
  const fs::path path = dir / "nested/state/notes.db";
  {
    auto db = open_sqlite_store(path, kNotes, kNotesSchema, kNotesProfile);
    REQUIRE(db.ok());
    db.value()->exec("INSERT INTO notes(text, author) VALUES ('first', 'ann')");
  }
  CHECK(fs::is_directory(dir / "nested/state"));
  CHECK(user_version(path) == 2);
  CHECK(texts(path) == std::vector<std::string>{"first"});
}

TEST_CASE("sqlite store: never opens a file through a link, so no file it leads to is changed", "[state]") {
  ScratchDir dir, elsewhere;
  testing::write_text(elsewhere / "precious", "not a database\n");
  fs::create_directories(dir / "state");
  fs::create_symlink(elsewhere / "precious", dir / "state/notes.db");
  fs::create_symlink(elsewhere / "absent.db", dir / "state/dangling.db");
  for (const char* name : {"notes.db", "dangling.db"}) {
    auto db = open_sqlite_store(dir / "state" / name, kNotes, kNotesSchema, kNotesProfile);
    REQUIRE_FALSE(db.ok());
    CHECK(db.error().message ==
          "the notes store is a symbolic link, which isrgen never writes through: delete the link (isrgen makes the "
          "file itself)");
  }
  CHECK(testing::read_text(elsewhere / "precious") == "not a database\n");
  CHECK_FALSE(fs::exists(elsewhere / "absent.db"));
}

TEST_CASE("sqlite store: reopening keeps the data, and a current file opens without a write", "[state]") {
  ScratchDir dir;
  const fs::path path = dir / "notes.db";
  {
    auto db = open_sqlite_store(path, kNotes, kNotesSchema, kNotesProfile);
    REQUIRE(db.ok());
    db.value()->exec("INSERT INTO notes(text) VALUES ('kept')");
  }
  // Another connection holds the write lock: an open that wrote would wait,
  // and with no busy timeout fail at once.
  SQLite::Database writer(path.string(), SQLite::OPEN_READWRITE);
  writer.exec("BEGIN IMMEDIATE");
  SqliteProfile impatient = kNotesProfile;
  impatient.busy_timeout_ms = 0;
  auto reopened = open_sqlite_store(path, kNotes, kNotesSchema, impatient);
  REQUIRE(reopened.ok());
  CHECK(reopened.value()->execAndGet("SELECT text FROM notes").getString() == "kept");
  writer.exec("ROLLBACK");
}

TEST_CASE("sqlite store: the pragmas of the profile are applied at every open", "[state]") {
  ScratchDir dir;
  const fs::path path = dir / "notes.db";
  auto pragma = [](SQLite::Database& db, const std::string& name) {
    return db.execAndGet("PRAGMA " + name).getString();
  };
  const SqliteProfile durable{
      .journal = JournalMode::kWal, .synchronous = Synchronous::kFull, .foreign_keys = false, .busy_timeout_ms = 5000};
  const SqliteProfile relaxed{.journal = JournalMode::kRollback,
                              .synchronous = Synchronous::kNormal,
                              .foreign_keys = true,
                              .busy_timeout_ms = 1234};
  {
    auto db = open_sqlite_store(path, kNotes, kNotesSchema, durable).value();
    CHECK(pragma(*db, "journal_mode") == "wal");
    CHECK(pragma(*db, "synchronous") == "2");  // FULL
    CHECK(pragma(*db, "foreign_keys") == "0");
    CHECK(pragma(*db, "busy_timeout") == "5000");
  }
  {
    auto db = open_sqlite_store(path, kNotes, kNotesSchema, relaxed).value();
    CHECK(pragma(*db, "journal_mode") == "delete");
    CHECK(pragma(*db, "synchronous") == "1");  // NORMAL
    CHECK(pragma(*db, "foreign_keys") == "1");
    CHECK(pragma(*db, "busy_timeout") == "1234");
  }
}

TEST_CASE("sqlite store: a file of an older version is upgraded in place, its rows kept", "[state]") {
  ScratchDir dir;
  const fs::path path = dir / "notes.db";
  write_file(path, "CREATE TABLE notes(text TEXT NOT NULL); INSERT INTO notes VALUES ('old'); PRAGMA user_version=1");
  auto db = open_sqlite_store(path, kNotes, kNotesSchema, kNotesProfile);
  REQUIRE(db.ok());
  CHECK(db.value()->execAndGet("SELECT author FROM notes WHERE text = 'old'").getString() == "unknown");
  CHECK(user_version(path) == 2);
}

TEST_CASE("sqlite store: an upgrade that fails leaves the file as it was", "[state]") {
  ScratchDir dir;
  const fs::path path = dir / "notes.db";
  write_file(path, "CREATE TABLE notes(text TEXT NOT NULL); INSERT INTO notes VALUES ('old'); PRAGMA user_version=1");
  SqliteSchema broken = kNotesSchema;
  broken.version = 3;
  broken.upgrades[2] = "ALTER TABLE no_such_table ADD COLUMN x TEXT";
  auto db = open_sqlite_store(path, kNotes, broken, kNotesProfile);
  REQUIRE_FALSE(db.ok());
  CHECK(db.error().file == path.string());
  CHECK_THAT(db.error().message, Catch::StartsWith("cannot upgrade the notes store from schema 2 to 3, so it was left "
                                                   "as it was: notes store: ") &&
                                     Catch::Contains("no_such_table"));
  CHECK(user_version(path) == 1);
  SQLite::Database check(path.string(), SQLite::OPEN_READONLY);
  CHECK_THROWS(check.execAndGet("SELECT author FROM notes"));  // the first step was rolled back too
}

TEST_CASE("sqlite store: a file of a newer version is refused untouched, naming it and the way out", "[state]") {
  ScratchDir dir;
  const fs::path path = dir / "notes.db";
  write_file(path, "CREATE TABLE notes(text TEXT NOT NULL); INSERT INTO notes VALUES ('newer'); PRAGMA user_version=3");
  // Even a store whose contents can be derived again keeps a newer file:
  // going back to an older isrgen must not lose what only it holds.
  const WithoutUpgrade policy = GENERATE(WithoutUpgrade::kRebuild, WithoutUpgrade::kRefuse);
  auto db = open_sqlite_store(path, kNotes, notes_schema(VersionRecord::kUserVersion, policy), kNotesProfile);
  REQUIRE_FALSE(db.ok());
  CHECK(db.error().file == path.string());
  CHECK(db.error().kind == ErrorKind::kEnvironment);
  CHECK(db.error().message ==
        "written by a newer isrgen (notes store schema 3, this isrgen knows up to 2): run the newer isrgen, or move "
        "it aside: an empty one is made");
  CHECK(user_version(path) == 3);
  CHECK(texts(path) == std::vector<std::string>{"newer"});
}

TEST_CASE("sqlite store: a file no upgrade reaches is rebuilt or refused as the schema says", "[state]") {
  ScratchDir dir;
  const fs::path path = dir / "notes.db";
  SECTION("an older version") {
    write_file(path, "CREATE TABLE ancient(text TEXT); INSERT INTO ancient VALUES ('a'); PRAGMA user_version=1");
  }
  SECTION("tables without a version") {
    write_file(path, "CREATE TABLE ancient(text TEXT); INSERT INTO ancient VALUES ('a')");
  }
  const std::string before = bytes_of(path);

  auto refused = open_sqlite_store(path, kNotes, without_upgrades(WithoutUpgrade::kRefuse), kNotesProfile);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().file == path.string());
  CHECK_THAT(refused.error().message,
             Catch::StartsWith("not a notes store but ") && Catch::EndsWith(": move it aside: an empty one is made"));
  CHECK(bytes_of(path) == before);

  auto rebuilt = open_sqlite_store(path, kNotes, without_upgrades(WithoutUpgrade::kRebuild), kNotesProfile);
  REQUIRE(rebuilt.ok());
  CHECK_FALSE(rebuilt.value()->tableExists("ancient"));
  CHECK(rebuilt.value()->execAndGet("SELECT count(*) FROM notes").getInt() == 0);
  CHECK(rebuilt.value()->execAndGet("PRAGMA user_version").getInt() == 2);
}

TEST_CASE("sqlite store: a version kept in a meta table is read, upgraded and written there", "[state]") {
  ScratchDir dir;
  const fs::path path = dir / "notes.db";
  const SqliteSchema schema = notes_schema(VersionRecord::kMetaTable, WithoutUpgrade::kRebuild);
  write_file(path,
             "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID; "
             "INSERT INTO meta VALUES ('schema_version', '1'); "
             "CREATE TABLE notes(text TEXT NOT NULL); INSERT INTO notes VALUES ('old')");
  {
    auto db = open_sqlite_store(path, kNotes, schema, kNotesProfile);
    REQUIRE(db.ok());
    CHECK(db.value()->execAndGet("SELECT value FROM meta WHERE key = 'schema_version'").getString() == "2");
    CHECK(db.value()->execAndGet("SELECT author FROM notes").getString() == "unknown");
    CHECK(db.value()->execAndGet("PRAGMA user_version").getInt() == 0);
  }
  write_file(path, "UPDATE meta SET value = '7' WHERE key = 'schema_version'");
  auto newer = open_sqlite_store(path, kNotes, schema, kNotesProfile);
  REQUIRE_FALSE(newer.ok());
  CHECK_THAT(newer.error().message, Catch::Contains("notes store schema 7"));

  const fs::path fresh = dir / "fresh.db";
  auto made = open_sqlite_store(fresh, kNotes, schema, kNotesProfile);
  REQUIRE(made.ok());
  CHECK(made.value()->execAndGet("SELECT value FROM meta WHERE key = 'schema_version'").getString() == "2");
}

TEST_CASE("sqlite store: a damaged file is told to be moved aside, and left in place", "[state]") {
  ScratchDir dir;
  const fs::path path = dir / "notes.db";
  SECTION("not SQLite at all") { isrgen::testing::write_text(path, std::string(4096, 'x')); }
  SECTION("SQLite with its schema scrambled") {
    { REQUIRE(open_sqlite_store(path, kNotes, kNotesSchema, kNotesProfile).ok()); }
    std::string bytes = bytes_of(path);
    REQUIRE(bytes.size() > 1000);
    bytes.replace(100, 900, std::string(900, '\xAB'));  // past the 100-byte header: the schema's page
    isrgen::testing::write_text(path, bytes);
  }
  const std::string before = bytes_of(path);
  auto db = open_sqlite_store(path, kNotes, kNotesSchema, kNotesProfile);
  REQUIRE_FALSE(db.ok());
  CHECK(db.error().file == path.string());
  CHECK(db.error().kind == ErrorKind::kEnvironment);
  CHECK_THAT(db.error().message, Catch::StartsWith("notes store: ") &&
                                     Catch::EndsWith("(the database is damaged: move it aside: an empty one is made)"));
  CHECK(bytes_of(path) == before);
}

TEST_CASE("sqlite store: a read-only folder is told apart from damage, and the file kept", "[state]") {
  ScratchDir dir;
  const fs::path folder = dir / "state";
  const fs::path path = folder / "notes.db";
  {
    auto db = open_sqlite_store(path, kNotes, kNotesSchema, kNotesProfile);
    REQUIRE(db.ok());
    db.value()->exec("INSERT INTO notes(text) VALUES ('kept')");
  }
  const std::string before = bytes_of(path);
  ReadOnlyFolder read_only(folder);
  if (!read_only.mounted()) return;
  for (const fs::path& opened : {path, folder / "new.db"}) {
    auto db = open_sqlite_store(opened, kNotes, kNotesSchema, kNotesProfile);
    REQUIRE_FALSE(db.ok());
    CHECK(db.error().file == opened.string());
    CHECK_THAT(db.error().message, Catch::StartsWith("notes store: ") &&
                                       Catch::Contains("(" + folder.string() + " is read-only: make it writable") &&
                                       !Catch::Contains("damaged"));
  }
  CHECK(bytes_of(path) == before);
  CHECK_FALSE(fs::exists(folder / "new.db"));
}

TEST_CASE("sqlite store: a failure after opening is told in the store's words", "[state]") {
  ScratchDir dir;
  const fs::path path = dir / "notes.db";
  const Error error = store_failure(path, SQLite::Exception("database or disk is full", SQLITE_FULL), kNotes);
  CHECK(error.file == path.string());
  CHECK(error.kind == ErrorKind::kEnvironment);
  CHECK(error.message == db_failure(path, SQLite::Exception("database or disk is full", SQLITE_FULL),
                                    "notes store", "move it aside: an empty one is made")
                             .message);
  CHECK_THAT(error.message, Catch::StartsWith("notes store: database or disk is full (no space left"));
}
