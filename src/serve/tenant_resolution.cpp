#include "serve/tenant_resolution.h"

#include "publish/s3_request.h"
#include "util/ascii.h"
#include "util/text.h"

namespace isrgen::serve {
namespace {

struct HostPort {
  std::string_view host;
  std::string_view port;  // "" when none was written
};

// "acme.example:8080" -> {acme.example, 8080}; "[::1]:80" -> {[::1], 80}.
HostPort split_host_port(std::string_view authority) {
  size_t host_end = authority.starts_with('[') ? authority.find(']') : authority.find(':');
  if (host_end == std::string_view::npos) return {authority, {}};
  if (authority[host_end] == ']') ++host_end;
  std::string_view host = authority.substr(0, host_end);
  std::string_view rest = authority.substr(host_end);
  return {host, rest.starts_with(':') ? rest.substr(1) : std::string_view{}};
}

// A fully qualified "acme.example." names the same host as "acme.example".
std::string_view without_root_dot(std::string_view host) {
  return host.ends_with('.') ? host.substr(0, host.size() - 1) : host;
}

bool host_matches(std::string_view base_url, const HostPort& request) {
  size_t scheme_end = base_url.find("://");
  if (scheme_end == std::string_view::npos) return false;
  std::string_view scheme = base_url.substr(0, scheme_end);
  std::string_view authority = base_url.substr(scheme_end + 3);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  authority = authority.substr(authority.find('@') + 1);  // npos + 1 == 0: no user info
  HostPort base = split_host_port(authority);
  if (!equals_ignoring_ascii_case(without_root_dot(base.host), without_root_dot(request.host))) return false;
  if (base.port.empty()) return true;
  std::string_view default_port = equals_ignoring_ascii_case(scheme, "https") ? "443" : "80";
  return (request.port.empty() ? default_port : request.port) == base.port;
}

}  // namespace

std::string TenantRoute::url_for(std::string_view out_relative) const {
  std::string_view inside = out_relative;
  if (by_host && inside.starts_with(tenant) &&
      (inside.size() == tenant.size() || inside[tenant.size()] == '/')) {
    inside.remove_prefix(tenant.size());
    if (inside.starts_with('/')) inside.remove_prefix(1);
  }
  return "/" + publish::aws_uri_encode(inside, true);
}

bool is_clean_relative_path(std::string_view path) {
  if (path.find_first_of(std::string_view("\\\0", 2)) != std::string_view::npos) return false;
  size_t start = 0;
  for (;;) {
    size_t end = path.find('/', start);
    std::string_view segment = path.substr(start, end == std::string_view::npos ? end : end - start);
    if (end == std::string_view::npos) return segment != "." && segment != "..";
    if (segment.empty() || segment == "." || segment == "..") return false;
    start = end + 1;
  }
}

std::optional<TenantRoute> resolve_tenant(const SiteConfig& config, std::string_view host, std::string_view path) {
  if (!path.starts_with('/') || !is_clean_relative_path(path.substr(1))) return std::nullopt;
  HostPort request_host = split_host_port(trim(host));
  if (!request_host.host.empty()) {
    for (const auto& [id, tenant] : config.tenants) {
      if (!tenant.base_url.empty() && host_matches(tenant.base_url, request_host))
        return TenantRoute{id, id + std::string(path), true};
    }
  }
  std::string_view first = path.substr(1, path.find('/', 1) - 1);
  if (first.empty() || !config.tenants.contains(std::string(first))) return std::nullopt;
  return TenantRoute{std::string(first), std::string(path.substr(1)), false};
}

}  // namespace isrgen::serve
