// Which changed paths never trigger a build: the debris editors leave while
// saving (swap files, backups, lock files, temporaries of atomic saves) and
// isrgen's own folders (the state folder and the output, when they sit inside
// a watched folder). A pure function of the site-relative path, so the inotify
// and the polling watcher agree on it.
#pragma once

#include <string_view>

namespace isrgen::watch {

// `path` is site-relative with '/' separators ("content/pages/acme/a.md").
// `out_folder` is the output folder relative to the site ("out"), or empty when
// the output lives outside the site.
bool is_ignored_change(std::string_view path, std::string_view out_folder);

// True when `path` is `folder` or lies below it ("content/a.md" is under
// "content", "contents/a.md" is not); nothing is under an empty folder.
bool is_under(std::string_view path, std::string_view folder);

}  // namespace isrgen::watch
