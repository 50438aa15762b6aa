// The deploy state: objects per target, the pending purge kept with them, and
// the upgrade of an older database and the refusal of a newer one.
#include "publish/deploy_state.h"

#include <catch2/catch.hpp>

#include <SQLiteCpp/SQLiteCpp.h>

#include "test_support.h"

using namespace isrgen::publish;
using isrgen::testing::ScratchDir;

namespace {

DeployedObject object(const std::string& key, std::vector<std::string> tags = {}) {
  DeployedObject result;
  result.key = key;
  result.size = 3;
  result.etag = "e-" + key;
  result.tags = std::move(tags);
  return result;
}

}  // namespace

TEST_CASE("deploy state: a pending purge is kept with its records, across reopening, until purged") {
  ScratchDir dir;
  auto db = dir / "deploy.db";
  {
    auto state = DeployState::open(db).value();
    PurgeRequest page{{"/acme/", "/acme/index.html"}, {"page:acme/index"}};
    PurgeRequest gone{{"/nova/index.html"}, {"page:nova/index"}};
    REQUIRE(state->record("t", object("acme/index.html", {"page:acme/index", "tenant:acme"}), &page).ok());
    REQUIRE(state->record("t", object("nova/index.html")).ok());
    REQUIRE(state->forget("t", "nova/index.html", &gone).ok());
    REQUIRE(state->record("other", object("x"), &gone).ok());
  }
  auto state = DeployState::open(db).value();
  auto objects = state->load("t").value();
  REQUIRE(objects.size() == 1);
  CHECK(objects.at("acme/index.html").tags == std::vector<std::string>{"page:acme/index", "tenant:acme"});
  PurgeRequest pending = state->pending_purge("t").value();
  CHECK(pending.paths == std::vector<std::string>{"/acme/", "/acme/index.html", "/nova/index.html"});
  CHECK(pending.tags == std::vector<std::string>{"page:acme/index", "page:nova/index"});

  REQUIRE(state->purged("t", {{"/acme/", "/acme/index.html"}, {"page:acme/index"}}).ok());
  pending = state->pending_purge("t").value();
  CHECK(pending.paths == std::vector<std::string>{"/nova/index.html"});
  CHECK(pending.tags == std::vector<std::string>{"page:nova/index"});
  REQUIRE(state->purged("t", pending).ok());
  CHECK(state->pending_purge("t").value().empty());
  CHECK(state->pending_purge("other").value().paths == std::vector<std::string>{"/nova/index.html"});
}

TEST_CASE("deploy state: adoptions are recorded together, and purge nothing") {
  ScratchDir dir;
  auto state = DeployState::open(dir / "deploy.db").value();
  std::vector<DeployedObject> adopted;
  for (int i = 0; i < 500; ++i) adopted.push_back(object("f" + std::to_string(i)));
  REQUIRE(state->record_all("t", adopted).ok());
  CHECK(state->load("t").value().size() == 500);
  CHECK(state->pending_purge("t").value().empty());
}

TEST_CASE("deploy state: a database of the schema before pending purges keeps its objects") {
  ScratchDir dir;
  auto db = dir / "deploy.db";
  {
    SQLite::Database old(db.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    old.exec(
        "CREATE TABLE objects(target TEXT NOT NULL, key TEXT NOT NULL, size INTEGER NOT NULL, etag TEXT NOT NULL, "
        "source_md5 TEXT NOT NULL, source_signature TEXT NOT NULL, rules TEXT NOT NULL, headers TEXT NOT NULL, "
        "tags TEXT NOT NULL, PRIMARY KEY(target, key)) WITHOUT ROWID");
    old.exec("INSERT INTO objects VALUES ('t', 'a.css', 3, 'e', 'm', 's', 'r', 'h', '')");
    old.exec("PRAGMA user_version=2");
  }
  auto state = DeployState::open(db).value();
  CHECK(state->load("t").value().count("a.css") == 1);
  PurgeRequest purge{{"/a.css"}, {}};
  REQUIRE(state->record("t", object("b.css"), &purge).ok());
  CHECK(state->pending_purge("t").value().paths == std::vector<std::string>{"/a.css"});
  CHECK(state->load("t").value().at("a.css").retired_at == 0);
  CHECK(state->begin_sync("t").value() == 1);
}

TEST_CASE("deploy state: syncs are numbered per target, and a retirement is kept across reopening") {
  ScratchDir dir;
  auto db = dir / "deploy.db";
  {
    auto state = DeployState::open(db).value();
    CHECK(state->next_sync("t").value() == 1);
    CHECK(state->begin_sync("t").value() == 1);
    CHECK(state->begin_sync("t").value() == 2);
    CHECK(state->next_sync("t").value() == 3);
    CHECK(state->next_sync("other").value() == 1);
    DeployedObject retired = object("site.0123abcd.css");
    retired.retired_at = 2;
    REQUIRE(state->record("t", retired).ok());
  }
  auto state = DeployState::open(db).value();
  CHECK(state->next_sync("t").value() == 3);
  CHECK(state->load("t").value().at("site.0123abcd.css").retired_at == 2);
  CHECK(state->begin_sync("other").value() == 1);
}

TEST_CASE("deploy state: a database of a newer isrgen is refused, its objects kept") {
  ScratchDir dir;
  auto db = dir / "deploy.db";
  {
    auto state = DeployState::open(db).value();
    REQUIRE(state->record("t", object("a.css")).ok());
  }
  {
    SQLite::Database newer(db.string(), SQLite::OPEN_READWRITE);
    newer.exec("PRAGMA user_version=5");
  }
  auto refused = DeployState::open(db);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().file == db.string());
  CHECK_THAT(refused.error().message, Catch::StartsWith("written by a newer isrgen (deploy state schema 5") &&
                                          Catch::Contains("run the newer isrgen, or delete it"));
  SQLite::Database check(db.string(), SQLite::OPEN_READONLY);
  CHECK(check.execAndGet("SELECT count(*) FROM objects").getInt() == 1);
}
