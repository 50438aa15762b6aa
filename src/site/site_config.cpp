#include "site/site_config.h"

#include <algorithm>
#include <cctype>
#include <regex>
#include <set>

#include "site/site_paths.h"
#include "site/toml_document.h"
#include "util/confined_file.h"
#include "util/fs.h"
#include "util/nearest_word.h"

namespace isrgen {
namespace {

using nlohmann::json;

json to_json(const toml::node& node) {
  if (auto* table = node.as_table()) {
    json out = json::object();
    for (auto& [key, value] : *table) out[std::string(key.str())] = to_json(value);
    return out;
  }
  if (auto* array = node.as_array()) {
    json out = json::array();
    for (auto& value : *array) out.push_back(to_json(value));
    return out;
  }
  if (auto* text = node.as_string()) return text->get();
  if (auto* integer = node.as_integer()) return integer->get();
  if (auto* floating = node.as_floating_point()) return floating->get();
  if (auto* boolean = node.as_boolean()) return boolean->get();
  // Dates and times: their TOML spelling is what a template would want.
  std::ostringstream spelled;
  if (auto* date = node.as_date()) spelled << *date;
  else if (auto* time = node.as_time()) spelled << *time;
  else if (auto* date_time = node.as_date_time()) spelled << *date_time;
  return spelled.str();
}

int line_of(const toml::node& node) { return static_cast<int>(node.source().begin.line); }

bool is_valid_id(const std::string& id) {
  static const std::regex pattern("[a-z0-9][a-z0-9_-]*");
  return std::regex_match(id, pattern);
}

class ConfigParser {
 public:
  ConfigParser(const toml::table& root, std::string display_path) : root_(root) {
    config_.display_path = std::move(display_path);
  }

  Result<SiteConfig> parse() {
    static const std::vector<std::string> tables = {"site",   "build",  "tenants", "cache", "profiles",
                                                    "sources", "limits", "deploy", "serve",  "images"};
    for (auto& [key, node] : root_)
      if (std::find(tables.begin(), tables.end(), key.str()) == tables.end())
        config_.key_warnings.push_back(
            unknown_key(std::string(key.str()), tables, config_.display_path, line_of(node), "the top level"));
    if (auto status = parse_site(); !status.ok()) return status.error();
    if (auto status = parse_build(); !status.ok()) return status.error();
    if (auto status = parse_tenants(); !status.ok()) return status.error();
    if (auto status = parse_profiles(); !status.ok()) return status.error();
    if (auto status = parse_sources(); !status.ok()) return status.error();
    if (auto status = parse_limits(); !status.ok()) return status.error();
    if (auto status = parse_images(); !status.ok()) return status.error();
    return std::move(config_);
  }

 private:
  Error error_at(const toml::node& node, std::string message) const {
    return make_error(config_.display_path, line_of(node), std::move(message));
  }

  Status parse_site() {
    const toml::table* site = root_["site"].as_table();
    if (!site) return Status::Ok();
    config_.site_table = to_json(*site);
    for (auto& [key, node] : *site)
      if (auto typo = near_owned_key(std::string(key.str()), {"default_language", "languages", "unsafe_html", "lang"},
                                     config_.display_path, line_of(node), "[site]"))
        config_.key_warnings.push_back(std::move(*typo));
    if (auto* value = site->get("default_language")) {
      if (!value->is_string()) return error_at(*value, "[site] default_language must be a string like \"en\"");
      config_.default_language = value->as_string()->get();
    }
    std::vector<std::string> languages;
    if (auto* value = site->get("languages")) {
      auto* array = value->as_array();
      if (!array) return error_at(*value, "[site] languages must be an array like [\"en\", \"de\"]");
      for (auto& entry : *array) {
        if (!entry.is_string()) return error_at(entry, "[site] languages must hold strings");
        languages.push_back(entry.as_string()->get());
      }
    }
    if (languages.empty()) languages.push_back(config_.default_language);
    auto found = std::find(languages.begin(), languages.end(), config_.default_language);
    if (found == languages.end())
      return make_error(config_.display_path, line_of(*site),
                        "default_language '" + config_.default_language + "' is not in [site] languages");
    std::rotate(languages.begin(), found, found + 1);  // default first, the rest in written order
    config_.languages = std::move(languages);
    if (auto* value = site->get("unsafe_html")) {
      if (!value->is_boolean()) return error_at(*value, "[site] unsafe_html must be true or false");
      config_.unsafe_html = value->as_boolean()->get();
    }
    config_.site_table["default_language"] = config_.default_language;
    config_.site_table["languages"] = config_.languages;
    return Status::Ok();
  }

