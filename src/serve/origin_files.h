// The files of out/ as the ISR origin serves them, with the headers the
// bucket would give them (the same [[deploy.rules]] as `isrgen sync`, and the
// caching headers of a page's cache profile, publish/cache_headers.h), so a
// CDN in front of either sees the same thing.
//
// find() maps an out/-relative path (TenantRoute::relative) to a file:
//   "acme/summer/" -> acme/summer/index.html, "acme/" -> acme/index.html,
//   "acme/css/site.css" -> that file, and "acme/summer", a folder holding an
//   index.html, -> a redirect to "acme/summer/".
// It never serves out/.isrgen-tmp (half-written files), a key the deploy
// rules keep out of the bucket (sync = false; index.metadata.json unless a
// rule syncs it), anything that resolves outside out/ through a symlink, nor
// anything but a regular file.
//
// Files are cached in memory by output path, up to a total size (entries are
// then evicted in no particular order; promo sites normally fit whole). Every
// find() validates its entry with one stat (inode, size, mtime and ctime in
// nanoseconds), so a file a build in another process replaced (temp file +
// rename: a new inode) or rewrote in place is never served stale; forget()
// drops an entry at once. Files over max_cached_file_bytes are read on every
// request and never cached. find() and forget() may be called from any thread;
// lookups share a lock, so cached hits run in parallel.
#pragma once

#include <sys/stat.h>
#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "publish/deploy_config.h"
#include "serve/http_server.h"

namespace isrgen::serve {

inline constexpr size_t kDefaultOriginCacheBytes = 256 << 20;
inline constexpr size_t kDefaultMaxCachedFileBytes = 8 << 20;

struct OriginFile {
  std::string output;                         // out/-relative: "acme/summer/index.html"
  std::shared_ptr<const std::string> body;    // the whole file
  std::string etag;                           // strong, quoted: "\"1f2e...\"" (xxh3 of the bytes)
  std::string content_type;                   // from the deploy rules, else by extension
  std::string cache_control;                  // publish/cache_headers.h; "" sends none
  std::vector<std::pair<std::string, std::string>> cdn_cache_headers;  // CDN-Cache-Control, the CDN's own, the cache tags
  std::string last_modified;                  // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
  int64_t modified_unix_seconds = 0;
};

struct OriginLookup {
  std::shared_ptr<const OriginFile> file;  // null when there is nothing to serve
  std::optional<std::string> redirect;     // out/-relative, with the trailing slash: "acme/summer/"
};

class OriginFiles {
 public:
  OriginFiles(std::filesystem::path out_folder, publish::DeployConfig deploy,
              size_t max_cache_bytes = kDefaultOriginCacheBytes,
              size_t max_cached_file_bytes = kDefaultMaxCachedFileBytes);
  OriginFiles(const OriginFiles&) = delete;
  OriginFiles& operator=(const OriginFiles&) = delete;

  OriginLookup find(std::string_view relative);
  void forget(std::string_view output);

  size_t cached_bytes() const;

 private:
  // What one stat says about a file; equal stamps mean the same bytes.
  struct Stamp {
    dev_t device = 0;
    ino_t inode = 0;
    off_t size = 0;
    int64_t mtime_ns = 0;
    int64_t ctime_ns = 0;
    bool operator==(const Stamp&) const = default;
    static Stamp of(const struct stat& st);
  };
  struct Entry {
    std::shared_ptr<const OriginFile> file;
    Stamp stamp;
  };
  // Heterogeneous lookup: a hit needs no std::string built for the key.
  struct KeyHash {
    using is_transparent = void;
    size_t operator()(std::string_view key) const { return std::hash<std::string_view>{}(key); }
  };

  bool refused(std::string_view output) const;
  std::shared_ptr<const OriginFile> cached(std::string_view output, const Stamp& stamp) const;
  std::shared_ptr<const OriginFile> load(std::string_view output, const std::string& path);
  bool has_index(std::string& folder_path) const;
  void remember(std::string_view output, const std::shared_ptr<const OriginFile>& file, const Stamp& stamp);

  const std::filesystem::path out_;
  const std::string out_prefix_;     // out_ and '/', what stat paths start with
  const std::string temp_folder_;    // ".isrgen-tmp"
  const publish::DeployConfig deploy_;
  const size_t max_cache_bytes_;
  const size_t max_cached_file_bytes_;

  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, Entry, KeyHash, std::equal_to<>> cache_;
  size_t cached_bytes_ = 0;
};

// The answer to a GET or HEAD of `file`: 200 with its body (shared, not
// copied) and Content-Type, Cache-Control, ETag and Last-Modified; or 304
// with ETag and Cache-Control when If-None-Match names its ETag (in a list,
// weakly compared, or "*"), or, without If-None-Match, when If-Modified-Since
// is not before its modification time. The conditions apply to GET and HEAD
// only (RFC 9110 §13.1); the server leaves out the body of a HEAD.
HttpResponse answer_file(const OriginFile& file, const HttpRequest& request);

}  // namespace isrgen::serve
