#include "util/json_text.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace isrgen;

TEST_CASE("append_json_string writes what nlohmann::json writes", "[util][json]") {
  std::vector<std::string> texts = {
      "",
      "models:m-1",
      "say \"hi\"\\ now",
      std::string("tab\tnew\nline\rfeed\fback\bnul\0!", 28),
      "\x01\x1f\x7f",
      "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80",
      "</script>&<'",
  };
  std::string every_ascii_byte;
  for (int byte = 0; byte < 0x80; ++byte) every_ascii_byte += static_cast<char>(byte);
  texts.push_back(every_ascii_byte);
  for (const std::string& text : texts) {
    std::string out = "x";
    append_json_string(out, text);
    CHECK(out == "x" + nlohmann::json(text).dump());
    CHECK(nlohmann::json::parse(out.substr(1)).get<std::string>() == text);
  }
}

TEST_CASE("append_json_string refuses bytes that are not UTF-8, as nlohmann::json does, and appends nothing",
          "[util][json]") {
  std::string out = "kept";
  CHECK_THROWS_AS(append_json_string(out, "bad \xff byte"), nlohmann::json::type_error);
  CHECK_THROWS_AS(append_json_string(out, "cut \xc3"), nlohmann::json::type_error);
  CHECK(out == "kept");
}
