#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "template/test_helpers.h"

using namespace isrgen::tmpl;
using namespace isrgen::tmpl::testing;
using nlohmann::json;

TEST_CASE("render appends to the output and reads names from the context") {
  auto tmpl = compile_or_fail("<h1>{{title}}</h1>{{#tags}} #{{.}}{{/tags}}{{^tags}}untagged{{/tags}}");
  json page = {{"title", "Fish & Chips"}, {"tags", {"food", "uk"}}};
  const json* frames[] = {&page};
  std::string out = "<!doctype html>";
  render(*tmpl, frames, nullptr, out);
  CHECK(out == "<!doctype html><h1>Fish &amp; Chips</h1> #food #uk");
  CHECK(render_to_string(*tmpl, json{{"tags", json::array()}}) == "<h1></h1>untagged");
}

TEST_CASE("sections hide on falsey values, empty strings included") {
  auto tmpl = compile_or_fail("{{#v}}shown{{/v}}{{^v}}hidden{{/v}}");
  for (const json& falsey : {json(nullptr), json(false), json::array(), json("")}) {
    CHECK(render_to_string(*tmpl, json{{"v", falsey}}) == "hidden");
  }
  CHECK(render_to_string(*tmpl, json::object()) == "hidden");
  for (const json& truthy : {json(0), json::object(), json("x"), json(true)}) {
    CHECK(render_to_string(*tmpl, json{{"v", truthy}}) == "shown");
  }
}

TEST_CASE("RenderUsage lists nested partials and parents, and where missing ones were asked for") {
  MapResolver partials = partials_from({
      {"layout", "<main>{{$main}}{{/main}}</main>{{>footer}}"},
      {"card", "{{>badge}}\n {{>nope}}"},
      {"badge", "b"},
      {"footer", "{{#year}}{{>missing}}{{/year}}{{>*kind}}"},
      {"wide", "w"},
      {"unused", "{{>never}}"},
  });
  auto page = compile_or_fail("{{<layout}}{{$main}}{{>card}}{{/main}}{{/layout}}{{#no}}{{>unused}}{{/no}}",
                              "content/page.mustache");
  RenderUsage usage;
  std::string out = render_to_string(*page, json{{"year", 2026}, {"kind", "wide"}}, &partials, &usage);
  CHECK(out == "<main>b</main>w");  // the {{>badge}} line is standalone
  CHECK(usage.partials == std::set<std::string>{"badge", "card", "footer", "layout", "wide"});
  CHECK(usage.missing ==
        std::map<std::string, std::string>{{"missing", "footer.mustache:1:10"}, {"nope", "card.mustache:2:2"}});
  CHECK(usage.depth_exceeded.empty());
}

TEST_CASE("without a resolver, partials and parents render nothing") {
  RenderUsage usage;
  CHECK(render_to_string(*compile_or_fail("a{{>p}}b{{<q}}{{/q}}c"), json::object(), nullptr, &usage) == "abc");
  CHECK(usage.missing.size() == 2);
}

TEST_CASE("a layout's blocks are filled by the page, re-indented to the layout's indentation") {
  MapResolver partials = partials_from({
      {"base",
       "<html>\n"
       "<head><title>{{$title}}{{site.name}}{{/title}}</title></head>\n"
       "<body>\n"
       "  {{$main}}\n"
       "  <p>nothing here</p>\n"
       "  {{/main}}\n"
       "</body>\n"
       "</html>\n"},
  });
  std::string page =
      "{{<base}}\n"
      "{{$title}}{{title}} | {{site.name}}{{/title}}\n"
      "{{$main}}\n"
      "<h1>{{title}}</h1>\n"
      "{{#paragraphs}}\n"
      "<p>{{.}}</p>\n"
      "{{/paragraphs}}\n"
      "{{/main}}\n"
      "{{/base}}\n";
  json data = {{"site", {{"name", "Acme"}}}, {"title", "Hello"}, {"paragraphs", {"one", "two"}}};
  CHECK(render_source(page, data, &partials) ==
        "<html>\n"
        "<head><title>Hello | Acme</title></head>\n"
        "<body>\n"
        "  <h1>Hello</h1>\n"
        "  <p>one</p>\n"
        "  <p>two</p>\n"
        "</body>\n"
        "</html>\n");
  CHECK(render_source("{{<base}}{{/base}}", data, &partials) ==
        "<html>\n<head><title>Acme</title></head>\n<body>\n  <p>nothing here</p>\n</body>\n</html>\n");
}

