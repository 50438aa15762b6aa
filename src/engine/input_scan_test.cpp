// Change detection on the disk seam: stat first, hash only what stat says
// changed, and what a changed or unchanged signature and hash mean.
#include "engine/input_scan.h"

#include <algorithm>
#include <chrono>

#include <catch2/catch.hpp>

#include "engine/recording_disk.h"
#include "test_support.h"
#include "util/fs.h"
#include "util/hash.h"

using namespace isrgen;
using isrgen::testing::ScratchDir;
using isrgen::testing::write_text;

namespace {

const std::string kSettings =
    "[tenants.acme]\nbase_url = \"https://acme.example\"\n"
    "[sources.models]\nfile = \"data/models.json\"\n"
    "[sources.jobs]\nurl = \"https://api.example/jobs\"\n";

struct Site {
  ScratchDir dir;
  SitePaths paths = make_site_paths(dir.path(), "");
  SiteConfig config = parse_site_config(kSettings, "content/site.toml").value();
  RecordingDisk disk;

  Site() {
    write("content/site.toml", kSettings);
    write("content/pages/acme/index.md", "---\ntitle: Home\n---\n");
    write("content/pages/acme/jobs/berlin.md", "---\ntitle: Berlin\n---\n");
    write("content/pages/acme/notes.txt", "not a page");
    write("content/data/models.json", "[{\"id\": \"m-1\"}]");
    write("templates/layouts/page.mustache", "{{{content}}}");
    write("templates/partials/footer.mustache", "<footer></footer>");
    write("templates/layouts/README", "not a template");
    write("static/acme/logo.svg", "<svg/>");
  }
  // Written an hour ago, so its signature can be trusted at once.
  void write(const std::string& path, const std::string& text) {
    write_text(paths.root / path, text);
    fs::last_write_time(paths.root / path, fs::file_time_type::clock::now() - std::chrono::hours(1));
  }
  InputListing list() { return list_inputs(paths, config, 2, disk_folder_lister(), disk).value(); }
  InputScan compare(const std::map<std::string, StoredInput>& stored) {
    return compare_inputs(paths, config, list(), stored, disk, 2);
  }
  // What a build that saw the site as it is now records.
  std::map<std::string, StoredInput> as_recorded() { return compare({}).current; }
};

std::vector<std::string> paths_of(const std::vector<InputChange>& changes, bool removed) {
  std::vector<std::string> paths;
  for (const InputChange& change : changes)
    if (change.removed == removed) paths.push_back(change.path);
  return paths;
}

}  // namespace

TEST_CASE("every input of the site is listed, sorted, and stat'ed on the disk", "[build][input_scan]") {
  Site site;
  InputListing listing = site.list();
  const std::vector<std::string> inputs = {"content/data/models.json",          "content/pages/acme/index.md",
                                           "content/pages/acme/jobs/berlin.md", "content/site.toml",
                                           "static/acme/logo.svg",              "templates/layouts/page.mustache",
                                           "templates/partials/footer.mustache"};
  CHECK(listing.files == inputs);
  CHECK(site.disk.stated() == inputs);
  REQUIRE(listing.signatures.size() == inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) CHECK(listing.signatures[i] == file_signature(site.paths.root / inputs[i]));

  SECTION("a configured data file that is missing is listed without a signature") {
    fs::remove(site.paths.root / "content/data/models.json");
    InputListing again = site.list();
    CHECK(again.files == inputs);
    CHECK(again.signatures[0].empty());
  }
}

TEST_CASE("inputs whose signature did not change are neither read nor changed", "[build][input_scan]") {
  Site site;
  std::map<std::string, StoredInput> recorded = site.as_recorded();
  site.disk.clear();
  InputScan scan = site.compare(recorded);
  CHECK(site.disk.reads().empty());
  CHECK(scan.changes.empty());
  CHECK(scan.snapshots.empty());
  REQUIRE(scan.current.size() == recorded.size());
  for (const auto& [path, input] : recorded) {
    CHECK(scan.current.at(path).signature == input.signature);
    CHECK(scan.current.at(path).hash == input.hash);
  }
}

TEST_CASE("a file whose signature changed is hashed: the same bytes are no change, others are",
          "[build][input_scan]") {
  Site site;
  std::map<std::string, StoredInput> recorded = site.as_recorded();
  site.write("content/pages/acme/index.md", "---\ntitle: Home\n---\n");  // touched, same bytes
  site.write("templates/layouts/page.mustache", "<main>{{{content}}}</main>");
  site.disk.clear();
  InputScan scan = site.compare(recorded);
  CHECK(site.disk.reads() == std::vector<std::string>{"content/pages/acme/index.md", "templates/layouts/page.mustache"});
  REQUIRE(scan.changes.size() == 1);
  CHECK(scan.changes[0].path == "templates/layouts/page.mustache");
  CHECK(scan.changes[0].kind == InputKind::kTemplate);
  CHECK_FALSE(scan.changes[0].removed);
  // Both are recorded with their new signatures, so the next build reads neither.
  CHECK(scan.current.at("content/pages/acme/index.md").signature ==
        file_signature(site.paths.root / "content/pages/acme/index.md"));
  CHECK(scan.current.at("content/pages/acme/index.md").hash == recorded.at("content/pages/acme/index.md").hash);
  CHECK(scan.current.at("templates/layouts/page.mustache").hash == content_hash("<main>{{{content}}}</main>"));
}

