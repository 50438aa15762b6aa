// Responsive images and fingerprinted stylesheets through the isrgen binary:
// the variants published (read back with libvips), the markup, the
// encode-once cache, and what an edit of an image or a stylesheet renders.
#include <catch2/catch.hpp>

#include <mutex>
#include <regex>

#include "fixture_site.h"
#include "http_test_server.h"
#include "output_tree.h"
#include "reference_build.h"
#include "test_images.h"

using namespace isrgen::testing;
using nlohmann::json;

namespace {

// The fixture site with [images] at small widths, a portrait shot sideways
// (EXIF orientation 6) with a GPS position, a wide PNG, a page showing each,
// and acme's layout linking its stylesheet.
struct ImageSite {
  FixtureSite site;
  ImageSite() {
    site.replace("content/site.toml", "[tenants.acme]\n", "[images]\nwidths = [100, 200, 400]\n\n[tenants.acme]\nstylesheet = \"/css/site.css\"\n");
    site.replace("templates/layouts/base.mustache", "</title>",
                 "</title>{{#tenant.stylesheet}}<link rel=\"stylesheet\" href=\"{{tenant.stylesheet}}\">{{/tenant.stylesheet}}");
    write_binary("static/acme/img/portrait.jpg", make_jpeg(300, 200, {.orientation = 6, .gps = true}));
    write_binary("static/acme/img/wide.png", make_png(500, 100));
    site.write("content/pages/acme/gallery.md", "---\ntitle: Gallery\n---\n![Portrait of Ada](/img/portrait.jpg)\n");
    site.write("content/pages/acme/team.md", "---\ntitle: Team\n---\n![Everyone](img/../../img/wide.png)\n");
  }
  void write_binary(const std::string& relative, const std::string& bytes) const { site.write(relative, bytes); }
  std::vector<std::string> files_in(const std::string& folder, const std::string& pattern) const {
    std::vector<std::string> found;
    std::regex wanted(pattern);
    for (const auto& entry : fs::directory_iterator(site.out() / folder))
      if (std::regex_match(entry.path().filename().string(), wanted)) found.push_back(entry.path().filename().string());
    std::sort(found.begin(), found.end());
    return found;
  }
};

int stat(const FixtureSite::Build& build, const char* name) { return build.report.at("stats").at(name).get<int>(); }

std::set<std::string> pages_of(const json& report) {
  std::set<std::string> pages;
  for (const json& entry : report.at("rendered")) pages.insert(entry.at("page").get<std::string>());
  return pages;
}

}  // namespace

