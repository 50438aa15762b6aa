#include "engine/builder.h"

#include <atomic>
#include <chrono>
#include <future>
#include <map>
#include <set>

#include "engine/deferral.h"
#include "engine/input_scan.h"
#include "engine/invalidation.h"
#include "engine/output_writer.h"
#include "engine/page_variants.h"
#include "engine/parallel.h"
#include "engine/planner.h"
#include "engine/static_files.h"
#include "data/source_catalog.h"
#include "data/source_refresh.h"
#include "render/markdown.h"
#include "render/page_renderer.h"
#include "render/template_set.h"
#include "site/page_scan.h"
#include "site/page_urls.h"
#include "site/site_config.h"
#include "site/url_lookup.h"
#include "state/dep_index.h"
#include "util/crash_point.h"
#include "util/fs.h"
#include "util/hash.h"

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
void retire_page_output(const SitePaths& paths, const std::string& output, const std::set<std::string>& page_outputs,
                        BuildReport& report) {
  if (page_outputs.contains(output)) return;
  remove_file_and_empty_parents(paths.out / output, paths.out);
  remove_file_and_empty_parents(paths.out / metadata_path_for(output), paths.out);
  report.deleted.push_back(output);
}

// What the state index remembers from earlier builds.
struct PreviousState {
  std::map<PageKey, PageRecord> pages;
  std::map<std::string, StoredInput> inputs;
  std::map<PageKey, std::string> failed;
  std::map<std::string, StoredStaticFile> static_files;
};

Result<PreviousState> load_previous(const DepIndex& index) {
  PreviousState state;
  auto pages = index.load_pages();
  if (!pages.ok()) return pages.error();
  auto inputs = index.load_inputs();
  if (!inputs.ok()) return inputs.error();
  auto failed = index.load_page_errors();
  if (!failed.ok()) return failed.error();
  auto statics = index.load_static_files();
  if (!statics.ok()) return statics.error();
  return PreviousState{std::move(pages.value()), std::move(inputs.value()), std::move(failed.value()),
                       std::move(statics.value())};
}

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

// The prepared variants to render, in priority order; variants that cannot be
// prepared carry their error. `read` counts the variants whose page files were
// read and parsed.
std::vector<VariantJob> prepare_planned(const SitePaths& paths, const SiteConfig& config, const PageScan& page_scan,
                                        const std::vector<VariantSlot>& slots,
                                        const std::map<PageKey, std::vector<std::string>>& planned, int jobs,
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

struct JobOutcome {
  std::optional<WrittenPage> written;
  std::optional<Error> error;
  std::vector<std::string> warnings;
};

std::vector<JobOutcome> render_jobs(const SitePaths& paths, const PageRenderer& renderer,
                                    const std::vector<VariantJob>& jobs, const PreviousState& previous,
                                    const std::set<PageKey>& outputs_as_recorded, const BuildOptions& options,
                                    const Clock& clock) {
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
      auto written =
          write_page(paths, page.value(), before, outputs_as_recorded.contains(job.key), clock.now_unix_ms());
      if (written.ok()) outcome.written = std::move(written.value());
      else outcome.error = written.error();
      outcome.warnings = std::move(page.value().warnings);
    }
    if (options.on_progress) options.on_progress(++done, jobs.size());
  });
  return outcomes;
}

