#include "state/page_row_json.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace isrgen;

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
