// Hostile input, as an author with commit rights, a misbehaving API or a
// careless setting would give it: links to files outside the site, page
// names that publish over other pages, parser bombs. Each fails only its own
// input, with a message that names the limit; the rest of the site builds and
// nothing outside the site is ever published.
#include <catch2/catch.hpp>

#include <unistd.h>

#include "fixture_site.h"
#include "http_test_server.h"
#include "isrgen_process.h"
#include "remote_site.h"
#include "state/site_lock.h"

using namespace isrgen::testing;
using nlohmann::json;

namespace {

constexpr const char* kSecret = "TOP-SECRET-3141";
// Far above what a build of the fixture takes (a few MB of its own plus the
// test process it was forked from), far below what the bombs took unbounded.
constexpr long kMemoryBoundKb = 512 * 1024;

// True when any file under out/ holds `text`.
bool published_anywhere(const fs::path& out, const std::string& text) {
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(out, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec))
    if (it->is_regular_file() && read_text(it->path()).find(text) != std::string::npos) return true;
  return false;
}

bool failure_says(const json& report, const std::string& text) {
  for (const json& failure : report["failed"])
    if (failure["error"].get<std::string>().find(text) != std::string::npos) return true;
  return false;
}

bool rendered(const json& report, const std::string& page) {
  for (const json& entry : report["rendered"])
    if (entry["page"] == page) return true;
  return false;
}

// Replaces `relative` in the site by a symbolic link to `target`.
void link_to(const FixtureSite& site, const std::string& relative, const fs::path& target) {
  fs::create_directories((site / relative).parent_path());
  fs::remove(site / relative);
  fs::create_symlink(target, site / relative);
}

// A link at `relative` to a file outside the site: the build refuses it by
// name, publishes nothing of it, and still builds the page nova/index.
void check_link_out(const std::string& relative, const std::string& outside_text) {
  ScratchDir outside;
  write_text(outside / "target", outside_text);
  FixtureSite site;
  link_to(site, relative, outside / "target");
  site.write("content/pages/nova/index.md", "---\ntitle: Nova\n---\nStill building.\n");
  auto build = site.build();
  INFO(relative << "\n" << build.result.err);
  CHECK(build.result.exit_code == 1);
  const std::string refusal = "symbolic link to a file outside the site (" + (outside / "target").string() + ") refused";
  CHECK(failure_says(build.report, refusal));
  CHECK_THAT(build.result.err, Catch::Contains(relative) && Catch::Contains(refusal));
  CHECK_FALSE(published_anywhere(site.out(), kSecret));
  CHECK(rendered(build.report, "nova/index"));
}

}  // namespace

