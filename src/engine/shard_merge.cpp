#include "engine/shard_merge.h"

#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include "engine/alias_pages.h"
#include "engine/build_record.h"
#include "engine/shard.h"
#include "site/page_urls.h"
#include "state/dep_index.h"
#include "state/signature_relocation.h"
#include "util/confined_file.h"
#include "util/fs.h"

namespace isrgen {
namespace {

namespace fs = std::filesystem;

struct Part {
  SitePaths paths;
  Shard shard;
  std::unique_ptr<DepIndex> index;
};

// The part's index and the shard it holds; a folder without one, or holding
// the whole site, is no part.
Result<Part> open_part(const SitePaths& paths) {
  std::error_code ec;
  if (!fs::is_regular_file(paths.state_db(), ec))
    return make_error(paths.state_db().string(), 0,
                      "no state index here: give the folders the shards were built in (isrgen build --shard I/N)");
  auto index = DepIndex::open(paths.state_db());
  if (!index.ok()) return index.error();
  auto stored = index.value()->load_shard();
  if (!stored.ok()) return stored.error();
  auto shard = parse_shard(stored.value(), paths.state_db().string());
  if (!shard.ok()) return shard.error();
  if (!shard.value().sharded())
    return make_error(paths.state_db().string(), 0,
                      "this folder holds a build of the whole site, not a shard: give only folders built with --shard");
  return Part{paths, shard.value(), std::move(index.value())};
}

// Every shard 1..N of one count, each once.
Status check_complete(const std::vector<Part>& parts) {
  const int count = parts.front().shard.count;
  std::map<int, const Part*> by_index;
  for (const Part& part : parts) {
    if (part.shard.count != count)
      return make_error(part.paths.state_db().string(), 0,
                        "shard " + shard_text(part.shard) + " is of another sharding than shard " +
                            shard_text(parts.front().shard) + ": give the parts of one sharded build");
    if (!by_index.emplace(part.shard.index, &part).second)
      return make_error(part.paths.state_db().string(), 0,
                        "shard " + shard_text(part.shard) + " is given twice (also in " +
                            by_index[part.shard.index]->paths.root.string() + "): give each shard once");
  }
  std::string missing;
  for (int index = 1; index <= count; ++index)
    if (!by_index.contains(index)) missing += (missing.empty() ? "" : ", ") + std::to_string(index);
  if (!missing.empty())
    return make_error(parts.front().paths.root.string(), 0,
                      "shards " + missing + " of " + std::to_string(count) +
                          " are missing: give the folders of every shard of the build");
  return Status::Ok();
}

// The parts saw the same site: the same input files, byte for byte, and the
// same records of each remote source. Else their pages would not fit together.
Status check_same_inputs(const std::vector<Part>& parts) {
  auto first_inputs = parts.front().index->load_inputs();
  if (!first_inputs.ok()) return first_inputs.error();
  auto first_sources = parts.front().index->load_source_snapshots();
  if (!first_sources.ok()) return first_sources.error();
  auto refuse = [&](const Part& part, const std::string& what) {
    return make_error(part.paths.state_db().string(), 0,
                      "shard " + shard_text(part.shard) + " was built from other inputs than shard " +
                          shard_text(parts.front().shard) + " (" + what +
                          "): build every shard from the same commit, and fetch remote data once (--offline "
                          "with the same snapshots)");
  };
  for (const Part& part : parts) {
    auto inputs = part.index->load_inputs();
    if (!inputs.ok()) return inputs.error();
    auto sources = part.index->load_source_snapshots();
    if (!sources.ok()) return sources.error();
    std::set<std::string> paths;
    for (const auto& [path, input] : inputs.value()) paths.insert(path);
    for (const auto& [path, input] : first_inputs.value()) paths.insert(path);
    for (const std::string& path : paths) {
      auto mine = inputs.value().find(path);
      auto theirs = first_inputs.value().find(path);
      if (mine == inputs.value().end() || theirs == first_inputs.value().end() ||
          mine->second.hash != theirs->second.hash)
        return refuse(part, path + " differs");
    }
    if (sources.value().size() != first_sources.value().size()) return refuse(part, "other remote sources");
    for (const auto& [source, snapshot] : sources.value()) {
      auto theirs = first_sources.value().find(source);
      if (theirs == first_sources.value().end() || theirs->second.content_hash != snapshot.content_hash)
        return refuse(part, "the data of remote source " + source + " differs");
    }
  }
  return Status::Ok();
}

// An output path as an index records it: relative, and staying below out/.
bool stays_below(const std::string& output) {
  const fs::path path(output);
  if (output.empty() || path.is_absolute()) return false;
  return std::none_of(path.begin(), path.end(), [](const fs::path& part) { return part == ".."; });
}

// Copies `output` of the part's output into `into`'s, when there; the
// signature of the part's file maps to the copy's.
Status copy_output(const SitePaths& part, const SitePaths& into, const std::string& output, SignatureMap& here,
                   MergeReport& report) {
  if (!stays_below(output))
    return make_error(part.state_db().string(), 0,
                      "the index records an output outside the output folder: " + output + " (rebuild this shard)");
  const fs::path source = part.out / output;
  // isrgen writes no links into an output: one in a part (a tampered
  // artifact) could lead to any file of the machine, which would be published.
  std::error_code ec;
  if (fs::is_symlink(fs::symlink_status(source, ec)))
    return make_error(source.string(), 0, "a symbolic link in a shard's output, which isrgen never writes: rebuild this shard");
  const std::string signature = file_signature(source);
  if (signature.empty()) return Status::Ok();  // never written, or removed: the next build renders it
  if (Status copied = copy_file_atomic(source, into.out / output); !copied.ok()) return copied;
  here[signature] = file_signature(into.out / output);
  ++report.copied;
  return Status::Ok();
}

// The image variants and fingerprinted copies the part's pages use (each
// shard publishes those of its own pages), the sizes of images it read, and
// its encode-once cache, so the merged folder encodes none of them again.
Status take_assets(const Part& part, const SitePaths& into, BuildRecord& record, MergeReport& report) {
  auto outputs = part.index->load_asset_outputs();
  if (!outputs.ok()) return outputs.error();
  for (const auto& [output, file] : outputs.value()) {
    if (record.asset_outputs.contains(output)) continue;  // the same variant, published by another shard too
    SignatureMap here;
    if (Status copied = copy_output(part.paths, into, output, here, report); !copied.ok()) return copied;
    StoredAssetOutput moved = file;
    moved.signature = relocated_signature(file.signature, here);
    record.asset_outputs.emplace(output, std::move(moved));
  }
  auto sizes = part.index->load_image_sizes();
  if (!sizes.ok()) return sizes.error();
  record.image_sizes.insert(sizes.value().begin(), sizes.value().end());
  std::error_code ec;
  for (fs::directory_iterator it(part.paths.asset_cache(), ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file(ec) || it->is_symlink(ec)) continue;
    const fs::path copy = into.asset_cache() / it->path().filename();
    if (fs::exists(copy, ec)) continue;
    if (Status copied = copy_file_atomic(it->path(), copy); !copied.ok()) return copied;
  }
  return Status::Ok();
}

// The part's pages, page errors and deferred pages into `record`, their files
// into the output. A page another part recorded too is refused.
Status take_pages(const Part& part, const SitePaths& into, std::set<PageKey>& taken, BuildRecord& record,
                  MergeReport& report) {
  auto pages = part.index->load_pages();
  if (!pages.ok()) return pages.error();
  auto deferred = part.index->load_deferred_pages();
  if (!deferred.ok()) return deferred.error();
  auto errors = part.index->load_page_errors();
  if (!errors.ok()) return errors.error();
  auto asset_outputs = part.index->load_page_asset_outputs();
  if (!asset_outputs.ok()) return asset_outputs.error();
  auto overlap = [&](const PageKey& key) {
    return make_error(part.paths.state_db().string(), 0,
                      "page " + key.page + " (" + key.lang + ") is in two shards: build every shard with the same "
                      "isrgen and the same count");
  };
  for (const auto& [key, summary] : pages.value()) {
    if (!taken.insert(key).second) return overlap(key);
    auto page = part.index->load_page(key);
    if (!page.ok()) return page.error();
    SignatureMap here;
    for (const std::string& file : {page.value().output, metadata_path_for(page.value().output)})
      if (Status copied = copy_output(part.paths, into, file, here, report); !copied.ok()) return copied.error();
    page.value().output_signature = relocated_signature(page.value().output_signature, here);
    if (auto used = asset_outputs.value().find(key); used != asset_outputs.value().end())
      page.value().asset_outputs = used->second;
    record.pages.push_back(std::move(page.value()));
  }
  if (Status took = take_assets(part, into, record, report); !took.ok()) return took;
  for (const auto& [key, page] : deferred.value()) {
    if (!taken.insert(key).second) return overlap(key);
    record.deferred_pages.push_back(page);
  }
  record.page_errors.insert(errors.value().begin(), errors.value().end());
  return Status::Ok();
}

// What shard 1 alone holds: the static files (copied), and the inputs and
// remote snapshots every shard shares. Input signatures are those of the
// shard's folder, so the next build hashes the inputs again.
Status take_site_wide(const Part& first, const SitePaths& into, BuildRecord& record, MergeReport& report) {
  auto statics = first.index->load_static_files();
  if (!statics.ok()) return statics.error();
  for (auto& [output, file] : statics.value()) {
    SignatureMap here;
    if (Status copied = copy_output(first.paths, into, output, here, report); !copied.ok()) return copied.error();
    record.static_files.emplace(output, StoredStaticFile{file.hash, relocated_signature(file.signature, here)});
  }
  auto inputs = first.index->load_inputs();
  if (!inputs.ok()) return inputs.error();
  for (const auto& [path, input] : inputs.value()) {
    auto snapshot = first.index->load_snapshot(path);
    if (!snapshot.ok()) return snapshot.error();
    record.inputs.push_back({path, StoredInput{"", input.hash}, std::move(snapshot.value())});
  }
  auto sources = first.index->load_source_snapshots();
  if (!sources.ok()) return sources.error();
  for (auto& [name, snapshot] : sources.value()) record.source_snapshots.push_back(std::move(snapshot));
  return Status::Ok();
}

// Each shard's alias pages (engine/alias_pages.h), copied, and its records of
// redirects combined per tenant: the pages of a page's aliases are in its shard.
Status take_redirects(const std::vector<Part>& parts, const SitePaths& into, MergeReport& report) {
  std::map<std::string, RedirectsByAlias> merged;  // by tenant
  for (const Part& part : parts) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(part.paths.out, ec)) {
      if (!entry.is_directory(ec) || entry.is_symlink(ec)) continue;
      const std::string tenant = entry.path().filename().string();
      auto text = read_file_beneath(part.paths.out, tenant + "/" + kRedirectsName, 64 << 20);
      if (!text.ok()) continue;
      for (auto& [alias, redirect] : parse_redirect_record(text.value())) {
        if (!redirect.output.starts_with(tenant + "/")) continue;
        SignatureMap unused;
        if (Status copied = copy_output(part.paths, into, redirect.output, unused, report); !copied.ok()) return copied;
        merged[tenant].emplace(alias, std::move(redirect));
      }
    }
  }
  for (const auto& [tenant, redirects] : merged)
    if (Status written = write_file_atomic(into.out / tenant / kRedirectsName, redirect_record_json(redirects));
        !written.ok())
      return written;
  return Status::Ok();
}

}  // namespace

