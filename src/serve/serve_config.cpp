#include "serve/serve_config.h"

#include <optional>

#include <toml++/toml.h>

#include "site/site_config.h"
#include "site/toml_document.h"

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
      else
        fail(node, "unknown setting 'serve." + key +
                       "' (listen, secret_env, sync, max_queued, signature_tolerance, max_connections, "
                       "read_timeout_ms, idle_timeout_ms, threads)");
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
