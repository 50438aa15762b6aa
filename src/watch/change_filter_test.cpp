#include "watch/change_filter.h"

#include <catch2/catch.hpp>

using isrgen::watch::is_ignored_change;

TEST_CASE("change filter ignores the files editors leave while saving") {
  for (const char* path : {"content/pages/acme/4913", "content/pages/acme/.summer.md.swp",
                           "templates/layouts/.page.mustache.swx", "content/pages/acme/summer.md~",
                           "content/pages/acme/.#summer.md", "content/pages/acme/#summer.md#",
                           "static/acme/.DS_Store", "content/pages/acme/summer.md.tmp",
                           "content/pages/acme/.summer.md.tmp", "templates/partials/nav.mustache___jb_tmp___",
                           "content/data/.goutputstream-ABC123", "content/pages/acme/sedAb3xQ9",
                           "templates/partials/nav.mustache___jb_old___", "templates/layouts/.page.mustache.swo",
                           "content/pages/acme/summer.md.kate-swp", "static/acme/style.css~"}) {
    INFO(path);
    CHECK(is_ignored_change(path, "out"));
  }
}

TEST_CASE("change filter keeps real inputs, dot-files included") {
  for (const char* path : {"content/site.toml", "content/pages/acme/summer.md", "content/pages/acme/4913.md",
                           "templates/components/HERO_BANNER.mustache", "static/acme/.well-known/security.txt",
                           "static/acme/#hash", "content/pages/outreach/index.md", "static/acme/out/logo.png",
                           "content/pages/acme/sedan.md", "content/pages/acme/sedAb3xQ9.md", "static/acme/sed-1234",
                           "static/acme/sedAb3xQ9x"}) {
    INFO(path);
    CHECK_FALSE(is_ignored_change(path, "out"));
  }
}

TEST_CASE("change filter ignores the state folder and the output folder") {
  CHECK(is_ignored_change(".isrgen/state.db", "out"));
  CHECK(is_ignored_change(".isrgen", "out"));
  CHECK(is_ignored_change("out/acme/index.html", "out"));
  CHECK(is_ignored_change("public/acme/index.html", "public"));
  CHECK_FALSE(is_ignored_change("outline/a.md", "out"));
  CHECK_FALSE(is_ignored_change("out/acme/index.html", ""));  // output outside the site
}

TEST_CASE("change filter: a path is under a folder it names or lies below") {
  using isrgen::watch::is_under;
  CHECK(is_under("content", "content"));
  CHECK(is_under("content/pages/a.md", "content"));
  CHECK(is_under("content/pages/a.md", "content/pages"));
  CHECK_FALSE(is_under("contents/a.md", "content"));
  CHECK_FALSE(is_under("content", "content/pages"));
  CHECK_FALSE(is_under("content/a.md", ""));
}