TEST_CASE("images: variants at the widths and formats asked for, never upscaled, with responsive markup",
          "[cli][images]") {
  ImageSite images;
  auto built = images.site.build();
  INFO(built.result.err);
  REQUIRE(built.result.exit_code == 0);
  CHECK(built.report.at("warnings").empty());
  // The portrait shows 200x300: 100 and its own 200 (400 would upscale); the
  // PNG 500x100: 100, 200 and 400. Each in WebP and its own format.
  CHECK(stat(built, "images_encoded") == 10);
  CHECK(stat(built, "images_probed") == 2);
  CHECK(images.files_in("acme/img", R"(portrait\.\d+w\.[0-9a-f]{8}\.(webp|jpg))").size() == 4);
  for (const char* variant : {R"(portrait\.100w\.[0-9a-f]{8}\.jpg)", R"(portrait\.100w\.[0-9a-f]{8}\.webp)",
                              R"(portrait\.200w\.[0-9a-f]{8}\.jpg)", R"(portrait\.200w\.[0-9a-f]{8}\.webp)"})
    CHECK(images.files_in("acme/img", variant).size() == 1);
  CHECK(images.files_in("acme/img", R"(wide\.\d+w\.[0-9a-f]{8}\.(webp|png))").size() == 6);
  CHECK(fs::exists(images.site.out() / "acme/img/portrait.jpg"));  // the static copy stays

  for (const std::string& name : images.files_in("acme/img", R"(portrait\..*w\..*)")) {
    INFO(name);
    ReadImage variant = read_image(images.site.read_out("acme/img/" + name));
    REQUIRE(variant.ok);
    CHECK(variant.loader == (name.ends_with(".webp") ? "VipsForeignLoadWebpBuffer" : "VipsForeignLoadJpegBuffer"));
    CHECK(variant.width == (name.find(".100w.") != std::string::npos ? 100 : 200));
    CHECK(variant.height == variant.width * 3 / 2);  // turned upright, not stored sideways
    CHECK_FALSE(variant.has_gps);
    CHECK(variant.orientation == 1);
    CHECK(variant.top_left[0] > 200);  // the red half is on top once turned
  }
  for (const std::string& name : images.files_in("acme/img", R"(wide\.400w\..*)"))
    CHECK(read_image(images.site.read_out("acme/img/" + name)).width == 400);

  const std::string gallery = images.site.read_out("acme/gallery/index.html");
  std::smatch markup;
  REQUIRE(std::regex_search(
      gallery, markup,
      std::regex(R"(<picture><source type="image/webp" srcset="/img/portrait\.100w\.[0-9a-f]{8}\.webp 100w, )"
                 R"(/img/portrait\.200w\.[0-9a-f]{8}\.webp 200w" sizes="100vw"><img src="/img/portrait\.200w\.[0-9a-f]{8}\.jpg" )"
                 R"(srcset="/img/portrait\.100w\.[0-9a-f]{8}\.jpg 100w, /img/portrait\.200w\.[0-9a-f]{8}\.jpg 200w" )"
                 R"(sizes="100vw" width="200" height="300" alt="Portrait of Ada" loading="lazy" decoding="async" /></picture>)")));
  CHECK(images.site.read_out("acme/team/index.html").find("<img src=\"/img/wide.400w.") != std::string::npos);
  json metadata = json::parse(images.site.read_out("acme/gallery/index.metadata.json"));
  std::vector<std::string> tags = metadata.at("tags");
  CHECK(std::count(tags.begin(), tags.end(), "asset:acme/img/portrait.jpg") == 1);
  CHECK(std::count(tags.begin(), tags.end(), "asset:acme/css/site.css") == 1);

  // The report with these counts is valid against its schema.
  ScratchDir scratch;
  write_text(scratch / "report.json", built.result.out);
  CommandResult valid = run_program({"/usr/bin/python3", (source_dir() / "tests/validate_json.py").string(),
                                     (source_dir() / "docs/schemas").string(), "build.schema.json",
                                     (scratch / "report.json").string()});
  INFO(valid.err);
  CHECK(valid.exit_code == 0);
}

TEST_CASE("images: encoded once; an edit re-encodes only its own variants and renders only the pages showing it",
          "[cli][images]") {
  ImageSite images;
  REQUIRE(images.site.build().result.exit_code == 0);
  const std::vector<std::string> wide_before = images.files_in("acme/img", R"(wide\..*w\..*)");
  const std::vector<std::string> portrait_before = images.files_in("acme/img", R"(portrait\..*w\..*)");

  SECTION("a build with nothing changed encodes nothing and reads no image") {
    auto noop = images.site.build();
    CHECK(noop.report.at("rendered").empty());
    CHECK(stat(noop, "images_encoded") == 0);
    CHECK(stat(noop, "images_reused") == 0);
    CHECK(stat(noop, "images_probed") == 0);
  }

  SECTION("a fresh output folder with the cache warm encodes nothing") {
    fs::remove_all(images.site.out());
    auto fresh = images.site.build();
    CHECK(stat(fresh, "images_encoded") == 0);
    CHECK(stat(fresh, "images_reused") == 10);
    CHECK(stat(fresh, "images_probed") == 0);
    CHECK(images.files_in("acme/img", R"(.*w\..*)").size() == 10);
  }

  SECTION("an edited image renders the pages showing it, its old variants leave, and the output is a full build's") {
    images.write_binary("static/acme/img/portrait.jpg", make_jpeg(260, 180));
    auto edited = images.site.build();
    INFO(edited.result.err);
    REQUIRE(edited.result.exit_code == 0);
    CHECK(pages_of(edited.report) == std::set<std::string>{"acme/gallery"});
    CHECK(stat(edited, "images_encoded") == 6);  // 100, 200 and its own 260, twice
    CHECK(stat(edited, "images_probed") == 1);
    CHECK(images.files_in("acme/img", R"(wide\..*w\..*)") == wide_before);
    for (const std::string& old : portrait_before) {
      CHECK_FALSE(fs::exists(images.site.out() / "acme/img" / old));
      CHECK(std::count(edited.report.at("deleted").begin(), edited.report.at("deleted").end(), "acme/img/" + old) == 1);
    }
    CHECK(images.files_in("acme/img", R"(portrait\.260w\..*)").size() == 2);
    // The old variants left the cache too: it holds what the output uses.
    CHECK(std::distance(fs::directory_iterator(images.site / ".isrgen/assets"), fs::directory_iterator()) == 12);
    ScratchDir reference;
    ReferenceBuild full = fresh_full_build(images.site.root(), reference.path());
    REQUIRE(full.error == "");
    CHECK(describe_difference(OutputTree::read(images.site.out()), full.out, "incremental", "full") == "");
  }

  SECTION("a variant no page uses any more leaves the output") {
    images.site.write("content/pages/acme/gallery.md", "---\ntitle: Gallery\n---\nNo pictures today.\n");
    auto edited = images.site.build();
    CHECK(pages_of(edited.report) == std::set<std::string>{"acme/gallery"});
    CHECK(images.files_in("acme/img", R"(portrait\..*w\..*)").empty());
    CHECK(images.files_in("acme/img", R"(wide\..*w\..*)") == wide_before);
    CHECK(stat(edited, "images_encoded") == 0);
  }

  SECTION("a copy of a variant deleted from the output is published again") {
    fs::remove(images.site.out() / "acme/img" / wide_before.front());
    auto repaired = images.site.build();
    CHECK(pages_of(repaired.report) == std::set<std::string>{"acme/team"});
    CHECK(stat(repaired, "images_encoded") == 0);
    CHECK(fs::exists(images.site.out() / "acme/img" / wide_before.front()));
  }
}

