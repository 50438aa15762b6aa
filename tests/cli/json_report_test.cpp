// Every --json report, produced by isrgen on fixture sites as users run it,
// validated against its JSON Schema in docs/schemas/ (by Debian's
// python3-jsonschema, through tests/validate_json.py). The schemas close every
// object, so a field a report gains without documentation fails here.
#include <csignal>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "fixture_site.h"
#include "http_client.h"
#include "http_test_server.h"
#include "isrgen_process.h"
#include "remote_site.h"
#include "util/hmac.h"

using namespace isrgen;
using namespace isrgen::testing;
using nlohmann::json;

namespace {

const fs::path kSchemas = source_dir() / "docs/schemas";

// Runs tests/validate_json.py with `arguments` after the schema folder.
CommandResult validator(const std::vector<std::string>& arguments) {
  std::vector<std::string> command = {"/usr/bin/python3", (source_dir() / "tests/validate_json.py").string(),
                                      kSchemas.string()};
  command.insert(command.end(), arguments.begin(), arguments.end());
  CommandResult ran = run_program(command);
  INFO("python3-jsonschema is installed by scripts/install-test-tools");
  REQUIRE(ran.exit_code != 127);
  return ran;
}

// The documents (each one JSON text, or several one after the other) checked
// against docs/schemas/<schema>; the validator's complaints when they fail.
CommandResult validate(const std::string& schema, const std::vector<std::string>& documents) {
  ScratchDir scratch;
  std::vector<std::string> arguments = {schema};
  for (size_t i = 0; i < documents.size(); ++i) {
    const fs::path file = scratch / ("report-" + std::to_string(i) + ".json");
    write_text(file, documents[i]);
    arguments.push_back(file.string());
  }
  return validator(arguments);
}

void check_valid(const std::string& schema, const std::vector<std::string>& documents) {
  REQUIRE_FALSE(documents.empty());
  CommandResult checked = validate(schema, documents);
  INFO(schema << ":\n" << checked.err);
  CHECK(checked.exit_code == 0);
}

// stdout of a command that must have printed a report (whatever its exit status).
std::string report_of(const CommandResult& ran) {
  INFO(ran.err);
  REQUIRE_FALSE(ran.out.empty());
  return ran.out;
}

std::string signed_header(const std::string& body) { return "sha256=" + hmac_sha256_hex("schema-secret", body); }

}  // namespace

TEST_CASE("every schema is valid, describes every field and closes every object", "[json][schema]") {
  CommandResult checked = validator({"--check-schemas"});
  INFO(checked.err);
  CHECK(checked.exit_code == 0);
}

TEST_CASE("a report with a field its schema does not document fails validation", "[json][schema]") {
  FixtureSite site;
  auto build = site.build();
  REQUIRE(build.result.exit_code == 0);
  check_valid("build.schema.json", {build.result.out});

  json extended = build.report;
  extended["stats"]["undocumented"] = 1;
  CommandResult checked = validate("build.schema.json", {extended.dump()});
  CHECK(checked.exit_code == 1);
  CHECK_THAT(checked.err, Catch::Contains("undocumented"));

  json renamed = build.report;
  renamed["rendered"][0]["reason"] = renamed["rendered"][0]["reasons"];
  renamed["rendered"][0].erase("reasons");
  CHECK(validate("build.schema.json", {renamed.dump()}).exit_code == 1);
}

