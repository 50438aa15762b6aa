// The site `isrgen init` writes: one tenant in two languages, a layout, a
// partial, a component fed by a local JSON file and a remote source left
// commented out, with a stylesheet, so that `isrgen dev` shows a styled page
// at once and every part of a site has an example to copy.
#pragma once

#include <span>
#include <string_view>

namespace isrgen {

struct StarterFile {
  std::string_view path;  // relative to the site folder
  std::string_view text;
};

// Every file of the starter site, parent folders implied by the paths.
std::span<const StarterFile> starter_site_files();

// The tenant it has, whose preview is http://<id>.localhost:4000/.
inline constexpr std::string_view kStarterTenant = "mysite";

}  // namespace isrgen
