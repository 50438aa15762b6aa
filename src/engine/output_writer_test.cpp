// Publishing a page on the disk seam: bytes that did not change are not
// rewritten, and a rewrite replaces the file whole.
#include "engine/output_writer.h"

#include <sys/stat.h>

#include <fstream>
#include <iterator>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "engine/recording_disk.h"
#include "test_support.h"
#include "util/clock.h"
#include "util/hash.h"

using namespace isrgen;
using isrgen::testing::read_text;
using isrgen::testing::ScratchDir;
using isrgen::testing::write_text;

namespace {

constexpr int64_t kFirst = 1'795'000'000'000;  // unix ms
constexpr int64_t kLater = kFirst + 60'000;

RenderedPage summer(const std::string& html) {
  RenderedPage page;
  page.page = "acme/summer";
  page.tenant = "acme";
  page.lang = "en";
  page.url = "/summer/";
  page.permalink = "https://acme.example/summer/";
  page.output = "acme/summer/index.html";
  page.priority = "high";
  page.html = html;
  page.tags = {"layout:page", "page:acme/summer", "source:models"};
  page.inputs = {{"content/pages/acme/summer.md", "h-1"}};
  return page;
}

struct Output {
  ScratchDir dir;
  fs::path out = dir / "out";
  RecordingDisk disk;
  Output() { REQUIRE(disk.prepare_output(out).ok()); }
  fs::path html() const { return out / "acme/summer/index.html"; }
  fs::path metadata() const { return out / "acme/summer/index.metadata.json"; }
  WrittenPage write(const RenderedPage& page, const PageRecord* previous, bool as_recorded, int64_t now_ms) {
    auto written = write_page(disk, out, page, previous, as_recorded, nullptr, now_ms);
    REQUIRE(written.ok());
    return written.value();
  }
};

struct stat stat_of(const fs::path& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st;
}

}  // namespace

TEST_CASE("a new page's HTML and metadata are written, and its record describes them", "[build][output]") {
  Output output;
  WrittenPage written = output.write(summer("<h1>Summer</h1>"), nullptr, false, kFirst);
  CHECK(written.html_changed);
  CHECK(read_text(output.html()) == "<h1>Summer</h1>");
  CHECK(output.disk.written_files() ==
        std::vector<std::string>{"acme/summer/index.html", "acme/summer/index.metadata.json"});

  const PageRecord& record = written.record;
  CHECK(record.key == PageKey{"acme/summer", "en"});
  CHECK(record.output == "acme/summer/index.html");
  CHECK(record.output_hash == content_hash("<h1>Summer</h1>"));
  CHECK(record.generated_at_ms == kFirst);
  CHECK(record.tags == std::vector<std::string>{"layout:page", "page:acme/summer", "source:models"});
  CHECK(record.output_signature == file_signature(output.html()) + "|" + file_signature(output.metadata()));

  auto metadata = nlohmann::json::parse(read_text(output.metadata()));
  CHECK(metadata["page"] == "acme/summer");
  CHECK(metadata["output_hash"] == record.output_hash);
  CHECK(metadata["generated_at"] == format_iso8601_utc(kFirst));
  CHECK(metadata["inputs"] == nlohmann::json::parse(R"([{"path": "content/pages/acme/summer.md", "hash": "h-1"}])"));
}

TEST_CASE("a page rendered to the same bytes is not rewritten and keeps its generated_at", "[build][output]") {
  Output output;
  PageRecord first = output.write(summer("<h1>Summer</h1>"), nullptr, false, kFirst).record;
  const struct stat html_before = stat_of(output.html());
  const struct stat metadata_before = stat_of(output.metadata());
  output.disk.clear();

  SECTION("compared with the files on disk") {
    WrittenPage again = output.write(summer("<h1>Summer</h1>"), &first, false, kLater);
    CHECK_FALSE(again.html_changed);
    CHECK(again.record.generated_at_ms == kFirst);
    CHECK(output.disk.writes().size() == 2);
    CHECK(output.disk.written_files().empty());
  }
  SECTION("the files as recorded: the recorded hash answers, the HTML is not even read") {
    WrittenPage again = output.write(summer("<h1>Summer</h1>"), &first, true, kLater);
    CHECK_FALSE(again.html_changed);
    CHECK(again.record.generated_at_ms == kFirst);
    REQUIRE(output.disk.writes().size() == 1);
    CHECK(output.disk.writes()[0].file == "acme/summer/index.metadata.json");
    CHECK(output.disk.written_files().empty());
    CHECK(again.record.output_signature == first.output_signature);
  }
  const struct stat html_after = stat_of(output.html());
  const struct stat metadata_after = stat_of(output.metadata());
  CHECK(html_after.st_ino == html_before.st_ino);
  CHECK(html_after.st_mtim.tv_sec == html_before.st_mtim.tv_sec);
  CHECK(html_after.st_mtim.tv_nsec == html_before.st_mtim.tv_nsec);
  CHECK(metadata_after.st_ino == metadata_before.st_ino);
  CHECK(metadata_after.st_mtim.tv_sec == metadata_before.st_mtim.tv_sec);
  CHECK(metadata_after.st_mtim.tv_nsec == metadata_before.st_mtim.tv_nsec);
}

