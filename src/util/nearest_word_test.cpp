#include "util/nearest_word.h"

#include <catch2/catch.hpp>

using isrgen::did_you_mean;
using isrgen::edit_distance;
using isrgen::nearest_word;

TEST_CASE("edit_distance counts inserts, deletes, replacements and swaps of neighbours") {
  CHECK(edit_distance("", "") == 0);
  CHECK(edit_distance("layout", "layout") == 0);
  CHECK(edit_distance("", "abc") == 3);
  CHECK(edit_distance("layuot", "layout") == 1);  // one swap
  CHECK(edit_distance("buidl", "build") == 1);
  CHECK(edit_distance("defualt_language", "default_language") == 1);
  CHECK(edit_distance("sorces", "sources") == 1);  // one insert
  CHECK(edit_distance("priorty", "priority") == 1);
  CHECK(edit_distance("kitten", "sitting") == 3);
  CHECK(edit_distance("ca", "abc") == 3);  // no edit of a swapped pair again
}

TEST_CASE("nearest_word suggests a known word a few edits away, relative to its length") {
  const std::vector<std::string> keys = {"layout", "priority", "sections", "tags"};
  CHECK(nearest_word("layuot", keys) == "layout");
  CHECK(nearest_word("Layout", keys) == "layout");
  CHECK(nearest_word("section", keys) == "sections");
  CHECK(nearest_word("tag", keys) == "tags");
  CHECK_FALSE(nearest_word("title", keys));       // far from every key
  CHECK_FALSE(nearest_word("layout", keys));      // a known word is no typo
  CHECK_FALSE(nearest_word("lay", keys));         // three edits on six letters: too many
  CHECK(nearest_word("x", {"ab", "y"}) == "y");  // one edit is always allowed
  CHECK(nearest_word("bulid", {"built", "build"}) == "build");  // the nearest
  CHECK(nearest_word("bat", {"cat", "hat"}) == "cat");          // the first of ties
  CHECK_FALSE(nearest_word("anything", {}));
}

TEST_CASE("did_you_mean and known_words_hint read as the end of a message") {
  CHECK(did_you_mean("buidl", {"build", "sync"}) == " (did you mean 'build'?)");
  CHECK(did_you_mean("deploy", {"build", "sync"}).empty());
  CHECK(isrgen::known_words_hint("buidl", {"build", "sync"}) == " (did you mean 'build'?)");
  CHECK(isrgen::known_words_hint("deploy", {"build", "sync"}) == " (known: build, sync)");
  CHECK(isrgen::known_words_hint("deploy", {}).empty());
}
