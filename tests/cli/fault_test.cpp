// Builds on a machine that fails under them (README "Exit status": 3 is the
// environment's fault): a full disk under out/ and under .isrgen/, a read-only
// output folder, a damaged state.db, and two builds of one site at once. Each
// time the build must say what is wrong and how to get out of it, exit 3 (2
// for a site in use), keep every output it had, and the next build once the
// machine is fixed must write exactly what a fresh full build writes.
//
// The disks are small tmpfs mounts and read-only bind mounts, which need root:
// where `mount` is refused the test says so and checks nothing.
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <future>
#include <memory>
#include <atomic>
#include <random>

#include <catch2/catch.hpp>

#include "http_test_server.h"
#include "isrgen_process.h"
#include "output_tree.h"
#include "remote_site.h"

using namespace isrgen::testing;
using nlohmann::json;

namespace {

constexpr int kExitEnvironment = 3;
constexpr int kExitUsage = 2;

// Runs `command` through the shell; its exit status and what it printed.
std::pair<int, std::string> shell(const std::string& command) {
  std::string output;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (!pipe) return {-1, "popen failed"};
  char buffer[512];
  while (size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, n);
  int status = ::pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

std::string quoted(const fs::path& path) { return "'" + path.string() + "'"; }

// A mount made by the test, lazily unmounted when the guard dies, so that a
// failing test leaves no mount behind.
class MountGuard {
 public:
  // Runs `mount <arguments> <at>`; `refusal` holds why when it failed.
  MountGuard(const std::string& arguments, const fs::path& at) : at_(at) {
    fs::create_directories(at);
    auto [status, output] = shell("mount " + arguments + " " + quoted(at));
    mounted_ = status == 0;
    refusal_ = output;
  }
  ~MountGuard() { unmount(); }
  MountGuard(const MountGuard&) = delete;
  MountGuard& operator=(const MountGuard&) = delete;

  bool mounted() const { return mounted_; }
  const std::string& refusal() const { return refusal_; }
  // `mount -o remount,<options>` of this mount.
  bool remount(const std::string& options) const {
    return shell("mount -o remount," + options + " " + quoted(at_)).first == 0;
  }
  void unmount() {
    if (mounted_) shell("umount -l " + quoted(at_));
    mounted_ = false;
  }

 private:
  fs::path at_;
  bool mounted_ = false;
  std::string refusal_;
};

// A tmpfs of `size` ("256k") at `at`, or null after a WARN when mounting is
// refused here (no root, or a container without CAP_SYS_ADMIN).
std::unique_ptr<MountGuard> small_disk(const fs::path& at, const std::string& size) {
  auto disk = std::make_unique<MountGuard>("-t tmpfs -o size=" + size + " tmpfs", at);
  if (disk->mounted()) return disk;
  WARN("skipped: cannot mount a tmpfs here: " << disk->refusal());
  return nullptr;
}

// `at` bound onto itself read-only, or null after a WARN when refused.
std::unique_ptr<MountGuard> read_only_bind(const fs::path& at) {
  auto bind = std::make_unique<MountGuard>("--bind " + quoted(at), at);
  if (bind->mounted() && bind->remount("ro,bind")) return bind;
  WARN("skipped: cannot make a read-only bind mount here: " << bind->refusal());
  return nullptr;
}

size_t free_bytes(const fs::path& folder) {
  struct statvfs info {};
  REQUIRE(::statvfs(folder.c_str(), &info) == 0);
  return static_cast<size_t>(info.f_bavail) * info.f_frsize;
}

// Writes `file` until the disk under it has at most `leave` bytes free.
void fill_disk(const fs::path& file, size_t leave) {
  std::ofstream filler(file, std::ios::binary);
  const std::string block(4096, 'x');
  while (free_bytes(file.parent_path()) > leave && filler.write(block.data(), block.size()).flush()) {
  }
  REQUIRE(free_bytes(file.parent_path()) <= leave);
}

// `isrgen build --site <site> --out <out> --json` plus `extra`.
SiteBuild build_into(const fs::path& site, const fs::path& out, const std::vector<std::string>& extra = {}) {
  std::vector<std::string> args = {"build", "--site", site.string(), "--out", out.string(), "--json"};
  args.insert(args.end(), extra.begin(), extra.end());
  SiteBuild build;
  build.result = run_isrgen(args);
  build.report = json::parse(build.result.out.empty() ? "null" : build.result.out, nullptr, false);
  return build;
}

// What a fresh full build of `site`'s current sources writes.
OutputTree fresh_build_of(const fs::path& site) {
  ScratchDir fresh;
  copy_site_sources(site, fresh.path());
  SiteBuild full = build_site(fresh.path());
  INFO(full.result.err);
  REQUIRE(full.result.exit_code == 0);
  return OutputTree::read(fresh / "out");
}

// Every file of `before` is still there, holding its old bytes or those of
// `target`; every file there holds one of the two.
void check_nothing_lost(const OutputTree& now, const OutputTree& before, const OutputTree& target) {
  for (const auto& [path, bytes] : before.entries) {
    INFO(path << " was there before the failed build");
    CHECK(now.has(path));
  }
  for (const auto& [path, bytes] : now.entries) {
    if (path.ends_with("/")) continue;
    std::string seen = comparable(path, bytes);
    auto old = before.entries.find(path);
    auto wanted = target.entries.find(path);
    INFO(path << " holds:\n" << bytes.substr(0, 300));
    CHECK(((old != before.entries.end() && comparable(path, old->second) == seen) ||
           (wanted != target.entries.end() && comparable(path, wanted->second) == seen)));
  }
}

// The next build writes exactly the fresh full build's output.
void check_converges(const fs::path& site, const fs::path& out) {
  OutputTree target = fresh_build_of(site);
  SiteBuild next = build_into(site, out);
  INFO("the build after the machine was fixed\n" << next.result.err);
  CHECK(next.result.exit_code == 0);
  CHECK(next.report["failed"] == json::array());
  CHECK(describe_difference(OutputTree::read(out), target, "next build", "full build") == "");
  CHECK(temp_folder_is_clear(out));
}

// Edits that change two published pages and add one of `body_bytes` of text.
void edit_site(const FixtureSite& site, size_t body_bytes) {
  site.replace("content/pages/acme/jobs/berlin.md", "Jobs in Berlin.", "Jobs in Berlin and Hamburg.");
  site.replace("content/pages/nova/index.md", "| 1 | 2 |", "| 1 | 2 |\n| 3 | 4 |");
  std::string body;
  while (body.size() < body_bytes) body += "A paragraph of the long page, with words enough to fill a line.\n\n";
  site.write("content/pages/acme/long.md", "---\ntitle: Long\n---\n" + body);
}

}  // namespace

TEST_CASE("a disk that fills up while out/ is written fails the build with exit 3 and loses nothing",
          "[cli][faults]") {
  FixtureSite site;
  ScratchDir disk_dir;
  auto disk = small_disk(disk_dir.path(), "256k");
  if (!disk) return;
  const fs::path out = disk_dir / "out";
  REQUIRE(build_into(site.root(), out).result.exit_code == 0);
  const OutputTree before = OutputTree::read(out);

  // A long new page and a large new static file do not fit in what is left;
  // the small edits may.
  edit_site(site, 64 * 1024);
  site.write("static/acme/video.txt", std::string(64 * 1024, 'v'));
  fill_disk(disk_dir / "filler", 16 * 1024);
  const OutputTree target = fresh_build_of(site.root());
  SiteBuild full = build_into(site.root(), out);
  INFO(full.result.err);
  CHECK(full.result.exit_code == kExitEnvironment);
  CHECK_THAT(full.result.err, Catch::Contains((out / "acme/long/index.html").string() +
                                              ": cannot write: No space left on device"));
  CHECK_THAT(full.result.err, !Catch::Contains("delete the .isrgen"));
  check_nothing_lost(OutputTree::read(out), before, target);
  CHECK_THAT(full.result.err, Catch::Contains((out / "acme/video.txt").string() +
                                              ": cannot write: No space left on device"));
  CHECK_FALSE(OutputTree::read(out).has("acme/long/index.html"));
  CHECK_FALSE(OutputTree::read(out).has("acme/video.txt"));
  CHECK(temp_folder_is_clear(out));

  // Space freed: the state index took the failure in, and the next build completes the output.
  fs::remove(disk_dir / "filler");
  check_converges(site.root(), out);
}

TEST_CASE("a disk that fills up while the state index commits fails with exit 3 and keeps the database",
          "[cli][faults]") {
  FixtureSite site;
  auto disk = small_disk(site / ".isrgen", "1m");
  if (!disk) return;
  REQUIRE(site.build().result.exit_code == 0);
  const OutputTree before = OutputTree::read(site.out());

  edit_site(site, 4 * 1024);
  // Room for the WAL index (32 KB) and a frame or two of the WAL: the
  // database opens, and the commit does not fit.
  fill_disk(site / ".isrgen/filler", 40 * 1024);
  const OutputTree target = fresh_build_of(site.root());
  auto full = site.build();
  INFO(full.result.err);
  CHECK(full.result.exit_code == kExitEnvironment);
  CHECK_THAT(full.result.err, Catch::Contains("no space left on the disk holding") &&
                                  Catch::Contains("the database still holds the last good state, keep it"));
  CHECK_THAT(full.result.err, !Catch::Contains("damaged"));
  // The outputs were written before the commit; the next build finds them right.
  CHECK(site.read_out("acme/long/index.html") != "");
  check_nothing_lost(OutputTree::read(site.out()), before, target);

  fs::remove(site / ".isrgen/filler");
  check_converges(site.root(), site.out());
}

TEST_CASE("a read-only output folder fails the build with exit 3 naming the folder", "[cli][faults]") {
  FixtureSite site;
  REQUIRE(site.build().result.exit_code == 0);
  const OutputTree before = OutputTree::read(site.out());
  edit_site(site, 1024);

  auto read_only = read_only_bind(site.out());
  if (!read_only) return;
  auto refused = site.build();
  INFO(refused.result.err);
  CHECK(refused.result.exit_code == kExitEnvironment);
  CHECK_THAT(refused.result.err, Catch::Contains("out/.isrgen-tmp: cannot create: Read-only file system") &&
                                     Catch::Contains("nothing was written or deleted"));
  CHECK(describe_difference(OutputTree::read(site.out()), before, "after", "before") == "");

  read_only->unmount();
  check_converges(site.root(), site.out());
}

TEST_CASE("a truncated or scrambled state.db is reported as damaged with the way out, and out/ stays as it was",
          "[cli][faults]") {
  for (const bool scrambled : {false, true}) {
    INFO((scrambled ? "state.db filled with random bytes" : "state.db truncated"));
    FixtureSite site;
    REQUIRE(site.build().result.exit_code == 0);
    const OutputTree before = OutputTree::read(site.out());
    const fs::path db = site / ".isrgen/state.db";
    const size_t size = fs::file_size(db);
    REQUIRE(size > 4096);
    if (scrambled) {
      std::mt19937_64 random(size);
      std::string bytes(size, '\0');
      for (char& byte : bytes) byte = static_cast<char>(random());
      write_text(db, bytes);
    } else {
      fs::resize_file(db, size / 3);
    }
    edit_site(site, 1024);

    auto damaged = site.build();
    INFO(damaged.result.err);
    CHECK(damaged.result.exit_code == kExitEnvironment);
    CHECK_THAT(damaged.result.err, Catch::Contains("state.db") && Catch::Contains("the database is damaged") &&
                                       Catch::Contains("move it aside"));
    CHECK(describe_difference(OutputTree::read(site.out()), before, "after", "before") == "");

    // The advice, followed: the next build renders every page once.
    fs::rename(db, site / ".isrgen/state.db.damaged");
    check_converges(site.root(), site.out());
  }
}

TEST_CASE("two builds of one site at once: the second waits with --wait, or exits 2 naming the first",
          "[cli][faults][lock]") {
  // The first build's fetch of a remote source is held by the API until the
  // test lets it go: the two builds overlap for certain, not by luck.
  std::promise<void> fetched, release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<bool> first{true};
  HttpTestServer api;
  api.on("/jobs", [&](const TestRequest&) {
    if (first.exchange(false)) {
      fetched.set_value();
      released.wait();
    }
    return TestResponse::json(kJobs);
  });
  RemoteSite site(api.url("/jobs"));
  auto run_args = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = {"build", "--site", site.root().string(), "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  };
  const std::vector<std::string> env = {"ISRGEN_NOW=" + std::to_string(kNow)};

  IsrgenProcess building(run_args({}), env);
  REQUIRE(fetched.get_future().wait_for(30s) == std::future_status::ready);
  const std::string holder = "in use by pid " + std::to_string(building.pid()) + " (isrgen build";

  auto refused = run_isrgen(run_args({}), env);
  CHECK(refused.exit_code == kExitUsage);
  CHECK_THAT(refused.err, Catch::Contains("the site is in use by pid " + std::to_string(building.pid())) &&
                              Catch::Contains("--wait SECONDS") && !Catch::Contains("database is locked"));

  IsrgenProcess waiting(run_args({"--wait", "60"}), env);
  REQUIRE(waiting.wait_for_output("waiting for the site, " + holder));
  release.set_value();
  CHECK(building.wait_exit() == 0);
  CHECK(waiting.wait_exit() == 0);
  json first_report = json::parse(building.out(), nullptr, false);
  json second_report = json::parse(waiting.out(), nullptr, false);
  INFO(building.err() << waiting.err());
  CHECK_FALSE(first_report["rendered"].empty());
  CHECK(second_report["rendered"] == json::array());
  CHECK(second_report["failed"] == json::array());

  ScratchDir fresh;
  copy_site_sources(site.root(), fresh.path());
  SiteBuild full = build_site(fresh.path(), env);
  REQUIRE(full.result.exit_code == 0);
  CHECK(describe_difference(OutputTree::read(site.out()), OutputTree::read(fresh / "out"), "after both", "full build") ==
        "");
}
