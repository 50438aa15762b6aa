// HTML escaping for {{name}}.
#pragma once

#include <string>
#include <string_view>

namespace isrgen::tmpl {

// Appends `text` with & < > " ' replaced by &amp; &lt; &gt; &quot; &#39;,
// which makes it safe in element content and in quoted attribute values.
void append_html_escaped(std::string& out, std::string_view text);

}  // namespace isrgen::tmpl