TEST_CASE("images: a stylesheet edit renders the pages that link it, which link its new fingerprint",
          "[cli][images]") {
  ImageSite images;
  REQUIRE(images.site.build().result.exit_code == 0);
  const std::vector<std::string> before = images.files_in("acme/css", R"(site\.[0-9a-f]{8}\.css)");
  REQUIRE(before.size() == 1);
  CHECK(images.site.read_out("acme/index.html").find("<link rel=\"stylesheet\" href=\"/css/" + before[0] + "\">") !=
        std::string::npos);
  CHECK(images.site.read_out("acme/css/" + before[0]) == "body { margin: 0 }\n");

  images.site.write("static/acme/css/site.css", "body { margin: 1em }\n");
  auto edited = images.site.build();
  REQUIRE(edited.result.exit_code == 0);
  CHECK(pages_of(edited.report) ==
        std::set<std::string>{"acme/index", "acme/all", "acme/jobs/berlin", "acme/gallery", "acme/team"});
  CHECK(stat(edited, "images_encoded") == 0);
  const std::vector<std::string> after = images.files_in("acme/css", R"(site\.[0-9a-f]{8}\.css)");
  REQUIRE(after.size() == 1);
  CHECK(after != before);
  CHECK(images.site.read_out("acme/css/" + after[0]) == "body { margin: 1em }\n");
  CHECK(images.site.read_out("acme/css/site.css") == "body { margin: 1em }\n");  // the copy as it is stays
  for (const char* page : {"acme/index.html", "acme/de/index.html", "acme/gallery/index.html"})
    CHECK(images.site.read_out(page).find("href=\"/css/" + after[0] + "\"") != std::string::npos);
}

