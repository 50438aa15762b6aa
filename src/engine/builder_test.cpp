// run_build in-process, on the disk seam: a folder of the site that cannot be
// listed fails the build before anything is written or deleted; an unchanged
// site writes nothing; the pages showing a source that serves nothing are
// listed as the state index knows them after the build.
#include "engine/builder.h"

#include <cerrno>
#include <chrono>
#include <set>

#include <catch2/catch.hpp>

#include "engine/recording_disk.h"
#include "fixture_site.h"
#include "remote_site.h"
#include "util/fs.h"

using namespace isrgen;
using namespace isrgen::testing;

namespace {

class FailingLister final : public FolderLister {
 public:
  explicit FailingLister(fs::path failing) : failing_(std::move(failing)) {}
  FolderListing list(const fs::path& folder) const override {
    if (folder == failing_) return FolderListing{{}, EIO};
    return disk_folder_lister().list(folder);
  }

 private:
  fs::path failing_;
};

}  // namespace

TEST_CASE("a folder of the site that cannot be listed fails the build and deletes nothing", "[build][walk]") {
  ManualClock clock(1'795'000'000'000);
  for (const char* unlisted : {"content/pages/nova", "static/acme", "templates/partials"}) {
    INFO(unlisted);
    FixtureSite site;
    const SitePaths paths = make_site_paths(site.root(), "");
    BuildOptions options;
    REQUIRE(run_build(paths, options, clock).ok());
    const std::string nova = site.read_out("nova/index.html");
    const std::string css = site.read_out("acme/css/site.css");
    REQUIRE_FALSE(nova.empty());
    site.write("content/pages/acme/index.md", "---\ntitle: Changed\n---\nChanged.\n");

    FailingLister lister(paths.root / unlisted);
    options.lister = &lister;
    auto failed = run_build(paths, options, clock);
    REQUIRE_FALSE(failed.ok());
    CHECK(failed.error().kind == ErrorKind::kEnvironment);
    CHECK(failed.error().to_string() == (paths.root / unlisted).string() +
                                            ": cannot list the folder: Input/output error (nothing was written or "
                                            "deleted: make it readable and build again)");
    CHECK(site.read_out("nova/index.html") == nova);
    CHECK(site.read_out("acme/css/site.css") == css);
    CHECK_THAT(site.read_out("acme/index.html"), !Catch::Contains("Changed."));

    // Readable again: the build goes on as if nothing had happened.
    options.lister = &disk_folder_lister();
    auto recovered = run_build(paths, options, clock);
    REQUIRE(recovered.ok());
    CHECK(recovered.value().deleted.empty());
    CHECK_THAT(site.read_out("acme/index.html"), Catch::Contains("Changed."));
  }
}

TEST_CASE("a build of an unchanged site writes and removes nothing", "[build]") {
  ManualClock clock(1'795'000'000'000);
  FixtureSite site;
  // Written an hour ago: signatures the first build can trust, so the second reads no input again.
  for (const auto& entry : fs::recursive_directory_iterator(site.root()))
    if (entry.is_regular_file()) fs::last_write_time(entry.path(), fs::file_time_type::clock::now() - std::chrono::hours(1));
  const SitePaths paths = make_site_paths(site.root(), "");
  RecordingDisk disk;
  BuildOptions options;
  options.disk = &disk;
  auto first = run_build(paths, options, clock);
  REQUIRE(first.ok());
  REQUIRE(first.value().written > 0);
  CHECK_FALSE(disk.written_files().empty());
  disk.clear();

  clock.advance_ms(60'000);
  auto again = run_build(paths, options, clock);
  REQUIRE(again.ok());
  CHECK(again.value().rendered.empty());
  CHECK(disk.reads().empty());
  CHECK(disk.writes().empty());
  CHECK(disk.removed().empty());
  CHECK(disk.prepared() == 1);
  CHECK(disk.finished() == 1);
  CHECK_FALSE(fs::exists(paths.out_temp()));
}

TEST_CASE("the pages showing a source that serves nothing are listed, rendered now or before", "[build][remote]") {
  ManualClock clock(1'795'000'000'000);
  RemoteSite site("http://127.0.0.1:9/jobs");
  const SitePaths paths = make_site_paths(site.root(), "");
  BuildOptions options;
  options.offline = true;  // no snapshot, nothing fetched: the source serves nothing
  auto degraded_pages = [](const BuildReport& report) {
    std::set<std::string> pages;
    REQUIRE(report.degraded.size() == 1);
    CHECK(report.degraded[0].serving == data::Serving::kNothing);
    for (const auto& [page, lang] : report.degraded[0].pages) pages.insert(page + "/" + lang);
    return pages;
  };
  const std::set<std::string> jobs_pages = {"acme/berlin-jobs/en", "acme/careers/de", "acme/careers/en",
                                            "nova/paris-jobs/en"};
  auto first = run_build(paths, options, clock);
  REQUIRE(first.ok());
  CHECK(degraded_pages(first.value()) == jobs_pages);

  auto unchanged = run_build(paths, options, clock);
  REQUIRE(unchanged.ok());
  CHECK(unchanged.value().rendered.empty());
  CHECK(degraded_pages(unchanged.value()) == jobs_pages);

  site.write("content/pages/acme/berlin-jobs.md", "---\ntitle: Berlin\n---\nNo list here.\n");
  fs::remove(site / "content/pages/nova/paris-jobs.md");
  auto edited = run_build(paths, options, clock);
  REQUIRE(edited.ok());
  CHECK(edited.value().rendered.size() == 1);
  CHECK(degraded_pages(edited.value()) == std::set<std::string>{"acme/careers/de", "acme/careers/en"});
}

TEST_CASE("a build from nothing stats no output and reads each page file once, yet leaves equal outputs alone",
          "[build]") {
  ManualClock clock(1'795'000'000'000);
  FixtureSite site;
  const SitePaths paths = make_site_paths(site.root(), "");
  RecordingDisk disk;
  BuildOptions options;
  options.disk = &disk;
  auto first = run_build(paths, options, clock);
  REQUIRE(first.ok());
  REQUIRE(first.value().failed.empty());
  const std::string page = first.value().rendered.front().output;
  const std::string signature_before = file_signature(paths.out / page);

  // The state index goes; the output stays.
  fs::remove_all(site.root() / ".isrgen");
  disk.clear();
  auto again = run_build(paths, options, clock);
  REQUIRE(again.ok());
  CHECK(again.value().rendered.size() == first.value().rendered.size());
  for (const std::string& stated : disk.stated()) CHECK_FALSE(stated.ends_with("index.html"));
  std::vector<std::string> page_reads;
  for (const std::string& read : disk.reads())
    if (read.starts_with("content/pages/")) page_reads.push_back(read);
  CHECK(page_reads.empty());  // read once, by preparing their pages, and not to hash them before
  CHECK(again.value().written == 0);  // the same bytes: every file found there and left alone
  CHECK(file_signature(paths.out / page) == signature_before);
  std::set<std::string> page_outputs;
  for (const auto& rendered : again.value().rendered) page_outputs.insert(rendered.output);
  for (const RecordingDisk::Write& write : disk.writes())
    if (page_outputs.contains(write.file)) CHECK(write.mode == WriteMode::kCreate);
}
