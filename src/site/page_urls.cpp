#include "site/page_urls.h"

namespace isrgen {

PageAddress page_address(const std::string& tenant, const std::string& slug, const std::string& lang,
                         const std::string& default_language) {
  std::string folder = slug;
  if (folder == "index") folder.clear();
  else if (folder.ends_with("/index")) folder.resize(folder.size() - 6);
  std::string prefix = lang == default_language ? "" : lang + "/";
  std::string relative = prefix + (folder.empty() ? "" : folder + "/");
  return PageAddress{"/" + relative, tenant + "/" + relative + "index.html"};
}

std::string metadata_path_for(const std::string& output) {
  return output.substr(0, output.size() - std::string("index.html").size()) + "index.metadata.json";
}

}  // namespace isrgen
