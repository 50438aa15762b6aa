#include "serve/dev_build_event.h"

#include <catch2/catch.hpp>

using namespace isrgen;
using namespace isrgen::serve;
using nlohmann::json;

namespace {

SiteConfig site() {
  auto config = parse_site_config(
      "[site]\ndefault_language = \"en\"\nlanguages = [\"en\", \"de\"]\n"
      "[tenants.acme]\nbase_url = \"https://acme.example\"\n",
      "content/site.toml");
  REQUIRE(config.ok());
  return config.value();
}

RenderedEntry rendered(std::string page, std::string lang, std::string output, bool changed) {
  return RenderedEntry{std::move(page), std::move(lang), std::move(output), changed, {}};
}

}  // namespace

TEST_CASE("dev build event: pages whose bytes changed or that went are the ones to reload", "[dev_build_event]") {
  BuildReport report;
  report.rendered = {rendered("acme/summer", "en", "acme/summer/index.html", true),
                     rendered("acme/summer", "de", "acme/de/summer/index.html", true),
                     rendered("acme/index", "en", "acme/index.html", false)};
  report.deleted = {"acme/old/index.html", "acme/css/gone.css"};
  DevBuildEvent event = describe_build(report, site(), {});
  CHECK(event.pages == std::vector<PreviewUrl>{{"acme", "/summer/"}, {"acme", "/de/summer/"}, {"acme", "/old/"}});
  CHECK(event.edited.empty());
  CHECK(event.errors.empty());
  CHECK_FALSE(event.reload_all);
}

TEST_CASE("dev build event: an edited page file names its page in that file's language", "[dev_build_event]") {
  BuildReport report;
  report.rendered = {rendered("acme/summer", "en", "acme/summer/index.html", true),
                     rendered("acme/summer", "de", "acme/de/summer/index.html", true),
                     rendered("acme/jobs/berlin", "en", "acme/jobs/berlin/index.html", true)};
  DevChanges changes{{"content/pages/acme/summer.de.md", "content/pages/acme/jobs/berlin.md",
                      "content/pages/acme/broken.md", "templates/layouts/page.mustache"},
                     false};
  DevBuildEvent event = describe_build(report, site(), changes);
  // broken.md did not render: there is nothing new to go and look at.
  CHECK(event.edited == std::vector<PreviewUrl>{{"acme", "/jobs/berlin/"}, {"acme", "/de/summer/"}});
}

TEST_CASE("dev build event: static files are stylesheets to swap or assets to reload for", "[dev_build_event]") {
  DevChanges changes{{"static/acme/css/site.css", "static/acme/img/logo.svg", "static/unknown/css/x.css"}, false};
  DevBuildEvent event = describe_build(BuildReport{}, site(), changes);
  CHECK(event.stylesheets == std::vector<PreviewUrl>{{"acme", "/css/site.css"}});
  CHECK(event.assets == std::vector<PreviewUrl>{{"acme", "/img/logo.svg"}});
  CHECK(event.pages.empty());
}

TEST_CASE("dev build event: pages rendered only to link a swapped stylesheet's new fingerprint need no reload",
          "[dev_build_event][assets]") {
  BuildReport report;
  RenderedEntry linking = rendered("acme/summer", "en", "acme/summer/index.html", true);
  linking.reasons = {RenderReason(ReasonKind::kTag, "asset:acme/css/site.css")};
  RenderedEntry edited_too = rendered("acme/index", "en", "acme/index.html", true);
  edited_too.reasons = {RenderReason(ReasonKind::kTag, "asset:acme/css/site.css"),
                        RenderReason(ReasonKind::kTag, "page:acme/index")};
  RenderedEntry image = rendered("acme/gallery", "en", "acme/gallery/index.html", true);
  image.reasons = {RenderReason(ReasonKind::kTag, "asset:acme/img/a.jpg")};
  report.rendered = {linking, edited_too, image};
  DevChanges changes{{"static/acme/css/site.css", "static/acme/img/a.jpg"}, false};
  DevBuildEvent event = describe_build(report, site(), changes);
  CHECK(event.stylesheets == std::vector<PreviewUrl>{{"acme", "/css/site.css"}});
  CHECK(event.pages == std::vector<PreviewUrl>{{"acme", "/"}, {"acme", "/gallery/"}});
}

TEST_CASE("dev build event: failures carry their file:line messages; a missed change reloads all",
          "[dev_build_event]") {
  BuildReport report;
  const Error layout = make_error("content/pages/acme/bad.md", 3, "unknown layout 'nope'");
  report.failed = {{"acme/bad", "en", layout.to_string(), layout}};
  DevBuildEvent event = describe_build(report, site(), {{}, true});
  CHECK(event.errors == std::vector<std::string>{"content/pages/acme/bad.md:3: unknown layout 'nope'"});
  // One broken partial shown once, with the pages it fails.
  BuildReport shared;
  const Error partial = make_error("templates/partials/header.mustache", 1, "unclosed section 'oops'", 1);
  for (const char* page : {"acme/a", "acme/b"}) shared.failed.push_back({page, "en", partial.to_string(), partial});
  CHECK(describe_build(shared, site(), {}).errors ==
        std::vector<std::string>{"templates/partials/header.mustache:1:1: unclosed section 'oops' (2 pages)"});
  CHECK(event.reload_all);
  json document = event.to_json();
  CHECK(document.at("errors") == json::array({"content/pages/acme/bad.md:3: unknown layout 'nope'"}));
  CHECK(document.at("reload_all") == true);
  for (const char* list : {"pages", "edited", "stylesheets", "assets"}) CHECK(document.at(list) == json::array());

  DevBuildEvent failed = describe_failed_run("content/site.toml:4: expected '='");
  CHECK(failed.errors == std::vector<std::string>{"content/site.toml:4: expected '='"});
  CHECK(failed.pages.empty());
}

TEST_CASE("dev build event: an output's preview URL", "[dev_build_event]") {
  CHECK(preview_url_of_output("acme/index.html") == PreviewUrl{"acme", "/"});
  CHECK(preview_url_of_output("acme/de/jobs/berlin/index.html") == PreviewUrl{"acme", "/de/jobs/berlin/"});
  CHECK(preview_url_of_output("acme/css/site.css") == PreviewUrl{"acme", "/css/site.css"});
}
