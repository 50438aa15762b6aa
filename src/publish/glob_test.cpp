#include "publish/glob.h"

#include <catch2/catch.hpp>

using isrgen::publish::glob_matches;

TEST_CASE("glob: a double star spans folders, a star and a question mark stay in one segment") {
  CHECK(glob_matches("**/*.html", "index.html"));
  CHECK(glob_matches("**/*.html", "acme/summer/index.html"));
  CHECK_FALSE(glob_matches("**/*.html", "acme/site.css"));
  CHECK(glob_matches("*.css", "site.css"));
  CHECK_FALSE(glob_matches("*.css", "acme/site.css"));
  CHECK(glob_matches("acme/**", "acme/css/site.css"));
  CHECK_FALSE(glob_matches("acme/**", "nova/index.html"));
  CHECK(glob_matches("**/assets/*.??.js", "acme/assets/app.1a.js"));
  CHECK_FALSE(glob_matches("**/assets/*.??.js", "acme/assets/app.1.js"));
  CHECK(glob_matches("**/index.metadata.json", "acme/de/index.metadata.json"));
  CHECK_FALSE(glob_matches("a?c", "a/c"));
}