  Status parse_build() {
    const toml::node* node = root_.get("build");
    if (!node) return Status::Ok();
    const toml::table* build = node->as_table();
    if (!build) return error_at(*node, "'build' must be a table: [build]");
    for (auto& [key, value] : *build) {
      if (key.str() != "prerender")
        return error_at(value, "unknown setting '" + std::string(key.str()) + "' in [build]" +
                                   known_words_hint(key.str(), {"prerender"}));
      auto mode = value.value<std::string>();
      if (mode == "all") config_.prerender = Prerender::kAll;
      else if (mode == "high") config_.prerender = Prerender::kHigh;
      else
        return error_at(value, "[build] prerender must be \"all\" (render every page ahead) or \"high\" (render "
                               "pages of priority high ahead, the others on their first request)");
    }
    return Status::Ok();
  }

  Status parse_tenants() {
    const toml::node_view tenants_node = root_["tenants"];
    const toml::table* tenants = tenants_node.as_table();
    if (!tenants || tenants->empty())
      return make_error(config_.display_path, 0, "no tenants: add a [tenants.<id>] table with name and base_url");
    for (auto& [key, node] : *tenants) {
      std::string id(key.str());
      auto* table = node.as_table();
      if (!table) return error_at(node, "tenants." + id + " must be a table");
      if (!is_valid_id(id))
        return error_at(node, "tenant id '" + id + "' must be lowercase letters, digits, '-' or '_'");
      for (auto& [setting, value] : *table)
        if (auto typo = near_owned_key(std::string(setting.str()), {"name", "base_url", "lang", "precache", "sitemap", "robots"},
                                       config_.display_path,
                                       line_of(value), "[tenants." + id + "]"))
          config_.key_warnings.push_back(std::move(*typo));
      TenantConfig tenant;
      tenant.id = id;
      tenant.line = line_of(node);
      tenant.name = table->get_as<std::string>("name") ? table->get_as<std::string>("name")->get() : id;
      auto* base_url = table->get_as<std::string>("base_url");
      if (!base_url) return error_at(node, "[tenants." + id + "] needs base_url = \"https://...\"");
      tenant.base_url = base_url->get();
      if (!tenant.base_url.starts_with("http://") && !tenant.base_url.starts_with("https://"))
        return error_at(*base_url, "base_url of tenant '" + id + "' must start with http:// or https://");
      while (tenant.base_url.ends_with('/')) tenant.base_url.pop_back();
      if (const toml::node* precache = table->get("precache")) {
        if (!precache->is_boolean()) return error_at(*precache, "precache of tenant '" + id + "' must be true or false");
        tenant.precache = precache->value<bool>().value_or(false);
      }
      if (const toml::node* sitemap = table->get("sitemap")) {
        if (!sitemap->is_boolean()) return error_at(*sitemap, "sitemap of tenant '" + id + "' must be true or false");
        tenant.sitemap = sitemap->value<bool>().value_or(true);
      }
      if (const toml::node* robots = table->get("robots")) {
        if (!robots->is_string())
          return error_at(*robots, "robots of tenant '" + id + "' must be the text of robots.txt, e.g. robots = \"\"\"\n"
                                   "User-agent: *\nDisallow: /drafts/\n\"\"\"");
        tenant.robots = robots->value<std::string>();
      }
      tenant.table = to_json(*table);
      tenant.table["id"] = id;
      tenant.table["name"] = tenant.name;
      tenant.table["base_url"] = tenant.base_url;
      config_.tenants.emplace(id, std::move(tenant));
    }
    return Status::Ok();
  }

  Status parse_sources() {
    const toml::table* sources = root_["sources"].as_table();
    if (!sources) return Status::Ok();
    for (auto& [key, node] : *sources) {
      std::string name(key.str());
      auto* table = node.as_table();
      if (!table) return error_at(node, "sources." + name + " must be a table");
      if (!is_valid_id(name))
        return error_at(node, "source name '" + name + "' must be lowercase letters, digits, '-' or '_'");
      auto source = parse_source(name, *table);
      if (!source.ok()) return source.error();
      config_.sources.emplace(name, std::move(source.value()));
    }
    return Status::Ok();
  }

  // A whole number of seconds >= 0, for revalidate and expire.
  Result<int64_t> whole_seconds(const toml::node& node, const std::string& what) const {
    auto* seconds = node.as_integer();
    if (!seconds || seconds->get() < 0) return error_at(node, what + " must be a whole number of seconds >= 0");
    return seconds->get();
  }

