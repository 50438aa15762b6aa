#include "data/query.h"

#include <thread>

#include <catch2/catch.hpp>

#include "data/scalar.h"
#include "data/test_source.h"

using namespace isrgen::data;
using isrgen::data::testing::source_of;
using nlohmann::json;
using Strings = std::vector<std::string>;

namespace {

constexpr const char* kModels = R"([
  {"id": "m1", "name": "Ada",  "category": "fashion",    "city": "Berlin",  "rating": 4.5, "tags": ["runway", "print"]},
  {"id": "m2", "name": "Bea",  "category": "fitness",    "city": "Munich",  "rating": 5,   "tags": ["print"]},
  {"id": "m3", "name": "Cleo", "category": "fashion",    "city": "Munich",  "rating": 3},
  {"id": "m4", "name": "Dana", "category": "commercial", "city": "Berlin",  "rating": 5,   "tags": []},
  {"id": "m5", "name": "Eve",  "category": "fitness",    "city": "Berlin"},
  {"id": 6,    "name": "Fay",  "category": "fashion",    "city": "Hamburg", "rating": null, "tags": ["runway"]}
])";

Query query_of(std::string_view filter, std::string_view sort = "null", std::string_view limit = "null") {
  auto query = parse_query(json::parse(filter), json::parse(sort), json::parse(limit));
  INFO((query.ok() ? "" : query.error().to_string()));
  REQUIRE(query.ok());
  return std::move(query).value();
}

QueryResult run(const Source& source, std::string_view filter, std::string_view sort = "null",
                std::string_view limit = "null") {
  auto result = run_query(source, query_of(filter, sort, limit));
  INFO((result.ok() ? "" : result.error().to_string()));
  REQUIRE(result.ok());
  return std::move(result).value();
}

Strings ids_of(const QueryResult& result) {
  Strings ids;
  for (const json* item : result.items) ids.push_back(scalar_text(item->at("id")));
  return ids;
}

std::string query_error(std::string_view filter, std::string_view sort = "null", std::string_view limit = "null") {
  auto query = parse_query(json::parse(filter), json::parse(sort), json::parse(limit));
  return query.ok() ? "" : query.error().to_string();
}

}  // namespace

TEST_CASE("parse_query reads filter, sort and limit") {
  Query query = query_of(R"({"city": "Berlin", "category": ["fitness", "fashion", "fitness"], "rating": 5})",
                         R"(["-rating", "name"])", "6");
  using Filter = decltype(Query::filter);
  CHECK(query.filter == Filter{{"category", {"fashion", "fitness"}}, {"city", {"Berlin"}}, {"rating", {"5"}}});
  REQUIRE(query.sort.size() == 2);
  CHECK(query.sort[0].field == "rating");
  CHECK(query.sort[0].descending);
  CHECK(query.sort[1].field == "name");
  CHECK_FALSE(query.sort[1].descending);
  CHECK(query.limit == size_t{6});

  Query single = query_of("null", "\"-rating\"");
  REQUIRE(single.sort.size() == 1);
  CHECK(single.sort[0].field == "rating");
  CHECK(single.sort[0].descending);
}

TEST_CASE("parse_query treats null as absent") {
  Query query = query_of("null");
  CHECK(query.filter.empty());
  CHECK(query.sort.empty());
  CHECK_FALSE(query.limit.has_value());
}

TEST_CASE("parse_query accepts a limit built as a signed integer") {
  auto query = parse_query(json(), json(), json(int64_t{3}));
  REQUIRE(query.ok());
  CHECK(query.value().limit == size_t{3});
}

