#include "publish/sync_plan.h"

#include <dirent.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <set>

#include <nlohmann/json.hpp>

#include "engine/output_writer.h"
#include "publish/cache_headers.h"
#include "publish/cache_tags.h"
#include "publish/digest.h"
#include "publish/gzip.h"
#include "publish/object_headers.h"
#include "publish/page_metadata.h"
#include "publish/redirect_record.h"
#include "site/page_urls.h"
#include "site/site_paths.h"
#include "util/folder_walk.h"
#include "util/fs.h"

namespace isrgen::publish {
namespace {

constexpr const char* kPage = "index.html";

struct LocalFile {
  std::string key;
  fs::path path;
  fs::path metadata;      // a page's index.metadata.json; empty for other files
  std::string signature;  // of the file and, for a page, its metadata
};

// The files of one folder (listed by the walk), each stat'ed relative to the
// folder: an unchanged site of 10,000 pages is 10,000 folders, and resolving
// every full path again is what costs. Links are not synced: a build makes
// none, and one put into the output by hand may lead anywhere.
void add_folder_files(const fs::path& folder, const std::string& prefix, const std::vector<FolderEntry>& entries,
                      std::vector<LocalFile>& files) {
  SignatureReader signatures(folder);
  for (const FolderEntry& entry : entries) {
    if (entry.type != FolderEntry::Type::kFile) continue;
    // A page's signature covers its metadata too, as the build records it.
    bool page = entry.name == kPage;
    std::string signature = page ? output_signature(signatures, entry.name) : signatures.signature(entry.name);
    if (signature.empty() || signature.starts_with("|")) continue;  // gone meanwhile
    LocalFile file{prefix + entry.name, folder / entry.name, {}, std::move(signature)};
    if (page && !file.signature.ends_with("|")) file.metadata = folder / metadata_path_for(entry.name);
    files.push_back(std::move(file));
  }
}

// Everything but the temporary files of interrupted writes.
// A folder that cannot be read fails the scan: skipping it would plan a delete
// of every object under it.
Result<std::vector<LocalFile>> scan_output(const fs::path& out) {
  SitePaths paths;
  paths.out = out;
  const std::string temp_name = paths.out_temp().filename().string();
  std::vector<LocalFile> files;
  WalkOptions options;
  options.missing_root_is_empty = false;
  options.skip = [&](const std::string& folder) { return folder == temp_name; };
  Status scanned = walk_folders(
      disk_folder_lister(), out,
      [&](const std::string& relative, const std::vector<FolderEntry>& entries) {
        add_folder_files(relative.empty() ? out : out / relative, relative.empty() ? "" : relative + "/", entries,
                         files);
        return true;
      },
      options);
  if (!scanned.ok()) {
    Error error = scanned.error();
    error.message += " (nothing was synced: make it readable, or build the site again)";
    return error;
  }
  std::sort(files.begin(), files.end(), [](const LocalFile& a, const LocalFile& b) { return a.key < b.key; });
  return files;
}

// The headers of a file to send. A page's cache profile comes from its
// metadata, read here unless `metadata` was read already.
Result<HeaderList> file_headers(const LocalFile& file, const ObjectRules& rules, const std::vector<std::string>& tags,
                                const PageMetadata* metadata) {
  std::optional<PageMetadata> read;
  if (!metadata && !file.metadata.empty()) {
    auto fresh = read_page_metadata(file.metadata);
    if (!fresh.ok()) return fresh.error();
    read = std::move(fresh.value());
    metadata = &*read;
  }
  const CacheProfile* page_cache = metadata && metadata->cache ? &*metadata->cache : nullptr;
  return object_headers(rules, file.key, page_cache, cdn_tags_for_page(tags));
}

// Fills in the bytes to send, the file itself or its gzip-compressed copy,
// with their size and MD5 (what a listing reports).
Status prepare_body(const LocalFile& file, bool gzip, const FileDigest* digest, PlannedUpload& planned) {
  ObjectUpload& upload = planned.upload;
  if (gzip) {
    auto bytes = read_file(file.path);
    if (!bytes.ok()) return bytes.error();
    upload.body = gzip_compress(bytes.value());
    upload.size = static_cast<int64_t>(upload.body.size());
    upload.md5 = md5_hex(upload.body);
  } else {
    FileDigest computed;
    if (!digest) {
      auto fresh = digest_file(file.path, /*with_sha256=*/false);
      if (!fresh.ok()) return fresh.error();
      computed = fresh.value();
      digest = &computed;
    }
    upload.file = file.path;
    upload.size = digest->size;
    upload.md5 = digest->md5;
  }
  planned.object.size = upload.size;
  planned.object.etag = upload.md5;
  return Status::Ok();
}

// The SHA-256 of the bytes to send, for an object that is sent.
Status add_payload_sha256(PlannedUpload& planned) {
  ObjectUpload& upload = planned.upload;
  if (upload.file.empty()) {
    upload.sha256 = sha256_hex(upload.body);
    return Status::Ok();
  }
  auto digest = digest_file(upload.file);
  if (!digest.ok()) return digest.error();
  // Read once more: should the file have been rewritten meanwhile, every
  // digest describes what is read now (and Content-MD5 guards the rest).
  upload.size = planned.object.size = digest.value().size;
  upload.md5 = planned.object.etag = planned.object.source_md5 = digest.value().md5;
  upload.sha256 = digest.value().sha256;
  return Status::Ok();
}

// Decides file by file; one instance per sync.
class Planner {
 public:
  explicit Planner(const PlanInputs& inputs) : inputs_(inputs) {
    if (inputs.listed)
      for (const RemoteObject& object : *inputs.listed) listed_.emplace(object.key, &object);
  }

