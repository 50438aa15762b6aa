// Second compile step: the spec's standalone lines. A line holding nothing but
// whitespace and tags that render nothing where they stand (section tags,
// comments, delimiter changes, partials, parents, blocks) is dropped whole,
// indentation and line break included, so templates can be laid out on lines
// of their own without leaving blank lines in the output.
//
// A parent call, {{<card}}...{{/card}}, counts as a single tag however many
// lines it spans, and what it passes renders elsewhere: so a line is judged
// separately for each level (see Token::level). "  {{<card}}{{$t}}T{{/t}}{{/card}}"
// is standalone where it stands, like a partial; "{{<layout}}{{$main}}" on a
// line of its own is standalone both for the page and for the block's content.
#pragma once

#include <string_view>
#include <vector>

#include "template/tokenizer.h"

namespace isrgen::tmpl {

// Trims the text tokens of standalone lines and sets each tag's `standalone`
// and `indentation`: for a standalone partial or parent, the whitespace that
// preceded it (the indentation of every line it includes); for a block, the
// indentation of its content (see Node in compiled.h).
void mark_standalone_lines(std::string_view source, std::vector<Token>& tokens);

}  // namespace isrgen::tmpl
