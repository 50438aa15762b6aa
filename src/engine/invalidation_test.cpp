// Which dependency tags each kind of changed input invalidates (ARCHITECTURE §3).
#include "engine/invalidation.h"

#include <catch2/catch.hpp>

#include "test_support.h"

using namespace isrgen;
using isrgen::testing::ScratchDir;
using isrgen::testing::write_text;

namespace {

const std::string kSettings =
    "[site]\nlanguages = [\"en\", \"de\"]\n"
    "[tenants.acme]\nname = \"Acme\"\nbase_url = \"https://acme.example\"\n"
    "[tenants.nova]\nname = \"Nova\"\nbase_url = \"https://nova.example\"\n"
    "[sources.models]\nfile = \"data/models.json\"\n";

const std::string kModels =
    R"([{"id": "m-1", "category": "fashion", "rating": 4}, {"id": "m-2", "category": "fitness", "rating": 3}])";

// A site whose inputs changed as a test says, with the snapshots the last
// build recorded.
struct Changed {
  ScratchDir dir;
  SitePaths paths = make_site_paths(dir.path(), "");
  SiteConfig config;
  InputScan scan;
  std::map<std::string, std::string> snapshots;

  explicit Changed(const std::string& settings = kSettings) {
    write_text(paths.config(), settings);
    config = parse_site_config(settings, "content/site.toml").value();
    write_text(paths.content() / "data/models.json", kModels);
  }
  void change(const std::string& path, InputKind kind, bool removed = false) {
    scan.changes.push_back({path, kind, removed});
  }
  Invalidation run() const {
    data::SourceCatalog sources(paths, config);
    return invalidate(scan, config, sources, [&](const std::string& path) -> std::optional<std::string> {
      auto found = snapshots.find(path);
      if (found == snapshots.end()) return std::nullopt;
      return found->second;
    });
  }
};

using Tags = std::set<std::string>;

}  // namespace

TEST_CASE("a changed template invalidates the tag of its layout, partial or component", "[build][invalidation]") {
  Changed site;
  site.change("templates/components/MODEL_SHOWCASE.mustache", InputKind::kTemplate);
  site.change("templates/layouts/landing.mustache", InputKind::kTemplate);
  Invalidation invalidation = site.run();
  // A layout and a partial of one name share the {{> name}} lookup.
  CHECK(invalidation.tags == Tags{"component:MODEL_SHOWCASE", "layout:landing", "partial:landing"});
  CHECK(invalidation.everything_reason.empty());

  Changed partial;
  partial.change("templates/partials/footer.mustache", InputKind::kTemplate, true);
  CHECK(partial.run().tags == Tags{"layout:footer", "partial:footer"});
}

TEST_CASE("a changed page file invalidates its page in every language; a static file its asset tag",
          "[build][invalidation]") {
  Changed site;
  site.change("content/pages/acme/summer.de.md", InputKind::kPage);
  site.change("content/pages/nova/jobs/berlin.md", InputKind::kPage, true);
  site.change("static/acme/css/site.css", InputKind::kStatic);
  Invalidation invalidation = site.run();
  CHECK(invalidation.tags == Tags{"asset:acme/css/site.css", "page:acme/summer", "page:nova/jobs/berlin"});
  CHECK(invalidation.everything_reason.empty());
}

TEST_CASE("a changed data file invalidates the records that changed, old and new", "[build][invalidation]") {
  Changed site;
  site.snapshots["content/data/models.json"] =
      R"([{"id": "m-1", "category": "fashion", "rating": 5}, {"id": "m-2", "category": "fitness", "rating": 3}])";
  site.change("content/data/models.json", InputKind::kData);
  Tags tags = site.run().tags;
  CHECK(tags.contains("models:m-1"));
  CHECK(tags.contains("models:rating=4"));
  CHECK(tags.contains("models:rating=5"));
  CHECK(tags.contains("models:category=fashion"));
  CHECK_FALSE(tags.contains("models:m-2"));
  CHECK_FALSE(tags.contains("models:category=fitness"));
  CHECK_FALSE(tags.contains("models:*"));

  SECTION("the same records rewritten invalidate nothing") {
    site.snapshots["content/data/models.json"] = kModels;
    CHECK(site.run().tags.empty());
  }
}