  // A duration in seconds, fractions allowed (timeout = 2.5), as milliseconds.
  Result<int64_t> duration_ms(const toml::node& node, const std::string& what) const {
    double seconds = -1;
    if (auto* integer = node.as_integer()) seconds = static_cast<double>(integer->get());
    if (auto* floating = node.as_floating_point()) seconds = floating->get();
    if (seconds < 0 || seconds > 86'400)
      return error_at(node, what + " must be a number of seconds between 0 and 86400");
    return static_cast<int64_t>(seconds * 1000 + 0.5);
  }

  Result<int64_t> positive_integer(const toml::node& node, const std::string& what, int64_t max) const {
    auto* integer = node.as_integer();
    if (!integer || integer->get() < 0 || integer->get() > max)
      return error_at(node, what + " must be a whole number from 0 to " + std::to_string(max));
    return integer->get();
  }

  Status check_expire(const toml::node& where, int64_t revalidate, int64_t expire, const std::string& what) const {
    if (revalidate >= 0 && expire >= 0 && expire < revalidate)
      return error_at(where, what + ": expire (" + std::to_string(expire) + " s) must not be shorter than revalidate (" +
                                 std::to_string(revalidate) + " s)");
    return Status::Ok();
  }

  Status parse_limits() {
    const toml::node* node = root_.get("limits");
    if (!node) return Status::Ok();
    const toml::table* limits = node->as_table();
    if (!limits) return error_at(*node, "'limits' must be a table: [limits]");
    InputLimits& into = config_.limits;
    static const std::vector<std::string> kLimitNames = {"page_bytes",         "template_bytes",     "data_bytes",
                                                         "static_bytes",       "front_matter_depth", "front_matter_nodes",
                                                         "json_depth",         "image_bytes",        "image_pixels"};
    // Depths stay below what recursive code over a document can take.
    constexpr int64_t kMaxDepth = 1000, kMaxCount = int64_t{1} << 40;
    for (auto& [key, setting] : *limits) {
      const std::string name(key.str());
      auto& value = setting;  // a reference the lambda can capture (clang 14 captures no structured binding)
      auto set = [&](auto& field, int64_t max) -> Status {
        Result<int64_t> number = positive_integer(value, "limits." + name, max);
        if (!number.ok()) return number.error();
        if (number.value() == 0) return error_at(value, "limits." + name + " must be at least 1");
        field = static_cast<std::remove_reference_t<decltype(field)>>(number.value());
        return Status::Ok();
      };
      Status status = name == "page_bytes"           ? set(into.page_bytes, kMaxCount)
                      : name == "template_bytes"     ? set(into.template_bytes, kMaxCount)
                      : name == "data_bytes"         ? set(into.data_bytes, kMaxCount)
                      : name == "static_bytes"       ? set(into.static_bytes, kMaxCount)
                      : name == "front_matter_depth" ? set(into.front_matter_depth, kMaxDepth)
                      : name == "front_matter_nodes" ? set(into.front_matter_nodes, kMaxCount)
                      : name == "json_depth"         ? set(into.json_depth, kMaxDepth)
                      : name == "image_bytes"        ? set(into.image_bytes, kMaxCount)
                      : name == "image_pixels"       ? set(into.image_pixels, kMaxCount)
                                                     : Status(error_at(value, "unknown setting '" + name +
                                                                                  "' in [limits]" +
                                                                                  known_words_hint(name, kLimitNames)));
      if (!status.ok()) return status;
    }
    return Status::Ok();
  }

  Status parse_images() {
    const toml::node* node = root_.get("images");
    if (!node) return Status::Ok();
    const toml::table* images = node->as_table();
    if (!images) return error_at(*node, "'images' must be a table: [images]");
    ImageSettings& into = config_.images;
    static const std::vector<std::string> kNames = {"widths",      "formats",        "quality",
                                                    "placeholder", "strip_metadata", "remote_hosts"};
    for (auto& [key, value] : *images) {
      const std::string name(key.str());
      if (name == "widths") {
        const toml::array* array = value.as_array();
        if (!array || array->empty())
          return error_at(value, "[images] widths must be a non-empty array of pixel widths like [320, 640, 960, 1280]");
        into.widths.clear();
        for (const toml::node& entry : *array) {
          auto* width = entry.as_integer();
          if (!width || width->get() < 1 || width->get() > 16384)
            return error_at(entry, "[images] widths must hold whole numbers from 1 to 16384");
          into.widths.push_back(static_cast<int>(width->get()));
        }
        std::sort(into.widths.begin(), into.widths.end());
        into.widths.erase(std::unique(into.widths.begin(), into.widths.end()), into.widths.end());
      } else if (name == "formats") {
        const toml::array* array = value.as_array();
        if (!array) return error_at(value, "[images] formats must be an array like [\"webp\"] (or [] for none)");
        into.formats.clear();
        for (const toml::node& entry : *array) {
          auto format = entry.value<std::string>();
          if (format != "webp" && format != "avif")
            return error_at(entry, "[images] formats may hold \"webp\" and \"avif\" (the image's own format is always "
                                   "the fallback)");
          if (std::find(into.formats.begin(), into.formats.end(), *format) == into.formats.end())
            into.formats.push_back(*format);
        }
      } else if (name == "remote_hosts") {
        const toml::array* array = value.as_array();
        if (!array) return error_at(value, "[images] remote_hosts must be an array of host names like [\"cms.example\"]");
        into.remote_hosts.clear();
        for (const toml::node& entry : *array) {
          auto host = entry.value<std::string>();
          static const std::regex kHost("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?");
          if (!host || !std::regex_match(*host, kHost))
            return error_at(entry, "[images] remote_hosts must hold host names like \"cms.example\" (no scheme, port or path)");
          std::string lower = *host;
          for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
          into.remote_hosts.push_back(std::move(lower));
        }
      } else if (name == "quality") {
        auto* quality = value.as_integer();
        if (!quality || quality->get() < 1 || quality->get() > 100)
          return error_at(value, "[images] quality must be a whole number from 1 to 100");
        into.quality = static_cast<int>(quality->get());
      } else if (name == "placeholder" || name == "strip_metadata") {
        if (!value.is_boolean()) return error_at(value, "[images] " + name + " must be true or false");
        (name == "placeholder" ? into.placeholder : into.strip_metadata) = value.as_boolean()->get();
      } else {
        return error_at(value, "unknown setting '" + name + "' in [images]" + known_words_hint(name, kNames));
      }
    }
    return Status::Ok();
  }

  // A data file named in site.toml is read from content/, never from beside
  // or above the site.
  Status check_inside_content(const toml::node& node, const std::string& what, const std::string& file) const {
    std::filesystem::path path(file);
    std::filesystem::path normal = path.lexically_normal();
    if (path.is_absolute() || normal.empty() || *normal.begin() == "..")
      return error_at(node, what + " '" + file + "' must be a path inside content/, like \"data/records.json\"");
    return Status::Ok();
  }

  // [cache.profiles.<name>] and the older spelling [profiles.<name>], then
  // [cache] default, which may name any of them.
  Status parse_profiles() {
    std::set<std::string> defined;
    const toml::node* cache_node = root_.get("cache");
    const toml::table* cache = cache_node ? cache_node->as_table() : nullptr;
    if (cache_node && !cache) return error_at(*cache_node, "'cache' must be a table: [cache]");
    for (auto [table_node, where] : {std::pair{root_.get("profiles"), std::string("profiles")},
                                     std::pair{cache ? cache->get("profiles") : nullptr, std::string("cache.profiles")}}) {
      if (!table_node) continue;
      const toml::table* profiles = table_node->as_table();
      if (!profiles) return error_at(*table_node, "'" + where + "' must hold tables: [" + where + ".<name>]");
      for (auto& [key, node] : *profiles) {
        auto profile = parse_profile(std::string(key.str()), node, where);
        if (!profile.ok()) return profile.error();
        if (!defined.insert(profile.value().name).second)
          return error_at(node, "cache profile '" + profile.value().name + "' is defined twice");
        config_.profiles.insert_or_assign(profile.value().name, std::move(profile.value()));
      }
    }
    if (!cache) return Status::Ok();
    for (auto& [key, value] : *cache) {
      if (key.str() == "profiles") continue;
      if (key.str() != "default")
        return error_at(value, "unknown setting '" + std::string(key.str()) + "' in [cache]" +
                                   known_words_hint(key.str(), {"default", "profiles"}));
      auto name = profile_name(value, "[cache] default");
      if (!name.ok()) return name.error();
      config_.default_profile = name.value();
    }
    return Status::Ok();
  }

  Result<CacheProfile> parse_profile(std::string name, const toml::node& node, const std::string& where) const {
    const std::string what = "[" + where + "." + name + "]";
    auto* table = node.as_table();
    if (!table) return error_at(node, what + " must be a table with stale, revalidate and expire");
    if (!is_valid_id(name))
      return error_at(node, "cache profile name '" + name + "' must be lowercase letters, digits, '-' or '_'");
    CacheProfile profile;
    profile.name = name;
    profile.line = line_of(node);
    // A browser's time left out is the default profile's: no bound there
    // would let browsers keep a page for a year.
    profile.stale_seconds = builtin_cache_profiles().at(std::string(kDefaultProfileName)).stale_seconds;
    for (auto& [setting, value] : *table) {
      int64_t* target = setting.str() == "stale"        ? &profile.stale_seconds
                        : setting.str() == "revalidate" ? &profile.revalidate_seconds
                        : setting.str() == "expire"     ? &profile.expire_seconds
                                                        : nullptr;
      if (!target)
        return error_at(value, "unknown setting '" + std::string(setting.str()) + "' in " + what +
                                   known_words_hint(setting.str(), {"stale", "revalidate", "expire"}));
      Result<int64_t> seconds = whole_seconds(value, what + " " + std::string(setting.str()));
      if (!seconds.ok()) return seconds.error();
      *target = seconds.value();
    }
    if (auto checked = check_expire(node, profile.revalidate_seconds, profile.expire_seconds, what); !checked.ok())
      return checked.error();
    return profile;
  }

  // A string naming a known cache profile.
  Result<std::string> profile_name(const toml::node& node, const std::string& what) const {
    if (!node.is_string()) return error_at(node, what + " must be a cache profile name, like \"hours\"");
    std::string name = node.as_string()->get();
    if (!config_.find_profile(name))
      return error_at(node, "unknown cache profile '" + name + "' (profiles: " + config_.profile_names() +
                                "; add [cache.profiles." + name + "] with stale, revalidate and expire)");
    return name;
  }

  Result<SourceConfig> parse_source(const std::string& name, const toml::table& table) {
    static const std::vector<std::string> local_keys = {"file"};
    static const std::vector<std::string> remote_keys = {
        "url",     "revalidate", "expire",      "cache",   "profile",     "headers",     "items_path",
        "fallback", "timeout",   "connect_timeout", "retries", "retry_delay", "max_bytes"};
    const std::string where = "[sources." + name + "]";
    for (auto& [key, value] : table) {
      bool local = std::find(local_keys.begin(), local_keys.end(), key.str()) != local_keys.end();
      bool remote = std::find(remote_keys.begin(), remote_keys.end(), key.str()) != remote_keys.end();
      if (!local && !remote) {
        std::vector<std::string> known = local_keys;
        known.insert(known.end(), remote_keys.begin(), remote_keys.end());
        return error_at(value, "unknown setting '" + std::string(key.str()) + "' in " + where +
                                   known_words_hint(key.str(), known));
      }
    }
    SourceConfig source;
    source.name = name;
    source.line = line_of(table);
    if (auto* file = table.get_as<std::string>("file")) {
      source.file = file->get();
      if (auto inside = check_inside_content(*file, "file of source '" + name + "'", source.file); !inside.ok())
        return inside.error();
    }
    if (auto* url = table.get_as<std::string>("url")) source.url = url->get();
    if (source.file.empty() == source.url.empty())
      return error_at(table, where + " needs exactly one of file = \"data/" + name +
                                 ".json\" or url = \"https://...\"");
    if (!source.is_remote()) {
      for (auto& [key, value] : table)
        if (key.str() != "file")
          return error_at(value, "'" + std::string(key.str()) + "' in " + where +
                                     " applies to remote sources only (url = \"https://...\"); a file source is "
                                     "read again whenever the file changes");
      return source;
    }
    if (!source.url.starts_with("http://") && !source.url.starts_with("https://"))
      return error_at(*table.get("url"), "url of source '" + name + "' must start with http:// or https://");
    if (table.get("profile") && table.get("cache"))
      return error_at(*table.get("profile"), where + " names its profile twice: keep cache = \"...\"");
    if (auto* profile = table.get("cache") ? table.get("cache") : table.get("profile")) {
      auto chosen = profile_name(*profile, "cache of source '" + name + "'");
      if (!chosen.ok()) return chosen.error();
      const CacheProfile& found = *config_.find_profile(chosen.value());
      source.profile = chosen.value();
      source.stale_seconds = found.stale_seconds;
      source.revalidate_seconds = found.revalidate_seconds;
      source.expire_seconds = found.expire_seconds;
    }
    // The source's own times override its profile's.
    for (auto [key, target] : {std::pair{"revalidate", &source.revalidate_seconds}, std::pair{"expire", &source.expire_seconds}})
      if (auto* node = table.get(key)) {
        Result<int64_t> seconds = whole_seconds(*node, std::string(key) + " of source '" + name + "'");
        if (!seconds.ok()) return seconds.error();
        *target = seconds.value();
      }
    if (auto checked = check_expire(table, source.revalidate_seconds, source.expire_seconds, "source '" + name + "'");
        !checked.ok())
      return checked.error();
    if (auto* headers = table.get("headers")) {
      if (!headers->is_table()) return error_at(*headers, "headers of source '" + name + "' must be a table");
      for (auto& [header, value] : *headers->as_table())
        if (!value.is_string())
          return error_at(value, "header '" + std::string(header.str()) + "' of source '" + name + "' must be a string");
      source.headers = to_json(*headers);
    }
    if (auto* items_path = table.get_as<std::string>("items_path")) source.items_path = items_path->get();
    if (auto* fallback = table.get_as<std::string>("fallback")) {
      source.fallback = fallback->get();
      if (auto inside = check_inside_content(*fallback, "fallback of source '" + name + "'", source.fallback);
          !inside.ok())
        return inside.error();
    }
    for (auto [key, target] : {std::pair{"timeout", &source.fetch.timeout_ms},
                               std::pair{"connect_timeout", &source.fetch.connect_timeout_ms},
                               std::pair{"retry_delay", &source.fetch.retry_delay_ms}})
      if (auto* node = table.get(key)) {
        Result<int64_t> ms = duration_ms(*node, std::string(key) + " of source '" + name + "'");
        if (!ms.ok()) return ms.error();
        *target = ms.value();
      }
    if (auto* retries = table.get("retries")) {
      Result<int64_t> count = positive_integer(*retries, "retries of source '" + name + "'", 10);
      if (!count.ok()) return count.error();
      source.fetch.retries = static_cast<int>(count.value());
    }
    if (auto* max_bytes = table.get("max_bytes")) {
      Result<int64_t> bytes = positive_integer(*max_bytes, "max_bytes of source '" + name + "'", int64_t{1} << 40);
      if (!bytes.ok()) return bytes.error();
      source.fetch.max_bytes = bytes.value();
    }
    return source;
  }

  const toml::table& root_;
  SiteConfig config_;
};

}  // namespace

std::string SourceConfig::origin_key() const { return url + "\n" + items_path + "\n" + headers.dump(); }

CacheProfile SourceConfig::page_cache() const {
  if (!is_remote()) return CacheProfile{"source:" + name, kNoBound, kNoBound, kNoBound, line};
  return CacheProfile{profile.empty() ? "source:" + name : profile, stale_seconds, revalidate_seconds,
                      expire_seconds, line};
}

const CacheProfile* SiteConfig::find_profile(std::string_view name) const {
  auto found = profiles.find(name);
  return found == profiles.end() ? nullptr : &found->second;
}

std::string SiteConfig::profile_names() const {
  std::string names;
  for (const auto& [name, unused] : profiles) names += (names.empty() ? "" : ", ") + name;
  return names;
}

bool SiteConfig::has_language(std::string_view language) const {
  return std::find(languages.begin(), languages.end(), language) != languages.end();
}

std::string InputLimits::setting(std::string_view name) {
  return "limits." + std::string(name) + " in content/site.toml";
}

Result<SiteConfig> parse_site_config(std::string_view text, std::string display_path) {
  auto root = parse_toml_document(text, display_path);
  if (!root.ok()) return root.error();
  return ConfigParser(root.value(), std::move(display_path)).parse();
}

Result<std::string> read_site_settings(const std::filesystem::path& site_root) {
  return read_file_beneath(site_root, "content/site.toml", kMaxSiteSettingsBytes, "a fixed limit of site settings");
}

Result<std::string> read_site_settings(const SitePaths& paths) {
  auto text = read_site_settings(paths.root);
  if (!text.ok())
    return make_error(text.error().file, 0,
                      "cannot read the site settings (is --site the site folder?): " + text.error().message);
  return text;
}

Result<SiteConfig> load_site_config(const SitePaths& paths) {
  auto text = read_site_settings(paths);
  if (!text.ok()) return text.error();
  return parse_site_config(text.value(), "content/site.toml");
}

}  // namespace isrgen
