// Copies static/<tenant>/... to out/<tenant>/... as they are (ARCHITECTURE §1),
// but for JPEGs and PNGs under [images] strip_metadata, published without
// their EXIF, XMP, IPTC and text (assets/metadata_strip.h):
// only files that changed since the last build, or whose copy in the output is
// missing or was edited; removes the copies of files that are gone. Writes are
// atomic and skipped when the bytes on disk are already right.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "engine/disk.h"
#include "engine/input_scan.h"
#include "site/site_config.h"
#include "site/site_paths.h"
#include "state/dep_index.h"
#include "util/error.h"

namespace isrgen {

struct StaticSync {
  std::map<std::string, StoredStaticFile> outputs;  // every static output now (relative to out/)
  std::vector<std::string> deleted;    // copies removed from the output
  std::vector<std::string> forgotten;  // static outputs the state index no longer records (deleted ones included)
  std::vector<Error> errors;  // files that could not be copied, or belong to no tenant
};

// Brings the static copies in the output up to date with `scan` on `disk`;
// `previous`: what the last build copied. `page_outputs`: the HTML outputs of
// the site's pages. A static file that would land on one (or on its metadata)
// is an error and is not copied, and a static copy that is gone is not removed
// from where a page publishes now.
StaticSync sync_static_files(const SitePaths& paths, const SiteConfig& config, const InputScan& scan,
                             const std::map<std::string, StoredStaticFile>& previous,
                             const std::set<std::string>& page_outputs, Disk& disk);

}  // namespace isrgen
