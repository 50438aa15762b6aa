#include "state/dep_index.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <catch2/catch.hpp>

#include "test_support.h"

using namespace isrgen;
using isrgen::testing::ScratchDir;

namespace {
std::vector<PageKey> pages_with_tag(const DepIndex& index, const std::string& tag) {
  auto pages = index.pages_with_tags({tag});
  REQUIRE(pages.ok());
  std::vector<PageKey> keys;
  for (const auto& [key, tags] : pages.value()) keys.push_back(key);
  return keys;
}

PageRecord sample(const std::string& page, const std::string& lang, std::vector<std::string> tags) {
  PageRecord record;
  record.key = {page, lang};
  record.tenant = "acme";
  record.output = page + "/index.html";
  record.url = "/x/";
  record.priority = "high";
  record.output_hash = "0123456789abcdef";
  record.generated_at_ms = 1700000000000;
  record.tags = std::move(tags);
  record.inputs = {{"content/pages/acme/x.md", "aaaa"}, {"templates/layouts/page.mustache", "bbbb"}};
  record.reasons = {"initial build"};
  return record;
}
}  // namespace

TEST_CASE("DepIndex stores pages with tags and inputs, in one transaction") {
  ScratchDir dir;
  auto index = DepIndex::open(dir / ".isrgen/state.db");
  REQUIRE(index.ok());
  {
    auto build = index.value()->begin_build();
    REQUIRE(build.ok());
    build.value()->put_page(sample("acme/x", "en", {"page:acme/x", "models:m-1"}));
    build.value()->put_page(sample("acme/y", "de", {"page:acme/y", "models:m-1", "lang:de"}));
    REQUIRE(build.value()->commit({}).ok());
  }
  CHECK(pages_with_tag(*index.value(), "models:m-1") == std::vector<PageKey>{{"acme/x", "en"}, {"acme/y", "de"}});
  auto by_prefix = index.value()->pages_with_tags({"models:*", "lang:de"});
  REQUIRE(by_prefix.ok());
  CHECK(by_prefix.value().at({"acme/y", "de"}) == std::vector<std::string>{"lang:de", "models:m-1"});
  CHECK(by_prefix.value().at({"acme/x", "en"}) == std::vector<std::string>{"models:m-1"});
  CHECK(index.value()->pages_with_tags({"model:*"}).value().empty());
  CHECK(index.value()->page_for_output("acme/y/index.html").value() == std::optional<PageKey>(PageKey{"acme/y", "de"}));
  auto page = index.value()->load_page({"acme/y", "de"});
  REQUIRE(page.ok());
  CHECK(page.value().tags == std::vector<std::string>{"lang:de", "models:m-1", "page:acme/y"});
  CHECK(page.value().inputs.size() == 2);
  CHECK(page.value().reasons == std::vector<std::string>{"initial build"});
  CHECK(index.value()->load_pages().value().size() == 2);
}

TEST_CASE("DepIndex replaces a page's tags and forgets uncommitted work") {
  ScratchDir dir;
  auto index = DepIndex::open(dir / "state.db").value();
  {
    auto build = index->begin_build().value();
    build->put_page(sample("acme/x", "en", {"old:tag"}));
    REQUIRE(build->commit({}).ok());
  }
  {
    auto build = index->begin_build().value();
    build->put_page(sample("acme/x", "en", {"new:tag"}));
    REQUIRE(build->commit({}).ok());
  }
  CHECK(pages_with_tag(*index, "old:tag").empty());
  CHECK(pages_with_tag(*index, "new:tag").size() == 1);
  {
    auto build = index->begin_build().value();
    build->remove_page({"acme/x", "en"});
    // destroyed without commit: rolled back
  }
  CHECK(index->load_pages().value().size() == 1);
  {
    auto build = index->begin_build().value();
    build->remove_page({"acme/x", "en"});
    REQUIRE(build->commit({}).ok());
  }
  CHECK(index->load_pages().value().empty());
  CHECK(pages_with_tag(*index, "new:tag").empty());
}

