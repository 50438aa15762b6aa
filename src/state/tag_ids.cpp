#include "state/tag_ids.h"

#include <SQLiteCpp/SQLiteCpp.h>

namespace isrgen {

TagIds::TagIds(SQLite::Database& db) : db_(db) {}
TagIds::~TagIds() = default;

int64_t TagIds::id_of(const std::string& tag) {
  if (!loaded_) {
    SQLite::Statement all(db_, "SELECT id, tag FROM tags");
    while (all.executeStep()) ids_.emplace(all.getColumn(1).getString(), all.getColumn(0).getInt64());
    loaded_ = true;
  }
  auto found = ids_.find(tag);
  if (found != ids_.end()) return found->second;
  if (!insert_) insert_ = std::make_unique<SQLite::Statement>(db_, "INSERT INTO tags(tag) VALUES(?)");
  insert_->reset();
  insert_->bind(1, tag);
  insert_->exec();
  const int64_t id = db_.getLastInsertRowid();
  ids_.emplace(tag, id);
  return id;
}

}  // namespace isrgen
