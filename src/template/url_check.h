// Which URLs from data {{name}} may put at the start of a URL attribute: a
// relative URL, or one with the scheme http, https, mailto or tel. Anything
// else (javascript:, data:, vbscript:, ...) the renderer replaces by "#".
//
// The value is judged as a browser reads the attribute, and a little more
// strictly: spaces and control characters are dropped before the scheme
// (browsers strip them around the URL and tabs and newlines inside it, so
// "\tjava\nscript:" is javascript:), letters compare in any case, and the
// value is judged a second time with its character references decoded
// ("&#106;avascript:"), as it would read if it ever reached a browser unescaped.
// A ':' before any '/', '?' or '#' ends a scheme, so "a:b" counts as scheme
// "a" and is refused, while "./a:b" and "/search?q=a:b" are relative.
#pragma once

#include <string_view>

namespace isrgen::tmpl {

// Whether `url`, at the start of a URL attribute value, is relative or has an
// allowed scheme.
bool is_allowed_url(std::string_view url);

// Whether every candidate URL of `srcset` ("a.png 1x, b.png 2x") is allowed.
// `continued`: the value continues a candidate the template text began
// (srcset="/img/{{name}} 2x"), so its first URL is the template's and only the
// candidates it starts after a comma are judged.
bool is_allowed_srcset(std::string_view srcset, bool continued);

}  // namespace isrgen::tmpl
