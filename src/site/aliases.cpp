#include "site/aliases.h"

#include <algorithm>

namespace isrgen {
namespace {

// Why `alias` is not a root-relative URL of the tenant, or "" when it is.
std::string alias_problem(const std::string& alias) {
  if (alias.empty() || alias.front() != '/') return "must start with '/' (a URL on the tenant, e.g. /old-url/)";
  if (alias.starts_with("//") || alias.find("://") != std::string::npos)
    return "must be a path on the tenant, without a scheme or host";
  if (alias.find_first_of("?#\\") != std::string::npos) return "must not have a query, fragment or backslash";
  if (std::any_of(alias.begin(), alias.end(), [](unsigned char c) { return c <= ' ' || c == 0x7f; }))
    return "must not have spaces or control characters";
  if (alias.find("//") != std::string::npos) return "must not have an empty segment ('//')";
  for (size_t start = 1; start <= alias.size();) {
    size_t end = std::min(alias.find('/', start), alias.size());
    const std::string segment = alias.substr(start, end - start);
    if (segment == "." || segment == "..") return "must not have a '.' or '..' segment";
    if (segment.starts_with('.')) return "must not name a hidden file or folder (a segment starting with '.')";
    start = end + 1;
  }
  if (alias == "/") return "cannot be the tenant's home page (/), which is a page's own URL";
  return "";
}

std::string normalised(std::string alias) {
  size_t last = alias.rfind('/');
  if (!alias.ends_with('/') && alias.find('.', last) == std::string::npos) alias += '/';
  return alias;
}

}  // namespace

Result<std::vector<std::string>> page_aliases(const PageFile& file) {
  std::vector<std::string> aliases;
  auto field = file.front_matter.find("aliases");
  if (field == file.front_matter.end() || field->is_null()) return aliases;
  auto location = file.field_locations.find("aliases");
  const FieldLocation where = location != file.field_locations.end() ? location->second
                                                                     : FieldLocation{file.display_path, 0};
  if (!field->is_array())
    return make_error(where.file, where.line, "aliases must be a list of old URLs on the tenant, e.g. aliases: [/old-url/]");
  for (const nlohmann::json& value : *field) {
    if (!value.is_string())
      return make_error(where.file, where.line, "aliases must be a list of old URLs on the tenant, e.g. aliases: [/old-url/]");
    const std::string& alias = value.get_ref<const std::string&>();
    if (std::string problem = alias_problem(alias); !problem.empty())
      return make_error(where.file, where.line, "alias '" + alias + "' " + problem);
    std::string clean = normalised(alias);
    if (std::find(aliases.begin(), aliases.end(), clean) == aliases.end()) aliases.push_back(std::move(clean));
  }
  return aliases;
}

std::string alias_output(const std::string& tenant, const std::string& alias) {
  return tenant + alias + (alias.ends_with('/') ? "index.html" : "");
}

std::string alias_language(const std::string& alias, const std::vector<std::string>& languages,
                           const std::string& default_language) {
  for (const std::string& lang : languages)
    if (lang != default_language && alias.starts_with("/" + lang + "/")) return lang;
  return default_language;
}

}  // namespace isrgen
