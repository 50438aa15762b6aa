// The remote state around a command (--state, ISRGEN_STATE, [state] url):
// lease, fetch, run, store, release.
#include <chrono>
#include <cstdio>
#include <memory>
#include <thread>

#include "cli/commands.h"
#include "cli/console.h"
#include "publish/remote_state.h"
#include "publish/state_setting.h"
#include "site/site_paths.h"
#include "util/clock.h"
#include "util/human_units.h"

namespace isrgen {
namespace {

constexpr int64_t kLeaseTtlMs = 5 * 60 * 1000;

// Leases expire by the wall clock of every machine sharing the state, never
// by ISRGEN_NOW (which only fixes what a build takes as now).
const SystemClock kLeaseClock;

}  // namespace

int with_remote_state(const CommonFlags& common, const std::string& command, const std::function<int()>& run) {
  // The state's lines go to stderr even with --json: stdout holds only the report.
  Console console(common.quiet, false);
  const SitePaths paths = make_site_paths(common.site, common.out);
  auto setting = publish::state_setting(common.state_url, data::process_environment(), paths.root);
  if (!setting.ok()) {
    console.error(setting.error().to_string());
    return exit_code_for(setting.error());
  }
  if (setting.value().url.empty()) return run();
  auto bucket = publish::open_state_bucket(setting.value().url, data::process_environment(), {},
                                           setting.value().relative_to);
  if (!bucket.ok()) {
    console.error("--state: " + bucket.error().to_string());
    return exit_code_for(bucket.error());
  }
  publish::StateBucket& state_bucket = *bucket.value();

  publish::LeaseRequest request;
  request.command = command;
  request.ttl_ms = kLeaseTtlMs;
  request.wait_ms = int64_t{common.state_wait_seconds} * 1000;
  request.pause = [](int64_t ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); };
  request.on_wait = [](const std::string& holder) {
    std::fprintf(stderr, "waiting for the remote state, in use by %s\n", holder.c_str());
  };
  request.on_takeover = [&console](const std::string& holder) {
    console.warning("state: took over the expired lease of " + holder);
  };
  auto lease = publish::StateLease::acquire(state_bucket, request, kLeaseClock);
  if (!lease.ok()) {
    console.error(lease.error().to_string());
    return exit_code_for(lease.error());
  }

  // Renewed from here until the state is stored: fetching and storing large
  // objects may take longer than one ttl, as may the run itself.
  auto renewal = std::make_unique<publish::LeaseRenewal>(
      *lease.value(), std::chrono::milliseconds(kLeaseTtlMs / 3),
      [&console](const std::string& problem) { console.warning("state: cannot renew the lease: " + problem); });
  publish::RemoteState state(state_bucket, paths, kLeaseClock);
  auto restored = state.restore();
  if (!restored.ok()) {
    console.error(restored.error().to_string());
    renewal.reset();
    lease.value()->release();
    return exit_code_for(restored.error());
  }
  const std::string where = state_bucket.describe();
  if (restored.value().fetched)
    console.note("state: fetched generation " + std::to_string(restored.value().generation) + " from " + where +
                 " (" + format_bytes(restored.value().bytes) + ")");
  else if (restored.value().generation > 0)
    console.note("state: the local copy is up to date (generation " + std::to_string(restored.value().generation) + ")");
  else
    console.note("state: none at " + where + " yet: this run starts it");

  int status = run();
  // Exit 0 or 1: the run recorded what it did, the state and the output agree.
  // 2 or 3: it stopped short; only the record of objects that reached the
  // target is worth keeping (a sync may have sent some).
  const auto scope = status <= kExitFailed ? publish::StoreScope::kEverything : publish::StoreScope::kDeployStateOnly;
  auto stored = state.store(scope, *lease.value());
  renewal.reset();
  lease.value()->release();
  if (!stored.ok()) {
    console.error("state: not stored: " + stored.error().to_string());
    return status == kExitOk ? exit_code_for(stored.error()) : status;
  }
  console.note("state: stored generation " + std::to_string(stored.value().generation) + " to " + where + " (" +
               std::to_string(stored.value().uploaded) + " objects, " + format_bytes(stored.value().bytes) + ")");
  return status;
}

}  // namespace isrgen
