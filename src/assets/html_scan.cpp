#include "assets/html_scan.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace isrgen::assets {
namespace {

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool starts_with_ignoring_case(std::string_view text, size_t at, std::string_view prefix) {
  if (text.size() - at < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (lower(text[at + i]) != prefix[i]) return false;
  return true;
}

bool equals_ignoring_case(std::string_view text, std::string_view lower_name) {
  if (text.size() != lower_name.size()) return false;
  for (size_t i = 0; i < text.size(); ++i)
    if (lower(text[i]) != lower_name[i]) return false;
  return true;
}

// Elements whose content is text up to their end tag (HTML's raw text and
// escapable raw text elements, and the legacy ones parsed the same way): the
// lower-case name of the one `name` is, or "".
std::string_view raw_text_element(std::string_view name) {
  static constexpr std::string_view kRaw[] = {"script", "style",   "textarea", "title",
                                              "xmp",    "iframe", "noembed",  "noframes"};
  for (std::string_view raw : kRaw)
    if (equals_ignoring_case(name, raw)) return raw;
  return {};
}

// Offset one past the '>' of a tag whose name ends at `at`, as
// parse_attributes finds it (a '>' inside a quoted value does not end the
// tag), without keeping anything: most tags of a page are not wanted.
size_t skip_attributes(std::string_view html, size_t at) {
  const size_t size = html.size();
  bool name_start = true;  // an '=' beginning an attribute's name is part of the name
  while (at < size) {
    const char c = html[at];
    if (c == '>') return at + 1;
    if (c != '=' || name_start) {
      name_start = is_space(c) || c == '/';
      ++at;
      continue;
    }
    ++at;
    while (at < size && is_space(html[at])) ++at;
    if (at < size && (html[at] == '"' || html[at] == '\'')) {
      size_t close = html.find(html[at], at + 1);
      if (close == std::string_view::npos) return close;
      at = close + 1;
    }
  }
  return std::string_view::npos;
}

// Offset one past the end tag "</name" ... '>' at or after `from`, or npos.
size_t skip_raw_text(std::string_view html, size_t from, std::string_view name) {
  size_t at = from;
  while (at < html.size()) {
    const void* hit = std::memchr(html.data() + at, '<', html.size() - at);
    if (!hit) return std::string_view::npos;
    at = static_cast<const char*>(hit) - html.data();
    if (at + 1 < html.size() && html[at + 1] == '/' && starts_with_ignoring_case(html, at + 2, name)) {
      size_t after = at + 2 + name.size();
      if (after >= html.size() || is_space(html[after]) || html[after] == '>' || html[after] == '/') {
        size_t close = html.find('>', after);
        return close == std::string_view::npos ? close : close + 1;
      }
    }
    ++at;
  }
  return std::string_view::npos;
}

// Parses the attributes of the tag whose name ends at `at`; returns the offset
// one past its '>', or npos when the text ends first. `tag` is filled only
// while it stays within the bounds; `bounded` says whether it did.
size_t parse_attributes(std::string_view html, size_t at, HtmlTag& tag, bool& bounded) {
  const size_t limit = std::min(html.size(), tag.begin + kMaxTagBytes);
  bounded = true;
  while (true) {
    while (at < html.size() && (is_space(html[at]) || html[at] == '/')) {
      tag.self_closing = html[at] == '/';
      ++at;
    }
    if (at >= limit) {
      bounded = false;
      size_t close = html.find('>', at);
      return close == std::string_view::npos ? close : close + 1;
    }
    if (html[at] == '>') return at + 1;
    tag.self_closing = false;
    const size_t name_begin = at;
    // A name may begin with '=' (the tokenizer takes it as a character of the name).
    ++at;
    while (at < html.size() && !is_space(html[at]) && html[at] != '/' && html[at] != '>' && html[at] != '=') ++at;
    HtmlAttribute attribute;
    attribute.name.reserve(at - name_begin);
    for (size_t i = name_begin; i < at; ++i) attribute.name.push_back(lower(html[i]));
    size_t look = at;
    while (look < html.size() && is_space(html[look])) ++look;
    if (look < html.size() && html[look] == '=') {
      at = look + 1;
      while (at < html.size() && is_space(html[at])) ++at;
      attribute.has_value = true;
      if (at < html.size() && (html[at] == '"' || html[at] == '\'')) {
        const char quote = html[at];
        size_t close = html.find(quote, at + 1);
        if (close == std::string_view::npos) return close;
        attribute.value = decode_character_references(html.substr(at + 1, close - at - 1));
        at = close + 1;
      } else {
        size_t value_begin = at;
        while (at < html.size() && !is_space(html[at]) && html[at] != '>') ++at;
        attribute.value = decode_character_references(html.substr(value_begin, at - value_begin));
      }
    }
    attribute.source = html.substr(name_begin, at - name_begin);
    if (tag.attributes.size() >= kMaxAttributes) bounded = false;
    else tag.attributes.push_back(std::move(attribute));
  }
}

void append_utf8(std::string& out, uint32_t code) {
  if (code == 0 || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) code = 0xFFFD;
  if (code < 0x80) {
    out.push_back(static_cast<char>(code));
  } else if (code < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (code >> 6)));
    out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
  } else if (code < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (code >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (code >> 18)));
    out.push_back(static_cast<char>(0x80 | ((code >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
  }
}

}  // namespace

const HtmlAttribute* HtmlTag::find(std::string_view wanted) const {
  for (const HtmlAttribute& attribute : attributes)
    if (attribute.name == wanted) return &attribute;
  return nullptr;
}

std::vector<HtmlTag> find_tags(std::string_view html, std::initializer_list<std::string_view> names) {
  std::vector<HtmlTag> found;
  size_t at = 0;
  while (at < html.size()) {
    const void* hit = std::memchr(html.data() + at, '<', html.size() - at);
    if (!hit) break;
    const size_t open = static_cast<const char*>(hit) - html.data();
    at = open + 1;
    if (at >= html.size()) break;
    if (html.compare(at, 3, "!--") == 0) {
      // A comment ends at "-->"; "<!-->" and "<!--->" end at once.
      size_t close = html.find("-->", at + 1);
      if (html.compare(at, 4, "!-->") == 0) close = at + 1;
      if (close == std::string_view::npos) break;
      at = close + 3;
      continue;
    }
    if (html[at] == '!' || html[at] == '?' || (html[at] == '/' && at + 1 < html.size() && is_alpha(html[at + 1]))) {
      // A doctype, bogus comment or end tag: nothing in it is looked at.
      size_t close = html.find('>', at);
      if (close == std::string_view::npos) break;
      at = close + 1;
      continue;
    }
    if (!is_alpha(html[at])) continue;  // "<" as text
    size_t name_end = at;
    while (name_end < html.size() && !is_space(html[name_end]) && html[name_end] != '/' && html[name_end] != '>')
      ++name_end;
    const std::string_view name = html.substr(at, name_end - at);
    const bool wanted =
        std::any_of(names.begin(), names.end(), [&](std::string_view wanted_name) { return equals_ignoring_case(name, wanted_name); });
    HtmlTag tag;
    bool bounded = true;
    size_t end;
    if (wanted) {
      tag.begin = open;
      tag.name.reserve(name.size());
      for (char c : name) tag.name.push_back(lower(c));
      end = parse_attributes(html, name_end, tag, bounded);
    } else {
      end = skip_attributes(html, name_end);
    }
    if (end == std::string_view::npos) break;
    tag.end = end;
    at = end;
    if (std::string_view raw = raw_text_element(name); !raw.empty()) {
      size_t after = skip_raw_text(html, at, raw);
      if (wanted && bounded) found.push_back(std::move(tag));
      if (after == std::string_view::npos) break;
      at = after;
      continue;
    }
    if (wanted && bounded) found.push_back(std::move(tag));
  }
  return found;
}

std::string decode_character_references(std::string_view value) {
  if (value.find('&') == std::string_view::npos) return std::string(value);
  static constexpr std::pair<std::string_view, char> kNamed[] = {
      {"amp;", '&'}, {"lt;", '<'}, {"gt;", '>'}, {"quot;", '"'}, {"apos;", '\''}};
  std::string out;
  out.reserve(value.size());
  for (size_t i = 0; i < value.size(); ++i) {
    if (value[i] != '&') {
      out.push_back(value[i]);
      continue;
    }
    std::string_view rest = value.substr(i + 1);
    bool decoded = false;
    for (const auto& [name, c] : kNamed)
      if (rest.starts_with(name)) {
        out.push_back(c);
        i += name.size();
        decoded = true;
        break;
      }
    if (!decoded && rest.starts_with("#")) {
      bool hex = rest.size() > 1 && (rest[1] == 'x' || rest[1] == 'X');
      size_t digits = hex ? 2 : 1;
      uint32_t code = 0;
      size_t j = digits;
      while (j < rest.size() && j < digits + 8) {
        char c = lower(rest[j]);
        int digit = c >= '0' && c <= '9' ? c - '0' : (hex && c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
        if (digit < 0) break;
        code = code * (hex ? 16 : 10) + static_cast<uint32_t>(digit);
        ++j;
      }
      if (j > digits && j < rest.size() && rest[j] == ';') {
        append_utf8(out, code);
        i += j + 1;
        decoded = true;
      }
    }
    if (!decoded) out.push_back('&');
  }
  return out;
}

std::string escape_attribute(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '&') out += "&amp;";
    else if (c == '"') out += "&quot;";
    else out.push_back(c);
  }
  return out;
}

}  // namespace isrgen::assets
