// Where a {{name}} sits in the HTML of a site template, decided once at
// compile time by following the HTML tokenizer's states through the template
// text in source order (section tags in between change nothing: the text
// around them is one document). Two places need more than HTML escaping:
//
//   - a URL attribute value (href, src, srcset, ...): data at the start of it
//     picks the URL's scheme, so the renderer checks it (see url_check.h);
//     after template text that fixed the scheme ("/search?q={{q}}",
//     "mailto:{{email}}") it is only HTML-escaped;
//   - an unquoted attribute value: whitespace and = ` would end the value or
//     start a new attribute, so they are escaped too.
//
// A partial is compiled on its own and starts in element content: its tags
// are not checked as if they stood where it is included.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace isrgen::tmpl {

enum class UrlPart : uint8_t {
  kNone,             // not a URL attribute, or after template text that fixed the scheme
  kStart,            // at the start of a URL attribute value: the scheme must be allowed
  kSrcset,           // at the start of a srcset candidate: every candidate URL in the value must be
  kSrcsetContinued,  // inside a srcset candidate: every further candidate the value starts must be
};

struct Placement {
  UrlPart url = UrlPart::kNone;
  bool unquoted = false;  // inside an unquoted attribute value
};

// Which attribute values are URLs: the HTML spec's URL attributes and those
// of html/template (href, src, action, formaction, poster, cite, data, ...),
// names containing "src", "uri" or "url", the same after a "data-" or
// namespace prefix, and xmlns:*. kSrcset for srcset and imagesrcset.
// `name` is lower case.
UrlPart url_attribute(std::string_view name);

// Follows a template's text through the HTML tokenizer states that matter
// here: element content, tags, attribute names and values (quoted and
// unquoted), comments, and the raw text of script, style, textarea, title.
class HtmlContext {
 public:
  // Advances over template text.
  void text(std::string_view text);

  // Where an interpolation at this point sits. Its value then counts as part
  // of what is there: an attribute value it starts stays open.
  Placement interpolation();

 private:
  enum class State : uint8_t {
    kData,
    kTagOpen,          // after '<'
    kEndTagOpen,       // after "</"
    kTagName,
    kBeforeAttrName,
    kAttrName,
    kAfterAttrName,
    kBeforeAttrValue,  // after '='
    kValueDouble,
    kValueSingle,
    kValueUnquoted,
    kMarkupOpen,       // after "<!"
    kMarkupDash,       // after "<!-"
    kComment,          // inside <!-- -->
    kBogusComment,     // <!doctype ...>, <?...>, until '>'
    kRawText,          // inside <script> and the like, until its end tag
  };

  void step(char c);
  void begin_tag_name(char first, bool end_tag);
  void begin_value(State state);
  void value_text(char c);
  void close_tag();
  void raw_text(char c);

  State state_ = State::kData;
  std::string tag_name_;   // lower case
  bool end_tag_ = false;
  std::string attr_name_;  // lower case
  UrlPart value_kind_ = UrlPart::kNone;  // kNone, kStart or kSrcset: what kind of attribute the value is in
  bool scheme_fixed_ = false;            // URL value: template text has fixed the scheme
  bool candidate_start_ = false;         // srcset value: the next character starts a candidate URL
  bool after_ampersand_ = false;         // value text: the previous character was '&'
  int comment_dashes_ = 0;               // "-" seen in a row inside a comment
  size_t raw_matched_ = 0;               // raw text: characters of "</name" seen
};

}  // namespace isrgen::tmpl
