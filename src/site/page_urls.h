// Where a page is published (ARCHITECTURE §2). The default language sits at the
// tenant's root, other languages under /<lang>/; the slug "index" (also as the
// last segment, "jobs/index") is the folder's own page.
#pragma once

#include <string>

namespace isrgen {

struct PageAddress {
  std::string url;     // tenant-relative: "/", "/summer/", "/de/jobs/berlin/"
  std::string output;  // relative to out/: "acme/index.html", "acme/de/summer/index.html"
};

PageAddress page_address(const std::string& tenant, const std::string& slug, const std::string& lang,
                         const std::string& default_language);

// "acme/summer/index.html" -> "acme/summer/index.metadata.json"
std::string metadata_path_for(const std::string& output);

}  // namespace isrgen
