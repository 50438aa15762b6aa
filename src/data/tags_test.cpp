#include "data/tags.h"

#include <catch2/catch.hpp>

using namespace isrgen::data;

TEST_CASE("tags are spelled as ARCHITECTURE section 3 says") {
  CHECK(source_tag("models") == "source:models");
  CHECK(record_tag("models", "m-12") == "models:m-12");
  CHECK(term_tag("models", "city", "Berlin") == "models:city=Berlin");
}

TEST_CASE("sort_unique sorts and drops repeats") {
  std::vector<std::string> tags{"b", "a", "b", "source:x", "a"};
  sort_unique(tags);
  CHECK(tags == std::vector<std::string>{"a", "b", "source:x"});
}
