#include "serve/dev_index.h"

#include <catch2/catch.hpp>

using namespace isrgen::serve;
using isrgen::SiteConfig;
using isrgen::TenantConfig;

TEST_CASE("dev index: every tenant links to its home in each language on its own host", "[dev_index]") {
  SiteConfig config;
  config.default_language = "en";
  config.languages = {"en", "de"};
  config.tenants["acme"] = TenantConfig{"acme", "Acme <Talent>", "https://acme.example", {}, 0};
  config.tenants["nova"] = TenantConfig{"nova", "", "", {}, 0};
  std::string html = dev_index_page(config, "localhost:4000");
  CHECK(html.find("<a href=\"http://acme.localhost:4000/\">Acme &lt;Talent&gt;</a>") != std::string::npos);
  CHECK(html.find("<a href=\"http://acme.localhost:4000/\">en</a>") != std::string::npos);
  CHECK(html.find("<a href=\"http://acme.localhost:4000/de/\">de</a>") != std::string::npos);
  CHECK(html.find("published at https://acme.example") != std::string::npos);
  // A tenant without a name shows its id.
  CHECK(html.find("<a href=\"http://nova.localhost:4000/\">nova</a>") != std::string::npos);
  CHECK(html.find("<a href=\"http://nova.localhost:4000/de/\">de</a>") != std::string::npos);
}

TEST_CASE("dev index: a site without tenants says how to add one", "[dev_index]") {
  std::string html = dev_index_page(SiteConfig{}, "localhost:4000");
  CHECK(html.find("add a [tenants.&lt;id&gt;] table to content/site.toml") != std::string::npos);
  CHECK(html.find("<ul>") == std::string::npos);
}
