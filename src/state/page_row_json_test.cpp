#include "state/page_row_json.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace isrgen;

TEST_CASE("append_json_string writes what nlohmann::json writes", "[state]") {
  const std::vector<std::string> texts = {
      "",
      "models:m-1",
      "say \"hi\"\\ now",
      std::string("tab\tnew\nline\rfeed\fback\bnul\0!", 28),
      "\x01\x1f\x7f",
      "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80",
      "</script>&<'",
  };
  for (const std::string& text : texts) {
    std::string out = "x";
    append_json_string(out, text);
    CHECK(out == "x" + nlohmann::json(text).dump());
    CHECK(nlohmann::json::parse(out.substr(1)).get<std::string>() == text);
  }
}

TEST_CASE("append_json_string refuses bytes that are not UTF-8, as nlohmann::json does", "[state]") {
  std::string out;
  CHECK_THROWS_AS(append_json_string(out, "bad \xff byte"), nlohmann::json::type_error);
  CHECK_THROWS_AS(append_json_string(out, "cut \xc3"), nlohmann::json::type_error);
}

TEST_CASE("json_string_array keeps the strings in their order", "[state]") {
  CHECK(json_string_array({}) == "[]");
  const std::vector<std::string> tags = {"page:acme/x", "models:m-1", "q\"uote"};
  CHECK(json_string_array(tags) == nlohmann::json(tags).dump());
  CHECK(nlohmann::json::parse(json_string_array(tags)).get<std::vector<std::string>>() == tags);
}

TEST_CASE("json_input_hashes writes an object sorted by path, the last of equal paths kept", "[state]") {
  CHECK(json_input_hashes({}) == "{}");
  const std::vector<InputFile> inputs = {{"templates/page.mustache", "bbbb"},
                                         {"content/pages/acme/x.md", "aaaa"},
                                         {"content/data/models.json", "old"},
                                         {"content/data/models.json", "new"}};
  nlohmann::json expected = nlohmann::json::object();
  for (const InputFile& input : inputs) expected[input.path] = input.hash;
  CHECK(json_input_hashes(inputs) == expected.dump());
  CHECK(json_input_hashes(inputs) ==
        R"({"content/data/models.json":"new","content/pages/acme/x.md":"aaaa","templates/page.mustache":"bbbb"})");
}