TEST_CASE("files added and removed since the last build are changes, sorted by path", "[build][input_scan]") {
  Site site;
  std::map<std::string, StoredInput> recorded = site.as_recorded();
  fs::remove(site.paths.root / "content/pages/acme/jobs/berlin.md");
  fs::remove(site.paths.root / "static/acme/logo.svg");
  site.write("content/pages/acme/sale.md", "---\ntitle: Sale\n---\n");
  site.write("templates/components/HERO.mustache", "<h1>{{config.headline}}</h1>");
  InputScan scan = site.compare(recorded);
  CHECK(paths_of(scan.changes, false) ==
        std::vector<std::string>{"content/pages/acme/sale.md", "templates/components/HERO.mustache"});
  CHECK(paths_of(scan.changes, true) == std::vector<std::string>{"content/pages/acme/jobs/berlin.md", "static/acme/logo.svg"});
  CHECK(std::is_sorted(scan.changes.begin(), scan.changes.end(),
                       [](const InputChange& a, const InputChange& b) { return a.path < b.path; }));
  CHECK_FALSE(scan.current.contains("static/acme/logo.svg"));
  CHECK(scan.current.contains("content/pages/acme/sale.md"));
}

TEST_CASE("the bytes of site.toml and data files read are kept as snapshots, of nothing else", "[build][input_scan]") {
  Site site;
  std::map<std::string, StoredInput> recorded = site.as_recorded();
  site.write("content/data/models.json", "[{\"id\": \"m-2\"}]");
  site.write("content/site.toml", kSettings);  // touched only: its snapshot is recorded again all the same
  site.write("content/pages/acme/index.md", "---\ntitle: New home\n---\n");
  InputScan scan = site.compare(recorded);
  CHECK(scan.snapshots == std::map<std::string, std::string>{{"content/data/models.json", "[{\"id\": \"m-2\"}]"},
                                                             {"content/site.toml", kSettings}});
  CHECK(paths_of(scan.changes, false) ==
        std::vector<std::string>{"content/data/models.json", "content/pages/acme/index.md"});
}

TEST_CASE("a file modified just now is recorded without a signature, so the next build hashes it again",
          "[build][input_scan]") {
  Site site;
  std::map<std::string, StoredInput> recorded = site.as_recorded();
  write_text(site.paths.root / "content/pages/acme/index.md", "---\ntitle: Edited\n---\n");  // mtime: now
  InputScan scan = site.compare(recorded);
  CHECK(scan.current.at("content/pages/acme/index.md").signature.empty());
  CHECK_FALSE(scan.current.at("templates/layouts/page.mustache").signature.empty());

  site.disk.clear();
  InputScan next = site.compare(scan.current);
  CHECK(site.disk.reads() == std::vector<std::string>{"content/pages/acme/index.md"});
  CHECK(next.changes.empty());
}

TEST_CASE("an input that cannot be read safely is left out, as if gone, with the reason", "[build][input_scan]") {
  Site site;
  ScratchDir outside;
  write_text(outside / "secret.txt", "password");
  fs::create_symlink(outside / "secret.txt", site.paths.root / "static/acme/secret.txt");
  InputScan scan = site.compare({});
  CHECK_FALSE(scan.current.contains("static/acme/secret.txt"));
  REQUIRE(scan.unreadable.size() == 1);
  CHECK(scan.unreadable[0].file == "static/acme/secret.txt");
}

TEST_CASE("each input's kind follows from its path and the configured sources", "[build][input_scan]") {
  Site site;
  CHECK(input_kind("content/site.toml", site.config) == InputKind::kSiteConfig);
  CHECK(input_kind("content/data/models.json", site.config) == InputKind::kData);
  CHECK(input_kind("content/pages/acme/index.md", site.config) == InputKind::kPage);
  CHECK(input_kind("templates/partials/footer.mustache", site.config) == InputKind::kTemplate);
  CHECK(input_kind("static/acme/logo.svg", site.config) == InputKind::kStatic);
}

TEST_CASE("new page files can be left unread until their pages are prepared, then hashed as if read",
          "[build][input_scan]") {
  Site site;
  const std::map<std::string, StoredInput> everything_read = site.as_recorded();
  site.disk.clear();
  InputScan scan = compare_inputs(site.paths, site.config, site.list(), {}, site.disk, 2, true);
  // Templates, data and settings are read; the two new page files are not.
  for (const std::string& read : site.disk.reads()) CHECK_FALSE(read.starts_with("content/pages/"));
  CHECK(scan.unhashed_pages ==
        std::vector<std::string>{"content/pages/acme/index.md", "content/pages/acme/jobs/berlin.md"});
  CHECK(scan.current.at("content/pages/acme/index.md").hash.empty());
  CHECK(paths_of(scan.changes, false) == paths_of(site.compare({}).changes, false));

  // One page was prepared (its hash comes from there); the other was not, so
  // it is read now.
  site.disk.clear();
  const std::string home_hash = everything_read.at("content/pages/acme/index.md").hash;
  fill_page_hashes(site.paths, site.config, site.disk, scan, {{"content/pages/acme/index.md", home_hash}});
  CHECK(site.disk.reads() == std::vector<std::string>{"content/pages/acme/jobs/berlin.md"});
  CHECK(scan.unhashed_pages.empty());
  CHECK(scan.current == everything_read);
}

TEST_CASE("a new page file that cannot be read when hashed late is left out, as when read at once",
          "[build][input_scan]") {
  Site site;
  InputScan scan = compare_inputs(site.paths, site.config, site.list(), {}, site.disk, 2, true);
  fs::remove(site.paths.root / "content/pages/acme/jobs/berlin.md");
  fill_page_hashes(site.paths, site.config, site.disk, scan, {});
  CHECK_FALSE(scan.current.contains("content/pages/acme/jobs/berlin.md"));
  CHECK(scan.current.at("content/pages/acme/index.md").hash == content_hash("---\ntitle: Home\n---\n"));
  REQUIRE(scan.unreadable.size() == 1);
  CHECK(scan.unreadable.front().file == "content/pages/acme/jobs/berlin.md");
}
