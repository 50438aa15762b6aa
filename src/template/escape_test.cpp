#include "template/escape.h"

#include <catch2/catch.hpp>

using namespace isrgen::tmpl;

namespace {
std::string escaped(std::string_view text) {
  std::string out = "[";
  append_html_escaped(out, text);
  return out;
}
}  // namespace

TEST_CASE("append_html_escaped replaces the five HTML-significant characters") {
  CHECK(escaped("") == "[");
  CHECK(escaped("plain text, Grüße") == "[plain text, Grüße");
  CHECK(escaped("<a href=\"x\">Tom & Jerry's</a>") == "[&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
  CHECK(escaped("&&") == "[&amp;&amp;");
  CHECK(escaped(std::string_view("a\0b", 3)) == std::string("[a\0b", 4));
}

TEST_CASE("append_unquoted_attribute_escaped also escapes what ends an unquoted value") {
  std::string out;
  append_unquoted_attribute_escaped(out, "a b\tc\nd\fe\rf=g`h<i>&'\"");
  CHECK(out == "a&#32;b&#9;c&#10;d&#12;e&#13;f&#61;g&#96;h&lt;i&gt;&amp;&#39;&quot;");
}
