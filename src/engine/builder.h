// `isrgen build` and `isrgen revalidate`: finds what changed since the last
// build (change detection), turns it into invalidated dependency tags, renders
// exactly the pages carrying them (plus new pages, pages that failed before and
// pages whose output was deleted or edited), publishes their HTML and metadata,
// copies changed static files, removes the outputs of pages that are gone,
// brings each tenant's sitemap, robots.txt, 404 pages and alias pages up to
// date (engine/tenant_files.h, engine/alias_pages.h), and records it all in the
// state index in one transaction. A page that fails keeps its last good
// output; the others still build. With [build] prerender = "high", pages never
// rendered and not of priority high are deferred until a URL asks for them
// (engine/deferral.h).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "data/env_expand.h"
#include "data/http_fetcher.h"
#include "engine/build_report.h"
#include "engine/disk.h"
#include "engine/shard.h"
#include "site/site_paths.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/folder_walk.h"

namespace isrgen {

struct SiteConfig;

struct BuildOptions {
  BuildCommand command = BuildCommand::kBuild;  // for the report
  bool force = false;             // ignore the state index and render everything
  int jobs = 1;
  // revalidate: tags to treat as invalidated (a trailing '*' matches a prefix)
  // and URLs whose pages to re-render ("https://acme.example/x/", "/acme/x/"),
  // deferred ones (prerender = "high") included.
  std::vector<std::string> tags;
  std::vector<std::string> urls;
  // Remote sources: refetch those past `revalidate` (build, revalidate
  // --expired), or only those the tags name (revalidate --tag). Offline: fetch
  // nothing and serve the snapshots. Strict: a source that cannot be refreshed
  // fails the build, and pages with nothing to show fail instead of rendering
  // their empty state.
  bool refresh_stale_sources = true;
  bool offline = false;
  bool strict = false;
  data::HttpFetcher* fetcher = nullptr;  // required when the site has remote sources and is not offline
  const FolderLister* lister = &disk_folder_lister();  // how the site's folders are listed (tests: a failing one)
  Disk* disk = &real_disk();  // how the build stats, reads, writes and removes files (tests: a recording one)
  data::EnvLookup env;                   // ${VAR} in source headers; empty: the process environment
  // content/site.toml as the run already read it (publish/rebuild.h reads it
  // once for the build and its sync); null: run_build reads it.
  const SiteConfig* config = nullptr;
  // Build only this shard's pages (engine/shard.h); the shard is recorded in
  // the state index, and a folder holding one shard builds no other until merged.
  Shard shard;
  // Called from worker threads as pages finish: (done, total).
  std::function<void(size_t, size_t)> on_progress;
};

// The build runs in phases (their times are the report's phase_ms): load
// (everything read from the state index, the remote sources and the disk),
// detect (what changed), plan, prepare, render (each page written, and its
// record put in the state index's transaction by a thread of its own as it
// finishes), record and static (what became of every page and static file),
// commit (the rest written to the transaction, and the transaction committed).
//
// A configuration error (site.toml unreadable, a URL outside the site) or an
// environment error (a folder that cannot be listed, the state database
// unusable) is the Result's error, and then nothing was deleted and the state
// index holds the last build; pages rendered before a failure to write or
// commit the index's transaction may have been written (atomically), and the
// next build, finding outputs it did not record, renders them again. Page
// failures are in the report.
Result<BuildReport> run_build(const SitePaths& paths, const BuildOptions& options, const Clock& clock);

}  // namespace isrgen
