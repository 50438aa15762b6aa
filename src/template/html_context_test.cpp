#include "template/html_context.h"

#include <string>

#include <catch2/catch.hpp>

using namespace isrgen::tmpl;

namespace {

// Where an interpolation placed after `before` sits.
Placement after(std::string_view before) {
  HtmlContext context;
  context.text(before);
  return context.interpolation();
}

UrlPart url_after(std::string_view before) { return after(before).url; }

}  // namespace

TEST_CASE("url_attribute knows the URL attributes of HTML and html/template") {
  for (const char* name : {"href", "src", "action", "formaction", "poster", "cite", "data", "background", "longdesc",
                           "usemap", "manifest", "icon", "codebase", "classid", "archive", "profile", "ping",
                           "xlink:href", "xmlns", "xmlns:svg", "data-href", "data-src", "lowsrc", "dynsrc",
                           "hx-get-url", "data-uri"}) {
    INFO(name);
    CHECK(url_attribute(name) == UrlPart::kStart);
  }
  CHECK(url_attribute("srcset") == UrlPart::kSrcset);
  CHECK(url_attribute("imagesrcset") == UrlPart::kSrcset);
  CHECK(url_attribute("data-srcset") == UrlPart::kSrcset);
  for (const char* name : {"alt", "title", "class", "id", "data-id", "name", "value", "rel", "type"}) {
    INFO(name);
    CHECK(url_attribute(name) == UrlPart::kNone);
  }
}

TEST_CASE("an interpolation at the start of a URL attribute value is checked, quoted or not") {
  CHECK(url_after("<img src=\"") == UrlPart::kStart);
  CHECK(url_after("<img src='") == UrlPart::kStart);
  CHECK(url_after("<img src=") == UrlPart::kStart);
  CHECK(url_after("<IMG SRC = \"") == UrlPart::kStart);
  CHECK(url_after("<a\nclass=\"x\"\nhref=\"") == UrlPart::kStart);
  CHECK(url_after("<a title=\"x\" href=\"") == UrlPart::kStart);
  CHECK(url_after("<a href=\"  ") == UrlPart::kStart);  // browsers strip the spaces
  CHECK(url_after("<svg><use xlink:href=\"") == UrlPart::kStart);
  CHECK(url_after("<form action=\"") == UrlPart::kStart);
  CHECK(after("<img src=").unquoted);
  CHECK_FALSE(after("<img src=\"").unquoted);
}

TEST_CASE("after template text that fixes the scheme, only HTML escaping applies") {
  CHECK(url_after("<a href=\"/search?q=") == UrlPart::kNone);
  CHECK(url_after("<a href=\"mailto:") == UrlPart::kNone);
  CHECK(url_after("<a href=\"https://example.com/") == UrlPart::kNone);
  CHECK(url_after("<a href=\"#") == UrlPart::kNone);
  CHECK(url_after("<a href=/tags/") == UrlPart::kNone);
  // Text that could still be part of a scheme fixes nothing ("java" + "script:").
  CHECK(url_after("<a href=\"java") == UrlPart::kStart);
  // "&#" begins a character reference, not a fragment.
  CHECK(url_after("<a href=\"&#106;") == UrlPart::kStart);
}

TEST_CASE("a second interpolation keeps the check until template text fixes the scheme") {
  HtmlContext context;
  context.text("<a href=\"");
  CHECK(context.interpolation().url == UrlPart::kStart);
  CHECK(context.interpolation().url == UrlPart::kStart);  // href="{{a}}{{b}}": b may still be the start
  context.text("/");
  CHECK(context.interpolation().url == UrlPart::kNone);  // href="{{base}}/{{path}}"
  context.text("\">");
  CHECK(context.interpolation().url == UrlPart::kNone);
}

TEST_CASE("an unquoted value begun by an interpolation stays open after it") {
  HtmlContext context;
  context.text("<img src=");
  Placement first = context.interpolation();
  CHECK(first.url == UrlPart::kStart);
  CHECK(first.unquoted);
  context.text("/x");
  Placement second = context.interpolation();
  CHECK(second.url == UrlPart::kNone);
  CHECK(second.unquoted);
  context.text(" alt=");
  CHECK(context.interpolation().url == UrlPart::kNone);
  context.text(">");
  CHECK_FALSE(context.interpolation().unquoted);
}

TEST_CASE("srcset interpolations are checked at a candidate's start and within one") {
  CHECK(url_after("<img srcset=\"") == UrlPart::kSrcset);
  CHECK(url_after("<img srcset=\"a.png 1x, ") == UrlPart::kSrcset);
  CHECK(url_after("<img srcset=\"a.png 1x,") == UrlPart::kSrcset);
  CHECK(url_after("<img srcset=\"/img/") == UrlPart::kSrcsetContinued);
  CHECK(url_after("<img srcset=\"a.png ") == UrlPart::kSrcsetContinued);
  HtmlContext context;
  context.text("<img srcset=\"");
  CHECK(context.interpolation().url == UrlPart::kSrcset);
  context.text(" 2x");
  CHECK(context.interpolation().url == UrlPart::kSrcsetContinued);
}

TEST_CASE("places that are no URL attribute value are not checked") {
  CHECK(after("").url == UrlPart::kNone);
  CHECK(after("<p>").url == UrlPart::kNone);
  CHECK(after("<a href=\"/x\">").url == UrlPart::kNone);
  CHECK(after("<a href=\"/x\" ").url == UrlPart::kNone);
  CHECK(after("<a href").url == UrlPart::kNone);
  CHECK(after("<img alt=\"").url == UrlPart::kNone);
  CHECK(after("<li data-id=\"").url == UrlPart::kNone);
  CHECK_FALSE(after("<li data-id=\"").unquoted);
  CHECK(after("<img alt=").unquoted);
  CHECK(after("a < b, href=\"").url == UrlPart::kNone);  // a lone '<' is text
  CHECK(url_after("<a title='x\" href=\"") == UrlPart::kNone);  // the other quote ends nothing
}

TEST_CASE("comments, doctypes and raw text elements hold no attributes") {
  CHECK(url_after("<!-- <a href=\"") == UrlPart::kNone);
  CHECK(url_after("<!-- x --> <a href=\"") == UrlPart::kStart);
  CHECK(url_after("<!-- a -- b -> <a href=\"") == UrlPart::kNone);
  CHECK(url_after("<!doctype html><a href=\"") == UrlPart::kStart);
  CHECK(url_after("<script>var s = '<a href=\"") == UrlPart::kNone);
  CHECK(url_after("<script>x</script><a href=\"") == UrlPart::kStart);
  CHECK(url_after("<SCRIPT>x</Script ><a href=\"") == UrlPart::kStart);
  CHECK(url_after("<script>x</scripts><a href=\"") == UrlPart::kNone);
  CHECK(url_after("<style>a { } <a href=\"") == UrlPart::kNone);
  CHECK(url_after("<title>x</title><a href=\"") == UrlPart::kStart);
  CHECK(url_after("<textarea><a href=\"") == UrlPart::kNone);
}

TEST_CASE("the state carries across text given piece by piece") {
  HtmlContext context;
  for (std::string_view piece : {"<", "a", " hr", "ef", "=", "\""}) context.text(piece);
  CHECK(context.interpolation().url == UrlPart::kStart);
}
