#include "publish/sync_plan.h"

#include <dirent.h>

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

#include "publish/cache_tags.h"
#include "publish/digest.h"
#include "publish/gzip.h"
#include "publish/object_headers.h"
#include "util/fs.h"

namespace isrgen::publish {
namespace {

constexpr const char* kTempFolder = ".isrgen-tmp";

struct LocalFile {
  std::string key;
  fs::path path;
  fs::path metadata;      // a page's index.metadata.json; empty for other files
  std::string signature;  // of the file and, for a page, its metadata
};

// Walks one folder with readdir (file types come with the names) and stats
// each file relative to the folder: an unchanged site of 10,000 pages is
// 10,000 folders, and resolving every full path again is what costs.
void scan_folder(const fs::path& folder, const std::string& prefix, std::vector<LocalFile>& files) {
  DIR* dir = ::opendir(folder.c_str());
  if (!dir) return;
  SignatureReader signatures(folder);
  std::vector<std::string> subfolders;
  while (const dirent* entry = ::readdir(dir)) {
    std::string name = entry->d_name;
    if (name == "." || name == "..") continue;
    unsigned char type = entry->d_type;
    if (type == DT_UNKNOWN) {
      std::error_code ec;
      type = fs::is_directory(folder / name, ec) ? DT_DIR : DT_REG;
    }
    if (type == DT_DIR) {
      if (name != kTempFolder) subfolders.push_back(name);
      continue;
    }
    std::string signature = signatures.signature(name);
    if (signature.empty()) continue;  // not a regular file, or gone meanwhile
    LocalFile file{prefix + name, folder / name, {}, std::move(signature)};
    if (name == "index.html") {
      std::string metadata_signature = signatures.signature("index.metadata.json");
      if (!metadata_signature.empty()) {
        file.metadata = folder / "index.metadata.json";
        file.signature += "|" + metadata_signature;
      }
    }
    files.push_back(std::move(file));
  }
  ::closedir(dir);
  for (const std::string& subfolder : subfolders) scan_folder(folder / subfolder, prefix + subfolder + "/", files);
}

std::vector<LocalFile> scan_output(const fs::path& out) {
  std::vector<LocalFile> files;
  scan_folder(out, "", files);
  std::sort(files.begin(), files.end(), [](const LocalFile& a, const LocalFile& b) { return a.key < b.key; });
  return files;
}

Result<std::vector<std::string>> read_page_tags(const fs::path& metadata) {
  auto text = read_file(metadata);
  if (!text.ok()) return text.error();
  auto json = nlohmann::json::parse(text.value(), nullptr, false);
  if (json.is_discarded() || !json.contains("tags") || !json["tags"].is_array())
    return make_error(metadata.string(), 0, "no \"tags\" list in the page metadata (build the site again)");
  std::vector<std::string> tags;
  for (const auto& tag : json["tags"])
    if (tag.is_string()) tags.push_back(tag.get<std::string>());
  return tags;
}

// Fills in the bytes to send: the file itself, or its gzip-compressed copy.
Status prepare_body(const LocalFile& file, bool gzip, const FileDigest* digest, PlannedUpload& planned) {
  ObjectUpload& upload = planned.upload;
  if (gzip) {
    auto bytes = read_file(file.path);
    if (!bytes.ok()) return bytes.error();
    upload.body = gzip_compress(bytes.value());
    upload.size = static_cast<int64_t>(upload.body.size());
    upload.md5 = md5_hex(upload.body);
    upload.sha256 = sha256_hex(upload.body);
  } else {
    FileDigest computed;
    if (!digest) {
      auto fresh = digest_file(file.path);
      if (!fresh.ok()) return fresh.error();
      computed = fresh.value();
      digest = &computed;
    }
    upload.file = file.path;
    upload.size = digest->size;
    upload.md5 = digest->md5;
    upload.sha256 = digest->sha256;
  }
  planned.object.size = upload.size;
  planned.object.etag = upload.md5;
  return Status::Ok();
}

bool listed_as(const std::map<std::string, const RemoteObject*>& listed, const std::string& key, int64_t size,
               const std::string& etag) {
  auto it = listed.find(key);
  return it != listed.end() && it->second->size == size && it->second->etag == etag;
}

}  // namespace

Result<SyncPlan> plan_sync(const PlanInputs& inputs) {
  const DeployConfig& config = *inputs.config;
  const auto& held = *inputs.held;
  std::map<std::string, const RemoteObject*> listed;
  if (inputs.listed)
    for (const RemoteObject& object : *inputs.listed) listed.emplace(object.key, &object);

  SyncPlan plan;
  std::set<std::string> synced_keys;
  for (const LocalFile& file : scan_output(inputs.out)) {
    ObjectRules rules = rules_for(config, file.key);
    if (!rules.sync) continue;
    synced_keys.insert(file.key);
    auto known = held.find(file.key);
    const DeployedObject* before = known == held.end() ? nullptr : &known->second;

    PlannedUpload planned;
    planned.page = !file.metadata.empty();
    DeployedObject& object = planned.object;
    object.key = file.key;
    object.source_signature = file.signature;
    object.rules = rules.describe();
    FileDigest digest;
    bool digested = false;
    bool same_source = before && before->source_signature == file.signature;
    if (same_source) {
      object.source_md5 = before->source_md5;
      object.tags = before->tags;
    } else {
      auto fresh = digest_file(file.path);
      if (!fresh.ok()) return fresh.error();
      digest = fresh.value();
      digested = true;
      object.source_md5 = digest.md5;
      if (planned.page) {
        auto tags = read_page_tags(file.metadata);
        if (!tags.ok()) return tags.error();
        object.tags = tags.value();
      }
    }
    planned.upload.key = file.key;
    // The same file under the same rules gets the same headers: most of an
    // unchanged site's planning is saved by not deriving them again.
    if (same_source && before->rules == object.rules) {
      object.headers = before->headers;
    } else {
      planned.upload.headers = object_headers(rules, cdn_tags_for_page(object.tags));
      object.headers = headers_text(planned.upload.headers);
    }

    bool same_as_held = before && before->source_md5 == object.source_md5 && before->headers == object.headers;
    if (same_as_held && (!inputs.listed || listed_as(listed, file.key, before->size, before->etag))) {
      ++plan.unchanged;
      if (before->source_signature != file.signature) {
        object.size = before->size;
        object.etag = before->etag;
        plan.adopt.push_back(object);
      }
      continue;
    }
    if (planned.upload.headers.empty()) planned.upload.headers = object_headers(rules, cdn_tags_for_page(object.tags));
    Status prepared = prepare_body(file, rules.gzip, digested ? &digest : nullptr, planned);
    if (!prepared.ok()) return prepared.error();
    if (inputs.listed && listed_as(listed, file.key, object.size, object.etag)) {
      ++plan.unchanged;
      plan.adopt.push_back(object);
      continue;
    }
    planned.reason = !before                                       ? "new"
                     : same_as_held                                ? "missing from the target"
                     : before->source_md5 != object.source_md5 ? "changed"
                                                                   : "headers changed";
    plan.uploads.push_back(std::move(planned));
  }
  std::stable_partition(plan.uploads.begin(), plan.uploads.end(), [](const PlannedUpload& u) { return !u.page; });

  for (const auto& [key, object] : held)
    if (!synced_keys.count(key)) plan.deletes.push_back(object);
  for (const auto& [key, object] : listed)
    if (!synced_keys.count(key) && !held.count(key)) {
      DeployedObject stray;
      stray.key = key;
      stray.size = object->size;
      plan.deletes.push_back(stray);
    }
  return plan;
}

}  // namespace isrgen::publish
