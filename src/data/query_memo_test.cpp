#include "data/query_memo.h"

#include <thread>

#include <catch2/catch.hpp>

#include "data/test_source.h"

using namespace isrgen::data;
using isrgen::data::testing::source_of;
using nlohmann::json;

namespace {

constexpr const char* kModels = R"([
  {"id": "m1", "name": "Ada",  "category": "fashion", "city": "Berlin", "rating": 4.5},
  {"id": "m2", "name": "Bea",  "category": "fitness", "city": "Munich", "rating": 5},
  {"id": "m3", "name": "Cleo", "category": "fashion", "city": "Munich", "rating": 3},
  {"id": "m4", "name": "Dana", "category": "fashion", "city": "Berlin", "rating": 4}
])";

Query query_of(std::string_view filter, std::string_view sort = "null", std::string_view limit = "null") {
  auto query = parse_query(json::parse(filter), json::parse(sort), json::parse(limit));
  REQUIRE(query.ok());
  return std::move(query).value();
}

const MemoizedQuery& answer(QueryMemo& memo, const Source& source, const Query& query) {
  auto answered = memo.answer(source, query);
  INFO((answered.ok() ? "" : answered.error().to_string()));
  REQUIRE(answered.ok());
  return *answered.value();
}

std::vector<std::string> names(const QueryResult& result) {
  std::vector<std::string> out;
  for (const json* record : result.items) out.push_back(record->at("name").get<std::string>());
  return out;
}

}  // namespace

TEST_CASE("QueryMemo: a query asked again gets the first answer, which is run_query's") {
  Source models = source_of(kModels);
  QueryMemo memo;
  Query query = query_of(R"({"category": "fashion"})", R"("-rating")", "2");
  const MemoizedQuery& first = answer(memo, models, query);
  CHECK(&answer(memo, models, query_of(R"({"category": ["fashion"]})", R"(["-rating"])", "2")) == &first);
  CHECK(memo.size() == 1);

  auto direct = run_query(models, query);
  REQUIRE(direct.ok());
  CHECK(first.result.items == direct.value().items);
  CHECK(first.result.tags == direct.value().tags);
  CHECK(names(first.result) == std::vector<std::string>{"Ada", "Dana"});
}

TEST_CASE("QueryMemo: each of source, filter, sort and limit makes its own answer") {
  Source models = source_of(kModels);
  Source others = source_of(kModels);
  QueryMemo memo;
  const MemoizedQuery& base = answer(memo, models, query_of(R"({"category": "fashion"})", R"("-rating")", "2"));
  const MemoizedQuery& other_source =
      answer(memo, others, query_of(R"({"category": "fashion"})", R"("-rating")", "2"));
  const MemoizedQuery& other_filter = answer(memo, models, query_of(R"({"city": "Munich"})", R"("-rating")", "2"));
  const MemoizedQuery& other_value =
      answer(memo, models, query_of(R"({"category": ["fashion", "fitness"]})", R"("-rating")", "2"));
  const MemoizedQuery& other_sort = answer(memo, models, query_of(R"({"category": "fashion"})", R"("rating")", "2"));
  const MemoizedQuery& other_limit = answer(memo, models, query_of(R"({"category": "fashion"})", R"("-rating")", "3"));
  const MemoizedQuery& no_limit = answer(memo, models, query_of(R"({"category": "fashion"})", R"("-rating")"));
  const MemoizedQuery& limit_zero = answer(memo, models, query_of(R"({"category": "fashion"})", R"("-rating")", "0"));
  CHECK(memo.size() == 8);

  CHECK(other_source.result.items.front() == &others.records[0]);
  CHECK(base.result.items.front() == &models.records[0]);
  CHECK(names(other_filter.result) == std::vector<std::string>{"Bea", "Cleo"});
  CHECK(names(other_value.result) == std::vector<std::string>{"Bea", "Ada"});
  CHECK(names(other_sort.result) == std::vector<std::string>{"Cleo", "Dana"});
  CHECK(names(other_limit.result) == std::vector<std::string>{"Ada", "Dana", "Cleo"});
  CHECK(names(no_limit.result) == std::vector<std::string>{"Ada", "Dana", "Cleo"});
  CHECK(limit_zero.result.items.empty());
}

TEST_CASE("QueryMemo: the records hash follows exactly the records shown") {
  QueryMemo memo;
  Source models = source_of(kModels);
  // m2 is not shown by the query; m1 is.
  Source other_edited = source_of(std::string(kModels).replace(std::string(kModels).find("\"Bea\""), 5, "\"Bee\""));
  Source shown_edited = source_of(std::string(kModels).replace(std::string(kModels).find("\"Ada\""), 5, "\"Ida\""));
  Query query = query_of(R"({"category": "fashion"})", R"("-rating")", "2");
  const std::string& hash = answer(memo, models, query).records_hash;
  CHECK(answer(memo, other_edited, query).records_hash == hash);
  CHECK(answer(memo, shown_edited, query).records_hash != hash);
  // The same records in another order show differently.
  CHECK(answer(memo, models, query_of(R"({"category": "fashion"})", R"("rating")")).records_hash !=
        answer(memo, models, query_of(R"({"category": "fashion"})", R"("-rating")")).records_hash);
  CHECK(answer(memo, models, query_of(R"({"city": "Nowhere"})")).records_hash !=
        answer(memo, models, query_of(R"({"city": "Munich"})")).records_hash);
}

TEST_CASE("QueryMemo: a failing query returns its error and keeps nothing") {
  Source models = source_of(kModels);
  QueryMemo memo;
  auto failed = memo.answer(models, query_of(R"({"colour": "red"})"));
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().message.find("unknown field 'colour'") != std::string::npos);
  CHECK(memo.size() == 0);
}

TEST_CASE("QueryMemo: threads asking the same queries share one answer each") {
  Source models = source_of(kModels);
  QueryMemo memo;
  const std::vector<Query> queries = {query_of(R"({"category": "fashion"})", R"("-rating")", "2"),
                                      query_of(R"({"city": "Berlin"})", R"("name")"), query_of("null", "null", "1")};
  std::vector<std::vector<const MemoizedQuery*>> seen(4);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < seen.size(); ++t)
    threads.emplace_back([&, t] {
      for (int round = 0; round < 200; ++round)
        for (const Query& query : queries) {
          auto answered = memo.answer(models, query);
          seen[t].push_back(answered.ok() ? answered.value() : nullptr);
        }
    });
  for (std::thread& thread : threads) thread.join();
  CHECK(memo.size() == queries.size());
  for (const auto& answers : seen)
    for (size_t i = 0; i < answers.size(); ++i) CHECK(answers[i] == seen[0][i % queries.size()]);
}
