// `isrgen serve` as users run it: the binary on an ephemeral port, webhooks
// sent by curl as a CMS or a CI step would, the output checked on disk, and
// a stop by SIGTERM. The server's own lines say when a build or a job ended,
// so nothing waits for time.
#include <csignal>
#include <cstdio>
#include <condition_variable>
#include <map>
#include <mutex>
#include <regex>
#include <set>
#include <thread>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "fixture_site.h"
#include "http_client.h"
#include "isrgen_process.h"
#include "util/hmac.h"

using namespace isrgen;
using namespace isrgen::testing;
using nlohmann::json;

namespace {

const std::string kSecret = "cli-serve-secret";

std::string shell_quoted(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

struct CurlAnswer {
  int status = 0;
  std::string body;
};

// `curl` itself, as a CMS's webhook or a CI step would call it.
CurlAnswer curl_post(const std::string& url, const std::string& body, const std::vector<std::string>& headers) {
  ScratchDir io;
  write_text(io / "body", body);
  std::string command = "curl -s -o " + shell_quoted((io / "answer").string()) + " -w '%{http_code}' -X POST" +
                        " -H 'Content-Type: application/json' --data-binary @" + shell_quoted((io / "body").string());
  for (const std::string& header : headers) command += " -H " + shell_quoted(header);
  command += " " + shell_quoted(url);
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  char status[16] = {};
  size_t read = std::fread(status, 1, sizeof status - 1, pipe);
  int exit = ::pclose(pipe);
  INFO("curl is installed by scripts/install-test-tools; command: " << command);
  REQUIRE(exit == 0);
  return {std::atoi(std::string(status, read).c_str()), read_text(io / "answer")};
}

struct RunningServer {
  IsrgenProcess process;
  std::string base;

  RunningServer(const FixtureSite& site, std::vector<std::string> extra = {})
      : process(arguments(site, std::move(extra)), {"ISRGEN_WEBHOOK_SECRET=" + kSecret}) {
    auto line = process.wait_for_output("listening on http://");
    INFO(process.err());
    REQUIRE(line.has_value());
    base = line->substr(line->find("http://"));
  }
  static std::vector<std::string> arguments(const FixtureSite& site, std::vector<std::string> extra) {
    std::vector<std::string> args = {"serve", "--site", site.root().string(), "--listen", "127.0.0.1:0"};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }
  std::string revalidate(const std::string& body) {
    CurlAnswer answer = curl_post(base + "/revalidate", body,
                                  {"X-Hub-Signature-256: sha256=" + hmac_sha256_hex(kSecret, body)});
    INFO(answer.body);
    REQUIRE(answer.status == 202);
    return json::parse(answer.body).at("job");
  }
  // The server names each job in a line such as "2 jobs done: <id>, <id>"
  // once its end is recorded.
  json finished_job(const std::string& id) {
    INFO(process.err());
    REQUIRE(process.wait_for_output(id).has_value());
    ClientResponse answer = http_get(base + "/jobs/" + id);
    REQUIRE(answer.status == 200);
    return json::parse(answer.body);
  }
  int stop() {
    process.signal(SIGTERM);
    auto status = process.wait_exit();
    REQUIRE(status.has_value());
    return *status;
  }
};

}  // namespace

TEST_CASE("isrgen serve: a webhook from curl re-renders the pages of its tags", "[cli][serve]") {
  FixtureSite site;
  REQUIRE(site.build().result.exit_code == 0);
  RunningServer server(site);
  REQUIRE(server.process.wait_for_output("built:").has_value());  // the start-up build

  site.replace("content/data/models.json", "\"Ben\"", "\"Bea\"");
  std::string id = server.revalidate(R"({"tags": ["models:m-2"]})");
  json job = server.finished_job(id);
  CHECK(job.at("status") == "done");
  CHECK(rendered_variants(job.at("report").at("build")) == std::set<std::string>{"acme/all/en"});
  CHECK_THAT(site.read_out("acme/all/index.html"), Catch::Contains("Bea (fitness)"));

  // Refusals, as curl sees them.
  CHECK(curl_post(server.base + "/revalidate", R"({"tags": ["x"]})", {}).status == 401);
  CHECK(curl_post(server.base + "/revalidate", R"({"tags": ["x"]})", {"Authorization: Bearer wrong"}).status == 401);
  CHECK(curl_post(server.base + "/revalidate", "{", {"Authorization: Bearer " + kSecret}).status == 400);
  const std::string climbing = R"({"paths": ["/acme/../../etc/passwd"]})";
  CurlAnswer outside = curl_post(server.base + "/revalidate", climbing,
                                 {"X-Hub-Signature-256: sha256=" + hmac_sha256_hex(kSecret, climbing)});
  CHECK(outside.status == 400);
  CHECK_THAT(outside.body, Catch::Contains("/acme/../../etc/passwd"));
  CHECK(server.process.err().find(kSecret) == std::string::npos);

  CHECK(server.stop() == 0);
}

TEST_CASE("isrgen serve: a job accepted before a kill runs after the restart", "[cli][serve]") {
  FixtureSite site;
  REQUIRE(site.build().result.exit_code == 0);
  site.replace("content/pages/nova/index.md", "title: Nova", "title: Nova Autumn");
  std::string id;
  {
    RunningServer server(site);
    id = server.revalidate(R"({"paths": ["https://nova.example/"]})");
    server.process.signal(SIGKILL);  // whether or not its build ran, the job must not be lost
    REQUIRE(server.process.wait_exit().has_value());
  }
  RunningServer restarted(site);
  REQUIRE(restarted.process.wait_for_output("built:").has_value());
  ClientResponse answer = http_get(restarted.base + "/jobs/" + id);
  REQUIRE(answer.status == 200);
  json job = json::parse(answer.body);
  if (job.at("status") != "done") job = restarted.finished_job(id);
  CHECK(job.at("status") == "done");
  CHECK_THAT(site.read_out("nova/index.html"), Catch::Contains("Nova Autumn"));
  CHECK(restarted.stop() == 0);
}

TEST_CASE("isrgen serve: configuration errors exit 2 with the reason", "[cli][serve]") {
  FixtureSite site;
  CommandResult no_secret = run_isrgen({"serve", "--site", site.root().string(), "--listen", "127.0.0.1:0"},
                                       {"ISRGEN_WEBHOOK_SECRET="});
  CHECK(no_secret.exit_code == 2);
  CHECK_THAT(no_secret.err, Catch::Contains("ISRGEN_WEBHOOK_SECRET"));

  CommandResult lone_target = run_isrgen({"serve", "--site", site.root().string(), "--target", "public"},
                                         {"ISRGEN_WEBHOOK_SECRET=" + kSecret});
  CHECK(lone_target.exit_code == 2);
  CHECK_THAT(lone_target.err, Catch::Contains("serve: --target needs --sync"));

  site.write("content/site.toml", read_text(site / "content/site.toml") + "\n[serve]\nthreads = 0\n");
  CommandResult bad = run_isrgen({"serve", "--site", site.root().string()}, {"ISRGEN_WEBHOOK_SECRET=" + kSecret});
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Catch::Contains("content/site.toml:"));
}

TEST_CASE("isrgen serve --sync: each good build is followed by a sync, reported with its job", "[cli][serve]") {
  FixtureSite site;
  REQUIRE(site.build().result.exit_code == 0);
  ScratchDir bucket;
  RunningServer server(site, {"--sync", "--target", bucket.path().string()});
  REQUIRE(server.process.wait_for_output("built:").has_value());

  site.replace("content/pages/nova/index.md", "title: Nova", "title: Nova Autumn");
  std::string id = server.revalidate(R"({"paths": ["/nova/"]})");
  json job = server.finished_job(id);
  CHECK(job.at("status") == "done");
  CHECK(job.at("report").at("sync").at("stats").at("uploaded").get<int>() >= 1);
  CHECK_THAT(read_text(bucket / "nova/index.html"), Catch::Contains("Nova Autumn"));
  CHECK(read_text(bucket / "acme/all/index.html") == site.read_out("acme/all/index.html"));
  CHECK_FALSE(fs::exists(bucket / "acme/all/index.metadata.json"));
  CHECK(server.stop() == 0);
}

TEST_CASE("isrgen serve --quiet prints the address and problems, not progress", "[cli][serve]") {
  FixtureSite site;
  REQUIRE(site.build().result.exit_code == 0);
  site.write("content/pages/acme/broken.md", "---\ntitle: [unclosed\n---\n");
  RunningServer server(site, {"--quiet"});
  // The start-up build fails that page: its error is printed, the build's progress line is not.
  auto error = server.process.wait_for_output("content/pages/acme/broken.md:");
  INFO(server.process.err());
  REQUIRE(error.has_value());
  REQUIRE(server.process.wait_for_output("1 job failed: ").has_value());
  CHECK(server.process.err().find("built:") == std::string::npos);
  CHECK(server.stop() == 0);
}

namespace {

std::string burst_page(int number) {
  char name[16];
  std::snprintf(name, sizeof name, "p%03d", number);
  return std::string("acme/burst/") + name;
}

// What a sender saw of one webhook it sent: the job of a 202, or the answer
// (status 0: no answer at all) that made it stop.
struct SentWebhook {
  int page = 0;
  long status = 0;
  std::string job;
};

}  // namespace

TEST_CASE("isrgen serve: every job answered 202 before a SIGKILL mid-burst is built after the restart",
          "[cli][serve]") {
  constexpr int kPages = 200, kSenders = 4;
  // The kill lands once this many 202s came back, while every sender is still sending.
  constexpr size_t kAcceptedBeforeKill = 60;
  FixtureSite site;
  for (int i = 0; i < kPages; ++i)
    site.write("content/pages/" + burst_page(i) + ".md",
               "---\ntitle: Burst " + std::to_string(i) + "\n---\nPage " + std::to_string(i) + " of the burst.\n");
  REQUIRE(site.build().result.exit_code == 0);

  std::mutex mutex;
  std::condition_variable changed;
  std::vector<SentWebhook> accepted, last_answers;
  {
    RunningServer server(site, {"--quiet"});
    // Each sender names its own pages, one a webhook, round and round, until
    // an answer is not a 202: only the kill ends the burst.
    auto send = [&](int sender) {
      for (int round = 0;; ++round) {
        int page = sender + kSenders * (round % (kPages / kSenders));
        std::string body = json{{"tags", {"page:" + burst_page(page)}}}.dump();
        ClientResponse answer = http_request({"POST", server.base + "/revalidate",
                                              {{"Content-Type", "application/json"},
                                               {"X-Hub-Signature-256", "sha256=" + hmac_sha256_hex(kSecret, body)}},
                                              body});
        json parsed = json::parse(answer.body, nullptr, false);
        std::lock_guard lock(mutex);
        SentWebhook sent{page, answer.status, parsed.is_object() ? parsed.value("job", "") : ""};
        changed.notify_all();
        if (answer.status != 202) return last_answers.push_back(sent);
        accepted.push_back(sent);
      }
    };
    std::vector<std::thread> senders;
    for (int i = 0; i < kSenders; ++i) senders.emplace_back(send, i);
    bool reached = false;
    {
      std::unique_lock lock(mutex);
      // 30 s only bounds a failing test: the wait ends on the senders' answers.
      reached = changed.wait_for(lock, 30s, [&] {
        return accepted.size() >= kAcceptedBeforeKill || last_answers.size() == kSenders;
      });
    }
    server.process.signal(SIGKILL);
    for (std::thread& sender : senders) sender.join();
    REQUIRE(server.process.wait_exit().has_value());
    REQUIRE(reached);
  }
  // Every sender was stopped by the kill: before it, every answer was a 202.
  for (const SentWebhook& last : last_answers) CHECK(last.status == 0);
  REQUIRE(accepted.size() >= kAcceptedBeforeKill);

  RunningServer restarted(site);
  std::map<std::string, json> finished;
  std::set<std::string> pending;
  for (const SentWebhook& sent : accepted) pending.insert(sent.job);
  while (!pending.empty()) {
    for (auto id = pending.begin(); id != pending.end();) {
      ClientResponse answer = http_get(restarted.base + "/jobs/" + *id);
      INFO(answer.body);
      REQUIRE(answer.status == 200);
      json job = json::parse(answer.body);
      if (job.at("status") == "queued" || job.at("status") == "running") {
        ++id;
        continue;
      }
      finished[*id] = std::move(job);
      id = pending.erase(id);
    }
    // The server prints "N jobs done: ..." (or failed) as each batch ends: wait for the next.
    INFO(restarted.process.err());
    if (!pending.empty()) REQUIRE(restarted.process.wait_for_output(" job").has_value());
  }
  for (const SentWebhook& sent : accepted) {
    const json& job = finished.at(sent.job);
    INFO("job " << sent.job << " for " << burst_page(sent.page) << ": " << job.dump());
    CHECK(job.at("status") == "done");
    // The build that ran the job, before the kill or after the restart, rendered its page.
    CHECK(rendered_variants(job.at("report").at("build")).contains(burst_page(sent.page) + "/en"));
  }
  CHECK(restarted.stop() == 0);
}
