#include "data/source.h"

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

using isrgen::data::make_source;
using isrgen::data::parse_source;
using isrgen::data::Source;

namespace {
constexpr const char* kPath = "content/data/models.json";

// The whole error as the user sees it, or "" when the text parsed.
std::string error_of(std::string_view text) {
  auto parsed = parse_source("models", kPath, text);
  return parsed.ok() ? "" : parsed.error().to_string();
}
}  // namespace

TEST_CASE("parse_source keeps records in file order with their ids and lines") {
  std::string text =
      "[\n"
      "  {\"id\": \"m-1\", \"name\": \"Ada\"},\n"
      "  {\n"
      "    \"id\": 7,\n"
      "    \"name\": \"Bea\"\n"
      "  },\n"
      "  {\"id\": 2.5}\n"
      "]\n";
  auto parsed = parse_source("models", kPath, text);
  REQUIRE(parsed.ok());
  const Source& source = parsed.value();
  CHECK(source.name == "models");
  CHECK(source.display_path == kPath);
  REQUIRE(source.records.size() == 3);
  CHECK(source.records[1].at("name") == "Bea");
  CHECK(source.ids == std::vector<std::string>{"m-1", "7", "2.5"});
  CHECK(source.index_by_id.at("7") == 1);
  REQUIRE(source.find("m-1") != nullptr);
  CHECK(source.find("m-1")->at("name") == "Ada");
  CHECK(source.find("7") == &source.records[1]);  // numeric ids are found by their text
  CHECK(source.find("2.5") == &source.records[2]);
  CHECK(source.find("m-2") == nullptr);
  CHECK(source.fields.size() == 2);
}

TEST_CASE("parse_source accepts an empty array") {
  auto parsed = parse_source("models", kPath, " [ ]\n");
  REQUIRE(parsed.ok());
  CHECK(parsed.value().records.empty());
  CHECK(parsed.value().fields.empty());
}

TEST_CASE("parse_source reports invalid UTF-8 at the bad byte") {
  CHECK(error_of("[\n  {\"id\": \"a\xff\"}\n]") ==
        "content/data/models.json:2:12: invalid UTF-8 (byte 0xFF); save the file as UTF-8");
}

TEST_CASE("parse_source reports JSON syntax errors where the parser stopped") {
  CHECK(error_of("[\n  {\"id\": 1,}\n]") ==
        "content/data/models.json:2:12: invalid JSON: syntax error while parsing object key - unexpected '}'; "
        "expected string literal");
  CHECK(error_of("[\n  {\"id\": 1}\n") ==
        "content/data/models.json:3:1: invalid JSON: syntax error while parsing array - unexpected end of input; "
        "expected ']'");
  CHECK(error_of("") ==
        "content/data/models.json:1:1: invalid JSON: syntax error while parsing value - unexpected end of input; "
        "expected '[', '{', or a literal");
}

TEST_CASE("parse_source reports a number too large for a double where it is") {
  // Found by tests/fuzz (data_source): nlohmann throws out_of_range, not parse_error, for it.
  CHECK(error_of("[\n  {\"id\": 1, \"height\": 1e400}\n]") ==
        "content/data/models.json:2:23: invalid JSON: the number 1e400 is too large to store (past a double's range "
        "of about 1.8e308)");
  CHECK(error_of("[{\"id\": 18446744073709551616e308}]").starts_with("content/data/models.json:1:9: invalid JSON: "));
}

TEST_CASE("parse_source wants an array of objects") {
  CHECK(error_of("\n  {\"id\": 1}") ==
        "content/data/models.json:2:3: a data source must be a JSON array of records ([{\"id\": ...}, ...]), "
        "found an object");
  CHECK(error_of("[\n  {\"id\": 1},\n  \"two\"\n]") ==
        "content/data/models.json:3:3: each record must be a JSON object with an \"id\", found a string");
}

TEST_CASE("parse_source wants a non-empty string or number id in every record") {
  CHECK(error_of("[{\"id\": 1}, {\"name\": \"x\"}]") ==
        "content/data/models.json:1:13: record has no \"id\"; give it a unique string or number id");
  CHECK(error_of("[\n {\"id\": [1]}]") ==
        "content/data/models.json:2:2: \"id\" must be a string or a number, found an array");
  CHECK(error_of("[{\"id\": true}]") ==
        "content/data/models.json:1:2: \"id\" must be a string or a number, found a boolean");
  CHECK(error_of("[{\"id\": null}]") == "content/data/models.json:1:2: \"id\" must be a string or a number, found null");
  CHECK(error_of("[{\"id\": \"\"}]") ==
        "content/data/models.json:1:2: \"id\" is empty; give the record a unique, non-empty id");
}

TEST_CASE("parse_source rejects a duplicate id and names the first") {
  CHECK(error_of("[\n"
                 "  {\"id\": \"m-1\"},\n"
                 "  {\"id\": \"m-12\"},\n"
                 "  {\"id\": \"m-2\"},\n"
                 "  {\"id\": \"m-12\"}\n"
                 "]") == "content/data/models.json:5:3: duplicate id 'm-12' (first at line 3)");
  // Ids are compared by their text, as tags and lookups see them.
  CHECK(error_of("[{\"id\": 7},\n {\"id\": \"7\"}]") == "content/data/models.json:2:2: duplicate id '7' (first at line 1)");
}

TEST_CASE("make_source validates records that arrive parsed, naming them by position") {
  auto made_error = [](const char* records) {
    auto made = make_source("jobs", "https://api.example.com/jobs", nlohmann::json::parse(records));
    REQUIRE_FALSE(made.ok());
    return made.error().to_string();
  };
  CHECK(made_error(R"([{"id": 1}, {"title": "x"}])") ==
        "https://api.example.com/jobs: record 2: record has no \"id\"; give it a unique string or number id");
  CHECK(made_error(R"([{"id": 1}, {"id": "1"}])") == "https://api.example.com/jobs: record 2: duplicate id '1' (first at record 1)");
  auto made = make_source("jobs", "https://api.example.com/jobs", nlohmann::json::parse(R"([{"id": "j-1", "city": "berlin"}])"));
  REQUIRE(made.ok());
  CHECK(made.value().find("j-1") != nullptr);
  CHECK(made.value().unavailable.empty());
}
