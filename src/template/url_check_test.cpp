#include "template/url_check.h"

#include <string>

#include <catch2/catch.hpp>

using namespace isrgen::tmpl;

TEST_CASE("is_allowed_url lets relative URLs and http, https, mailto, tel through") {
  for (const char* url : {"", "/relative.png", "relative.png", "./a:b", "../x", "?q=a:b", "#top", "#a:b",
                          "//cdn.example.com/x.png", "https://example.com/a?b=c:d", "http://example.com",
                          "mailto:ada@example.com", "tel:+49301234", "HTTPS://EXAMPLE.COM", "  https://x/ ",
                          "/search?q=javascript:alert(1)", "/a/javascript:x"}) {
    INFO(url);
    CHECK(is_allowed_url(url));
  }
}

TEST_CASE("is_allowed_url refuses every other scheme") {
  for (const char* url : {"javascript:alert(9)", "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)",
                          "file:///etc/passwd", "ftp://example.com", "a:b", ":alert(1)", "httpx://example.com",
                          "javascript://%0aalert(1)"}) {
    INFO(url);
    CHECK_FALSE(is_allowed_url(url));
  }
}

TEST_CASE("is_allowed_url sees through what browsers strip or ignore before a scheme") {
  // Case.
  CHECK_FALSE(is_allowed_url("JavaScript:alert(1)"));
  CHECK_FALSE(is_allowed_url("JAVASCRIPT:alert(1)"));
  // Leading spaces and control characters, which browsers strip.
  CHECK_FALSE(is_allowed_url(" javascript:alert(1)"));
  CHECK_FALSE(is_allowed_url("\x01\x02javascript:alert(1)"));
  CHECK_FALSE(is_allowed_url(std::string("\0javascript:alert(1)", 20)));
  // Tabs and newlines inside the scheme, which browsers remove.
  CHECK_FALSE(is_allowed_url("java\tscript:alert(1)"));
  CHECK_FALSE(is_allowed_url("java\nscript:alert(1)"));
  CHECK_FALSE(is_allowed_url("java\r\nscript:alert(1)"));
  CHECK_FALSE(is_allowed_url("jav\x7f" "ascript:alert(1)"));
  // Spaces before the colon.
  CHECK_FALSE(is_allowed_url("javascript :alert(1)"));
  // Non-ASCII look-alikes are no allowed scheme either.
  CHECK_FALSE(is_allowed_url("java\u00A0script:alert(1)"));
  CHECK_FALSE(is_allowed_url("\u00A0javascript:alert(1)"));
  // Still allowed when the scheme they hide is an allowed one.
  CHECK(is_allowed_url("\tht\ntps://example.com/"));
}

TEST_CASE("is_allowed_url judges character references as a browser would decode them") {
  for (const char* url : {"&#106;avascript:alert(1)", "&#x6A;avascript:alert(1)", "&#X6a;avascript:alert(1)",
                          "&#0000106avascript:alert(1)", "javascript&colon;alert(1)", "java&Tab;script:alert(1)",
                          "java&NewLine;script:alert(1)", "javascript&#58;alert(1)", "javascript&#x3a;alert(1)",
                          "&#x20;javascript:alert(1)", "data&colon;text/html,x"}) {
    INFO(url);
    CHECK_FALSE(is_allowed_url(url));
  }
  CHECK(is_allowed_url("/a?b=1&c=2"));
  CHECK(is_allowed_url("/a?b=1&amp;c=2"));
  CHECK(is_allowed_url("https&#58;//example.com"));
  CHECK(is_allowed_url("&#47;javascript:x"));  // decodes to "/javascript:x", a path
}

TEST_CASE("is_allowed_srcset judges every candidate URL") {
  CHECK(is_allowed_srcset("", false));
  CHECK(is_allowed_srcset("/a.png", false));
  CHECK(is_allowed_srcset("/a.png 1x, https://cdn.example.com/b.png 2x", false));
  CHECK(is_allowed_srcset("a.png 100w,b.png 200w", false));
  CHECK(is_allowed_srcset(" , a.png,b.png,", false));
  CHECK_FALSE(is_allowed_srcset("javascript:alert(1)", false));
  CHECK_FALSE(is_allowed_srcset("/a.png 1x, javascript:alert(1) 2x", false));
  CHECK_FALSE(is_allowed_srcset("/a.png 1x,\x01JavaScript:alert(1) 2x", false));
  CHECK(is_allowed_srcset("java\tscript:alert(1)", false));  // whitespace ends a srcset URL: "java", descriptors after
  CHECK_FALSE(is_allowed_srcset("a.png 1x,data:image/svg+xml,<svg/> 2x", false));
  CHECK_FALSE(is_allowed_srcset("data:image/png;base64,AAAA 1x", false));
}

TEST_CASE("is_allowed_srcset leaves a continued value's first URL to the template") {
  // srcset="/img/{{name}} 2x": the value is inside the template's URL.
  CHECK(is_allowed_srcset("a:b.png", true));
  CHECK(is_allowed_srcset("a.png", true));
  CHECK_FALSE(is_allowed_srcset("a.png 1x, javascript:alert(1) 2x", true));
  CHECK_FALSE(is_allowed_srcset("a.png,javascript:alert(1)", true));
}
