// What `cmake --install` and scripts/package give a machine that never built
// isrgen: the package is made with CPack from this build tree, unpacked with
// dpkg-deb as apt would, and its isrgen run on a fixture site.
#include <catch2/catch.hpp>

#include "fixture_site.h"

using namespace isrgen::testing;

namespace {

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

CommandResult must_run(const std::vector<std::string>& command) {
  CommandResult ran = run_program(command);
  INFO(command.front() << ": " << ran.out << ran.err);
  REQUIRE(ran.exit_code == 0);
  return ran;
}

// The man page under `prefix`, decompressed.
std::string man_page(const fs::path& prefix) {
  const fs::path page = prefix / "share/man/man1/isrgen.1.gz";
  REQUIRE(fs::exists(page));
  return must_run({"gzip", "-dc", page.string()}).out;
}

// The man page is the binary's help: every command is there with its options.
void check_man_page(const std::string& page) {
  CHECK(page.starts_with(".TH ISRGEN 1 "));
  for (const char* command : {"build", "revalidate", "inspect tag", "inspect page", "inspect sources", "why", "sync",
                              "watch", "serve"})
    CHECK(contains(page, std::string(".SS \"isrgen ") + command + "\"\n"));
  CHECK(contains(page, "\\-\\-max\\-deletes"));
  CHECK(contains(page, ".SH EXIT STATUS"));
}

// The unpacked or installed binary builds a site as the built one does.
void check_builds_a_site(const fs::path& binary) {
  FixtureSite site;
  CommandResult ran = run_program({binary.string(), "build", "--site", site.root().string(), "--json"});
  INFO(ran.err);
  REQUIRE(ran.exit_code == 0);
  auto report = nlohmann::json::parse(ran.out);
  CHECK(report["failed"].empty());
  CHECK(report["stats"]["rendered"].get<int>() > 0);
  CHECK(contains(site.read_out("acme/index.html"), "<html"));
}

}  // namespace

TEST_CASE("cmake --install puts isrgen, its man page, the README and the schemas under the prefix", "[package]") {
  ScratchDir prefix;
  must_run({"cmake", "--install", build_dir().string(), "--prefix", prefix.path().string()});
  const fs::path binary = prefix / "bin/isrgen";
  REQUIRE(fs::exists(binary));
  CHECK(must_run({binary.string(), "--version"}).out.starts_with("isrgen "));
  check_man_page(man_page(prefix.path()));
  CHECK(read_text(prefix / "share/doc/isrgen/README.md") == read_text(source_dir() / "README.md"));
  CHECK(fs::exists(prefix / "share/doc/isrgen/schemas/build.schema.json"));
  check_builds_a_site(binary);
}

TEST_CASE("the Debian package depends on the libraries isrgen links and runs once unpacked", "[package]") {
  ScratchDir scratch;
  must_run({"cpack", "--config", (build_dir() / "CPackConfig.cmake").string(), "-B", scratch.path().string()});
  fs::path deb;
  for (const auto& entry : fs::directory_iterator(scratch.path()))
    if (entry.path().extension() == ".deb") deb = entry.path();
  REQUIRE(!deb.empty());
  CHECK(deb.filename().string().starts_with("isrgen_"));

  CHECK(must_run({"dpkg-deb", "-f", deb.string(), "Package"}).out == "isrgen\n");
  const std::string depends = must_run({"dpkg-deb", "-f", deb.string(), "Depends"}).out;
  INFO("Depends: " << depends);
  for (const char* library : {"libc6", "libcurl4", "libsqlite3-0", "libcmark-gfm0", "libcmark-gfm-extensions0",
                              "libyaml-0-2", "libssl3", "libstdc++6"})
    CHECK(contains(depends, library));

  const fs::path root = scratch / "root";
  must_run({"dpkg-deb", "-x", deb.string(), root.string()});
  const fs::path binary = root / "usr/bin/isrgen";
  REQUIRE(fs::exists(binary));
  CommandResult version = must_run({binary.string(), "--version"});
  CHECK(version.out.starts_with("isrgen "));
  // The version is the package's.
  const std::string package_version = must_run({"dpkg-deb", "-f", deb.string(), "Version"}).out;
  CHECK(version.out.starts_with("isrgen " + package_version.substr(0, package_version.size() - 1) + " "));
  check_man_page(man_page(root / "usr"));
  CHECK(fs::exists(root / "usr/share/doc/isrgen/README.md"));
  check_builds_a_site(binary);
}
