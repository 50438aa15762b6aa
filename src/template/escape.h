// HTML escaping for {{name}}.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace isrgen::tmpl {

// How an interpolated value is written: {{{name}}} as it is, {{name}} for
// HTML, in an unquoted attribute value with whitespace, = and ` escaped too.
enum class Escape : uint8_t { kNone, kHtml, kUnquotedAttribute };

// Appends `text` with & < > " ' replaced by &amp; &lt; &gt; &quot; &#39;,
// which makes it safe in element content and in quoted attribute values.
void append_html_escaped(std::string& out, std::string_view text);

// The same, plus whitespace, = and ` as numeric references: in an unquoted
// attribute value (<img alt={{alt}}>) they would end the value or start
// another attribute.
void append_unquoted_attribute_escaped(std::string& out, std::string_view text);

}  // namespace isrgen::tmpl
