// The data sources of one build, each loaded and validated once. A source that
// fails to load keeps its error, so only the pages that read it fail.
#pragma once

#include <map>
#include <string>

#include "data/source.h"
#include "site/site_config.h"
#include "site/site_paths.h"
#include "util/error.h"

namespace isrgen::data {

class SourceCatalog {
 public:
  static SourceCatalog load(const SitePaths& paths, const SiteConfig& config);

  // The source, or why it cannot be read (unknown name, broken file, remote).
  const Result<Source>* find(const std::string& name) const;
  std::string names() const;  // "blog, jobs, models" for messages

 private:
  std::map<std::string, Result<Source>> sources_;
};

}  // namespace isrgen::data
