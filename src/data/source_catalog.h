// The data sources of one build. Each is read and validated on first use
// (a build that renders no page reading a source never parses it), at most
// once, from any thread. A source that fails to load keeps its error, so only
// the pages that read it fail. Remote sources come from the build's refresh
// (source_refresh.h): what it decided to serve of each.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "data/source.h"
#include "data/source_refresh.h"
#include "site/site_config.h"
#include "site/site_paths.h"
#include "util/error.h"

namespace isrgen::data {

class SourceCatalog {
 public:
  SourceCatalog(const SitePaths& paths, const SiteConfig& config, std::map<std::string, ServedSource> remote = {});

  // The source, or why it cannot be read (a broken file or snapshot); nullptr
  // when no source of that name is configured. A remote source with nothing
  // to serve is an empty Source whose `unavailable` says why.
  const Result<Source>* find(const std::string& name) const;
  std::string names() const;  // "blog, jobs, models" for messages

 private:
  struct Slot {
    const SourceConfig* config;
    std::optional<ServedSource> remote;
    std::once_flag loaded;
    std::optional<Result<Source>> source;
  };
  const SitePaths& paths_;
  const SiteConfig& config_;
  std::map<std::string, std::unique_ptr<Slot>> slots_;
};

}  // namespace isrgen::data
