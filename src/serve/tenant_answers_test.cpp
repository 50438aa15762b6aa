#include "serve/tenant_answers.h"

#include <catch2/catch.hpp>

#include "serve/headers.h"
#include "site/test_site_config.h"
#include "test_support.h"

using namespace isrgen;
using namespace isrgen::serve;

namespace {

std::string location_of(const HttpResponse& response) {
  auto location = find_header(response.headers, "Location");
  return location ? std::string(*location) : "";
}

}  // namespace

TEST_CASE("tenant answers: an alias is a 301 to its page, in the request's URL space") {
  testing::ScratchDir dir;
  testing::write_text(dir.path() / "acme/.isrgen-redirects.json",
                      R"({"/old/": {"location": "https://acme.example/new/", "target": "/new/", "page": "acme/new",
                          "lang": "en", "output": "acme/old/index.html"}})");
  AliasRedirects redirects(dir.path());
  for (const char* relative : {"acme/old/", "acme/old", "acme/old/index.html"}) {
    INFO(relative);
    auto by_path = redirects.answer(TenantRoute{"acme", relative, false});
    REQUIRE(by_path);
    CHECK(by_path->status == 301);
    CHECK(location_of(*by_path) == "/acme/new/");
  }
  auto by_host = redirects.answer(TenantRoute{"acme", "acme/old/", true});
  REQUIRE(by_host);
  CHECK(location_of(*by_host) == "/new/");
  CHECK_FALSE(redirects.answer(TenantRoute{"acme", "acme/new/", false}));
  CHECK_FALSE(redirects.answer(TenantRoute{"nova", "nova/old/", false}));

  // The record is read again when it changes.
  testing::write_text(dir.path() / "acme/.isrgen-redirects.json", "{}");
  CHECK_FALSE(redirects.answer(TenantRoute{"acme", "acme/old/", false}));
}

TEST_CASE("tenant answers: the 404 page of the path's language, else the default language's") {
  testing::ScratchDir dir;
  testing::write_text(dir.path() / "acme/404.html", "en 404");
  testing::write_text(dir.path() / "acme/de/404.html", "de 404");
  OriginFiles files(dir.path(), {});
  SiteConfig config = isrgen::testing::acme_in_two_languages();
  CHECK(*tenant_not_found_file(files, config, {"acme", "acme/nope/", false})->body == "en 404");
  CHECK(*tenant_not_found_file(files, config, {"acme", "acme/de/nope/", false})->body == "de 404");
  std::filesystem::remove(dir.path() / "acme/de/404.html");
  CHECK(*tenant_not_found_file(files, config, {"acme", "acme/de/nope/", false})->body == "en 404");
  CHECK_FALSE(tenant_not_found_file(files, config, {"nova", "nova/x", false}));
}
