// Opening one of isrgen's SQLite stores: the state index (state.db), the
// deploy state (deploy.db) and the job queue of `isrgen serve` (jobs.db).
// Every store is opened the same way: its folder and file made when missing,
// the pragmas of its profile applied, its schema created, upgraded, rebuilt
// or refused by the version the file records, and every failure told through
// db_failure with the store's own words. What differs between the stores is
// declared where each store declares its schema and profile.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "util/error.h"

namespace SQLite {
class Database;
}

namespace isrgen {

// What a store is, in the words of its errors.
struct StoreIdentity {
  std::string what_it_holds;  // "state database": begins every message
  // How to start over without the file ("move it aside: ..."): the advice for
  // a damaged file, and for one written by a newer isrgen.
  std::string way_out;
};

enum class JournalMode { kWal, kRollback };  // journal_mode=WAL or DELETE
enum class Synchronous { kNormal, kFull };   // synchronous=NORMAL or FULL

// How a store's connection runs, applied at every open.
struct SqliteProfile {
  JournalMode journal = JournalMode::kWal;
  Synchronous synchronous = Synchronous::kFull;
  bool foreign_keys = false;
  int busy_timeout_ms = 5000;  // how long a write waits for another connection's lock
  int cache_kib = 65536;       // the most page cache a connection keeps
};

// Where a store records its schema version.
enum class VersionRecord {
  kUserVersion,  // PRAGMA user_version
  kMetaTable,    // the row 'schema_version' of meta(key, value), a table made for it
};

// What becomes of a file of an older version that no upgrade reaches, or of
// one that holds tables but no version.
enum class WithoutUpgrade {
  kRebuild,  // everything in it can be derived again: the file is replaced by an empty store
  kRefuse,   // it may hold what nothing else does: an error, the file left as it is
};

struct SqliteSchema {
  int version = 1;  // the version this isrgen reads and writes
  VersionRecord recorded_in = VersionRecord::kUserVersion;
  std::string create;  // the SQL making the tables of a new file, of version `created_as`
  int created_as = 1;  // the upgrades from here to `version` run on a new file too
  // By version: the SQL bringing a file of that version to the next one.
  std::map<int, std::string> upgrades;
  WithoutUpgrade without_upgrade = WithoutUpgrade::kRebuild;
};

// Opens the store at `db_path`, making its folder and the file when missing,
// and applies `profile`. A file of `schema.version` opens without a write; a
// new or older one is created or upgraded in one transaction (a failed upgrade
// leaves it as it was), or rebuilt or refused as `schema.without_upgrade`
// says; a file of a newer version is refused. A refused file is left
// untouched, the error naming it and `identity.way_out`; a failure of SQLite
// or of the disk is told as store_failure tells it.
Result<std::unique_ptr<SQLite::Database>> open_sqlite_store(const std::filesystem::path& db_path,
                                                            const StoreIdentity& identity,
                                                            const SqliteSchema& schema, const SqliteProfile& profile);

// `error`, thrown while using the store at `db_path`, as an environment error
// naming the file: db_failure's classification, in `identity`'s words.
Error store_failure(const std::filesystem::path& db_path, const std::exception& error, const StoreIdentity& identity);

}  // namespace isrgen
