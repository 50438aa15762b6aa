#include "site/output_path.h"

#include <algorithm>
#include <system_error>

namespace isrgen {
namespace {

namespace fs = std::filesystem;

// `path` absolute, with links that exist resolved, so that the same folder
// reached two ways compares equal.
fs::path resolved(const fs::path& path, const fs::path& working_dir) {
  fs::path absolute = path.is_absolute() ? path : working_dir / path;
  std::error_code error;
  fs::path canonical = fs::weakly_canonical(absolute, error);
  return error ? absolute.lexically_normal() : canonical;
}

// `path` relative to `folder` with '/' separators when it lies beneath it, else "".
std::string beneath(const fs::path& path, const fs::path& folder) {
  fs::path relative = path.lexically_relative(folder);
  if (relative.empty() || relative == "." || *relative.begin() == "..") return "";
  return relative.generic_string();
}

// The page file a name stands for: a folder stands for its index.html, a
// page's metadata for its HTML.
std::string page_file(std::string relative) {
  const std::string metadata = "index.metadata.json";
  if (relative.ends_with(metadata)) relative.replace(relative.size() - metadata.size(), metadata.size(), "index.html");
  else if (relative.ends_with("/")) relative += "index.html";
  else if (!relative.ends_with(".html")) relative += "/index.html";
  return relative;
}

}  // namespace

std::vector<std::string> output_file_candidates(const std::string& given, const SitePaths& paths,
                                                const fs::path& working_dir) {
  const fs::path out = resolved(paths.out, working_dir);
  std::vector<std::string> names;
  auto add = [&](std::string name) {
    if (name.empty()) return;
    name = page_file(std::move(name));
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(std::move(name));
  };
  add(beneath(resolved(given, working_dir), out));
  if (fs::path(given).is_absolute()) return names;
  const std::string out_from_site = beneath(out, resolved(paths.root, working_dir));
  if (!out_from_site.empty() && given.starts_with(out_from_site + "/")) add(given.substr(out_from_site.size() + 1));
  std::string as_written = given;
  while (as_written.starts_with("./")) as_written.erase(0, 2);
  add(as_written);
  return names;
}

}  // namespace isrgen