TEST_CASE("DepIndex reopens an existing database") {
  ScratchDir dir;
  {
    auto index = DepIndex::open(dir / "state.db").value();
    auto build = index->begin_build().value();
    build->put_static_file("acme/css/site.css", {"abcd", "12:34:56"});
    build->put_input("content/data/models.json", {"1:2:3", "beef"}, std::string("[]"));
    build->put_input("content/pages/acme/x.md", {"4:5:6", "cafe"}, std::nullopt);
    REQUIRE(build->commit({}).ok());
  }
  auto reopened = DepIndex::open(dir / "state.db");
  REQUIRE(reopened.ok());
  CHECK(reopened.value()->load_static_files().value().at("acme/css/site.css").hash == "abcd");
  CHECK(reopened.value()->load_static_files().value().at("acme/css/site.css").signature == "12:34:56");
  auto inputs = reopened.value()->load_inputs().value();
  CHECK(inputs.at("content/pages/acme/x.md").hash == "cafe");
  CHECK(reopened.value()->load_snapshot("content/data/models.json").value() == std::optional<std::string>("[]"));
  CHECK_FALSE(reopened.value()->load_snapshot("content/pages/acme/x.md").value().has_value());
}

TEST_CASE("DepIndex replaces a database of another schema instead of failing") {
  ScratchDir dir;
  {
    SQLite::Database old((dir / "state.db").string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    old.exec("CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL); "
             "INSERT INTO meta VALUES('schema_version', '1'); CREATE TABLE pages(id INTEGER PRIMARY KEY, page TEXT)");
  }
  auto index = DepIndex::open(dir / "state.db");
  REQUIRE(index.ok());
  CHECK(index.value()->load_pages().value().empty());
  auto build = index.value()->begin_build().value();
  build->put_page(sample("acme/x", "en", {"page:acme/x"}));
  REQUIRE(build->commit({}).ok());
  CHECK(index.value()->load_pages().value().size() == 1);
}

TEST_CASE("DepIndex keeps source snapshots, replaced and removed within a build") {
  ScratchDir dir;
  SourceSnapshot jobs;
  jobs.source = "jobs";
  jobs.origin_key = "https://api.example.com/jobs\n\n{}";
  jobs.records = R"([{"id":1}])";
  jobs.content_hash = "feed";
  jobs.fetched_at_ms = 1'700'000'000'000;
  jobs.etag = "\"v1\"";
  jobs.last_modified = "Sat, 21 Nov 2026 10:00:00 GMT";
  {
    auto index = DepIndex::open(dir / "state.db").value();
    auto build = index->begin_build().value();
    build->put_source_snapshot(jobs);
    SourceSnapshot posts = jobs;
    posts.source = "posts";
    posts.from_fallback = true;
    build->put_source_snapshot(posts);
    REQUIRE(build->commit({}).ok());
  }
  auto index = DepIndex::open(dir / "state.db").value();
  auto stored = index->load_source_snapshots().value();
  REQUIRE(stored.size() == 2);
  CHECK(stored.at("jobs").records == jobs.records);
  CHECK(stored.at("jobs").etag == "\"v1\"");
  CHECK(stored.at("jobs").fetched_at_ms == jobs.fetched_at_ms);
  CHECK_FALSE(stored.at("jobs").from_fallback);
  CHECK(stored.at("posts").from_fallback);

  auto build = index->begin_build().value();
  jobs.withheld = true;
  jobs.failed_at_ms = 5;
  jobs.last_error = "HTTP 500 after 4 attempts";
  build->put_source_snapshot(jobs);
  build->remove_source_snapshot("posts");
  REQUIRE(build->commit({}).ok());
  stored = index->load_source_snapshots().value();
  REQUIRE(stored.size() == 1);
  CHECK(stored.at("jobs").withheld);
  CHECK(stored.at("jobs").last_error == "HTTP 500 after 4 attempts");
  CHECK(stored.at("jobs").failed_at_ms == 5);
}

TEST_CASE("DepIndex brings a database of the previous schema up to date, keeping its pages") {
  ScratchDir dir;
  {
    auto index = DepIndex::open(dir / "state.db").value();
    auto build = index->begin_build().value();
    build->put_page(sample("acme/x", "en", {"page:acme/x"}));
    REQUIRE(build->commit({}).ok());
  }
  {
    SQLite::Database old((dir / "state.db").string(), SQLite::OPEN_READWRITE);
    old.exec("DROP TABLE source_snapshots; UPDATE meta SET value='4' WHERE key='schema_version'");
  }
  auto index = DepIndex::open(dir / "state.db");
  REQUIRE(index.ok());
  CHECK(index.value()->load_pages().value().size() == 1);
  CHECK(index.value()->load_source_snapshots().value().empty());
}

TEST_CASE("DepIndex refuses a database of a newer isrgen and keeps its pages", "[state]") {
  ScratchDir dir;
  const auto path = dir / "state.db";
  {
    auto index = DepIndex::open(path).value();
    auto build = index->begin_build().value();
    build->put_page(sample("acme/x", "en", {"page:acme/x"}));
    REQUIRE(build->commit({}).ok());
  }
  {
    SQLite::Database newer(path.string(), SQLite::OPEN_READWRITE);
    newer.exec("UPDATE meta SET value='8' WHERE key='schema_version'");
  }
  auto refused = DepIndex::open(path);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().file == path.string());
  CHECK_THAT(refused.error().message, Catch::StartsWith("written by a newer isrgen (state database schema 8") &&
                                          Catch::Contains("run the newer isrgen, or move it aside"));
  SQLite::Database check(path.string(), SQLite::OPEN_READONLY);
  CHECK(check.execAndGet("SELECT count(*) FROM pages").getInt() == 1);
}

