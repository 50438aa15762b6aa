#include "build/static_files.h"

#include <algorithm>

#include "util/fs.h"
#include "util/hash.h"

namespace isrgen {

StaticSync copy_static_files(const SitePaths& paths, const SiteConfig& config) {
  StaticSync sync;
  std::error_code ec;
  if (!fs::is_directory(paths.static_files(), ec)) return sync;
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(paths.static_files(), ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
    if (it->is_regular_file(ec)) files.push_back(it->path());
  std::sort(files.begin(), files.end());

  for (const fs::path& file : files) {
    std::string output = relative_display(file, paths.static_files());
    std::string display = relative_display(file, paths.root);
    std::string tenant = output.substr(0, output.find('/'));
    if (output.find('/') == std::string::npos || !config.tenants.contains(tenant)) {
      sync.errors.push_back(make_error(display, 0, "static files belong in static/<tenant>/ of a configured tenant"));
      continue;
    }
    auto bytes = read_file(file);
    if (!bytes.ok()) {
      sync.errors.push_back(bytes.error());
      continue;
    }
    auto outcome = write_file_if_changed(paths.out / output, bytes.value(), paths.out_temp());
    if (!outcome.ok()) {
      sync.errors.push_back(outcome.error());
      continue;
    }
    if (outcome.value() == WriteOutcome::kWritten) ++sync.written;
    sync.outputs.emplace(output, content_hash(bytes.value()));
  }
  return sync;
}

}  // namespace isrgen
