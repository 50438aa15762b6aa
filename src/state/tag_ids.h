// The ids of dependency tags in the state index's tags table (tags are stored
// once and referred to by id from page_tags). A build records some 24 tags a
// page over a few thousand distinct ones, so each tag is resolved in memory:
// the table is read once, on the first tag asked for, and only a tag new to
// the index costs a write.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

namespace SQLite {
class Database;
class Statement;
}

namespace isrgen {

class TagIds {
 public:
  // Resolves against `db`'s tags table, which must outlive this; use it
  // within one transaction (a rollback may take back ids it handed out).
  explicit TagIds(SQLite::Database& db);
  ~TagIds();

  // The id of `tag`, added to the table when it is not there yet. Throws
  // SQLite::Exception when the table cannot be read or written.
  int64_t id_of(const std::string& tag);

  // How many tags are known in memory (read or added); 0 before the first id_of.
  size_t known() const { return ids_.size(); }

 private:
  SQLite::Database& db_;
  bool loaded_ = false;
  std::unique_ptr<SQLite::Statement> insert_;  // prepared with the first new tag
  std::unordered_map<std::string, int64_t> ids_;
};

}  // namespace isrgen
