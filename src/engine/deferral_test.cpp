#include "engine/deferral.h"

#include <catch2/catch.hpp>

#include "test_support.h"

using namespace isrgen;
using isrgen::testing::ScratchDir;
using isrgen::testing::write_text;

namespace {

// A site of three pages: home (high), sale (low, with a German translation
// raising it to high) and about (no priority: medium).
struct Site {
  ScratchDir dir;
  SitePaths paths = make_site_paths(dir.path(), "");
  SiteConfig config;
  PageScan scan;
  std::vector<VariantSlot> slots;
  std::map<std::string, StoredInput> inputs;
  RenderPlan planned;

  explicit Site(const std::string& prerender) {
    config = parse_site_config("[site]\nlanguages = [\"en\", \"de\"]\n[build]\nprerender = \"" + prerender +
                                   "\"\n[tenants.acme]\nbase_url = \"https://acme.example\"\n",
                               "content/site.toml")
                 .value();
    const std::vector<std::pair<std::string, std::string>> files = {
        {"content/pages/acme/about.md", "---\ntitle: About\n---\n"},
        {"content/pages/acme/index.md", "---\ntitle: Home\npriority: high\n---\n"},
        {"content/pages/acme/sale.de.md", "---\ntitle: Angebot\npriority: high\n---\n"},
        {"content/pages/acme/sale.md", "---\ntitle: Sale\npriority: low\n---\n"}};
    std::vector<std::string> names;
    for (const auto& [name, text] : files) {
      write_text(paths.root / name, text);
      names.push_back(name);
      inputs[name] = StoredInput{"sig", "hash-of-" + name};
    }
    scan = place_pages(names, config);
    slots = list_variant_slots(scan, config);
    for (const VariantSlot& slot : slots) planned[slot.key] = {RenderReason{ReasonKind::kNewPage}};
  }

  std::vector<VariantJob> prepare() const {
    std::vector<VariantJob> jobs;
    for (const PageSources& page : scan.pages)
      for (VariantJob& job : prepare_variants(page, paths, config))
        if (planned.contains(job.key)) jobs.push_back(std::move(job));
    return jobs;
  }
};

std::set<PageKey> keys_of(const std::vector<VariantJob>& jobs) {
  std::set<PageKey> keys;
  for (const VariantJob& job : jobs) keys.insert(job.key);
  return keys;
}

const PageKey kAbout{"acme/about", "en"}, kHome{"acme/index", "en"}, kSale{"acme/sale", "en"},
    kSaleDe{"acme/sale", "de"};

}  // namespace

TEST_CASE("prerender high defers never-rendered pages below high priority and remembers them",
          "[build][prerender]") {
  Site site("high");
  Deferral first(site.config, site.scan, site.slots, site.inputs, {});
  first.skip_unchanged(site.planned, {}, {}, true);
  CHECK(site.planned.size() == 4);  // nothing known yet: every page is read
  std::vector<VariantJob> jobs = site.prepare();
  first.defer_prepared(jobs, site.planned);
  CHECK(keys_of(jobs) == std::set<PageKey>{kHome, kSaleDe});
  CHECK(site.planned.size() == 2);
  REQUIRE(first.deferred().size() == 2);
  const DeferredPage& sale = first.deferred().at(kSale);
  CHECK(sale.url == "/sale/");
  CHECK(sale.output == "acme/sale/index.html");
  CHECK(sale.tenant == "acme");
  CHECK(sale.inputs_hash == "hash-of-content/pages/acme/sale.md");
  BuildRecord log;
  first.record(log);
  CHECK(log.deferred_pages.size() == 2);
  CHECK(log.undeferred_pages.empty());

  SECTION("unchanged page files: skipped without reading, nothing rewritten") {
    Site again("high");
    Deferral second(again.config, again.scan, again.slots, again.inputs, first.deferred());
    second.skip_unchanged(again.planned, {}, {}, true);
    CHECK(again.planned.size() == 2);
    CHECK_FALSE(again.planned.contains(kAbout));
    CHECK_FALSE(again.planned.contains(kSale));
    CHECK(second.deferred() == first.deferred());
    BuildRecord quiet;
    second.record(quiet);
    CHECK(quiet.deferred_pages.empty());
    CHECK(quiet.undeferred_pages.empty());
  }
  SECTION("an edited page file is read again, and a page asked for renders and is forgotten") {
    Site again("high");
    again.inputs["content/pages/acme/about.md"].hash = "edited";
    Deferral second(again.config, again.scan, again.slots, again.inputs, first.deferred());
    second.skip_unchanged(again.planned, {}, {kSale}, true);
    CHECK(again.planned.contains(kAbout));
    CHECK(again.planned.contains(kSale));
    std::vector<VariantJob> prepared = again.prepare();
    second.defer_prepared(prepared, again.planned);
    CHECK(keys_of(prepared) == std::set<PageKey>{kHome, kSale, kSaleDe});
    BuildRecord changes;
    second.record(changes);
    REQUIRE(changes.deferred_pages.size() == 1);
    CHECK(changes.deferred_pages[0].inputs_hash == "edited");
    CHECK(changes.undeferred_pages == std::vector<PageKey>{kSale});
  }
  SECTION("pages rendered before are never deferred, and --force reads everything again") {
    Site again("high");
    PageRecord about;
    about.key = kAbout;
    Deferral second(again.config, again.scan, again.slots, again.inputs, first.deferred());
    second.skip_unchanged(again.planned, {{kAbout, about}}, {}, false);
    CHECK(again.planned.size() == 4);
    std::vector<VariantJob> prepared = again.prepare();
    second.defer_prepared(prepared, again.planned);
    CHECK(keys_of(prepared) == std::set<PageKey>{kAbout, kHome, kSaleDe});
    CHECK(second.deferred().size() == 1);
  }
  SECTION("prerender all defers nothing and forgets what was deferred") {
    Site all("all");
    Deferral second(all.config, all.scan, all.slots, all.inputs, first.deferred());
    second.skip_unchanged(all.planned, {}, {}, true);
    std::vector<VariantJob> prepared = all.prepare();
    second.defer_prepared(prepared, all.planned);
    CHECK(prepared.size() == 4);
    BuildRecord forgotten;
    second.record(forgotten);
    CHECK(forgotten.undeferred_pages.size() == 2);
  }
}

TEST_CASE("a never-rendered page that cannot be prepared is not deferred: its error is reported",
          "[build][prerender]") {
  Site site("high");
  write_text(site.paths.root / "content/pages/acme/about.md", "---\ntitle: [unclosed\n---\n");
  Deferral deferral(site.config, site.scan, site.slots, site.inputs, {});
  deferral.skip_unchanged(site.planned, {}, {}, true);
  std::vector<VariantJob> jobs = site.prepare();
  deferral.defer_prepared(jobs, site.planned);
  CHECK(keys_of(jobs).contains(kAbout));
  CHECK_FALSE(deferral.deferred().contains(kAbout));
}
