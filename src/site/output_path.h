// What a user may mean by an output file on the command line (`isrgen why`):
// the path a shell completes from wherever it runs. out/acme/index.html from
// the site folder, /srv/site/out/acme/index.html, acme/index.html as the
// output folder names it, acme/summer/ for its index.html.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "site/site_paths.h"

namespace isrgen {

// The output-relative file names `given` can stand for, likeliest first,
// without repeats: `given` taken from `working_dir` when it lands inside the
// output folder, then without the output folder's path from the site
// ("out/"), then as written. A folder ("acme/summer", "acme/summer/") and a
// page's metadata file stand for its index.html. Empty when an absolute path
// lies outside the output folder.
std::vector<std::string> output_file_candidates(const std::string& given, const SitePaths& paths,
                                                const std::filesystem::path& working_dir);

}  // namespace isrgen
