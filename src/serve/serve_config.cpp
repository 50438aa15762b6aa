#include "serve/serve_config.h"

#include <optional>

#include <toml++/toml.h>

#include "site/site_config.h"
#include "site/toml_document.h"
#include "util/nearest_word.h"

namespace isrgen::serve {
namespace {

class ServeParser {
 public:
  explicit ServeParser(std::string display_path) : path_(std::move(display_path)) {}

  Result<ServeConfig> parse(const toml::table& root) {
    ServeConfig config;
    const toml::node* serve = root.get("serve");
    if (!serve) return config;
    const toml::table* table = serve->as_table();
    if (!table) return make_error(path_, line_of(*serve), "'serve' must be a table: [serve]");
    for (const auto& [name, node] : *table) {
      std::string key(name.str());
      if (key == "listen") read_string(node, key, config.listen);
      else if (key == "secret_env") read_variable_name(node, config.secret_env);
      else if (key == "sync") read_bool(node, key, config.sync);
      else if (key == "max_queued") read_count(node, key, 1, config.max_queued);
      else if (key == "signature_tolerance") read_count(node, key, 1, config.signature_tolerance_s);
      else if (key == "max_connections") read_count(node, key, 1, config.max_connections);
      else if (key == "read_timeout_ms") read_count(node, key, 1, config.read_timeout_ms);
      else if (key == "idle_timeout_ms") read_count(node, key, 1, config.idle_timeout_ms);
      else if (key == "threads") read_count(node, key, 1, config.threads);
      else if (key == "map") read_map_rules(node, config.map);
      else
        fail(node, "unknown setting 'serve." + key + "'" +
                       known_words_hint(key, {"listen", "secret_env", "sync", "max_queued", "signature_tolerance",
                                              "max_connections", "read_timeout_ms", "idle_timeout_ms", "threads",
                                              "map"}));
    }
    if (error_) return *error_;
    return config;
  }

 private:
  static int line_of(const toml::node& node) { return static_cast<int>(node.source().begin.line); }

  void fail(const toml::node& node, const std::string& message) {
    if (!error_) error_ = make_error(path_, line_of(node), message);
  }

  void read_string(const toml::node& node, const std::string& name, std::string& out) {
    if (auto value = node.value<std::string>()) out = *value;
    else fail(node, "'serve." + name + "' must be a string");
  }

  void read_bool(const toml::node& node, const std::string& name, bool& out) {
    if (auto value = node.value<bool>()) out = *value;
    else fail(node, "'serve." + name + "' must be true or false");
  }

  template <class Int>
  void read_count(const toml::node& node, const std::string& name, int64_t minimum, Int& out) {
    auto value = node.value<int64_t>();
    if (value && *value >= minimum) out = static_cast<Int>(*value);
    else fail(node, "'serve." + name + "' must be a whole number, " + std::to_string(minimum) + " or more");
  }

  // A name, not a value: someone writing the secret itself here would commit it.
  void read_variable_name(const toml::node& node, std::string& out) {
    std::string name;
    read_string(node, "secret_env", name);
    bool valid = !name.empty() && !(name[0] >= '0' && name[0] <= '9');
    for (char c : name)
      valid = valid && ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
    if (valid) out = name;
    else
      fail(node, "'serve.secret_env' names the environment variable holding the webhook secret "
                 "(letters, digits, '_'), e.g. \"CMS_WEBHOOK_SECRET\"; the secret itself never goes in site.toml");
  }

  // [[serve.map]]: an array of tables, each a rule (payload_map.h).
  void read_map_rules(const toml::node& node, std::vector<MapRule>& out) {
    const toml::array* rules = node.as_array();
    if (!rules || !rules->is_array_of_tables())
      return fail(node, "'serve.map' is a list of rules, each under its own [[serve.map]] header with "
                        "tags = [\"...\"] and an optional when = { ... }");
    for (const toml::node& rule : *rules) out.push_back(read_map_rule(*rule.as_table()));
  }

