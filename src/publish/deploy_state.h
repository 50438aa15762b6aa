// What each sync target holds, as far as isrgen knows: per target (its URL)
// and key, the size and MD5 of the bytes sent, the MD5 and stat signature of
// the local file they came from, the headers sent and the page's tags. Kept in
// its own SQLite database, <site>/.isrgen/deploy.db, apart from the build's
// state. Losing it costs a full upload, and more: without --verify-remote the
// next sync no longer knows the objects of pages removed meanwhile, so they
// are never deleted; --verify-remote lists the bucket and restores all that.
//
// A fingerprinted object whose file left the output is kept in the target
// one sync longer: recorded as retired at sync N, it is deleted by the first
// sync after N.
//
// Each confirmed upload or delete is recorded at once, so a sync cut short
// resumes where it stopped. With it, in the same transaction, go the paths and
// tags the CDN must purge because of it; they stay pending until a purge
// succeeds, so a failed or interrupted purge is sent again by the next sync.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "publish/purge_request.h"
#include "state/signature_relocation.h"
#include "util/error.h"

namespace SQLite {
class Database;
class Statement;
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
  // The sync (DeployState::begin_sync) that found a fingerprinted object's
  // file gone and kept it one more sync, for cached pages that still link it;
  // 0 while its file is in the output.
  int64_t retired_at = 0;
};

class DeployState {
 public:
  // Opens the deploy state at `db_path`, creating it and its folder when
  // missing. A file of an older isrgen is upgraded in place or, where no
  // upgrade reaches, replaced by an empty one; one of a newer isrgen is an error.
  static Result<std::unique_ptr<DeployState>> open(const std::filesystem::path& db_path);
  ~DeployState();

  Result<std::map<std::string, DeployedObject>> load(const std::string& target) const;
  // Numbers the syncs of a target: returns this sync's number, one more than
  // the last one's (1 for the first), and records it.
  Result<int64_t> begin_sync(const std::string& target);
  // The number the next begin_sync returns, recording nothing (a dry run).
  Result<int64_t> next_sync(const std::string& target) const;
  // `purge`, when given, is added to the target's pending purge together.
  Status record(const std::string& target, const DeployedObject& object, const PurgeRequest* purge = nullptr);
  Status forget(const std::string& target, const std::string& key, const PurgeRequest* purge = nullptr);
  // Many objects in one transaction (adoptions: nothing to purge).
  Status record_all(const std::string& target, const std::vector<DeployedObject>& objects);

  // What the target's CDN has not been told yet, sorted, without repeats.
  Result<PurgeRequest> pending_purge(const std::string& target) const;
  // Drops these once the CDN confirmed them.
  Status purged(const std::string& target, const PurgeRequest& sent);

  // Carried to another machine or folder: the local files' stat signatures
  // rewritten through `here` (state/signature_relocation.h), so the next sync
  // hashes the files it cannot trust.
  Status relocate(const SignatureMap& here);

 private:
  struct Statements;
  explicit DeployState(std::unique_ptr<SQLite::Database> db);
  void insert(const std::string& target, const DeployedObject& object);  // within a transaction
  std::unique_ptr<SQLite::Database> db_;
  std::unique_ptr<Statements> statements_;
};

}  // namespace isrgen::publish
