#include "render/markdown.h"

#include <thread>
#include <vector>

#include <catch2/catch.hpp>

using namespace isrgen;

namespace {
bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}
}  // namespace

TEST_CASE("Markdown renders GFM extensions") {
  MarkdownRenderer markdown(false);
  std::string html = markdown.to_html(
      "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ price\n\nsee https://example.com\n\n- [x] done\n- [ ] open\n");
  CHECK(contains(html, "<table>"));
  CHECK(contains(html, "<td>1</td>"));
  CHECK(contains(html, "<del>old</del>"));
  CHECK(contains(html, "<a href=\"https://example.com\">https://example.com</a>"));
  CHECK(contains(html, "type=\"checkbox\" checked=\"\" disabled=\"\""));
}

TEST_CASE("Markdown omits raw HTML unless the site allows it") {
  const char* source = "Hi <span class=\"x\">there</span>\n\n<script>alert(1)</script>\n";
  std::string safe = MarkdownRenderer(false).to_html(source);
  CHECK_FALSE(contains(safe, "<span"));
  CHECK_FALSE(contains(safe, "<script"));
  CHECK(contains(safe, "raw HTML omitted"));
  std::string unsafe = MarkdownRenderer(true).to_html(source);
  CHECK(contains(unsafe, "<span class=\"x\">"));
  CHECK(contains(unsafe, "&lt;script>"));  // the tag filter still defuses <script>
}

TEST_CASE("Markdown renders the same from many threads") {
  MarkdownRenderer markdown(false);
  const std::string source = "# Title\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- [ ] task\n";
  const std::string expected = markdown.to_html(source);
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i)
        if (markdown.to_html(source) != expected) ++mismatches[t];
    });
  for (auto& thread : threads) thread.join();
  CHECK(mismatches == std::vector<int>(4, 0));
}