TEST_CASE("DepIndex updates a snapshot's status without touching its records") {
  ScratchDir dir;
  auto index = DepIndex::open(dir / "state.db").value();
  SourceSnapshot jobs;
  jobs.source = "jobs";
  jobs.records = R"([{"id":1}])";
  jobs.content_hash = "feed";
  jobs.etag = "\"v1\"";
  auto first = index->begin_build().value();
  first->put_source_snapshot(jobs);
  REQUIRE(first->commit({}).ok());

  SourceSnapshot status = jobs;
  status.records = "not written";
  status.fetched_at_ms = 42;
  status.etag = "\"v2\"";
  status.failed_at_ms = 7;
  status.last_error = "HTTP 503";
  auto second = index->begin_build().value();
  second->update_source_status(status);
  REQUIRE(second->commit({}).ok());
  const SourceSnapshot stored = index->load_source_snapshots().value().at("jobs");
  CHECK(stored.records == jobs.records);
  CHECK(stored.content_hash == "feed");
  CHECK(stored.fetched_at_ms == 42);
  CHECK(stored.etag == "\"v2\"");
  CHECK(stored.last_error == "HTTP 503");
  CHECK(stored.failed_at_ms == 7);
}

TEST_CASE("DepIndex lists the languages a page was built in") {
  ScratchDir dir;
  auto index = DepIndex::open(dir / "state.db").value();
  auto build = index->begin_build().value();
  build->put_page(sample("acme/x", "en", {"page:acme/x"}));
  build->put_page(sample("acme/x", "de", {"page:acme/x"}));
  build->put_page(sample("acme/y", "en", {"page:acme/y"}));
  REQUIRE(build->commit({}).ok());
  CHECK(index->languages_of("acme/x").value() == std::vector<std::string>{"de", "en"});
  CHECK(index->languages_of("acme/z").value().empty());
}

