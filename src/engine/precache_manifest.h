// The service-worker precache manifest of a tenant with [tenants.<id>]
// precache = true: out/<id>/precache-manifest.json, a JSON array of
// {"url", "revision"} (the shape Workbox's precaching takes) listing the
// tenant's pages and static files at their tenant-relative URLs, each with the
// content hash the state index already holds for it, so a build never reads
// an output again to write it. The file is rewritten only when its bytes
// change, atomically; a tenant that turns precache off loses it.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "engine/disk.h"
#include "site/site_config.h"
#include "state/dep_index.h"
#include "util/error.h"

namespace isrgen {

inline constexpr const char* kPrecacheManifestName = "precache-manifest.json";

struct PrecacheEntry {
  std::string url;       // tenant-relative: "/summer/", "/css/site.css"
  std::string revision;  // the content hash of the output
};

// The manifest's bytes: entries sorted by URL, one a line, newline at the end.
std::string precache_manifest_json(std::vector<PrecacheEntry> entries);

struct PrecacheOutcome {
  std::vector<std::string> written;  // manifests written (their bytes changed), relative to out/
  std::vector<std::string> removed;  // manifests of tenants that turned precache off, or are gone
  std::vector<Error> errors;
};

// Brings every tenant's manifest up to date with `pages` (every page with an
// output now) and `static_files` (every static output now, relative to out/).
// A static file at the manifest's place is an error, and is left as it is.
// The manifest of each of `former_tenants` (tenants of the last build that
// the site no longer has) is removed with the rest of their output.
PrecacheOutcome write_precache_manifests(const std::filesystem::path& out, const SiteConfig& config,
                                         const std::vector<const PageRecord*>& pages,
                                         const std::map<std::string, StoredStaticFile>& static_files, Disk& disk,
                                         const std::set<std::string>& former_tenants = {});

}  // namespace isrgen
