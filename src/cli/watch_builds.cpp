#include "cli/watch_builds.h"

#include <iostream>
#include <optional>
#include <string>
#include <utility>

#include "cli/build_output.h"
#include "cli/sync_output.h"
#include "data/curl_fetcher.h"
#include "engine/parallel.h"
#include "util/fs.h"
#include "watch/file_watcher.h"
#include "watch/polling_watcher.h"
#include "watch/source_schedule.h"

namespace isrgen {
namespace {

using watch::BuildTrigger;

// Fast enough to feel immediate, slow enough that a large site's stat calls
// stay a small load.
constexpr int kPollIntervalMs = 500;
// Where errors about the site's settings point.
constexpr std::string_view kSiteSettings = "content/site.toml";

// "initial build", "changed: content/pages/acme/x.md, +3 more", "remote sources stale".
std::string describe(const BuildTrigger& trigger) {
  if (trigger.initial) return "initial build";
  std::string text;
  if (trigger.changes.rescan_all) {
    text = "changed: anything (the watcher missed events)";
  } else if (!trigger.changes.paths.empty()) {
    text = "changed: " + *trigger.changes.paths.begin();
    if (trigger.changes.paths.size() > 1) text += ", +" + std::to_string(trigger.changes.paths.size() - 1) + " more";
  }
  if (trigger.refresh) text += std::string(text.empty() ? "" : "; ") + "remote sources stale";
  return text;
}

const char* trigger_name(const BuildTrigger& trigger) {
  if (trigger.initial) return "initial";
  return trigger.changes.empty() ? "refresh" : "changes";
}

// One run of the loop (publish/rebuild.h), reported on one line: a summary
// on stderr, or with --json one report per line on stdout (NDJSON); a sync
// after it, with --sync, on the next.
class WatchBuilds {
 public:
  WatchBuilds(const CommonFlags& common, const WatchFlags& flags, const SitePaths& paths, Console& console,
              const Clock& clock, std::function<bool()> stopped, BuildObserver after_build)
      : common_(common), paths_(paths), console_(console), clock_(clock), after_build_(std::move(after_build)) {
    request_.build.jobs = common.jobs > 0 ? common.jobs : default_jobs();
    request_.build.fetcher = &fetcher_;
    request_.build.on_progress = [this](size_t done, size_t total) { console_.progress(done, total); };
    request_.sync = flags.sync;
    request_.sync_options.target = flags.target;
    request_.skip_sync = std::move(stopped);
  }

  void build(const BuildTrigger& trigger) {
    nlohmann::ordered_json json{{"command", "build"}};
    Result<publish::RebuildOutcome> outcome = run_guarded();
    if (outcome.ok()) json = outcome.value().build.to_json();
    json["trigger"] = trigger_name(trigger);
    json["changed"] = trigger.changes.paths;
    if (!outcome.ok()) {
      console_.error(outcome.error().to_string());
      json["error"] = outcome.error().to_string();
    } else {
      const BuildReport& report = outcome.value().build;
      print_build_problems(console_, report);
      console_.summary(summary_line(report, trigger), publish::build_is_good(report));
    }
    if (common_.json) std::cout << json.dump() << std::endl;
    if (outcome.ok() && outcome.value().sync) print_sync(*outcome.value().sync);
    if (after_build_) after_build_(trigger, outcome);
    // A run that failed for another reason than the settings (a folder gone
    // during a checkout, a full disk) keeps the last settings read, so that
    // remote sources are still refreshed on time.
    if (outcome.ok()) settings_ = std::move(outcome.value().config);
    else if (outcome.error().file == kSiteSettings) settings_.reset();
  }

  // The next refresh on the loop's clock: builds judge staleness by their
  // own clock, which ISRGEN_NOW may hold still. From the settings the last
  // build ran with; none when they could not be read (a fix is a file change).
  std::optional<int64_t> next_refresh_at_ms(const Clock& loop_clock) const {
    if (!settings_) return std::nullopt;
    auto stale_at = watch::next_source_refresh_at_ms(paths_, *settings_);
    if (!stale_at) return std::nullopt;
    return loop_clock.now_unix_ms() + (*stale_at - clock_.now_unix_ms());
  }

