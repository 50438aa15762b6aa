#include "engine/builder.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <map>
#include <optional>
#include <set>

#include "data/source_catalog.h"
#include "data/source_refresh.h"
#include "assets/asset_pipeline.h"
#include "engine/alias_pages.h"
#include "engine/asset_outputs.h"
#include "engine/build_record.h"
#include "engine/deferral.h"
#include "engine/input_scan.h"
#include "engine/invalidation.h"
#include "engine/not_found_page.h"
#include "engine/output_writer.h"
#include "engine/page_record_writer.h"
#include "engine/page_variants.h"
#include "engine/parallel.h"
#include "engine/planner.h"
#include "engine/previous_build.h"
#include "engine/precache_manifest.h"
#include "engine/static_files.h"
#include "engine/tenant_files.h"
#include "render/markdown.h"
#include "render/key_warnings.h"
#include "render/page_renderer.h"
#include "render/template_set.h"
#include "site/dependency_tag.h"
#include "site/page_scan.h"
#include "site/page_urls.h"
#include "site/site_config.h"
#include "site/url_lookup.h"
#include "state/dep_index.h"
#include "util/fs.h"

namespace isrgen {
namespace {

// Measures consecutive phases of a build on a steady clock (wall time).
class PhaseTimer {
 public:
  explicit PhaseTimer(BuildReport& report) : report_(report), last_(std::chrono::steady_clock::now()) {}
  void end(const char* phase) {
    auto now = std::chrono::steady_clock::now();
    report_.phase_ms.emplace_back(phase, std::chrono::duration_cast<std::chrono::milliseconds>(now - last_).count());
    last_ = now;
  }

