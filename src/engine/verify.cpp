#include "engine/verify.h"

#include <stdlib.h>

#include <map>

#include <nlohmann/json.hpp>

#include "engine/builder.h"
#include "engine/sitemap.h"
#include "site/site_config.h"
#include "state/dep_index.h"
#include "util/folder_walk.h"
#include "util/fs.h"

namespace isrgen {
namespace {

// Every regular file of an output folder but the temporary ones.
Result<std::map<std::string, fs::path>> output_files(const fs::path& out) {
  std::map<std::string, fs::path> files;
  WalkOptions options;
  options.skip = [](const std::string& folder) { return folder == ".isrgen-tmp"; };
  Status walked = walk_folders(
      disk_folder_lister(), out,
      [&](const std::string& relative, const std::vector<FolderEntry>& entries) {
        for (const FolderEntry& entry : entries) {
          if (entry.type != FolderEntry::Type::kFile) continue;
          std::string name = relative.empty() ? entry.name : relative + "/" + entry.name;
          files.emplace(name, out / name);
        }
        return true;
      },
      options);
  if (!walked.ok()) return walked.error();
  return files;
}

bool same_content(const std::string& name, const fs::path& a, const fs::path& b) {
  auto left = read_file(a), right = read_file(b);
  if (!left.ok() || !right.ok()) return false;
  if (is_sitemap_output(name)) return sitemap_without_lastmod(left.value()) == sitemap_without_lastmod(right.value());
  if (!name.ends_with(".metadata.json")) return left.value() == right.value();
  auto left_json = nlohmann::json::parse(left.value(), nullptr, false);
  auto right_json = nlohmann::json::parse(right.value(), nullptr, false);
  if (left_json.is_discarded() || right_json.is_discarded()) return false;
  left_json.erase("generated_at");
  right_json.erase("generated_at");
  return left_json == right_json;
}

struct TempDir {
  fs::path path;
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "isrgen-verify-XXXXXX").string();
    if (::mkdtemp(pattern.data())) path = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path.empty()) fs::remove_all(path, ec);
  }
};

// The fresh build serves the remote sources' snapshots as the incremental
// build recorded them, fetching nothing: the comparison is about the engine,
// not about an API whose data may have changed since.
Status copy_source_snapshots(const SitePaths& from, const SitePaths& to) {
  auto source = DepIndex::open(from.state_db());
  if (!source.ok()) return source.error();
  auto snapshots = source.value()->load_source_snapshots();
  if (!snapshots.ok()) return snapshots.error();
  auto target = DepIndex::open(to.state_db());
  if (!target.ok()) return target.error();
  auto build = target.value()->begin_build();
  if (!build.ok()) return build.error();
  for (const auto& [name, snapshot] : snapshots.value()) build.value()->put_source_snapshot(snapshot);
  return build.value()->commit({});
}

// With prerender = "high" a fresh build would defer the pages rendered on
// demand since: the fresh build is asked for every page the incremental one
// has rendered, by URL.
Result<std::vector<std::string>> rendered_urls(const SitePaths& paths) {
  std::vector<std::string> urls;
  auto config = load_site_config(paths);
  if (!config.ok()) return config.error();
  if (config.value().prerender == Prerender::kAll) return urls;
  auto index = DepIndex::open(paths.state_db());
  if (!index.ok()) return index.error();
  auto pages = index.value()->load_pages();
  if (!pages.ok()) return pages.error();
  for (const auto& [key, page] : pages.value()) urls.push_back("/" + page.tenant + page.url);
  return urls;
}

// Differences between two output folders (temporary folders ignored).
Result<std::vector<std::string>> compare_outputs(const fs::path& incremental, const fs::path& fresh) {
  std::vector<std::string> differences;
  auto listed_ours = output_files(incremental);
  if (!listed_ours.ok()) return listed_ours.error();
  auto listed_theirs = output_files(fresh);
  if (!listed_theirs.ok()) return listed_theirs.error();
  const auto& ours = listed_ours.value();
  const auto& theirs = listed_theirs.value();
  for (const auto& [name, path] : ours) {
    auto other = theirs.find(name);
    if (other == theirs.end()) differences.push_back(name + ": not in a fresh build");
    else if (!same_content(name, path, other->second)) differences.push_back(name + ": differs from a fresh build");
  }
  for (const auto& [name, path] : theirs)
    if (!ours.contains(name)) differences.push_back(name + ": missing from the incremental output");
  return differences;
}

}  // namespace

Result<std::vector<std::string>> verify_against_fresh_build(const SitePaths& paths, int jobs, const Clock& clock) {
  TempDir temp;
  if (temp.path.empty()) return make_error("", 0, "--verify: cannot create a temporary folder");
  SitePaths fresh = paths;
  fresh.out = temp.path / "out";
  fresh.state = temp.path / "state";
  if (auto copied = copy_source_snapshots(paths, fresh); !copied.ok()) return copied.error();
  auto urls = rendered_urls(paths);
  if (!urls.ok()) return urls.error();
  BuildOptions options;
  options.urls = std::move(urls.value());
  options.jobs = jobs;
  options.offline = true;
  auto report = run_build(fresh, options, clock);
  if (!report.ok()) return report.error();
  return compare_outputs(paths.out, fresh.out);
}

}  // namespace isrgen
