#include "engine/input_scan.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>

#include "engine/parallel.h"
#include "util/folder_walk.h"
#include "util/fs.h"
#include "util/hash.h"

namespace isrgen {
namespace {

// Files (and links, which reading checks) below `folder` whose names end in
// `extension`, as site-relative paths.
Status add_tree(const SitePaths& paths, const FolderLister& lister, const fs::path& folder,
                std::string_view extension, std::vector<std::string>& into) {
  const std::string prefix = relative_display(folder, paths.root) + "/";
  return walk_folders(lister, folder, [&](const std::string& relative, const std::vector<FolderEntry>& entries) {
    const std::string at = relative.empty() ? prefix : prefix + relative + "/";
    for (const FolderEntry& entry : entries)
      if ((entry.type == FolderEntry::Type::kFile || entry.type == FolderEntry::Type::kLink) &&
          entry.name.ends_with(extension))
        into.push_back(at + entry.name);
    return true;
  });
}

std::vector<std::string> data_files(const SitePaths& paths, const SiteConfig& config) {
  std::vector<std::string> files;
  for (const auto& [name, source] : config.sources)
    if (!source.is_remote()) files.push_back(relative_display(paths.content() / source.file, paths.root));
  return files;
}

Result<std::vector<std::string>> input_files(const SitePaths& paths, const SiteConfig& config,
                                             const FolderLister& lister) {
  std::vector<std::string> files = {relative_display(paths.config(), paths.root)};
  std::vector<std::pair<fs::path, std::string_view>> trees = {{paths.pages(), ".md"}};
  for (const char* folder : {"layouts", "components", "partials"}) trees.emplace_back(paths.templates() / folder, ".mustache");
  trees.emplace_back(paths.static_files(), "");
  for (const auto& [folder, extension] : trees)
    if (Status listed = add_tree(paths, lister, folder, extension, files); !listed.ok()) return listed.error();
  for (std::string& file : data_files(paths, config)) files.push_back(std::move(file));
  std::sort(files.begin(), files.end());
  files.erase(std::unique(files.begin(), files.end()), files.end());
  return files;
}

// Files modified after this moment (wall clock, as file times are: no Clock
// seam here) have signatures that cannot be trusted yet. Two seconds cover
// coarse file system timestamps generously.
int64_t racy_threshold_ns() {
  using namespace std::chrono;
  return duration_cast<nanoseconds>(system_clock::now().time_since_epoch()).count() - 2'000'000'000LL;
}

// The mtime inside a file_signature ("size:mtime_ns:inode").
int64_t modified_ns(const std::string& signature) {
  size_t first = signature.find(':');
  return first == std::string::npos ? 0 : std::atoll(signature.c_str() + first + 1);
}

bool keeps_snapshot(InputKind kind) { return kind == InputKind::kSiteConfig || kind == InputKind::kData; }

// Reads an input of the site beneath its folder, within the size limit of its kind.
Result<std::string> read_input(const SitePaths& paths, const SiteConfig& config, const std::string& path,
                               const Disk& disk) {
  const InputLimits& limits = config.limits;
  switch (input_kind(path, config)) {
    case InputKind::kSiteConfig: return read_site_settings(paths.root);
    case InputKind::kPage:
      return disk.read(paths.root, path, static_cast<size_t>(limits.page_bytes), InputLimits::setting("page_bytes"));
    case InputKind::kTemplate:
      return disk.read(paths.root, path, static_cast<size_t>(limits.template_bytes),
                       InputLimits::setting("template_bytes"));
    case InputKind::kData:
      return disk.read(paths.root, path, static_cast<size_t>(limits.data_bytes), InputLimits::setting("data_bytes"));
    case InputKind::kStatic: break;
  }
  return read_static_file(paths, config, path, disk);
}

}  // namespace

Result<std::string> read_static_file(const SitePaths& paths, const SiteConfig& config, const std::string& path,
                                     const Disk& disk) {
  return disk.read(paths.root, path, static_cast<size_t>(config.limits.static_bytes),
                   InputLimits::setting("static_bytes"));
}

InputKind input_kind(const std::string& path, const SiteConfig& config) {
  if (path == "content/site.toml") return InputKind::kSiteConfig;
  for (const auto& [name, source] : config.sources)
    if (!source.is_remote() && path == "content/" + source.file) return InputKind::kData;
  if (path.starts_with("content/pages/")) return InputKind::kPage;
  if (path.starts_with("templates/")) return InputKind::kTemplate;
  if (path.starts_with("static/")) return InputKind::kStatic;
  return InputKind::kData;
}

Result<InputListing> list_inputs(const SitePaths& paths, const SiteConfig& config, int jobs,
                                 const FolderLister& lister, const Disk& disk) {
  auto files = input_files(paths, config, lister);
  if (!files.ok()) return files.error();
  InputListing listing;
  listing.files = std::move(files.value());
  listing.signatures = disk.signatures(paths.root, listing.files, jobs);
  return listing;
}

InputScan compare_inputs(const SitePaths& paths, const SiteConfig& config, const InputListing& listing,
                         const std::map<std::string, StoredInput>& stored, const Disk& disk, int jobs,
                         bool defer_new_pages) {
  InputScan scan;
  const int64_t racy_after_ns = racy_threshold_ns();
  std::vector<size_t> to_read;  // the files whose signature changed, read and hashed in parallel
  for (size_t i = 0; i < listing.files.size(); ++i) {
    const std::string& path = listing.files[i];
    const std::string& signature = listing.signatures[i];
    if (signature.empty()) continue;  // vanished or not a regular file (a missing data file fails its pages)
    auto before = stored.find(path);
    if (before != stored.end() && before->second.signature == signature) {
      scan.current.emplace(path, before->second);
    } else if (defer_new_pages && before == stored.end() && input_kind(path, config) == InputKind::kPage &&
               path.ends_with(".md")) {
      const bool racy = modified_ns(signature) >= racy_after_ns;
      scan.current.emplace(path, StoredInput{racy ? "" : signature, ""});
      scan.changes.push_back({path, InputKind::kPage, false});
      scan.unhashed_pages.push_back(path);
    } else {
      to_read.push_back(i);
    }
  }
  std::vector<Result<std::string>> read(to_read.size(), Result<std::string>(std::string()));
  std::vector<std::string> hashes(to_read.size());
  parallel_for(to_read.size(), jobs, [&](size_t n) {
    const std::string& path = listing.files[to_read[n]];
    read[n] = read_input(paths, config, path, disk);
    if (!read[n].ok()) return;
    hashes[n] = content_hash(read[n].value());
    // Only snapshots keep their bytes: memory stays flat in the pages' number.
    if (!keeps_snapshot(input_kind(path, config))) read[n] = Result<std::string>(std::string());
  });
  for (size_t n = 0; n < to_read.size(); ++n) {
    const std::string& path = listing.files[to_read[n]];
    const std::string& signature = listing.signatures[to_read[n]];
    if (!read[n].ok()) {
      scan.unreadable.push_back(read[n].error());
      continue;
    }
    InputKind kind = input_kind(path, config);
    // A file modified just now may be modified again within the same timestamp
    // tick, keeping its size: its signature is not trusted (recorded empty), so
    // the next build hashes it again. Git calls such entries "racily clean".
    bool racy = modified_ns(signature) >= racy_after_ns;
    scan.current.emplace(path, StoredInput{racy ? "" : signature, hashes[n]});
    auto before = stored.find(path);
    bool changed = before == stored.end() || before->second.hash != hashes[n];
    if (changed) scan.changes.push_back({path, kind, false});
    // A snapshot is (re)recorded whenever the file was read: a touched file
    // keeps the same bytes, a changed one gets its new bytes.
    if (keeps_snapshot(kind)) scan.snapshots.emplace(path, std::move(read[n].value()));
  }
  for (const auto& [path, input] : stored)
    if (!scan.current.contains(path)) scan.changes.push_back({path, input_kind(path, config), true});
  std::sort(scan.changes.begin(), scan.changes.end(),
            [](const InputChange& a, const InputChange& b) { return a.path < b.path; });
  return scan;
}

void fill_page_hashes(const SitePaths& paths, const SiteConfig& config, const Disk& disk, InputScan& scan,
                      const std::vector<InputFile>& read) {
  for (const InputFile& file : read) {
    auto found = scan.current.find(file.path);
    if (found != scan.current.end() && found->second.hash.empty()) found->second.hash = file.hash;
  }
  for (const std::string& path : scan.unhashed_pages) {
    auto found = scan.current.find(path);
    if (found == scan.current.end() || !found->second.hash.empty()) continue;
    auto bytes = read_input(paths, config, path, disk);
    if (bytes.ok()) {
      found->second.hash = content_hash(bytes.value());
    } else {
      scan.unreadable.push_back(bytes.error());
      scan.current.erase(found);
    }
  }
  scan.unhashed_pages.clear();
}

}  // namespace isrgen
