#include "engine/page_record_writer.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <catch2/catch.hpp>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "engine/build_record.h"
#include "engine/parallel.h"
#include "test_support.h"

using namespace isrgen;
using isrgen::testing::ScratchDir;

namespace {

// Pages as a build of a catalogue records them: a page tag, a few of a few
// dozen shared tags, its inputs and reasons.
std::vector<PageRecord> catalogue_pages(int count) {
  std::vector<PageRecord> pages;
  for (int i = 0; i < count; ++i) {
    PageRecord page;
    page.key = {"acme/p-" + std::to_string(i), i % 3 == 0 ? "de" : "en"};
    page.tenant = "acme";
    page.output = "acme/p-" + std::to_string(i) + "/index.html";
    page.url = "/p-" + std::to_string(i) + "/";
    page.priority = i % 7 == 0 ? "high" : "normal";
    page.output_hash = "hash-" + std::to_string(i);
    page.generated_at_ms = 1700000000000 + i;
    page.tags = {"page:" + page.key.page, "lang:" + page.key.lang};
    for (int m = 0; m < 1 + i % 30; ++m) page.tags.push_back("models:m-" + std::to_string((i * 7 + m * 13) % 40));
    page.inputs = {{"content/pages/acme/p-" + std::to_string(i) + ".md", "md" + std::to_string(i)},
                   {"templates/layouts/page.mustache", "layout"}};
    page.reasons = {"new page"};
    page.output_signature = "sig-" + std::to_string(i);
    if (i % 5 == 0) page.asset_outputs = {"acme/img/a-" + std::to_string(i % 10) + ".webp"};
    pages.push_back(std::move(page));
  }
  return pages;
}

// Everything the index answers about its pages, as one comparable text.
std::string recorded(DepIndex& index) {
  std::string text;
  const auto pages = index.load_pages();
  const auto tagged = index.pages_with_tags({"models:*", "lang:de"});
  const auto assets = index.load_page_asset_outputs();
  const auto errors = index.load_page_errors();
  REQUIRE(pages.ok());
  REQUIRE(tagged.ok());
  REQUIRE(assets.ok());
  REQUIRE(errors.ok());
  for (const auto& [key, row] : pages.value()) {
    PageRecord page = index.load_page(key).value();
    text += page.key.page + " " + page.key.lang + " " + page.tenant + " " + page.output + " " + page.url + " " +
            page.priority + " " + page.output_hash + " " + std::to_string(page.generated_at_ms) + " " +
            page.output_signature + " |";
    for (const std::string& tag : page.tags) text += " " + tag;
    text += " |";
    for (const InputFile& input : page.inputs) text += " " + input.path + "=" + input.hash;
    text += " |";
    for (const std::string& reason : page.reasons) text += " " + reason;
    text += "\n";
  }
  for (const auto& [key, tags] : tagged.value()) {
    text += "tagged " + key.page + " " + key.lang + ":";
    for (const std::string& tag : tags) text += " " + tag;
    text += "\n";
  }
  for (const auto& [key, outputs] : assets.value())
    for (const std::string& output : outputs) text += "asset " + key.page + " " + output + "\n";
  for (const auto& [key, error] : errors.value()) text += "error " + key.page + " " + error + "\n";
  return text;
}

// A transaction that notes which threads put pages, and nothing else.
class ThreadNotingTransaction final : public DepIndex::BuildTransaction {
 public:
  void put_page(const PageRecord& record) override {
    std::lock_guard lock(mutex);
    threads.insert(std::this_thread::get_id());
    pages.push_back(record.key);
  }
  void remove_page(const PageKey&) override {}
  void set_page_error(const PageKey&, const std::string&) override {}
  void put_static_file(const std::string&, const StoredStaticFile&) override {}
  void remove_static_file(const std::string&) override {}
  void put_asset_output(const std::string&, const StoredAssetOutput&) override {}
  void remove_asset_output(const std::string&) override {}
  void put_image_size(const std::string&, const StoredImageSize&) override {}
  void put_input(const std::string&, const StoredInput&, const std::optional<std::string>&) override {}
  void remove_input(const std::string&) override {}
  void put_source_snapshot(const SourceSnapshot&) override {}
  void update_source_status(const SourceSnapshot&) override {}
  void remove_source_snapshot(const std::string&) override {}
  void put_deferred_page(const DeferredPage&) override {}
  void remove_deferred_page(const PageKey&) override {}
  void set_shard(const std::string&) override {}
  Status status() const override { return Status::Ok(); }
  Status commit(const BuildSummary&) override { return Status::Ok(); }