TEST_CASE("parse_query says what is wrong with a filter") {
  CHECK(query_error("\"fashion\"") ==
        "filter must map fields to a value or a list of values, e.g. {category: [fashion, fitness]}; found a string");
  CHECK(query_error(R"({"category": {"in": ["fashion"]}})") ==
        "filter value for 'category' must be a value or a list of values, found an object");
  CHECK(query_error(R"({"category": ["fashion", ["fitness"]]})") ==
        "filter value for 'category' must list strings, numbers or booleans, found an array");
  CHECK(query_error(R"({"category": []})") ==
        "filter value for 'category' is an empty list, which matches nothing; list at least one value or drop "
        "'category'");
}

TEST_CASE("parse_query says what is wrong with a sort") {
  const std::string expected = "sort must be a field name, '-field' for descending, or a list of them, e.g. [-rating, name]; found ";
  CHECK(query_error("null", "5") == expected + "a number");
  CHECK(query_error("null", R"({"rating": "desc"})") == expected + "an object");
  CHECK(query_error("null", R"(["name", true])") == expected + "a boolean");
  CHECK(query_error("null", R"("-")") == "sort names an empty field; expected 'field' or '-field'");
}

TEST_CASE("parse_query says what is wrong with a limit") {
  CHECK(query_error("null", "null", "-1") == "limit must be a non-negative integer, found -1");
  CHECK(query_error("null", "null", "2.5") == "limit must be a non-negative integer, found 2.5");
  CHECK(query_error("null", "null", "\"6\"") == "limit must be a non-negative integer, found a string");
}

TEST_CASE("run_query without a filter reads every record and tags the source") {
  Source models = source_of(kModels);
  QueryResult result = run(models, "null");
  CHECK(ids_of(result) == Strings{"m1", "m2", "m3", "m4", "m5", "6"});
  CHECK(result.items[0] == &models.records[0]);  // pointers into the source, not copies
  CHECK(result.tags ==
        Strings{"models:6", "models:m1", "models:m2", "models:m3", "models:m4", "models:m5", "source:models"});
}

TEST_CASE("run_query filters on a scalar field") {
  Source models = source_of(kModels);
  QueryResult result = run(models, R"({"category": "fashion"})");
  CHECK(ids_of(result) == Strings{"m1", "m3", "6"});
  CHECK(result.tags == Strings{"models:6", "models:category=fashion", "models:m1", "models:m3"});
}

TEST_CASE("run_query filters on an array field by any element") {
  Source models = source_of(kModels);
  CHECK(ids_of(run(models, R"({"tags": "print"})")) == Strings{"m1", "m2"});
  // m1 holds both values and is listed once.
  QueryResult both = run(models, R"({"tags": ["runway", "print"]})");
  CHECK(ids_of(both) == Strings{"m1", "m2", "6"});
  CHECK(both.tags == Strings{"models:6", "models:m1", "models:m2", "models:tags=print", "models:tags=runway"});
}

TEST_CASE("run_query accepts any listed value of a field and needs every field") {
  Source models = source_of(kModels);
  CHECK(ids_of(run(models, R"({"category": ["fitness", "commercial"]})")) == Strings{"m2", "m4", "m5"});
  QueryResult both = run(models, R"({"category": "fashion", "city": ["Munich", "Hamburg"]})");
  CHECK(ids_of(both) == Strings{"m3", "6"});
  CHECK(both.tags == Strings{"models:6", "models:category=fashion", "models:city=Hamburg", "models:city=Munich",
                             "models:m3"});
}

TEST_CASE("run_query compares filter values by their text") {
  Source models = source_of(kModels);
  CHECK(ids_of(run(models, R"({"rating": 5})")) == Strings{"m2", "m4"});
  CHECK(ids_of(run(models, R"({"rating": "5"})")) == Strings{"m2", "m4"});
  CHECK(ids_of(run(models, R"({"rating": 4.5})")) == Strings{"m1"});
  CHECK(ids_of(run(models, R"({"id": [6, "m2"]})")) == Strings{"m2", "6"});
  CHECK(ids_of(run(models, R"({"rating": null})")) == Strings{"6"});
}

