#include "site/dependency_tag.h"

#include <catch2/catch.hpp>

using namespace isrgen;

namespace {

DependencyTag read(std::string_view text) {
  auto tag = DependencyTag::parse(text);
  REQUIRE(tag);
  CHECK(tag->to_string() == text);
  return *tag;
}

}  // namespace

TEST_CASE("tags are spelled as ARCHITECTURE section 3 says") {
  CHECK(page_tag("acme/summer") == "page:acme/summer");
  CHECK(tenant_tag("acme") == "tenant:acme");
  CHECK(lang_tag("de") == "lang:de");
  CHECK(layout_tag("page") == "layout:page");
  CHECK(component_tag("HERO_BANNER") == "component:HERO_BANNER");
  CHECK(partial_tag("nav") == "partial:nav");
  CHECK(source_tag("models") == "source:models");
  CHECK(asset_tag("acme/img/a.jpg") == "asset:acme/img/a.jpg");
  CHECK(record_tag("models", "m-12") == "models:m-12");
  CHECK(term_tag("models", "city", "Berlin") == "models:city=Berlin");
}

TEST_CASE("every kind of tag reads back as itself") {
  const std::vector<DependencyTag> tags = {
      {TagKind::kPage, "acme/jobs/berlin", "", "", ""},   {TagKind::kTenant, "acme", "", "", ""},
      {TagKind::kLang, "de", "", "", ""},                 {TagKind::kLayout, "base/wide", "", "", ""},
      {TagKind::kComponent, "MODEL_SHOWCASE", "", "", ""}, {TagKind::kPartial, "nav", "", "", ""},
      {TagKind::kSource, "models", "", "", ""},           {TagKind::kRecord, "models", "m-12", "", ""},
      {TagKind::kTerm, "models", "", "city", "New York"}, {TagKind::kPlain, "featured", "", "", ""},
      {TagKind::kAsset, "acme/img/a b.jpg", "", "", ""},
  };
  for (const DependencyTag& tag : tags) {
    INFO(tag.to_string());
    CHECK(DependencyTag::parse(tag.to_string()) == tag);
    CHECK(kind_of(tag.to_string()) == tag.kind);
  }
}

TEST_CASE("record ids and term values may hold ':' and '=' and keep their spelling") {
  CHECK(read("models:urn:x:42") == DependencyTag{TagKind::kRecord, "models", "urn:x:42", "", ""});
  CHECK(read("models:tags=a=b") == DependencyTag{TagKind::kTerm, "models", "", "tags", "a=b"});
  CHECK(read("models:time=12:30") == DependencyTag{TagKind::kTerm, "models", "", "time", "12:30"});
  CHECK(read("models:city=") == DependencyTag{TagKind::kTerm, "models", "", "city", ""});
  CHECK(read("page:acme/a:b") == DependencyTag{TagKind::kPage, "acme/a:b", "", "", ""});

  // The spelling cannot tell these from another reading; the text, which is
  // what the index matches, survives either way.
  CHECK(record_tag("models", "a=b") == "models:a=b");
  CHECK(read(record_tag("models", "a=b")).kind == TagKind::kTerm);
  CHECK(read(term_tag("models", "", "x")) == DependencyTag{TagKind::kRecord, "models", "=x", "", ""});
  CHECK(read(term_tag("models", "a=b", "c")).to_string() == "models:a=b=c");
  CHECK(read(record_tag("models", "*")).kind == TagKind::kRecord);
}

TEST_CASE("a front-matter tag reads by its spelling") {
  CHECK(read("campaign:summer") == DependencyTag{TagKind::kRecord, "campaign", "summer", "", ""});
  CHECK(read("featured").kind == TagKind::kPlain);
  // A source named like a kind: the kind wins, as the prefix cannot say more.
  CHECK(read(record_tag("page", "acme/x")).kind == TagKind::kPage);
}

TEST_CASE("malformed tags do not parse") {
  for (std::string_view text : {"", ":", "page:", "source:", "tenant:", "models:", ":42", ":a=b"}) {
    INFO(std::string(text));
    CHECK_FALSE(DependencyTag::parse(text));
    CHECK_FALSE(kind_of(text));
  }
}

TEST_CASE("a trailing '*' makes a prefix pattern") {
  CHECK(source_data_prefix("models") == "models:");
  CHECK(prefix_pattern("models:") == "models:*");
  CHECK(whole_source_tags("models") == std::vector<std::string>{"source:models", "models:*"});

  TagPattern records("models:*");
  CHECK(records.is_prefix());
  CHECK(records.stem() == "models:");
  CHECK(records.matches("models:42"));
  CHECK(records.matches("models:city=Berlin"));
  CHECK_FALSE(records.matches("source:models"));
  CHECK_FALSE(records.matches("model:42"));

  TagPattern exact("models:42");
  CHECK_FALSE(exact.is_prefix());
  CHECK(exact.stem() == "models:42");
  CHECK(exact.matches("models:42"));
  CHECK_FALSE(exact.matches("models:421"));

  TagPattern everything("*");
  CHECK(everything.is_prefix());
  CHECK(everything.matches("page:acme/x"));
}

TEST_CASE("a pattern knows whether it reaches into or lies within a prefix") {
  const std::string jobs = source_data_prefix("jobs");
  CHECK(TagPattern("jobs:42").reaches_into(jobs));
  CHECK(TagPattern("jobs:*").reaches_into(jobs));
  CHECK(TagPattern("jo*").reaches_into(jobs));       // a shorter prefix covers the source's tags
  CHECK(TagPattern("jobs:city=*").reaches_into(jobs));
  CHECK_FALSE(TagPattern("source:jobs").reaches_into(jobs));
  CHECK_FALSE(TagPattern("jobsite:*").reaches_into(jobs));
  CHECK_FALSE(TagPattern("jobs").reaches_into(jobs));

  CHECK(TagPattern("jobs:*").lies_within(jobs));
  CHECK(TagPattern("jobs:city=*").lies_within(jobs));
  CHECK(TagPattern("jobs:42").lies_within(jobs));
  CHECK_FALSE(TagPattern("jo*").lies_within(jobs));  // also other sources' tags
  CHECK_FALSE(TagPattern("*").lies_within(jobs));
}

TEST_CASE("sort_unique sorts and drops repeats") {
  std::vector<std::string> tags{"b", "a", "b", "source:x", "a"};
  sort_unique(tags);
  CHECK(tags == std::vector<std::string>{"a", "b", "source:x"});
}