TEST_CASE("a link to a file outside the site is refused in every input folder", "[cli][security]") {
  check_link_out("static/acme/env.txt", kSecret);
  check_link_out("content/pages/acme/linked.md", std::string("---\ntitle: Linked\n---\n") + kSecret + "\n");
  check_link_out("templates/components/HERO.mustache", std::string("<h1>") + kSecret + "</h1>\n");
  check_link_out("content/data/models.json", std::string(R"([{"id": "m1", "name": ")") + kSecret + R"("}])");
}

TEST_CASE("site.toml behind a link out of the site stops the run", "[cli][security]") {
  ScratchDir outside;
  FixtureSite site;
  write_text(outside / "site.toml", read_text(site / "content/site.toml"));
  link_to(site, "content/site.toml", outside / "site.toml");
  auto build = site.build();
  CHECK(build.result.exit_code == 2);
  CHECK_THAT(build.result.err, Catch::Contains("content/site.toml") &&
                                   Catch::Contains("symbolic link to a file outside the site"));
  CHECK_FALSE(fs::exists(site.out() / "acme/index.html"));
}

TEST_CASE("links that stay inside the site keep working", "[cli][security]") {
  FixtureSite site;
  link_to(site, "static/acme/css/alias.css", "site.css");                         // relative
  link_to(site, "static/nova/site.css", site / "static/acme/css/site.css");     // absolute, inside
  link_to(site, "content/pages/nova/copy.md", "index.md");
  auto build = site.build();
  INFO(build.result.err);
  CHECK(build.result.exit_code == 0);
  CHECK(site.read_out("acme/css/alias.css") == "body { margin: 0 }\n");
  CHECK(site.read_out("nova/site.css") == "body { margin: 0 }\n");
  CHECK(rendered(build.report, "nova/copy"));
}

TEST_CASE("data files named outside content/ are refused in site.toml", "[cli][security]") {
  FixtureSite site;
  site.write("content/site.toml",
             read_text(site / "content/site.toml") + "\n[sources.passwords]\nfile = \"../../../etc/passwd\"\n");
  auto build = site.build();
  CHECK(build.result.exit_code == 2);
  CHECK_THAT(build.result.err, Catch::Contains("content/site.toml:") &&
                                   Catch::Contains("file of source 'passwords' '../../../etc/passwd' must be a path "
                                                   "inside content/"));
}

TEST_CASE("page files whose slug has a '.' or '..' segment are refused at scan", "[cli][security]") {
  FixtureSite site;
  REQUIRE(site.build().result.exit_code == 0);
  const std::string home = site.read_out("acme/index.html");
  site.write("content/pages/acme/jobs/...md", "---\ntitle: Over the home page\n---\nOverwritten.\n");
  site.write("content/pages/acme/...md", "---\ntitle: Outside every tenant\n---\nOverwritten.\n");
  for (int run = 0; run < 2; ++run) {  // the second build settles: nothing moves, the same refusals
    auto build = site.build();
    INFO(build.result.err);
    CHECK(build.result.exit_code == 1);
    CHECK(failure_says(build.report, "content/pages/acme/jobs/...md: the page's slug 'jobs/..' has an empty, '.' or "
                                     "'..' folder or name"));
    CHECK(failure_says(build.report, "content/pages/acme/...md: the page's slug '..'"));
    CHECK(build.report["rendered"].empty());
    CHECK(site.read_out("acme/index.html") == home);
    CHECK_FALSE(fs::exists(site.out() / "index.html"));
  }
}

namespace {

// A page whose front matter is `yaml`: it fails with each of `messages`,
// within bounded memory, and the rest of the site builds.
void check_front_matter_bomb(const std::string& yaml, const std::vector<std::string>& messages) {
  FixtureSite site;
  site.write("content/pages/acme/bomb.md", "---\n" + yaml + "---\nBody.\n");
  auto build = site.build();
  INFO(build.result.err);
  CHECK(build.result.exit_code == 1);
  for (const std::string& message : messages) CHECK(failure_says(build.report, message));
  CHECK(rendered(build.report, "nova/index"));
  CHECK(build.result.peak_rss_kb < kMemoryBoundKb);
}

}  // namespace

TEST_CASE("a YAML billion laughs in front matter fails its page within bounded memory", "[cli][security]") {
  check_front_matter_bomb("title: Bomb\n" + yaml_billion_laughs(),
                          {"content/pages/acme/bomb.md:", "limits.front_matter_nodes in content/site.toml"});
}

TEST_CASE("front matter nested 30,000 deep fails its page at once", "[cli][security]") {
  check_front_matter_bomb("title: Deep\nx: " + std::string(30'000, '[') + std::string(30'000, ']') + "\n",
                          {"content/pages/acme/bomb.md:3:",
                           "nested deeper than 64 levels; raise limits.front_matter_depth"});
}

TEST_CASE("a local data file nested 50,000 deep fails the pages reading it", "[cli][security]") {
  FixtureSite site;
  site.write("content/data/models.json", "[{\"id\": \"m1\", \"deep\": " + std::string(50'000, '[') +
                                             std::string(50'000, ']') + "}]");
  auto build = site.build();
  INFO(build.result.err);
  CHECK(build.result.exit_code == 1);
  CHECK(failure_says(build.report, "content/data/models.json:1:"));
  CHECK(failure_says(build.report, "JSON nested deeper than 64 levels; raise limits.json_depth"));
  CHECK(rendered(build.report, "nova/index"));
}

TEST_CASE("limits are settings of site.toml", "[cli][security]") {
  FixtureSite site;
  // A build before the change: lowering a limit must invalidate what it now refuses.
  REQUIRE(site.build().result.exit_code == 0);
  site.write("content/site.toml", read_text(site / "content/site.toml") + "\n[limits]\njson_depth = 2\n");
  auto build = site.build();
  CHECK(build.result.exit_code == 1);
  CHECK(failure_says(build.report, "JSON nested deeper than 2 levels; raise limits.json_depth"));

  site.write("content/site.toml", read_text(site / "content/site.toml") + "page_byts = 10\n");
  build = site.build();
  CHECK(build.result.exit_code == 2);
  CHECK_THAT(build.result.err, Catch::Contains("unknown setting 'page_byts' in [limits]"));
}

TEST_CASE("a page, template or data file over its size limit fails with the file and the limit named",
          "[cli][security]") {
  FixtureSite site;
  REQUIRE(site.build().result.exit_code == 0);
  const std::string home = site.read_out("acme/index.html");
  site.write("content/site.toml", read_text(site / "content/site.toml") +
                                      "\n[limits]\npage_bytes = 2000\ntemplate_bytes = 2000\ndata_bytes = 2000\n");
  site.write("content/pages/acme/big.md", "---\ntitle: Big\n---\n" + std::string(3000, 'x') + "\n");
  site.write("templates/components/HERO.mustache", "<h1>{{config.headline}}</h1>" + std::string(3000, ' ') + "\n");
  std::string records = "[";
  for (int i = 0; i < 300; ++i) records += (i ? "," : "") + std::string("{\"id\": \"m") + std::to_string(i) + "\"}";
  site.write("content/data/models.json", records + "]");
  site.write("content/pages/nova/index.md", "---\ntitle: Nova\n---\nStill building.\n");
  auto build = site.build();
  INFO(build.result.err);
  CHECK(build.result.exit_code == 1);
  CHECK(failure_says(build.report, "content/pages/acme/big.md: the file has 3020 bytes, over the limit of 2000 "
                                   "(limits.page_bytes in content/site.toml)"));
  CHECK(failure_says(build.report, "templates/components/HERO.mustache: the file has"));
  CHECK(failure_says(build.report, "(limits.template_bytes in content/site.toml)"));
  CHECK(failure_says(build.report, "cannot read content/data/models.json (the file has"));
  CHECK(failure_says(build.report, "(limits.data_bytes in content/site.toml)"));
  CHECK(rendered(build.report, "nova/index"));
  CHECK(site.read_out("acme/index.html") == home);  // failed: its last good output stays
}

TEST_CASE("a static file over its size limit fails with the file and the limit named; the others are copied",
          "[cli][security]") {
  FixtureSite site;
  site.write("content/site.toml", read_text(site / "content/site.toml") + "\n[limits]\nstatic_bytes = 2000\n");
  site.write("static/acme/big.bin", std::string(3000, 'x'));
  site.write("static/acme/small.txt", "small");
  auto build = site.build();
  INFO(build.result.err);
  CHECK(build.result.exit_code == 1);
  CHECK(failure_says(build.report, "static/acme/big.bin: the file has 3000 bytes, over the limit of 2000 "
                                   "(limits.static_bytes in content/site.toml)"));
  CHECK_FALSE(fs::exists(site.out() / "acme/big.bin"));
  CHECK(site.read_out("acme/small.txt") == "small");
}

TEST_CASE("a remote record nested 100,000 deep is a failed fetch: the snapshot stays", "[cli][security]") {
  JobsApi api;
  RemoteSite site(api.url());
  REQUIRE(site.run({"build"}).result.exit_code == 0);
  api.set_body("[{\"id\": \"j-9\", \"deep\": " + std::string(100'000, '[') + std::string(100'000, ']') + "}]");
  auto run = site.run({"revalidate", "--tag", "source:jobs"});
  INFO(run.result.err);
  CHECK(run.result.exit_code == 0);
  CHECK_THAT(run.result.err, Catch::Contains("JSON nested deeper than 64 levels"));
  REQUIRE(run.report["degraded"].size() == 1);
  CHECK(run.report["degraded"][0]["serving"] == "stale snapshot");
  CHECK_THAT(site.read_out("acme/careers/index.html"), Catch::Contains("Stage hand"));
  CHECK(run.result.peak_rss_kb < kMemoryBoundKb);
}

TEST_CASE("site.toml with a dotted key 100,000 parts long is refused, not a crash", "[cli][security]") {
  FixtureSite site;
  std::string key = "[site";
  for (int i = 0; i < 100'000; ++i) key += ".a";
  site.write("content/site.toml", read_text(site / "content/site.toml") + "\n" + key + "]\nx = 1\n");
  auto build = site.build();
  CHECK(build.result.exit_code == 2);
  CHECK_THAT(build.result.err, Catch::Contains("a dotted key of more than 64 parts"));
}

TEST_CASE("a second run on a site in use says who holds it, or waits with --wait", "[cli][lock]") {
  FixtureSite site;
  auto held = isrgen::SiteLock::acquire(site / ".isrgen", "isrgen test", std::chrono::milliseconds(0));
  REQUIRE(held.ok());
  auto refused = site.build();
  CHECK(refused.result.exit_code == 2);
  CHECK_THAT(refused.result.err, Catch::Contains("the site is in use by pid " + std::to_string(::getpid()) +
                                                 " (isrgen test, since ") &&
                                     Catch::Contains("--wait SECONDS"));
  CHECK_FALSE(fs::exists(site.out() / "acme/index.html"));

  IsrgenProcess waiting({"build", "--site", site.root().string(), "--wait", "60"});
  REQUIRE(waiting.wait_for_output("waiting for the site, in use by pid " + std::to_string(::getpid())));
  held.value().reset();
  CHECK(waiting.wait_exit() == 0);
  CHECK(fs::exists(site.out() / "acme/index.html"));
}
