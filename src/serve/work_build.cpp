#include "serve/work_build.h"

namespace isrgen::serve {

BuildOptions build_options_for(const MergedWork& work) {
  BuildOptions options;
  const bool plain_build = work.tags.empty() && work.paths.empty();
  options.command = plain_build ? BuildCommand::kBuild : BuildCommand::kRevalidate;
  options.tags = work.tags;
  options.urls = work.paths;
  options.refresh_stale_sources = plain_build;
  return options;
}

}  // namespace isrgen::serve
