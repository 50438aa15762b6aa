#include "data/remote_records.h"

#include <catch2/catch.hpp>

using namespace isrgen::data;

namespace {
constexpr const char* kUrl = "https://api.example.com/jobs";

std::string error_of(std::string_view body, const std::string& items_path = "") {
  auto records = records_from_response("jobs", kUrl, body, items_path);
  REQUIRE_FALSE(records.ok());
  return records.error().to_string();
}
}  // namespace

TEST_CASE("records_from_response reads a top-level array or one at items_path") {
  auto top = records_from_response("jobs", kUrl, R"([{"id": 1, "city": "berlin"}, {"id": "j-2"}])", "");
  REQUIRE(top.ok());
  CHECK(top.value().ids == std::vector<std::string>{"1", "j-2"});
  CHECK(top.value().display_path == kUrl);

  auto nested = records_from_response("jobs", kUrl, R"({"data": {"total": 1, "items": [{"id": 7}]}})", "data.items");
  REQUIRE(nested.ok());
  CHECK(nested.value().ids == std::vector<std::string>{"7"});

  auto indexed = records_from_response("jobs", kUrl, R"({"pages": [{"rows": [{"id": 1}]}]})", "pages.0.rows");
  REQUIRE(indexed.ok());
  CHECK(indexed.value().ids == std::vector<std::string>{"1"});
}

TEST_CASE("records_from_response explains what is wrong with a response") {
  CHECK(error_of("[{\"id\": 1},\n {\"id\": 2,}]") == std::string(kUrl) + ":2:11: invalid JSON: syntax error while "
                                                                          "parsing object key - unexpected '}'; expected string literal");
  CHECK(error_of(R"({"data": {"items": []}})") ==
        std::string(kUrl) + ": the response must be a JSON array of records, found an object (keys: data; set "
                            "items_path to the array's path)");
  CHECK(error_of(R"({"data": {"rows": []}})", "data.items") ==
        std::string(kUrl) + ": items_path 'data.items': no 'items' in 'data' (keys: rows) (check items_path in "
                            "content/site.toml)");
  CHECK(error_of(R"({"data": "x"})", "data.items").find("'data' is a string, not an object") != std::string::npos);
  CHECK(error_of(R"({"data": {"items": {"id": 1}}})", "data.items").find("must be a JSON array") != std::string::npos);
  CHECK(error_of(R"([{"id": 1}, {"name": "no id"}])") ==
        std::string(kUrl) + ": record 2: record has no \"id\"; give it a unique string or number id");
}

TEST_CASE("canonical records ignore the response's formatting") {
  auto spaced = records_from_response("jobs", kUrl, "[ {\"id\" : 1,  \"b\": [1, 2] } ]", "");
  auto compact = records_from_response("jobs", kUrl, R"({"x": [{"b":[1,2],"id":1}]})", "x");
  REQUIRE(spaced.ok());
  REQUIRE(compact.ok());
  CHECK(canonical_records(spaced.value()) == canonical_records(compact.value()));
  auto back = records_from_snapshot("jobs", kUrl, canonical_records(spaced.value()), isrgen::InputLimits{}.json_depth);
  REQUIRE(back.ok());
  CHECK(back.value().records == spaced.value().records);
}

TEST_CASE("a snapshot is read back under the json_depth its records were accepted under") {
  const std::string deep = "[{\"id\": 1, \"deep\": " + std::string(80, '[') + std::string(80, ']') + "}]";
  auto accepted = records_from_response("jobs", kUrl, deep, "", 100);
  REQUIRE(accepted.ok());
  const std::string snapshot = canonical_records(accepted.value());
  CHECK(records_from_snapshot("jobs", kUrl, snapshot, 100).ok());
  CHECK_FALSE(records_from_snapshot("jobs", kUrl, snapshot, isrgen::InputLimits{}.json_depth).ok());
}
