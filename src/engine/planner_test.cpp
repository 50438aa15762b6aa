// The planner decides from values alone: which variants render, and why.
#include "engine/planner.h"

#include <catch2/catch.hpp>

using namespace isrgen;

namespace {

const PageKey kHome{"acme/index", "en"}, kSale{"acme/sale", "en"}, kSaleDe{"acme/sale", "de"},
    kAbout{"acme/about", "en"};
const std::string kRecorded = "120:1795000000000000000:11|480:1795000000000000000:12";

VariantSlot slot(const PageKey& key, const std::string& output, size_t page) { return {key, output, page, {}}; }

PageRecord recorded(const VariantSlot& slot) {
  PageRecord record;
  record.key = slot.key;
  record.output = slot.output;
  record.output_signature = kRecorded;
  return record;
}

// Four variants, all rendered by the last build and untouched since, unless a
// test says otherwise.
struct Plan {
  std::vector<VariantSlot> slots = {slot(kAbout, "acme/about/index.html", 0), slot(kHome, "acme/index.html", 1),
                                    slot(kSale, "acme/sale/index.html", 2),
                                    slot(kSaleDe, "acme/de/sale/index.html", 2)};
  std::vector<std::string> signatures = std::vector<std::string>(4, kRecorded);
  std::map<PageKey, PageRecord> previous;
  std::map<PageKey, std::string> failed_before;
  Invalidation invalidation;
  std::map<PageKey, std::vector<std::string>> carrying;
  std::map<PageKey, std::string> requested;
  bool force = false;

  Plan() {
    for (const VariantSlot& each : slots) previous.emplace(each.key, recorded(each));
  }
  // The plan, each reason as the report and the state index spell it.
  std::map<PageKey, std::vector<std::string>> run() const {
    std::map<PageKey, std::vector<std::string>> texts;
    for (const auto& [key, reasons] :
         plan_renders(slots, {signatures, previous, failed_before, invalidation, carrying, requested, force}))
      texts.emplace(key, reason_texts(reasons));
    return texts;
  }
};

using Reasons = std::vector<std::string>;

}  // namespace

TEST_CASE("the planner leaves untouched pages alone and plans new ones", "[build][planner]") {
  Plan plan;
  CHECK(plan.run().empty());

  plan.previous.erase(kSaleDe);
  auto planned = plan.run();
  CHECK(planned == std::map<PageKey, Reasons>{{kSaleDe, {"new page"}}});
}

TEST_CASE("the planner plans the pages carrying an invalidated tag, with the tags as reasons", "[build][planner]") {
  Plan plan;
  plan.invalidation.tags = {"models:m-1", "page:acme/sale"};
  plan.carrying = {{kSale, {"models:m-1", "page:acme/sale"}}, {kSaleDe, {"page:acme/sale"}}};
  auto planned = plan.run();
  CHECK(planned == std::map<PageKey, Reasons>{{kSale, {"tag:models:m-1", "tag:page:acme/sale"}},
                                              {kSaleDe, {"tag:page:acme/sale"}}});
}

TEST_CASE("the planner restores outputs deleted, edited or moved since they were recorded", "[build][planner]") {
  Plan plan;
  plan.signatures[0] = "|480:1795000000000000000:12";                     // about: HTML deleted
  plan.signatures[1] = "120:1795000000000000000:11|";                     // home: metadata deleted
  plan.signatures[2] = "121:1795000000000999999:11|480:1795000000000000000:12";  // sale: HTML edited
  plan.previous[kSaleDe].output = "acme/de/angebot/index.html";          // sale (de): published elsewhere before
  auto planned = plan.run();
  CHECK(planned == std::map<PageKey, Reasons>{{kAbout, {"output missing"}},
                                              {kHome, {"output missing"}},
                                              {kSale, {"output changed on disk"}},
                                              {kSaleDe, {"output moved"}}});
}

TEST_CASE("a page planned for another reason is not also restored", "[build][planner]") {
  Plan plan;
  plan.signatures[2] = "|";
  plan.carrying = {{kSale, {"models:m-1"}}};
  CHECK(plan.run() == std::map<PageKey, Reasons>{{kSale, {"tag:models:m-1"}}});
}

TEST_CASE("a change to the whole site or --force plans every page, with the reason", "[build][planner]") {
  Plan plan;
  plan.invalidation.everything_reason = "content/site.toml changed ([site] or [sources])";
  plan.previous.erase(kHome);
  auto planned = plan.run();
  REQUIRE(planned.size() == 4);
  CHECK(planned.at(kAbout) == Reasons{"content/site.toml changed ([site] or [sources])"});
  CHECK(planned.at(kHome) == Reasons{"content/site.toml changed ([site] or [sources])", "new page"});

  plan.force = true;
  planned = plan.run();
  REQUIRE(planned.size() == 4);
  CHECK(planned.at(kSale) == Reasons{"forced"});
}

TEST_CASE("the planner plans pages asked for by URL and pages that failed before", "[build][planner]") {
  Plan plan;
  plan.requested = {{kHome, "https://acme.example/"}};
  plan.failed_before = {{kAbout, "content/pages/acme/about.md:2: unknown layout 'nope'"}};
  CHECK(plan.run() == std::map<PageKey, Reasons>{{kAbout, {"failed before"}}, {kHome, {"path:https://acme.example/"}}});
}

TEST_CASE("a variant with a problem is never planned, whatever touches it", "[build][planner]") {
  Plan plan;
  plan.slots[2].problem = make_error("content/pages/acme/sale.md", 0, "publishes to acme/index.html like page acme/index");
  plan.signatures[2] = "";  // a slot with a problem is not stat'ed
  plan.previous.erase(kSale);
  plan.carrying = {{kSale, {"page:acme/sale"}}};
  plan.force = true;
  auto planned = plan.run();
  CHECK_FALSE(planned.contains(kSale));
  CHECK(planned.size() == 3);
}
