#include "serve/dev_injection.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace isrgen::serve;

namespace {

// The JSON the script is called with: between the script's last "})(" and ");</script>".
nlohmann::json context_of(const std::string& html) {
  size_t start = html.rfind("})(") + 3;
  size_t end = html.find(");</script>", start);
  std::string text = html.substr(start, end - start);
  return nlohmann::json::parse(text);
}

}  // namespace

TEST_CASE("dev injection: the script goes before the last </body>, in any case", "[dev_injection]") {
  std::string page = "<html><body><p>a</p><!-- </body> in a comment --></BODY>\n</html>\n";
  std::string html = inject_live_reload(page, {"acme", "/summer/", {}});
  size_t script = html.find("<script id=\"isrgen-live-reload\">");
  REQUIRE(script != std::string::npos);
  CHECK(html.find("</BODY>") > script);
  CHECK(html.find("in a comment") < script);
  CHECK(html.substr(0, script) == page.substr(0, page.find("</BODY>")));
  CHECK(html.ends_with("</BODY>\n</html>\n"));
  CHECK(html.find("new EventSource('/_isrgen/events')") != std::string::npos);
  CHECK(context_of(html) == nlohmann::json{{"tenant", "acme"}, {"url", "/summer/"}, {"errors", nlohmann::json::array()}});
}

TEST_CASE("dev injection: a page without </body> gets the script at its end", "[dev_injection]") {
  std::string html = inject_live_reload("<p>fragment</p>", {"acme", "/", {}});
  CHECK(html.starts_with("<p>fragment</p><script id=\"isrgen-live-reload\">"));
  CHECK(html.ends_with("</script>\n"));
}

TEST_CASE("dev injection: the build's errors ride along, unable to end the script early", "[dev_injection]") {
  std::string error = "templates/layouts/page.mustache:3:1: unclosed section '</script><script>alert(1)'";
  std::string html = inject_live_reload("<body></body>", {"acme", "/x/", {error}});
  // One script element: the error's "</script>" is written "<\/script>".
  CHECK(html.find("</script>") == html.rfind("</script>"));
  CHECK(context_of(html).at("errors") == nlohmann::json::array({error}));
}