TEST_CASE("build and revalidate reports match build.schema.json", "[json][schema]") {
  FixtureSite site;
  std::vector<std::string> reports;
  reports.push_back(report_of(site.build().result));
  // A failed page, a warning, a deleted output, --verify, a sync to a folder.
  site.write("content/pages/acme/bad.md", "---\ntitle: Bad\nlayout: nope\n---\n");
  site.replace("content/data/models.json", "\"name\": \"Ada\"", "\"name\": \"Ada\", \"image\": \"javascript:alert(9)\"");
  site.replace("templates/components/MODELS.mustache", "<li data-id=\"{{id}}\">",
               "<li data-id=\"{{id}}\"><img src=\"{{image}}\" alt=\"\">");
  fs::remove(site / "content/pages/nova/index.md");
  auto broken = site.build({"--verify"});
  CHECK(broken.result.exit_code == 1);
  CHECK_FALSE(broken.report["failed"].empty());
  CHECK_FALSE(broken.report["warnings"].empty());
  CHECK_FALSE(broken.report["deleted"].empty());
  CHECK(broken.report.contains("verify"));
  reports.push_back(report_of(broken.result));
  fs::remove(site / "content/pages/acme/bad.md");

  auto synced = site.build({"--sync", "--target", (site / "public").string()});
  CHECK(synced.result.exit_code == 0);
  CHECK(synced.report["sync"]["command"] == "sync");
  reports.push_back(report_of(synced.result));
  auto no_target = site.build({"--force", "--sync"});
  CHECK(no_target.result.exit_code == 2);
  CHECK(no_target.report["sync"].contains("error"));
  reports.push_back(report_of(no_target.result));

  auto revalidated = run_isrgen({"revalidate", "--site", site.root().string(), "--tag", "models:*", "--json"});
  CHECK(revalidated.exit_code == 0);
  reports.push_back(report_of(revalidated));
  check_valid("build.schema.json", reports);
}

TEST_CASE("reports of remote sources (fetched, degraded, inspect sources) match their schemas", "[json][schema]") {
  JobsApi api;
  RemoteSite site(api.url());
  std::vector<std::string> builds;
  auto fetched = site.run({"build"});
  REQUIRE(fetched.result.exit_code == 0);
  CHECK_FALSE(fetched.report["fetched"].empty());
  builds.push_back(fetched.result.out);
  api.set_mode(JobsApi::Mode::kServerError);
  auto degraded = site.run({"revalidate", "--tag", "source:jobs"}, kNow + 1000);
  CHECK_FALSE(degraded.report["degraded"].empty());
  builds.push_back(report_of(degraded.result));
  check_valid("build.schema.json", builds);

  auto sources = site.run({"inspect", "sources"}, kNow + 1000);
  REQUIRE(sources.result.exit_code == 0);
  CHECK(sources.report["sources"][0].contains("last_error"));
  check_valid("inspect-sources.schema.json", {sources.result.out});
}

TEST_CASE("sync reports match sync.schema.json", "[json][schema]") {
  HttpTestServer hook;
  hook.on("/purge", [](const TestRequest&) { return TestResponse{}; });
  FixtureSite site;
  site.write("content/site.toml", read_text(site / "content/site.toml") + "[deploy]\ntarget = \"public\"\n" +
                                      "[deploy.purge]\nprovider = \"webhook\"\nurl = \"" + hook.url("/purge") +
                                      "\"\nsecret = \"hush\"\n");
  REQUIRE(site.build().result.exit_code == 0);
  auto sync = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = {"sync", "--site", site.root().string(), "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_isrgen(args);
  };
  std::vector<std::string> reports;
  reports.push_back(report_of(sync({"--dry-run"})));
  auto first = sync({});
  CHECK(json::parse(first.out)["purge"]["sent"] == true);
  reports.push_back(report_of(first));
  // Deletes beyond --max-deletes are held back.
  fs::remove(site / "content/pages/nova/index.md");
  REQUIRE(site.build().result.exit_code == 0);
  auto held = sync({"--max-deletes", "0"});
  CHECK(json::parse(held.out).contains("deletes_held_back"));
  reports.push_back(report_of(held));
  // A machine without deploy state adopts what the target already holds.
  fs::remove_all(site / ".isrgen/deploy.db");
  fs::remove_all(site / ".isrgen/deploy.db-wal");
  auto adopted = sync({"--verify-remote"});
  CHECK(json::parse(adopted.out)["stats"]["adopted"].get<int>() > 0);
  reports.push_back(report_of(adopted));
  check_valid("sync.schema.json", reports);
}