  Result<SyncPlan> plan() {
    auto files = scan_output(inputs_.out);
    if (!files.ok()) return files.error();
    for (const LocalFile& file : files.value()) {
      ObjectRules rules = rules_for(*inputs_.config, file.key);
      if (!rules.sync) continue;
      synced_keys_.insert(file.key);
      Status planned = plan_file(file, rules);
      if (!planned.ok()) return planned.error();
    }
    // Assets before pages, so that no page links to an asset not there yet.
    std::stable_partition(plan_.uploads.begin(), plan_.uploads.end(), [](const PlannedUpload& u) { return !u.page; });
    plan_deletes();
    return std::move(plan_);
  }

 private:
  const DeployedObject* held(const std::string& key) const {
    auto it = inputs_.held->find(key);
    return it == inputs_.held->end() ? nullptr : &it->second;
  }

  // The page an alias page at `key` leads to, from its tenant's record of redirects; "" for any other key.
  std::string redirect_location(const std::string& key) const {
    const std::string tenant = key.substr(0, key.find('/'));
    auto record = redirects_.find(tenant);
    if (record == redirects_.end()) record = redirects_.emplace(tenant, read_redirect_record(inputs_.out, tenant)).first;
    auto found = record->second.by_output.find(key);
    return found == record->second.by_output.end() ? "" : found->second;
  }

  bool listed_as(const std::string& key, int64_t size, const std::string& etag) const {
    auto it = listed_.find(key);
    return it != listed_.end() && it->second->size == size && it->second->etag == etag;
  }

  // The source MD5, tags and headers of a file: taken over from what was
  // recorded while the file (and its metadata) kept their stat signature,
  // else read afresh. `digest` is filled when the file had to be read.
  Status describe(const LocalFile& file, const ObjectRules& rules, const DeployedObject* before,
                  PlannedUpload& planned, std::optional<FileDigest>& digest) const {
    DeployedObject& object = planned.object;
    object.key = file.key;
    object.source_signature = file.signature;
    object.rules = rules.describe();
    const std::string location = redirect_location(file.key);
    if (!location.empty()) object.rules += " redirect=" + location;
    bool same_source = before && before->source_signature == file.signature;
    // The same file under the same rules gets the same headers: most of an
    // unchanged site's planning is saved by not deriving them again.
    bool same_headers = same_source && before->rules == object.rules;
    std::optional<PageMetadata> metadata;
    if (same_source) {
      object.source_md5 = before->source_md5;
      object.tags = before->tags;
    } else {
      auto fresh = digest_file(file.path, /*with_sha256=*/false);  // MD5 alone decides
      if (!fresh.ok()) return fresh.error();
      digest = fresh.value();
      object.source_md5 = digest->md5;
      if (planned.page) {
        auto read = read_page_metadata(file.metadata);
        if (!read.ok()) return read.error();
        metadata = std::move(read.value());
        object.tags = metadata->tags;
      }
    }
    if (same_headers) {
      object.headers = before->headers;
      return Status::Ok();
    }
    auto headers = file_headers(file, rules, object.tags, metadata ? &*metadata : nullptr);
    if (!headers.ok()) return headers.error();
    // An alias page: S3 website endpoints answer it with a 301 to its page.
    if (!location.empty()) headers.value().emplace_back("x-amz-website-redirect-location", location);
    planned.upload.headers = std::move(headers.value());
    object.headers = headers_text(planned.upload.headers);
    return Status::Ok();
  }

