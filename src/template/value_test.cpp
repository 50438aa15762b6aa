#include "template/value.h"

#include <catch2/catch.hpp>

using namespace isrgen::tmpl;
using nlohmann::json;

TEST_CASE("falsey values are missing, null, false, empty arrays and empty strings") {
  CHECK_FALSE(is_truthy(nullptr));
  for (const json& falsey : {json(nullptr), json(false), json::array(), json("")}) {
    INFO(falsey.dump());
    CHECK_FALSE(is_truthy(&falsey));
  }
  for (const json& truthy : {json(true), json(0), json(0.0), json::object(), json(" "), json::array({false})}) {
    INFO(truthy.dump());
    CHECK(is_truthy(&truthy));
  }
}

TEST_CASE("display_text shows scalars and nothing for containers") {
  NumberBuffer buffer;
  auto text = [&](const json& value) { return std::string(display_text(value, buffer)); };
  CHECK(text("<b>") == "<b>");
  CHECK(text(85) == "85");
  CHECK(text(-3) == "-3");
  CHECK(text(18446744073709551615ULL) == "18446744073709551615");
  CHECK(text(1.21) == "1.21");
  CHECK(text(2.0) == "2");
  CHECK(text(0.1 + 0.2) == "0.30000000000000004");
  CHECK(text(-1.7976931348623157e308) == "-1.7976931348623157e+308");
  CHECK(text(true) == "true");
  CHECK(text(false) == "false");
  CHECK(text(nullptr).empty());
  CHECK(text(json::array({1})).empty());
  CHECK(text(json{{"a", 1}}).empty());
}
