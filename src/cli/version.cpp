#include "cli/version.h"

#include <cmark-gfm.h>
#include <curl/curl.h>
#include <sqlite3.h>
#include <yaml.h>

#include <toml++/impl/version.h>

#include "isrgen_commit.h"

namespace isrgen {

std::string version_text() {
  // The shared libraries are asked, not their headers: a bug report must say
  // what the machine runs, which a library upgrade changes without a rebuild.
  const curl_version_info_data* curl = curl_version_info(CURLVERSION_NOW);
  std::string text = std::string("isrgen ") + ISRGEN_VERSION + " (commit " + ISRGEN_COMMIT + ")\n";
  text += std::string("cmark-gfm ") + cmark_version_string() + "\n";
  text += std::string("SQLite ") + sqlite3_libversion() + "\n";
  text += std::string("libcurl ") + curl->version;
  if (curl->ssl_version) text += std::string(" (") + curl->ssl_version + ")";
  text += "\n";
  text += std::string("libyaml ") + yaml_get_version_string() + "\n";
  text += "toml++ " + std::to_string(TOML_LIB_MAJOR) + "." + std::to_string(TOML_LIB_MINOR) + "." +
          std::to_string(TOML_LIB_PATCH) + " (headers)";
  return text;
}

}  // namespace isrgen
