// The streamed metadata text against nlohmann's dump(2) of the document the
// metadata used to be built as: the same bytes for every page, awkward or not.
#include "engine/page_metadata_json.h"

#include <random>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace isrgen;

namespace {

// The document as an ordered_json tree, dumped: how index.metadata.json was written.
std::string dumped_by_nlohmann(const RenderedPage& page, const std::string& output_hash,
                               const std::string& generated_at) {
  nlohmann::ordered_json inputs = nlohmann::ordered_json::array();
  for (const InputFile& input : page.inputs) inputs.push_back({{"path", input.path}, {"hash", input.hash}});
  nlohmann::ordered_json document = {{"page", page.page},
                                     {"tenant", page.tenant},
                                     {"lang", page.lang},
                                     {"url", page.url},
                                     {"permalink", page.permalink},
                                     {"output", page.output},
                                     {"priority", page.priority},
                                     {"cache", page.cache.to_json()},
                                     {"tags", page.tags},
                                     {"inputs", std::move(inputs)},
                                     {"output_hash", output_hash}};
  document["generated_at"] = generated_at;
  return document.dump(2) + "\n";
}

RenderedPage summer() {
  RenderedPage page;
  page.page = "acme/summer";
  page.tenant = "acme";
  page.lang = "en";
  page.url = "/summer/";
  page.permalink = "https://acme.example/summer/";
  page.output = "acme/summer/index.html";
  page.priority = "high";
  page.cache = CacheProfile{"hours", 300, 3600, 86400, 0};
  page.tags = {"component:MODELS", "layout:page", "models:category=fashion", "page:acme/summer"};
  page.inputs = {{"content/data/models.json", "0123a32e12be9ce1"}, {"content/pages/acme/summer.md", "e6f68e5e266f5fec"}};
  return page;
}

void check_same(const RenderedPage& page, const std::string& output_hash = "9f86d081884c7d65",
                const std::string& generated_at = "2026-11-21T08:33:51Z") {
  const std::string expected = dumped_by_nlohmann(page, output_hash, generated_at);
  const std::string written = page_metadata_json(page, output_hash, generated_at);
  INFO(expected);
  CHECK(written == expected);
}

// Every control character, 0x7f, quotes, backslashes, a slash, and UTF-8 of
// two, three and four bytes.
const std::string kAwkward = std::string("q\"b\\s/ ") + std::string("\x00\x01\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x1b\x1f\x7f", 13) +
                             " caf\xC3\xA9 \xE4\xB8\xAD\xE6\x96\x87 \xF0\x9F\x8E\xAC \xEF\xBF\xBF \\u0041 \"\"";

}  // namespace

TEST_CASE("page_metadata_json: a plain page is written as dump(2) writes it") {
  check_same(summer());
  CHECK(page_metadata_json(summer(), "9f86d081884c7d65", "2026-11-21T08:33:51Z").starts_with(
      "{\n  \"page\": \"acme/summer\",\n  \"tenant\": \"acme\",\n"));
}

TEST_CASE("page_metadata_json: quotes, backslashes, control characters and non-ASCII UTF-8 escape as dump(2) escapes them") {
  for (int c = 0; c < 0x80; ++c) {
    RenderedPage page = summer();
    page.page = "acme/" + std::string(1, static_cast<char>(c)) + "x";
    INFO("byte " << c);
    check_same(page);
  }
  RenderedPage page = summer();
  page.page = kAwkward;
  page.tenant = kAwkward;
  page.lang = kAwkward;
  page.url = kAwkward;
  page.permalink = kAwkward;
  page.output = kAwkward;
  page.priority = kAwkward;
  page.cache.name = kAwkward;
  page.tags = {kAwkward, "", "tag:" + kAwkward};
  page.inputs = {{kAwkward, kAwkward}, {"", ""}};
  check_same(page, kAwkward, kAwkward);
}

TEST_CASE("page_metadata_json: empty tags and inputs, and every kind of cache time") {
  RenderedPage page = summer();
  page.tags.clear();
  page.inputs.clear();
  check_same(page);
  page.tags = {"only"};
  page.inputs = {{"content/pages/acme/summer.md", "h"}};
  check_same(page);
  page.cache = CacheProfile{"default", 300, 900, kNoBound, 0};
  check_same(page);
  page.cache = CacheProfile{"a+b", kNoBound, kNoBound, kNoBound, 12};
  check_same(page);
  page.cache = CacheProfile{"", 0, INT64_MAX, 1, 0};
  check_same(page);
  check_same(RenderedPage{}, "", "");
}

TEST_CASE("page_metadata_json: random UTF-8 text in every field matches dump(2)") {
  std::mt19937 random(20261207);
  // Code points from every UTF-8 length, controls and the characters JSON escapes weighted up.
  auto code_point = [&]() -> uint32_t {
    switch (random() % 6) {
      case 0: return random() % 0x20;
      case 1: return std::string_view("\"\\/\x7f")[random() % 4];
      case 2: return 0x20 + random() % 0x60;
      case 3: return 0x80 + random() % 0x780;
      case 4: { uint32_t c = 0x800 + random() % 0xF800; return c >= 0xD800 && c < 0xE000 ? 0xFFFD : c; }
      default: return 0x10000 + random() % 0x100000;
    }
  };
  auto text = [&]() {
    std::string out;
    for (size_t n = random() % 12; n > 0; --n) {
      uint32_t c = code_point();
      if (c < 0x80) {
        out += static_cast<char>(c);
      } else if (c < 0x800) {
        out += static_cast<char>(0xC0 | (c >> 6));
        out += static_cast<char>(0x80 | (c & 0x3F));
      } else if (c < 0x10000) {
        out += static_cast<char>(0xE0 | (c >> 12));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
      } else {
        out += static_cast<char>(0xF0 | (c >> 18));
        out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
      }
    }
    return out;
  };
  for (int round = 0; round < 300; ++round) {
    RenderedPage page;
    page.page = text();
    page.tenant = text();
    page.lang = text();
    page.url = text();
    page.permalink = text();
    page.output = text();
    page.priority = text();
    page.cache = CacheProfile{text(), static_cast<int64_t>(random() % 3) - 1,
                              static_cast<int64_t>(random() % 100000), kNoBound, 0};
    for (size_t n = random() % 4; n > 0; --n) page.tags.push_back(text());
    for (size_t n = random() % 4; n > 0; --n) page.inputs.push_back({text(), text()});
    INFO("round " << round);
    check_same(page, text(), text());
  }
}

TEST_CASE("page_metadata_json: text that is not UTF-8 is refused as dump(2) refuses it") {
  for (const char* bad : {"\xC3", "\xFF", "\xC0\xAF", "\xED\xA0\x80", "ok\xF4\x90\x80\x80"}) {
    RenderedPage page = summer();
    page.tags.push_back(bad);
    INFO(nlohmann::json(std::string(bad)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    CHECK_THROWS_AS(dumped_by_nlohmann(page, "h", "t"), nlohmann::json::type_error);
    CHECK_THROWS_AS(page_metadata_json(page, "h", "t"), nlohmann::json::type_error);
  }
}
