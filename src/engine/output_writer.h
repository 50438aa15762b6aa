// Publishes a rendered page: its HTML and, beside it, index.metadata.json
// (ARCHITECTURE §2). Both writes are atomic and skipped when the bytes on disk
// are already right, so unchanged pages keep their mtime and inode.
//
// A page's output signature is the stat signature of its HTML and of its
// metadata, "|"-joined (one side empty when that file is missing): recorded
// after writing, it tells the next build, by stat alone, whether either file
// was deleted or edited since.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "engine/disk.h"
#include "engine/page_variants.h"
#include "render/page_renderer.h"
#include "state/dep_index.h"
#include "util/error.h"
#include "util/fs.h"

namespace isrgen {

struct WrittenPage {
  PageRecord record;     // what the state index keeps (tags, inputs, hashes)
  bool html_changed = false;
};

// Writes `page` below `out`. `previous` is the page's record from the last
// build, if any: its generated_at is kept while the HTML stays the same, so
// the metadata bytes stay the same too. `output_as_recorded`: the planner saw
// the output files exactly as `previous` recorded them, so the recorded hash
// tells whether the HTML changed without reading the file back.
// `observed_signature`: the page's output signature as the build stat'ed it
// before rendering, if it did; a file seen missing there is created without
// looking again.
Result<WrittenPage> write_page(Disk& disk, const std::filesystem::path& out, const RenderedPage& page,
                               const PageRecord* previous, bool output_as_recorded,
                               const std::string* observed_signature, int64_t now_ms);

// The output signature of every slot below `out`, in slot order ("" for a
// slot with a problem, which publishes nothing); up to `jobs` threads stat.
std::vector<std::string> output_signatures(const Disk& disk, const std::filesystem::path& out,
                                           const std::vector<VariantSlot>& slots, int jobs);

// The output signature of the page publishing to `output`, stat'ed relative
// to an open folder (the output folder, or a page's own folder with
// output "index.html"), for those that walk an output folder themselves.
std::string output_signature(const SignatureReader& out_folder, const std::string& output);

}  // namespace isrgen
