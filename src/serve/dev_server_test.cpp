// The preview server in-process on an ephemeral port, over real HTTP with the
// Host headers a browser sends to <tenant>.localhost, and its event stream
// read from a socket. Builds are stood in for by after_build(); the files are
// written into the output folder as a build would leave them.
#include "serve/dev_server.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "event_stream_client.h"
#include "http_client.h"
#include "test_support.h"

using namespace isrgen;
using namespace isrgen::serve;
using namespace isrgen::testing;
using nlohmann::json;

namespace {

SiteConfig site() {
  auto config = parse_site_config(
      "[site]\ndefault_language = \"en\"\nlanguages = [\"en\", \"de\"]\n"
      "[tenants.acme]\nname = \"Acme\"\nbase_url = \"https://acme.example\"\n",
      "content/site.toml");
  REQUIRE(config.ok());
  return config.value();
}

struct Preview {
  ScratchDir folder;
  std::unique_ptr<DevServer> server;

  Preview() {
    write_text(folder / "out/acme/index.html", "<!DOCTYPE html><html><head><link rel=\"stylesheet\" "
                                               "href=\"/css/site.css\"></head><body><h1>Home</h1></body></html>\n");
    write_text(folder / "out/acme/css/site.css", "body { color: rgb(1, 2, 3); }\n");
    write_text(folder / "out/acme/index.metadata.json", "{}");
    write_text(folder / "out/acme/about/index.html", "<p>About</p>\n");
    DevServerSetup setup;
    setup.paths = make_site_paths(folder.path(), "");
    setup.listen = "127.0.0.1:0";
    setup.config = site();
    auto started = DevServer::start(std::move(setup));
    REQUIRE(started.ok());
    server = std::move(started).value();
  }

  std::string host(const std::string& name) const { return name + ":" + std::to_string(server->port()); }
  ClientResponse get(const std::string& host_name, const std::string& path,
                     std::vector<std::pair<std::string, std::string>> headers = {}) const {
    headers.emplace_back("Host", host(host_name));
    return http_get("http://127.0.0.1:" + std::to_string(server->port()) + path, std::move(headers));
  }
};

// The context the injected script was given.
json page_context(const std::string& html) {
  size_t start = html.rfind("})(") + 3;
  return json::parse(html.substr(start, html.find(");</script>", start) - start));
}

}  // namespace

TEST_CASE("dev server: a tenant's pages and files on its own host, the script only in HTML", "[dev_server]") {
  Preview preview;
  ClientResponse home = preview.get("acme.localhost", "/");
  REQUIRE(home.status == 200);
  CHECK(home.header("Content-Type") == "text/html; charset=utf-8");
  CHECK(home.header("Cache-Control") == "no-store");
  CHECK(home.body.starts_with("<!DOCTYPE html><html><head><link rel=\"stylesheet\" href=\"/css/site.css\">"));
  CHECK(page_context(home.body) == json{{"tenant", "acme"}, {"url", "/"}, {"errors", json::array()}});
  // The file on disk stays as the build wrote it.
  CHECK(read_text(preview.folder / "out/acme/index.html").find("isrgen-live-reload") == std::string::npos);

  ClientResponse css = preview.get("acme.localhost", "/css/site.css");
  REQUIRE(css.status == 200);
  CHECK(css.body == "body { color: rgb(1, 2, 3); }\n");
  CHECK(css.header("Content-Type") == "text/css; charset=utf-8");
  CHECK(css.header("Cache-Control") == "no-cache");
  REQUIRE(css.header("ETag"));
  CHECK(preview.get("acme.localhost", "/css/site.css", {{"If-None-Match", *css.header("ETag")}}).status == 304);

  CHECK(preview.get("acme.localhost", "/index.metadata.json").status == 404);
  ClientResponse missing = preview.get("acme.localhost", "/nowhere/");
  CHECK(missing.status == 404);
  CHECK(page_context(missing.body).at("url") == "/nowhere/");
  CHECK(preview.get("acme.localhost", "/about").header("Location") == "/about/");
  CHECK(http_request({"POST", "http://127.0.0.1:" + std::to_string(preview.server->port()) + "/",
                      {{"Host", preview.host("acme.localhost")}}, "x"})
            .status == 405);
}

