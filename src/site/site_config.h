// content/site.toml: site settings, tenants and data sources (ARCHITECTURE §1).
// Parsed once per build; the raw tables are kept as JSON because templates see
// them as `site` and `tenant`.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "site/cache_profile.h"
#include "site/key_warning.h"
#include "util/error.h"

namespace isrgen {

struct TenantConfig {
  std::string id;        // folder name under content/pages/, e.g. "acme"
  std::string name;
  std::string base_url;  // without trailing slash, e.g. "https://acme.example"
  bool precache = false;  // write out/<id>/precache-manifest.json (engine/precache_manifest.h)
  nlohmann::json table;  // the whole [tenants.<id>] table plus "id"
  int line = 0;
  bool sitemap = true;  // write out/<id>/sitemap.xml (engine/sitemap.h)
  // The rules of out/<id>/robots.txt (engine/tenant_files.h) before its
  // Sitemap line; unset: allow everything.
  std::optional<std::string> robots = std::nullopt;
};

// How a remote source is fetched; every field has a [sources.X] key of the same name.
struct FetchSettings {
  int64_t connect_timeout_ms = 5'000;
  int64_t timeout_ms = 30'000;
  int retries = 3;
  int64_t retry_delay_ms = 500;
  int64_t max_bytes = 16 << 20;
};

struct SourceConfig {
  std::string name;
  std::string file;  // local source, relative to content/
  std::string url;   // remote source
  // Seconds after a fetch until the snapshot is stale and refetched; -1: never
  // stale (fetched once, then only by `revalidate --tag`). From the source or its profile.
  int64_t revalidate_seconds = -1;
  // Seconds after a fetch past which a snapshot is no longer served when the
  // refetch fails; -1: served for ever. From the source or its profile.
  int64_t expire_seconds = -1;
  // Seconds a browser may keep a page showing the source; -1: no bound of the
  // source's own. From its profile.
  int64_t stale_seconds = -1;
  std::string profile;  // `cache = "<profile>"` (or `profile = ...`); "" when none
  nlohmann::json headers = nlohmann::json::object();  // name -> value with ${ENV} references, unexpanded
  std::string items_path;  // "data.items": where the records are in the response
  std::string fallback;    // records bundled with the site for a first build offline, relative to content/
  FetchSettings fetch;
  int line = 0;

  bool is_remote() const { return !url.empty(); }
  // What showing the source asks of a page's cache profile: its profile with
  // the source's own revalidate and expire; a local source asks nothing (no bound).
  CacheProfile page_cache() const;
  // What makes a stored snapshot this source's (url, items_path, headers as
  // written): a change means the snapshot came from elsewhere and is refetched.
  std::string origin_key() const;
};

// [build] prerender: which pages a build renders ahead of their first
// request. kHigh renders pages of priority "high" and defers the others until
// they are asked for (isrgen serve, revalidate --path); a page rendered once
// is kept up to date like any other from then on.
enum class Prerender { kAll, kHigh };

// [limits]: how large and how deep an input may be. The defaults are far past
// any honest site; hostile input (a YAML "billion laughs", JSON nested 100,000
// deep) stops at them and fails only the input that crossed one.
struct InputLimits {
  int64_t page_bytes = 4 << 20;        // a page file, front matter and Markdown
  int64_t template_bytes = 1 << 20;    // a layout, partial or component
  int64_t data_bytes = 64 << 20;       // a local data file (remote ones: max_bytes of the source)
  int64_t static_bytes = int64_t{1} << 30;  // a file of static/, held in memory while it is hashed and copied
  int front_matter_depth = 64;         // nesting of front matter mappings and sequences
  int64_t front_matter_nodes = 100'000;  // values in front matter, each alias counted as the value it repeats
  int json_depth = 64;                 // nesting of a data source's JSON, local or remote
  int64_t image_bytes = 64 << 20;      // an image given responsive variants, read whole to decode it
  int64_t image_pixels = 100'000'000;  // width x height of such an image (a decompression bomb stops here)

  // "limits.<name> in content/site.toml": how a message names a limit's setting.
  static std::string setting(std::string_view name);
  bool operator==(const InputLimits&) const = default;
};

// [images]: the responsive variants of the images pages show
// (assets/asset_rewriter.h). A variant is never wider than its image.
struct ImageSettings {
  std::vector<int> widths{320, 640, 960, 1280};  // ascending, unique
  std::vector<std::string> formats{"webp"};      // offered in <source> before the image's own format
  int quality = 80;                              // 1-100
  bool placeholder = false;                      // a blurred placeholder inlined on every image
  bool strip_metadata = true;                    // EXIF, XMP and IPTC dropped (orientation applied first)
  std::vector<std::string> remote_hosts;         // hosts whose images are fetched and given variants too (lower case)
  bool operator==(const ImageSettings&) const = default;
};

// content/site.toml itself has a fixed cap: it holds the limits of the rest.
inline constexpr int64_t kMaxSiteSettingsBytes = 1 << 20;

struct SiteConfig {
  std::string display_path = "content/site.toml";
  Prerender prerender = Prerender::kAll;
  std::string default_language = "en";
  std::vector<std::string> languages{"en"};  // default language first
  bool unsafe_html = false;
  nlohmann::json site_table = nlohmann::json::object();  // [site], as templates see it
  std::map<std::string, TenantConfig> tenants;
  std::map<std::string, SourceConfig> sources;
  // The built-in cache profiles and those of [cache.profiles.<name>] (also
  // written [profiles.<name>]), which may redefine a built-in one.
  std::map<std::string, CacheProfile, std::less<>> profiles = builtin_cache_profiles();
  std::string default_profile{kDefaultProfileName};  // [cache] default: for pages that name none
  InputLimits limits;
  ImageSettings images;
  // Keys isrgen does not read: typos, warned about by each build (errors under --strict).
  std::vector<KeyWarning> key_warnings;

  bool has_language(std::string_view language) const;
  const CacheProfile* find_profile(std::string_view name) const;
  // "default, days, ...": the profile names, for a message about an unknown one.
  std::string profile_names() const;
};

Result<SiteConfig> parse_site_config(std::string_view text, std::string display_path);

struct SitePaths;
// <site>/content/site.toml, read and parsed.
Result<SiteConfig> load_site_config(const SitePaths& paths);

// The text of <site>/content/site.toml for a run that parses more than one
// table of it (the build's settings and [deploy]) from one read; a failure
// asks whether --site names the site folder, as load_site_config's does.
Result<std::string> read_site_settings(const SitePaths& paths);

// The text of <site_root>/content/site.toml, read beneath the site folder (no
// link out of it) and at most kMaxSiteSettingsBytes long. Every reader of the
// settings ([serve], [deploy]) goes through here.
Result<std::string> read_site_settings(const std::filesystem::path& site_root);

}  // namespace isrgen
