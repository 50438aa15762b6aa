// Change detection: every input of a site (site.toml, page files, templates,
// data files, static files) compared with what the last build recorded — by
// stat first (size, mtime, inode) and by content hash only where stat changed,
// so a file rewritten with the same bytes is no change, and an untouched site
// costs one stat per file.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "engine/disk.h"
#include "site/site_config.h"
#include "site/site_paths.h"
#include "state/dep_index.h"
#include "util/folder_walk.h"

namespace isrgen {

enum class InputKind { kSiteConfig, kPage, kTemplate, kData, kStatic };

struct InputChange {
  std::string path;  // site-relative
  InputKind kind;
  bool removed = false;  // else added or modified
};

struct InputScan {
  std::map<std::string, StoredInput> current;  // every input now, with its hash
  std::vector<InputChange> changes;            // sorted by path
  // The bytes of changed site.toml and data files: recorded as snapshots so the
  // next change can be diffed against them.
  std::map<std::string, std::string> snapshots;
  // Files listed but refused when read (a link out of the site, over a size
  // limit): left out of `current`, as if gone.
  std::vector<Error> unreadable;
  // New page files left unread (see compare_inputs): in `current` with an
  // empty hash until fill_page_hashes.
  std::vector<std::string> unhashed_pages;
};

// Every input file of the site with its stat signature (sorted by path); the
// file system half of the scan, which needs nothing from the state index.
struct InputListing {
  std::vector<std::string> files;
  std::vector<std::string> signatures;  // "" for a file that vanished
};
// Lists the site's folders with `lister` and stats every file on `disk`, up to
// `jobs` at once. A folder that cannot be listed is the error: taken as empty,
// the files in it would look removed, and their outputs would be deleted.
Result<InputListing> list_inputs(const SitePaths& paths, const SiteConfig& config, int jobs,
                                 const FolderLister& lister, const Disk& disk);

// The comparison half: reads (from `disk`, within the size limit of each
// file's kind) and hashes only the files whose signature changed, up to
// `jobs` at once. With `defer_new_pages`, a page file the index does not know
// is not read here but listed in `unhashed_pages` (it is new whatever its
// bytes; preparing its page reads it anyway, and fill_page_hashes takes the
// hash from there): a build from nothing reads each page once.
InputScan compare_inputs(const SitePaths& paths, const SiteConfig& config, const InputListing& listing,
                         const std::map<std::string, StoredInput>& stored, const Disk& disk, int jobs,
                         bool defer_new_pages = false);

// Completes `scan.unhashed_pages` with the hashes of the page files read
// while preparing (`read`: path and content hash, "" for a file that could
// not be parsed); the rest (pages not prepared, files not parsed) are read and
// hashed here, as compare_inputs would have.
void fill_page_hashes(const SitePaths& paths, const SiteConfig& config, const Disk& disk, InputScan& scan,
                      const std::vector<InputFile>& read);

// What a site-relative path is an input of (anything not a page, template,
// static file or site.toml counts as data).
InputKind input_kind(const std::string& path, const SiteConfig& config);

// Reads static/<path> beneath the site, at most [limits] static_bytes of it
// (the whole file is held in memory to hash and to copy it); the error names
// the file and the setting that raises the limit.
Result<std::string> read_static_file(const SitePaths& paths, const SiteConfig& config, const std::string& path,
                                     const Disk& disk);

}  // namespace isrgen
