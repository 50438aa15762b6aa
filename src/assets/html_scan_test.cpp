#include "assets/html_scan.h"

#include <catch2/catch.hpp>

using namespace isrgen::assets;

namespace {
std::vector<std::string> srcs(std::string_view html) {
  std::vector<std::string> found;
  for (const HtmlTag& tag : find_tags(html, {"img", "link", "script"})) {
    const HtmlAttribute* src = tag.find(tag.name == "link" ? "href" : "src");
    found.push_back(tag.name + ":" + (src ? src->value : "-"));
  }
  return found;
}
}  // namespace

TEST_CASE("html scan: finds img, link and script tags with their offsets") {
  std::string html = "<p>Hi</p><img src=\"/a.jpg\" alt=x><link rel=stylesheet href='/s.css'><script src=/j.js></script>";
  auto tags = find_tags(html, {"img", "link", "script"});
  REQUIRE(tags.size() == 3);
  CHECK(html.substr(tags[0].begin, tags[0].end - tags[0].begin) == "<img src=\"/a.jpg\" alt=x>");
  CHECK(tags[0].find("alt")->value == "x");
  CHECK(tags[0].find("src")->source == "src=\"/a.jpg\"");
  CHECK(tags[1].find("href")->value == "/s.css");
  CHECK(tags[2].find("src")->value == "/j.js");
  CHECK(find_tags(html, {"img"}).size() == 1);
}

TEST_CASE("html scan: skips comments and the raw text of script, style, textarea and title") {
  CHECK(srcs("<!-- <img src=a.jpg> --><img src=b.jpg>") == std::vector<std::string>{"img:b.jpg"});
  CHECK(srcs("<!--><img src=c.jpg>") == std::vector<std::string>{"img:c.jpg"});
  CHECK(srcs("<script>var s = '<img src=x.jpg>';</script><img src=d.jpg>") ==
        std::vector<std::string>{"script:-", "img:d.jpg"});
  CHECK(srcs("<style>a::after{content:'<img src=x.jpg>'}</style><img src=e.jpg>") ==
        std::vector<std::string>{"img:e.jpg"});
  CHECK(srcs("<textarea><img src=x.jpg></textarea ><img src=f.jpg>") == std::vector<std::string>{"img:f.jpg"});
  CHECK(srcs("<TITLE><img src=x.jpg></Title><img src=g.jpg>") == std::vector<std::string>{"img:g.jpg"});
  CHECK(srcs("<script>'</scripts>' <img src=x.jpg></script><img src=h.jpg>") ==
        std::vector<std::string>{"script:-", "img:h.jpg"});
  // An unterminated comment or raw text element hides the rest of the page.
  CHECK(srcs("<!-- <img src=x.jpg>").empty());
  CHECK(srcs("<style> <img src=x.jpg>").empty());
}

TEST_CASE("html scan: quoting, upper case, self-closing tags and entities") {
  auto tags = find_tags("<IMG SRC = \"/a.jpg?w=1&amp;h=2\" Alt='a \"b\" > c' data-x=1/>", {"img"});
  REQUIRE(tags.size() == 1);
  CHECK(tags[0].name == "img");
  CHECK(tags[0].find("src")->value == "/a.jpg?w=1&h=2");
  CHECK(tags[0].find("alt")->value == "a \"b\" > c");
  CHECK(tags[0].find("data-x")->value == "1/");  // unquoted: the '/' belongs to the value
  CHECK_FALSE(tags[0].self_closing);
  auto closed = find_tags("<img src=\"a.jpg\" />", {"img"});
  REQUIRE(closed.size() == 1);
  CHECK(closed[0].self_closing);
  auto bare = find_tags("<img loading=eager hidden src=a.jpg>", {"img"});
  REQUIRE(bare.size() == 1);
  CHECK_FALSE(bare[0].find("hidden")->has_value);
  CHECK(bare[0].find("loading")->value == "eager");
  // The first of repeated attributes is the one a browser reads.
  CHECK(find_tags("<img src=a.jpg src=b.jpg>", {"img"})[0].find("src")->value == "a.jpg");
}

TEST_CASE("html scan: text that only looks like tags is left alone") {
  CHECK(srcs("a < b and <imgx src=a.jpg> and <img").empty());
  CHECK(srcs("</img src=a.jpg><!doctype html><?xml x?>").empty());
  CHECK(srcs("<img src=\"unterminated.jpg>").empty());
}

TEST_CASE("html scan: tags past the bounds are not reported") {
  std::string many = "<img src=a.jpg";
  for (size_t i = 0; i < kMaxAttributes + 1; ++i) many += " a" + std::to_string(i);
  many += "><img src=b.jpg>";
  CHECK(srcs(many) == std::vector<std::string>{"img:b.jpg"});
  std::string long_tag = "<img src=a.jpg alt=\"" + std::string(kMaxTagBytes, 'x') + "\"><img src=c.jpg>";
  CHECK(srcs(long_tag) == std::vector<std::string>{"img:c.jpg"});
}

TEST_CASE("html scan: character references in values") {
  CHECK(decode_character_references("a&amp;b&lt;&gt;&quot;&apos;&#39;&#x41;&#66;") == "a&b<>\"''AB");
  CHECK(decode_character_references("&copy; & &#xZZ; &#") == "&copy; & &#xZZ; &#");
  CHECK(decode_character_references("&#0;") == "\xEF\xBF\xBD");
  CHECK(escape_attribute("a&b\"c'") == "a&amp;b&quot;c'");
}

TEST_CASE("html scan: a '>' in a quoted value of any tag does not end it") {
  CHECK(srcs("<div title=\"a > <img src=x.jpg>\"><img src=y.jpg>") == std::vector<std::string>{"img:y.jpg"});
  CHECK(srcs("<div title = 'a > b' data-x=1>b<img src=z.jpg>") == std::vector<std::string>{"img:z.jpg"});
  // An '=' beginning a name is part of the name, as the tokenizer reads it: the quote is no value's.
  CHECK(srcs("<p =\"><img src=w.jpg>\">") == std::vector<std::string>{"img:w.jpg"});
}
