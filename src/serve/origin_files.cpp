#include "serve/origin_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <mutex>

#include "publish/cache_headers.h"
#include "publish/cache_tags.h"
#include "publish/page_metadata.h"
#include "serve/tenant_resolution.h"
#include "site/page_urls.h"
#include "site/site_paths.h"
#include "util/confined_file.h"
#include "util/fs.h"
#include "util/hash.h"
#include "util/text.h"

namespace isrgen::serve {
namespace {

constexpr std::string_view kIndex = "index.html";

int64_t nanoseconds(const struct timespec& time) {
  return static_cast<int64_t>(time.tv_sec) * 1'000'000'000 + time.tv_nsec;
}

std::string http_date(int64_t unix_seconds) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  time_t seconds = static_cast<time_t>(unix_seconds);
  struct tm utc {};
  gmtime_r(&seconds, &utc);
  char text[64];
  std::snprintf(text, sizeof text, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[utc.tm_wday], utc.tm_mday,
                kMonths[utc.tm_mon], utc.tm_year + 1900, utc.tm_hour, utc.tm_min, utc.tm_sec);
  return text;
}

// IMF-fixdate, and the two obsolete forms recipients must still accept
// (RFC 9110 §5.6.7).
std::optional<int64_t> parse_http_date(std::string_view text) {
  std::string date(trim(text, " \t"));
  for (const char* format : {"%a, %d %b %Y %H:%M:%S GMT", "%A, %d-%b-%y %H:%M:%S GMT", "%a %b %e %H:%M:%S %Y"}) {
    struct tm utc {};
    const char* end = ::strptime(date.c_str(), format, &utc);
    if (end && *end == '\0') return static_cast<int64_t>(::timegm(&utc));
  }
  return std::nullopt;
}

// If-None-Match: "*" or a list of entity tags, compared weakly (W/ ignored).
bool etag_listed(std::string_view list, std::string_view etag) {
  for (;;) {
    size_t comma = list.find(',');
    std::string_view tag = trim(list.substr(0, comma), " \t");
    if (tag == "*") return true;
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    if (tag == etag) return true;
    if (comma == std::string_view::npos) return false;
    list.remove_prefix(comma + 1);
  }
}

bool not_modified(const OriginFile& file, const HttpRequest& request) {
  if (request.method != "GET" && request.method != "HEAD") return false;
  bool asked_by_etag = false;
  for (const auto& [name, value] : request.headers) {
    if (!equals_ignoring_ascii_case(name, "If-None-Match")) continue;
    asked_by_etag = true;
    if (etag_listed(value, file.etag)) return true;
  }
  if (asked_by_etag) return false;  // If-Modified-Since is ignored then
  std::optional<std::string_view> since = find_header(request.headers, "If-Modified-Since");
  if (!since) return false;
  if (*since == file.last_modified) return true;  // the usual echo, without parsing
  std::optional<int64_t> time = parse_http_date(*since);
  return time && file.modified_unix_seconds <= *time;
}

}  // namespace

OriginFiles::OriginFiles(std::filesystem::path out_folder, publish::DeployConfig deploy, size_t max_cache_bytes,
                         size_t max_cached_file_bytes)
    : out_(std::move(out_folder)),
      out_prefix_(out_.string() + "/"),
      temp_folder_(SitePaths{{}, out_, {}}.out_temp().filename().string()),
      deploy_(std::move(deploy)),
      max_cache_bytes_(max_cache_bytes),
      max_cached_file_bytes_(std::min(max_cached_file_bytes, max_cache_bytes)) {}

OriginFiles::Stamp OriginFiles::Stamp::of(const struct stat& st) {
  return {st.st_dev, st.st_ino, st.st_size, nanoseconds(st.st_mtim), nanoseconds(st.st_ctim)};
}

namespace {

// What a page's metadata says of how it is cached; nullopt for a file that is
// not a page, or a page whose metadata cannot be read.
std::optional<publish::PageMetadata> recorded_metadata(const fs::path& out, const std::string& output) {
  if (output != kIndex && !output.ends_with(std::string("/") + std::string(kIndex))) return std::nullopt;
  auto metadata = publish::read_page_metadata(out / metadata_path_for(output));
  if (!metadata.ok()) return std::nullopt;
  return std::move(metadata).value();
}

}  // namespace

OriginLookup OriginFiles::find(std::string_view relative) {
  if (!is_clean_relative_path(relative)) return {};
  // One buffer per thread holds the path to stat, the key inside it: a cached
  // hit allocates nothing.
  thread_local std::string path;
  path.assign(out_prefix_).append(relative);
  bool folder = relative.empty() || relative.ends_with('/');
  if (folder) path.append(kIndex);
  std::string_view output = std::string_view(path).substr(out_prefix_.size());

  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return {};
  if (S_ISDIR(st.st_mode) && !folder) {
    if (!has_index(path)) return {};
    return {nullptr, std::string(relative) + "/"};
  }
  if (!S_ISREG(st.st_mode)) return {};
  Stamp stamp = Stamp::of(st);
  if (auto file = cached(output, stamp)) return {std::move(file), std::nullopt};
  if (refused(output)) return {};
  return {load(output, path), std::nullopt};
}

