#include "assets/asset_reference.h"

#include <catch2/catch.hpp>

using namespace isrgen::assets;

namespace {
std::string resolved(std::string_view url, std::string_view page_url = "/summer/") {
  auto reference = resolve_asset_reference(url, page_url, "https://acme.example");
  if (!reference) return "-";
  return (reference->absolute ? "abs:" : "") + reference->path;
}
}  // namespace

TEST_CASE("asset reference: root-relative, page-relative and absolute URLs on the tenant's host") {
  CHECK(resolved("/img/a.jpg") == "img/a.jpg");
  CHECK(resolved("img/a.jpg") == "summer/img/a.jpg");
  CHECK(resolved("../img/a.jpg") == "img/a.jpg");
  CHECK(resolved("./a.jpg", "/") == "a.jpg");
  CHECK(resolved("a.jpg", "/blog/post") == "blog/a.jpg");
  CHECK(resolved("https://acme.example/img/a.jpg") == "abs:img/a.jpg");
  CHECK(resolved("HTTPS://ACME.example/img/a.jpg") == "abs:img/a.jpg");
  CHECK(resolved(" /img/my%20photo.jpg ") == "img/my photo.jpg");
}

TEST_CASE("asset reference: other hosts, schemes, queries and escapes name no file") {
  CHECK(resolved("https://cdn.example/img/a.jpg") == "-");
  CHECK(resolved("https://acme.example.evil/img/a.jpg") == "-");
  CHECK(resolved("//acme.example/img/a.jpg") == "-");
  CHECK(resolved("data:image/png;base64,AAAA") == "-");
  CHECK(resolved("/img/a.jpg?v=2") == "-");
  CHECK(resolved("/img/a.jpg#x") == "-");
  CHECK(resolved("/../../etc/passwd") == "-");
  CHECK(resolved("/img/%2e%2e%2f%2e%2e%2fsecret") == "-");
  CHECK(resolved("/img/") == "-");
  CHECK(resolved("/img/a%2") == "-");
  CHECK(resolved("") == "-");
}

TEST_CASE("asset reference: URLs written back, and extensions") {
  CHECK(asset_url("img/my photo.640w.webp", false, "https://acme.example") == "/img/my%20photo.640w.webp");
  CHECK(asset_url("img/a.jpg", true, "https://acme.example/") == "https://acme.example/img/a.jpg");
  CHECK(extension_of("img/A.JPG") == "jpg");
  CHECK(extension_of("img.d/readme") == "");
}

TEST_CASE("asset reference: remote images on the listed hosts only") {
  const std::vector<std::string> hosts = {"cms.example"};
  auto hero = resolve_remote_reference(" https://CMS.example:8443/assets/Hero Shot.v2.jpg?w=1 ", hosts);
  CHECK_FALSE(hero);  // a space inside the URL
  auto found = resolve_remote_reference("https://CMS.example:8443/assets/hero_shot.v2.jpg?w=1", hosts);
  REQUIRE(found);
  CHECK(found->url == "https://CMS.example:8443/assets/hero_shot.v2.jpg?w=1");
  CHECK(found->name == "hero_shot-v2");
  CHECK(resolve_remote_reference("http://cms.example/", hosts)->name == "image");
  CHECK_FALSE(resolve_remote_reference("https://cms.example.evil/a.jpg", hosts));
  CHECK_FALSE(resolve_remote_reference("https://user:pw@cms.example/a.jpg", hosts));
  CHECK_FALSE(resolve_remote_reference("ftp://cms.example/a.jpg", hosts));
  CHECK_FALSE(resolve_remote_reference("/a.jpg", hosts));
  CHECK_FALSE(resolve_remote_reference("https://cms.example/a.jpg", {}));
}
