#include "engine/output_writer.h"

#include "engine/page_metadata_json.h"
#include "site/page_urls.h"
#include "util/clock.h"
#include "util/hash.h"

namespace isrgen {
namespace {

std::string joined_signature(const std::string& html, const std::string& metadata) { return html + "|" + metadata; }

// How to write a file the build stat'ed as `observed` ("": not there): one
// seen missing is created without looking again.
WriteMode mode_for(std::string_view observed) { return observed.empty() ? WriteMode::kCreate : WriteMode::kIfChanged; }

// The HTML, unless the output is known to hold it already: with the files as
// recorded, equal hashes mean equal bytes, and different ones a rewrite
// without reading the old file back.
Result<WrittenFile> write_html(Disk& disk, const fs::path& out, const RenderedPage& page, const std::string& hash,
                               const PageRecord* previous, bool output_as_recorded, std::string_view observed) {
  if (!previous || !output_as_recorded) return disk.write(out, page.output, page.html, mode_for(observed));
  if (previous->output_hash == hash) return WrittenFile{false, disk.signature(out, page.output)};
  return disk.write(out, page.output, page.html, WriteMode::kReplace);
}

}  // namespace

Result<WrittenPage> write_page(Disk& disk, const fs::path& out, const RenderedPage& page, const PageRecord* previous,
                               bool output_as_recorded, const std::string* observed_signature, int64_t now_ms) {
  // Not looked at: as if both files were there (written only if changed).
  const std::string_view observed = observed_signature ? std::string_view(*observed_signature) : "?|?";
  const size_t bar = observed.find('|');
  const std::string_view observed_html = observed.substr(0, bar);
  const std::string_view observed_metadata = bar == std::string::npos ? std::string_view() : observed.substr(bar + 1);
  WrittenPage written;
  PageRecord& record = written.record;
  record.key = {page.page, page.lang};
  record.tenant = page.tenant;
  record.output = page.output;
  record.url = page.url;
  record.priority = page.priority;
  record.output_hash = content_hash(page.html);
  record.tags = page.tags;
  record.inputs = page.inputs;
  for (const assets::AssetOutput& asset : page.asset_outputs) record.asset_outputs.push_back(asset.output);

  auto html = write_html(disk, out, page, record.output_hash, previous, output_as_recorded, observed_html);
  if (!html.ok()) return html.error();
  written.html_changed = html.value().written;

  bool same_output = previous && previous->output_hash == record.output_hash && !written.html_changed;
  record.generated_at_ms = same_output ? previous->generated_at_ms : now_ms;
  std::string metadata = page_metadata_json(page, record.output_hash, format_iso8601_utc(record.generated_at_ms));
  // The metadata on disk as recorded holds the old output_hash: with a new
  // one, its bytes differ for sure and it is rewritten without being read.
  const WriteMode metadata_mode = previous && output_as_recorded && previous->output_hash != record.output_hash
                                      ? WriteMode::kReplace
                                      : mode_for(observed_metadata);
  auto meta = disk.write(out, metadata_path_for(page.output), metadata, metadata_mode);
  if (!meta.ok()) return meta.error();
  record.output_signature = joined_signature(html.value().signature, meta.value().signature);
  return written;
}

std::vector<std::string> output_signatures(const Disk& disk, const fs::path& out,
                                           const std::vector<VariantSlot>& slots, int jobs) {
  std::vector<std::string> files;  // each slot's HTML and metadata, one after the other
  for (const VariantSlot& slot : slots) {
    if (slot.problem) continue;
    files.push_back(slot.output);
    files.push_back(metadata_path_for(slot.output));
  }
  std::vector<std::string> stated = disk.signatures(out, files, jobs);
  std::vector<std::string> signatures(slots.size());
  size_t next = 0;
  for (size_t i = 0; i < slots.size(); ++i) {
    if (slots[i].problem) continue;
    signatures[i] = joined_signature(stated[next], stated[next + 1]);
    next += 2;
  }
  return signatures;
}

std::string output_signature(const SignatureReader& out_folder, const std::string& output) {
  return joined_signature(out_folder.signature(output), out_folder.signature(metadata_path_for(output)));
}

}  // namespace isrgen
