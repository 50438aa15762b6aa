#include "watch/change_filter.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace isrgen::watch {

namespace {

// Suffixes of files no site uses as input, each left by a common editor:
//   .swp .swo .swx  vim swap files (".name.swp"; .swo and .swx when one exists)
//   ~               backups of vim, emacs, nano and gedit
//   .tmp            temporaries of atomic saves (write "name.tmp", rename over "name")
//   .kate-swp       Kate's swap file
//   ___jb_tmp___ ___jb_old___   JetBrains' "safe write" temp and old copy
constexpr std::array<std::string_view, 8> kNoiseSuffixes = {
    ".swp", ".swo", ".swx", "~", ".tmp", ".kate-swp", "___jb_tmp___", "___jb_old___"};

// Prefixes: ".#name" is an emacs lock (a symlink, never content);
// ".goutputstream-" is the temp of gedit and other GIO atomic saves.
constexpr std::array<std::string_view, 2> kNoisePrefixes = {".#", ".goutputstream-"};

// GNU sed -i writes the new text to "sed" and six random letters or digits
// (mkstemp's "sedXXXXXX") in the file's folder, then renames it over the file.
bool is_sed_temporary(std::string_view name) {
  return name.size() == 9 && name.starts_with("sed") &&
         std::all_of(name.begin() + 3, name.end(), [](unsigned char c) { return std::isalnum(c) != 0; });
}

// The file-name half of is_ignored_change, for one name without folders.
bool is_editor_noise(std::string_view name) {
  // vim creates and deletes "4913" in the file's folder to probe whether it
  // may write there; it is never a real input.
  if (name == "4913" || name == ".DS_Store" || is_sed_temporary(name)) return true;
  // emacs auto-save: "#name#".
  if (name.size() >= 2 && name.front() == '#' && name.back() == '#') return true;
  for (std::string_view prefix : kNoisePrefixes) {
    if (name.starts_with(prefix)) return true;
  }
  for (std::string_view suffix : kNoiseSuffixes) {
    if (name.ends_with(suffix)) return true;
  }
  return false;
}

}  // namespace

bool is_under(std::string_view path, std::string_view folder) {
  if (folder.empty() || !path.starts_with(folder)) return false;
  return path.size() == folder.size() || path[folder.size()] == '/';
}

bool is_ignored_change(std::string_view path, std::string_view out_folder) {
  if (is_under(path, ".isrgen") || is_under(path, out_folder)) return true;
  // Dot-files in general are not ignored: static/.well-known/ is real content.
  size_t slash = path.rfind('/');
  return is_editor_noise(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

}  // namespace isrgen::watch
