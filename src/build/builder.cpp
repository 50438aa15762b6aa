#include "build/builder.h"

#include <atomic>
#include <chrono>
#include <map>
#include <set>

#include "build/output_writer.h"
#include "build/page_variants.h"
#include "build/parallel.h"
#include "build/static_files.h"
#include "data/source_catalog.h"
#include "render/markdown.h"
#include "render/page_renderer.h"
#include "render/template_set.h"
#include "site/page_scan.h"
#include "site/page_urls.h"
#include "site/site_config.h"
#include "state/dep_index.h"
#include "util/fs.h"
#include "util/hash.h"

namespace isrgen {
namespace {

struct LoadedConfig {
  SiteConfig config;
  InputFile input;
};

Result<LoadedConfig> load_config(const SitePaths& paths) {
  std::string display = relative_display(paths.config(), paths.root);
  auto text = read_file(paths.config());
  if (!text.ok())
    return make_error(display, 0, "cannot read the site settings (is --site the site folder?): " + text.error().message);
  auto config = parse_site_config(text.value(), display);
  if (!config.ok()) return config.error();
  return LoadedConfig{std::move(config.value()), {display, content_hash(text.value())}};
}

// Every page variant of the site, with the pages that cannot even be placed
// (scan problems) and output collisions turned into failed jobs.
std::vector<VariantJob> collect_jobs(const SitePaths& paths, const SiteConfig& config, int jobs) {
  PageScan scan = scan_pages(paths, config);
  std::vector<std::vector<VariantJob>> per_page(scan.pages.size());
  parallel_for(scan.pages.size(), jobs,
               [&](size_t i) { per_page[i] = prepare_variants(scan.pages[i], paths, config); });

  std::map<PageKey, Error> problems;
  for (const ScanProblem& problem : scan.problems) problems.emplace(PageKey{problem.page, problem.lang}, problem.error);

  std::vector<VariantJob> all;
  std::map<std::string, PageKey> output_owner;
  for (auto& page_jobs : per_page) {
    for (VariantJob& job : page_jobs) {
      if (auto problem = problems.find(job.key); problem != problems.end()) {
        job.variant.reset();
        job.error = problem->second;
        problems.erase(problem);
      }
      auto [owner, inserted] = output_owner.emplace(job.output, job.key);
      if (!inserted && !job.error) {
        job.error = make_error(job.variant->file.display_path, 0,
                               "publishes to " + job.output + " like page " + owner->second.page +
                                   ": rename one of them");
        job.variant.reset();
      }
      all.push_back(std::move(job));
    }
  }
  for (auto& [key, error] : problems) {
    VariantJob job;
    job.key = key;
    job.priority = "medium";
    job.error = error;
    all.push_back(std::move(job));
  }
  sort_by_priority(all);
  return all;
}

struct JobOutcome {
  std::optional<WrittenPage> written;
  std::optional<Error> error;
};

void remove_page_outputs(const SitePaths& paths, const std::string& output) {
  remove_file_and_empty_parents(paths.out / output, paths.out);
  remove_file_and_empty_parents(paths.out / metadata_path_for(output), paths.out);
}

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

}  // namespace

Result<BuildReport> run_build(const SitePaths& paths, const BuildOptions& options, const Clock& clock) {
  const int64_t started_ms = clock.now_unix_ms();
  BuildReport report;
  PhaseTimer timer(report);
  auto loaded = load_config(paths);
  if (!loaded.ok()) return loaded.error();
  const SiteConfig& config = loaded.value().config;
  auto index = DepIndex::open(paths.state_db());
  if (!index.ok()) return index.error();
  auto previous_pages = index.value()->load_pages();
  if (!previous_pages.ok()) return previous_pages.error();
  auto previous_static = index.value()->load_static_files();
  if (!previous_static.ok()) return previous_static.error();
  const std::map<PageKey, PageRecord>& previous = previous_pages.value();

  TemplateSet templates = TemplateSet::load(paths);
  data::SourceCatalog sources = data::SourceCatalog::load(paths, config);
  MarkdownRenderer markdown(config.unsafe_html);
  PageRenderer renderer(config, templates, sources, markdown, loaded.value().input);
  timer.end("load");

  // Debris of a build that was killed half-way goes first.
  std::error_code ec;
  fs::remove_all(paths.out_temp(), ec);
  fs::create_directories(paths.out_temp(), ec);
  if (ec) return make_error(relative_display(paths.out_temp(), paths.root), 0, "cannot create: " + ec.message());

  std::vector<VariantJob> jobs = collect_jobs(paths, config, options.jobs);
  timer.end("prepare");
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
      auto found = previous.find(job.key);
      const PageRecord* before = options.force || found == previous.end() ? nullptr : &found->second;
      auto written = write_page(paths, page.value(), before, clock.now_unix_ms());
      if (written.ok()) outcome.written = std::move(written.value());
      else outcome.error = written.error();
    }
    if (options.on_progress) options.on_progress(++done, jobs.size());
  });
  timer.end("render");

  report.pages = static_cast<int>(jobs.size());
  auto transaction = index.value()->begin_build();
  if (!transaction.ok()) return transaction.error();
  DepIndex::BuildTransaction& db = *transaction.value();

  std::set<PageKey> current;
  for (size_t i = 0; i < jobs.size(); ++i) {
    const VariantJob& job = jobs[i];
    JobOutcome& outcome = outcomes[i];
    current.insert(job.key);
    if (outcome.error) {
      report.failed.push_back({job.key.page, job.key.lang, outcome.error->to_string()});
      db.set_page_error(job.key, outcome.error->to_string());
      continue;
    }
    PageRecord& record = outcome.written->record;
    auto before = previous.find(job.key);
    record.reasons = {options.force ? "forced" : before == previous.end() ? "new page" : "full build"};
    if (before != previous.end() && before->second.output != record.output) {
      remove_page_outputs(paths, before->second.output);
      report.deleted.push_back(before->second.output);
    }
    report.rendered.push_back({job.key.page, job.key.lang, record.output, outcome.written->html_changed, record.reasons});
    if (outcome.written->html_changed) ++report.written;
    db.put_page(record);
  }
  for (const auto& [key, record] : previous) {
    if (current.contains(key)) continue;
    remove_page_outputs(paths, record.output);
    report.deleted.push_back(record.output);
    db.remove_page(key);
  }

  report.unchanged = report.pages - static_cast<int>(report.rendered.size() + report.failed.size());
  timer.end("record");

  StaticSync statics = copy_static_files(paths, config);
  for (const Error& error : statics.errors) report.failed.push_back({error.file, "", error.to_string()});
  for (const auto& [output, hash] : statics.outputs) db.put_static_file(output, hash);
  for (const auto& [output, hash] : previous_static.value()) {
    if (statics.outputs.contains(output)) continue;
    remove_file_and_empty_parents(paths.out / output, paths.out);
    report.deleted.push_back(output);
    db.remove_static_file(output);
  }

  timer.end("static");
  report.duration_ms = clock.now_unix_ms() - started_ms;
  BuildSummary summary{started_ms, clock.now_unix_ms(), options.force ? "force" : "full", report.pages,
                       static_cast<int>(report.rendered.size()), report.written,
                       static_cast<int>(report.failed.size())};
  if (auto committed = db.commit(summary); !committed.ok()) return committed.error();
  fs::remove_all(paths.out_temp(), ec);
  timer.end("commit");
  return report;
}

}  // namespace isrgen
