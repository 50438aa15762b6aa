#include "publish/redirect_record.h"

#include <nlohmann/json.hpp>

#include "engine/alias_pages.h"
#include "util/confined_file.h"

namespace isrgen::publish {

std::string redirect_record_path(const std::string& tenant) { return tenant + "/" + kRedirectsName; }

RedirectRecord read_redirect_record(const std::filesystem::path& out, const std::string& tenant) {
  RedirectRecord record;
  auto text = read_file_beneath(out, redirect_record_path(tenant), 64 << 20);
  if (!text.ok()) return record;
  auto parsed = nlohmann::json::parse(text.value(), nullptr, false);
  if (!parsed.is_object()) return record;
  for (auto& [alias, entry] : parsed.items()) {
    if (!entry.is_object()) continue;
    RedirectEntry redirect{entry.value("location", ""), entry.value("target", ""), entry.value("output", "")};
    if (redirect.location.empty() || redirect.output.empty()) continue;
    record.by_output[redirect.output] = redirect.location;
    record.by_alias[alias] = std::move(redirect);
  }
  return record;
}

}  // namespace isrgen::publish
