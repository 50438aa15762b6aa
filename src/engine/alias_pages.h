// Redirects from the `aliases` of pages' front matter (site/aliases.h). For
// each alias the build writes a small HTML page at the alias's output path
// (out/<tenant>/old-url/index.html): a meta refresh, a canonical link and a
// plain link to the page's permalink, which is what a folder target can serve.
// Each tenant's redirects are recorded in out/<tenant>/.isrgen-redirects.json
// ({"/old-url/": {"location", "target", "page", "lang", "output"}}), which
// `sync` (x-amz-website-redirect-location on S3), `serve` and `dev` (a 301)
// read, and which the next build starts from.
//
// The record lives in the output, not in the state index, because all of its
// readers read the output (sync and serve may run where only out/ travelled)
// and it describes files of the output: it is rewritten in the same step as
// the alias pages it lists, so the two never disagree.
//
// An alias belongs to the page's variant of its language ("/de/alt/" to the
// German one, when the page has German; else to the default language's). It
// stays with the page until the page renders without it or is removed; a
// page that fails keeps its aliases. An alias at a page's output, at a static
// file, or claimed by another page already is an error at the aliases line.
#pragma once

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "engine/disk.h"
#include "site/page_file.h"
#include "site/site_config.h"
#include "state/dep_index.h"
#include "util/error.h"

namespace isrgen {

inline constexpr const char* kRedirectsName = ".isrgen-redirects.json";

// A page variant rendered now, with the aliases its front matter names.
struct AliasClaim {
  PageKey key;
  std::string tenant;
  std::string url;                     // the page's tenant-relative URL, where the aliases lead
  std::vector<std::string> languages;  // every language the page has
  const PageFile* file = nullptr;      // its merged front matter
};

struct AliasInputs {
  std::vector<AliasClaim> rendered;
  std::set<PageKey> removed;                    // pages gone: their aliases go too
  std::set<std::string> page_outputs;           // every page's output now, deferred ones included
  const std::map<std::string, StoredStaticFile>* static_files = nullptr;
  std::set<std::string> former_tenants;
};

struct AliasOutcome {
  std::vector<std::string> written;  // relative to out/
  std::vector<std::string> removed;
  std::vector<Error> errors;
};

// Brings every tenant's alias pages and redirect record up to date.
AliasOutcome write_alias_pages(const std::filesystem::path& out, const SiteConfig& config, const AliasInputs& inputs,
                               Disk& disk);

// One entry of a tenant's record of redirects.
struct RecordedRedirect {
  std::string location;  // absolute: the page's permalink
  std::string target;    // tenant-relative URL of the page
  PageKey key;           // the page variant the alias belongs to
  std::string output;    // the alias page, relative to out/
  bool operator==(const RecordedRedirect&) const = default;
};
using RedirectsByAlias = std::map<std::string, RecordedRedirect>;  // "/old/" -> entry

// A record's text read back; anything but the JSON object isrgen writes
// gives nothing, and an entry without a location or output is left out.
RedirectsByAlias parse_redirect_record(std::string_view text);
// The record's bytes.
std::string redirect_record_json(const RedirectsByAlias& redirects);

// The HTML written at an alias: a refresh to `location` (an absolute URL).
std::string alias_page_html(const std::string& location, const std::string& lang);

}  // namespace isrgen