TEST_CASE("a data file that cannot be diffed invalidates every page that read its source", "[build][invalidation]") {
  const Tags broad{"source:models", "models:*"};
  SECTION("no snapshot of the last version") {
    Changed site;
    site.change("content/data/models.json", InputKind::kData);
    CHECK(site.run().tags == broad);
  }
  SECTION("a snapshot that no longer parses") {
    Changed site;
    site.snapshots["content/data/models.json"] = "[{\"id\": ";
    site.change("content/data/models.json", InputKind::kData);
    CHECK(site.run().tags == broad);
  }
  SECTION("the file is broken now") {
    Changed site;
    site.snapshots["content/data/models.json"] = kModels;
    write_text(site.paths.content() / "data/models.json", "not json");
    site.change("content/data/models.json", InputKind::kData);
    CHECK(site.run().tags == broad);
  }
  SECTION("the file is gone") {
    Changed site;
    site.snapshots["content/data/models.json"] = kModels;
    site.change("content/data/models.json", InputKind::kData, true);
    CHECK(site.run().tags == broad);
  }
}

TEST_CASE("site.toml: a tenant's settings invalidate that tenant, anything else every page",
          "[build][invalidation]") {
  const std::string path = "content/site.toml";
  SECTION("one tenant's table changed, another added") {
    std::string settings = kSettings;
    settings.replace(settings.find("name = \"Nova\""), 13, "name = \"Nova Talent\"");
    Changed site(settings + "[tenants.zeta]\nbase_url = \"https://zeta.example\"\n");
    site.snapshots[path] = kSettings;
    site.change(path, InputKind::kSiteConfig);
    Invalidation invalidation = site.run();
    CHECK(invalidation.tags == Tags{"tenant:nova", "tenant:zeta"});
    CHECK(invalidation.everything_reason.empty());
  }
  SECTION("[site] changed") {
    std::string settings = kSettings;
    settings.replace(settings.find("\"en\", \"de\""), 10, "\"en\"");
    Changed site(settings);
    site.snapshots[path] = kSettings;
    site.change(path, InputKind::kSiteConfig);
    Invalidation invalidation = site.run();
    CHECK(invalidation.everything_reason == "content/site.toml changed ([site] or [sources])");
  }
  SECTION("a source moved to another file") {
    std::string settings = kSettings;
    settings.replace(settings.find("data/models.json"), 16, "data/faces.json");
    Changed site(settings);
    site.snapshots[path] = kSettings;
    site.change(path, InputKind::kSiteConfig);
    CHECK(site.run().everything_reason == "content/site.toml changed ([site] or [sources])");
  }
  SECTION("cache profiles changed: every page records its profile") {
    for (const char* added : {"[cache]\ndefault = \"hours\"\n", "[cache.profiles.hours]\nrevalidate = 60\n",
                              "[cache.profiles.blog]\nrevalidate = 60\n"}) {
      Changed site(kSettings + std::string(added));
      site.snapshots[path] = kSettings;
      site.change(path, InputKind::kSiteConfig);
      CHECK(site.run().everything_reason == "content/site.toml changed (cache profiles)");
    }
    const std::string remote = "[sources.jobs]\nurl = \"https://api.example/jobs\"\n";
    Changed source(kSettings + remote + "cache = \"minutes\"\n");
    source.snapshots[path] = kSettings + remote + "revalidate = 60\n";  // the same revalidate, another stale
    source.change(path, InputKind::kSiteConfig);
    CHECK(source.run().everything_reason == "content/site.toml changed (cache profiles)");
  }
  SECTION("no snapshot of the last version") {
    Changed site;
    site.change(path, InputKind::kSiteConfig);
    CHECK(site.run().everything_reason == "content/site.toml changed");
  }
  SECTION("the same settings rewritten") {
    Changed site;
    site.snapshots[path] = kSettings;
    site.change(path, InputKind::kSiteConfig);
    Invalidation invalidation = site.run();
    CHECK(invalidation.everything_reason.empty());
    CHECK(invalidation.tags.empty());
  }
}
