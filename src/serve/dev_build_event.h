// What a build of `isrgen dev` tells the pages the preview serves, so that
// each one knows whether to reload, to swap its stylesheets, to go to the page
// the author just edited, or to show the build's errors. Taken from the build's
// report and the files the watcher saw change; sent as the `build` event of
// /_isrgen/events (dev_events.h) and read by the live-reload script
// (dev_injection.h).
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/build_report.h"
#include "site/site_config.h"

namespace isrgen::serve {

// A URL of the preview: the tenant (whose host <tenant>.localhost serves it)
// and the path on that host.
struct PreviewUrl {
  std::string tenant;  // "acme"
  std::string url;     // "/de/summer/", "/css/site.css"
  bool operator==(const PreviewUrl&) const = default;
};

struct DevBuildEvent {
  uint64_t id = 0;                       // counts builds; the cache-busting value of swapped stylesheets
  std::vector<PreviewUrl> pages;         // pages whose HTML changed or that were deleted: reload them
  std::vector<PreviewUrl> edited;        // pages whose file the author changed, rendered: go there
  std::vector<PreviewUrl> stylesheets;   // .css files of static/ that changed: swap them in place
  std::vector<PreviewUrl> assets;        // other files of static/ that changed: reload the tenant's pages
  bool reload_all = false;               // the watcher missed changes: every page reloads
  std::vector<std::string> errors;       // "file:line: message", each once, of the failed pages or the run itself

  nlohmann::json to_json() const;
};

// The changes the watcher saw (site-relative paths, as watch/change_set.h).
struct DevChanges {
  std::set<std::string> paths;
  bool rescan_all = false;
};

// The event of a build that ran (`report`, with the settings it ran with).
DevBuildEvent describe_build(const BuildReport& report, const SiteConfig& config, const DevChanges& changes);

// The event of a run that could not build at all (a broken content/site.toml):
// its one error, and nothing to reload.
DevBuildEvent describe_failed_run(const std::string& error);

// "acme/de/summer/index.html" -> {acme, /de/summer/}; "acme/index.html" -> {acme, /}.
PreviewUrl preview_url_of_output(const std::string& output);

}  // namespace isrgen::serve
