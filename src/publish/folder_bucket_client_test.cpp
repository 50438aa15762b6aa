#include "publish/folder_bucket_client.h"

#include <catch2/catch.hpp>

#include "publish/digest.h"
#include "test_support.h"

using namespace isrgen::publish;
using isrgen::testing::ScratchDir;
using isrgen::testing::read_text;
using isrgen::testing::write_text;

TEST_CASE("folder target: files are copied into place, listed with their MD5, removed with empty folders") {
  ScratchDir dir;
  write_text(dir / "src/page.html", "<p>hi</p>");
  auto client = make_folder_bucket_client(dir / "public");
  std::vector<ObjectUpload> uploads(2);
  uploads[0].key = "acme/summer/index.html";
  uploads[0].file = dir / "src/page.html";
  uploads[1].key = "acme/app.js.gz";
  uploads[1].body = "compressed";
  std::vector<std::string> outcomes(2, "not reported");
  client->upload(uploads, [&](size_t index, const isrgen::Status& status) {
    outcomes[index] = status.ok() ? "" : status.error().to_string();
  });
  CHECK(outcomes == std::vector<std::string>{"", ""});
  CHECK(read_text(dir / "public/acme/summer/index.html") == "<p>hi</p>");
  CHECK(read_text(dir / "public/acme/app.js.gz") == "compressed");
  CHECK_FALSE(std::filesystem::exists(dir / "public/.isrgen-tmp"));

  auto listed = client->list();
  REQUIRE(listed.ok());
  REQUIRE(listed.value().size() == 2);
  CHECK(listed.value()[0].key != listed.value()[1].key);
  for (const RemoteObject& object : listed.value())
    if (object.key == "acme/summer/index.html") {
      CHECK(object.size == 9);
      CHECK(object.etag == md5_hex("<p>hi</p>"));
    }

  client->remove({"acme/summer/index.html"}, [](size_t, const isrgen::Status& status) { CHECK(status.ok()); });
  CHECK_FALSE(std::filesystem::exists(dir / "public/acme/summer"));
  CHECK(std::filesystem::exists(dir / "public/acme/app.js.gz"));
}

TEST_CASE("folder target: an object that cannot be written is reported, and leaves no temporary file") {
  ScratchDir dir;
  write_text(dir / "src/page.html", "<p>hi</p>");
  write_text(dir / "public/acme", "a file where a folder is needed");
  auto client = make_folder_bucket_client(dir / "public");
  std::vector<ObjectUpload> uploads(3);
  uploads[0].key = "acme/summer/index.html";  // copied from a file
  uploads[0].file = dir / "src/page.html";
  uploads[1].key = "acme/app.js.gz";  // written from memory
  uploads[1].body = "compressed";
  uploads[2].key = "nova/index.html";
  uploads[2].file = dir / "src/page.html";
  std::vector<std::string> outcomes(3, "not reported");
  client->upload(uploads, [&](size_t index, const isrgen::Status& status) {
    outcomes[index] = status.ok() ? "" : status.error().to_string();
  });
  CHECK(outcomes[0].find("cannot create folder") != std::string::npos);
  CHECK(outcomes[1].find("cannot create folder") != std::string::npos);
  CHECK(outcomes[2] == "");
  CHECK(read_text(dir / "public/nova/index.html") == "<p>hi</p>");
  CHECK_FALSE(std::filesystem::exists(dir / "public/.isrgen-tmp"));

  // The folder for temporary files cannot be made: every write says so.
  write_text(dir / "other/.isrgen-tmp", "in the way");
  auto blocked = make_folder_bucket_client(dir / "other");
  std::string outcome = "not reported";
  blocked->upload({uploads[2]}, [&](size_t, const isrgen::Status& status) {
    outcome = status.ok() ? "" : status.error().to_string();
  });
  CHECK(outcome.find(".isrgen-tmp") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir / "other/nova/index.html"));
  CHECK(read_text(dir / "other/.isrgen-tmp") == "in the way");
}
