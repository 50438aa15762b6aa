#include "publish/redirect_record.h"

#include "engine/alias_pages.h"
#include "util/confined_file.h"

namespace isrgen::publish {

std::string redirect_record_path(const std::string& tenant) { return tenant + "/" + kRedirectsName; }

RedirectRecord read_redirect_record(const std::filesystem::path& out, const std::string& tenant) {
  RedirectRecord record;
  auto text = read_file_beneath(out, redirect_record_path(tenant), 64 << 20);
  if (!text.ok()) return record;
  for (auto& [alias, redirect] : parse_redirect_record(text.value())) {
    record.by_output[redirect.output] = redirect.location;
    record.by_alias[alias] = {redirect.location, redirect.target, redirect.output};
  }
  return record;
}

}  // namespace isrgen::publish
