#include "publish/deploy_config.h"

#include <algorithm>

#include <toml++/toml.h>

#include "data/env_expand.h"
#include "engine/alias_pages.h"
#include "publish/content_type.h"
#include "publish/glob.h"
#include "publish/purge_limits.h"
#include "site/site_config.h"
#include "site/toml_document.h"
#include "util/nearest_word.h"

namespace isrgen::publish {
namespace {

constexpr const char* kIndexMetadata = "index.metadata.json";

class DeployParser {
 public:
  DeployParser(const std::string& display_path, const data::EnvLookup& environment)
      : path_(display_path), environment_(environment) {}

  Result<DeployConfig> parse(const toml::table& root) {
    DeployConfig config;
    const toml::table* deploy = root["deploy"].as_table();
    if (!deploy) return config;
    for (const auto& [name, node] : *deploy) {
      std::string key(name.str());
      if (key == "target") read_string(node, key, config.target);
      else if (key == "cache_control") read_string(node, key, config.cache_control);
      else if (key == "max_deletes") read_int(node, key, config.max_deletes);
      else if (key == "retries") read_int(node, key, config.retries);
      else if (key == "retry_delay_ms") read_int(node, key, config.retry_delay_ms);
      else if (key == "rules") read_rules(node, config.rules);
      else if (key == "purge") read_purge(node, config.purge);
      else if (key == "warm") read_warm(node, config.warm);
      else
        fail(node, "unknown setting 'deploy." + key + "'" +
                       known_words_hint(key, {"target", "cache_control", "max_deletes", "retries", "retry_delay_ms",
                                              "rules", "purge", "warm"}));
    }
    if (error_) return *error_;
    return config;
  }

 private:
  void fail(const toml::node& node, const std::string& message) {
    if (!error_) error_ = make_error(path_, static_cast<int>(node.source().begin.line), message);
  }

  void read_string(const toml::node& node, const std::string& name, std::string& out) {
    if (auto value = node.value<std::string>()) out = *value;
    else fail(node, "'" + name + "' must be a string");
  }

  template <class Int>
  void read_int(const toml::node& node, const std::string& name, Int& out) {
    auto value = node.value<int64_t>();
    if (value && *value >= 0) out = static_cast<Int>(*value);
    else fail(node, "'" + name + "' must be a whole number, 0 or more");
  }

  // "${VAR}" from the environment, as in the data sources' settings; an unset
  // variable is an error, not "".
  std::string expand(const toml::node& node, const std::string& text) {
    auto expanded = data::expand_env(text, environment_);
    if (expanded.ok()) return expanded.value();
    fail(node, expanded.error().message);
    return "";
  }

  void read_rules(const toml::node& node, std::vector<DeployRule>& rules) {
    const toml::array* array = node.as_array();
    if (!array) return fail(node, "'deploy.rules' must be an array of tables: [[deploy.rules]]");
    for (const toml::node& element : *array) {
      const toml::table* table = element.as_table();
      if (!table) return fail(element, "each [[deploy.rules]] entry must be a table");
      DeployRule rule;
      for (const auto& [name, value] : *table) {
        std::string key(name.str());
        if (key == "match") read_string(value, key, rule.match);
        else if (key == "cache_control") read_string(value, key, rule.cache_control.emplace());
        else if (key == "content_type") read_string(value, key, rule.content_type.emplace());
        else if (key == "gzip" && value.is_boolean()) rule.gzip = *value.value<bool>();
        else if (key == "sync" && value.is_boolean()) rule.sync = *value.value<bool>();
        else if (key == "gzip" || key == "sync") fail(value, "'" + key + "' must be true or false");
        else
          fail(value, "unknown rule setting '" + key + "'" +
                          known_words_hint(key, {"match", "cache_control", "content_type", "gzip", "sync"}));
      }
      if (rule.match.empty()) fail(element, "a [[deploy.rules]] entry needs 'match', a glob such as \"**/*.html\"");
      rules.push_back(std::move(rule));
    }
  }

