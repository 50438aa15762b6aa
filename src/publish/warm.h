// Cache warming after a sync ([deploy.warm]): a GET of the public URL of each
// page the sync uploaded, so the CDN fetches it from the origin now rather
// than on a visitor's request. At most `concurrency` GETs are in flight; once
// the time budget is spent, the URLs not yet started are skipped, so warming
// never holds a deploy up for long. A page's public URL is the permalink its
// index.metadata.json records (the tenant's base_url and the page's path).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "publish/deploy_config.h"
#include "util/clock.h"

namespace isrgen::publish {

struct WarmedUrl {
  std::string url;
  std::string outcome;  // "warmed", "failed" or "skipped"
  int status = 0;       // HTTP status; 0 when no answer came (then `error` says why) or skipped
  int64_t ms = 0;       // how long the GET took
  std::string error;    // failed: the transfer error or "HTTP <status>"; skipped: why
};

// The public URLs of the pages at `page_keys` (object keys of index.html files
// under `out`), from the permalink beside each. A page whose metadata is
// missing or names no http(s) URL comes back skipped in `unreachable`.
std::vector<std::string> public_urls_of_pages(const std::filesystem::path& out, const std::vector<std::string>& page_keys,
                                              std::vector<WarmedUrl>& unreachable);

// GETs every URL under `config` (concurrency, budget), following redirects;
// `clock` measures the budget. One entry per URL, in the order given.
std::vector<WarmedUrl> warm_urls(const std::vector<std::string>& urls, const WarmConfig& config, const Clock& clock);

}  // namespace isrgen::publish
