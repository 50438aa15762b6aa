#include "template/url_check.h"

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <utility>

namespace isrgen::tmpl {

namespace {

constexpr std::array<std::string_view, 4> kAllowedSchemes = {"http", "https", "mailto", "tel"};
constexpr size_t kLongestAllowedScheme = 6;

// srcset separates candidates and descriptors by HTML whitespace.
constexpr std::string_view kHtmlSpace = " \t\n\f\r";
constexpr std::string_view kSeparators = " \t\n\f\r,";

char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// No ':' before the first '/', '?' or '#' means no scheme (a relative URL).
// Otherwise the text before it, without spaces and control characters, is
// the scheme.
bool has_allowed_scheme(std::string_view url) {
  size_t end = url.find_first_of(":/?#");
  if (end == std::string_view::npos || url[end] != ':') return true;
  std::array<char, kLongestAllowedScheme> scheme;
  size_t size = 0;
  for (char c : url.substr(0, end)) {
    auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == 0x7f) continue;
    if (size == scheme.size()) return false;  // longer than any allowed scheme
    scheme[size++] = ascii_lower(c);
  }
  std::string_view found(scheme.data(), size);
  return std::find(kAllowedSchemes.begin(), kAllowedSchemes.end(), found) != kAllowedSchemes.end();
}

// Named references that spell what a scheme is made of or ends with.
constexpr std::array<std::pair<std::string_view, char>, 6> kNamedReferences = {
    {{"colon;", ':'}, {"Tab;", '\t'}, {"NewLine;", '\n'}, {"sol;", '/'}, {"quest;", '?'}, {"num;", '#'}}};

// The character of the reference at the start of `text` ("&#106;", "&#x6a",
// "&colon;") and its length. Browsers read numeric references without their
// ';' too. Code points past ASCII read as 0x80, a byte no scheme contains.
std::optional<std::pair<char, size_t>> decode_reference(std::string_view text) {
  for (const auto& [name, decoded] : kNamedReferences)
    if (text.substr(1).starts_with(name)) return std::pair(decoded, 1 + name.size());
  if (text.size() < 3 || text[1] != '#') return std::nullopt;
  bool hex = text[2] == 'x' || text[2] == 'X';
  size_t i = hex ? 3 : 2;
  const size_t digits_begin = i;
  uint32_t code_point = 0;
  for (; i < text.size(); ++i) {
    char c = ascii_lower(text[i]);
    int digit = c >= '0' && c <= '9' ? c - '0' : (hex && c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
    if (digit < 0) break;
    code_point = std::min<uint32_t>(code_point * (hex ? 16 : 10) + digit, 0x110000);
  }
  if (i == digits_begin) return std::nullopt;
  if (i < text.size() && text[i] == ';') ++i;
  return std::pair(code_point < 0x80 ? static_cast<char>(code_point) : '\x80', i);
}

std::string decode_references(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    auto reference = text[i] == '&' ? decode_reference(text.substr(i)) : std::nullopt;
    if (reference) {
      out += reference->first;
      i += reference->second;
    } else {
      out += text[i++];
    }
  }
  return out;
}

}  // namespace

bool is_allowed_url(std::string_view url) {
  if (!has_allowed_scheme(url)) return false;
  return url.find('&') == std::string_view::npos || has_allowed_scheme(decode_references(url));
}

// Reads candidates as browsers do: skip whitespace and commas, the URL runs
// to the next whitespace (trailing commas end the candidate), descriptors run
// to the next comma.
bool is_allowed_srcset(std::string_view srcset, bool continued) {
  // A continued value's first URL (or descriptor) belongs to the template's candidate.
  size_t pos = continued ? srcset.find_first_of(kSeparators) : 0;
  while (pos < srcset.size()) {
    pos = srcset.find_first_not_of(kSeparators, pos);
    if (pos == std::string_view::npos) break;
    size_t end = std::min(srcset.find_first_of(kHtmlSpace, pos), srcset.size());
    std::string_view url = srcset.substr(pos, end - pos);
    bool ends_candidate = url.back() == ',';
    while (!url.empty() && url.back() == ',') url.remove_suffix(1);
    if (!is_allowed_url(url)) return false;
    pos = ends_candidate ? end : srcset.find(',', end);
  }
  return true;
}

}  // namespace isrgen::tmpl
