// Compiled and rendered together: {{name}} in URL attributes and unquoted
// attribute values of HTML templates (html_context.h, url_check.h).
#include <catch2/catch.hpp>

#include "template/test_helpers.h"

using namespace isrgen::tmpl;
using namespace isrgen::tmpl::testing;
using nlohmann::json;

namespace {

std::string render_with_usage(std::string_view source, const json& data, RenderUsage& usage,
                              const PartialResolver* partials = nullptr) {
  return render_to_string(*compile_or_fail(source, "card.mustache"), data, partials, &usage);
}

}  // namespace

TEST_CASE("an unsafe URL from data renders as # and is reported with its place and field") {
  RenderUsage usage;
  std::string out = render_with_usage("<li>\n  <img src=\"{{image}}\" alt=\"{{name}}\">\n</li>",
                                      json{{"image", "javascript:alert(9)"}, {"name", "Ada"}}, usage);
  CHECK(out == "<li>\n  <img src=\"#\" alt=\"Ada\">\n</li>");
  REQUIRE(usage.unsafe_urls.size() == 1);
  CHECK(usage.unsafe_urls[0].location == "card.mustache:2:13");
  CHECK(usage.unsafe_urls[0].field == "image");
  CHECK(usage.unsafe_urls[0].value == "javascript:alert(9)");
}

TEST_CASE("relative URLs and http, https, mailto, tel render as they are, HTML-escaped") {
  auto tmpl = compile_or_fail("<a href=\"{{url}}\">");
  for (const char* url : {"/relative.png", "https://cdn.example.com/a.png", "http://x", "mailto:a@b.c", "tel:+1",
                          "page.html", "#top", ""}) {
    RenderUsage usage;
    CHECK(render_to_string(*tmpl, json{{"url", url}}, nullptr, &usage) == "<a href=\"" + std::string(url) + "\">");
    CHECK(usage.unsafe_urls.empty());
  }
  CHECK(render_to_string(*tmpl, json{{"url", "/a?b=1&c=\"2\""}}) == "<a href=\"/a?b=1&amp;c=&quot;2&quot;\">");
}

TEST_CASE("every way of hiding a scheme is refused") {
  auto tmpl = compile_or_fail("<a href=\"{{url}}\">x</a>");
  for (const char* url : {"javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "\x01javascript:x",
                          "java\tscript:alert(1)", "java\nscript:alert(1)", "data:text/html;base64,PHNjcmlwdD4=",
                          "vbscript:msgbox(1)", "&#106;avascript:alert(1)", "javascript&colon;alert(1)",
                          "&#x6a;avascript&#x3a;alert(1)"}) {
    INFO(json(url).dump());
    RenderUsage usage;
    CHECK(render_to_string(*tmpl, json{{"url", url}}, nullptr, &usage) == "<a href=\"#\">x</a>");
    CHECK(usage.unsafe_urls.size() == 1);
  }
}

TEST_CASE("single-quoted and unquoted URL attributes are checked too") {
  RenderUsage usage;
  json data{{"u", "javascript:alert(1)"}};
  CHECK(render_with_usage("<a href='{{u}}'>", data, usage) == "<a href='#'>");
  CHECK(render_with_usage("<a href={{u}}>", data, usage) == "<a href=#>");
  CHECK(render_with_usage("<a href = {{u}} class=x>", data, usage) == "<a href = # class=x>");
  CHECK(usage.unsafe_urls.size() == 3);
}

TEST_CASE("an unquoted attribute value cannot be broken out of") {
  json data{{"alt", "x onerror=alert(1)"}, {"img", "/a.png onerror=alert(1)"}};
  CHECK(render_source("<img alt={{alt}}>", data) == "<img alt=x&#32;onerror&#61;alert(1)>");
  CHECK(render_source("<img src={{img}}>", data) == "<img src=/a.png&#32;onerror&#61;alert(1)>");
  CHECK(render_source("<img alt=\"{{alt}}\">", data) == "<img alt=\"x onerror=alert(1)\">");
  CHECK(render_source("<p>{{alt}}</p>", data) == "<p>x onerror=alert(1)</p>");
}

