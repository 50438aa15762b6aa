#include "template/output.h"

#include <catch2/catch.hpp>

using namespace isrgen::tmpl;

TEST_CASE("without indentation, output is appended as is") {
  std::string out = ">";
  Output output(out);
  output.literal("a\nb");
  output.value("<i>", Escape::kHtml);
  output.value("<i>", Escape::kNone);
  CHECK(out == ">a\nb&lt;i&gt;<i>");
}

TEST_CASE("indentation goes before each non-empty template line") {
  std::string out;
  Output output(out);
  output.literal("x\n");
  {
    Output::IndentScope outer(output, "  ", true);
    Output::IndentScope inner(output, "\t", true);
    output.literal("a\n\nb\r\n\r\nc");
  }
  output.literal("\nd\n");
  CHECK(out == "x\n  \ta\n\n  \tb\r\n\r\n  \tc\nd\n");
}

TEST_CASE("line breaks inside interpolated values are not indented") {
  std::string out;
  Output output(out);
  Output::IndentScope indent(output, "  ", true);
  output.value("", Escape::kNone);  // nothing rendered: the line stays empty
  output.literal("\n");
  output.value("one\ntwo", Escape::kNone);
  output.literal("\n");
  CHECK(out == "\n  one\ntwo\n");
}

TEST_CASE("content that does not start a line keeps its first line unindented") {
  std::string out;
  Output output(out);
  output.literal("<p>");
  {
    Output::IndentScope indent(output, "    ", false);
    output.literal("a\nb");
  }
  output.literal("</p>");
  CHECK(out == "<p>a\n    b</p>");
}
