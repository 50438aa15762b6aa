// Reading files that must come from beneath one folder: a site's inputs are
// written by its authors (and stored in git, which keeps symbolic links), so a
// link to /etc/passwd or /proc/self/environ must never be read and published.
// The check is made on the descriptor actually opened, not on a path looked at
// earlier, so a link swapped in between the check and the read gets nowhere.
#pragma once

#include <filesystem>
#include <optional>
#include <cstdint>
#include <string>
#include <string_view>

#include "util/error.h"

namespace isrgen {

// Reads `root / relative` when the file it leads to, every symbolic link
// followed, is a regular file beneath `root` (links within the folder keep
// working) of at most `max_bytes`. Else an error at `relative` that says why,
// naming `limit_setting` (the setting that raises the limit) for a large file.
Result<std::string> read_file_beneath(const std::filesystem::path& root, const std::filesystem::path& relative,
                                      size_t max_bytes = SIZE_MAX, std::string_view limit_setting = {});

// Where the file open at `fd` really is, every link resolved (the kernel's
// answer through /proc/self/fd); nullopt when that cannot be told.
std::optional<std::string> real_path_of(int fd);

// The real path of `folder` (realpath(3)); nullopt when it does not exist.
std::optional<std::string> real_folder(const std::filesystem::path& folder);

}  // namespace isrgen
