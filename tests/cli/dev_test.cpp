// `isrgen init` and `isrgen dev` as an author runs them: a new site written,
// built and previewed by the binary on an ephemeral port; its pages and
// assets fetched with the Host header a browser sends to <tenant>.localhost,
// the live-reload stream read from a socket while files are edited; and the
// example site previewed in headless Chromium (chromium_session.h), whose
// page reloads, goes to the edited page, swaps a stylesheet and shows build
// errors as the live-reload script promises. Every wait is for a line, an
// event or a condition in the page, with a deadline.
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <regex>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "chromium_session.h"
#include "event_stream_client.h"
#include "http_client.h"
#include "isrgen_process.h"
#include "test_images.h"
#include "test_support.h"

using namespace isrgen::testing;
using nlohmann::json;

namespace {

// `isrgen dev` on a port the system picks, once it printed its URLs.
struct RunningPreview {
  IsrgenProcess process;
  uint16_t port = 0;

  explicit RunningPreview(const fs::path& site, const std::string& listen = "127.0.0.1:0")
      : process({"dev", "--site", site.string(), "--listen", listen}) {
    auto line = process.wait_for_output("preview on http://localhost:");
    INFO(process.err());
    REQUIRE(line.has_value());
    std::smatch match;
    REQUIRE(std::regex_search(*line, match, std::regex("localhost:([0-9]+)/")));
    port = static_cast<uint16_t>(std::stoi(match[1]));
  }
  ~RunningPreview() {
    process.signal(SIGTERM);
    process.wait_exit();
  }

  std::string host(const std::string& tenant) const { return tenant + ".localhost:" + std::to_string(port); }
  ClientResponse get(const std::string& tenant, const std::string& path) const {
    return http_get("http://127.0.0.1:" + std::to_string(port) + path, {{"Host", host(tenant)}});
  }
};

fs::path new_site(const ScratchDir& scratch) {
  CommandResult init = run_isrgen({"init", (scratch / "site").string()});
  INFO(init.err);
  REQUIRE(init.exit_code == 0);
  CHECK(init.out.find("http://mysite.localhost:4000/") != std::string::npos);
  return scratch / "site";
}

void replace_in(const fs::path& file, const std::string& from, const std::string& to) {
  std::string text = read_text(file);
  size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  write_text(file, text.replace(at, from.size(), to));
}

// The example site (two tenants, partials, a stylesheet each) copied under `scratch`.
fs::path example_site(const ScratchDir& scratch) {
  fs::path site = scratch.path() / "site";
  fs::create_directories(site);
  for (const char* folder : {"content", "templates", "static"})
    fs::copy(source_dir() / folder, site / folder, fs::copy_options::recursive);
  return site;
}

// Headless Chromium with its profile under `scratch` (beside the site, never
// in it: dev watches the site), or nullptr once the test is marked skipped.
std::unique_ptr<ChromiumSession> browser_or_skip(const ScratchDir& scratch) {
  std::string why_not;
  auto browser = ChromiumSession::start(scratch.path() / "chromium-profile", why_not);
  // Chromium is installed by scripts/install-test-tools; a machine where it
  // cannot start skips the browser tests, saying so, except in CI (CI set),
  // where a skip would pass without the live reload ever running.
  if (!browser && std::getenv("CI"))
    FAIL("headless Chromium cannot start, and CI is set: " << why_not.substr(why_not.size() > 2000 ? why_not.size() - 2000 : 0));
  if (!browser)
    WARN("skipped: headless Chromium cannot start here (scripts/install-test-tools installs Debian's chromium): "
         << why_not.substr(why_not.size() > 2000 ? why_not.size() - 2000 : 0));
  return browser;
}

// The example site previewed by dev, with acme's /legal/ open in headless
// Chromium; `browser` is null when the test is skipped.
struct PreviewInBrowser {
  ScratchDir scratch;
  fs::path site = example_site(scratch);
  std::unique_ptr<ChromiumSession> browser = browser_or_skip(scratch);
  std::unique_ptr<RunningPreview> preview;

  PreviewInBrowser() {
    if (!browser) return;
    preview = std::make_unique<RunningPreview>(site);
    browser->navigate("http://" + preview->host("acme") + "/legal/");
  }
};

// A global of the test's own in the page's window: gone once the page reloads.
void mark_window(ChromiumSession& browser) { REQUIRE(browser.evaluate("window.isrgenTestMark = true") == true); }
constexpr const char* kMarked = "window.isrgenTestMark === true";
constexpr const char* kOverlayText =
    "(document.getElementById('isrgen-error-overlay') || {textContent: ''}).textContent";

}  // namespace