  MapRule read_map_rule(const toml::table& table) {
    MapRule rule;
    rule.origin = path_ + ":" + std::to_string(line_of(table));
    bool has_tags = false;
    for (const auto& [name, node] : table) {
      std::string key(name.str());
      if (key == "when") read_conditions(node, "", rule.when);
      else if (key == "tags") has_tags = read_tag_templates(node, rule.tags);
      else fail(node, "unknown key '" + key + "' in a [[serve.map]] rule" + known_words_hint(key, {"when", "tags"}));
    }
    if (!has_tags)
      fail(table, "a [[serve.map]] rule needs tags = [\"...\"], one template or more, e.g. [\"models:{sys.id}\"]");
    bool reads_body = !rule.when.empty();
    for (const TagTemplate& tag : rule.tags)
      for (const TagTemplate::Piece& piece : tag.pieces) reads_body = reads_body || piece.is_field;
    if (has_tags && !reads_body)
      fail(table, "this [[serve.map]] rule names no field of the body, so it would map every webhook: put a "
                  "{field} in a tag, e.g. \"models:{sys.id}\", or add when = { \"sys.type\" = \"Entry\" }");
    return rule;
  }

  // when = { "sys.type" = "Entry" }; an unquoted dotted key (sys.type = ...)
  // makes nested tables in TOML, read back as the same path.
  void read_conditions(const toml::node& node, const std::string& prefix, std::vector<FieldCondition>& out) {
    const toml::table* table = node.as_table();
    if (!table) return fail(node, "'when' is a table of fields and the values they must equal, e.g. "
                                  "when = { \"sys.type\" = \"Entry\" }");
    for (const auto& [name, value] : *table) {
      std::string path_text = prefix + std::string(name.str());
      if (value.is_table()) {
        read_conditions(value, path_text + ".", out);
        continue;
      }
      nlohmann::json expected;
      if (auto text = value.value_exact<std::string>()) expected = *text;
      else if (auto number = value.value_exact<int64_t>()) expected = *number;
      else if (auto flag = value.value_exact<bool>()) expected = *flag;
      else {
        fail(value, "'when' field '" + path_text + "' must equal a string, a whole number or true/false");
        continue;
      }
      auto path = parse_field_path(path_text);
      if (!path) fail(value, "'when': " + path.error().message);
      else out.push_back({std::move(path).value(), std::move(expected)});
    }
  }

  // True when `node` is a non-empty list of templates.
  bool read_tag_templates(const toml::node& node, std::vector<TagTemplate>& out) {
    const toml::array* list = node.as_array();
    if (!list || list->empty()) {
      fail(node, "'tags' is a list of one tag template or more, e.g. tags = [\"models:{sys.id}\"]");
      return false;
    }
    for (const toml::node& item : *list) {
      auto text = item.value_exact<std::string>();
      if (!text) {
        fail(item, "'tags' holds strings, e.g. tags = [\"models:{sys.id}\"]");
        continue;
      }
      auto parsed = parse_tag_template(*text);
      if (!parsed) fail(item, parsed.error().message);
      else out.push_back(std::move(parsed).value());
    }
    return true;
  }

  std::string path_;
  std::optional<Error> error_;
};

}  // namespace

Result<ServeConfig> parse_serve_config(std::string_view toml_text, const std::string& display_path) {
  auto root = parse_toml_document(toml_text, display_path);
  if (!root.ok()) return root.error();
  return ServeParser(display_path).parse(root.value());
}

Result<ServeConfig> load_serve_config(const std::filesystem::path& site_root) {
  std::filesystem::path path = site_root / "content/site.toml";
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return ServeConfig{};
  auto text = read_site_settings(site_root);
  if (!text.ok()) return text.error();
  return parse_serve_config(text.value(), "content/site.toml");
}

}  // namespace isrgen::serve
