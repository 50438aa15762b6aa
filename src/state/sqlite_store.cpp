#include "state/sqlite_store.h"

#include <stdexcept>

#include <SQLiteCpp/SQLiteCpp.h>

#include "state/db_failure.h"

namespace isrgen {
namespace {

std::unique_ptr<SQLite::Database> connect(const std::filesystem::path& db_path, const SqliteProfile& profile) {
  // Never through a link: a site checked out from elsewhere may carry
  // .isrgen/state.db as a link to any file of the user's, which SQLite would
  // then rewrite.
  auto db = std::make_unique<SQLite::Database>(db_path.string(),
                                               SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOFOLLOW);
  db->setBusyTimeout(profile.busy_timeout_ms);
  return db;
}

// Applied once the file is known to be the store's: a switch to WAL rewrites
// the file's header.
void apply_profile(SQLite::Database& db, const SqliteProfile& profile) {
  db.exec(std::string("PRAGMA journal_mode=") + (profile.journal == JournalMode::kWal ? "WAL" : "DELETE"));
  db.exec(std::string("PRAGMA synchronous=") + (profile.synchronous == Synchronous::kFull ? "FULL" : "NORMAL"));
  db.exec(std::string("PRAGMA foreign_keys=") + (profile.foreign_keys ? "ON" : "OFF"));
  // SQLite's default page cache (2 MiB) is smaller than one build's
  // transaction on a large site: dirty pages would spill to the WAL and be
  // written again. The cache grows only as far as a connection uses it.
  db.exec("PRAGMA cache_size=-" + std::to_string(profile.cache_kib));
}

// The schema version the file records; 0 when it records none.
int recorded_version(SQLite::Database& db, VersionRecord record) {
  if (record == VersionRecord::kUserVersion) return db.execAndGet("PRAGMA user_version").getInt();
  if (!db.tableExists("meta")) return 0;
  SQLite::Statement query(db, "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'schema_version'");
  return query.executeStep() ? query.getColumn(0).getInt() : 0;
}

void record_version(SQLite::Database& db, VersionRecord record, int version) {
  if (record == VersionRecord::kUserVersion) {
    db.exec("PRAGMA user_version=" + std::to_string(version));
    return;
  }
  db.exec("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID");
  SQLite::Statement write(db, "INSERT OR REPLACE INTO meta(key, value) VALUES('schema_version', ?)");
  write.bind(1, std::to_string(version));
  write.exec();
}

// Whether the upgrades lead from version `from` to the current one.
bool upgrades_reach(const SqliteSchema& schema, int from) {
  if (from < 1) return false;
  for (int version = from; version < schema.version; ++version)
    if (!schema.upgrades.contains(version)) return false;
  return true;
}

bool holds_tables(SQLite::Database& db) { return db.execAndGet("SELECT count(*) FROM sqlite_master").getInt() != 0; }

// What opening does with a file of a recorded version.
enum class Plan { kUse, kCreate, kUpgrade, kRebuild, kRefuseNewer, kRefuseUnknown };

Plan plan_for(SQLite::Database& db, const SqliteSchema& schema, int version) {
  if (version == schema.version) return Plan::kUse;
  if (version > schema.version) return Plan::kRefuseNewer;
  if (version == 0 && !holds_tables(db)) return Plan::kCreate;
  if (upgrades_reach(schema, version)) return Plan::kUpgrade;
  return schema.without_upgrade == WithoutUpgrade::kRebuild ? Plan::kRebuild : Plan::kRefuseUnknown;
}

// Why a file of `version` is left as it is.
Error refusal(const std::filesystem::path& db_path, const StoreIdentity& identity, const SqliteSchema& schema,
              Plan plan, int version) {
  if (plan == Plan::kRefuseNewer)
    return make_environment_error(db_path.string(), "written by a newer isrgen (" + identity.what_it_holds +
                                                        " schema " + std::to_string(version) +
                                                        ", this isrgen knows up to " +
                                                        std::to_string(schema.version) + "): run the newer isrgen, or " +
                                                        identity.way_out);
  const std::string what_it_is = version == 0 ? "a SQLite database of something else"
                                              : "one of schema " + std::to_string(version) +
                                                    ", older than any this isrgen upgrades";
  return make_environment_error(db_path.string(),
                                "not a " + identity.what_it_holds + " but " + what_it_is + ": " + identity.way_out);
}

// Creates or upgrades the schema in one transaction, so that a failure
// leaves the file as it was. The plan is made again under the write lock:
// another connection may have got there first.
Status migrate(SQLite::Database& db, const std::filesystem::path& db_path, const StoreIdentity& identity,
               const SqliteSchema& schema) {
  SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
  int version = recorded_version(db, schema.recorded_in);
  const Plan plan = plan_for(db, schema, version);
  if (plan == Plan::kUse) return Status::Ok();
  if (plan != Plan::kCreate && plan != Plan::kUpgrade) return refusal(db_path, identity, schema, plan, version);
  if (plan == Plan::kCreate) {
    if (!upgrades_reach(schema, schema.created_as))
      throw std::logic_error("the schema of the " + identity.what_it_holds + " has no upgrade from version " +
                             std::to_string(schema.created_as) + " to " + std::to_string(schema.version));
    db.exec(schema.create);
    version = schema.created_as;
  }
  for (; version < schema.version; ++version) {
    try {
      db.exec(schema.upgrades.at(version));
    } catch (const std::exception& error) {
      Error failure = store_failure(db_path, error, identity);
      failure.message = "cannot upgrade the " + identity.what_it_holds + " from schema " + std::to_string(version) +
                        " to " + std::to_string(version + 1) + ", so it was left as it was: " + failure.message;
      return failure;
    }
  }
  record_version(db, schema.recorded_in, schema.version);
  transaction.commit();
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<SQLite::Database>> open_sqlite_store(const std::filesystem::path& db_path,
                                                            const StoreIdentity& identity,
                                                            const SqliteSchema& schema, const SqliteProfile& profile) {
  try {
    if (db_path.has_parent_path()) std::filesystem::create_directories(db_path.parent_path());
    // Said plainly here; OPEN_NOFOLLOW in connect() closes the race.
    if (std::filesystem::is_symlink(std::filesystem::symlink_status(db_path)))
      return make_error(db_path.string(), 0,
                        "the " + identity.what_it_holds +
                            " is a symbolic link, which isrgen never writes through: delete the link (isrgen makes "
                            "the file itself)");
    auto db = connect(db_path, profile);
    // Reading the version reads the file's header: a file that is not
    // SQLite fails here, before anything is written to it.
    const int version = recorded_version(*db, schema.recorded_in);
    const Plan plan = plan_for(*db, schema, version);
    if (plan == Plan::kRefuseNewer || plan == Plan::kRefuseUnknown)
      return refusal(db_path, identity, schema, plan, version);
    if (plan == Plan::kRebuild) {
      db.reset();
      for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(db_path.string() + suffix);
      db = connect(db_path, profile);
    }
    apply_profile(*db, profile);
    if (plan != Plan::kUse) {
      Status migrated = migrate(*db, db_path, identity, schema);
      if (!migrated) return migrated.error();
    }
    return db;
  } catch (const std::exception& error) {
    return store_failure(db_path, error, identity);
  }
}

Error store_failure(const std::filesystem::path& db_path, const std::exception& error, const StoreIdentity& identity) {
  return db_failure(db_path, error, identity.what_it_holds, identity.way_out);
}

}  // namespace isrgen
