#include "site/page_urls.h"

#include <catch2/catch.hpp>

using namespace isrgen;

TEST_CASE("page_address follows the output layout of the contract") {
  CHECK(page_address("acme", "summer", "en", "en").output == "acme/summer/index.html");
  CHECK(page_address("acme", "summer", "en", "en").url == "/summer/");
  CHECK(page_address("acme", "index", "en", "en").output == "acme/index.html");
  CHECK(page_address("acme", "index", "en", "en").url == "/");
  CHECK(page_address("acme", "summer", "de", "en").output == "acme/de/summer/index.html");
  CHECK(page_address("acme", "summer", "de", "en").url == "/de/summer/");
  CHECK(page_address("acme", "index", "de", "en").output == "acme/de/index.html");
  CHECK(page_address("acme", "jobs/berlin", "en", "en").output == "acme/jobs/berlin/index.html");
  CHECK(page_address("acme", "jobs/index", "de", "en").url == "/de/jobs/");
}

TEST_CASE("metadata_path_for sits beside the page") {
  CHECK(metadata_path_for("acme/summer/index.html") == "acme/summer/index.metadata.json");
  CHECK(metadata_path_for("acme/index.html") == "acme/index.metadata.json");
}
