#include "data/scalar.h"

#include <utility>
#include <vector>

#include <catch2/catch.hpp>

using isrgen::data::describe_kind;
using isrgen::data::for_each_scalar_term;
using isrgen::data::is_scalar;
using isrgen::data::scalar_text;
using nlohmann::json;

TEST_CASE("scalar_text spells each kind of scalar canonically") {
  CHECK(scalar_text(json("Berlin")) == "Berlin");
  CHECK(scalar_text(json("say \"hi\"")) == "say \"hi\"");  // no quotes, no escapes
  CHECK(scalar_text(json::parse("42")) == "42");
  CHECK(scalar_text(json::parse("-7")) == "-7");
  CHECK(scalar_text(json::parse("18446744073709551615")) == "18446744073709551615");
  CHECK(scalar_text(json::parse("4.5")) == "4.5");
  CHECK(scalar_text(json::parse("1.0")) == "1.0");
  CHECK(scalar_text(json::parse("0.1")) == "0.1");
  CHECK(scalar_text(json(true)) == "true");
  CHECK(scalar_text(json(false)) == "false");
  CHECK(scalar_text(json(nullptr)) == "null");
}

TEST_CASE("is_scalar accepts strings, numbers, booleans and null only") {
  for (const char* text : {"\"x\"", "1", "-1", "1.5", "true", "null"}) CHECK(is_scalar(json::parse(text)));
  CHECK_FALSE(is_scalar(json::parse("[1]")));
  CHECK_FALSE(is_scalar(json::parse("{}")));
}

TEST_CASE("describe_kind names what was found") {
  CHECK(describe_kind(json::parse("{}")) == "an object");
  CHECK(describe_kind(json::parse("[]")) == "an array");
  CHECK(describe_kind(json::parse("\"x\"")) == "a string");
  CHECK(describe_kind(json::parse("2.5")) == "a number");
  CHECK(describe_kind(json::parse("false")) == "a boolean");
  CHECK(describe_kind(json::parse("null")) == "null");
}

TEST_CASE("for_each_scalar_term visits scalar fields and scalar array elements") {
  json record = json::parse(R"({"id": 1, "meta": {"a": 1}, "n": null, "tags": ["a", 2, ["x"], {"k": 1}]})");
  std::vector<std::pair<std::string, std::string>> terms;
  for_each_scalar_term(record, [&](const std::string& field, std::string text) { terms.emplace_back(field, text); });
  using Terms = decltype(terms);
  CHECK(terms == Terms{{"id", "1"}, {"n", "null"}, {"tags", "a"}, {"tags", "2"}});
}
