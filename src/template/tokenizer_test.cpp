// Compile errors: each names the file, line and column of the offending tag.

#include "template/tokenizer.h"

#include <catch2/catch.hpp>

#include "template/template.h"

using namespace isrgen::tmpl;

namespace {

std::string error_of(std::string_view source, std::string path = "t.mustache") {
  auto compiled = compile(source, std::move(path));
  if (compiled) return "(compiled)";
  return compiled.error().to_string();
}

}  // namespace

TEST_CASE("an unclosed section is reported where it opens") {
  std::string source;
  for (int line = 1; line < 12; ++line) source += "<p>line</p>\n";
  source += "    {{#items}}<li>{{name}}</li>\n</ul>\n";
  auto compiled = compile(source, "templates/components/X.mustache");
  REQUIRE_FALSE(compiled.ok());
  CHECK(compiled.error().file == "templates/components/X.mustache");
  CHECK(compiled.error().line == 12);
  CHECK(compiled.error().column == 5);
  CHECK(compiled.error().to_string() == "templates/components/X.mustache:12:5: unclosed section 'items'");
}

TEST_CASE("the innermost unclosed section is the one reported") {
  CHECK(error_of("{{#a}}\n  {{^b}}\n") == "t.mustache:2:3: unclosed section 'b'");
  CHECK(error_of("{{<layout}}{{$main}}x{{/main}}") == "t.mustache:1:1: unclosed section 'layout'");
}

TEST_CASE("a closing tag must match the open section") {
  CHECK(error_of("a\n  {{#list}}\n{{#items}}x{{/list}}") ==
        "t.mustache:3:12: unexpected closing tag 'list' (open section is 'items')");
  CHECK(error_of("x {{/x}}") == "t.mustache:1:3: unexpected closing tag 'x' (no section is open)");
  CHECK(error_of("{{<*layout}}{{/layout}}") ==
        "t.mustache:1:13: unexpected closing tag 'layout' (open section is '*layout')");
  CHECK(error_of("{{<*layout}}{{/ * layout }}") == "(compiled)");
}

TEST_CASE("a tag without its closing delimiter is an unclosed tag") {
  CHECK(error_of("ab\ncd {{name") == "t.mustache:2:4: unclosed tag");
  CHECK(error_of("{{{name}}") == "t.mustache:1:1: unclosed tag");
  CHECK(error_of("{{") == "t.mustache:1:1: unclosed tag");
  CHECK(error_of("{{=<% %>=}}\n<%name}}") == "t.mustache:2:1: unclosed tag");
}

TEST_CASE("delimiters must be two words without '='") {
  CHECK(error_of("x{{=<%%>=}}") == "t.mustache:1:2: invalid delimiters");
  CHECK(error_of("{{= <% %> x =}}") == "t.mustache:1:1: invalid delimiters");
  CHECK(error_of("{{=<= =>=}}") == "t.mustache:1:1: invalid delimiters");
  CHECK(error_of("{{= <% %> =}}<%x%>") == "(compiled)");
}

TEST_CASE("tag names must be present and well formed") {
  CHECK(error_of("{{}}") == "t.mustache:1:1: empty tag name");
  CHECK(error_of("{{# }}{{/}}") == "t.mustache:1:1: empty tag name");
  CHECK(error_of("{{>*}}") == "t.mustache:1:1: empty tag name");
  CHECK(error_of("{{a b}}") == "t.mustache:1:1: invalid tag name 'a b'");
  CHECK(error_of("{{a..b}}") == "t.mustache:1:1: invalid tag name 'a..b'");
  CHECK(error_of("{{#a.}}{{/a.}}") == "t.mustache:1:1: invalid tag name 'a.'");
  CHECK(error_of("{{> components/card.v2 }}{{! any text: at all }}") == "(compiled)");
}

TEST_CASE("nesting is capped so rendering cannot overflow the stack") {
  std::string deep;
  for (size_t i = 0; i <= kMaxNesting; ++i) deep += "{{#a}}";
  CHECK(error_of(deep) == "t.mustache:1:" + std::to_string(kMaxNesting * 6 + 1) + ": sections nested more than " +
                              std::to_string(kMaxNesting) + " deep");
}

TEST_CASE("tokenize splits text and tags and follows delimiter changes") {
  auto tokens = tokenize("a{{x}}b{{=[ ]=}}[# s ][/s]", "t");
  REQUIRE(tokens.ok());
  std::vector<TokenKind> kinds;
  for (const Token& token : tokens.value()) kinds.push_back(token.kind);
  CHECK(kinds == std::vector<TokenKind>{TokenKind::kText, TokenKind::kEscaped, TokenKind::kText, TokenKind::kDelimiters,
                                        TokenKind::kSection, TokenKind::kClose});
  CHECK(tokens.value()[4].name == "s");
  CHECK(tokens.value()[5].end == 26);
}

TEST_CASE("tokens inside a block passed to a parent get the block's level") {
  auto tokens = tokenize("{{<p}}x{{$a}}y{{#s}}{{/s}}{{/a}}{{/p}}z", "t");
  REQUIRE(tokens.ok());
  std::vector<uint32_t> levels;
  for (const Token& token : tokens.value()) levels.push_back(token.level);
  const uint32_t block = levels[2];
  CHECK(block != kRootLevel);
  CHECK(block != kIgnoredLevel);
  CHECK(levels ==
        std::vector<uint32_t>{kRootLevel, kIgnoredLevel, block, block, block, block, block, kRootLevel, kRootLevel});
}