TEST_CASE("inspect tag, inspect page and why reports match their schemas", "[json][schema]") {
  FixtureSite site;
  REQUIRE(site.build().result.exit_code == 0);
  auto tag = run_isrgen({"inspect", "tag", "models:*", "--site", site.root().string(), "--json"});
  REQUIRE(tag.exit_code == 0);
  CHECK_FALSE(json::parse(tag.out)["pages"].empty());
  check_valid("inspect-tag.schema.json", {tag.out});

  // acme/index has two languages: two documents, one after the other.
  auto page = run_isrgen({"inspect", "page", "acme/index", "--site", site.root().string(), "--json"});
  REQUIRE(page.exit_code == 0);
  auto why = run_isrgen({"why", "acme/all/index.html", "--site", site.root().string(), "--json"});
  REQUIRE(why.exit_code == 0);
  // A page [build] prerender = "high" left for its first request.
  FixtureSite deferring;
  deferring.write("content/site.toml", read_text(deferring / "content/site.toml") + "\n[build]\nprerender = \"high\"\n");
  REQUIRE(deferring.build().result.exit_code == 0);
  auto deferred = run_isrgen({"inspect", "page", "acme/all", "--site", deferring.root().string(), "--json"});
  REQUIRE(deferred.exit_code == 0);
  CHECK_THAT(deferred.out, Catch::Contains("\"deferred\": true"));
  check_valid("inspect-page.schema.json", {page.out, why.out, deferred.out});
}

TEST_CASE("watch --json lines match watch.schema.json", "[json][schema][watch]") {
  FixtureSite site;
  IsrgenProcess watching({"watch", "--site", site.root().string(), "--json", "--jobs", "2", "--sync", "--target",
                          (site / "public").string()});
  INFO(watching.err());
  REQUIRE(watching.wait_for_output("\"trigger\":\"initial\""));
  REQUIRE(watching.wait_for_output("{\"command\":\"sync\""));
  site.replace("content/pages/acme/index.md", "title:", "title: Edited");
  REQUIRE(watching.wait_for_output("\"trigger\":\"changes\""));
  // A broken site.toml: the build cannot run, and its line says why.
  site.write("content/site.toml", "[site\n");
  REQUIRE(watching.wait_for_output("\"error\":"));
  watching.signal(SIGTERM);
  REQUIRE(watching.wait_exit());
  check_valid("watch.schema.json", {watching.out()});
}

TEST_CASE("serve's webhook answers, jobs and health match their schemas", "[json][schema][serve]") {
  FixtureSite site;
  REQUIRE(site.build().result.exit_code == 0);
  IsrgenProcess server({"serve", "--site", site.root().string(), "--listen", "127.0.0.1:0", "--sync", "--target",
                        (site / "public").string()},
                       {"ISRGEN_WEBHOOK_SECRET=schema-secret"});
  auto listening = server.wait_for_output("listening on http://");
  INFO(server.err());
  REQUIRE(listening);
  const std::string base = listening->substr(listening->find("http://"));
  auto post = [&](const std::string& body, std::vector<std::pair<std::string, std::string>> headers) {
    headers.emplace_back("Content-Type", "application/json");
    return http_request({"POST", base + "/revalidate", std::move(headers), body});
  };

  const std::string body = R"({"tags": ["models:m-2"]})";
  ClientResponse accepted = post(body, {{"X-Hub-Signature-256", signed_header(body)}, {"Idempotency-Key", "d-1"}});
  REQUIRE(accepted.status == 202);
  ClientResponse duplicate = post(body, {{"X-Hub-Signature-256", signed_header(body)}, {"Idempotency-Key", "d-1"}});
  REQUIRE(duplicate.status == 202);
  CHECK(json::parse(duplicate.body)["duplicate"] == true);
  ClientResponse refused = post(body, {});
  CHECK(refused.status == 401);
  check_valid("webhook.schema.json", {accepted.body, duplicate.body, refused.body});

  const std::string id = json::parse(accepted.body)["job"];
  REQUIRE(server.wait_for_output(id));
  ClientResponse job = http_get(base + "/jobs/" + id);
  REQUIRE(job.status == 200);
  CHECK(json::parse(job.body)["report"].contains("sync"));
  ClientResponse missing = http_get(base + "/jobs/" + std::string(32, '0'));  // well formed, never issued
  CHECK(missing.status == 404);
  check_valid("job.schema.json", {job.body, missing.body});

  ClientResponse health = http_get(base + "/healthz");
  CHECK(health.status == 200);
  check_valid("health.schema.json", {health.body});
  server.signal(SIGTERM);
  CHECK(server.wait_exit() == 0);
}
