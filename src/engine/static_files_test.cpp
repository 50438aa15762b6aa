// Static files on the disk seam: copied when new, changed or spoiled in the
// output; left alone otherwise; deleted and forgotten when gone.
#include "engine/static_files.h"

#include <catch2/catch.hpp>

#include "engine/recording_disk.h"
#include "test_images.h"
#include "test_support.h"
#include "util/fs.h"
#include "util/hash.h"

using namespace isrgen;
using isrgen::testing::read_text;
using isrgen::testing::ScratchDir;
using isrgen::testing::write_text;

namespace {

struct Site {
  ScratchDir dir;
  SitePaths paths = make_site_paths(dir.path(), "");
  SiteConfig config = parse_site_config("[tenants.acme]\nbase_url = \"https://acme.example\"\n"
                                        "[tenants.nova]\nbase_url = \"https://nova.example\"\n",
                                        "content/site.toml")
                          .value();
  InputScan scan;
  std::map<std::string, StoredStaticFile> previous;
  std::set<std::string> page_outputs = {"acme/index.html", "acme/summer/index.html"};
  RecordingDisk disk;

  Site() {
    add("static/acme/css/site.css", "body { color: black }");
    add("static/nova/logo.svg", "<svg/>");
    REQUIRE(disk.prepare_output(paths.out).ok());
  }
  // A static file of the site, as the input scan saw it.
  void add(const std::string& path, const std::string& bytes) {
    write_text(paths.root / path, bytes);
    scan.current[path] = StoredInput{file_signature(paths.root / path), content_hash(bytes)};
  }
  void drop(const std::string& path) {
    fs::remove(paths.root / path);
    scan.current.erase(path);
  }
  StaticSync sync() { return sync_static_files(paths, config, scan, previous, page_outputs, disk); }
  // Syncs, and makes the outcome what the next build compares with.
  StaticSync sync_and_keep() {
    StaticSync synced = sync();
    previous = synced.outputs;
    disk.clear();
    return synced;
  }
};

std::vector<std::string> keys_of(const std::map<std::string, StoredStaticFile>& files) {
  std::vector<std::string> keys;
  for (const auto& [key, file] : files) keys.push_back(key);
  return keys;
}

}  // namespace

TEST_CASE("new static files are copied to the tenant's output folder and recorded", "[build][static]") {
  Site site;
  StaticSync synced = site.sync();
  CHECK(synced.errors.empty());
  CHECK(read_text(site.paths.out / "acme/css/site.css") == "body { color: black }");
  CHECK(read_text(site.paths.out / "nova/logo.svg") == "<svg/>");
  CHECK(keys_of(synced.outputs) == std::vector<std::string>{"acme/css/site.css", "nova/logo.svg"});
  const StoredStaticFile& css = synced.outputs.at("acme/css/site.css");
  CHECK(css.hash == content_hash("body { color: black }"));
  CHECK(css.signature == file_signature(site.paths.out / "acme/css/site.css"));
  CHECK(site.disk.written_files() == std::vector<std::string>{"acme/css/site.css", "nova/logo.svg"});
  CHECK(synced.deleted.empty());
  CHECK(synced.forgotten.empty());
}

TEST_CASE("an unchanged static file whose copy is intact is neither read nor written", "[build][static]") {
  Site site;
  site.sync_and_keep();
  StaticSync again = site.sync();
  CHECK(site.disk.reads().empty());
  CHECK(site.disk.writes().empty());
  CHECK(again.outputs.at("acme/css/site.css").signature == site.previous.at("acme/css/site.css").signature);
  CHECK(again.outputs.size() == 2);
}

TEST_CASE("a changed static file, or a copy edited or deleted in the output, is copied again", "[build][static]") {
  Site site;
  site.sync_and_keep();
  site.add("static/acme/css/site.css", "body { color: red }");
  write_text(site.paths.out / "nova/logo.svg", "<svg>defaced</svg>");
  StaticSync synced = site.sync();
  CHECK(read_text(site.paths.out / "acme/css/site.css") == "body { color: red }");
  CHECK(read_text(site.paths.out / "nova/logo.svg") == "<svg/>");
  CHECK(synced.outputs.at("acme/css/site.css").hash == content_hash("body { color: red }"));
  CHECK(synced.outputs.at("nova/logo.svg").signature == file_signature(site.paths.out / "nova/logo.svg"));

  site.previous = synced.outputs;
  fs::remove(site.paths.out / "nova/logo.svg");
  site.sync();
  CHECK(read_text(site.paths.out / "nova/logo.svg") == "<svg/>");
}

