#include "data/record_diff.h"

#include <catch2/catch.hpp>

#include "data/test_source.h"

using namespace isrgen::data;
using isrgen::data::testing::source_of;
using Strings = std::vector<std::string>;

namespace {

Strings diff(std::string_view old_text, std::string_view new_text) {
  Source old_version = source_of(old_text);
  return invalidated_tags(&old_version, source_of(new_text));
}

constexpr const char* kThree = R"([
  {"id": "a", "city": "Berlin"},
  {"id": "b", "city": "Munich", "tags": ["x", "y"]},
  {"id": 3, "city": "Berlin"}
])";

}  // namespace

TEST_CASE("invalidated_tags of a new source covers every record and the source") {
  CHECK(invalidated_tags(nullptr, source_of(kThree)) ==
        Strings{"models:3", "models:a", "models:b", "models:city=Berlin", "models:city=Munich", "models:id=3",
                "models:id=a", "models:id=b", "models:tags=x", "models:tags=y", "source:models"});
  CHECK(invalidated_tags(nullptr, source_of("[]")) == Strings{"source:models"});
}

TEST_CASE("invalidated_tags is empty when no record changed") {
  CHECK(diff(kThree, kThree).empty());
  // Layout and key order are not changes.
  CHECK(diff(kThree, R"([{"city": "Berlin", "id": "a"}, {"tags": ["x","y"], "city": "Munich", "id": "b"},
                         {"id": 3, "city": "Berlin"}])")
            .empty());
  CHECK(diff("[]", "[]").empty());
}

TEST_CASE("invalidated_tags of an added record") {
  CHECK(diff(kThree, R"([
    {"id": "a", "city": "Berlin"},
    {"id": "b", "city": "Munich", "tags": ["x", "y"]},
    {"id": 3, "city": "Berlin"},
    {"id": "d", "city": "Hamburg", "tags": ["z"], "meta": {"k": 1}}
  ])") == Strings{"models:city=Hamburg", "models:d", "models:id=d", "models:tags=z", "source:models"});
}

TEST_CASE("invalidated_tags of a removed record") {
  CHECK(diff(kThree, R"([{"id": "a", "city": "Berlin"}, {"id": 3, "city": "Berlin"}])") ==
        Strings{"models:b", "models:city=Munich", "models:id=b", "models:tags=x", "models:tags=y", "source:models"});
}

TEST_CASE("invalidated_tags of a changed record holds its old and new values") {
  CHECK(diff(kThree, R"([
    {"id": "a", "city": "Berlin"},
    {"id": "b", "city": "Hamburg", "tags": ["y", "z"]},
    {"id": 3, "city": "Berlin"}
  ])") == Strings{"models:b", "models:city=Hamburg", "models:city=Munich", "models:id=b", "models:tags=x",
                  "models:tags=y", "models:tags=z", "source:models"});
}

TEST_CASE("invalidated_tags sees a change a nested value or a number's type makes") {
  CHECK(diff(R"([{"id": 1, "meta": {"k": [1, 2]}}])", R"([{"id": 1, "meta": {"k": [1, 3]}}])") ==
        Strings{"models:1", "models:id=1", "source:models"});
  // 1 and 1.0 are equal to nlohmann::json, but render and tag differently.
  CHECK(diff(R"([{"id": "a", "rating": 1}])", R"([{"id": "a", "rating": 1.0}])") ==
        Strings{"models:a", "models:id=a", "models:rating=1", "models:rating=1.0", "source:models"});
}

TEST_CASE("invalidated_tags of a reordered file names the records that moved") {
  // Moving record 3 to the top moves it past a and b, which keep their order.
  CHECK(diff(kThree, R"([
    {"id": 3, "city": "Berlin"},
    {"id": "a", "city": "Berlin"},
    {"id": "b", "city": "Munich", "tags": ["x", "y"]}
  ])") == Strings{"models:3", "models:city=Berlin", "models:id=3", "source:models"});
}

TEST_CASE("invalidated_tags of an insertion leaves the records after it alone") {
  CHECK(diff(kThree, R"([
    {"id": "new", "city": "Paris"},
    {"id": "a", "city": "Berlin"},
    {"id": "b", "city": "Munich", "tags": ["x", "y"]},
    {"id": 3, "city": "Berlin"}
  ])") == Strings{"models:city=Paris", "models:id=new", "models:new", "source:models"});
}
