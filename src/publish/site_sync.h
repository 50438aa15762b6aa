// One sync of a site's output, from its settings to the report: reads the
// [deploy] table (unless the run read it already), opens the target, builds
// the purge provider's requests and the deploy state, then runs the sync
// (sync_run.h). Shared by `isrgen sync` and the syncs that follow a build
// (publish/rebuild.h), so they agree on every rule.
#pragma once

#include <string>

#include "publish/deploy_config.h"
#include "publish/sync_run.h"
#include "site/site_paths.h"
#include "util/error.h"

namespace isrgen::publish {

struct SiteSyncOptions {
  // s3://bucket/prefix, file:///folder or a folder relative to the working
  // directory; empty: [deploy] target (a folder there is relative to the site).
  std::string target;
  bool dry_run = false;
  bool verify_remote = false;
  int max_deletes = -1;  // -1: [deploy] max_deletes
  int parallel = 16;     // uploads at once
  // [deploy] as the run already read it with the rest of content/site.toml
  // (publish/rebuild.h); null: sync_site reads it.
  const DeployConfig* config = nullptr;
};

// The Error is a configuration or usage problem (deploy settings, target,
// credentials, no output folder yet, an unusable deploy state). A sync that
// could not even plan (the target's listing or the output folder could not be
// read) comes back as a report with that failure, like any failed request.
Result<SyncReport> sync_site(const SitePaths& paths, const SiteSyncOptions& options);

}  // namespace isrgen::publish
