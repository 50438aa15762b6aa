// content/site.toml: site settings, tenants and data sources (ARCHITECTURE §1).
// Parsed once per build; the raw tables are kept as JSON because templates see
// them as `site` and `tenant`.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/error.h"

namespace isrgen {

struct TenantConfig {
  std::string id;        // folder name under content/pages/, e.g. "acme"
  std::string name;
  std::string base_url;  // without trailing slash, e.g. "https://acme.example"
  nlohmann::json table;  // the whole [tenants.<id>] table plus "id"
  int line = 0;
};

struct SourceConfig {
  std::string name;
  std::string file;              // local source, relative to content/
  std::string url;               // remote source
  int64_t revalidate_seconds = -1;  // -1: never stale
  nlohmann::json headers = nlohmann::json::object();
  std::string items_path;
  int line = 0;

  bool is_remote() const { return !url.empty(); }
};

struct SiteConfig {
  std::string display_path = "content/site.toml";
  std::string default_language = "en";
  std::vector<std::string> languages{"en"};  // default language first
  bool unsafe_html = false;
  nlohmann::json site_table = nlohmann::json::object();  // [site], as templates see it
  std::map<std::string, TenantConfig> tenants;
  std::map<std::string, SourceConfig> sources;

  bool has_language(std::string_view language) const;
};

Result<SiteConfig> parse_site_config(std::string_view text, std::string display_path);

}  // namespace isrgen
