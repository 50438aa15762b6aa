#include "engine/static_files.h"

#include <algorithm>
#include <cctype>

#include "assets/metadata_strip.h"
#include "site/page_urls.h"

namespace isrgen {

namespace {

// Marks the stored hash of a copy published without its metadata, so that a
// copy made before stripping (or under the other setting) is made again.
constexpr const char* kStrippedMark = "+stripped";

// Whether the copy of `output` is published without its metadata: a JPEG or
// a PNG (by its name; its bytes decide in the end) under [images] strip_metadata.
bool strips_metadata(const SiteConfig& config, const std::string& output) {
  if (!config.images.strip_metadata) return false;
  std::string extension = output.substr(std::min(output.size(), output.rfind('.')));
  std::transform(extension.begin(), extension.end(), extension.begin(), [](unsigned char c) { return std::tolower(c); });
  return extension == ".jpg" || extension == ".jpeg" || extension == ".png";
}

// The page that publishes to `output` (its HTML or its metadata), or "".
std::string page_output_at(const std::string& output, const std::set<std::string>& page_outputs) {
  if (page_outputs.contains(output)) return output;
  const std::string metadata = "index.metadata.json";
  if (output.ends_with(metadata)) {
    std::string html = output.substr(0, output.size() - metadata.size()) + "index.html";
    if (page_outputs.contains(html) && metadata_path_for(html) == output) return html;
  }
  return "";
}

}  // namespace

StaticSync sync_static_files(const SitePaths& paths, const SiteConfig& config, const InputScan& scan,
                             const std::map<std::string, StoredStaticFile>& previous,
                             const std::set<std::string>& page_outputs, Disk& disk) {
  StaticSync sync;
  const std::string prefix = "static/";
  // Refused static files (a link out of the site) are reported; pages report
  // their own files, the templates and data files they use.
  for (const Error& error : scan.unreadable)
    if (error.file.starts_with(prefix)) sync.errors.push_back(error);
  for (const auto& [path, input] : scan.current) {
    if (!path.starts_with(prefix)) continue;
    std::string output = path.substr(prefix.size());
    size_t slash = output.find('/');
    if (slash == std::string::npos || !config.tenants.contains(output.substr(0, slash))) {
      sync.errors.push_back(make_error(path, 0, "static files belong in static/<tenant>/ of a configured tenant"));
      continue;
    }
    if (std::string page = page_output_at(output, page_outputs); !page.empty()) {
      sync.errors.push_back(make_error(path, 0, "would overwrite " + page + ", which a page publishes; rename the "
                                                "static file or the page"));
      continue;
    }
    const bool strip = strips_metadata(config, output);
    const std::string published_hash = strip ? input.hash + kStrippedMark : input.hash;
    auto before = previous.find(output);
    bool intact = before != previous.end() && before->second.hash == published_hash &&
                  before->second.signature == disk.signature(paths.out, output);
    if (intact) {
      sync.outputs.emplace(output, before->second);
      continue;
    }
    auto bytes = read_static_file(paths, config, path, disk);
    if (!bytes.ok()) {
      sync.errors.push_back(bytes.error());
      continue;
    }
    // A file that is not a well-formed JPEG or PNG after all is copied as it is.
    // Each strip refuses bytes not of its format: the file's bytes, not its name, pick the one that applies.
    std::optional<std::string> stripped;
    if (strip) stripped = assets::strip_jpeg_metadata(bytes.value());
    if (strip && !stripped) stripped = assets::strip_png_metadata(bytes.value());
    auto copied = disk.write(paths.out, output, stripped ? *stripped : bytes.value(), WriteMode::kIfChanged);
    if (!copied.ok()) {
      sync.errors.push_back(copied.error());
      continue;
    }
    sync.outputs.emplace(output, StoredStaticFile{published_hash, copied.value().signature});
  }
  for (const auto& [output, file] : previous) {
    if (sync.outputs.contains(output)) continue;
    sync.forgotten.push_back(output);
    if (!page_output_at(output, page_outputs).empty()) continue;  // a page's file now: not ours to remove
    disk.remove(paths.out, output);
    sync.deleted.push_back(output);
  }
  return sync;
}

}  // namespace isrgen