 private:
  // A long-running watch outlives a build that throws (a folder vanishing
  // under a `git checkout`): it counts as a failed build.
  Result<publish::RebuildOutcome> run_guarded() {
    try {
      return publish::rebuild(paths_, request_, clock_);
    } catch (const std::exception& error) {
      return make_error("", 0, std::string("build failed: ") + error.what() + " (the next change builds again)");
    }
  }

  void print_sync(const Result<publish::SyncReport>& sync) const {
    if (!sync.ok()) return console_.error("sync: " + sync.error().to_string());
    print_sync_report(console_, sync.value());
    if (common_.json) std::cout << sync.value().to_json().dump() << std::endl;
  }

  static std::string summary_line(const BuildReport& report, const BuildTrigger& trigger) {
    std::string line = "built: " + std::to_string(report.rendered.size()) + " rendered, " +
                       std::to_string(report.deleted.size()) + " deleted, " + std::to_string(report.failed.size()) +
                       " failed";
    if (!report.degraded.empty()) line += ", " + std::to_string(report.degraded.size()) + " sources degraded";
    return line + " in " + std::to_string(report.duration_ms) + " ms (" + describe(trigger) + ")";
  }

  const CommonFlags& common_;
  const SitePaths& paths_;
  Console& console_;
  const Clock& clock_;
  std::optional<SiteConfig> settings_;  // content/site.toml as the last build read it
  data::CurlFetcher fetcher_;
  publish::RebuildRequest request_;
  BuildObserver after_build_;
};

watch::WatchTarget watch_target(const SitePaths& paths) {
  watch::WatchTarget target;
  target.site_root = paths.root;
  std::string out = relative_display(paths.out, paths.root);
  // Outside the site it comes back absolute, and no watched folder holds it.
  bool inside = !out.empty() && out != "." && !out.starts_with('/');
  target.out_folder = inside ? out : "";
  return target;
}

}  // namespace

Result<std::unique_ptr<watch::Watcher>> open_watcher(const SitePaths& paths, bool poll, Console& console) {
  if (!poll) {
    auto watcher = watch::FileWatcher::open(watch_target(paths));
    if (watcher.ok()) return std::unique_ptr<watch::Watcher>(std::move(watcher).value());
    console.warning(watcher.error().to_string() + "; polling for changes instead (as with --poll)");
  }
  auto watcher = watch::PollingWatcher::open(watch_target(paths), kPollIntervalMs);
  if (!watcher.ok()) return watcher.error();
  return std::unique_ptr<watch::Watcher>(std::move(watcher).value());
}

int run_watch(const CommonFlags& common, const WatchFlags& flags, watch::Watcher& watcher, const Clock& loop_clock,
              const Clock& build_clock, const BuildObserver& after_build) {
  Console console(common.quiet, common.json);
  SitePaths paths = make_site_paths(common.site, common.out);
  // A stop that comes while a build runs leaves its sync out; the next sync sends it.
  WatchBuilds builds(common, flags, paths, console, build_clock, [&watcher] { return watcher.stopped(); }, after_build);
  watch::WatchHooks hooks;
  hooks.build = [&builds](const BuildTrigger& trigger) { builds.build(trigger); };
  hooks.next_refresh_at_ms = [&builds, &loop_clock] { return builds.next_refresh_at_ms(loop_clock); };

  console.note("watching content/, templates/ and static/ of " + paths.root.string() +
               (flags.poll ? " (polling)" : "") + "; Ctrl-C stops");
  Status watched = watch::WatchLoop(watcher, loop_clock, watch::WatchTimes{}, hooks).run();
  if (!watched.ok()) {
    console.error(watched.error().to_string());
    return kExitFailed;
  }
  console.note("stopped watching");
  return kExitOk;
}

}  // namespace isrgen
