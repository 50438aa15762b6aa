#include "serve/dev_listen.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include "util/ascii.h"

namespace isrgen::serve {
namespace {

bool is_localhost_name(std::string_view host) {
  constexpr std::string_view kSuffix = ".localhost";
  return equals_ignoring_ascii_case(host, "localhost") ||
         (host.size() > kSuffix.size() && equals_ignoring_ascii_case(host.substr(host.size() - kSuffix.size()), kSuffix));
}

}  // namespace

Result<DevListen> dev_listen_address(const std::string& flag) {
  if (flag.empty()) return DevListen{std::string(kDefaultDevListen), true};
  size_t colon = flag.rfind(':');
  std::string host = flag.substr(0, colon == std::string::npos ? 0 : colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (is_localhost_name(host)) return DevListen{flag, true};
  in_addr v4{};
  in6_addr v6{};
  if (::inet_pton(AF_INET, host.c_str(), &v4) == 1)
    return DevListen{flag, (ntohl(v4.s_addr) >> 24) == 127};
  if (::inet_pton(AF_INET6, host.c_str(), &v6) == 1) return DevListen{flag, IN6_IS_ADDR_LOOPBACK(&v6) != 0};
  // Let HttpServer word the error of an address without a host or a port.
  if (host.empty() || colon == std::string::npos) return DevListen{flag, false};
  return make_error("", 0, "--listen " + flag + ": isrgen dev listens on a host name only when it is localhost: '" +
                               host + "' may resolve to an address other machines reach, and the preview has no "
                               "secret; to open it to them, give the address itself (0.0.0.0:4000 for every interface)");
}

}  // namespace isrgen::serve
