// What a sync has to do, decided from the output folder, what the deploy
// state says the target holds and, under --verify-remote, what the target
// lists: upload new and changed files (by the MD5 of their bytes and the
// headers they get, never by mtime), delete objects whose files are gone, and
// leave the rest alone. A fingerprinted object (cache_headers.h) whose file
// is gone is retained for one more sync, since a cached page may still link
// it, and deleted by the first sync after the one that retired it. A file whose stat signature is unchanged is not even
// read, so planning an unchanged site of 10,000 pages costs 20,000 stats.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "publish/bucket_client.h"
#include "publish/deploy_config.h"
#include "publish/deploy_state.h"

namespace isrgen::publish {

struct PlannedUpload {
  DeployedObject object;  // what the state records once the upload is confirmed
  ObjectUpload upload;    // what is sent
  bool page = false;      // an HTML page (sent after every asset)
  std::string reason;     // "new", "changed", "headers changed", "missing from the target"
};

struct SyncPlan {
  std::vector<PlannedUpload> uploads;   // assets first, then pages
  std::vector<DeployedObject> adopt;    // right as they are: recorded without an upload
  std::vector<DeployedObject> deletes;  // held, but their files are gone
  // Fingerprinted, their files gone, kept until the next sync: each to be
  // recorded with retired_at set to this sync (when it was not yet retired).
  std::vector<DeployedObject> retains;
  size_t unchanged = 0;
};

struct PlanInputs {
  std::filesystem::path out;
  const DeployConfig* config = nullptr;
  const std::map<std::string, DeployedObject>* held = nullptr;
  const std::vector<RemoteObject>* listed = nullptr;  // --verify-remote only
  int64_t sync_number = 1;  // DeployState::begin_sync (or next_sync, for a dry run)
};

Result<SyncPlan> plan_sync(const PlanInputs& inputs);

}  // namespace isrgen::publish
