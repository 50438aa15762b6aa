#include "publish/state_setting.h"

#include "site/site_config.h"
#include "site/toml_document.h"

namespace isrgen::publish {

Result<std::string> parse_state_url(std::string_view toml_text, const std::string& display_path) {
  auto root = parse_toml_document(toml_text, display_path);
  if (!root.ok()) return root.error();
  const toml::table* state = root.value()["state"].as_table();
  if (!state) return std::string();
  std::string url;
  for (const auto& [key, value] : *state) {
    const int line = static_cast<int>(value.source().begin.line);
    if (key.str() != "url")
      return make_error(display_path, line, "unknown setting '" + std::string(key.str()) + "' in [state] (known: url)");
    auto text = value.value<std::string>();
    if (!text || text->empty())
      return make_error(display_path, line, "'url' in [state] must be s3://bucket/prefix or a folder");
    url = *text;
  }
  return url;
}

Result<StateSetting> state_setting(const std::string& flag, const data::EnvLookup& environment,
                                   const std::filesystem::path& site_root) {
  if (!flag.empty()) return StateSetting{flag, {}};
  if (auto variable = environment("ISRGEN_STATE"); variable && !variable->empty()) return StateSetting{*variable, {}};
  std::error_code ec;
  if (!std::filesystem::exists(site_root / "content/site.toml", ec)) return StateSetting{};
  auto text = read_site_settings(site_root);
  if (!text.ok()) return text.error();
  auto url = parse_state_url(text.value(), "content/site.toml");
  if (!url.ok()) return url.error();
  return StateSetting{url.value(), site_root};
}

}  // namespace isrgen::publish
