// Publishes a rendered page: its HTML and, beside it, index.metadata.json
// (ARCHITECTURE §2). Both writes are atomic and skipped when the bytes on disk
// are already right, so unchanged pages keep their mtime and inode.
#pragma once

#include <filesystem>
#include <string>

#include "render/page_renderer.h"
#include "site/site_paths.h"
#include "state/dep_index.h"
#include "util/error.h"

namespace isrgen {

struct WrittenPage {
  PageRecord record;     // what the state index keeps (tags, inputs, hashes)
  bool html_changed = false;
};

// `previous` is the page's record from the last build, if any: its generated_at
// is kept while the HTML stays the same, so the metadata bytes stay the same too.
// `output_as_recorded`: the planner saw the output files exactly as `previous`
// recorded them, so the recorded hash tells whether the HTML changed without
// reading the file back.
Result<WrittenPage> write_page(const SitePaths& paths, const RenderedPage& page, const PageRecord* previous,
                               bool output_as_recorded, int64_t now_ms);

}  // namespace isrgen
