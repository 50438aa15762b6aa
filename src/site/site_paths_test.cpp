#include "site/site_paths.h"

#include <catch2/catch.hpp>

using namespace isrgen;

TEST_CASE("make_site_paths gives absolute folders without a trailing separator") {
  SitePaths dot = make_site_paths(".", "");
  CHECK(dot.root == std::filesystem::current_path());
  CHECK(dot.out == std::filesystem::current_path() / "out");
  CHECK(dot.state == std::filesystem::current_path() / ".isrgen");
  CHECK(make_site_paths("/srv/site/", "/srv/public/").root.native() == "/srv/site");
  CHECK(make_site_paths("/srv/site/", "/srv/public/").out.native() == "/srv/public");
  CHECK(make_site_paths("/srv/site/./a/..", "").root.native() == "/srv/site");
}