// A folder asked for without its slash is redirected only when the slash
// form would find something. Appends "/index.html" to `folder_path`.
bool OriginFiles::has_index(std::string& folder_path) const {
  folder_path.append("/").append(kIndex);
  struct stat st;
  std::string_view output = std::string_view(folder_path).substr(out_prefix_.size());
  return ::stat(folder_path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && !refused(output);
}

bool OriginFiles::refused(std::string_view output) const {
  if (output == temp_folder_ || (output.starts_with(temp_folder_) && output[temp_folder_.size()] == '/'))
    return true;
  return !publish::rules_for(deploy_, output).sync;
}

std::shared_ptr<const OriginFile> OriginFiles::cached(std::string_view output, const Stamp& stamp) const {
  std::shared_lock lock(mutex_);
  auto found = cache_.find(output);
  if (found == cache_.end() || !(found->second.stamp == stamp)) return nullptr;
  return found->second.file;
}

std::shared_ptr<const OriginFile> OriginFiles::load(std::string_view output, const std::string& path) {
  // O_NONBLOCK: a FIFO put there since the stat must not hang the request.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return nullptr;
  struct stat st {};
  std::optional<std::string> real = real_path_of(fd);
  std::optional<std::string> real_out = real_folder(out_);
  std::optional<std::string> bytes;
  bool inside = real && real_out && real->starts_with(*real_out + "/");
  // A symlink inside out/ serves its target only if the target may be served.
  if (inside && ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
      !refused(std::string_view(*real).substr(real_out->size() + 1))) {
    // Read through the descriptor, which stays on one inode whatever a build
    // renames over its path meanwhile.
    if (auto read = read_open_file(fd, static_cast<size_t>(st.st_size)); read.ok()) bytes = std::move(read.value());
  }
  ::close(fd);
  if (!bytes) return nullptr;

  publish::ObjectRules rules = publish::rules_for(deploy_, output);
  auto file = std::make_shared<OriginFile>();
  file->output = std::string(output);
  file->etag = "\"" + content_hash(*bytes) + "\"";
  file->body = std::make_shared<const std::string>(std::move(*bytes));
  file->content_type = std::move(rules.content_type);
  std::optional<publish::PageMetadata> metadata = recorded_metadata(out_, file->output);
  const CacheProfile* page_cache = metadata && metadata->cache ? &*metadata->cache : nullptr;
  for (auto& [name, value] : publish::cache_headers(rules, output, page_cache)) {
    if (name == "Cache-Control") file->cache_control = std::move(value);
    else file->cdn_cache_headers.emplace_back(std::move(name), std::move(value));
  }
  // The same tags sync stores with the object, by the header's own name: a
  // CDN in front of serve reads it directly.
  if (metadata && !metadata->tags.empty())
    file->cdn_cache_headers.push_back(publish::cache_tag_header(rules.cdn, publish::cdn_tags_for_page(metadata->tags)));
  file->modified_unix_seconds = static_cast<int64_t>(st.st_mtim.tv_sec);
  file->last_modified = http_date(file->modified_unix_seconds);
  // The stamp is the descriptor's, taken before the read: a file changed
  // during the read no longer matches it and is read again next time.
  Stamp stamp = Stamp::of(st);
  if (file->body->size() <= max_cached_file_bytes_) remember(output, file, stamp);
  return file;
}

void OriginFiles::remember(std::string_view output, const std::shared_ptr<const OriginFile>& file,
                           const Stamp& stamp) {
  std::unique_lock lock(mutex_);
  auto [entry, added] = cache_.try_emplace(std::string(output));
  if (!added) cached_bytes_ -= entry->second.file->body->size();
  entry->second = Entry{file, stamp};
  cached_bytes_ += file->body->size();
  for (auto it = cache_.begin(); cached_bytes_ > max_cache_bytes_ && it != cache_.end();) {
    if (it == entry) {
      ++it;
      continue;
    }
    cached_bytes_ -= it->second.file->body->size();
    it = cache_.erase(it);
  }
}

void OriginFiles::forget(std::string_view output) {
  std::unique_lock lock(mutex_);
  auto found = cache_.find(output);
  if (found == cache_.end()) return;
  cached_bytes_ -= found->second.file->body->size();
  cache_.erase(found);
}

size_t OriginFiles::cached_bytes() const {
  std::shared_lock lock(mutex_);
  return cached_bytes_;
}

HttpResponse answer_file(const OriginFile& file, const HttpRequest& request) {
  HttpResponse response;
  auto add_cache_headers = [&] {
    if (!file.cache_control.empty()) response.headers.emplace_back("Cache-Control", file.cache_control);
    for (const auto& header : file.cdn_cache_headers) response.headers.push_back(header);
  };
  if (not_modified(file, request)) {
    response.status = 304;
    response.headers.emplace_back("ETag", file.etag);
    add_cache_headers();
    return response;
  }
  response.headers.reserve(4 + file.cdn_cache_headers.size());
  response.headers.emplace_back("Content-Type", file.content_type);
  add_cache_headers();
  response.headers.emplace_back("ETag", file.etag);
  response.headers.emplace_back("Last-Modified", file.last_modified);
  response.shared_body = file.body;
  return response;
}

}  // namespace isrgen::serve