  Status plan_file(const LocalFile& file, const ObjectRules& rules) {
    const DeployedObject* before = held(file.key);
    PlannedUpload planned;
    planned.page = !file.metadata.empty();
    planned.upload.key = file.key;
    std::optional<FileDigest> digest;
    Status described = describe(file, rules, before, planned, digest);
    if (!described.ok()) return described;
    DeployedObject& object = planned.object;

    bool same_as_held = before && before->source_md5 == object.source_md5 && before->headers == object.headers;
    if (same_as_held && (!inputs_.listed || listed_as(file.key, before->size, before->etag))) {
      ++plan_.unchanged;
      // Same bytes, touched: remember the new signature; back in the
      // output after it was retired: no longer to be deleted.
      if (before->source_signature != file.signature || before->retired_at != 0) {
        object.size = before->size;
        object.etag = before->etag;
        plan_.adopt.push_back(object);
      }
      return Status::Ok();
    }
    if (planned.upload.headers.empty()) {
      auto headers = file_headers(file, rules, object.tags, nullptr);
      if (!headers.ok()) return headers.error();
      planned.upload.headers = std::move(headers.value());
    }
    Status prepared = prepare_body(file, rules.gzip, digest ? &*digest : nullptr, planned);
    if (!prepared.ok()) return prepared;
    if (inputs_.listed && listed_as(file.key, object.size, object.etag)) {
      ++plan_.unchanged;
      plan_.adopt.push_back(object);
      return Status::Ok();
    }
    // Only what is sent needs the SHA-256 its request is signed with.
    Status hashed = add_payload_sha256(planned);
    if (!hashed.ok()) return hashed;
    planned.reason = !before                                   ? "new"
                     : same_as_held                            ? "missing from the target"
                     : before->source_md5 != object.source_md5 ? "changed"
                                                               : "headers changed";
    plan_.uploads.push_back(std::move(planned));
    return Status::Ok();
  }

  // Held objects whose files are gone (but a fingerprinted one only once a
  // sync after the one that retired it) and, under --verify-remote, listed
  // objects that no file matches.
  void plan_deletes() {
    for (const auto& [key, object] : *inputs_.held) {
      if (synced_keys_.count(key)) continue;
      bool retired_earlier = object.retired_at != 0 && object.retired_at < inputs_.sync_number;
      if (!is_fingerprinted(key) || retired_earlier) {
        plan_.deletes.push_back(object);
        continue;
      }
      DeployedObject retained = object;
      if (retained.retired_at == 0) retained.retired_at = inputs_.sync_number;
      plan_.retains.push_back(std::move(retained));
    }
    for (const auto& [key, object] : listed_) {
      if (synced_keys_.count(key) || held(key)) continue;
      DeployedObject stray;
      stray.key = key;
      stray.size = object->size;
      plan_.deletes.push_back(stray);
    }
  }

  const PlanInputs& inputs_;
  mutable std::map<std::string, RedirectRecord> redirects_;  // by tenant, read when first needed
  std::map<std::string, const RemoteObject*> listed_;
  std::set<std::string> synced_keys_;
  SyncPlan plan_;
};

}  // namespace

Result<SyncPlan> plan_sync(const PlanInputs& inputs) { return Planner(inputs).plan(); }

}  // namespace isrgen::publish
