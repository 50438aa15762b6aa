// Remote data sources as users run them: a `jobs` API served by the tests'
// own HTTP server on a loopback port, and the fixture site with pages showing
// its jobs, built by the isrgen binary. Time moves by ISRGEN_NOW, never by
// waiting.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fixture_site.h"
#include "http_test_server.h"

namespace isrgen::testing {

inline constexpr long long kNow = 1'795'000'000;  // unix seconds, passed as ISRGEN_NOW

inline constexpr const char* kJobs = R"([
  {"id": "j-1", "title": "Stage hand", "city": "berlin"},
  {"id": "j-2", "title": "Dresser", "city": "paris"},
  {"id": "j-3", "title": "Runner", "city": "paris"}
])";

// The jobs API: answers with the current body and an ETag of it (a 304 when
// the client already holds it), or fails as a test tells it to.
class JobsApi {
 public:
  enum class Mode { kOk, kServerError, kGarbage };

  JobsApi() {
    server_.on("/jobs", [this](const TestRequest& request) {
      std::lock_guard<std::mutex> lock(mutex_);
      if (mode_ == Mode::kServerError) return TestResponse::json(R"({"error": "down"})", 500);
      if (mode_ == Mode::kGarbage) return TestResponse::json("<html>Bad gateway</html>");
      std::string etag = "\"" + std::to_string(std::hash<std::string>()(body_)) + "\"";
      TestResponse response = TestResponse::json(request.header("if-none-match") == etag ? "" : body_);
      if (request.header("if-none-match") == etag) response.status = 304;
      response.headers.emplace_back("ETag", etag);
      return response;
    });
  }
  void set_body(std::string body) {
    std::lock_guard<std::mutex> lock(mutex_);
    body_ = std::move(body);
  }
  void set_mode(Mode mode) {
    std::lock_guard<std::mutex> lock(mutex_);
    mode_ = mode;
  }
  std::string url() const { return server_.url("/jobs"); }
  std::vector<TestRequest> requests() const { return server_.requests(); }

 private:
  HttpTestServer server_;
  std::mutex mutex_;
  std::string body_ = kJobs;
  Mode mode_ = Mode::kOk;
};

// The fixture site plus pages that show jobs: all of them, Berlin's, Paris's.
struct RemoteSite : FixtureSite {
  explicit RemoteSite(const std::string& url, const std::string& settings = "revalidate = 300\n") {
    write("content/site.toml", read_text(*this / "content/site.toml") + "\n[sources.jobs]\nurl = \"" + url +
                                   "\"\nretries = 1\nretry_delay = 0.001\ntimeout = 5\n" + settings);
    write("templates/components/JOBS.mustache",
          "<ul class=\"jobs\">{{#items}}<li data-id=\"{{id}}\">{{title}} ({{city}})</li>{{/items}}"
          "{{^items}}<li>No openings right now</li>{{/items}}</ul>\n");
    write("content/pages/acme/careers.md", jobs_page("All jobs", ""));
    write("content/pages/acme/careers.de.md", "---\ntitle: Alle Stellen\n---\n");
    write("content/pages/acme/berlin-jobs.md", jobs_page("Berlin", "        filter: { city: [berlin] }\n"));
    write("content/pages/nova/paris-jobs.md", jobs_page("Paris", "        filter: { city: [paris] }\n"));
  }

  static std::string jobs_page(const std::string& title, const std::string& filter) {
    return "---\ntitle: " + title + "\nsections:\n  - id: jobs\n    components:\n      - id: jobs\n        type: JOBS\n"
           "        source: jobs\n" + filter + "---\n";
  }

  struct Run {
    CommandResult result;
    nlohmann::json report;
  };
  Run run(std::vector<std::string> args, long long now = kNow, std::vector<std::string> env = {}) const {
    args.insert(args.end(), {"--site", root().string(), "--json"});
    env.push_back("ISRGEN_NOW=" + std::to_string(now));
    Run run;
    run.result = run_isrgen(args, env);
    run.report = nlohmann::json::parse(run.result.out.empty() ? "null" : run.result.out, nullptr, false);
    return run;
  }
};

}  // namespace isrgen::testing