TEST_CASE("images: the static copy of a JPEG is published without its GPS, pixels identical and upright",
          "[cli][images]") {
  ImageSite images;
  const std::string shot = make_jpeg(120, 80, {.orientation = 6, .gps = true, .xmp = true});
  images.write_binary("static/acme/img/portrait.jpg", shot);
  images.site.write("static/acme/files/notes.jpg.txt", "GPS 52.5N, not an image\n");
  images.write_binary("static/acme/img/broken.jpg", std::string("\xFF\xD8\xFF\xE1\xFF\xFF", 6));
  auto built = images.site.build();
  INFO(built.result.err);
  REQUIRE(built.result.exit_code == 0);

  const std::string published = images.site.read_out("acme/img/portrait.jpg");
  ReadImage read = read_image(published);
  REQUIRE(read.ok);
  CHECK_FALSE(read.has_gps);
  CHECK(published.find("xmpmeta") == std::string::npos);
  CHECK(read.orientation == 6);  // still shown upright
  CHECK(read.width == 120);
  CHECK(decoded_pixels(published) == decoded_pixels(shot));
  CHECK(images.site.read_out("acme/files/notes.jpg.txt") == "GPS 52.5N, not an image\n");
  CHECK(images.site.read_out("acme/img/broken.jpg") == std::string("\xFF\xD8\xFF\xE1\xFF\xFF", 6));  // as it is

  // Another build keeps the stripped copy; turning stripping off publishes the file as shot.
  REQUIRE(images.site.build().result.exit_code == 0);
  CHECK(images.site.read_out("acme/img/portrait.jpg") == published);
  images.site.replace("content/site.toml", "[images]\n", "[images]\nstrip_metadata = false\n");
  REQUIRE(images.site.build().result.exit_code == 0);
  CHECK(images.site.read_out("acme/img/portrait.jpg") == shot);
}

TEST_CASE("images: a missing file and an image past the pixel limit are warnings, the tag stays as written",
          "[cli][images]") {
  ImageSite images;
  images.site.replace("content/site.toml", "[images]\n", "[limits]\nimage_pixels = 50000\n\n[images]\n");
  images.site.write("content/pages/acme/gone.md", "---\ntitle: Gone\n---\n![Nobody](/img/nobody.jpg)\n");
  auto built = images.site.build();
  REQUIRE(built.result.exit_code == 0);
  std::vector<std::string> warnings;
  for (const json& warning : built.report.at("warnings")) warnings.push_back(warning.at("warning"));
  auto mentions = [&](const std::string& text) {
    return std::any_of(warnings.begin(), warnings.end(), [&](const std::string& w) { return w.find(text) != std::string::npos; });
  };
  CHECK(mentions("content/pages/acme/gone.md: page acme/gone (en): <img src=\"/img/nobody.jpg\" alt=\"Nobody\" />: "
                 "static/acme/img/nobody.jpg does not exist (left as written)"));
  CHECK(mentions("static/acme/img/portrait.jpg: 300x200 pixels is over the limit of 50000 (limits.image_pixels"));
  CHECK(images.site.read_out("acme/gone/index.html").find("<img src=\"/img/nobody.jpg\" alt=\"Nobody\" />") !=
        std::string::npos);
  CHECK(images.site.read_out("acme/gallery/index.html").find("<img src=\"/img/portrait.jpg\"") != std::string::npos);

  // The missing image, once added, renders the page that asked for it.
  images.write_binary("static/acme/img/nobody.jpg", make_jpeg(120, 80));
  auto added = images.site.build();
  CHECK(pages_of(added.report) == std::set<std::string>{"acme/gone"});
  CHECK(images.site.read_out("acme/gone/index.html").find("<picture>") != std::string::npos);
}

