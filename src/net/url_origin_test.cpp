#include "net/url_origin.h"

#include <catch2/catch.hpp>

using namespace isrgen::net;

TEST_CASE("url origin: scheme, host and port, in lower case with the default port spelled out") {
  CHECK(url_origin("http://127.0.0.1:8080/jobs?page=2") == "http://127.0.0.1:8080");
  CHECK(url_origin("HTTPS://API.Example.com/v1/") == "https://api.example.com:443");
  CHECK(url_origin("http://api.example.com") == url_origin("http://api.example.com:80/other"));
  CHECK(url_origin("http://user:secret@api.example.com/") == "http://api.example.com:80");
  CHECK(url_origin("https://api.example.com/") != url_origin("http://api.example.com/"));
  CHECK(url_origin("not a url").empty());
}

TEST_CASE("url origin: a user or password in the url is a credential") {
  CHECK(url_has_userinfo("https://user:secret@api.example.com/"));
  CHECK(url_has_userinfo("https://token@api.example.com/"));
  CHECK_FALSE(url_has_userinfo("https://api.example.com/jobs?user=x"));
  CHECK_FALSE(url_has_userinfo("not a url"));
}