  std::mutex mutex;
  std::set<std::thread::id> threads;
  std::vector<PageKey> pages;
};

}  // namespace

TEST_CASE("PageRecordWriter records while pages render what record_build records at the end", "[engine]") {
  const std::vector<PageRecord> pages = catalogue_pages(400);
  BuildRecord rest;
  rest.page_errors[{"acme/broken", "en"}] = "content/pages/acme/broken.md:3: unclosed section";
  ScratchDir dir;

  auto at_end = DepIndex::open(dir / "at_end.db").value();
  BuildRecord all = rest;
  all.pages = pages;
  REQUIRE(record_build(*at_end->begin_build().value(), all, {}).ok());

  auto while_rendering = DepIndex::open(dir / "while_rendering.db").value();
  {
    auto transaction = while_rendering->begin_build().value();
    PageRecordWriter writer(*transaction, 8);  // a short queue: submitters wait on it
    parallel_for(pages.size(), 4, [&](size_t i) { writer.submit(pages[i]); });
    CHECK(writer.finish() == pages.size());
    BuildRecord remaining = rest;
    remaining.pages = pages;
    remaining.pages_recorded = true;
    REQUIRE(record_build(*transaction, remaining, {}).ok());
  }
  const std::string expected = recorded(*at_end);
  CHECK(expected.find("tagged acme/p-3 de: lang:de models:m-20 models:m-21 models:m-34 models:m-7\n") != std::string::npos);
  CHECK(recorded(*while_rendering) == expected);
}

TEST_CASE("PageRecordWriter puts every page from one thread of its own", "[engine]") {
  const std::vector<PageRecord> pages = catalogue_pages(200);
  ThreadNotingTransaction transaction;
  {
    PageRecordWriter writer(transaction, 1);
    parallel_for(pages.size(), 4, [&](size_t i) { writer.submit(pages[i]); });
  }  // finished by its destructor
  CHECK(transaction.threads.size() == 1);
  CHECK_FALSE(transaction.threads.contains(std::this_thread::get_id()));
  std::set<PageKey> put(transaction.pages.begin(), transaction.pages.end());
  CHECK(transaction.pages.size() == pages.size());
  CHECK(put.size() == pages.size());
}

TEST_CASE("PageRecordWriter's pages are not kept when the build fails before its commit", "[engine]") {
  ScratchDir dir;
  auto index = DepIndex::open(dir / "state.db").value();
  const std::vector<PageRecord> before = catalogue_pages(3);
  {
    BuildRecord last;
    last.pages = before;
    REQUIRE(record_build(*index->begin_build().value(), last, {}).ok());
  }
  const std::string last_build = recorded(*index);
  std::vector<PageRecord> pages = catalogue_pages(50);
  for (PageRecord& page : pages) page.tags.push_back("failed:build");
  {
    auto transaction = index->begin_build().value();
    PageRecordWriter writer(*transaction);
    parallel_for(pages.size(), 2, [&](size_t i) { writer.submit(pages[i]); });
    CHECK(writer.finish() == pages.size());
    CHECK(transaction->status().ok());
    // The build fails here (its outputs could not be published): no commit.
  }
  CHECK(recorded(*index) == last_build);
  CHECK(index->pages_with_tags({"failed:build"}).value().empty());
  CHECK(index->load_pages().value().size() == before.size());
}

TEST_CASE("PageRecordWriter ignores pages submitted after it finished", "[engine]") {
  const std::vector<PageRecord> pages = catalogue_pages(2);
  ThreadNotingTransaction transaction;
  PageRecordWriter writer(transaction);
  writer.submit(pages[0]);
  CHECK(writer.finish() == 1);
  writer.submit(pages[1]);
  CHECK(writer.finish() == 1);
  CHECK(transaction.pages == std::vector<PageKey>{pages[0].key});
}