TEST_CASE("init writes a site that builds clean, and never into a folder with files", "[cli][dev]") {
  ScratchDir scratch;
  fs::path site = new_site(scratch);
  CommandResult build = run_isrgen({"build", "--site", site.string(), "--json", "--strict", "--verify"});
  INFO(build.err);
  REQUIRE(build.exit_code == 0);
  json report = json::parse(build.out);
  CHECK(report.at("failed").empty());
  CHECK(report.at("warnings").empty());
  CHECK(report.at("stats").at("rendered") == 3);  // home in two languages, about
  CHECK(read_text(site / "out/mysite/de/index.html").find("Unsere Favoriten") != std::string::npos);
  CHECK(read_text(site / "out/mysite/index.html").find("Canvas tote") != std::string::npos);

  CommandResult again = run_isrgen({"init", site.string()});
  CHECK(again.exit_code == 2);
  CHECK(again.err.find("is not empty") != std::string::npos);
  write_text(scratch / "file", "mine");
  CHECK(run_isrgen({"init", (scratch / "file").string()}).exit_code == 2);
  CHECK(read_text(scratch / "file") == "mine");
}

TEST_CASE("dev serves each tenant on its own host and tells its pages of every build", "[cli][dev]") {
  ScratchDir scratch;
  fs::path site = new_site(scratch);
  RunningPreview preview(site);

  ClientResponse home = preview.get("mysite", "/");
  REQUIRE(home.status == 200);
  // The stylesheet is linked by its fingerprinted name; its own copy is served too.
  CHECK(home.body.find("<link rel=\"stylesheet\" href=\"/css/site.") != std::string::npos);
  CHECK(home.body.find("<link rel=\"stylesheet\" href=\"/css/site.css\">") == std::string::npos);
  CHECK(home.body.find("new EventSource('/_isrgen/events')") != std::string::npos);
  CHECK(preview.get("mysite", "/de/").body.find("Willkommen") != std::string::npos);
  ClientResponse about = preview.get("mysite", "/about/");
  CHECK(about.status == 200);
  ClientResponse css = preview.get("mysite", "/css/site.css");
  CHECK(css.status == 200);
  CHECK(css.header("Content-Type") == "text/css; charset=utf-8");
  CHECK(css.body == read_text(site / "static/mysite/css/site.css"));
  ClientResponse index = http_get("http://127.0.0.1:" + std::to_string(preview.port) + "/",
                                  {{"Host", "localhost:" + std::to_string(preview.port)}});
  CHECK(index.body.find("href=\"http://" + preview.host("mysite") + "/de/\"") != std::string::npos);
  // The published output is the build's, without the script.
  CHECK(read_text(site / "out/mysite/index.html").find("EventSource") == std::string::npos);

  EventStreamClient events(preview.port, preview.host("mysite"));
  REQUIRE(events.next_event("state"));

  SECTION("an edited page is named, and served anew") {
    replace_in(site / "content/pages/mysite/about.md", "title: About", "title: About us");
    auto build = events.next_event("build");
    INFO(events.unread());
    REQUIRE(build);
    json event = json::parse(build->data);
    CHECK(event.at("edited") == json::array({json{{"tenant", "mysite"}, {"url", "/about/"}}}));
    CHECK(event.at("pages") == json::array({json{{"tenant", "mysite"}, {"url", "/about/"}}}));
    CHECK(event.at("errors").empty());
    CHECK(preview.get("mysite", "/about/").body.find("<h1>About us</h1>") != std::string::npos);
  }

  SECTION("a changed stylesheet is named for a swap, without pages to reload") {
    write_text(site / "static/mysite/css/site.css", "body { background: #000; }\n");
    auto build = events.next_event("build");
    REQUIRE(build);
    json event = json::parse(build->data);
    CHECK(event.at("stylesheets") == json::array({json{{"tenant", "mysite"}, {"url", "/css/site.css"}}}));
    CHECK(event.at("pages").empty());
    CHECK(preview.get("mysite", "/css/site.css").body == "body { background: #000; }\n");
  }

  SECTION("a build error reaches the pages with file:line, the last good page stays, and a fix clears it") {
    replace_in(site / "content/pages/mysite/about.md", "title: About", "title: [About");
    auto failed = events.next_event("build");
    REQUIRE(failed);
    json errors = json::parse(failed->data).at("errors");
    REQUIRE(errors.size() == 1);
    std::string error = errors[0].get<std::string>();
    CHECK(std::regex_search(error, std::regex("^content/pages/mysite/about\\.md:[0-9]+:")));
    ClientResponse kept = preview.get("mysite", "/about/");
    CHECK(kept.body.find("<h1>About</h1>") != std::string::npos);
    CHECK(kept.body.find(error) != std::string::npos);

    replace_in(site / "content/pages/mysite/about.md", "title: [About", "title: About again");
    auto fixed = events.next_event("build");
    REQUIRE(fixed);
    CHECK(json::parse(fixed->data).at("errors").empty());
    CHECK(preview.get("mysite", "/about/").body.find("<h1>About again</h1>") != std::string::npos);
  }
}

