#include "data/field_index.h"

#include <catch2/catch.hpp>

using isrgen::data::FieldIndex;
using isrgen::data::index_fields;
using nlohmann::json;
using Positions = std::vector<size_t>;
using Ranks = std::vector<uint32_t>;

namespace {
std::vector<json> records_of(const char* text) { return json::parse(text).get<std::vector<json>>(); }
}  // namespace

TEST_CASE("index_fields lists records by each scalar value and array element") {
  auto fields = index_fields(records_of(R"([
    {"id": "a", "city": "Berlin", "tags": ["x", "y", "x"]},
    {"id": "b", "city": "Munich", "tags": ["y"], "meta": {"k": 1}},
    {"id": 3, "city": "Berlin", "rating": 4.5}
  ])"));
  std::vector<std::string> names;
  for (const auto& [name, index] : fields) names.push_back(name);
  CHECK(names == std::vector<std::string>{"city", "id", "meta", "rating", "tags"});

  const auto& city = fields.at("city").positions_by_value;
  CHECK(city.size() == 2);
  CHECK(city.at("Berlin") == Positions{0, 2});
  CHECK(city.at("Munich") == Positions{1});
  CHECK(fields.at("tags").positions_by_value.at("x") == Positions{0});  // listed twice, held once
  CHECK(fields.at("tags").positions_by_value.at("y") == Positions{0, 1});
  CHECK(fields.at("id").positions_by_value.at("3") == Positions{2});
  CHECK(fields.at("rating").positions_by_value.at("4.5") == Positions{2});
  CHECK(fields.at("meta").positions_by_value.empty());  // known, but nothing to filter on
}

TEST_CASE("index_fields ranks values densely, missing and null without a rank") {
  auto fields = index_fields(records_of(R"([
    {"id": 1, "rating": 5}, {"id": 2, "rating": 3.5}, {"id": 3}, {"id": 4, "rating": 5.0},
    {"id": 5, "rating": null}, {"id": 6, "rating": "n/a"}, {"id": 7, "rating": -1}
  ])"));
  constexpr uint32_t none = FieldIndex::kNoValue;
  CHECK(fields.at("rating").sort_rank == Ranks{2, 1, none, 2, none, 3, 0});
  CHECK(fields.at("id").sort_rank == Ranks{0, 1, 2, 3, 4, 5, 6});
}

TEST_CASE("index_fields of no records is empty") { CHECK(index_fields({}).empty()); }
