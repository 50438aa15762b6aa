#include "engine/output_writer.h"

#include "engine/planner.h"
#include "site/page_urls.h"
#include "util/clock.h"
#include "util/fs.h"
#include "util/hash.h"

namespace isrgen {

namespace {

nlohmann::ordered_json metadata_without_time(const RenderedPage& page, const std::string& output_hash) {
  nlohmann::ordered_json inputs = nlohmann::ordered_json::array();
  for (const InputFile& input : page.inputs) inputs.push_back({{"path", input.path}, {"hash", input.hash}});
  return {{"page", page.page},
          {"tenant", page.tenant},
          {"lang", page.lang},
          {"url", page.url},
          {"permalink", page.permalink},
          {"output", page.output},
          {"priority", page.priority},
          {"tags", page.tags},
          {"inputs", std::move(inputs)},
          {"output_hash", output_hash}};
}

}  // namespace

namespace {

Result<WriteOutcome> write_html(const SitePaths& paths, const RenderedPage& page, const std::string& hash,
                                const PageRecord* previous, bool output_as_recorded) {
  if (!previous || !output_as_recorded)
    return write_file_if_changed(paths.out / page.output, page.html, paths.out_temp());
  if (previous->output_hash == hash) return WriteOutcome::kUnchanged;
  Status written = write_file_atomic(paths.out / page.output, page.html, paths.out_temp());
  if (!written.ok()) return written.error();
  return WriteOutcome::kWritten;
}

}  // namespace

Result<WrittenPage> write_page(const SitePaths& paths, const RenderedPage& page, const PageRecord* previous,
                               bool output_as_recorded, int64_t now_ms) {
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

  auto html = write_html(paths, page, record.output_hash, previous, output_as_recorded);
  if (!html.ok()) return html.error();
  written.html_changed = html.value() == WriteOutcome::kWritten;

  nlohmann::ordered_json metadata = metadata_without_time(page, record.output_hash);
  bool same_output = previous && previous->output_hash == record.output_hash && !written.html_changed;
  record.generated_at_ms = same_output ? previous->generated_at_ms : now_ms;
  metadata["generated_at"] = format_iso8601_utc(record.generated_at_ms);
  auto meta = write_file_if_changed(paths.out / metadata_path_for(page.output), metadata.dump(2) + "\n",
                                    paths.out_temp());
  if (!meta.ok()) return meta.error();
  record.output_signature = output_signature(SignatureReader(paths.out), page.output);
  return written;
}

}  // namespace isrgen
