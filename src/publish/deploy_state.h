// What each sync target holds, as far as isrgen knows: per target (its URL)
// and key, the size and MD5 of the bytes sent, the MD5 and stat signature of
// the local file they came from, the headers sent and the page's tags. Kept in
// its own SQLite database, <site>/.isrgen/deploy.db, apart from the build's
// state: deleting it only means the next sync compares against the bucket
// (--verify-remote) or uploads once more.
//
// Each confirmed upload or delete is recorded at once, so a sync cut short
// resumes where it stopped.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "util/error.h"

namespace SQLite {
class Database;
}

namespace isrgen::publish {

struct DeployedObject {
  std::string key;
  int64_t size = 0;            // of the bytes sent (compressed when gzip)
  std::string etag;            // MD5 of the bytes sent: what S3 reports as the ETag
  std::string source_md5;      // MD5 of the local file
  std::string source_signature;  // stat signature(s) of the local file (and its metadata), to skip hashing
  std::string rules;           // ObjectRules::describe() of the rules it was sent under
  std::string headers;         // headers_text of what was sent
  std::vector<std::string> tags;  // the page's dependency tags (for purging after it is gone)
};

class DeployState {
 public:
  static Result<std::unique_ptr<DeployState>> open(const std::filesystem::path& db_path);
  ~DeployState();

  Result<std::map<std::string, DeployedObject>> load(const std::string& target) const;
  Status record(const std::string& target, const DeployedObject& object);
  Status forget(const std::string& target, const std::string& key);

 private:
  explicit DeployState(std::unique_ptr<SQLite::Database> db);
  std::unique_ptr<SQLite::Database> db_;
};

}  // namespace isrgen::publish