// Pages: failures (kept with their last good output), rendered pages, and the
// outputs of pages that are gone or moved.
void record_pages(const SitePaths& paths, const std::vector<VariantSlot>& slots, const std::vector<VariantJob>& jobs,
                  std::vector<JobOutcome>& outcomes, const std::map<PageKey, std::vector<std::string>>& planned,
                  const PreviousState& previous, const std::set<std::string>& page_outputs,
                  DepIndex::BuildTransaction& db, BuildReport& report) {
  auto fail = [&](const PageKey& key, const Error& error) {
    report.failed.push_back({key.page, key.lang, error.to_string()});
    report.environment_failed |= error.kind == ErrorKind::kEnvironment;
    db.set_page_error(key, error.to_string());
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
    PageRecord& record = outcome.written->record;
    record.reasons = planned.at(job.key);
    auto before = previous.pages.find(job.key);
    if (before != previous.pages.end() && before->second.output != record.output)
      retire_page_output(paths, before->second.output, page_outputs, report);
    report.rendered.push_back({job.key.page, job.key.lang, record.output, outcome.written->html_changed, record.reasons});
    for (std::string& warning : outcome.warnings) report.warnings.push_back({job.key.page, job.key.lang, std::move(warning)});
    if (outcome.written->html_changed) ++report.written;
    db.put_page(record);
  }
  std::set<PageKey> current;
  for (const VariantSlot& slot : slots) current.insert(slot.key);
  for (const auto& [key, record] : previous.pages) {
    if (current.contains(key)) continue;
    retire_page_output(paths, record.output, page_outputs, report);
    db.remove_page(key);
  }
}

void record_static_files(const StaticSync& statics, const PreviousState& previous, DepIndex::BuildTransaction& db,
                         BuildReport& report) {
  for (const Error& error : statics.errors) {
    report.failed.push_back({error.file, "", error.to_string()});
    report.environment_failed |= error.kind == ErrorKind::kEnvironment;
  }
  for (const auto& [output, file] : statics.outputs) {
    auto before = previous.static_files.find(output);
    bool same = before != previous.static_files.end() && before->second.hash == file.hash &&
                before->second.signature == file.signature;
    if (!same) db.put_static_file(output, file);
  }
  report.deleted.insert(report.deleted.end(), statics.deleted.begin(), statics.deleted.end());
  for (const std::string& output : statics.forgotten) db.remove_static_file(output);
}

// Of the pages about to render, those whose output files are on disk exactly
// as the last build left them (a build that renders nothing looks at none).
std::set<PageKey> outputs_as_recorded(const std::vector<VariantSlot>& slots, const std::vector<std::string>& signatures,
                                      const std::map<PageKey, std::vector<std::string>>& planned,
                                      const PreviousState& previous) {
  std::set<PageKey> intact;
  for (size_t i = 0; i < slots.size() && !planned.empty(); ++i) {
    if (!planned.contains(slots[i].key)) continue;
    auto before = previous.pages.find(slots[i].key);
    if (before != previous.pages.end() && before->second.output == slots[i].output &&
        before->second.output_signature == signatures[i])
      intact.insert(slots[i].key);
  }
  return intact;
}

// What the next build compares with: changed signatures and hashes, and the
// snapshots of changed site.toml and data files.
void record_inputs(const InputScan& scan, const PreviousState& previous, DepIndex::BuildTransaction& db) {
  for (const auto& [path, input] : scan.current) {
    auto before = previous.inputs.find(path);
    auto snapshot = scan.snapshots.find(path);
    bool same = before != previous.inputs.end() && before->second.signature == input.signature &&
                before->second.hash == input.hash;
    if (!same || snapshot != scan.snapshots.end())
      db.put_input(path, input,
                   snapshot == scan.snapshots.end() ? std::nullopt : std::optional<std::string>(snapshot->second));
  }
  for (const auto& [path, input] : previous.inputs)
    if (!scan.current.contains(path)) db.remove_input(path);
}

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

void record_sources(const data::RemoteRefresh& refresh, const std::map<std::string, SourceSnapshot>& stored,
                    DepIndex::BuildTransaction& db, BuildReport& report) {
  // A 304, an unchanged 200 or a failed refetch leaves the records as they
  // are: only the row's status is written, not the records again.
  for (const SourceSnapshot& snapshot : refresh.store) {
    auto before = stored.find(snapshot.source);
    if (before != stored.end() && before->second.content_hash == snapshot.content_hash)
      db.update_source_status(snapshot);
    else
      db.put_source_snapshot(snapshot);
  }
  for (const std::string& source : refresh.forget) db.remove_source_snapshot(source);
  for (const data::FetchOutcome& fetch : refresh.fetched)
    report.fetched.push_back({fetch.source, fetch.outcome, fetch.status, fetch.attempts, fetch.elapsed_ms});
  for (const data::DegradedSource& degraded : refresh.degraded)
    report.degraded.push_back({degraded.source, degraded.error, data::serving_name(degraded.serving),
                               degraded.snapshot_age_ms < 0 ? -1 : degraded.snapshot_age_ms / 1000, {}});
}

