#include "publish/remote_state.h"

#include <algorithm>
#include <thread>

#include <SQLiteCpp/SQLiteCpp.h>
#include <nlohmann/json.hpp>

#include "publish/deploy_state.h"
#include "publish/digest.h"
#include "publish/gzip.h"
#include "publish/zstd_codec.h"
#include "publish/output_archive.h"
#include "state/dep_index.h"
#include "util/fs.h"
#include "util/json_nesting.h"

namespace isrgen::publish {
namespace {

namespace fs = std::filesystem;

constexpr const char* kManifestKey = "manifest.json";
constexpr int kManifestFormat = 1;
constexpr size_t kLargestSnapshot = size_t{4} << 30;  // uncompressed
constexpr const char* kStateDb = "state.db";
constexpr const char* kDeployDb = "deploy.db";
constexpr const char* kOutput = "out";
// The encode-once cache of image variants (.isrgen/assets/), packed as the
// output is: a fresh runner then publishes variants without encoding them.
constexpr const char* kAssetCache = "assets";
// Compressed on every store and read back once per fresh runner: speed over
// the last percent (zstd_codec.h; level 3 is zstd's default, and its levels
// past 5 take several times as long for a few percent less).
constexpr int kCompressionLevel = 3;

constexpr int kDeepestManifest = 4;  // {objects: {name: {key, ...}}}

// Objects are stored as zstd (".zst"); a state stored by an isrgen that kept
// them as gzip (".gz") is still read, and its objects are replaced as they change.
constexpr const char* kZstdSuffix = ".zst";
constexpr const char* kGzipSuffix = ".gz";

std::string object_key(const std::string& sha256) { return "objects/" + sha256 + kZstdSuffix; }

bool is_object_key(const std::string& key, const std::string& sha256) {
  const std::string stem = "objects/" + sha256;
  return key == stem + kZstdSuffix || key == stem + kGzipSuffix;
}

// The bytes of a fetched object, decompressed as its key's suffix says.
Result<std::string> decompress_object(const std::string& key, std::string_view bytes, const std::string& where) {
  if (key.ends_with(kGzipSuffix)) return gzip_decompress(bytes, kLargestSnapshot, where);
  return zstd_decompress(bytes, kLargestSnapshot, where);
}

bool is_sha256(const std::string& text) {
  return text.size() == 64 && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// Where the local copy's generation is remembered, and of which state.
fs::path marker_path(const SitePaths& paths) { return paths.state / "remote-state.json"; }
fs::path staging_path(const SitePaths& paths) { return paths.state / "remote-state.tmp"; }

// The folder the fetched output is unpacked into: beside the output, so that
// it is renamed into place on the same file system.
fs::path output_staging(const SitePaths& paths) {
  fs::path out = paths.out.lexically_normal();
  if (!out.has_filename()) out = out.parent_path();
  return out.parent_path() / ("." + out.filename().string() + ".isrgen-restore");
}

// A consistent copy of the SQLite store at `db_path`, as one file's bytes,
// without the live WAL; nullopt when the store does not exist.
Result<std::optional<std::string>> snapshot_store(const fs::path& db_path, const fs::path& staging) {
  std::error_code ec;
  if (!fs::exists(db_path, ec)) return std::optional<std::string>();
  const fs::path copy = staging / (db_path.filename().string() + ".snapshot");
  fs::remove(copy, ec);
  try {
    SQLite::Database db(db_path.string(), SQLite::OPEN_READONLY | SQLite::OPEN_NOFOLLOW);
    db.setBusyTimeout(5000);
    SQLite::Statement vacuum(db, "VACUUM INTO ?");
    vacuum.bind(1, copy.string());
    vacuum.exec();
  } catch (const std::exception& error) {
    return make_environment_error(db_path.string(), std::string("cannot snapshot the store for the remote state: ") +
                                                        error.what());
  }
  auto bytes = read_file(copy);
  fs::remove(copy, ec);
  if (!bytes.ok()) return bytes.error();
  return std::optional<std::string>(std::move(bytes.value()));
}

// Replaces the store at `db_path` by the file `fetched`: its journal goes
// first (it belongs to the file being replaced), then the file is renamed in.
Status install_store(const fs::path& fetched, const fs::path& db_path) {
  std::error_code ec;
  for (const char* suffix : {"-wal", "-shm", "-journal"}) fs::remove(db_path.string() + suffix, ec);
  fs::rename(fetched, db_path, ec);
  if (ec) return make_environment_error(db_path.string(), "cannot put the fetched state in place: " + ec.message());
  return Status::Ok();
}

// Relocates a fetched state index or deploy state to this site and machine.
template <class Store>
Status relocate_store(const fs::path& file, const SignatureMap& here) {
  auto store = Store::open(file);
  if (!store.ok()) {
    Error error = store.error();
    error.message = "the remote state's " + file.filename().string() + ": " + error.message;
    return error;
  }
  return store.value()->relocate(here);
}

}  // namespace

std::string StateManifest::to_json() const {
  nlohmann::ordered_json json{{"format", kManifestFormat}, {"generation", generation}, {"stored_at", stored_at}};
  json["objects"] = nlohmann::ordered_json::object();
  for (const auto& [name, entry] : objects)
    json["objects"][name] = {{"key", entry.key}, {"sha256", entry.sha256}, {"bytes", entry.bytes}};
  return json.dump(2) + "\n";
}

Result<StateManifest> StateManifest::parse(const std::string& text, const std::string& where) {
  auto damaged = [&](const std::string& what) {
    return make_error(where, 0, "the remote state's manifest " + what +
                                    ": remove the state's objects to start over (the next run renders every page)");
  };
  if (text.size() > (1 << 20)) return damaged("is larger than any isrgen writes");
  if (json_nesting_past(text, kDeepestManifest)) return damaged("nests deeper than any isrgen writes");
  auto json = nlohmann::json::parse(text, nullptr, false);
  if (!json.is_object()) return damaged("is not JSON");
  StateManifest manifest;
  try {
    if (json.at("format").get<int>() != kManifestFormat)
      return make_error(where, 0, "the remote state was stored by another isrgen (manifest format " +
                                      json.at("format").dump() + "): run that isrgen, or use another --state URL");
    manifest.generation = json.at("generation").get<int64_t>();
    manifest.stored_at = json.value("stored_at", std::string());
    for (const auto& [name, entry] : json.at("objects").items()) {
      StateManifest::Entry read{entry.at("key").get<std::string>(), entry.at("sha256").get<std::string>(),
                                entry.at("bytes").get<int64_t>()};
      if (name != kStateDb && name != kDeployDb && name != kOutput && name != kAssetCache)
        continue;  // of a later isrgen: left alone
      if (!is_sha256(read.sha256) || !is_object_key(read.key, read.sha256) || read.bytes < 0)
        return damaged("names the object '" + read.key + "'");
      manifest.objects.emplace(name, read);
    }
  } catch (const nlohmann::json::exception& error) {
    return damaged(std::string("lacks a field (") + error.what() + ")");
  }
  if (manifest.generation < 1) return damaged("has no generation");
  return manifest;
}

Result<std::optional<StateManifest>> RemoteState::read_manifest() {
  auto object = bucket_.get(kManifestKey);
  if (!object.ok()) return object.error();
  if (!object.value()) return std::optional<StateManifest>();
  auto manifest = StateManifest::parse(object.value()->bytes, bucket_.describe() + kManifestKey);
  if (!manifest.ok()) return manifest.error();
  return std::optional<StateManifest>(std::move(manifest.value()));
}

int64_t RemoteState::local_generation() const {
  auto text = read_file(marker_path(paths_));
  if (!text.ok() || text.value().size() > 4096 || json_nesting_past(text.value(), 1)) return 0;
  auto json = nlohmann::json::parse(text.value(), nullptr, false);
  if (!json.is_object() || json.value("state", std::string()) != bucket_.describe()) return 0;
  return json.value("generation", int64_t{0});
}

Status RemoteState::remember_generation(int64_t generation) const {
  nlohmann::ordered_json json{{"state", bucket_.describe()}, {"generation", generation}};
  return write_file_atomic(marker_path(paths_), json.dump() + "\n");
}

Result<RestoreOutcome> RemoteState::restore() {
  auto manifest = read_manifest();
  if (!manifest.ok()) return manifest.error();
  RestoreOutcome outcome;
  if (!manifest.value()) return outcome;
  const StateManifest& remote = *manifest.value();
  outcome.generation = remote.generation;
  if (local_generation() >= remote.generation) return outcome;

  const fs::path staging = staging_path(paths_);
  const fs::path out_staging = output_staging(paths_);
  std::error_code ec;
  fs::remove_all(staging, ec);
  fs::remove_all(out_staging, ec);
  fs::create_directories(staging, ec);
  if (ec) return make_environment_error(staging.string(), "cannot create the folder: " + ec.message());

  // Everything is fetched and checked before anything local is replaced.
  std::map<std::string, std::string> fetched;
  for (const auto& [name, entry] : remote.objects) {
    auto object = bucket_.get(entry.key);
    if (!object.ok()) return object.error();
    const std::string where = bucket_.describe() + entry.key;
    if (!object.value())
      return make_error(where, 0, "the remote state's manifest names this object, which is missing: remove "
                                  "manifest.json to start over (the next run renders every page)");
    outcome.bytes += static_cast<int64_t>(object.value()->bytes.size());
    auto bytes = decompress_object(entry.key, object.value()->bytes, where);
    if (!bytes.ok()) return bytes.error();
    if (sha256_hex(bytes.value()) != entry.sha256)
      return make_error(where, 0, "the object's bytes do not match the remote state's manifest: remove "
                                  "manifest.json to start over (the next run renders every page)");
    fetched.emplace(name, std::move(bytes.value()));
  }
  SignatureMap here;
  if (auto out = fetched.find(kOutput); out != fetched.end()) {
    auto unpacked = unpack_output(out->second, out_staging);
    if (!unpacked.ok()) return unpacked.error();
    here = std::move(unpacked.value());
  }
  const fs::path cache_staging = staging / kAssetCache;
  if (auto cache = fetched.find(kAssetCache); cache != fetched.end()) {
    auto unpacked = unpack_output(cache->second, cache_staging);
    if (!unpacked.ok()) return unpacked.error();
  }
  std::map<std::string, fs::path> stores;
  for (const char* name : {kStateDb, kDeployDb}) {
    auto bytes = fetched.find(name);
    if (bytes == fetched.end()) continue;
    const fs::path file = staging / name;
    if (Status written = write_file_atomic(file, bytes->second); !written.ok()) return written.error();
    Status relocated = std::string(name) == kStateDb ? relocate_store<DepIndex>(file, here)
                                                     : relocate_store<DeployState>(file, here);
    if (!relocated.ok()) return relocated.error();
    stores.emplace(name, file);
  }

  // In place: the output, then the stores. A crash between two steps leaves
  // outputs whose signatures no store records, which a build renders again.
  if (fetched.contains(kOutput)) {
    const fs::path old = out_staging.string() + "-old";
    fs::remove_all(old, ec);
    if (fs::exists(paths_.out, ec)) fs::rename(paths_.out, old, ec);
    if (!ec) fs::rename(out_staging, paths_.out, ec);
    if (ec) return make_environment_error(paths_.out.string(), "cannot put the fetched output in place: " + ec.message());
    fs::remove_all(old, ec);
  }
  if (fetched.contains(kAssetCache)) {
    fs::remove_all(paths_.asset_cache(), ec);
    fs::rename(cache_staging, paths_.asset_cache(), ec);
    if (ec) return make_environment_error(paths_.asset_cache().string(), "cannot put the fetched cache in place: " + ec.message());
  }
  for (const auto& [name, file] : stores)
    if (Status installed = install_store(file, paths_.state / name); !installed.ok()) return installed.error();
  fs::remove_all(staging, ec);
  if (Status remembered = remember_generation(remote.generation); !remembered.ok()) return remembered.error();
  outcome.fetched = true;
  return outcome;
}

Result<StoreOutcome> RemoteState::store(StoreScope scope, StateLease& lease) {
  auto manifest = read_manifest();
  if (!manifest.ok()) return manifest.error();
  const StateManifest before = manifest.value().value_or(StateManifest{});
  StateManifest next = before;
  next.generation = before.generation + 1;
  next.stored_at = format_iso8601_utc(clock_.now_unix_ms());

  const fs::path staging = staging_path(paths_);
  std::error_code ec;
  fs::create_directories(staging, ec);
  if (ec) return make_environment_error(staging.string(), "cannot create the folder: " + ec.message());
  std::map<std::string, std::string> snapshots;
  auto take = [&](const char* name, Result<std::optional<std::string>> bytes) -> Status {
    if (!bytes.ok()) return bytes.error();
    if (bytes.value()) snapshots.emplace(name, std::move(*bytes.value()));
    return Status::Ok();
  };
  if (Status taken = take(kDeployDb, snapshot_store(paths_.state / kDeployDb, staging)); !taken.ok()) return taken.error();
  if (scope == StoreScope::kEverything) {
    if (Status taken = take(kStateDb, snapshot_store(paths_.state_db(), staging)); !taken.ok()) return taken.error();
    auto output = pack_output(paths_.out);
    if (!output.ok()) return output.error();
    snapshots.emplace(kOutput, std::move(output.value()));
    if (fs::exists(paths_.asset_cache(), ec)) {
      auto cache = pack_output(paths_.asset_cache());
      if (!cache.ok()) return cache.error();
      // A cache too large to keep is left out: the next runner encodes again
      // what it needs, which costs time, never correctness.
      if (cache.value().size() <= kLargestSnapshot) snapshots.emplace(kAssetCache, std::move(cache.value()));
    }
  }
  fs::remove_all(staging, ec);

  StoreOutcome outcome;
  for (auto& [name, bytes] : snapshots) {
    StateManifest::Entry entry;
    entry.sha256 = sha256_hex(bytes);
    entry.key = object_key(entry.sha256);
    entry.bytes = static_cast<int64_t>(bytes.size());
    auto known = before.objects.find(name);
    // The same bytes already stored (in either format) are kept as they are.
    if (known != before.objects.end() && known->second.sha256 == entry.sha256 && known->second.bytes == entry.bytes) {
      next.objects[name] = known->second;
      continue;
    }
    // What a restore would refuse to expand must not replace a state it can.
    if (bytes.size() > kLargestSnapshot)
      return make_error(paths_.state.string(), 0, "the state's " + name + " has " + std::to_string(bytes.size()) +
                                                      " bytes, over the " + std::to_string(kLargestSnapshot >> 30) +
                                                      " GiB a restore expands: too large to keep as remote state");
    std::string compressed =
        zstd_compress(bytes, kCompressionLevel, static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
    // The image cache is left out when too large to keep (see above).
    if (static_cast<int64_t>(compressed.size()) > kMaxStateObjectBytes && name == kAssetCache) continue;
    if (static_cast<int64_t>(compressed.size()) > kMaxStateObjectBytes)
      return make_error(paths_.state.string(), 0, "the state's " + name + " is larger than " +
                                                      std::to_string(kMaxStateObjectBytes >> 20) +
                                                      " MiB compressed: too large to keep as remote state");
    auto stored = bucket_.put(entry.key, compressed, {});
    if (!stored.ok()) return stored.error();
    ++outcome.uploaded;
    outcome.bytes += static_cast<int64_t>(compressed.size());
    next.objects[name] = entry;
  }
  if (Status renewed = lease.renew(); !renewed.ok()) return renewed.error();
  auto written = bucket_.put(kManifestKey, next.to_json(), {});
  if (!written.ok()) return written.error();
  // Objects no manifest names any more. Best effort: one left behind costs
  // only its storage.
  for (const auto& [name, entry] : before.objects) {
    bool still_named = false;
    for (const auto& [other, kept] : next.objects) still_named = still_named || kept.key == entry.key;
    if (!still_named) (void)bucket_.remove(entry.key);
  }
  if (Status remembered = remember_generation(next.generation); !remembered.ok()) return remembered.error();
  outcome.generation = next.generation;
  return outcome;
}

}  // namespace isrgen::publish