TEST_CASE("dev stops on SIGTERM with a live-reload stream open", "[cli][dev]") {
  ScratchDir scratch;
  fs::path site = new_site(scratch);
  IsrgenProcess process({"dev", "--site", site.string(), "--listen", "127.0.0.1:0"});
  auto line = process.wait_for_output("preview on http://localhost:");
  REQUIRE(line);
  uint16_t port = static_cast<uint16_t>(std::stoi(line->substr(line->rfind(':') + 1)));
  EventStreamClient events(port, "mysite.localhost:" + std::to_string(port));
  REQUIRE(events.next_event("state"));
  process.signal(SIGTERM);
  CHECK(process.wait_exit() == 0);
  CHECK(events.wait_closed());
}

TEST_CASE("dev refuses a host name that is not localhost", "[cli][dev]") {
  ScratchDir scratch;
  fs::path site = new_site(scratch);
  CommandResult refused = run_isrgen({"dev", "--site", site.string(), "--listen", "devbox.example:4000"});
  CHECK(refused.exit_code == 2);
  CHECK(refused.err.find("give the address itself") != std::string::npos);
}

TEST_CASE("dev in headless Chromium: an edited page reloads, another tenant's edit leaves it, a stylesheet is "
          "swapped in place, an edit of another page goes there", "[cli][dev][chromium]") {
  PreviewInBrowser open;
  if (!open.browser) return;
  ChromiumSession& browser = *open.browser;
  const fs::path& site = open.site;
  // static/acme/css/site.css: body { background: var(--bg) } with --bg: #fbf9f5; without it, transparent.
  CHECK(browser.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(251, 249, 245)");
  CHECK(browser.evaluate("document.title") == "Imprint and privacy | Acme Talent");
  browser.set_viewport(375);
  CHECK(browser.evaluate("innerWidth") == 375);
  CHECK(browser.evaluate("matchMedia('(max-width: 400px)').matches") == true);

  mark_window(browser);
  replace_in(site / "content/pages/acme/legal.md", "## Imprint", "## Imprint and contact");
  bool reloaded =
      browser.wait_until("document.body.innerText.indexOf('Imprint and contact') >= 0 && !window.isrgenTestMark");
  INFO(browser.last_wait_error());
  CHECK(reloaded);

  // An edit of nova's page, then of acme's stylesheet: this page hears of
  // both, in order, and reloads for neither.
  mark_window(browser);
  replace_in(site / "content/pages/nova/legal.md", "## Imprint", "## Imprint of Nova");
  replace_in(site / "static/acme/css/site.css", "--bg: #fbf9f5;", "--bg: #102030;");
  CHECK(browser.wait_until("getComputedStyle(document.body).backgroundColor === 'rgb(16, 32, 48)'"));
  CHECK(browser.evaluate(kMarked) == true);
  CHECK(browser.evaluate("location.pathname") == "/legal/");
  CHECK(browser.evaluate("document.querySelector('link[rel=stylesheet]').getAttribute('href')")
            .get<std::string>()
            .starts_with("/css/site.css?isrgen="));

  replace_in(site / "content/pages/acme/about.md", "title: About Acme Talent", "title: About Acme Talent today");
  CHECK(browser.wait_until("location.pathname === '/about/' && "
                           "document.title.indexOf('About Acme Talent today') === 0"));
}

TEST_CASE("dev in headless Chromium: a broken partial shows file:line over the last good page, and a fix or a "
          "restart of dev clears it", "[cli][dev][chromium]") {
  PreviewInBrowser open;
  if (!open.browser) return;
  ChromiumSession& browser = *open.browser;
  const fs::path& site = open.site;
  uint16_t port = open.preview->port;
  mark_window(browser);
  // A stylesheet swapped before the restart below (with the id of this dev's second build).
  fs::path stylesheet = site / "static/acme/css/site.css";
  replace_in(stylesheet, "--bg: #fbf9f5;", "--bg: #102030;");
  CHECK(browser.wait_until("getComputedStyle(document.body).backgroundColor === 'rgb(16, 32, 48)'"));

  fs::path footer = site / "templates/partials/footer.mustache";
  std::string good = read_text(footer);
  std::string broken = good + "{{#tenant.name}}\n";  // a section never closed
  write_text(footer, broken);
  const std::string overlay_names_footer =
      std::string("/templates\\/partials\\/footer\\.mustache:[0-9]+:([0-9]+:)? unclosed section/.test(") +
      kOverlayText + ")";
  CHECK(browser.wait_until(overlay_names_footer));
  INFO(browser.evaluate(kOverlayText));
  // Every page that uses the footer failed with that message: it shows once.
  CHECK(browser.evaluate("document.querySelectorAll('#isrgen-error-overlay > div').length") == 1);
  // The page behind the overlay is the last good one, not reloaded.
  CHECK(browser.evaluate(kMarked) == true);
  CHECK(browser.evaluate("document.querySelector('main').innerText.indexOf('Imprint') >= 0") == true);

  write_text(footer, good);
  CHECK(browser.wait_until("!document.getElementById('isrgen-error-overlay')"));
  CHECK(browser.evaluate(kMarked) == true);

  // Broken again, then fixed and the page edited while dev is stopped: the
  // tab, left open, reconnects to the restarted dev by itself and shows the
  // page as it is now, without the overlay it kept while dev was away.
  write_text(footer, broken);
  REQUIRE(browser.wait_until(overlay_names_footer));
  open.preview.reset();
  write_text(footer, good);
  replace_in(site / "content/pages/acme/legal.md", "## Imprint", "## Imprint, edited while dev was stopped");
  open.preview = std::make_unique<RunningPreview>(site, "127.0.0.1:" + std::to_string(port));
  bool current = browser.wait_until("!document.getElementById('isrgen-error-overlay') && "
                                    "document.body.innerText.indexOf('edited while dev was stopped') >= 0",
                                    std::chrono::seconds(10));
  INFO(browser.last_wait_error());
  CHECK(current);
  CHECK(browser.evaluate("location.pathname") == "/legal/");
  // The restarted dev counts its builds from 1 again: a stylesheet changed
  // now is still swapped in.
  replace_in(stylesheet, "--bg: #102030;", "--bg: #304050;");
  CHECK(browser.wait_until("getComputedStyle(document.body).backgroundColor === 'rgb(48, 64, 80)'"));
}

TEST_CASE("dev in headless Chromium: a responsive image loads its WebP variant for the window's width",
          "[cli][dev][chromium][images]") {
  ScratchDir scratch;
  fs::path site = new_site(scratch);
  std::unique_ptr<ChromiumSession> browser = browser_or_skip(scratch);
  if (!browser) return;
  write_text(site / "static/mysite/img/photo.jpg", make_jpeg(1600, 1000));
  write_text(site / "content/pages/mysite/photo.md", "---\ntitle: Photo\n---\n![A photo](/img/photo.jpg)\n");
  RunningPreview preview(site);
  const std::string loaded =
      "(() => { const img = document.querySelector('main img');"
      " return img && img.complete && img.naturalWidth > 0 ? img.currentSrc : ''; })()";
  for (int width : {375, 1280}) {
    INFO("window " << width << " pixels wide");
    browser->set_viewport(width);
    browser->navigate("http://" + preview.host("mysite") + "/photo/");
    REQUIRE(browser->wait_until(loaded + " !== ''"));
    std::string source = browser->evaluate(loaded).get<std::string>();
    // sizes="100vw" at device scale 1: the narrowest variant at least as wide as the window.
    const std::string variant = width == 375 ? "640w" : "1280w";
    CHECK(std::regex_search(source, std::regex("/img/photo\\." + variant + "\\.[0-9a-f]{8}\\.webp$")));
    // The variant's pixels at the density srcset gave them: as wide as the window.
    CHECK(browser->evaluate("document.querySelector('main img').naturalWidth") == width);
  }
}
