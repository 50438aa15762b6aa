// `isrgen init DIR`: a new site (cli/starter_site.h) in a new or empty folder.
#include <cstdio>
#include <filesystem>
#include <string>
#include <system_error>

#include "cli/commands.h"
#include "cli/starter_site.h"
#include "util/fs.h"

namespace isrgen {

int init_command(const std::string& folder) {
  namespace fs = std::filesystem;
  fs::path root(folder);
  std::error_code error;
  fs::file_status status = fs::status(root, error);
  if (fs::exists(status)) {
    if (!fs::is_directory(status)) {
      std::fprintf(stderr, "init: %s is not a folder; name a new folder for the site\n", folder.c_str());
      return kExitUsage;
    }
    // Writing among files already there could overwrite one of them.
    if (!fs::is_empty(root, error) || error) {
      std::fprintf(stderr, "init: %s is not empty; isrgen init writes only into a new or empty folder\n",
                   folder.c_str());
      return kExitUsage;
    }
  }
  for (const StarterFile& file : starter_site_files()) {
    Status written = write_file_atomic(root / file.path, file.text);
    if (!written.ok()) {
      std::fprintf(stderr, "init: %s\n", written.error().to_string().c_str());
      return kExitEnvironment;
    }
  }
  std::string tenant(kStarterTenant);
  std::printf("a new site in %s: preview it with\n  cd %s && isrgen dev\nand open http://%s.localhost:4000/\n",
              folder.c_str(), folder.c_str(), tenant.c_str());
  return kExitOk;
}

}  // namespace isrgen