TEST_CASE("after a fixed prefix a URL value is only HTML-escaped") {
  RenderUsage usage;
  json data{{"q", "javascript:alert(1) & \"more\""}, {"email", "ada@example.com"}};
  CHECK(render_with_usage("<a href=\"/search?q={{q}}\">", data, usage) ==
        "<a href=\"/search?q=javascript:alert(1) &amp; &quot;more&quot;\">");
  CHECK(render_with_usage("<a href=\"mailto:{{email}}\">", data, usage) == "<a href=\"mailto:ada@example.com\">");
  CHECK(usage.unsafe_urls.empty());
  // Text that does not fix the scheme leaves the check on.
  CHECK(render_with_usage("<a href=\"java{{rest}}\">", json{{"rest", "script:alert(1)"}}, usage) ==
        "<a href=\"java#\">");
}

TEST_CASE("interpolations inside sections within an attribute value are checked") {
  RenderUsage usage;
  std::string out = render_with_usage(
      "<a href=\"{{#link}}{{url}}{{/link}}{{^link}}/fallback{{/link}}\">{{#items}}<a href=\"{{.}}\">{{/items}}",
      json{{"link", {{"url", "javascript:alert(1)"}}}, {"items", {"/ok", "vbscript:x"}}}, usage);
  CHECK(out == "<a href=\"#\"><a href=\"/ok\"><a href=\"#\">");
  REQUIRE(usage.unsafe_urls.size() == 2);
  CHECK(usage.unsafe_urls[0].field == "url");
  CHECK(usage.unsafe_urls[0].location == "card.mustache:1:19");
  CHECK(usage.unsafe_urls[1].field == ".");
}

TEST_CASE("each srcset candidate is checked") {
  RenderUsage usage;
  CHECK(render_with_usage("<img srcset=\"{{set}}\">", json{{"set", "/a.png 1x, https://x/b.png 2x"}}, usage) ==
        "<img srcset=\"/a.png 1x, https://x/b.png 2x\">");
  CHECK(render_with_usage("<img srcset=\"{{set}}\">", json{{"set", "/a.png 1x, javascript:alert(1) 2x"}}, usage) ==
        "<img srcset=\"#\">");
  CHECK(render_with_usage("<img srcset=\"/a.png 1x, {{b}} 2x\">", json{{"b", "data:image/png,x"}}, usage) ==
        "<img srcset=\"/a.png 1x, # 2x\">");
  CHECK(render_with_usage("<img srcset=\"/img/{{name}} 2x\">", json{{"name", "a.png 1x, javascript:x"}}, usage) ==
        "<img srcset=\"/img/# 2x\">");
  CHECK(render_with_usage("<img srcset=\"/img/{{name}} 2x\">", json{{"name", "a:b.png"}}, usage) ==
        "<img srcset=\"/img/a:b.png 2x\">");
  CHECK(usage.unsafe_urls.size() == 3);
}

TEST_CASE("triple mustaches and & bypass the check: they are raw by design") {
  RenderUsage usage;
  json data{{"u", "javascript:alert(1)"}};
  CHECK(render_with_usage("<a href=\"{{{u}}}\"><a href=\"{{&u}}\">", data, usage) ==
        "<a href=\"javascript:alert(1)\"><a href=\"javascript:alert(1)\">");
  CHECK(usage.unsafe_urls.empty());
}

TEST_CASE("numbers and missing values need no check") {
  RenderUsage usage;
  CHECK(render_with_usage("<a href=\"{{n}}\"><a href=\"{{missing}}\">", json{{"n", 42}}, usage) ==
        "<a href=\"42\"><a href=\"\">");
  CHECK(usage.unsafe_urls.empty());
}

TEST_CASE("a partial is checked where its own text puts its tags") {
  MapResolver partials = partials_from({{"avatar", "<img src=\"{{photo}}\">"}});
  RenderUsage usage;
  CHECK(render_with_usage("<div>{{>avatar}}</div>", json{{"photo", "javascript:x"}}, usage, &partials) ==
        "<div><img src=\"#\"></div>");
  REQUIRE(usage.unsafe_urls.size() == 1);
  CHECK(usage.unsafe_urls[0].location == "avatar.mustache:1:11");
}

TEST_CASE("plain-text templates keep the spec's behaviour") {
  auto text = compile("<a href=\"{{u}}\"><img alt={{alt}}>", "spec", Markup::kText);
  REQUIRE(text.ok());
  RenderUsage usage;
  CHECK(render_to_string(*text.value(), json{{"u", "javascript:x"}, {"alt", "a b"}}, nullptr, &usage) ==
        "<a href=\"javascript:x\"><img alt=a b>");
  CHECK(usage.unsafe_urls.empty());
}