 private:
  BuildReport& report_;
  std::chrono::steady_clock::time_point last_;
};

// ---- load ----------------------------------------------------------------

// Everything a build reads before it decides anything.
struct LoadedBuild {
  PreviousBuild previous;
  data::RemoteRefresh refresh;
  TemplateSet templates;
  InputListing listing;
  PageScan page_scan;
  std::vector<VariantSlot> slots;
  std::vector<std::string> output_signatures;  // in slot order; all "" in a build from nothing
};

// What to refetch of the remote sources. Revalidate tags that stand for a
// remote source's data (source:jobs, jobs:42) refetch it; the diff of the new
// records then decides which pages render, so unchanged data renders nothing.
data::RefreshRequest refresh_request(const SiteConfig& config, const BuildOptions& options) {
  data::RefreshRequest request;
  request.refresh_stale = options.refresh_stale_sources;
  request.refetch_all = options.force;
  request.offline = options.offline;
  for (const std::string& tag : options.tags) request.named.merge(data::remote_sources_named(tag, config));
  return request;
}

// The page files among the inputs listed (sorted, as the listing is).
std::vector<std::string> page_files_of(const InputListing& listing, const SiteConfig& config) {
  std::vector<std::string> page_files;
  for (size_t i = 0; i < listing.files.size(); ++i)
    if (!listing.signatures[i].empty() && input_kind(listing.files[i], config) == InputKind::kPage &&
        listing.files[i].ends_with(".md"))
      page_files.push_back(listing.files[i]);
  return page_files;
}

// Reads the state index, fetches the remote sources that need it, loads the
// templates and lists and stats the site's files and outputs. The three
// overlap: the fetch starts from the snapshots (read first) on a thread of its
// own, the rest of the index is read on another, and this one does the disk
// work; a build of an unchanged site is mostly the index read and the stats,
// and neither needs the other. An error here comes before anything was
// written or deleted (the other threads are waited for as their futures go).
Result<LoadedBuild> load_build(const SitePaths& paths, const SiteConfig& config, const DepIndex& index,
                               const BuildOptions& options, const Clock& clock) {
  auto snapshots = index.load_source_snapshots();
  if (!snapshots.ok()) return snapshots.error();
  auto from_nothing = index.holds_nothing();
  if (!from_nothing.ok()) return from_nothing.error();
  const data::RefreshRequest request = refresh_request(config, options);
  const data::EnvLookup env = options.env ? options.env : data::process_environment();
  auto refreshing = std::async(std::launch::async, [&] {
    return data::refresh_remote_sources(config, paths.content(), snapshots.value(), request, options.fetcher, clock,
                                        env);
  });
  auto previous_loading = std::async(std::launch::async, [&index] { return load_previous_build(index); });

  auto unlisted = [](Error error) {
    error.message += " (nothing was written or deleted: make it readable and build again)";
    return error;
  };
  auto templates = TemplateSet::load(paths, config.limits.template_bytes, *options.lister);
  if (!templates.ok()) return unlisted(templates.error());
  auto listing = list_inputs(paths, config, options.jobs, *options.lister, *options.disk);
  if (!listing.ok()) return unlisted(listing.error());
  PageScan page_scan = place_pages(page_files_of(listing.value(), config), config);
  std::vector<VariantSlot> slots = list_variant_slots(page_scan, config);
  std::erase_if(slots, [&](const VariantSlot& slot) { return !shard_owns(options.shard, slot.key.page); });
  // A build from nothing compares no output with a record, so it stats none:
  // each is written as seen missing, which looks first only where a file is.
  std::vector<std::string> signatures = from_nothing.value()
                                            ? std::vector<std::string>(slots.size())
                                            : output_signatures(*options.disk, paths.out, slots, options.jobs);

  auto previous = previous_loading.get();
  if (!previous.ok()) return previous.error();
  data::RemoteRefresh refresh = refreshing.get();
  previous.value().source_snapshots = std::move(snapshots.value());
  return LoadedBuild{std::move(previous.value()), std::move(refresh),         std::move(templates.value()),
                     std::move(listing.value()),  std::move(page_scan),       std::move(slots),
                     std::move(signatures)};
}

// ---- detect --------------------------------------------------------------

// What changed since the last build, and which pages that touches.
struct Detection {
  InputScan scan;
  Invalidation invalidation;
  std::map<PageKey, std::vector<std::string>> carrying;  // pages carrying invalidated tags
  std::map<PageKey, std::string> requested;             // pages asked for by URL, with the URL
  // For each remote source serving nothing: the pages that showed its data
  // before this build.
  std::map<std::string, std::set<PageKey>> showing_before;
};

// The page variants of the site at each of `urls`, each with the URL as given.
// Looked up in the scan, not the state index, so pages never rendered (new or
// deferred) are found too. A URL on no tenant is an error; one at which no
// page publishes finds nothing.
Result<std::map<PageKey, std::string>> pages_at_urls(const SiteConfig& config, const PageScan& page_scan,
                                                     const std::vector<VariantSlot>& slots,
                                                     const std::vector<std::string>& urls) {
  std::map<PageKey, std::string> found;
  if (urls.empty()) return found;
  std::multimap<std::pair<std::string, std::string>, PageKey> by_url;  // (tenant, url) -> variant
  for (const VariantSlot& slot : slots) {
    if (!slot.page) continue;
    const PageSources& page = page_scan.pages[*slot.page];
    std::string url = page_address(page.tenant, page.slug, slot.key.lang, config.default_language).url;
    by_url.emplace(std::pair(page.tenant, std::move(url)), slot.key);
  }
  for (const std::string& url : urls) {
    auto where = resolve_url(config, url);
    if (!where.ok()) return where.error();
    auto [first, last] = by_url.equal_range({where.value().tenant, where.value().url});
    for (auto it = first; it != last; ++it) found.emplace(it->second, url);
  }
  return found;
}

// Compares the inputs with the previous build's (reading only those whose stat
// changed), turns the changes into invalidated tags (with those the options
// and the refresh add), and asks the index which pages carry them. Writes
// nothing.
Result<Detection> detect_changes(const SitePaths& paths, const SiteConfig& config, const LoadedBuild& site,
                                 const data::SourceCatalog& sources, const BuildOptions& options) {
  const PreviousBuild& previous = site.previous;
  Detection detected;
  // A build from nothing reads each new page file once, when preparing it.
  const bool defer_new_pages =
      previous.is_empty() && config.prerender == Prerender::kAll && !options.shard.sharded();
  detected.scan =
      compare_inputs(paths, config, site.listing, previous.inputs, *options.disk, options.jobs, defer_new_pages);
  if (!options.force && !previous.is_empty())  // else every page renders anyway
    detected.invalidation = invalidate(detected.scan, config, sources, [&](const std::string& path) {
      return previous.lookup.snapshot_of(path);
    });
  std::set<std::string>& tags = detected.invalidation.tags;
  for (const std::string& tag : options.tags)
    if (!data::names_remote_data_only(tag, config)) tags.insert(tag);
  tags.insert(site.refresh.invalidated.begin(), site.refresh.invalidated.end());
  if (!options.force)
    for (std::string& tag : damaged_asset_tags(paths, previous.asset_outputs, *options.disk)) tags.insert(std::move(tag));
  auto carrying = previous.lookup.pages_with_tags(std::vector<std::string>(tags.begin(), tags.end()));
  if (!carrying.ok()) return carrying.error();
  detected.carrying = std::move(carrying.value());
  auto requested = pages_at_urls(config, site.page_scan, site.slots, options.urls);
  if (!requested.ok()) return requested.error();
  detected.requested = std::move(requested.value());
  for (const data::DegradedSource& degraded : site.refresh.degraded) {
    if (degraded.serving != data::Serving::kNothing) continue;
    auto showing = previous.lookup.pages_with_tags(whole_source_tags(degraded.source));
    if (!showing.ok()) return showing.error();
    std::set<PageKey>& pages = detected.showing_before[degraded.source];
    for (const auto& [key, carried] : showing.value()) pages.insert(key);
  }
  return detected;
}

// ---- prepare and render ----------------------------------------------------

// The prepared variants to render, in priority order; variants that cannot be
// prepared carry their error. `read` counts the variants whose page files were
// read and parsed.
std::vector<VariantJob> prepare_planned(const SitePaths& paths, const SiteConfig& config, const PageScan& page_scan,
                                        const std::vector<VariantSlot>& slots,
                                        const RenderPlan& planned, int jobs,
                                        int& read) {
  std::vector<size_t> pages;
  for (const VariantSlot& slot : slots)
    if (slot.page && planned.contains(slot.key) && (pages.empty() || pages.back() != *slot.page))
      pages.push_back(*slot.page);
  std::vector<std::vector<VariantJob>> per_page(pages.size());
  parallel_for(pages.size(), jobs,
               [&](size_t i) { per_page[i] = prepare_variants(page_scan.pages[pages[i]], paths, config); });
  std::vector<VariantJob> prepared;
  for (auto& variants : per_page) {
    read += static_cast<int>(variants.size());
    for (VariantJob& job : variants)
      if (planned.contains(job.key)) prepared.push_back(std::move(job));
  }
  sort_by_priority(prepared);
  return prepared;
}

// The output files of the pages about to render, as the build stat'ed them.
struct OutputsSeen {
  std::map<PageKey, std::string> signatures;  // output signature of each (engine/output_writer.h)
  std::set<PageKey> as_recorded;  // those on disk exactly as the last build left them
};

// Looks at the pages planned only (a build that renders nothing looks at none).
OutputsSeen outputs_seen(const std::vector<VariantSlot>& slots, const std::vector<std::string>& signatures,
                         const RenderPlan& planned, const PreviousBuild& previous) {
  OutputsSeen seen;
  for (size_t i = 0; i < slots.size() && !planned.empty(); ++i) {
    if (!planned.contains(slots[i].key)) continue;
    seen.signatures.emplace(slots[i].key, signatures[i]);
    auto before = previous.pages.find(slots[i].key);
    if (before != previous.pages.end() && before->second.output == slots[i].output &&
        before->second.output_signature == signatures[i])
      seen.as_recorded.insert(slots[i].key);
  }
  return seen;
}

struct JobOutcome {
  std::optional<WrittenPage> written;
  std::optional<Error> error;
  std::vector<std::string> warnings;
  std::vector<assets::AssetOutput> asset_outputs;  // of a page written
};

// Renders and writes the pages of `jobs`, each page's record, its reasons
// filled in, handed to `recorder` as it finishes.
std::vector<JobOutcome> render_jobs(const SitePaths& paths, const PageRenderer& renderer,
                                    const std::vector<VariantJob>& jobs, const RenderPlan& planned,
                                    const PreviousBuild& previous, const OutputsSeen& outputs,
                                    const BuildOptions& options, const Clock& clock, PageRecordWriter& recorder) {
  std::vector<JobOutcome> outcomes(jobs.size());
  std::atomic<size_t> done{0};
  parallel_for(jobs.size(), options.jobs, [&](size_t i) {
    const VariantJob& job = jobs[i];
    JobOutcome& outcome = outcomes[i];
    if (job.error) {
      outcome.error = job.error;
    } else if (auto page = renderer.render(*job.variant); !page.ok()) {
      outcome.error = page.error();
    } else {
      auto found = previous.pages.find(job.key);
      // Even a forced build compares with what is on disk: a page whose bytes
      // did not change keeps its files and its generated_at.
      const PageRecord* before = found == previous.pages.end() ? nullptr : &found->second;
      auto seen = outputs.signatures.find(job.key);
      auto written = write_page(*options.disk, paths.out, page.value(), before, outputs.as_recorded.contains(job.key),
                                seen == outputs.signatures.end() ? nullptr : &seen->second,
                                clock.now_unix_ms());
      if (written.ok()) {
        outcome.written = std::move(written.value());
        PageRecord& record = outcome.written->record;
        record.reasons = reason_texts(planned.at(job.key));
        recorder.submit(record);  // left as it is from here on: the writer reads it
      } else {
        outcome.error = written.error();
      }
      outcome.warnings = std::move(page.value().warnings);
      outcome.asset_outputs = std::move(page.value().asset_outputs);
    }
    if (options.on_progress) options.on_progress(++done, jobs.size());
  });
  return outcomes;
}

// ---- record: the outcome, on disk and for the index ------------------------

// The HTML output of every page variant of the site now, whether it rendered,
// failed (keeping its last good output) or was left as it was.
std::set<std::string> page_outputs_of(const std::vector<VariantSlot>& slots) {
  std::set<std::string> outputs;
  for (const VariantSlot& slot : slots)
    if (!slot.output.empty()) outputs.insert(slot.output);
  return outputs;
}

// The outputs pages publish at now, without those of deferred pages: a file
// there is no page's, and goes when the page that wrote it goes.
std::set<std::string> published_outputs(std::set<std::string> page_outputs, const Deferral& deferral) {
  for (const auto& [key, page] : deferral.deferred()) page_outputs.erase(page.output);
  return page_outputs;
}

// Removes an output a page no longer publishes, unless another page publishes
// there now (a page replaced by a translation at the same URL): its file was
// written by this very build.
void retire_page_output(const SitePaths& paths, Disk& disk, const std::string& output,
                        const std::set<std::string>& page_outputs, BuildReport& report) {
  if (page_outputs.contains(output)) return;
  disk.remove(paths.out, output);
  disk.remove(paths.out, metadata_path_for(output));
  report.deleted.push_back(output);
}

// Pages: failures (kept with their last good output), rendered pages, and the
// outputs of pages that are gone or moved.
void record_pages(const SitePaths& paths, Disk& disk, const std::vector<VariantSlot>& slots,
                  const std::vector<VariantJob>& jobs, std::vector<JobOutcome>& outcomes,
                  const RenderPlan& planned, const PreviousBuild& previous,
                  const std::set<std::string>& page_outputs, BuildRecord& record, BuildReport& report) {
  auto fail = [&](const PageKey& key, const Error& error) {
    report.failed.push_back({key.page, key.lang, error.to_string(), error});
    report.environment_failed |= error.kind == ErrorKind::kEnvironment;
    record.page_errors[key] = error.to_string();
  };
  for (const VariantSlot& slot : slots)
    if (slot.problem) fail(slot.key, *slot.problem);
  for (size_t i = 0; i < jobs.size(); ++i) {
    const VariantJob& job = jobs[i];
    JobOutcome& outcome = outcomes[i];
    if (outcome.error) {
      fail(job.key, *outcome.error);
      continue;
    }
    PageRecord& page = outcome.written->record;
    auto before = previous.pages.find(job.key);
    if (before != previous.pages.end() && before->second.output != page.output)
      retire_page_output(paths, disk, before->second.output, page_outputs, report);
    report.rendered.push_back({job.key.page, job.key.lang, page.output, outcome.written->html_changed, planned.at(job.key)});
    for (std::string& warning : outcome.warnings) report.warnings.push_back({job.key.page, job.key.lang, std::move(warning)});
    if (outcome.written->html_changed) ++report.written;
    record.pages.push_back(std::move(page));
  }
  std::set<PageKey> current;
  for (const VariantSlot& slot : slots) current.insert(slot.key);
  for (const auto& [key, page] : previous.pages) {
    if (current.contains(key)) continue;
    retire_page_output(paths, disk, page.output, page_outputs, report);
    record.removed_pages.push_back(key);
  }
}

// A file of the build's own (a static file, a precache manifest) that failed.
void fail_file(const Error& error, BuildReport& report) {
  report.failed.push_back({error.file, "", error.to_string(), error});
  report.environment_failed |= error.kind == ErrorKind::kEnvironment;
}

void record_static_files(const StaticSync& statics, const PreviousBuild& previous, BuildRecord& record,
                         BuildReport& report) {
  for (const Error& error : statics.errors) fail_file(error, report);
  for (const auto& [output, file] : statics.outputs) {
    auto before = previous.static_files.find(output);
    bool same = before != previous.static_files.end() && before->second.hash == file.hash &&
                before->second.signature == file.signature;
    if (!same) record.static_files.emplace(output, file);
  }
  report.deleted.insert(report.deleted.end(), statics.deleted.begin(), statics.deleted.end());
  record.removed_static_files.insert(record.removed_static_files.end(), statics.forgotten.begin(),
                                     statics.forgotten.end());
}

// The pipeline of this build's asset references: static files' hashes as
// change detection saw them, image sizes as earlier builds recorded them.
assets::AssetPipeline make_asset_pipeline(const SitePaths& paths, const SiteConfig& config, const InputScan& scan,
                                          const PreviousBuild& previous, const BuildOptions& options, Disk& disk) {
  // Remote images are fetched once; `revalidate --tag asset:<url>` (or a
  // pattern reaching it) asks for one again.
  assets::RemoteFetching remote{options.fetcher, options.offline, [&options](const std::string& url) {
                                  const std::string tag = asset_tag(url);
                                  return std::any_of(options.tags.begin(), options.tags.end(),
                                                     [&](const std::string& asked) { return TagPattern(asked).matches(tag); });
                                }};
  std::map<std::string, assets::ImageInfo> sizes;
  for (const auto& [hash, size] : previous.image_sizes)
    if (auto format = assets::format_with_extension(size.format))
      sizes.emplace(hash, assets::ImageInfo{size.width, size.height, *format});
  return assets::AssetPipeline(
      config, paths.asset_cache(),
      [&scan](const std::string& path) -> std::optional<std::string> {
        auto found = scan.current.find(path);
        if (found == scan.current.end()) return std::nullopt;
        return found->second.hash;
      },
      [&paths, &disk](const std::string& path, int64_t max_bytes, const std::string& setting) {
        return disk.read(paths.root, path, static_cast<size_t>(max_bytes), setting);
      },
      std::move(sizes), std::move(remote));
}

// Publishes the asset outputs of the pages rendered now and removes those no
// page uses any more. Which outputs the other pages use is read from the
// index only when some page rendered or went (a build that renders nothing
// leaves every output as it is). The read is in the build's transaction,
// whose rows of the pages rendered now it skips: those of the others are as
// the last build recorded them.
Status record_asset_outputs(const SitePaths& paths, const SiteConfig& config, const std::vector<VariantJob>& jobs,
                            const std::vector<JobOutcome>& outcomes, const PreviousBuild& previous, Disk& disk,
                            BuildRecord& record, BuildReport& report) {
  std::map<std::string, assets::AssetOutput> used_now;
  std::set<PageKey> replaced(record.removed_pages.begin(), record.removed_pages.end());
  for (size_t i = 0; i < jobs.size(); ++i) {
    if (!outcomes[i].written) continue;
    replaced.insert(jobs[i].key);
    for (const assets::AssetOutput& asset : outcomes[i].asset_outputs) used_now.emplace(asset.output, asset);
  }
  std::set<std::string> used_elsewhere;
  if (!replaced.empty() && !previous.asset_outputs.empty()) {
    auto by_page = previous.lookup.page_asset_outputs();
    if (!by_page.ok()) return by_page.error();
    for (const auto& [key, outputs] : by_page.value())
      if (!replaced.contains(key)) used_elsewhere.insert(outputs.begin(), outputs.end());
  } else if (replaced.empty()) {
    for (const auto& [output, file] : previous.asset_outputs) used_elsewhere.insert(output);
  }
  AssetPublishing published = publish_asset_outputs(paths, config, used_now, used_elsewhere, previous.asset_outputs,
                                                    paths.asset_cache(), disk);
  for (const Error& error : published.errors) fail_file(error, report);
  record.asset_outputs = std::move(published.written);
  report.deleted.insert(report.deleted.end(), published.removed.begin(), published.removed.end());
  record.removed_asset_outputs = std::move(published.removed);
  return Status::Ok();
}

void record_asset_counts(const assets::AssetPipeline& pipeline, BuildRecord& record, BuildReport& report) {
  assets::AssetCounts counts = pipeline.counts();
  report.images_encoded = counts.encoded;
  report.images_reused = counts.reused;
  report.images_probed = counts.probed;
  report.images_fetched = counts.fetched;
  for (const auto& [hash, info] : pipeline.new_sizes())
    record.image_sizes.emplace(hash, StoredImageSize{info.width, info.height,
                                                     std::string(assets::format_extension(info.format))});
}

// The pages as the index will know them once this build is recorded: the
// last build's, less those gone, with those rendered now.
std::vector<const PageRecord*> pages_once_recorded(const PreviousBuild& previous, const BuildRecord& record) {
  std::vector<const PageRecord*> pages;
  std::set<PageKey> replaced(record.removed_pages.begin(), record.removed_pages.end());
  for (const PageRecord& page : record.pages) {
    replaced.insert(page.key);
    pages.push_back(&page);
  }
  for (const auto& [key, page] : previous.pages)
    if (!replaced.contains(key)) pages.push_back(&page);
  return pages;
}

// The aliases of the pages rendered now (engine/alias_pages.h), and what else
// decides them: the pages removed and every page's output.
AliasInputs alias_inputs(const SiteConfig& config, const std::vector<VariantJob>& jobs,
                         const std::vector<JobOutcome>& outcomes, const BuildRecord& record,
                         std::set<std::string> page_outputs) {
  AliasInputs aliases;
  for (size_t i = 0; i < jobs.size(); ++i) {
    if (outcomes[i].error || !jobs[i].variant) continue;
    const PageVariant& variant = *jobs[i].variant;
    AliasClaim claim{jobs[i].key, variant.tenant,
                     page_address(variant.tenant, variant.slug, variant.lang, config.default_language).url,
                     {variant.lang}, &variant.file};
    for (const Alternate& alternate : variant.alternates) claim.languages.push_back(alternate.lang);
    aliases.rendered.push_back(std::move(claim));
  }
  aliases.removed.insert(record.removed_pages.begin(), record.removed_pages.end());
  aliases.page_outputs = std::move(page_outputs);
  return aliases;
}

// Whether a tenant's sitemap, robots.txt or 404 pages may need writing: the
// build recorded a change (a page rendered, removed or deferred, an input or a
// static file changed, which covers site.toml and the templates) or one of
// them is missing. A build of an unchanged site thus neither reads nor writes
// them; one edited by hand is put right by the next build that changes anything.
bool tenant_outputs_may_change(const SitePaths& paths, const SiteConfig& config, const BuildRecord& record,
                               const BuildReport& report, const TemplateSet& templates, const Disk& disk) {
  if (!record.pages.empty() || !record.removed_pages.empty() || !record.deferred_pages.empty() ||
      !record.undeferred_pages.empty() || !record.static_files.empty() || !record.removed_static_files.empty() ||
      !record.inputs.empty() || !record.removed_inputs.empty() || !report.deleted.empty())
    return true;
  std::vector<std::string> expected;
  for (const auto& [id, tenant] : config.tenants) {
    if (tenant.sitemap) expected.push_back(id + "/" + kSitemapName);
    expected.push_back(id + "/" + kRobotsName);
    if (templates.layout(kNotFoundLayout))
      for (const std::string& lang : config.languages)
        expected.push_back(not_found_output(id, lang, config.default_language));
  }
  const std::vector<std::string> signatures = disk.signatures(paths.out, expected, 1);
  return std::any_of(signatures.begin(), signatures.end(), [](const std::string& s) { return s.empty(); });
}

// Every tenant's precache manifest, sitemap, robots.txt, 404 pages and alias
// pages, from the pages once recorded, the pages rendered now and the static
// outputs now.
void write_tenant_outputs(const SitePaths& paths, const SiteConfig& config, const PreviousBuild& previous,
                          const BuildRecord& record, const Deferral& deferral, const StaticSync& statics,
                          const TemplateSet& templates, const PageRenderer& renderer, AliasInputs aliases,
                          Disk& disk, BuildReport& report) {
  const std::vector<const PageRecord*> pages = pages_once_recorded(previous, record);
  TenantFileInputs inputs;
  for (const auto& [key, page] : previous.pages) {
    if (!config.tenants.contains(page.tenant)) inputs.former_tenants.insert(page.tenant);
    if (!config.has_language(key.lang)) inputs.former_languages.insert(key.lang);
  }
  PrecacheOutcome manifests =
      write_precache_manifests(paths.out, config, pages, statics.outputs, disk, inputs.former_tenants);
  for (const Error& error : manifests.errors) fail_file(error, report);
  report.deleted.insert(report.deleted.end(), manifests.removed.begin(), manifests.removed.end());

  if (!tenant_outputs_may_change(paths, config, record, report, templates, disk)) return;
  inputs.pages = pages;
  for (const auto& [key, page] : deferral.deferred()) inputs.deferred.push_back(&page);
  inputs.static_files = &statics.outputs;
  NotFoundPages not_found = render_not_found_pages(config, templates, renderer);
  inputs.not_found_pages = std::move(not_found.html);
  inputs.not_found_failed = std::move(not_found.failed);
  for (const Error& error : not_found.errors) fail_file(error, report);
  TenantFilesOutcome files = write_tenant_files(paths.out, config, inputs, disk);
  aliases.static_files = &statics.outputs;
  aliases.former_tenants = inputs.former_tenants;
  AliasOutcome redirects = write_alias_pages(paths.out, config, aliases, disk);
  files.written.insert(files.written.end(), redirects.written.begin(), redirects.written.end());
  files.removed.insert(files.removed.end(), redirects.removed.begin(), redirects.removed.end());
  files.errors.insert(files.errors.end(), redirects.errors.begin(), redirects.errors.end());
  for (const Error& error : files.errors) fail_file(error, report);
  // A static robots.txt or 404 page removed now gives way to the generated
  // one, and a page moved away to an alias page at its old URL.
  std::erase_if(report.deleted, [&](const std::string& output) {
    return std::find(files.written.begin(), files.written.end(), output) != files.written.end();
  });
  report.deleted.insert(report.deleted.end(), files.removed.begin(), files.removed.end());
}

// A shard's alias pages and records of redirects, which merge-state combines.
void write_shard_aliases(const SitePaths& paths, const SiteConfig& config, const StaticSync& statics,
                         AliasInputs aliases, Disk& disk, BuildReport& report) {
  aliases.static_files = &statics.outputs;
  AliasOutcome outcome = write_alias_pages(paths.out, config, aliases, disk);
  for (const Error& error : outcome.errors) fail_file(error, report);
  report.deleted.insert(report.deleted.end(), outcome.removed.begin(), outcome.removed.end());
}

void record_sources(const data::RemoteRefresh& refresh, const std::map<std::string, SourceSnapshot>& stored,
                    BuildRecord& record, BuildReport& report) {
  // A 304, an unchanged 200 or a failed refetch leaves the records as they
  // are: only the row's status is written, not the records again.
  for (const SourceSnapshot& snapshot : refresh.store) {
    auto before = stored.find(snapshot.source);
    if (before != stored.end() && before->second.content_hash == snapshot.content_hash)
      record.source_statuses.push_back(snapshot);
    else
      record.source_snapshots.push_back(snapshot);
  }
  record.removed_sources = refresh.forget;
  for (const data::FetchOutcome& fetch : refresh.fetched)
    report.fetched.push_back({fetch.source, fetch.outcome, fetch.status, fetch.attempts, fetch.elapsed_ms});
  for (const data::DegradedSource& degraded : refresh.degraded)
    report.degraded.push_back({degraded.source, degraded.error, degraded.serving,
                               degraded.snapshot_age_ms < 0 ? -1 : degraded.snapshot_age_ms / 1000, {}});
}

// What the next build compares with: changed signatures and hashes, and the
// snapshots of changed site.toml and data files.
void record_inputs(InputScan& scan, const PreviousBuild& previous, BuildRecord& record) {
  for (const auto& [path, input] : scan.current) {
    auto before = previous.inputs.find(path);
    auto snapshot = scan.snapshots.find(path);
    bool same = before != previous.inputs.end() && before->second.signature == input.signature &&
                before->second.hash == input.hash;
    if (!same || snapshot != scan.snapshots.end())
      record.inputs.push_back({path, input,
                               snapshot == scan.snapshots.end() ? std::nullopt
                                                                : std::optional<std::string>(std::move(snapshot->second))});
  }
  for (const auto& [path, input] : previous.inputs)
    if (!scan.current.contains(path)) record.removed_inputs.push_back(path);
}

// Whether `tags` holds one of `patterns`, as the state index answers pages_with_tags.
bool carries_any(const std::vector<std::string>& tags, const std::vector<std::string>& patterns) {
  for (const std::string& text : patterns) {
    TagPattern pattern(text);
    for (const std::string& tag : tags)
      if (pattern.matches(tag)) return true;
  }
  return false;
}

// The pages showing the empty state of each source that serves nothing, as
// the index will know them once this build is recorded: those that showed its
// data before, unless rendered again or gone, and those rendered now that do.
void list_pages_showing_nothing(const std::map<std::string, std::set<PageKey>>& showing_before,
                                const BuildRecord& record, BuildReport& report) {
  for (DegradedEntry& entry : report.degraded) {
    auto before = showing_before.find(entry.source);
    if (before == showing_before.end()) continue;  // serving something
    std::set<PageKey> pages = before->second;
    for (const PageKey& key : record.removed_pages) pages.erase(key);
    const std::vector<std::string> tags = whole_source_tags(entry.source);
    for (const PageRecord& page : record.pages) {
      if (carries_any(page.tags, tags)) pages.insert(page.key);
      else pages.erase(page.key);
    }
    for (const PageKey& key : pages) entry.pages.emplace_back(key.page, key.lang);
  }
}

// A folder holding one shard builds only that shard until merge-state
// combines the parts: another shard, or the whole site, would take the pages
// it does not build for deleted ones.
Status check_shard(const DepIndex& index, const PreviousBuild& previous, const Shard& shard) {
  auto stored = index.load_shard();
  if (!stored.ok()) return stored.error();
  const std::string wanted = shard_text(shard);
  if (stored.value() == wanted || previous.is_empty()) return Status::Ok();
  if (wanted.empty())
    return make_error(".isrgen/state.db", 0, "this folder holds shard " + stored.value() +
                                                 " of a sharded build: build it with --shard " + stored.value() +
                                                 ", or combine the shards with `isrgen merge-state` first");
  return make_error(".isrgen/state.db", 0, "this folder holds " +
                                               (stored.value().empty() ? std::string("the whole site")
                                                                       : "shard " + stored.value()) +
                                               ", not shard " + wanted +
                                               ": build each shard in a folder of its own (a fresh copy of the site)");
}

}  // namespace

Result<BuildReport> run_build(const SitePaths& paths, const BuildOptions& options, const Clock& clock) {
  const int64_t started_ms = clock.now_unix_ms();
  BuildReport report;
  report.command = options.command;
  report.strict = options.strict;
  PhaseTimer timer(report);
  Disk& disk = *options.disk;

  // Load: the settings, then the state index, the remote sources, the
  // templates and the site's files, all read before anything is decided.
  // The caller's settings are used in place: only a build that reads
  // site.toml itself holds a copy.
  std::optional<Result<SiteConfig>> loaded;
  if (!options.config) {
    loaded.emplace(load_site_config(paths));
    if (!loaded->ok()) return loaded->error();
  }
  const SiteConfig& config = options.config ? *options.config : loaded->value();
  auto opened = DepIndex::open(paths.state_db());
  if (!opened.ok()) return opened.error();
  DepIndex& index = *opened.value();
  auto loading = load_build(paths, config, index, options, clock);
  if (!loading.ok()) return loading.error();
  LoadedBuild& site = loading.value();
  const PreviousBuild& previous = site.previous;
  if (Status shard = check_shard(index, previous, options.shard); !shard.ok()) return shard.error();
  data::SourceCatalog sources(paths, config, std::move(site.refresh.served));
  MarkdownRenderer markdown(config.unsafe_html);
  // Unknown keys of site.toml: warnings of the build, or under --strict its error.
  auto typos = standing_key_warnings(config.key_warnings, site.templates, options.strict);
  if (!typos.ok()) return typos.error();
  for (std::string& warning : typos.value()) report.warnings.push_back({"", "", std::move(warning)});
  timer.end("load");

  // Detect: what changed, and which tags and pages that touches.
  auto detecting = detect_changes(paths, config, site, sources, options);
  if (!detecting.ok()) return detecting.error();
  Detection& detected = detecting.value();
  report.invalidated.assign(detected.invalidation.tags.begin(), detected.invalidation.tags.end());
  assets::AssetPipeline asset_pipeline = make_asset_pipeline(paths, config, detected.scan, previous, options, disk);
  PageRenderer renderer(config, site.templates, sources, markdown, options.strict, &asset_pipeline);
  timer.end("detect");

  // Plan, from values alone: which variants render and why, and which wait
  // for their first request.
  PlanContext context{site.output_signatures, previous.pages,      previous.failed, detected.invalidation,
                      detected.carrying,      detected.requested,  options.force};
  RenderPlan planned = plan_renders(site.slots, context);
  std::set<PageKey> asked_for;
  for (const auto& [key, url] : detected.requested) asked_for.insert(key);
  Deferral deferral(config, site.page_scan, site.slots, detected.scan.current, previous.deferred);
  deferral.skip_unchanged(planned, previous.pages, asked_for, !options.force);
  timer.end("plan");

  // Prepare: the output made ready (nothing of it has been touched yet: a
  // read-only or full output folder fails here), the planned pages read.
  if (Status ready = disk.prepare_output(paths.out); !ready.ok()) {
    Error error = ready.error();
    error.file = relative_display(error.file, paths.root);
    error.message += " (nothing was written or deleted: make the output folder writable and build again)";
    return error;
  }
  std::vector<VariantJob> jobs =
      prepare_planned(paths, config, site.page_scan, site.slots, planned, options.jobs, report.prepared);
  deferral.defer_prepared(jobs, planned);
  report.deferred = static_cast<int>(deferral.deferred().size());
  if (!detected.scan.unhashed_pages.empty()) {
    std::vector<InputFile> read;
    for (const VariantJob& job : jobs)
      if (job.variant) read.insert(read.end(), job.variant->page_inputs.begin(), job.variant->page_inputs.end());
    fill_page_hashes(paths, config, disk, detected.scan, read);
  }
  timer.end("prepare");

  // Render, writing each page's files as it finishes and its record into the
  // build's transaction, which opens first: a state index that cannot be
  // written (read-only, full, locked) stops the build before it writes or
  // deletes anything. Until the writer finishes, its thread alone uses the index.
  auto transaction = index.begin_build();
  if (!transaction.ok()) return transaction.error();
  BuildRecord record;
  PageRecordWriter recorder(*transaction.value());
  std::vector<JobOutcome> outcomes =
      render_jobs(paths, renderer, jobs, planned, previous,
                  outputs_seen(site.slots, site.output_signatures, planned, previous), options, clock, recorder);
  timer.end("render");

  // Record what became of every page; the outputs of pages gone or moved go,
  // unless a page's record could not be written.
  recorder.finish();
  record.pages_recorded = true;
  if (Status written = transaction.value()->status(); !written.ok()) return written.error();
  report.pages = static_cast<int>(site.slots.size());
  const std::set<std::string> page_outputs = page_outputs_of(site.slots);
  record_pages(paths, disk, site.slots, jobs, outcomes, planned, previous, published_outputs(page_outputs, deferral),
               record, report);
  deferral.record(record);
  report.unchanged =
      report.pages - static_cast<int>(report.rendered.size() + report.failed.size()) - report.deferred;
  timer.end("record");

  // Static files, and what the next build compares with. Of a sharded
  // build, shard 1 copies the static files, and the precache manifests,
  // which list every page, wait for the merge.
  StaticSync statics;
  if (options.shard.index <= 1)
    statics = sync_static_files(paths, config, detected.scan, previous.static_files, page_outputs, disk);
  record_static_files(statics, previous, record, report);
  if (Status published = record_asset_outputs(paths, config, jobs, outcomes, previous, disk, record, report);
      !published.ok())
    return published.error();
  record_asset_counts(asset_pipeline, record, report);
  record.shard = shard_text(options.shard);
  record_sources(site.refresh, previous.source_snapshots, record, report);
  record_inputs(detected.scan, previous, record);
  AliasInputs aliases = alias_inputs(config, jobs, outcomes, record, published_outputs(page_outputs, deferral));
  if (!options.shard.sharded())
    write_tenant_outputs(paths, config, previous, record, deferral, statics, site.templates, renderer,
                         std::move(aliases), disk, report);
  else
    write_shard_aliases(paths, config, statics, std::move(aliases), disk, report);
  list_pages_showing_nothing(detected.showing_before, record, report);
  timer.end("static");

  // Commit: everything learned, in one transaction.
  report.duration_ms = clock.now_unix_ms() - started_ms;
  BuildSummary summary{started_ms, clock.now_unix_ms(),
                       std::string(command_name(options.command)) + (options.force ? " --force" : ""),
                       report.pages, static_cast<int>(report.rendered.size()), report.written,
                       static_cast<int>(report.failed.size())};
  if (Status recorded = record_build(*transaction.value(), record, summary); !recorded.ok()) return recorded.error();
  disk.finish_output(paths.out);
  forget_unused_variants(paths.asset_cache(), previous.asset_outputs, record.asset_outputs,
                         record.removed_asset_outputs);
  timer.end("commit");
  return report;
}

}  // namespace isrgen