  void read_purge(const toml::node& node, PurgeConfig& purge) {
    const toml::table* table = node.as_table();
    if (!table) return fail(node, "'deploy.purge' must be a table");
    for (const auto& [name, value] : *table) {
      std::string key(name.str());
      static const std::vector<std::string> known = {"provider",   "url",     "secret", "distribution_id",
                                                     "service_id", "zone_id", "token",  "max_paths",
                                                     "batch_size", "soft",    "endpoint"};
      if (std::find(known.begin(), known.end(), key) == known.end()) {
        fail(value, "unknown purge setting '" + key + "'" + known_words_hint(key, known));
        continue;
      }
      std::string text;
      if (key == "max_paths" || key == "batch_size") {
        read_int(value, key, key == "max_paths" ? purge.max_paths : purge.batch_size);
        continue;
      }
      if (key == "soft") {
        read_bool(value, key, purge.soft);
        continue;
      }
      read_string(value, key, text);
      text = expand(value, text);
      if (key == "provider") purge.provider = text;
      else if (key == "url") purge.url = text;
      else if (key == "secret") purge.secret = text;
      else if (key == "distribution_id") purge.distribution_id = text;
      else if (key == "service_id") purge.service_id = text;
      else if (key == "zone_id") purge.zone_id = text;
      else if (key == "token") purge.token = text;
      else if (key == "endpoint") purge.endpoint = text;
    }
    auto require = [&](bool present, const char* what) {
      if (!present) fail(node, "purge provider '" + purge.provider + "' needs '" + what + "'");
    };
    if (purge.provider == "webhook") {
      require(!purge.url.empty(), "url");
      require(!purge.secret.empty(), "secret");
    } else if (purge.provider == "cloudfront") {
      require(!purge.distribution_id.empty(), "distribution_id");
    } else if (purge.provider == "fastly") {
      require(!purge.service_id.empty(), "service_id");
      require(!purge.token.empty(), "token");
    } else if (purge.provider == "cloudflare") {
      require(!purge.zone_id.empty(), "zone_id");
      require(!purge.token.empty(), "token");
    } else if (!purge.provider.empty()) {
      fail(node, "unknown purge provider '" + purge.provider + "' (webhook, cloudfront, fastly, cloudflare)");
    }
    size_t most = max_batch_size(purge.provider);
    if (purge.batch_size > 0 && most == 0)
      fail(node, "'batch_size' applies to the fastly and cloudflare providers only");
    else if (static_cast<size_t>(purge.batch_size) > most)
      fail(node, "'batch_size' " + std::to_string(purge.batch_size) + " is over what " + purge.provider +
                     " takes in one request (" + std::to_string(most) + ")");
  }

  void read_bool(const toml::node& node, const std::string& name, bool& out) {
    if (auto value = node.value<bool>()) out = *value;
    else fail(node, "'" + name + "' must be true or false");
  }

  void read_warm(const toml::node& node, WarmConfig& warm) {
    const toml::table* table = node.as_table();
    if (!table) return fail(node, "'deploy.warm' must be a table");
    for (const auto& [name, value] : *table) {
      std::string key(name.str());
      if (key == "enabled") read_bool(value, key, warm.enabled);
      else if (key == "concurrency") read_int(value, key, warm.concurrency);
      else if (key == "budget_ms") read_int(value, key, warm.budget_ms);
      else fail(value, "unknown warm setting '" + key + "'" + known_words_hint(key, {"enabled", "concurrency", "budget_ms"}));
    }
    if (warm.concurrency < 1) fail(node, "'concurrency' must be 1 or more");
  }

  std::string path_;
  const data::EnvLookup& environment_;
  std::optional<Error> error_;
};

}  // namespace

std::string ObjectRules::describe() const {
  return content_type + "|" + cache_control + (cache_control_from_rule ? "|rule" : "") + (gzip ? "|gzip" : "") +
         (cdn.empty() ? "" : "|" + cdn);
}

ObjectRules rules_for(const DeployConfig& config, std::string_view key) {
  ObjectRules result;
  std::optional<std::string> cache_control, content_type;
  std::optional<bool> gzip, sync;
  for (const DeployRule& rule : config.rules) {
    if (!glob_matches(rule.match, key)) continue;
    if (!cache_control) cache_control = rule.cache_control;
    if (!content_type) content_type = rule.content_type;
    if (!gzip) gzip = rule.gzip;
    if (!sync) sync = rule.sync;
  }
  // A page's metadata and a tenant's record of redirects stay home unless a rule says otherwise.
  bool metadata = key == kIndexMetadata || key.ends_with(std::string("/") + kIndexMetadata) ||
                  key.ends_with(std::string("/") + kRedirectsName);
  result.sync = sync.value_or(!metadata);
  result.cache_control = cache_control.value_or(config.cache_control);
  result.cache_control_from_rule = cache_control.has_value();
  result.cdn = config.purge.provider;
  result.content_type = content_type ? *content_type : content_type_for(key);
  result.gzip = gzip.value_or(false);
  return result;
}

Result<DeployConfig> parse_deploy_config(std::string_view toml_text, const std::string& display_path,
                                         const data::EnvLookup& environment) {
  auto root = parse_toml_document(toml_text, display_path);
  if (!root.ok()) return root.error();
  return DeployParser(display_path, environment).parse(root.value());
}

Result<DeployConfig> load_deploy_config(const std::filesystem::path& site_root, const data::EnvLookup& environment) {
  std::filesystem::path path = site_root / "content/site.toml";
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return DeployConfig{};
  auto text = read_site_settings(site_root);
  if (!text.ok()) return text.error();
  return parse_deploy_config(text.value(), "content/site.toml", environment);
}

}  // namespace isrgen::publish