TEST_CASE("DepIndex remembers deferred pages and finds them by URL", "[state][prerender]") {
  ScratchDir dir;
  auto index = DepIndex::open(dir / "state.db").value();
  DeferredPage all{{"acme/all", "en"}, "acme", "/all/", "acme/all/index.html", "h1"};
  DeferredPage all_de{{"acme/all", "de"}, "acme", "/de/all/", "acme/de/all/index.html", "h1|h2"};
  {
    auto build = index->begin_build().value();
    build->put_deferred_page(all);
    build->put_deferred_page(all_de);
    build->put_page(sample("acme/x", "en", {"page:acme/x"}));
    REQUIRE(build->commit({}).ok());
  }
  CHECK(index->load_deferred_pages().value() == std::map<PageKey, DeferredPage>{{all.key, all}, {all_de.key, all_de}});
  CHECK(index->deferred_pages_at_url("acme", "/de/all/").value() == std::vector<PageKey>{all_de.key});
  CHECK(index->deferred_pages_at_url("nova", "/all/").value().empty());
  CHECK(index->pages_at_url("acme", "/all/").value().empty());
  CHECK(index->deferred_variants_of("acme/all").value() == std::vector<DeferredPage>{all_de, all});

  auto build = index->begin_build().value();
  build->remove_deferred_page(all.key);
  REQUIRE(build->commit({}).ok());
  CHECK(index->load_deferred_pages().value().size() == 1);
  CHECK(index->deferred_pages_at_url("acme", "/all/").value().empty());
}

TEST_CASE("DepIndex brings a schema 5 database up to date, keeping pages and snapshots", "[state][prerender]") {
  ScratchDir dir;
  {
    auto index = DepIndex::open(dir / "state.db").value();
    auto build = index->begin_build().value();
    build->put_page(sample("acme/x", "en", {"page:acme/x"}));
    SourceSnapshot jobs;
    jobs.source = "jobs";
    jobs.records = "[]";
    build->put_source_snapshot(jobs);
    REQUIRE(build->commit({}).ok());
  }
  {
    SQLite::Database old((dir / "state.db").string(), SQLite::OPEN_READWRITE);
    old.exec("DROP TABLE deferred_pages; UPDATE meta SET value='5' WHERE key='schema_version'");
  }
  auto index = DepIndex::open(dir / "state.db");
  REQUIRE(index.ok());
  CHECK(index.value()->load_pages().value().size() == 1);
  CHECK(index.value()->load_source_snapshots().value().size() == 1);
  CHECK(index.value()->load_deferred_pages().value().empty());
}

TEST_CASE("DepIndex brings a schema 6 database up to date, its pages to be rendered once more", "[state][assets]") {
  ScratchDir dir;
  {
    auto index = DepIndex::open(dir / "state.db").value();
    auto build = index->begin_build().value();
    PageRecord page = sample("acme/x", "en", {"page:acme/x"});
    page.output_signature = "1|2";
    page.asset_outputs = {"acme/css/site.0123abcd.css"};
    build->put_page(page);
    REQUIRE(build->commit({}).ok());
    CHECK(index->load_page_asset_outputs().value().at(page.key) == std::vector<std::string>{"acme/css/site.0123abcd.css"});
  }
  {
    SQLite::Database old((dir / "state.db").string(), SQLite::OPEN_READWRITE);
    old.exec("DROP TABLE asset_outputs; DROP TABLE page_asset_outputs; DROP TABLE image_sizes; "
             "UPDATE meta SET value='6' WHERE key='schema_version'");
  }
  auto index = DepIndex::open(dir / "state.db");
  REQUIRE(index.ok());
  auto pages = index.value()->load_pages().value();
  REQUIRE(pages.size() == 1);
  CHECK(pages.begin()->second.output_signature.empty());  // taken for edited: rendered again
  CHECK(index.value()->load_asset_outputs().value().empty());
  CHECK(index.value()->load_page_asset_outputs().value().empty());
}

