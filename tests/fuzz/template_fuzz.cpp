// Feeds a Mustache template to tmpl::compile, as HTML and as plain text, and
// renders what compiles against a small page-like context. The template is
// also its own partial and parent ("self"), so recursion through partials,
// parents and blocks reaches kMaxRenderDepth.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <nlohmann/json.hpp>

#include "template/template.h"

namespace {

const nlohmann::json& context() {
  static const nlohmann::json kContext = nlohmann::json::parse(R"json({
    "title": "Summer <b>&</b> \"sun\"", "link": "javascript:alert(1)", "url": "https://acme.example/",
    "empty": "", "zero": 0, "none": null, "yes": true, "no": false, "rating": 4.5,
    "items": [{"name": "Ana", "tags": ["a", "b"]}, {"name": "Ben", "tags": []}],
    "page": {"link": "/acme/", "authors": [{"name": "Cy"}]}, "self": "self"
  })json");
  return kContext;
}

void compile_and_render(std::string_view source, isrgen::tmpl::Markup markup) {
  auto compiled = isrgen::tmpl::compile(source, "templates/fuzz.mustache", markup);
  if (!compiled) {
    (void)compiled.error().to_string();
    return;
  }
  isrgen::tmpl::MapResolver partials;
  partials.add("self", compiled.value());
  isrgen::tmpl::RenderUsage usage;
  (void)isrgen::tmpl::render_to_string(*compiled.value(), context(), &partials, &usage);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view source(reinterpret_cast<const char*>(data), size);
  compile_and_render(source, isrgen::tmpl::Markup::kHtml);
  compile_and_render(source, isrgen::tmpl::Markup::kText);
  return 0;
}
