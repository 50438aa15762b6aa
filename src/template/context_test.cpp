#include "template/context.h"

#include <catch2/catch.hpp>

#include "template/test_helpers.h"

using namespace isrgen::tmpl;
using namespace isrgen::tmpl::testing;
using nlohmann::json;

namespace {

std::string render_frames(std::string_view source, std::initializer_list<const json*> frames) {
  std::string out;
  std::vector<const json*> stack(frames);
  render(*compile_or_fail(source), stack, nullptr, out);
  return out;
}

}  // namespace

TEST_CASE("names are looked up from the top frame down") {
  json site = {{"title", "Site"}, {"lang", "en"}, {"nav", {{"home", "/"}}}};
  json page = {{"title", "Page"}, {"items", {{{"title", "Item"}}, {{"id", 2}}}}};
  CHECK(render_frames("{{title}} {{lang}} {{nav.home}}", {&site, &page}) == "Page en /");
  CHECK(render_frames("{{title}}", {&page, &site}) == "Site");
  CHECK(render_frames("{{#items}}{{title}};{{/items}}", {&site, &page}) == "Item;Page;");
  CHECK(render_frames("[{{title}}]", {}) == "[]");
}

TEST_CASE("a dotted name is resolved only inside the frame holding its first part") {
  json bottom = {{"a", {{"b", "bottom"}}}};
  json top = {{"a", json::object()}};
  CHECK(render_frames("[{{a.b}}]", {&bottom, &top}) == "[]");
  CHECK(render_frames("[{{a.b}}]", {&top, &bottom}) == "[bottom]");
}

TEST_CASE("the implicit iterator is the top frame") {
  json bottom = "bottom";
  json top = 7;
  CHECK(render_frames("{{.}}", {&bottom, &top}) == "7");
  CHECK(render_frames("{{#.}}{{.}}{{/.}}", {&bottom}) == "bottom");
}

TEST_CASE("segments made of digits index arrays") {
  json data = {{"authors", {{{"name", "Ada"}}, {{"name", "Linus"}}}}, {"map", {{"0", "zero"}}}};
  CHECK(render_source("{{authors.1.name}}|{{authors.2.name}}|{{map.0}}", data) == "Linus||zero");
  CHECK(render_source("{{#authors.0}}{{name}}{{/authors.0}}", data) == "Ada");
}

TEST_CASE("Context::with pushes a frame without touching the original") {
  auto tmpl = compile_or_fail("{{x}}");
  json base = {{"x", 1}};
  json pushed = {{"x", 2}};
  const json* frames[] = {&base};
  Context context(frames);
  Context::Frame frame;
  Context inner = context.with(pushed, frame);
  Path x{.first_part = 0, .part_count = 1};
  CHECK(context.find(*tmpl, x) == &base["x"]);
  CHECK(inner.find(*tmpl, x) == &pushed["x"]);
}