// The pages showing the empty state of a source that serves nothing.
Status list_degraded_pages(const DepIndex& index, BuildReport& report) {
  for (DegradedEntry& entry : report.degraded) {
    if (entry.serving != data::serving_name(data::Serving::kNothing)) continue;
    auto pages = index.pages_with_tags({"source:" + entry.source, entry.source + ":*"});
    if (!pages.ok()) return pages.error();
    for (const auto& [key, tags] : pages.value()) entry.pages.emplace_back(key.page, key.lang);
  }
  return Status::Ok();
}

}  // namespace

Result<BuildReport> run_build(const SitePaths& paths, const BuildOptions& options, const Clock& clock) {
  const int64_t started_ms = clock.now_unix_ms();
  BuildReport report;
  report.command = options.command;
  report.strict = options.strict;
  PhaseTimer timer(report);

  auto loaded = options.config ? Result<SiteConfig>(*options.config) : load_site_config(paths);
  if (!loaded.ok()) return loaded.error();
  const SiteConfig& config = loaded.value();
  auto opened = DepIndex::open(paths.state_db());
  if (!opened.ok()) return opened.error();
  DepIndex& index = *opened.value();
  auto snapshots = index.load_source_snapshots();
  if (!snapshots.ok()) return snapshots.error();
  // Remote sources are fetched while the site's files are listed and the
  // state is loaded: the network wait overlaps the disk work.
  const data::RefreshRequest request = refresh_request(config, options);
  const data::EnvLookup env = options.env ? options.env : data::process_environment();
  auto refreshing = std::async(std::launch::async, [&] {
    return data::refresh_remote_sources(config, paths.content(), snapshots.value(), request, options.fetcher, clock,
                                        env);
  });
  // The state index is read on its own thread while this one lists and stats
  // the site's files and outputs: a build of an unchanged site is mostly
  // these two, and neither needs the other.
  auto previous_loading = std::async(std::launch::async, [&index] { return load_previous(index); });

  auto loaded_templates = TemplateSet::load(paths, config.limits.template_bytes, *options.lister);
  auto listed = list_inputs(paths, config, options.jobs, *options.lister);
  // Before anything is written or deleted (the fetch and the state's reading
  // are waited for as their futures go).
  auto unlisted = [](Error error) {
    error.message += " (nothing was written or deleted: make it readable and build again)";
    return error;
  };
  if (!loaded_templates.ok()) return unlisted(loaded_templates.error());
  if (!listed.ok()) return unlisted(listed.error());
  const TemplateSet& templates = loaded_templates.value();
  const InputListing& listing = listed.value();
  MarkdownRenderer markdown(config.unsafe_html);
  std::vector<std::string> page_files;  // sorted, as the listing is
  for (size_t i = 0; i < listing.files.size(); ++i)
    if (!listing.signatures[i].empty() && input_kind(listing.files[i], config) == InputKind::kPage &&
        listing.files[i].ends_with(".md"))
      page_files.push_back(listing.files[i]);
  PageScan page_scan = place_pages(page_files, config);
  std::vector<VariantSlot> slots = list_variant_slots(page_scan, config);
  std::vector<std::string> outputs_now = output_signatures(paths, slots, options.jobs);
  auto previous_state = previous_loading.get();
  if (!previous_state.ok()) return previous_state.error();
  const PreviousState& previous = previous_state.value();
  data::RemoteRefresh refresh = refreshing.get();
  data::SourceCatalog sources(paths, config, std::move(refresh.served));
  PageRenderer renderer(config, templates, sources, markdown, options.strict);
  timer.end("load");

  // What changed, and which tags that invalidates.
  InputScan scan = compare_inputs(paths, config, listing, previous.inputs);
  Invalidation invalidation;
  const bool first_build = previous.pages.empty() && previous.inputs.empty();  // everything is a new page anyway
  if (!options.force && !first_build)
    invalidation = invalidate(scan, config, sources, [&](const std::string& path) -> std::optional<std::string> {
      auto snapshot = index.load_snapshot(path);
      return snapshot.ok() ? snapshot.value() : std::nullopt;
    });
  for (const std::string& tag : options.tags)
    if (!data::names_remote_data_only(tag, config)) invalidation.tags.insert(tag);
  invalidation.tags.merge(refresh.invalidated);
  report.invalidated.assign(invalidation.tags.begin(), invalidation.tags.end());
  auto carrying = index.pages_with_tags(report.invalidated);
  if (!carrying.ok()) return carrying.error();
  auto requested = pages_at_urls(config, page_scan, slots, options.urls);
  if (!requested.ok()) return requested.error();
  auto deferred_before = index.load_deferred_pages();
  if (!deferred_before.ok()) return deferred_before.error();
  timer.end("detect");

  PlanContext context{outputs_now,       previous.pages,     previous.failed,    invalidation,
                      carrying.value(),  requested.value(),  options.force};
  std::map<PageKey, std::vector<std::string>> planned = plan_renders(slots, context);
  std::set<PageKey> asked_for;
  for (const auto& [key, url] : requested.value()) asked_for.insert(key);
  Deferral deferral(config, page_scan, slots, scan.current, std::move(deferred_before.value()));
  deferral.skip_unchanged(planned, previous.pages, asked_for, !options.force);
  timer.end("plan");

  // Debris of a build that was killed half-way goes first.
  std::error_code ec;
  fs::remove_all(paths.out_temp(), ec);
  fs::create_directories(paths.out_temp(), ec);
  // Nothing of the output has been touched yet (a read-only or full output folder fails here).
  if (ec)
    return make_environment_error(relative_display(paths.out_temp(), paths.root),
                                  "cannot create: " + ec.message() +
                                      " (nothing was written or deleted: make the output folder writable and build "
                                      "again)");

  std::vector<VariantJob> jobs =
      prepare_planned(paths, config, page_scan, slots, planned, options.jobs, report.prepared);
  deferral.defer_prepared(jobs, planned);
  report.deferred = static_cast<int>(deferral.deferred().size());
  timer.end("prepare");

  std::vector<JobOutcome> outcomes =
      render_jobs(paths, renderer, jobs, previous, outputs_as_recorded(slots, outputs_now, planned, previous), options, clock);
  timer.end("render");

  auto transaction = index.begin_build();
  if (!transaction.ok()) return transaction.error();
  DepIndex::BuildTransaction& db = *transaction.value();
  report.pages = static_cast<int>(slots.size());

  const std::set<std::string> page_outputs = page_outputs_of(slots);
  record_pages(paths, slots, jobs, outcomes, planned, previous, published_outputs(page_outputs, deferral), db, report);
  deferral.record(db);
  report.unchanged =
      report.pages - static_cast<int>(report.rendered.size() + report.failed.size()) - report.deferred;
  timer.end("record");

  record_static_files(sync_static_files(paths, config, scan, previous.static_files, page_outputs), previous, db,
                      report);
  record_sources(refresh, snapshots.value(), db, report);
  record_inputs(scan, previous, db);
  timer.end("static");

  report.duration_ms = clock.now_unix_ms() - started_ms;
  BuildSummary summary{started_ms, clock.now_unix_ms(), options.command + (options.force ? " --force" : ""),
                       report.pages, static_cast<int>(report.rendered.size()), report.written,
                       static_cast<int>(report.failed.size())};
  crash_point(CrashStep::kCommit);
  if (auto committed = db.commit(summary); !committed.ok()) return committed.error();
  crash_point(CrashStep::kCommitted);
  if (auto listed = list_degraded_pages(index, report); !listed.ok()) return listed.error();
  fs::remove_all(paths.out_temp(), ec);
  timer.end("commit");
  return report;
}

}  // namespace isrgen
