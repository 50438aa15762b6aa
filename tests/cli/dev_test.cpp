// `isrgen init` and `isrgen dev` as an author runs them: a new site written,
// built and previewed by the binary on an ephemeral port; its pages and
// assets fetched with the Host header a browser sends to <tenant>.localhost,
// the live-reload stream read from a socket while files are edited, and a
// page of the example site loaded in headless Chromium to see that its
// stylesheet applied. Every wait is for a line or an event, with a deadline.
#include <csignal>
#include <cstdio>
#include <regex>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "event_stream_client.h"
#include "http_client.h"
#include "isrgen_process.h"
#include "test_support.h"

using namespace isrgen::testing;
using nlohmann::json;

namespace {

// `isrgen dev` on a port the system picks, once it printed its URLs.
struct RunningPreview {
  IsrgenProcess process;
  uint16_t port = 0;

  explicit RunningPreview(const fs::path& site)
      : process({"dev", "--site", site.string(), "--listen", "127.0.0.1:0"}) {
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
  CHECK(home.body.find("<link rel=\"stylesheet\" href=\"/css/site.css\">") != std::string::npos);
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

TEST_CASE("a page of the example site shows with its stylesheet in headless Chromium", "[cli][dev][chromium]") {
  // Chromium is installed by scripts/install-test-tools; a machine where it
  // cannot start skips this test, saying so.
  FILE* version = ::popen("timeout 60 chromium --headless --no-sandbox --disable-gpu --dump-dom "
                          "'data:text/html,<p>ready</p>' 2>/dev/null",
                          "r");
  std::string started;
  if (version) {
    char chunk[256];
    while (size_t got = std::fread(chunk, 1, sizeof chunk, version)) started.append(chunk, got);
    ::pclose(version);
  }
  if (started.find("<p>ready</p>") == std::string::npos) {
    WARN("skipped: headless Chromium cannot start here (scripts/install-test-tools installs Debian's chromium)");
    return;
  }

  ScratchDir scratch;
  fs::path site = scratch.path();
  for (const char* folder : {"content", "templates", "static"})
    fs::copy(source_dir() / folder, site / folder, fs::copy_options::recursive);
  // A page of the test's own beside the tenant's files: it loads the real
  // home page in a frame and writes down the background its body got.
  write_text(site / "static/acme/style-probe.html", R"(<!DOCTYPE html>
<html><body>
<iframe id="page" src="/" width="1000" height="700"></iframe>
<p id="probe">waiting</p>
<script>
document.getElementById('page').addEventListener('load', function () {
  var page = this.contentDocument;
  var probe = document.getElementById('probe');
  probe.setAttribute('data-background', page.defaultView.getComputedStyle(page.body).backgroundColor);
  probe.setAttribute('data-title', page.title);
});
</script>
</body></html>
)");
  RunningPreview preview(site);
  // No --host-resolver-rules: Chromium itself resolves *.localhost to the loopback.
  std::string command = "timeout 60 chromium --headless --no-sandbox --disable-gpu --dump-dom http://" +
                        preview.host("acme") + "/style-probe.html 2>/dev/null";
  FILE* browser = ::popen(command.c_str(), "r");
  REQUIRE(browser);
  std::string dom;
  char chunk[4096];
  while (size_t got = std::fread(chunk, 1, sizeof chunk, browser)) dom.append(chunk, got);
  ::pclose(browser);
  INFO(command << "\n" << dom);
  // static/acme/css/site.css: body { background: var(--bg) } with --bg: #fbf9f5; without it, transparent.
  CHECK(dom.find("data-background=\"rgb(251, 249, 245)\"") != std::string::npos);
  CHECK(dom.find("data-title=\"Acme Talent") != std::string::npos);
}
