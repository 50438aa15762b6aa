#include "serve/tenant_answers.h"

#include "engine/tenant_files.h"
#include "util/fs.h"

namespace isrgen::serve {

std::optional<std::string> AliasRedirects::target_of(const std::string& tenant, const std::string& tenant_path) {
  const std::string signature = file_signature(out_ / publish::redirect_record_path(tenant));
  std::lock_guard lock(mutex_);
  Cached& cached = by_tenant_[tenant];
  if (signature.empty()) return std::nullopt;
  if (cached.signature != signature) {
    cached.record = publish::read_redirect_record(out_, tenant);
    cached.signature = signature;
  }
  const auto& by_alias = cached.record.by_alias;
  for (const std::string& alias : {tenant_path, tenant_path + "/"})
    if (auto found = by_alias.find(alias); found != by_alias.end()) return found->second.target;
  if (tenant_path.ends_with("/index.html"))
    if (auto found = by_alias.find(tenant_path.substr(0, tenant_path.size() - 10)); found != by_alias.end())
      return found->second.target;
  return std::nullopt;
}

std::optional<HttpResponse> AliasRedirects::answer(const TenantRoute& route) {
  std::string tenant_path = route.relative.substr(route.tenant.size());
  if (tenant_path.empty() || tenant_path == "/") return std::nullopt;
  auto target = target_of(route.tenant, tenant_path);
  if (!target) return std::nullopt;
  HttpResponse moved = HttpResponse::text(301, "");
  moved.headers.emplace_back("Location", route.url_for(route.tenant + *target));
  return moved;
}

std::shared_ptr<const OriginFile> tenant_not_found_file(OriginFiles& files, const SiteConfig& config,
                                                        const TenantRoute& route) {
  const std::string tenant_path = route.relative.substr(route.tenant.size());
  for (const std::string& lang : config.languages) {
    if (lang == config.default_language || !tenant_path.starts_with("/" + lang + "/")) continue;
    if (auto found = files.find(not_found_output(route.tenant, lang, config.default_language)); found.file)
      return found.file;
  }
  return files.find(not_found_output(route.tenant, config.default_language, config.default_language)).file;
}

}  // namespace isrgen::serve
