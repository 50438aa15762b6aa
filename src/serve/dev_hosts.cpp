#include "serve/dev_hosts.h"

#include "util/ascii.h"
#include "util/text.h"

namespace isrgen::serve {
namespace {

constexpr std::string_view kLocalhostSuffix = ".localhost";

struct HostAndPort {
  std::string_view host;  // without a root dot: "acme.localhost"
  std::string_view port;  // "" when the Host has none
};

HostAndPort split_host(std::string_view host) {
  host = trim(host);
  std::string_view port;
  size_t colon = host.rfind(':');
  // "[::1]:4000" has colons inside its brackets; only one after ']' is a port.
  if (colon != std::string_view::npos && host.find(']', colon) == std::string_view::npos &&
      (!host.starts_with('[') || host[colon - 1] == ']')) {
    port = host.substr(colon + 1);
    host = host.substr(0, colon);
  }
  if (host.ends_with('.')) host.remove_suffix(1);
  return {host, port};
}

// The tenant a "<tenant>.localhost" host names, when it is one of the site's.
std::optional<std::string> tenant_of_host(std::string_view host, const SiteConfig& config) {
  if (host.size() <= kLocalhostSuffix.size()) return std::nullopt;
  std::string_view suffix = host.substr(host.size() - kLocalhostSuffix.size());
  if (!equals_ignoring_ascii_case(suffix, kLocalhostSuffix)) return std::nullopt;
  std::string_view label = host.substr(0, host.size() - kLocalhostSuffix.size());
  // Browsers send host names in lowercase; tenant ids are compared as written.
  for (const auto& [id, tenant] : config.tenants)
    if (equals_ignoring_ascii_case(id, label)) return id;
  return std::nullopt;
}

// Four dot-separated decimal numbers, each 0 to 255.
bool is_ipv4_literal(std::string_view host) {
  int parts = 0;
  while (true) {
    size_t dot = host.find('.');
    std::string_view part = host.substr(0, dot);
    if (part.empty() || part.size() > 3) return false;
    int value = 0;
    for (char c : part) {
      if (c < '0' || c > '9') return false;
      value = value * 10 + (c - '0');
    }
    if (value > 255 || ++parts > 4) return false;
    if (dot == std::string_view::npos) return parts == 4;
    host.remove_prefix(dot + 1);
  }
}

}  // namespace

bool is_preview_host(std::string_view host) {
  std::string_view name = split_host(host).host;
  if (equals_ignoring_ascii_case(name, "localhost")) return true;
  if (name.size() > kLocalhostSuffix.size() &&
      equals_ignoring_ascii_case(name.substr(name.size() - kLocalhostSuffix.size()), kLocalhostSuffix))
    return true;
  return is_ipv4_literal(name) || (name.size() > 2 && name.starts_with('[') && name.ends_with(']'));
}

std::string tenant_origin(std::string_view tenant, std::string_view host) {
  std::string origin = "http://" + std::string(tenant) + std::string(kLocalhostSuffix);
  std::string_view port = split_host(host).port;
  if (!port.empty()) origin += ":" + std::string(port);
  return origin;
}

DevDestination route_dev_request(const SiteConfig& config, std::string_view host, std::string_view path,
                                 std::string_view query) {
  DevDestination destination;
  if (!path.starts_with('/') || !is_clean_relative_path(path.substr(1))) return destination;
  if (auto tenant = tenant_of_host(split_host(host).host, config)) {
    destination.kind = DevDestination::Kind::kTenant;
    destination.route = TenantRoute{*tenant, *tenant + std::string(path), true};
    return destination;
  }
  if (path == "/") {
    destination.kind = DevDestination::Kind::kIndex;
    return destination;
  }
  size_t segment_end = path.find('/', 1);
  std::string first(path.substr(1, segment_end == std::string_view::npos ? segment_end : segment_end - 1));
  if (!config.tenants.contains(first)) return destination;
  // The tenant's pages link to /css/..., /summer/: only on a host of its own do those resolve.
  std::string_view rest = segment_end == std::string_view::npos ? "/" : path.substr(segment_end);
  TenantRoute route{first, first + std::string(rest), true};
  destination.kind = DevDestination::Kind::kRedirect;
  destination.location = tenant_origin(first, host) + route.url_for(route.relative);
  if (!query.empty()) destination.location += "?" + std::string(query);
  return destination;
}

}  // namespace isrgen::serve
