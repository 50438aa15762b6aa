// run_build in-process, on the disk seam: a folder of the site that cannot be
// listed fails the build before anything is written or deleted.
#include "engine/builder.h"

#include <cerrno>

#include <catch2/catch.hpp>

#include "fixture_site.h"

using namespace isrgen;
using namespace isrgen::testing;

namespace {

class FailingLister final : public FolderLister {
 public:
  explicit FailingLister(fs::path failing) : failing_(std::move(failing)) {}
  FolderListing list(const fs::path& folder) const override {
    if (folder == failing_) return FolderListing{{}, EIO};
    return disk_folder_lister().list(folder);
  }

 private:
  fs::path failing_;
};

}  // namespace

TEST_CASE("a folder of the site that cannot be listed fails the build and deletes nothing", "[build][walk]") {
  ManualClock clock(1'795'000'000'000);
  for (const char* unlisted : {"content/pages/nova", "static/acme", "templates/partials"}) {
    INFO(unlisted);
    FixtureSite site;
    const SitePaths paths = make_site_paths(site.root(), "");
    BuildOptions options;
    REQUIRE(run_build(paths, options, clock).ok());
    const std::string nova = site.read_out("nova/index.html");
    const std::string css = site.read_out("acme/css/site.css");
    REQUIRE_FALSE(nova.empty());
    site.write("content/pages/acme/index.md", "---\ntitle: Changed\n---\nChanged.\n");

    FailingLister lister(paths.root / unlisted);
    options.lister = &lister;
    auto failed = run_build(paths, options, clock);
    REQUIRE_FALSE(failed.ok());
    CHECK(failed.error().kind == ErrorKind::kEnvironment);
    CHECK(failed.error().to_string() == (paths.root / unlisted).string() +
                                            ": cannot list the folder: Input/output error (nothing was written or "
                                            "deleted: make it readable and build again)");
    CHECK(site.read_out("nova/index.html") == nova);
    CHECK(site.read_out("acme/css/site.css") == css);
    CHECK_THAT(site.read_out("acme/index.html"), !Catch::Contains("Changed."));

    // Readable again: the build goes on as if nothing had happened.
    options.lister = &disk_folder_lister();
    auto recovered = run_build(paths, options, clock);
    REQUIRE(recovered.ok());
    CHECK(recovered.value().deleted.empty());
    CHECK_THAT(site.read_out("acme/index.html"), Catch::Contains("Changed."));
  }
}
