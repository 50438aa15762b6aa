#include "template/html_context.h"

#include <algorithm>
#include <array>

namespace isrgen::tmpl {

namespace {

// HTML's whitespace between attributes (tab, LF, FF, CR, space).
bool is_html_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'; }

bool is_ascii_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// Attributes whose value is one URL: the HTML spec's (with obsolete ones
// browsers still load, like background and longdesc) and html/template's.
// ping holds several URLs, but the first one is where data would go.
constexpr std::array<std::string_view, 20> kUrlAttributes = {
    "action", "archive", "background", "cite",     "classid", "codebase", "data",    "dynsrc", "formaction", "href",
    "icon",   "longdesc", "lowsrc",    "manifest", "ping",    "poster",   "profile", "src",    "usemap",     "xmlns"};

// Elements whose content is text up to their end tag, not markup.
constexpr std::array<std::string_view, 8> kRawTextElements = {"script", "style",   "textarea", "title",
                                                              "xmp",    "iframe",  "noembed",  "noframes"};

bool is_raw_text_element(std::string_view name) {
  return std::find(kRawTextElements.begin(), kRawTextElements.end(), name) != kRawTextElements.end();
}

}  // namespace

UrlPart url_attribute(std::string_view name) {
  if (name.starts_with("data-")) {
    name.remove_prefix(5);  // data-src, data-href: scripts copy them into src and href
  } else if (size_t colon = name.find(':'); colon != std::string_view::npos) {
    if (name.substr(0, colon) == "xmlns") return UrlPart::kStart;
    name.remove_prefix(colon + 1);  // xlink:href
  }
  if (name == "srcset" || name == "imagesrcset") return UrlPart::kSrcset;
  if (std::find(kUrlAttributes.begin(), kUrlAttributes.end(), name) != kUrlAttributes.end()) return UrlPart::kStart;
  bool looks_like_url = name.find("src") != std::string_view::npos || name.find("uri") != std::string_view::npos ||
                        name.find("url") != std::string_view::npos;
  return looks_like_url ? UrlPart::kStart : UrlPart::kNone;
}

void HtmlContext::text(std::string_view text) {
  for (char c : text) step(c);
}

Placement HtmlContext::interpolation() {
  if (state_ == State::kBeforeAttrValue) begin_value(State::kValueUnquoted);  // href={{url}}
  Placement placement;
  if (state_ != State::kValueDouble && state_ != State::kValueSingle && state_ != State::kValueUnquoted)
    return placement;
  placement.unquoted = state_ == State::kValueUnquoted;
  if (value_kind_ == UrlPart::kStart && !scheme_fixed_) placement.url = UrlPart::kStart;
  if (value_kind_ == UrlPart::kSrcset) {
    placement.url = candidate_start_ ? UrlPart::kSrcset : UrlPart::kSrcsetContinued;
    candidate_start_ = false;
  }
  after_ampersand_ = false;
  return placement;
}

void HtmlContext::step(char c) {
  switch (state_) {
    case State::kData:
      if (c == '<') state_ = State::kTagOpen;
      return;
    case State::kTagOpen:
      if (is_ascii_alpha(c)) {
        begin_tag_name(c, false);
      } else if (c == '/') {
        state_ = State::kEndTagOpen;
      } else if (c == '!') {
        state_ = State::kMarkupOpen;
      } else if (c == '?') {
        state_ = State::kBogusComment;
      } else if (c != '<') {
        state_ = State::kData;  // a lone '<' is text
      }
      return;
    case State::kEndTagOpen:
      if (is_ascii_alpha(c)) {
        begin_tag_name(c, true);
      } else {
        state_ = c == '>' ? State::kData : State::kBogusComment;
      }
      return;
    case State::kTagName:
      if (is_html_space(c) || c == '/') state_ = State::kBeforeAttrName;
      else if (c == '>') close_tag();
      else tag_name_ += ascii_lower(c);
      return;
    case State::kBeforeAttrName:
    case State::kAfterAttrName:
      if (is_html_space(c) || c == '/') {
        if (c == '/') state_ = State::kBeforeAttrName;
      } else if (c == '>') {
        close_tag();
      } else if (c == '=' && state_ == State::kAfterAttrName) {
        state_ = State::kBeforeAttrValue;
      } else {
        attr_name_.assign(1, ascii_lower(c));
        state_ = State::kAttrName;
      }
      return;
    case State::kAttrName:
      if (is_html_space(c)) state_ = State::kAfterAttrName;
      else if (c == '/') state_ = State::kBeforeAttrName;
      else if (c == '>') close_tag();
      else if (c == '=') state_ = State::kBeforeAttrValue;
      else attr_name_ += ascii_lower(c);
      return;
    case State::kBeforeAttrValue:
      if (is_html_space(c)) return;
      if (c == '"') begin_value(State::kValueDouble);
      else if (c == '\'') begin_value(State::kValueSingle);
      else if (c == '>') close_tag();
      else {
        begin_value(State::kValueUnquoted);
        value_text(c);
      }
      return;
    case State::kValueDouble:
    case State::kValueSingle:
      if (c == (state_ == State::kValueDouble ? '"' : '\'')) state_ = State::kBeforeAttrName;
      else value_text(c);
      return;
    case State::kValueUnquoted:
      if (is_html_space(c)) state_ = State::kBeforeAttrName;
      else if (c == '>') close_tag();
      else value_text(c);
      return;
    case State::kMarkupOpen:
    case State::kMarkupDash:
      if (c == '-' && state_ == State::kMarkupOpen) {
        state_ = State::kMarkupDash;
      } else if (c == '-') {
        state_ = State::kComment;
        comment_dashes_ = 0;
      } else {
        state_ = c == '>' ? State::kData : State::kBogusComment;
      }
      return;
    case State::kComment:
      if (c == '>' && comment_dashes_ >= 2) state_ = State::kData;
      comment_dashes_ = c == '-' ? comment_dashes_ + 1 : 0;
      return;
    case State::kBogusComment:
      if (c == '>') state_ = State::kData;
      return;
    case State::kRawText: raw_text(c); return;
  }
}

void HtmlContext::begin_tag_name(char first, bool end_tag) {
  tag_name_.assign(1, ascii_lower(first));
  end_tag_ = end_tag;
  state_ = State::kTagName;
}

// '>' closes the tag; after the start tag of script and the like, what
// follows is text until its end tag.
void HtmlContext::close_tag() {
  bool raw = !end_tag_ && is_raw_text_element(tag_name_);
  state_ = raw ? State::kRawText : State::kData;
  raw_matched_ = 0;
}

void HtmlContext::begin_value(State state) {
  state_ = state;
  value_kind_ = url_attribute(attr_name_);
  scheme_fixed_ = false;
  candidate_start_ = true;
  after_ampersand_ = false;
}

// Template text inside an attribute value. In a URL, '/', '?', '#' or ':'
// ends the part that can be a scheme ('#' not right after '&', where it
// begins a character reference like "&#106;", which is a letter).
void HtmlContext::value_text(char c) {
  if (value_kind_ == UrlPart::kStart && !scheme_fixed_)
    scheme_fixed_ = c == '/' || c == '?' || c == ':' || (c == '#' && !after_ampersand_);
  if (value_kind_ == UrlPart::kSrcset) {
    if (c == ',') candidate_start_ = true;
    else if (!is_html_space(c)) candidate_start_ = false;
  }
  after_ampersand_ = c == '&';
}

// Looks for "</name" followed by whitespace, '/' or '>' (any case).
void HtmlContext::raw_text(char c) {
  const size_t pattern_size = 2 + tag_name_.size();
  if (raw_matched_ == pattern_size) {
    if (is_html_space(c) || c == '/' || c == '>') {
      end_tag_ = true;
      if (c == '>') close_tag();
      else state_ = State::kBeforeAttrName;
      return;
    }
    raw_matched_ = 0;
  }
  char expected = raw_matched_ == 0 ? '<' : raw_matched_ == 1 ? '/' : tag_name_[raw_matched_ - 2];
  if (ascii_lower(c) == expected) ++raw_matched_;
  else raw_matched_ = c == '<' ? 1 : 0;
}

}  // namespace isrgen::tmpl
