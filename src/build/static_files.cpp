#include "build/static_files.h"

#include "util/fs.h"

namespace isrgen {

StaticSync sync_static_files(const SitePaths& paths, const SiteConfig& config, const InputScan& scan,
                             const std::map<std::string, StoredStaticFile>& previous) {
  StaticSync sync;
  const std::string prefix = "static/";
  for (const auto& [path, input] : scan.current) {
    if (!path.starts_with(prefix)) continue;
    std::string output = path.substr(prefix.size());
    size_t slash = output.find('/');
    if (slash == std::string::npos || !config.tenants.contains(output.substr(0, slash))) {
      sync.errors.push_back(make_error(path, 0, "static files belong in static/<tenant>/ of a configured tenant"));
      continue;
    }
    auto before = previous.find(output);
    bool intact = before != previous.end() && before->second.hash == input.hash &&
                  before->second.signature == file_signature(paths.out / output);
    if (intact) {
      sync.outputs.emplace(output, before->second);
      continue;
    }
    auto bytes = read_file(paths.root / path);
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
    sync.outputs.emplace(output, StoredStaticFile{input.hash, file_signature(paths.out / output)});
  }
  for (const auto& [output, file] : previous) {
    if (sync.outputs.contains(output)) continue;
    remove_file_and_empty_parents(paths.out / output, paths.out);
    sync.deleted.push_back(output);
  }
  return sync;
}

}  // namespace isrgen