TEST_CASE("run_query keeps the filter tags when nothing matches") {
  Source models = source_of(kModels);
  QueryResult none = run(models, R"({"city": "Paris", "category": "fashion"})");
  CHECK(none.items.empty());
  CHECK(none.tags == Strings{"models:category=fashion", "models:city=Paris"});
}

TEST_CASE("run_query sorts stably, missing values last") {
  Source models = source_of(kModels);
  CHECK(ids_of(run(models, "null", "\"rating\"")) == Strings{"m3", "m1", "m2", "m4", "m5", "6"});
  CHECK(ids_of(run(models, "null", "\"-rating\"")) == Strings{"m2", "m4", "m1", "m3", "m5", "6"});
  CHECK(ids_of(run(models, "null", "\"-name\"")) == Strings{"6", "m5", "m4", "m3", "m2", "m1"});
  CHECK(ids_of(run(models, "null", R"(["city", "-rating"])")) == Strings{"m4", "m1", "m5", "6", "m2", "m3"});
  CHECK(ids_of(run(models, R"({"category": "fashion"})", "\"-rating\"")) == Strings{"m1", "m3", "6"});
}

TEST_CASE("run_query sorts mixed types: numbers, strings, booleans, the rest") {
  Source mixed = source_of(R"([
    {"id": 1, "v": "b"}, {"id": 2, "v": 10}, {"id": 3, "v": true}, {"id": 4, "v": 9},
    {"id": 5}, {"id": 6, "v": "B"}, {"id": 7, "v": [1]}, {"id": 8, "v": false}
  ])");
  CHECK(ids_of(run(mixed, "null", "\"v\"")) == Strings{"4", "2", "6", "1", "8", "3", "7", "5"});
  CHECK(ids_of(run(mixed, "null", "\"-v\"")) == Strings{"7", "3", "8", "1", "6", "2", "4", "5"});
}

TEST_CASE("run_query applies the limit last") {
  Source models = source_of(kModels);
  QueryResult top = run(models, "null", "\"-rating\"", "2");
  CHECK(ids_of(top) == Strings{"m2", "m4"});
  CHECK(top.tags == Strings{"models:m2", "models:m4", "source:models"});

  QueryResult none = run(models, R"({"city": "Berlin"})", "null", "0");
  CHECK(none.items.empty());
  CHECK(none.tags == Strings{"models:city=Berlin"});

  CHECK(ids_of(run(models, R"({"city": "Berlin"})", "null", "100")) == Strings{"m1", "m4", "m5"});
}

TEST_CASE("run_query rejects a field no record has") {
  Source models = source_of(kModels);
  const char* known = " in source 'models' (known fields: category, city, id, name, rating, tags)";
  auto filtered = run_query(models, query_of(R"({"colour": "red"})"));
  REQUIRE_FALSE(filtered.ok());
  CHECK(filtered.error().to_string() == std::string("unknown field 'colour'") + known);
  auto sorted = run_query(models, query_of("null", "[\"name\", \"-age\"]"));
  REQUIRE_FALSE(sorted.ok());
  CHECK(sorted.error().to_string() == std::string("unknown field 'age'") + known);
}

TEST_CASE("run_query on an empty source knows no fields and finds nothing") {
  Source empty = source_of("[]");
  QueryResult filtered = run(empty, R"({"colour": "red"})", "\"-age\"");
  CHECK(filtered.items.empty());
  CHECK(filtered.tags == Strings{"models:colour=red"});
  CHECK(run(empty, "null").tags == Strings{"source:models"});
}

TEST_CASE("run_query gives every thread the same answer") {
  Source models = source_of(kModels);
  Query query = query_of(R"({"category": ["fashion", "fitness"]})", "\"-rating\"", "3");
  const Strings expected{"m2", "m1", "m3"};
  std::vector<int> agreed(4, 0);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < agreed.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        auto result = run_query(models, query);
        if (result.ok() && ids_of(result.value()) == expected) ++agreed[t];
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(agreed == std::vector<int>(4, 200));
}
