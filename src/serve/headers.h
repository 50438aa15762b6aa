// Request headers as the server hands them to request logic: in arrival
// order, names compared without regard to ASCII case (RFC 9110), so the
// logic is tested without a socket and reads "x-hub-signature-256" and
// "X-Hub-Signature-256" alike.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace isrgen::serve {

using Headers = std::vector<std::pair<std::string, std::string>>;

// The value of the first header called `name`; nullopt when there is none.
std::optional<std::string_view> find_header(const Headers& headers, std::string_view name);

}  // namespace isrgen::serve
