// The CLI commands. Each returns the process exit status: 0 all good, 1 some
// pages failed (or --verify found differences, or a sync's request failed), 2
// usage or configuration error, 3 an environment error (I/O, disk, database).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "state/site_lock.h"
#include "util/error.h"

namespace isrgen {

class Clock;
namespace watch {
class Watcher;
}

struct CommonFlags {
  std::string site = ".";
  std::string out;  // empty: <site>/out
  bool json = false;
  bool quiet = false;
  bool verbose = false;  // list each file rendered, deleted or uploaded, and the pages a shared error holds back
  int jobs = 0;  // 0: every core
  int wait_seconds = 0;  // how long to wait for another run holding the site's lock
  std::string state_url;       // --state; empty: ISRGEN_STATE, else [state] url, else none
  int state_wait_seconds = 0;  // how long to wait for another run holding the remote state's lease
};

// The site's lock for `command` ("isrgen build"), held until the result goes;
// waiting (up to --wait) is said on stderr. The error names the holder when
// another run keeps it.
Result<std::unique_ptr<SiteLock>> lock_site(const CommonFlags& common, const std::string& command);

// Runs `run` (a command holding the site's lock) with the site's remote state
// when one is set (publish/remote_state.h): its lease taken (up to
// --state-wait), the state fetched when newer, then stored back: everything
// after exit status 0 or 1, only the deploy state after a failure. Without a
// state URL, just `run`. The exit status is run's, else the state's failure.
int with_remote_state(const CommonFlags& common, const std::string& command, const std::function<int()>& run);

struct BuildFlags {
  bool force = false;
  bool verify = false;
  bool offline = false;  // fetch no remote source; serve the snapshots
  bool strict = false;   // a remote source that cannot be refreshed fails the build
  bool sync = false;     // sync the output after a good build
  std::string target;    // --sync's target; empty: [deploy] target
  std::string shard;     // --shard I/N (or ISRGEN_SHARD); empty: every page
};

struct RevalidateFlags {
  std::vector<std::string> tags;
  std::vector<std::string> urls;
  bool expired = false;  // also refetch every remote source past its revalidate time
  bool strict = false;
  bool sync = false;     // sync the output after a good run
  std::string target;    // --sync's target; empty: [deploy] target
};

// One build (publish/rebuild.h), synced when --sync asks and it is good. The
// exit status is the build's, or, once it is good, the sync's.
int build_command(const CommonFlags& common, const BuildFlags& flags);
int revalidate_command(const CommonFlags& common, const RevalidateFlags& flags);
int inspect_sources_command(const CommonFlags& common);
int inspect_tag_command(const CommonFlags& common, const std::string& tag);
int inspect_page_command(const CommonFlags& common, const std::string& page, const std::string& lang);
int why_command(const CommonFlags& common, const std::string& output);

// Combines the folders of every shard of a sharded build (built with --shard
// I/N) into the site folder, then builds there (rendering nothing). Exit
// status: 0 merged; 2 the parts do not fit together; 3 an I/O or database error.
int merge_state_command(const CommonFlags& common, const std::vector<std::string>& part_folders);

struct SyncFlags {
  std::string target;         // empty: [deploy] target
  bool dry_run = false;
  bool verify_remote = false;
  int max_deletes = -1;       // -1: [deploy] max_deletes (default 256)
};

// Exit status: 0 synced; 1 a request failed or deletes were held back; 2 usage or configuration error.
int sync_command(const CommonFlags& common, const SyncFlags& flags);

struct WatchFlags {
  bool sync = false;   // sync after each good build
  std::string target;  // --sync's target; empty: [deploy] target
  bool poll = false;   // compare stat snapshots instead of inotify
};

// Builds at start, then after every burst of changes and whenever a remote
// source goes stale, until SIGINT or SIGTERM. Exit status: 0 stopped by a
// signal; 1 the watcher failed; 2 usage error (no way to watch).
int watch_command(const CommonFlags& common, const WatchFlags& flags);

// watch_command on a watcher already open, with the loop's clock (the quiet
// window, when a source goes stale) and the builds' clock given: the command
// passes inotify or polling, the system clock and ISRGEN_NOW's; a test passes
// a scripted watcher and one ManualClock, so time passes without waiting.
int watch_with(const CommonFlags& common, const WatchFlags& flags, watch::Watcher& watcher, const Clock& loop_clock,
               const Clock& build_clock);

struct ServeFlags {
  std::string listen;  // HOST:PORT; empty: [serve] listen (default 127.0.0.1:8080)
  bool sync = false;   // sync after each good build (also [serve] sync = true)
  std::string target;  // the sync's target; empty: [deploy] target
};

// The webhook service and ISR origin (src/serve/serve_app.h), until SIGINT or
// SIGTERM. Exit status: 0 stopped by a signal; 1 it could not run (no file
// descriptors); 2 usage or configuration error (settings, secret, address).
int serve_command(const CommonFlags& common, const ServeFlags& flags);

struct DevFlags {
  std::string listen;  // HOST:PORT; empty: 127.0.0.1:4000 (serve/dev_listen.h)
  bool poll = false;   // compare stat snapshots instead of inotify
};

// The local preview: builds, watches as `isrgen watch` does, and serves the
// output on <tenant>.localhost with live reload (src/serve/dev_server.h), until
// SIGINT or SIGTERM. Exit status: 0 stopped by a signal; 1 the watcher
// failed; 2 usage or configuration error (settings, address).
int dev_command(const CommonFlags& common, const DevFlags& flags);

// Writes a starter site into `folder` (created if missing; refused unless
// empty) that builds and previews at once. Exit status: 0 written; 2 the
// folder is not empty or not a folder; 3 it could not be written.
int init_command(const std::string& folder);

constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;        // usage or configuration: fix the command line or the site
constexpr int kExitEnvironment = 3;  // the machine: a disk, folder or database that cannot be used

// The exit status of a run that `error` stopped.
inline int exit_code_for(const Error& error) {
  return error.kind == ErrorKind::kEnvironment ? kExitEnvironment : kExitUsage;
}

}  // namespace isrgen
