// Sharded builds: `build --shard I/N` in N copies of a site, combined by
// `merge-state`, give the output and state index of one build of the site.
#include <catch2/catch.hpp>

#include <SQLiteCpp/SQLiteCpp.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "fixture_site.h"
#include "output_tree.h"
#include "test_images.h"
#include "test_support.h"

namespace isrgen::testing {
namespace {

const std::vector<std::string> kFixedClock = {"ISRGEN_NOW=1780000000000"};

// The fixture with 40 more pages (every third of acme's with a German
// translation), a static file and acme's precache manifest, which lists
// the pages of every shard.
void grow(const FixtureSite& site) {
  site.replace("content/site.toml", "base_url = \"https://acme.example\"",
               "base_url = \"https://acme.example\"\nprecache = true");
  site.write("static/acme/robots.txt", "User-agent: *\n");
  site.write("static/acme/img/photo.jpg", make_jpeg(400, 300));
  for (int i = 0; i < 40; ++i) {
    const std::string tenant = i % 2 ? "acme" : "nova";
    const std::string stem = "content/pages/" + tenant + "/p" + std::to_string(i);
    // Some of acme's pages show a photo: its variants are published by several shards.
    const std::string photo = tenant == "acme" && i % 5 == 1 ? "\n![Photo](/img/photo.jpg)\n" : "";
    site.write(stem + ".md", "---\ntitle: Page " + std::to_string(i) + "\n---\nText " + std::to_string(i) + ".\n" + photo);
    if (tenant == "acme" && i % 3 == 0)
      site.write(stem + ".de.md", "---\ntitle: Seite " + std::to_string(i) + "\n---\nText.\n");
  }
}

// A copy of the site's sources in `to`, never built.
void copy_sources(const FixtureSite& site, const fs::path& to) {
  fs::create_directories(to);
  copy_site_sources(site.root(), to);
}

CommandResult build_shard(const fs::path& folder, const std::string& shard) {
  return run_isrgen({"build", "--site", folder.string(), "--json", "--shard", shard}, kFixedClock);
}

CommandResult merge(const fs::path& into, const std::vector<fs::path>& parts) {
  std::vector<std::string> args = {"merge-state", "--site", into.string()};
  for (const fs::path& part : parts) args.push_back(part.string());
  return run_isrgen(args, kFixedClock);
}

// The dependency index of `folder`, one sorted line per row, without what
// depends on the machine or the folder (stat signatures) and the builds log.
std::vector<std::string> index_dump(const fs::path& folder) {
  SQLite::Database db((folder / ".isrgen" / "state.db").string(), SQLite::OPEN_READONLY);
  std::vector<std::string> rows;
  auto dump = [&](const std::string& table, const std::string& sql) {
    SQLite::Statement query(db, sql);
    while (query.executeStep()) {
      std::string row = table;
      for (int column = 0; column < query.getColumnCount(); ++column)
        row += "\t" + query.getColumn(column).getString();
      rows.push_back(row);
    }
  };
  dump("pages", "SELECT page, lang, tenant, output, url, priority, output_hash, generated_at, reasons, tags, inputs "
                "FROM pages");
  dump("page_tags", "SELECT tags.tag, pages.page, pages.lang FROM page_tags JOIN tags ON tags.id = page_tags.tag_id "
                    "JOIN pages ON pages.id = page_tags.page_id");
  dump("inputs", "SELECT path, hash, hex(snapshot) FROM inputs");
  dump("static_files", "SELECT output, hash FROM static_files");
  dump("source_snapshots", "SELECT source, content_hash, hex(records) FROM source_snapshots");
  dump("deferred_pages", "SELECT * FROM deferred_pages");
  dump("page_errors", "SELECT * FROM page_errors");
  dump("asset_outputs", "SELECT output, source, source_hash, cache_file FROM asset_outputs");
  dump("page_asset_outputs", "SELECT pages.page, pages.lang, a.output FROM page_asset_outputs a "
                             "JOIN pages ON pages.id = a.page_id");
  dump("image_sizes", "SELECT * FROM image_sizes");
  std::sort(rows.begin(), rows.end());
  return rows;
}

}  // namespace

TEST_CASE("four shards merged give the output and index of one build, and build nothing more", "[cli][shard]") {
  FixtureSite site;
  grow(site);
  site.replace("content/pages/acme/all.md", "---\n", "---\naliases: [/everyone/, /de/alle/]\n");
  auto whole = site.build({}, kFixedClock);
  REQUIRE(whole.result.exit_code == 0);
  REQUIRE(fs::exists(site.out() / "acme/everyone/index.html"));
  const int total = whole.report["stats"]["pages"].get<int>();
  REQUIRE(total >= 50);
  REQUIRE(fs::exists(site.out() / "acme" / "precache-manifest.json"));

  ScratchDir scratch;
  std::vector<fs::path> parts;
  std::set<std::string> seen;
  std::map<std::string, int> shard_of;  // "<tenant>/<slug>" -> shard
  int rendered = 0;
  for (int index = 1; index <= 4; ++index) {
    const fs::path part = scratch.path() / ("shard-" + std::to_string(index));
    copy_sources(site, part);
    auto built = build_shard(part, std::to_string(index) + "/4");
    INFO(built.err);
    REQUIRE(built.exit_code == 0);
    auto report = nlohmann::json::parse(built.out);
    CHECK(report["stats"]["pages"].get<int>() == static_cast<int>(report["rendered"].size()));
    CHECK(report["stats"]["pages"].get<int>() < total);
    rendered += static_cast<int>(report["rendered"].size());
    for (const std::string& variant : rendered_variants(report)) {
      CHECK(seen.insert(variant).second);
      const std::string page = variant.substr(0, variant.rfind('/'));
      auto [where, fresh] = shard_of.emplace(page, index);
      CHECK(where->second == index);  // every language of a page in one shard
    }
    CHECK_FALSE(fs::exists(part / "out" / "acme" / "precache-manifest.json"));
    parts.push_back(part);
  }
  CHECK(rendered == total);
  CHECK(seen == rendered_variants(whole.report));
  CHECK(fs::exists(parts[0] / "out" / "acme" / "robots.txt"));
  CHECK_FALSE(fs::exists(parts[1] / "out" / "acme" / "robots.txt"));

  const fs::path merged = scratch.path() / "merged";
  copy_sources(site, merged);
  auto merging = merge(merged, {parts[2], parts[0], parts[3], parts[1]});
  INFO(merging.err);
  REQUIRE(merging.exit_code == 0);

  CHECK(describe_difference(OutputTree::read(merged / "out"), OutputTree::read(site.out()), "merged", "one build") ==
        "");
  CHECK(OutputTree::read(merged / "out").entries == OutputTree::read(site.out()).entries);  // generated_at too
  CHECK(index_dump(merged) == index_dump(site.root()));
  CHECK(fs::exists(merged / ".isrgen" / "assets"));

  auto again = run_isrgen({"build", "--site", merged.string(), "--json"}, kFixedClock);
  REQUIRE(again.exit_code == 0);
  auto report = nlohmann::json::parse(again.out);
  CHECK(report["rendered"].empty());
  CHECK(report["stats"]["pages"].get<int>() == total);
  CHECK(report["stats"]["images_encoded"] == 0);

  auto twice = merge(merged, parts);
  CHECK(twice.exit_code == 2);
  CHECK(twice.err.find("built already") != std::string::npos);
}

TEST_CASE("merge-state refuses a missing, repeated or foreign shard, and a shard folder builds only its shard",
          "[cli][shard]") {
  FixtureSite site;
  grow(site);
  ScratchDir scratch;
  std::vector<fs::path> parts;
  for (int index = 1; index <= 3; ++index) {
    const fs::path part = scratch.path() / ("shard-" + std::to_string(index));
    copy_sources(site, part);
    REQUIRE(build_shard(part, std::to_string(index) + "/3").exit_code == 0);
    parts.push_back(part);
  }
  const fs::path merged = scratch.path() / "merged";
  copy_sources(site, merged);

  auto missing = merge(merged, {parts[0], parts[2]});
  CHECK(missing.exit_code == 2);
  CHECK(missing.err.find("shards 2 of 3 are missing") != std::string::npos);
  auto twice = merge(merged, {parts[0], parts[1], parts[1], parts[2]});
  CHECK(twice.exit_code == 2);
  CHECK(twice.err.find("given twice") != std::string::npos);
  CHECK_FALSE(fs::exists(merged / "out"));

  // A link in a part's output (a tampered artifact) is refused, never followed.
  {
    const fs::path linked = scratch.path() / "linked";
    fs::copy(parts[1], linked, fs::copy_options::recursive | fs::copy_options::copy_symlinks);
    const fs::path page = linked / "out/acme/p1/index.html";
    REQUIRE(fs::exists(page));
    fs::remove(page);
    fs::create_symlink("/etc/hostname", page);
    auto tampered = merge(merged, {parts[0], linked, parts[2]});
    CHECK(tampered.exit_code != 0);
    CHECK(tampered.err.find("a symbolic link in a shard's output") != std::string::npos);
    CHECK_FALSE(fs::exists(merged / "out/acme/p1/index.html"));
  }

  // A shard built from other sources does not fit.
  site.write("content/pages/acme/p1.md", "---\ntitle: Changed\n---\nOther.\n");
  const fs::path other = scratch.path() / "other";
  copy_sources(site, other);
  REQUIRE(build_shard(other, "2/3").exit_code == 0);
  auto foreign = merge(merged, {parts[0], other, parts[2]});
  CHECK(foreign.exit_code == 2);
  CHECK(foreign.err.find("other inputs") != std::string::npos);

  // A shard's folder builds that shard again, but not the whole site or another shard.
  auto whole = run_isrgen({"build", "--site", parts[0].string()}, kFixedClock);
  CHECK(whole.exit_code == 2);
  CHECK(whole.err.find("holds shard 1/3") != std::string::npos);
  CHECK(build_shard(parts[0], "2/3").exit_code == 2);
  auto same = build_shard(parts[0], "1/3");
  REQUIRE(same.exit_code == 0);
  CHECK(nlohmann::json::parse(same.out)["rendered"].empty());

  CHECK(build_shard(parts[0], "4/3").exit_code == 2);
  CHECK(run_isrgen({"build", "--site", parts[0].string(), "--shard", "1/3", "--sync"}).exit_code == 2);
  const fs::path state = scratch.path() / "state";
  CHECK(run_isrgen({"build", "--site", parts[0].string(), "--shard", "1/3", "--state", state.string()}).exit_code == 2);
  CHECK_FALSE(fs::exists(state));
}

}  // namespace isrgen::testing