TEST_CASE("a static file gone from the site: its copy is deleted with emptied folders, and forgotten",
          "[build][static]") {
  Site site;
  site.sync_and_keep();
  site.drop("static/acme/css/site.css");
  StaticSync synced = site.sync();
  CHECK(synced.deleted == std::vector<std::string>{"acme/css/site.css"});
  CHECK(synced.forgotten == std::vector<std::string>{"acme/css/site.css"});
  CHECK(site.disk.removed() == std::vector<std::string>{"acme/css/site.css"});
  CHECK_FALSE(fs::exists(site.paths.out / "acme/css"));
  CHECK(keys_of(synced.outputs) == std::vector<std::string>{"nova/logo.svg"});
}

TEST_CASE("a static file never lands where a page publishes, and a page's file is never removed as static",
          "[build][static]") {
  Site site;
  site.add("static/acme/summer/index.metadata.json", "{}");
  site.previous["acme/index.html"] = StoredStaticFile{"h", "s"};  // copied before the page existed
  write_text(site.paths.out / "acme/index.html", "<h1>Home page</h1>");
  StaticSync synced = site.sync();
  REQUIRE(synced.errors.size() == 1);
  CHECK(synced.errors[0].file == "static/acme/summer/index.metadata.json");
  CHECK_THAT(synced.errors[0].message, Catch::Contains("would overwrite acme/summer/index.html"));
  CHECK_FALSE(fs::exists(site.paths.out / "acme/summer/index.metadata.json"));
  CHECK(synced.forgotten == std::vector<std::string>{"acme/index.html"});
  CHECK(synced.deleted.empty());
  CHECK(read_text(site.paths.out / "acme/index.html") == "<h1>Home page</h1>");
}

TEST_CASE("static files outside a configured tenant's folder are refused", "[build][static]") {
  Site site;
  site.add("static/robots.txt", "User-agent: *");
  site.add("static/zeta/app.js", "run()");
  StaticSync synced = site.sync();
  REQUIRE(synced.errors.size() == 2);
  for (const Error& error : synced.errors)
    CHECK(error.message == "static files belong in static/<tenant>/ of a configured tenant");
  CHECK_FALSE(fs::exists(site.paths.out / "robots.txt"));
  CHECK_FALSE(fs::exists(site.paths.out / "zeta"));
  CHECK(synced.outputs.size() == 2);
}

TEST_CASE("a static file that cannot be copied is reported; the others are copied", "[build][static]") {
  Site site;
  site.disk.fail_writes_to("acme/css/site.css");
  StaticSync synced = site.sync();
  REQUIRE(synced.errors.size() == 1);
  CHECK(synced.errors[0].kind == ErrorKind::kEnvironment);
  CHECK(keys_of(synced.outputs) == std::vector<std::string>{"nova/logo.svg"});
  CHECK(read_text(site.paths.out / "nova/logo.svg") == "<svg/>");
}

TEST_CASE("a JPEG's copy is published without its metadata, copied again when the setting or the copy's age differs",
          "[build][static]") {
  Site site;
  const std::string shot = isrgen::testing::make_jpeg(40, 30, {.gps = true});
  site.add("static/acme/img/photo.JPG", shot);
  site.add("static/acme/img/notes.txt", shot);  // the same bytes under another name: copied as they are
  StaticSync stripped = site.sync_and_keep();
  const std::string published = read_text(site.paths.out / "acme/img/photo.JPG");
  CHECK(published.size() < shot.size());
  CHECK_FALSE(isrgen::testing::read_image(published).has_gps);
  CHECK(read_text(site.paths.out / "acme/img/notes.txt") == shot);
  CHECK(stripped.outputs.at("acme/img/photo.JPG").hash != content_hash(shot));

  site.sync();
  CHECK(site.disk.writes().empty());  // the stripped copy is intact

  // A copy recorded by a build that did not strip is stripped again; so is
  // the copy published as shot when the setting is turned off.
  site.previous.at("acme/img/photo.JPG").hash = content_hash(shot);
  write_text(site.paths.out / "acme/img/photo.JPG", shot);
  site.previous.at("acme/img/photo.JPG").signature = file_signature(site.paths.out / "acme/img/photo.JPG");
  site.sync_and_keep();
  CHECK(read_text(site.paths.out / "acme/img/photo.JPG") == published);
  site.config.images.strip_metadata = false;
  site.sync();
  CHECK(read_text(site.paths.out / "acme/img/photo.JPG") == shot);
}

TEST_CASE("a PNG's copy is published without its text chunks", "[build][static]") {
  Site site;
  const std::string saved = isrgen::testing::make_png(20, 10);
  REQUIRE(saved.find("tEXt") == std::string::npos);
  const size_t after_header = 8 + 25;  // the signature and IHDR
  const std::string text_chunk("\0\0\0\x0AtEXtGPS\0" "52.52N" "crc!", 22);  // a strip never needs the CRC
  site.add("static/acme/img/map.png", saved.substr(0, after_header) + text_chunk + saved.substr(after_header));
  site.sync();
  CHECK(read_text(site.paths.out / "acme/img/map.png") == saved);
}
