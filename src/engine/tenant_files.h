// The files each tenant gets beside its pages: its sitemap (engine/sitemap.h),
// its robots.txt and its 404 pages (engine/not_found_page.h renders them).
// Each is made from what the state index and the build already hold, rewritten
// (atomically) only when its bytes change, and removed when the tenant turns
// it off or is gone.
//
// robots.txt allows everything unless [tenants.<id>] robots = """...""" gives
// the rules; either way it ends with the sitemap's absolute URL while the
// sitemap is on. A file of static/<id>/ at one of these places wins: it is
// copied as it is and nothing is generated there (for the sitemap, whose URLs
// isrgen knows, that is an error instead, as two sitemaps would disagree).
#pragma once

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "engine/disk.h"
#include "engine/sitemap.h"
#include "site/site_config.h"
#include "state/dep_index.h"
#include "util/error.h"

namespace isrgen {

inline constexpr const char* kRobotsName = "robots.txt";
inline constexpr const char* kNotFoundName = "404.html";

// robots.txt of `tenant`: its rules (or allow all), then the Sitemap line.
std::string robots_txt(const TenantConfig& tenant);

// What the tenant files are made of, as the index will know it once the build is recorded.
struct TenantFileInputs {
  std::vector<const PageRecord*> pages;        // every page with an output
  std::vector<const DeferredPage*> deferred;   // pages waiting for their first request: real URLs too
  const std::map<std::string, StoredStaticFile>* static_files = nullptr;  // every static output now
  // The 404 pages rendered, by output ("acme/404.html", "acme/de/404.html"),
  // and the outputs of those that could not be (they keep their last good file).
  std::map<std::string, std::string> not_found_pages;
  std::set<std::string> not_found_failed;
  std::set<std::string> former_tenants;    // tenants of the last build the site no longer has
  std::set<std::string> former_languages;  // languages of the last build the site no longer has
};

struct TenantFilesOutcome {
  std::vector<std::string> written;  // relative to out/
  std::vector<std::string> removed;
  std::vector<Error> errors;
};

// Brings every tenant's sitemap, robots.txt and 404 pages up to date.
TenantFilesOutcome write_tenant_files(const std::filesystem::path& out, const SiteConfig& config,
                                      const TenantFileInputs& inputs, Disk& disk, const SitemapLimits& limits = {});

// Where `tenant`'s 404 page in `lang` is published: "acme/404.html" for the
// default language, "acme/de/404.html" for another.
std::string not_found_output(const std::string& tenant, const std::string& lang, const std::string& default_language);

}  // namespace isrgen