namespace isrgen::testing {

TEST_CASE("the sharded CI examples parse and shard, merge and sync", "[cli][shard]") {
  const fs::path examples = source_dir() / "examples";
  auto github = run_program({"python3", (source_dir() / "tests/ci_examples.py").string(),
                             (examples / "github-actions-shards.yml").string()});
  REQUIRE(github.exit_code == 0);
  const auto commands = nlohmann::json::parse(github.out)["commands"];
  REQUIRE(commands.size() == 3);
  CHECK(commands[0].get<std::string>().find("--shard ${{ matrix.shard }}/4") != std::string::npos);
  CHECK(commands[1].get<std::string>().starts_with("isrgen merge-state"));
  CHECK(commands[2].get<std::string>().starts_with("isrgen sync"));

  auto kubernetes = run_program(
      {"python3", "-c",
       "import sys, yaml\n"
       "jobs = list(yaml.safe_load_all(open(sys.argv[1])))\n"
       "assert jobs[0]['spec']['completionMode'] == 'Indexed' and jobs[0]['spec']['completions'] == 4\n"
       "shard = jobs[0]['spec']['template']['spec']['containers'][0]['args'][0]\n"
       "assert '--shard $((JOB_COMPLETION_INDEX+1))/4' in shard\n"
       "assert 'isrgen merge-state' in jobs[1]['spec']['template']['spec']['containers'][0]['args'][0]\n",
       (examples / "kubernetes-indexed-job.yml").string()});
  INFO(kubernetes.err);
  CHECK(kubernetes.exit_code == 0);
}

}  // namespace isrgen::testing