TEST_CASE("images: a remote image on a listed host is fetched once, given variants and published from the site",
          "[cli][images][remote]") {
  HttpTestServer cms;
  std::mutex serving;
  std::string etag = "\"v1\"";
  std::string image = make_jpeg(500, 250);
  cms.on("/cms/hero.jpg", [&](const TestRequest& request) {
    std::lock_guard lock(serving);
    TestResponse response;
    if (request.header("if-none-match") == etag) {
      response.status = 304;
    } else {
      response.body = image;
      response.headers = {{"Content-Type", "image/jpeg"}, {"ETag", etag}};
    }
    return response;
  });
  ImageSite images;
  images.site.replace("content/site.toml", "widths = [100, 200, 400]", "widths = [100, 200, 400]\nremote_hosts = [\"127.0.0.1\"]");
  const std::string url = cms.url("/cms/hero.jpg");
  images.site.write("content/pages/acme/cms.md", "---\ntitle: From the CMS\n---\n![Hero](" + url + ")\n");
  auto run = [&](std::vector<std::string> args) {
    args.insert(args.end(), {"--site", images.site.root().string(), "--json"});
    CommandResult ran = run_isrgen(args);
    INFO(ran.err);
    REQUIRE(ran.exit_code == 0);
    return json::parse(ran.out);
  };
  auto remote_variants = [&] {
    std::vector<std::string> found;
    if (!fs::exists(images.site.out() / "acme/_img")) return found;
    for (const auto& entry : fs::recursive_directory_iterator(images.site.out() / "acme/_img"))
      if (entry.is_regular_file()) found.push_back(entry.path().lexically_relative(images.site.out()).generic_string());
    std::sort(found.begin(), found.end());
    return found;
  };

  json first = run({"build"});
  CHECK(first.at("stats").at("images_fetched") == 1);
  CHECK(first.at("warnings").empty());
  std::vector<std::string> published = remote_variants();
  REQUIRE(published.size() == 6);  // 100, 200 and 400, in WebP and JPEG
  CHECK(std::regex_match(published[0], std::regex(R"(acme/_img/[0-9a-f]{8}/hero\.100w\.[0-9a-f]{8}\.jpg)")));
  CHECK(read_image(images.site.read_out(published[0])).width == 100);
  const std::string page = images.site.read_out("acme/cms/index.html");
  CHECK(page.find("<picture><source type=\"image/webp\" srcset=\"/acme/") == std::string::npos);
  CHECK(page.find("srcset=\"/" + published[0].substr(5) + " 100w") != std::string::npos);
  CHECK(page.find(url) == std::string::npos);  // the site's own copy, not the CMS's
  json metadata = json::parse(images.site.read_out("acme/cms/index.metadata.json"));
  std::vector<std::string> tags = metadata.at("tags");
  CHECK(std::count(tags.begin(), tags.end(), "asset:" + url) == 1);

  // Fetched once: neither a no-op build nor a fresh output asks again.
  CHECK(run({"build"}).at("stats").at("images_fetched") == 0);
  fs::remove_all(images.site.out());
  json fresh = run({"build"});
  CHECK(fresh.at("stats").at("images_fetched") == 0);
  CHECK(fresh.at("stats").at("images_encoded") == 0);
  CHECK(remote_variants() == published);
  CHECK(cms.request_count() == 1);

  // revalidate --tag asset:<url> asks again, conditionally: a 304 changes nothing.
  json confirmed = run({"revalidate", "--tag", "asset:" + url});
  CHECK(confirmed.at("stats").at("images_fetched") == 1);
  CHECK(confirmed.at("stats").at("images_encoded") == 0);
  REQUIRE(cms.request_count() == 2);
  CHECK(cms.requests().back().header("if-none-match") == "\"v1\"");
  CHECK(remote_variants() == published);

  // A new image on the CMS: its variants replace the old ones.
  {
    std::lock_guard lock(serving);
    etag = "\"v2\"";
    image = make_jpeg(300, 150);
  }
  json changed = run({"revalidate", "--tag", "asset:" + cms.url("/cms/*")});
  CHECK(changed.at("stats").at("images_encoded") == 6);  // 100, 200 and its own 300
  std::vector<std::string> now = remote_variants();
  REQUIRE(now.size() == 6);
  for (const std::string& old : published) CHECK(std::find(now.begin(), now.end(), old) == now.end());
  CHECK(std::set<std::string>{changed.at("rendered")[0].at("page")} == std::set<std::string>{"acme/cms"});
}

TEST_CASE("images: a remote image that cannot be fetched is a warning, and the tag stays as written",
          "[cli][images][remote]") {
  HttpTestServer cms;
  ImageSite images;
  images.site.replace("content/site.toml", "widths = [100, 200, 400]", "widths = [100, 200, 400]\nremote_hosts = [\"127.0.0.1\"]");
  const std::string url = cms.url("/cms/missing.jpg");
  images.site.write("content/pages/acme/cms.md", "---\ntitle: From the CMS\n---\n![Hero](" + url + ")\n");
  auto built = images.site.build();
  REQUIRE(built.result.exit_code == 0);
  bool warned = false;
  for (const json& warning : built.report.at("warnings"))
    warned |= warning.at("warning").get<std::string>().find(url + ": cannot fetch the image: HTTP 404") != std::string::npos;
  CHECK(warned);
  CHECK(images.site.read_out("acme/cms/index.html").find("<img src=\"" + url + "\" alt=\"Hero\" />") != std::string::npos);
}
