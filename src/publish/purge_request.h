// What the CDN is to be told to forget after a sync: the URLs of objects that
// changed and the page tags they carried. The deploy state keeps the part not
// yet purged (deploy_state.h); purge.h turns it into each provider's requests.
#pragma once

#include <string>
#include <vector>

namespace isrgen::publish {

struct PurgeRequest {
  std::vector<std::string> paths;  // "/acme/summer/index.html" and its folder "/acme/summer/"
  std::vector<std::string> tags;   // "page:acme/summer" as carried by the objects (cache_tags.h)
  bool empty() const { return paths.empty() && tags.empty(); }
};

}  // namespace isrgen::publish
