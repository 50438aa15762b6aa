// Finds the start tags of a few elements (img, link, script) in rendered HTML,
// with their attributes, so their asset references can be rewritten in place.
//
// Written by hand: Debian ships no maintained streaming HTML rewriter for C++
// (gumbo builds a whole tree for every page and is unmaintained), and a build
// scans every page it renders. This is the tokenizer's subset that matters for
// finding tags: comments, doctypes and processing instructions are skipped,
// and so is the raw text of script, style, textarea, title (and the other
// raw-text elements), where a "<img" is text, not a tag. Attribute values may
// be double-quoted, single-quoted or unquoted; names are matched without
// regard to ASCII case. A tag longer than kMaxTagBytes or with more than
// kMaxAttributes attributes is not reported (it is left as written).
#pragma once

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace isrgen::assets {

inline constexpr size_t kMaxTagBytes = 16 * 1024;
inline constexpr size_t kMaxAttributes = 64;

struct HtmlAttribute {
  std::string name;         // lower case
  std::string value;        // character references decoded; "" when the attribute has none
  std::string_view source;  // the attribute as written (name, '=' and value with its quotes)
  bool has_value = false;
};

struct HtmlTag {
  size_t begin = 0;  // offset of '<'
  size_t end = 0;    // offset one past '>'
  std::string name;  // lower case
  std::vector<HtmlAttribute> attributes;  // in order, repeats included
  bool self_closing = false;              // written "<img ... />"

  // The first attribute called `name` (lower case), as a browser reads it; null when absent.
  const HtmlAttribute* find(std::string_view name) const;
};

// The start tags named `names` (lower case) in `html`, in document order.
// Cheap for a page without any: one pass of memchr over '<'.
std::vector<HtmlTag> find_tags(std::string_view html, std::initializer_list<std::string_view> names);

// `value` with the character references a URL attribute may hold decoded
// (&amp; &lt; &gt; &quot; &apos; &#39; and numeric ones); any other '&' is kept.
std::string decode_character_references(std::string_view value);

// `value` escaped for a double-quoted attribute (& and ").
std::string escape_attribute(std::string_view value);

}  // namespace isrgen::assets