TEST_CASE("DepIndex keeps asset outputs, the pages using them and image sizes", "[state][assets]") {
  ScratchDir dir;
  auto index = DepIndex::open(dir / "state.db").value();
  PageRecord page = sample("acme/x", "en", {"page:acme/x", "asset:acme/img/a.jpg"});
  page.asset_outputs = {"acme/img/a.320w.11111111.webp", "acme/img/a.320w.22222222.jpg"};
  const StoredAssetOutput webp{"static/acme/img/a.jpg", "abc", "1111111111111111.webp", "sig1"};
  {
    auto build = index->begin_build().value();
    build->put_page(page);
    build->put_asset_output("acme/img/a.320w.11111111.webp", webp);
    build->put_asset_output("acme/img/a.320w.22222222.jpg", {"static/acme/img/a.jpg", "abc", "2222222222222222.jpg", "sig2"});
    build->put_image_size("abc", {640, 480, "jpg"});
    REQUIRE(build->commit({}).ok());
  }
  CHECK(index->load_asset_outputs().value().at("acme/img/a.320w.11111111.webp") == webp);
  CHECK(index->load_page_asset_outputs().value().at(page.key) == page.asset_outputs);
  CHECK(index->load_image_sizes().value().at("abc").width == 640);
  CHECK(index->pages_with_tags({"asset:acme/img/a.jpg"}).value().size() == 1);
  {
    auto build = index->begin_build().value();
    page.asset_outputs = {"acme/img/a.320w.11111111.webp"};
    build->put_page(page);
    build->remove_asset_output("acme/img/a.320w.22222222.jpg");
    REQUIRE(build->commit({}).ok());
  }
  CHECK(index->load_asset_outputs().value().size() == 1);
  CHECK(index->load_page_asset_outputs().value().at(page.key) == page.asset_outputs);
  {
    auto build = index->begin_build().value();
    build->remove_page(page.key);
    REQUIRE(build->commit({}).ok());
  }
  CHECK(index->load_page_asset_outputs().value().empty());
}

TEST_CASE("DepIndex keeps the reverse index exact as a page's many tags change", "[state]") {
  ScratchDir dir;
  auto index = DepIndex::open(dir / "state.db").value();
  std::vector<std::string> many;
  for (int i = 0; i < 40; ++i) many.push_back("models:m-" + std::to_string(i));
  auto put = [&](std::vector<std::string> x_tags) {
    auto build = index->begin_build().value();
    build->put_page(sample("acme/x", "en", std::move(x_tags)));
    build->put_page(sample("acme/y", "en", {"models:m-0", "models:m-39"}));
    REQUIRE(build->commit({}).ok());
  };
  auto tag_rows = [&] {
    SQLite::Database db((dir / "state.db").string());
    return db.execAndGet("SELECT count(*) FROM page_tags").getInt();
  };
  put(many);
  CHECK(tag_rows() == 42);
  CHECK(index->load_page({"acme/x", "en"}).value().tags.size() == 40);
  CHECK(pages_with_tag(*index, "models:m-17") == std::vector<PageKey>{{"acme/x", "en"}});
  put(many);  // as recorded
  CHECK(tag_rows() == 42);
  std::vector<std::string> fewer(many.begin() + 20, many.end());
  fewer.push_back("lang:en");
  fewer.push_back("lang:en");  // once in the index
  put(fewer);
  CHECK(tag_rows() == 23);
  CHECK(pages_with_tag(*index, "models:m-17").empty());
  CHECK(pages_with_tag(*index, "models:m-0") == std::vector<PageKey>{{"acme/y", "en"}});
  CHECK(pages_with_tag(*index, "models:m-39") == std::vector<PageKey>{{"acme/x", "en"}, {"acme/y", "en"}});
  CHECK(pages_with_tag(*index, "lang:en") == std::vector<PageKey>{{"acme/x", "en"}});
  {
    auto build = index->begin_build().value();
    build->remove_page({"acme/x", "en"});
    REQUIRE(build->commit({}).ok());
  }
  CHECK(tag_rows() == 2);
}

TEST_CASE("DepIndex's transaction reports a write that failed before its commit, and keeps nothing", "[state]") {
  ScratchDir dir;
  auto index = DepIndex::open(dir / "state.db").value();
  auto build = index->begin_build().value();
  build->put_page(sample("acme/x", "en", {"page:acme/x"}));
  CHECK(build->status().ok());
  build->put_page(sample("acme/y", "en", {"bad \xff byte"}));  // not UTF-8: its JSON cannot be written
  const Status status = build->status();
  REQUIRE_FALSE(status.ok());
  CHECK_THAT(status.error().message, Catch::Contains("state database"));
  build->put_page(sample("acme/z", "en", {"page:acme/z"}));
  CHECK_FALSE(build->commit({}).ok());
  build.reset();
  CHECK(index->load_pages().value().empty());
}
