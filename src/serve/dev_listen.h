// The address `isrgen dev` listens on. The preview has no secret and serves
// every page of the output, so it stays on the loopback unless the author
// names another address as a number: 127.0.0.1:4000 by default, and a host
// name only when it is localhost (or *.localhost), since any other name may
// resolve to an address reachable from other machines without anyone having
// asked for that.
#pragma once

#include <string>

#include "util/error.h"

namespace isrgen::serve {

inline constexpr std::string_view kDefaultDevListen = "127.0.0.1:4000";

struct DevListen {
  std::string address;    // HOST:PORT, for HttpServer::start
  bool loopback = false;  // false: other machines may reach the preview
};

// `flag` is --listen as given ("" when absent). The error says why a name is
// refused and what to write instead.
Result<DevListen> dev_listen_address(const std::string& flag);

}  // namespace isrgen::serve
