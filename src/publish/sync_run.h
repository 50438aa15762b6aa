// One `isrgen sync`: plan (sync_plan.h), then upload assets, then pages, then
// delete what is gone, then purge the CDN. Pages wait until every asset upload
// succeeded, so no page links to an asset that is not there yet. Every confirmed upload and delete is
// recorded in the deploy state at once, so a sync cut short (a crash, a
// network cut) resumes where it stopped. Deletes wait until every upload
// succeeded, and more than `max_deletes` of them are held back entirely, so a
// broken build with an empty output folder cannot empty the bucket. A
// fingerprinted object whose file is gone is retained one sync longer (its
// retirement recorded only by a sync whose deletes go ahead), so a page cached
// before this sync still finds the stylesheet it links. The purge
// of each change is kept pending in the deploy state with its record and sent
// by every sync until the CDN confirms it. With [deploy.warm], the pages
// uploaded are then fetched from their public URLs (warm.h), once the purge
// succeeded (or none is configured): warming before a failed purge would only
// fetch the stale copies again.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "publish/bucket_client.h"
#include "publish/deploy_config.h"
#include "publish/deploy_state.h"
#include "publish/http_call.h"
#include "publish/purge.h"
#include "publish/warm.h"
#include "util/clock.h"

namespace isrgen::publish {

struct SyncOptions {
  bool dry_run = false;        // plan and report; send nothing that writes
  bool verify_remote = false;  // list the target and reconcile by ETag and size
  int max_deletes = 256;
};

struct SyncReport {
  std::string target;
  bool dry_run = false;
  struct Upload {
    std::string key;
    int64_t bytes = 0;
    std::string reason;
  };
  std::vector<Upload> uploaded;    // under --dry-run: what would be
  std::vector<std::string> deleted;
  std::vector<std::string> retained;  // fingerprinted, their files gone: deleted by the next sync
  std::vector<std::pair<std::string, std::string>> failed;  // key (or "purge"), error
  size_t unchanged = 0;
  size_t adopted = 0;           // found right in the target and recorded without an upload
  size_t pages_held_back = 0;    // page uploads not done: an asset upload failed
  size_t deletes_held_back = 0;  // deletes not done: over max_deletes, or uploads failed
  std::string held_back_reason;
  PurgeRequest purge;  // sent (or, under --dry-run, would be): this sync's changes and earlier pending ones
  bool purges = false;  // a purge provider is configured
  bool purged = false;
  std::vector<WarmedUrl> warmed;  // [deploy.warm]: each uploaded page's GET
  int64_t bytes = 0;
  int64_t duration_ms = 0;

  nlohmann::ordered_json to_json() const;
  int exit_code() const;  // 0 all done; 1 something failed or pages or deletes were held back
  std::string pages_held_back_reason() const;
};

// Turns what changed into the CDN's purge requests; empty function: no purge.
using PurgeCallBuilder = std::function<std::vector<net::Request>(const PurgeRequest&)>;

struct SyncJob {
  BucketClient* client = nullptr;
  DeployState* state = nullptr;
  std::string target_id;
  std::filesystem::path out;
  const DeployConfig* config = nullptr;
  SyncOptions options;
  PurgeCallBuilder purge;
  HttpRunOptions http;  // for the purge requests
  const Clock* warm_clock = nullptr;  // measures [deploy.warm] budget_ms; required when warming is on
};

// An Error only when nothing could be planned (the deploy state or the
// listing failed); failures of single requests are in the report.
Result<SyncReport> run_sync(const SyncJob& job);

}  // namespace isrgen::publish