Result<MergeReport> merge_shards(const SitePaths& into, const std::vector<SitePaths>& part_paths, int64_t now_ms) {
  if (part_paths.empty())
    return make_error(into.root.string(), 0, "no shard folders given: name the folder of every shard");
  std::vector<Part> parts;
  for (const SitePaths& paths : part_paths) {
    auto part = open_part(paths);
    if (!part.ok()) return part.error();
    parts.push_back(std::move(part.value()));
  }
  std::sort(parts.begin(), parts.end(), [](const Part& a, const Part& b) { return a.shard.index < b.shard.index; });
  if (Status complete = check_complete(parts); !complete.ok()) return complete.error();
  if (Status same = check_same_inputs(parts); !same.ok()) return same.error();

  auto target = DepIndex::open(into.state_db());
  if (!target.ok()) return target.error();
  auto recorded = target.value()->load_pages();
  if (!recorded.ok()) return recorded.error();
  auto stored_shard = target.value()->load_shard();
  if (!stored_shard.ok()) return stored_shard.error();
  if (!recorded.value().empty() || !stored_shard.value().empty())
    return make_error(into.state_db().string(), 0,
                      "this folder has been built already: merge the shards into a fresh copy of the site");

  MergeReport report;
  report.shards = static_cast<int>(parts.size());
  BuildRecord record;
  std::set<PageKey> taken;
  for (const Part& part : parts)
    if (Status took = take_pages(part, into, taken, record, report); !took.ok()) return took.error();
  if (Status took = take_site_wide(parts.front(), into, record, report); !took.ok()) return took.error();
  if (Status took = take_redirects(parts, into, report); !took.ok()) return took.error();
  report.pages = static_cast<int>(taken.size());

  auto transaction = target.value()->begin_build();
  if (!transaction.ok()) return transaction.error();
  BuildSummary summary{now_ms, now_ms, "merge-state", report.pages, 0, 0, 0};
  if (Status committed = record_build(*transaction.value(), record, summary); !committed.ok())
    return committed.error();
  return report;
}

}  // namespace isrgen
