#include "engine/page_staleness.h"

#include <catch2/catch.hpp>

#include "test_support.h"

using namespace isrgen;
using isrgen::testing::ScratchDir;

namespace {

constexpr int64_t kFetched = 1'795'000'000'000;  // unix ms

PageRecord page(const std::string& id, std::vector<std::string> tags) {
  PageRecord record;
  record.key = {id, "en"};
  record.tenant = "acme";
  record.output = id + "/index.html";
  record.url = "/" + id.substr(5) + "/";
  record.tags = std::move(tags);
  return record;
}

SourceSnapshot snapshot(const SourceConfig& source) {
  SourceSnapshot row;
  row.source = source.name;
  row.origin_key = source.origin_key();
  row.records = "[]";
  row.fetched_at_ms = kFetched;
  return row;
}

}  // namespace

TEST_CASE("StalenessIndex knows which remote sources of a page are past revalidate", "[build][staleness]") {
  ScratchDir dir;
  SiteConfig config =
      parse_site_config("[tenants.acme]\nbase_url = \"https://acme.example\"\n"
                        "[sources.jobs]\nurl = \"https://api.example/jobs\"\nrevalidate = 300\n"
                        "[sources.news]\nurl = \"https://api.example/news\"\nrevalidate = 60\n"
                        "[sources.brands]\nurl = \"https://api.example/brands\"\n"
                        "[sources.unused]\nurl = \"https://api.example/unused\"\nrevalidate = 10\n"
                        "[sources.models]\nfile = \"data/models.json\"\n",
                        "content/site.toml")
          .value();
  auto index = DepIndex::open(dir / "state.db").value();
  {
    auto build = index->begin_build().value();
    build->put_page(page("acme/careers", {"page:acme/careers", "source:jobs"}));
    build->put_page(page("acme/berlin", {"jobs:city=berlin", "jobs:j-1", "news:n-1"}));
    build->put_page(page("acme/brands", {"source:brands", "source:models"}));
    build->put_page(page("acme/about", {"page:acme/about", "campaign:summer"}));
    for (const char* name : {"jobs", "news", "brands", "unused"})
      build->put_source_snapshot(snapshot(config.sources.at(name)));
    REQUIRE(build->commit({}).ok());
  }
  auto loaded = StalenessIndex::load(*index, config);
  REQUIRE(loaded.ok());
  const StalenessIndex& staleness = loaded.value();
  using Names = std::vector<std::string>;

  CHECK(staleness.stale_sources_of_output("acme/berlin/index.html", kFetched + 59'999).empty());
  CHECK(staleness.stale_sources_of_output("acme/berlin/index.html", kFetched + 60'000) == Names{"news"});
  CHECK(staleness.stale_sources_of_output("acme/berlin/index.html", kFetched + 300'000) == Names{"jobs", "news"});
  CHECK(staleness.stale_sources_of_output("acme/careers/index.html", kFetched + 200'000).empty());
  CHECK(staleness.stale_sources_of_output("acme/careers/index.html", kFetched + 300'000) == Names{"jobs"});
  // brands has no revalidate time and models is a local file: never stale.
  CHECK(staleness.stale_sources_of_output("acme/brands/index.html", kFetched + 86'400'000).empty());
  CHECK(staleness.stale_sources_of_output("acme/about/index.html", kFetched + 86'400'000).empty());
  CHECK(staleness.stale_sources_of_output("acme/css/site.css", kFetched + 86'400'000).empty());
  CHECK(StalenessIndex().stale_sources_of_output("acme/berlin/index.html", kFetched + 86'400'000).empty());

  // The whole site's stale sources, for a server's refresh timer: not `unused`, which no page shows.
  CHECK(staleness.stale_sources(kFetched + 59'999).empty());
  CHECK(staleness.stale_sources(kFetched + 60'000) == Names{"news"});
  CHECK(staleness.stale_sources(kFetched + 86'400'000) == Names{"jobs", "news"});
  CHECK(StalenessIndex().stale_sources(kFetched + 86'400'000).empty());

  CHECK(revalidation_tags({"jobs", "news"}) == Names{"source:jobs", "source:news"});
}
