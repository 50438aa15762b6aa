#include "publish/redirect_record.h"

#include <catch2/catch.hpp>

#include "test_support.h"

using namespace isrgen;
using namespace isrgen::publish;

TEST_CASE("redirect record: by alias and by output, and empty when missing or not isrgen's") {
  testing::ScratchDir dir;
  CHECK(read_redirect_record(dir.path(), "acme").by_alias.empty());
  testing::write_text(dir.path() / "acme/.isrgen-redirects.json",
                      R"({"/old/": {"location": "https://acme.example/new/", "target": "/new/", "page": "acme/new",
                          "lang": "en", "output": "acme/old/index.html"},
                          "/broken/": {"target": "/x/"}})");
  RedirectRecord record = read_redirect_record(dir.path(), "acme");
  REQUIRE(record.by_alias.size() == 1);
  CHECK(record.by_alias.at("/old/").target == "/new/");
  CHECK(record.by_output.at("acme/old/index.html") == "https://acme.example/new/");
  CHECK(redirect_record_path("acme") == "acme/.isrgen-redirects.json");

  testing::write_text(dir.path() / "acme/.isrgen-redirects.json", "[1, 2]");
  CHECK(read_redirect_record(dir.path(), "acme").by_output.empty());
}
