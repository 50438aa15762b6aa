#include "publish/deploy_state.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include "state/sqlite_store.h"

namespace isrgen::publish {
namespace {

// Tags are stored joined by the ASCII unit separator, which no tag carries:
// splitting is much cheaper than parsing JSON for every object of a large site.
constexpr char kTagSeparator = '\x1f';

std::string join_tags(const std::vector<std::string>& tags) {
  std::string joined;
  for (const std::string& tag : tags) {
    if (!joined.empty()) joined += kTagSeparator;
    joined += tag;
  }
  return joined;
}

std::vector<std::string> split_tags(const std::string& joined) {
  std::vector<std::string> tags;
  for (size_t start = 0; start < joined.size();) {
    size_t end = joined.find(kTagSeparator, start);
    if (end == std::string::npos) end = joined.size();
    tags.push_back(joined.substr(start, end - start));
    start = end + 1;
  }
  return tags;
}

constexpr const char* kObjects =
    "CREATE TABLE objects(target TEXT NOT NULL, key TEXT NOT NULL, size INTEGER NOT NULL, etag TEXT NOT NULL, "
    "source_md5 TEXT NOT NULL, source_signature TEXT NOT NULL, rules TEXT NOT NULL, headers TEXT NOT NULL, "
    "tags TEXT NOT NULL, retired_at INTEGER NOT NULL DEFAULT 0, PRIMARY KEY(target, key)) WITHOUT ROWID";

// kind: 'path' or 'tag'.
constexpr const char* kPendingPurges =
    "CREATE TABLE pending_purges(target TEXT NOT NULL, kind TEXT NOT NULL, value TEXT NOT NULL, "
    "PRIMARY KEY(target, kind, value)) WITHOUT ROWID";

// The number of the last sync of each target (DeployState::begin_sync).
constexpr const char* kSyncs = "CREATE TABLE syncs(target TEXT PRIMARY KEY NOT NULL, last INTEGER NOT NULL)";

// Schema 2, before pending purges, and 3, before retired objects, are
// upgraded in place: their objects stay valid. An older one is replaced (everything here can be derived again, by
// a sync with --verify-remote); a newer one is refused, its objects kept.
const SqliteSchema kDeploySchema{
    .version = 4,
    .recorded_in = VersionRecord::kUserVersion,
    .create = std::string(kObjects) + ";\n" + kPendingPurges + ";\n" + kSyncs,
    .created_as = 4,
    .upgrades = {{2, kPendingPurges},
                 {3, std::string("ALTER TABLE objects ADD COLUMN retired_at INTEGER NOT NULL DEFAULT 0;\n") + kSyncs}},
    .without_upgrade = WithoutUpgrade::kRebuild,
};

// One small transaction per confirmed object (on prepared statements):
// without fsync on each the cost stays in microseconds, and WAL still never
// corrupts on a crash. A power loss can forget the last objects confirmed
// (never record one that was not): the next sync uploads and purges them
// again. Closing the database at the end of a sync checkpoints the WAL, with
// its fsyncs, so a finished sync is on disk.
const SqliteProfile kDeployProfile{
    .journal = JournalMode::kWal,
    .synchronous = Synchronous::kNormal,
    .foreign_keys = false,
    .busy_timeout_ms = 5000,
};

const StoreIdentity kDeployState{
    .what_it_holds = "deploy state",
    .way_out = "delete it, then sync with --verify-remote, so that objects gone from the output are deleted and "
               "nothing the bucket holds is uploaded again",
};

Error db_error(const std::filesystem::path& path, const std::exception& error) {
  return store_failure(path, error, kDeployState);
}

}  // namespace

// The statements of the per-object writes, prepared once per sync.
struct DeployState::Statements {
  explicit Statements(SQLite::Database& db)
      : insert(db, "INSERT OR REPLACE INTO objects VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
        remove(db, "DELETE FROM objects WHERE target = ? AND key = ?"),
        add_pending(db, "INSERT OR IGNORE INTO pending_purges VALUES (?, ?, ?)"),
        drop_pending(db, "DELETE FROM pending_purges WHERE target = ? AND kind = ? AND value = ?") {}
  SQLite::Statement insert, remove, add_pending, drop_pending;
};

namespace {

// Runs `statement` once for each path and tag of `purge` (kind 'path' or 'tag').
void for_each_entry(SQLite::Statement& statement, const std::string& target, const PurgeRequest& purge) {
  auto run = [&](const char* kind, const std::vector<std::string>& values) {
    for (const std::string& value : values) {
      statement.reset();
      statement.bind(1, target);
      statement.bind(2, kind);
      statement.bind(3, value);
      statement.exec();
    }
  };
  run("path", purge.paths);
  run("tag", purge.tags);
}

}  // namespace

DeployState::DeployState(std::unique_ptr<SQLite::Database> db)
    : db_(std::move(db)), statements_(std::make_unique<Statements>(*db_)) {}
DeployState::~DeployState() = default;

Result<std::unique_ptr<DeployState>> DeployState::open(const std::filesystem::path& db_path) {
  auto db = open_sqlite_store(db_path, kDeployState, kDeploySchema, kDeployProfile);
  if (!db) return db.error();
  try {
    return std::unique_ptr<DeployState>(new DeployState(std::move(db).value()));
  } catch (const std::exception& error) {  // preparing the statements
    return db_error(db_path, error);
  }
}

Result<std::map<std::string, DeployedObject>> DeployState::load(const std::string& target) const {
  std::map<std::string, DeployedObject> objects;
  try {
    SQLite::Statement query(*db_,
                            "SELECT key, size, etag, source_md5, source_signature, rules, headers, tags, retired_at FROM objects "
                            "WHERE target = ?");
    query.bind(1, target);
    while (query.executeStep()) {
      DeployedObject object;
      object.key = query.getColumn(0).getString();
      object.size = query.getColumn(1).getInt64();
      object.etag = query.getColumn(2).getString();
      object.source_md5 = query.getColumn(3).getString();
      object.source_signature = query.getColumn(4).getString();
      object.rules = query.getColumn(5).getString();
      object.headers = query.getColumn(6).getString();
      object.tags = split_tags(query.getColumn(7).getString());
      object.retired_at = query.getColumn(8).getInt64();
      objects.emplace(object.key, std::move(object));
    }
  } catch (const std::exception& error) {
    return db_error(db_->getFilename(), error);
  }
  return objects;
}

Result<int64_t> DeployState::next_sync(const std::string& target) const {
  try {
    SQLite::Statement query(*db_, "SELECT last FROM syncs WHERE target = ?");
    query.bind(1, target);
    return query.executeStep() ? query.getColumn(0).getInt64() + 1 : int64_t{1};
  } catch (const std::exception& error) {
    return db_error(db_->getFilename(), error);
  }
}

Result<int64_t> DeployState::begin_sync(const std::string& target) {
  try {
    SQLite::Transaction transaction(*db_);
    SQLite::Statement bump(*db_,
                           "INSERT INTO syncs VALUES (?, 1) ON CONFLICT(target) DO UPDATE SET last = last + 1 "
                           "RETURNING last");
    bump.bind(1, target);
    bump.executeStep();
    int64_t number = bump.getColumn(0).getInt64();
    bump.reset();
    transaction.commit();
    return number;
  } catch (const std::exception& error) {
    return db_error(db_->getFilename(), error);
  }
}

void DeployState::insert(const std::string& target, const DeployedObject& object) {
  SQLite::Statement& insert = statements_->insert;
  insert.reset();
  insert.bind(1, target);
  insert.bind(2, object.key);
  insert.bind(3, object.size);
  insert.bind(4, object.etag);
  insert.bind(5, object.source_md5);
  insert.bind(6, object.source_signature);
  insert.bind(7, object.rules);
  insert.bind(8, object.headers);
  insert.bind(9, join_tags(object.tags));
  insert.bind(10, object.retired_at);
  insert.exec();
}

Status DeployState::record(const std::string& target, const DeployedObject& object, const PurgeRequest* purge) {
  try {
    SQLite::Transaction transaction(*db_);
    insert(target, object);
    if (purge) for_each_entry(statements_->add_pending, target, *purge);
    transaction.commit();
  } catch (const std::exception& error) {
    return db_error(db_->getFilename(), error);
  }
  return Status::Ok();
}

Status DeployState::record_all(const std::string& target, const std::vector<DeployedObject>& objects) {
  if (objects.empty()) return Status::Ok();
  try {
    SQLite::Transaction transaction(*db_);
    for (const DeployedObject& object : objects) insert(target, object);
    transaction.commit();
  } catch (const std::exception& error) {
    return db_error(db_->getFilename(), error);
  }
  return Status::Ok();
}

Status DeployState::forget(const std::string& target, const std::string& key, const PurgeRequest* purge) {
  try {
    SQLite::Transaction transaction(*db_);
    SQLite::Statement& remove = statements_->remove;
    remove.reset();
    remove.bind(1, target);
    remove.bind(2, key);
    remove.exec();
    if (purge) for_each_entry(statements_->add_pending, target, *purge);
    transaction.commit();
  } catch (const std::exception& error) {
    return db_error(db_->getFilename(), error);
  }
  return Status::Ok();
}

Result<PurgeRequest> DeployState::pending_purge(const std::string& target) const {
  PurgeRequest pending;
  try {
    SQLite::Statement query(*db_, "SELECT kind, value FROM pending_purges WHERE target = ? ORDER BY kind, value");
    query.bind(1, target);
    while (query.executeStep())
      (query.getColumn(0).getString() == "path" ? pending.paths : pending.tags).push_back(query.getColumn(1).getString());
  } catch (const std::exception& error) {
    return db_error(db_->getFilename(), error);
  }
  return pending;
}

Status DeployState::purged(const std::string& target, const PurgeRequest& sent) {
  try {
    SQLite::Transaction transaction(*db_);
    for_each_entry(statements_->drop_pending, target, sent);
    transaction.commit();
  } catch (const std::exception& error) {
    return db_error(db_->getFilename(), error);
  }
  return Status::Ok();
}

Status DeployState::relocate(const SignatureMap& here) {
  try {
    SQLite::Transaction transaction(*db_);
    relocate_signature_column(*db_, "objects", "source_signature", here);
    transaction.commit();
  } catch (const std::exception& error) {
    return db_error(db_->getFilename(), error);
  }
  return Status::Ok();
}

}  // namespace isrgen::publish
