#include "site/output_path.h"

#include <catch2/catch.hpp>

using isrgen::make_site_paths;
using isrgen::output_file_candidates;
using Names = std::vector<std::string>;

TEST_CASE("an output file is found in every form a shell completes it") {
  const std::filesystem::path site = "/srv/site";
  const isrgen::SitePaths paths = make_site_paths(site, "");

  // From the site folder, as the shell completes it, and as the output folder names it.
  CHECK(output_file_candidates("out/acme/index.html", paths, site).front() == "acme/index.html");
  CHECK(output_file_candidates("./out/acme/summer/", paths, site).front() == "acme/summer/index.html");
  CHECK(output_file_candidates("acme/index.html", paths, site) == Names{"acme/index.html"});
  // Absolute, from anywhere.
  CHECK(output_file_candidates("/srv/site/out/acme/summer/index.html", paths, "/home/me") ==
        Names{"acme/summer/index.html"});
  CHECK(output_file_candidates("/srv/elsewhere/acme/index.html", paths, site).empty());
  // From above the site, and from inside the output folder.
  CHECK(output_file_candidates("site/out/acme/index.html", paths, "/srv").front() == "acme/index.html");
  CHECK(output_file_candidates("summer/index.html", paths, "/srv/site/out/acme").front() == "acme/summer/index.html");
  // With the out/ prefix from elsewhere: the prefix goes.
  CHECK(output_file_candidates("out/acme/index.html", paths, "/home/me") == Names{"acme/index.html", "out/acme/index.html"});
}

TEST_CASE("a folder or a metadata file stands for the page's index.html") {
  const isrgen::SitePaths paths = make_site_paths("/srv/site", "/srv/public");
  CHECK(output_file_candidates("acme/summer", paths, "/") == Names{"acme/summer/index.html"});
  CHECK(output_file_candidates("acme/summer/index.metadata.json", paths, "/") == Names{"acme/summer/index.html"});
  // An output folder outside the site has no prefix to drop.
  CHECK(output_file_candidates("/srv/public/acme/", paths, "/") == Names{"acme/index.html"});
  CHECK(output_file_candidates("public/acme/index.html", paths, "/srv") == Names{"acme/index.html", "public/acme/index.html"});
}