TEST_CASE("a parent's name may come from the context") {
  MapResolver partials = partials_from({{"post", "<article>{{$body}}{{/body}}</article>"}});
  CHECK(render_source("{{<*layout}}{{$body}}hi{{/body}}{{/*layout}}", json{{"layout", "post"}}, &partials) ==
        "<article>hi</article>");
}

TEST_CASE("rendering reads the caller's JSON in place") {
  json data = {{"items", json::array()}};
  for (int i = 0; i < 100000; ++i) data["items"].push_back({{"n", i}});
  auto tmpl = compile_or_fail("{{#items}}{{n}},{{/items}}");
  const json* frames[] = {&data};
  std::string out;
  render(*tmpl, frames, nullptr, out);
  CHECK(out.size() == 588890);
  CHECK(out.starts_with("0,1,2,"));
  CHECK(out.ends_with(",99999,"));

  data["items"] = {{{"n", "changed"}}};
  out.clear();
  render(*tmpl, frames, nullptr, out);
  CHECK(out == "changed,");
}

TEST_CASE("one compiled template renders from several threads at once") {
  MapResolver partials = partials_from({{"row", "  <li>{{name}}: {{#tags}}{{.}} {{/tags}}</li>\n"}});
  auto tmpl = compile_or_fail("<ul>\n{{#rows}}\n  {{>row}}\n{{/rows}}\n</ul>\n");
  json data = {{"rows", json::array()}};
  for (int i = 0; i < 50; ++i) data["rows"].push_back({{"name", "row " + std::to_string(i)}, {"tags", {"a", "b"}}});
  const std::string expected = render_to_string(*tmpl, data, &partials);
  REQUIRE(expected.find("    <li>row 49: a b </li>\n</ul>") != std::string::npos);

  std::vector<int> matches(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 200; ++round) matches[t] += render_to_string(*tmpl, data, &partials) == expected;
    });
  }
  for (std::thread& thread : threads) thread.join();
  CHECK(matches == std::vector<int>(4, 200));
}

TEST_CASE("a partial that includes itself forever stops at the depth limit") {
  MapResolver partials = partials_from({
      {"self", "x{{>self}}"}, {"boom", "{{>boom}}{{>boom}}"},  // would double the work at every level
  });
  RenderUsage usage;
  std::string out = render_source("{{>self}}", json::object(), &partials);
  CHECK(out == std::string(kMaxRenderDepth, 'x'));

  CHECK(render_to_string(*compile_or_fail("{{>self}}"), json::object(), &partials, &usage).size() == kMaxRenderDepth);
  CHECK(usage.depth_exceeded == "self.mustache:1:2");

  usage = {};
  CHECK(render_to_string(*compile_or_fail("a{{>boom}}b"), json::object(), &partials, &usage) == "a");
  CHECK(usage.depth_exceeded == "boom.mustache:1:1");
}

TEST_CASE("a block that overrides itself forever stops at the depth limit") {
  MapResolver partials = partials_from({{"p", "{{$a}}{{/a}}"}});
  RenderUsage usage;
  std::string out =
      render_to_string(*compile_or_fail("{{<p}}{{$a}}[{{$a}}{{/a}}]{{/a}}{{/p}}"), json::object(), &partials, &usage);
  CHECK(out == std::string(kMaxRenderDepth - 1, '['));
  CHECK(usage.depth_exceeded == "test.mustache:1:14");
}

TEST_CASE("the depth limit counts sections too, bounding the stack a render needs") {
  std::string nested;
  for (size_t i = 0; i < 99; ++i) nested += "{{#a}}";
  nested += "x{{>nested}}";
  for (size_t i = 0; i < 99; ++i) nested += "{{/a}}";
  MapResolver partials;
  partials.add("nested", compile_or_fail(nested, "nested.mustache"));
  RenderUsage usage;
  std::string out = render_to_string(*compile_or_fail("{{>nested}}"), json{{"a", true}}, &partials, &usage);
  CHECK(out == "xx");  // 1 + 99 + 1 + 99 levels, then the third partial is one too many
  CHECK(usage.depth_exceeded == "nested.mustache:1:596");
}
