#include "state/dep_index.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <nlohmann/json.hpp>
#include <algorithm>
#include <iterator>
#include <optional>
#include <unordered_map>

#include "site/dependency_tag.h"
#include "state/page_row_json.h"
#include "state/sqlite_store.h"
#include "state/tag_ids.h"

namespace isrgen {
namespace {

// Tags and file paths are interned (stored once, referred to by id). The
// reverse index page_tags answers "which pages carry tag T"; each page's own
// tags and inputs are kept on its row, so replacing a page touches only the
// page_tags entries that actually changed.
constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS pages(
  id INTEGER PRIMARY KEY,
  page TEXT NOT NULL, lang TEXT NOT NULL, tenant TEXT NOT NULL,
  output TEXT NOT NULL, url TEXT NOT NULL, priority TEXT NOT NULL,
  output_hash TEXT NOT NULL,
  generated_at INTEGER NOT NULL, reasons TEXT NOT NULL,
  tags TEXT NOT NULL,    -- JSON array of tag strings, sorted
  inputs TEXT NOT NULL,  -- JSON object: input path -> content hash
  output_signature TEXT NOT NULL,
  UNIQUE(page, lang));
CREATE INDEX IF NOT EXISTS pages_by_output ON pages(output);
CREATE INDEX IF NOT EXISTS pages_by_url ON pages(tenant, url);
CREATE TABLE IF NOT EXISTS inputs(
  path TEXT PRIMARY KEY, signature TEXT NOT NULL, hash TEXT NOT NULL, snapshot BLOB) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS tags(id INTEGER PRIMARY KEY, tag TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS page_tags(
  tag_id INTEGER NOT NULL, page_id INTEGER NOT NULL, PRIMARY KEY(tag_id, page_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS page_errors(
  page TEXT NOT NULL, lang TEXT NOT NULL, error TEXT NOT NULL, PRIMARY KEY(page, lang)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS static_files(
  output TEXT PRIMARY KEY, hash TEXT NOT NULL, signature TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS source_snapshots(
  source TEXT PRIMARY KEY, origin_key TEXT NOT NULL, records BLOB NOT NULL, content_hash TEXT NOT NULL,
  fetched_at INTEGER NOT NULL, etag TEXT NOT NULL, last_modified TEXT NOT NULL,
  from_fallback INTEGER NOT NULL, withheld INTEGER NOT NULL,
  failed_at INTEGER NOT NULL, last_error TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS deferred_pages(
  page TEXT NOT NULL, lang TEXT NOT NULL, tenant TEXT NOT NULL, url TEXT NOT NULL, output TEXT NOT NULL,
  inputs_hash TEXT NOT NULL, PRIMARY KEY(page, lang)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS deferred_by_url ON deferred_pages(tenant, url);
CREATE TABLE IF NOT EXISTS asset_outputs(
  output TEXT PRIMARY KEY, source TEXT NOT NULL, source_hash TEXT NOT NULL, cache_file TEXT NOT NULL,
  signature TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS page_asset_outputs(
  page_id INTEGER NOT NULL, output TEXT NOT NULL, PRIMARY KEY(page_id, output)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS image_sizes(
  hash TEXT PRIMARY KEY, width INTEGER NOT NULL, height INTEGER NOT NULL, format TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS builds(
  id INTEGER PRIMARY KEY, started_at INTEGER NOT NULL, finished_at INTEGER NOT NULL, kind TEXT NOT NULL,
  pages INTEGER NOT NULL, rendered INTEGER NOT NULL, written INTEGER NOT NULL, failed INTEGER NOT NULL);
)sql";

// Versions 4 and 5 lack tables added since, which kSchema creates (IF NOT
// EXISTS) without touching the others: their contents stay valid. Pages
// recorded before version 7 were rendered without their asset references
// rewritten: their output signatures are cleared, so the next build takes
// their files for edited and renders each once. An older
// version is replaced, as everything in it can be derived again (the next
// build renders every page once); a newer one is refused, so that going back
// to an older isrgen does not throw away the snapshots of remote sources.
const std::string kRenderPagesAgain = "UPDATE pages SET output_signature = '';";
const SqliteSchema kStateSchema{
    .version = 7,
    .recorded_in = VersionRecord::kMetaTable,
    .create = kSchema,
    .created_as = 7,
    .upgrades = {{4, kSchema}, {5, kSchema}, {6, kSchema + kRenderPagesAgain}},
    .without_upgrade = WithoutUpgrade::kRebuild,
};

// A build commits once: an fsync of the WAL then costs a few milliseconds,
// and a build that reported success keeps its record (and the remote
// snapshots it fetched) through a power loss.
const SqliteProfile kStateProfile{
    .journal = JournalMode::kWal,
    .synchronous = Synchronous::kFull,
    .foreign_keys = false,
    .busy_timeout_ms = 5000,
};

const StoreIdentity kStateDatabase{
    .what_it_holds = "state database",
    .way_out = "move it aside (or delete it, with its -wal and -shm files): the next build renders every page once "
               "and fetches every remote source again",
};

Error db_error(const std::string& path, const std::exception& error) {
  return store_failure(path, error, kStateDatabase);
}

// The rows of a query selecting (key, a, b) as a map key -> Row{a, b}.
template <class Row>
Result<std::map<std::string, Row>> load_keyed(SQLite::Database& db, const std::string& path, const char* sql) {
  std::map<std::string, Row> rows;
  try {
    SQLite::Statement query(db, sql);
    while (query.executeStep())
      rows.emplace(query.getColumn(0).getString(), Row{query.getColumn(1).getString(), query.getColumn(2).getString()});
  } catch (const std::exception& error) {
    return db_error(path, error);
  }
  return rows;
}

class SqliteBuildTransaction final : public DepIndex::BuildTransaction {
 public:
  SqliteBuildTransaction(SQLite::Database& db, std::string path)
      : db_(db),
        path_(std::move(path)),
        transaction_(db),
        upsert_page_(db,
                     "INSERT INTO pages(page, lang, tenant, output, url, priority, output_hash, "
                     "generated_at, reasons, tags, inputs, output_signature) "
                     "VALUES(?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(page, lang) "
                     "DO UPDATE SET tenant=excluded.tenant, output=excluded.output, url=excluded.url, "
                     "priority=excluded.priority, output_hash=excluded.output_hash, "
                     "generated_at=excluded.generated_at, "
                     "reasons=excluded.reasons, tags=excluded.tags, inputs=excluded.inputs, "
                     "output_signature=excluded.output_signature RETURNING id"),
        find_page_(db, "SELECT id, tags FROM pages WHERE page=? AND lang=?"),
        delete_page_(db, "DELETE FROM pages WHERE id=?"),
        insert_tags_(db, "INSERT OR IGNORE INTO page_tags(tag_id, page_id) SELECT value, ? FROM json_each(?)"),
        delete_tag_(db, "DELETE FROM page_tags WHERE tag_id=? AND page_id=?"),
        insert_error_(db, "INSERT OR REPLACE INTO page_errors(page, lang, error) VALUES(?,?,?)"),
        put_static_(db, "INSERT OR REPLACE INTO static_files(output, hash, signature) VALUES(?,?,?)"),
        remove_static_(db, "DELETE FROM static_files WHERE output=?"),
        put_input_(db, "INSERT OR REPLACE INTO inputs(path, signature, hash, snapshot) VALUES(?,?,?,?)"),
        remove_input_(db, "DELETE FROM inputs WHERE path=?"),
        put_snapshot_(db,
                      "INSERT OR REPLACE INTO source_snapshots(source, origin_key, records, content_hash, fetched_at, "
                      "etag, last_modified, from_fallback, withheld, failed_at, last_error) VALUES(?,?,?,?,?,?,?,?,?,?,?)"),
        update_snapshot_status_(db,
                                "UPDATE source_snapshots SET origin_key=?, fetched_at=?, etag=?, last_modified=?, "
                                "from_fallback=?, withheld=?, failed_at=?, last_error=? WHERE source=?"),
        remove_snapshot_(db, "DELETE FROM source_snapshots WHERE source=?"),
        put_deferred_(db,
                      "INSERT OR REPLACE INTO deferred_pages(page, lang, tenant, url, output, inputs_hash) "
                      "VALUES(?,?,?,?,?,?)"),
        remove_deferred_(db, "DELETE FROM deferred_pages WHERE page=? AND lang=?"),
        clear_page_assets_(db, "DELETE FROM page_asset_outputs WHERE page_id=?"),
        insert_page_asset_(db, "INSERT OR IGNORE INTO page_asset_outputs(page_id, output) VALUES(?,?)"),
        put_asset_output_(db,
                          "INSERT OR REPLACE INTO asset_outputs(output, source, source_hash, cache_file, signature) "
                          "VALUES(?,?,?,?,?)"),
        remove_asset_output_(db, "DELETE FROM asset_outputs WHERE output=?"),
        put_image_size_(db, "INSERT OR REPLACE INTO image_sizes(hash, width, height, format) VALUES(?,?,?,?)"),
        tag_ids_(db) {
    db_.exec("DELETE FROM page_errors");
  }

  void put_page(const PageRecord& record) override {
    guarded([&] {
      const StoredPage before = find(record.key);
      std::vector<std::string> tags = record.tags;
      std::sort(tags.begin(), tags.end());
      tags.erase(std::unique(tags.begin(), tags.end()), tags.end());
      const std::string tags_json = json_string_array(tags);
      upsert_page_.reset();
      upsert_page_.bind(1, record.key.page);
      upsert_page_.bind(2, record.key.lang);
      upsert_page_.bind(3, record.tenant);
      upsert_page_.bind(4, record.output);
      upsert_page_.bind(5, record.url);
      upsert_page_.bind(6, record.priority);
      upsert_page_.bind(7, record.output_hash);
      upsert_page_.bind(8, static_cast<int64_t>(record.generated_at_ms));
      upsert_page_.bind(9, json_string_array(record.reasons));
      upsert_page_.bind(10, tags_json);
      upsert_page_.bind(11, json_input_hashes(record.inputs));
      upsert_page_.bind(12, record.output_signature);
      upsert_page_.executeStep();
      int64_t id = upsert_page_.getColumn(0).getInt64();
      upsert_page_.reset();
      // Touch only the reverse-index entries that changed: none when the
      // page's tags are as recorded, the usual case of a page rendered again.
      if (before.id == 0) {
        add_page_tags(id, tags);
      } else if (before.tags_json != tags_json) {
        const auto stored = nlohmann::json::parse(before.tags_json).get<std::vector<std::string>>();  // sorted
        std::vector<std::string> removed, added;
        std::set_difference(stored.begin(), stored.end(), tags.begin(), tags.end(), std::back_inserter(removed));
        std::set_difference(tags.begin(), tags.end(), stored.begin(), stored.end(), std::back_inserter(added));
        for (const std::string& tag : removed) change_tag(delete_tag_, tag, id);
        add_page_tags(id, added);
      }
      // A page new to the index has no asset rows: remove_page clears a page's
      // rows before its id can be given again.
      if (before.id != 0) {
        clear_page_assets_.reset();
        clear_page_assets_.bind(1, id);
        clear_page_assets_.exec();
      }
      for (const std::string& output : record.asset_outputs) {
        insert_page_asset_.reset();
        insert_page_asset_.bind(1, id);
        insert_page_asset_.bind(2, output);
        insert_page_asset_.exec();
      }
    });
  }

  void put_asset_output(const std::string& output, const StoredAssetOutput& file) override {
    guarded([&] {
      put_asset_output_.reset();
      put_asset_output_.bind(1, output);
      put_asset_output_.bind(2, file.source);
      put_asset_output_.bind(3, file.source_hash);
      put_asset_output_.bind(4, file.cache_file);
      put_asset_output_.bind(5, file.signature);
      put_asset_output_.exec();
    });
  }

  void remove_asset_output(const std::string& output) override {
    guarded([&] {
      remove_asset_output_.reset();
      remove_asset_output_.bind(1, output);
      remove_asset_output_.exec();
    });
  }

  void put_image_size(const std::string& hash, const StoredImageSize& size) override {
    guarded([&] {
      put_image_size_.reset();
      put_image_size_.bind(1, hash);
      put_image_size_.bind(2, size.width);
      put_image_size_.bind(3, size.height);
      put_image_size_.bind(4, size.format);
      put_image_size_.exec();
    });
  }

  void remove_page(const PageKey& key) override {
    guarded([&] {
      const StoredPage before = find(key);
      if (before.id == 0) return;
      for (const std::string& tag : nlohmann::json::parse(before.tags_json).get<std::vector<std::string>>())
        change_tag(delete_tag_, tag, before.id);
      clear_page_assets_.reset();
      clear_page_assets_.bind(1, before.id);
      clear_page_assets_.exec();
      delete_page_.reset();
      delete_page_.bind(1, before.id);
      delete_page_.exec();
    });
  }

  void set_page_error(const PageKey& key, const std::string& error) override {
    guarded([&] {
      insert_error_.reset();
      insert_error_.bind(1, key.page);
      insert_error_.bind(2, key.lang);
      insert_error_.bind(3, error);
      insert_error_.exec();
    });
  }

  void put_static_file(const std::string& output, const StoredStaticFile& file) override {
    guarded([&] {
      put_static_.reset();
      put_static_.bind(1, output);
      put_static_.bind(2, file.hash);
      put_static_.bind(3, file.signature);
      put_static_.exec();
    });
  }

  void put_input(const std::string& path, const StoredInput& input,
                 const std::optional<std::string>& snapshot) override {
    guarded([&] {
      put_input_.reset();
      put_input_.bind(1, path);
      put_input_.bind(2, input.signature);
      put_input_.bind(3, input.hash);
      if (snapshot) put_input_.bind(4, snapshot->data(), static_cast<int>(snapshot->size()));
      else put_input_.bind(4);
      put_input_.exec();
    });
  }

  void remove_input(const std::string& path) override {
    guarded([&] {
      remove_input_.reset();
      remove_input_.bind(1, path);
      remove_input_.exec();
    });
  }

  void put_source_snapshot(const SourceSnapshot& snapshot) override {
    guarded([&] {
      put_snapshot_.reset();
      put_snapshot_.bind(1, snapshot.source);
      put_snapshot_.bind(2, snapshot.origin_key);
      put_snapshot_.bind(3, snapshot.records.data(), static_cast<int>(snapshot.records.size()));
      put_snapshot_.bind(4, snapshot.content_hash);
      put_snapshot_.bind(5, static_cast<int64_t>(snapshot.fetched_at_ms));
      put_snapshot_.bind(6, snapshot.etag);
      put_snapshot_.bind(7, snapshot.last_modified);
      put_snapshot_.bind(8, snapshot.from_fallback ? 1 : 0);
      put_snapshot_.bind(9, snapshot.withheld ? 1 : 0);
      put_snapshot_.bind(10, static_cast<int64_t>(snapshot.failed_at_ms));
      put_snapshot_.bind(11, snapshot.last_error);
      put_snapshot_.exec();
    });
  }

  void update_source_status(const SourceSnapshot& snapshot) override {
    guarded([&] {
      update_snapshot_status_.reset();
      update_snapshot_status_.bind(1, snapshot.origin_key);
      update_snapshot_status_.bind(2, static_cast<int64_t>(snapshot.fetched_at_ms));
      update_snapshot_status_.bind(3, snapshot.etag);
      update_snapshot_status_.bind(4, snapshot.last_modified);
      update_snapshot_status_.bind(5, snapshot.from_fallback ? 1 : 0);
      update_snapshot_status_.bind(6, snapshot.withheld ? 1 : 0);
      update_snapshot_status_.bind(7, static_cast<int64_t>(snapshot.failed_at_ms));
      update_snapshot_status_.bind(8, snapshot.last_error);
      update_snapshot_status_.bind(9, snapshot.source);
      update_snapshot_status_.exec();
    });
  }

  void remove_source_snapshot(const std::string& source) override {
    guarded([&] {
      remove_snapshot_.reset();
      remove_snapshot_.bind(1, source);
      remove_snapshot_.exec();
    });
  }

  void put_deferred_page(const DeferredPage& page) override {
    guarded([&] {
      put_deferred_.reset();
      put_deferred_.bind(1, page.key.page);
      put_deferred_.bind(2, page.key.lang);
      put_deferred_.bind(3, page.tenant);
      put_deferred_.bind(4, page.url);
      put_deferred_.bind(5, page.output);
      put_deferred_.bind(6, page.inputs_hash);
      put_deferred_.exec();
    });
  }

  void remove_deferred_page(const PageKey& key) override {
    guarded([&] {
      remove_deferred_.reset();
      remove_deferred_.bind(1, key.page);
      remove_deferred_.bind(2, key.lang);
      remove_deferred_.exec();
    });
  }

  void set_shard(const std::string& shard) override {
    guarded([&] {
      SQLite::Statement statement(db_, shard.empty() ? "DELETE FROM meta WHERE key='shard'"
                                                     : "INSERT OR REPLACE INTO meta(key, value) VALUES('shard', ?)");
      if (!shard.empty()) statement.bind(1, shard);
      statement.exec();
    });
  }

  void remove_static_file(const std::string& output) override {
    guarded([&] {
      remove_static_.reset();
      remove_static_.bind(1, output);
      remove_static_.exec();
    });
  }

  Status status() const override {
    if (failure_) return *failure_;
    return Status::Ok();
  }

  Status commit(const BuildSummary& summary) override {
    if (failure_) return *failure_;
    try {
      SQLite::Statement log(db_,
                            "INSERT INTO builds(started_at, finished_at, kind, pages, rendered, written, failed) "
                            "VALUES(?,?,?,?,?,?,?)");
      log.bind(1, static_cast<int64_t>(summary.started_at_ms));
      log.bind(2, static_cast<int64_t>(summary.finished_at_ms));
      log.bind(3, summary.kind);
      log.bind(4, summary.pages);
      log.bind(5, summary.rendered);
      log.bind(6, summary.written);
      log.bind(7, summary.failed);
      log.exec();
      transaction_.commit();
    } catch (const std::exception& error) {
      return db_error(path_, error);
    }
    return Status::Ok();
  }

 private:
  // Statements throw; the transaction turns the first failure into the
  // commit's Status so no exception leaves the module.
  template <class Work>
  void guarded(Work work) {
    if (failure_) return;
    try {
      work();
    } catch (const std::exception& error) {
      failure_ = db_error(path_, error);
    }
  }

  struct StoredPage {
    int64_t id = 0;  // 0: no such page yet
    std::string tags_json;  // its tags as recorded, a sorted JSON array
  };

  StoredPage find(const PageKey& key) {
    StoredPage stored;
    find_page_.reset();
    find_page_.bind(1, key.page);
    find_page_.bind(2, key.lang);
    if (find_page_.executeStep()) {
      stored.id = find_page_.getColumn(0).getInt64();
      stored.tags_json = find_page_.getColumn(1).getString();
    }
    find_page_.reset();
    return stored;
  }

  // Adds `tags` to the reverse index for the page `page_id`, in one statement
  // (a page carries some 24 tags: one statement each cost a third of the
  // recording of a full build).
  void add_page_tags(int64_t page_id, const std::vector<std::string>& tags) {
    if (tags.empty()) return;
    std::string ids = "[";
    for (const std::string& tag : tags) {
      if (ids.size() > 1) ids += ',';
      ids += std::to_string(tag_ids_.id_of(tag));
    }
    ids += ']';
    insert_tags_.reset();
    insert_tags_.bind(1, page_id);
    insert_tags_.bind(2, ids);
    insert_tags_.exec();
  }

  void change_tag(SQLite::Statement& statement, const std::string& tag, int64_t page_id) {
    statement.reset();
    statement.bind(1, tag_ids_.id_of(tag));
    statement.bind(2, page_id);
    statement.exec();
  }

  SQLite::Database& db_;
  std::string path_;
  std::optional<Error> failure_;
  SQLite::Transaction transaction_;
  SQLite::Statement upsert_page_, find_page_, delete_page_, insert_tags_, delete_tag_, insert_error_,
      put_static_, remove_static_, put_input_, remove_input_, put_snapshot_, update_snapshot_status_, remove_snapshot_,
      put_deferred_, remove_deferred_, clear_page_assets_, insert_page_asset_, put_asset_output_,
      remove_asset_output_, put_image_size_;
  TagIds tag_ids_;
};

}  // namespace

DepIndex::DepIndex(std::unique_ptr<SQLite::Database> db, std::string path) : db_(std::move(db)), path_(std::move(path)) {}
DepIndex::~DepIndex() = default;

Result<std::unique_ptr<DepIndex>> DepIndex::open(const std::filesystem::path& db_path) {
  auto db = open_sqlite_store(db_path, kStateDatabase, kStateSchema, kStateProfile);
  if (!db) return db.error();
  return std::unique_ptr<DepIndex>(new DepIndex(std::move(db).value(), db_path.string()));
}

namespace {

// The columns every page read starts with, and how they fill a PageRecord.
constexpr const char* kPageColumns =
    "page, lang, tenant, output, url, priority, output_hash, generated_at, output_signature";
constexpr int kPageColumnCount = 9;

PageRecord read_page_columns(SQLite::Statement& query) {
  PageRecord record;
  record.key = {query.getColumn(0).getString(), query.getColumn(1).getString()};
  record.tenant = query.getColumn(2).getString();
  record.output = query.getColumn(3).getString();
  record.url = query.getColumn(4).getString();
  record.priority = query.getColumn(5).getString();
  record.output_hash = query.getColumn(6).getString();
  record.generated_at_ms = query.getColumn(7).getInt64();
  record.output_signature = query.getColumn(8).getString();
  return record;
}

}  // namespace

Result<std::map<PageKey, PageRecord>> DepIndex::load_pages() const {
  std::map<PageKey, PageRecord> pages;
  try {
    SQLite::Statement query(*db_, std::string("SELECT ") + kPageColumns + " FROM pages");
    while (query.executeStep()) {
      PageRecord record = read_page_columns(query);
      pages.emplace(record.key, std::move(record));
    }
  } catch (const std::exception& error) {
    return db_error(path_, error);
  }
  return pages;
}

Result<std::map<std::string, StoredStaticFile>> DepIndex::load_static_files() const {
  return load_keyed<StoredStaticFile>(*db_, path_, "SELECT output, hash, signature FROM static_files");
}

Result<std::map<std::string, StoredAssetOutput>> DepIndex::load_asset_outputs() const {
  std::map<std::string, StoredAssetOutput> rows;
  try {
    SQLite::Statement query(*db_, "SELECT output, source, source_hash, cache_file, signature FROM asset_outputs");
    while (query.executeStep())
      rows.emplace(query.getColumn(0).getString(),
                   StoredAssetOutput{query.getColumn(1).getString(), query.getColumn(2).getString(),
                                     query.getColumn(3).getString(), query.getColumn(4).getString()});
  } catch (const std::exception& error) {
    return db_error(path_, error);
  }
  return rows;
}

Result<std::map<PageKey, std::vector<std::string>>> DepIndex::load_page_asset_outputs() const {
  std::map<PageKey, std::vector<std::string>> pages;
  try {
    SQLite::Statement query(*db_,
                            "SELECT p.page, p.lang, a.output FROM page_asset_outputs a JOIN pages p ON p.id = a.page_id");
    while (query.executeStep())
      pages[PageKey{query.getColumn(0).getString(), query.getColumn(1).getString()}].push_back(
          query.getColumn(2).getString());
  } catch (const std::exception& error) {
    return db_error(path_, error);
  }
  return pages;
}

Result<std::map<std::string, StoredImageSize>> DepIndex::load_image_sizes() const {
  std::map<std::string, StoredImageSize> sizes;
  try {
    SQLite::Statement query(*db_, "SELECT hash, width, height, format FROM image_sizes");
    while (query.executeStep())
      sizes.emplace(query.getColumn(0).getString(),
                    StoredImageSize{query.getColumn(1).getInt(), query.getColumn(2).getInt(), query.getColumn(3).getString()});
  } catch (const std::exception& error) {
    return db_error(path_, error);
  }
  return sizes;
}

Result<std::map<std::string, StoredInput>> DepIndex::load_inputs() const {
  return load_keyed<StoredInput>(*db_, path_, "SELECT path, signature, hash FROM inputs");
}

Result<std::optional<std::string>> DepIndex::load_snapshot(const std::string& path) const {
  try {
    SQLite::Statement query(*db_, "SELECT snapshot FROM inputs WHERE path=? AND snapshot IS NOT NULL");
    query.bind(1, path);
    if (!query.executeStep()) return std::optional<std::string>();
    SQLite::Column column = query.getColumn(0);
    return std::optional<std::string>(std::string(static_cast<const char*>(column.getBlob()),
                                                  static_cast<size_t>(column.getBytes())));
  } catch (const std::exception& error) {
    return db_error(path_, error);
  }
}

Result<std::map<std::string, SourceSnapshot>> DepIndex::load_source_snapshots() const {
  std::map<std::string, SourceSnapshot> snapshots;
  try {
    SQLite::Statement query(*db_,
                            "SELECT source, origin_key, records, content_hash, fetched_at, etag, last_modified, "
                            "from_fallback, withheld, failed_at, last_error FROM source_snapshots");
    while (query.executeStep()) {
      SourceSnapshot snapshot;
      snapshot.source = query.getColumn(0).getString();
      snapshot.origin_key = query.getColumn(1).getString();
      SQLite::Column records = query.getColumn(2);
      snapshot.records.assign(static_cast<const char*>(records.getBlob()), static_cast<size_t>(records.getBytes()));
      snapshot.content_hash = query.getColumn(3).getString();
      snapshot.fetched_at_ms = query.getColumn(4).getInt64();
      snapshot.etag = query.getColumn(5).getString();
      snapshot.last_modified = query.getColumn(6).getString();
      snapshot.from_fallback = query.getColumn(7).getInt() != 0;
      snapshot.withheld = query.getColumn(8).getInt() != 0;
      snapshot.failed_at_ms = query.getColumn(9).getInt64();
      snapshot.last_error = query.getColumn(10).getString();
      snapshots.emplace(snapshot.source, std::move(snapshot));
    }
  } catch (const std::exception& error) {
    return db_error(path_, error);
  }
  return snapshots;
}

Result<std::map<PageKey, std::string>> DepIndex::load_page_errors() const {
  std::map<PageKey, std::string> errors;
  try {
    SQLite::Statement query(*db_, "SELECT page, lang, error FROM page_errors");
    while (query.executeStep())
      errors.emplace(PageKey{query.getColumn(0).getString(), query.getColumn(1).getString()},
                     query.getColumn(2).getString());
  } catch (const std::exception& error) {
    return db_error(path_, error);
  }
  return errors;
}

Result<std::map<PageKey, std::vector<std::string>>> DepIndex::pages_with_tags(
    const std::vector<std::string>& tags) const {
  std::map<PageKey, std::vector<std::string>> pages;
  try {
    SQLite::Statement exact(*db_,
                            "SELECT pages.page, pages.lang, tags.tag FROM tags JOIN page_tags ON page_tags.tag_id = "
                            "tags.id JOIN pages ON pages.id = page_tags.page_id WHERE tags.tag = ?");
    // A prefix is a range over the UNIQUE index on tags.tag: [prefix, prefix + U+10FFFF).
    SQLite::Statement prefix(*db_,
                             "SELECT pages.page, pages.lang, tags.tag FROM tags JOIN page_tags ON page_tags.tag_id = "
                             "tags.id JOIN pages ON pages.id = page_tags.page_id WHERE tags.tag >= ? AND tags.tag < ?");
    for (const std::string& tag : tags) {
      const TagPattern pattern(tag);
      SQLite::Statement& query = pattern.is_prefix() ? prefix : exact;
      query.reset();
      if (pattern.is_prefix()) {
        query.bind(1, pattern.stem());
        query.bind(2, pattern.stem() + "\xF4\x8F\xBF\xBF");
      } else {
        query.bind(1, tag);
      }
      while (query.executeStep())
        pages[PageKey{query.getColumn(0).getString(), query.getColumn(1).getString()}].push_back(
            query.getColumn(2).getString());
    }
  } catch (const std::exception& error) {
    return db_error(path_, error);
  }
  for (auto& [key, carried] : pages) {
    std::sort(carried.begin(), carried.end());
    carried.erase(std::unique(carried.begin(), carried.end()), carried.end());
  }
  return pages;
}

Result<std::optional<PageKey>> DepIndex::page_for_output(const std::string& output) const {
  try {
    SQLite::Statement query(*db_, "SELECT page, lang FROM pages WHERE output=?");
    query.bind(1, output);
    if (!query.executeStep()) return std::optional<PageKey>();
    return std::optional<PageKey>(PageKey{query.getColumn(0).getString(), query.getColumn(1).getString()});
  } catch (const std::exception& error) {
    return db_error(path_, error);
  }
}

namespace {

// The (page, lang) keys a query of a tenant and a URL selects.
Result<std::vector<PageKey>> keys_at_url(SQLite::Database& db, const std::string& path, const char* sql,
                                         const std::string& tenant, const std::string& url) {
  std::vector<PageKey> keys;
  try {
    SQLite::Statement query(db, sql);
    query.bind(1, tenant);
    query.bind(2, url);
    while (query.executeStep()) keys.push_back({query.getColumn(0).getString(), query.getColumn(1).getString()});
  } catch (const std::exception& error) {
    return db_error(path, error);
  }
  return keys;
}

}  // namespace

Result<std::vector<PageKey>> DepIndex::pages_at_url(const std::string& tenant, const std::string& url) const {
  return keys_at_url(*db_, path_, "SELECT page, lang FROM pages WHERE tenant=? AND url=?", tenant, url);
}

Result<std::vector<std::string>> DepIndex::languages_of(const std::string& page) const {
  std::vector<std::string> languages;
  try {
    SQLite::Statement query(*db_, "SELECT lang FROM pages WHERE page=? ORDER BY lang");
    query.bind(1, page);
    while (query.executeStep()) languages.push_back(query.getColumn(0).getString());
  } catch (const std::exception& error) {
    return db_error(path_, error);
  }
  return languages;
}

namespace {

constexpr const char* kDeferredColumns = "SELECT page, lang, tenant, url, output, inputs_hash FROM deferred_pages";

DeferredPage read_deferred_columns(SQLite::Statement& query) {
  return DeferredPage{{query.getColumn(0).getString(), query.getColumn(1).getString()},
                      query.getColumn(2).getString(),
                      query.getColumn(3).getString(),
                      query.getColumn(4).getString(),
                      query.getColumn(5).getString()};
}

}  // namespace

Result<std::map<PageKey, DeferredPage>> DepIndex::load_deferred_pages() const {
  std::map<PageKey, DeferredPage> pages;
  try {
    SQLite::Statement query(*db_, kDeferredColumns);
    while (query.executeStep()) {
      DeferredPage page = read_deferred_columns(query);
      pages.emplace(page.key, std::move(page));
    }
  } catch (const std::exception& error) {
    return db_error(path_, error);
  }
  return pages;
}

Result<std::vector<PageKey>> DepIndex::deferred_pages_at_url(const std::string& tenant, const std::string& url) const {
  return keys_at_url(*db_, path_, "SELECT page, lang FROM deferred_pages WHERE tenant=? AND url=?", tenant, url);
}

Result<std::vector<DeferredPage>> DepIndex::deferred_variants_of(const std::string& page) const {
  std::vector<DeferredPage> variants;
  try {
    SQLite::Statement query(*db_, std::string(kDeferredColumns) + " WHERE page=? ORDER BY lang");
    query.bind(1, page);
    while (query.executeStep()) variants.push_back(read_deferred_columns(query));
  } catch (const std::exception& error) {
    return db_error(path_, error);
  }
  return variants;
}

Result<PageRecord> DepIndex::load_page(const PageKey& key) const {
  try {
    SQLite::Statement query(*db_, std::string("SELECT ") + kPageColumns +
                                      ", reasons, tags, inputs FROM pages WHERE page=? AND lang=?");
    query.bind(1, key.page);
    query.bind(2, key.lang);
    if (!query.executeStep())
      return make_error(path_, 0, "no page " + key.page + " in language " + key.lang + " has been built");
    PageRecord record = read_page_columns(query);
    const int more = kPageColumnCount;
    record.reasons = nlohmann::json::parse(query.getColumn(more).getString()).get<std::vector<std::string>>();
    record.tags = nlohmann::json::parse(query.getColumn(more + 1).getString()).get<std::vector<std::string>>();
    const nlohmann::json inputs = nlohmann::json::parse(query.getColumn(more + 2).getString());
    for (auto input = inputs.begin(); input != inputs.end(); ++input)
      record.inputs.push_back({input.key(), input.value().get<std::string>()});
    return record;
  } catch (const std::exception& error) {
    return db_error(path_, error);
  }
}

Result<std::string> DepIndex::load_shard() const {
  try {
    SQLite::Statement query(*db_, "SELECT value FROM meta WHERE key='shard'");
    return query.executeStep() ? query.getColumn(0).getString() : std::string();
  } catch (const std::exception& error) {
    return db_error(path_, error);
  }
}

Result<bool> DepIndex::holds_nothing() const {
  try {
    SQLite::Statement query(*db_,
                            "SELECT NOT EXISTS(SELECT 1 FROM pages) AND NOT EXISTS(SELECT 1 FROM inputs)");
    return query.executeStep() && query.getColumn(0).getInt() != 0;
  } catch (const std::exception& error) {
    return db_error(path_, error);
  }
}

Status DepIndex::relocate(const SignatureMap& here) {
  try {
    SQLite::Transaction transaction(*db_);
    relocate_signature_column(*db_, "inputs", "signature", here);
    relocate_signature_column(*db_, "pages", "output_signature", here);
    relocate_signature_column(*db_, "static_files", "signature", here);
    relocate_signature_column(*db_, "asset_outputs", "signature", here);
    transaction.commit();
  } catch (const std::exception& error) {
    return db_error(path_, error);
  }
  return Status::Ok();
}

Result<std::unique_ptr<DepIndex::BuildTransaction>> DepIndex::begin_build() {
  try {
    return std::unique_ptr<BuildTransaction>(std::make_unique<SqliteBuildTransaction>(*db_, path_));
  } catch (const std::exception& error) {
    return db_error(path_, error);
  }
}

}  // namespace isrgen
