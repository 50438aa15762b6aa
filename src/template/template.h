// isrgen's Mustache engine: the core spec, template inheritance ({{<parent}},
// {{$block}}) and dynamic partial names ({{>*name}}); no lambdas.
//
// A template is compiled once into an immutable node list and then rendered
// any number of times, from any number of threads, straight from the caller's
// JSON: nothing is converted or copied per page. Compile errors read like a
// compiler's ("templates/page.mustache:12:5: unclosed section 'items'");
// rendering never fails: missing names render as nothing, missing partials
// too (reported in RenderUsage).
//
// Falsey (a section is skipped, an inverted section shown): a missing name,
// null, false, an empty array and an empty string. Everything else is truthy,
// 0 and {} included. {{name}} escapes & < > " ' for HTML; {{{name}}} and
// {{&name}} do not. In HTML templates (Markup::kHtml) {{name}} also knows
// which attribute value it is in: at the start of a URL attribute a value
// with a scheme other than http, https, mailto or tel renders as "#"
// (RenderUsage::unsafe_urls), and in an unquoted value whitespace, = and `
// are escaped too. {{{name}}} and {{&name}} bypass both. Numbers show in their shortest exact form (85, 1.21),
// null as nothing. Beyond the spec, a dotted-name segment of digits indexes
// an array ({{authors.0.name}}), and the indentation of a standalone partial
// is not added to its empty lines.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/error.h"

namespace isrgen::tmpl {

class Template;  // compiled, immutable; safe to render from many threads at once

// What a template's text is. kHtml: the compiler follows the HTML around each
// {{name}} (see html_context.h); every site template is HTML. kText: plain
// Mustache, as the spec defines it.
enum class Markup { kHtml, kText };

// `display_path` (e.g. "templates/components/card.mustache") names the template
// in errors and in RenderUsage locations.
Result<std::shared_ptr<const Template>> compile(std::string_view source, std::string display_path,
                                                Markup markup = Markup::kHtml);

const std::string& display_path(const Template& tmpl);

// Finds partials and parents by name ({{> name}}, {{< name}}); nullptr means
// not found, which renders as nothing.
class PartialResolver {
 public:
  virtual ~PartialResolver() = default;
  virtual const Template* find(std::string_view name) const = 0;
};

// A PartialResolver over templates compiled up front.
class MapResolver final : public PartialResolver {
 public:
  void add(std::string name, std::shared_ptr<const Template> tmpl);
  const Template* find(std::string_view name) const override;

 private:
  std::map<std::string, std::shared_ptr<const Template>, std::less<>> templates_;
};

// What a render pulled in, for dependency tracking and warnings. Locations
// read "display_path:line:col".
struct RenderUsage {
  std::set<std::string> partials;              // every partial and parent rendered, nested ones included
  std::map<std::string, std::string> missing;  // name -> location of the first reference that found nothing
  std::string depth_exceeded;                  // where nesting passed kMaxRenderDepth; empty if it never did
  // {{name}} values refused at the start of a URL attribute, each rendered as "#".
  struct UnsafeUrl {
    std::string location;
    std::string field;  // the name as written in the tag: "image", "page.link"
    std::string value;
  };
  std::vector<UnsafeUrl> unsafe_urls;  // in render order
};

// Sections, partials, parents and blocks nest at most this deep while
// rendering, which bounds the stack a render needs. Past it (a partial that
// includes itself forever) the render stops where it is.
inline constexpr int kMaxRenderDepth = 200;

// Appends the rendering to `out`. `context_stack` lists the context frames
// bottom to top (each usually a JSON object); names are looked up from the top
// frame down. The frames are read in place and must outlive the call.
void render(const Template& tmpl, std::span<const nlohmann::json* const> context_stack, const PartialResolver* partials,
            std::string& out, RenderUsage* usage = nullptr);

// Convenience for a single context frame.
std::string render_to_string(const Template& tmpl, const nlohmann::json& context,
                             const PartialResolver* partials = nullptr, RenderUsage* usage = nullptr);

}  // namespace isrgen::tmpl