TEST_CASE("dev server: localhost lists the tenants and sends their paths to their hosts", "[dev_server]") {
  Preview preview;
  ClientResponse index = preview.get("localhost", "/");
  REQUIRE(index.status == 200);
  CHECK(index.body.find("href=\"http://acme.localhost:" + std::to_string(preview.server->port()) + "/de/\"") !=
        std::string::npos);
  ClientResponse moved = preview.get("localhost", "/acme/css/site.css");
  CHECK(moved.status == 302);
  CHECK(moved.header("Location") == "http://" + preview.host("acme.localhost") + "/css/site.css");
}

TEST_CASE("dev server: a name rebound to the loopback reads nothing, events included", "[dev_server]") {
  Preview preview;
  for (const char* path : {"/", "/_isrgen/events", "/acme/css/site.css"}) {
    ClientResponse refused = preview.get("evil.example", path);
    CHECK(refused.status == 421);
    CHECK(refused.body == "isrgen dev answers only localhost, *.localhost and IP addresses\n");
  }
  CHECK(preview.get("127.0.0.1", "/").status == 200);
}

TEST_CASE("dev server: each build is an event; errors reach new pages and new listeners", "[dev_server]") {
  Preview preview;
  EventStreamClient events(preview.server->port(), preview.host("acme.localhost"));
  std::string head = events.head();
  CHECK(head.starts_with("HTTP/1.1 200 OK\r\n"));
  CHECK(head.find("Content-Type: text/event-stream") != std::string::npos);
  CHECK(head.find("Content-Length") == std::string::npos);
  auto state = events.next_event("state");
  REQUIRE(state);
  CHECK(json::parse(state->data) == json{{"errors", json::array()}});

  DevBuildEvent failed;
  failed.errors = {"content/pages/acme/index.md:3: unknown layout 'nope'"};
  preview.server->after_build(failed, std::nullopt);
  auto build = events.next_event("build");
  REQUIRE(build);
  CHECK(json::parse(build->data).at("errors") == json::array({"content/pages/acme/index.md:3: unknown layout 'nope'"}));
  CHECK(json::parse(build->data).at("id") == 1);
  CHECK(page_context(preview.get("acme.localhost", "/").body).at("errors").size() == 1);
  EventStreamClient later(preview.server->port(), preview.host("acme.localhost"));
  CHECK(json::parse(later.next_event("state")->data).at("errors").size() == 1);

  DevBuildEvent good;
  good.pages = {{"acme", "/"}};
  preview.server->after_build(good, std::nullopt);
  auto fixed = events.next_event("build");
  REQUIRE(fixed);
  CHECK(json::parse(fixed->data).at("errors") == json::array());
  CHECK(json::parse(fixed->data).at("pages") == json::array({json{{"tenant", "acme"}, {"url", "/"}}}));
  CHECK(page_context(preview.get("acme.localhost", "/").body).at("errors") == json::array());
}

TEST_CASE("dev server: a vanished listener blocks nothing, and a stop ends every stream", "[dev_server]") {
  Preview preview;
  {
    EventStreamClient gone(preview.server->port(), preview.host("acme.localhost"));
    REQUIRE(gone.next_event("state"));
  }
  EventStreamClient staying(preview.server->port(), preview.host("acme.localhost"));
  REQUIRE(staying.next_event("state"));
  for (int i = 0; i < 20; ++i) preview.server->after_build(DevBuildEvent{}, std::nullopt);
  for (int i = 1; i <= 20; ++i) {
    auto event = staying.next_event("build");
    REQUIRE(event);
    CHECK(json::parse(event->data).at("id") == i);
  }
  CHECK(preview.get("acme.localhost", "/").status == 200);
  preview.server->shutdown(1000);
  CHECK(staying.wait_closed());
}