TEST_CASE("changed HTML replaces the file whole: a reader of the old one still reads all of it", "[build][output]") {
  const std::string old_html = "<h1>Summer</h1>" + std::string(100'000, 'x');
  for (bool as_recorded : {false, true}) {
    INFO("output as recorded: " << as_recorded);
    Output output;
    PageRecord first = output.write(summer(old_html), nullptr, false, kFirst).record;
    std::ifstream reader(output.html(), std::ios::binary);
    REQUIRE(reader.get() == '<');
    output.disk.clear();

    WrittenPage again = output.write(summer("<h1>Winter</h1>"), &first, as_recorded, kLater);
    CHECK(again.html_changed);
    CHECK(again.record.generated_at_ms == kLater);
    CHECK(read_text(output.html()) == "<h1>Winter</h1>");
    std::string rest((std::istreambuf_iterator<char>(reader)), std::istreambuf_iterator<char>());
    CHECK(rest == old_html.substr(1));
    REQUIRE_FALSE(output.disk.writes().empty());
    // Known to differ from the recorded hash: written without reading the old file back.
    CHECK(output.disk.writes()[0].mode == (as_recorded ? WriteMode::kReplace : WriteMode::kIfChanged));
    // So is the metadata, whose output_hash changes with the HTML.
    REQUIRE(output.disk.writes().size() == 2);
    CHECK(output.disk.writes()[1].mode == (as_recorded ? WriteMode::kReplace : WriteMode::kIfChanged));
    CHECK(output.disk.written_files() ==
          std::vector<std::string>{"acme/summer/index.html", "acme/summer/index.metadata.json"});
    CHECK(nlohmann::json::parse(read_text(output.metadata()))["generated_at"] == format_iso8601_utc(kLater));
  }
}

TEST_CASE("an output edited by hand is restored when the files are not as recorded", "[build][output]") {
  Output output;
  PageRecord first = output.write(summer("<h1>Summer</h1>"), nullptr, false, kFirst).record;
  write_text(output.html(), "<h1>Hacked</h1>");
  output.write(summer("<h1>Summer</h1>"), &first, false, kLater);
  CHECK(read_text(output.html()) == "<h1>Summer</h1>");
}

TEST_CASE("a page whose file cannot be written is the error, and its record is not made", "[build][output]") {
  Output output;
  output.disk.fail_writes_to("acme/summer/index.metadata.json");
  auto written = write_page(output.disk, output.out, summer("<h1>Summer</h1>"), nullptr, false, nullptr, kFirst);
  REQUIRE_FALSE(written.ok());
  CHECK(written.error().kind == ErrorKind::kEnvironment);
  CHECK(written.error().file == output.metadata().string());
}

TEST_CASE("output signatures: both files stat'ed per slot, one side empty for a missing file", "[build][output]") {
  Output output;
  output.write(summer("<h1>Summer</h1>"), nullptr, false, kFirst);
  write_text(output.out / "acme/index.html", "<h1>Home</h1>");  // its metadata is missing
  std::vector<VariantSlot> slots = {
      {{"acme/summer", "en"}, "acme/summer/index.html", 0, {}},
      {{"acme/index", "en"}, "acme/index.html", 1, {}},
      {{"acme/gone", "en"}, "acme/gone/index.html", 2, {}},
      {{"acme/clash", "en"}, "acme/index.html", 3, make_error("content/pages/acme/clash.md", 0, "publishes twice")}};
  output.disk.clear();
  std::vector<std::string> signatures = output_signatures(output.disk, output.out, slots, 2);
  REQUIRE(signatures.size() == 4);
  CHECK(signatures[0] == file_signature(output.html()) + "|" + file_signature(output.metadata()));
  CHECK(signatures[1] == file_signature(output.out / "acme/index.html") + "|");
  CHECK(signatures[2] == "|");
  CHECK(signatures[3].empty());
  CHECK(output.disk.stated().size() == 6);  // not the slot with a problem
}
