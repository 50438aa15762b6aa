#include "site/dependency_tag.h"

#include <algorithm>
#include <array>

namespace isrgen {
namespace {

struct KindWord {
  TagKind kind;
  std::string_view word;
};

// The kinds spelled "<word>:<name>". Everything else with a ':' is a source's data.
constexpr std::array<KindWord, 8> kWordKinds{{{TagKind::kPage, "page"},
                                              {TagKind::kTenant, "tenant"},
                                              {TagKind::kLang, "lang"},
                                              {TagKind::kLayout, "layout"},
                                              {TagKind::kComponent, "component"},
                                              {TagKind::kPartial, "partial"},
                                              {TagKind::kSource, "source"},
                                              {TagKind::kAsset, "asset"}}};

constexpr char kKindSeparator = ':';
constexpr char kTermSeparator = '=';
constexpr char kPrefixWildcard = '*';

std::string join(std::string_view head, char separator, std::string_view tail) {
  std::string text;
  text.reserve(head.size() + 1 + tail.size());
  text += head;
  text += separator;
  text += tail;
  return text;
}

std::string word_tag(TagKind kind, std::string_view name) {
  auto found = std::find_if(kWordKinds.begin(), kWordKinds.end(), [kind](const KindWord& k) { return k.kind == kind; });
  return join(found->word, kKindSeparator, name);
}

// A tag cut into its parts, viewing the text.
struct TagParts {
  TagKind kind;
  std::string_view name, id, field, value;
};

std::optional<TagParts> split(std::string_view text) {
  if (text.empty()) return std::nullopt;
  const size_t colon = text.find(kKindSeparator);
  if (colon == std::string_view::npos) return TagParts{TagKind::kPlain, text, {}, {}, {}};
  const std::string_view head = text.substr(0, colon), rest = text.substr(colon + 1);
  if (head.empty() || rest.empty()) return std::nullopt;
  for (const KindWord& kind : kWordKinds)
    if (head == kind.word) return TagParts{kind.kind, rest, {}, {}, {}};
  const size_t equals = rest.find(kTermSeparator);
  if (equals == std::string_view::npos || equals == 0) return TagParts{TagKind::kRecord, head, rest, {}, {}};
  return TagParts{TagKind::kTerm, head, {}, rest.substr(0, equals), rest.substr(equals + 1)};
}

}  // namespace

std::string DependencyTag::to_string() const {
  switch (kind) {
    case TagKind::kRecord: return record_tag(name, id);
    case TagKind::kTerm: return term_tag(name, field, value);
    case TagKind::kPlain: return name;
    default: return word_tag(kind, name);
  }
}

std::optional<DependencyTag> DependencyTag::parse(std::string_view text) {
  auto parts = split(text);
  if (!parts) return std::nullopt;
  return DependencyTag{parts->kind, std::string(parts->name), std::string(parts->id), std::string(parts->field),
                       std::string(parts->value)};
}

std::optional<TagKind> kind_of(std::string_view text) {
  auto parts = split(text);
  if (!parts) return std::nullopt;
  return parts->kind;
}

std::string page_tag(std::string_view page) { return word_tag(TagKind::kPage, page); }
std::string tenant_tag(std::string_view tenant) { return word_tag(TagKind::kTenant, tenant); }
std::string lang_tag(std::string_view lang) { return word_tag(TagKind::kLang, lang); }
std::string layout_tag(std::string_view name) { return word_tag(TagKind::kLayout, name); }
std::string component_tag(std::string_view type) { return word_tag(TagKind::kComponent, type); }
std::string partial_tag(std::string_view name) { return word_tag(TagKind::kPartial, name); }
std::string asset_tag(std::string_view tenant_path) { return word_tag(TagKind::kAsset, tenant_path); }
std::string source_tag(std::string_view source) { return word_tag(TagKind::kSource, source); }

std::string record_tag(std::string_view source, std::string_view id) { return join(source, kKindSeparator, id); }

std::string term_tag(std::string_view source, std::string_view field, std::string_view value) {
  return join(record_tag(source, field), kTermSeparator, value);
}

std::string source_data_prefix(std::string_view source) { return join(source, kKindSeparator, {}); }

std::string prefix_pattern(std::string_view prefix) {
  std::string pattern(prefix);
  pattern += kPrefixWildcard;
  return pattern;
}

std::vector<std::string> whole_source_tags(std::string_view source) {
  return {source_tag(source), prefix_pattern(source_data_prefix(source))};
}

TagPattern::TagPattern(std::string_view text) : is_prefix_(!text.empty() && text.back() == kPrefixWildcard) {
  stem_ = text.substr(0, text.size() - (is_prefix_ ? 1 : 0));
}

bool TagPattern::matches(std::string_view tag) const { return is_prefix_ ? tag.starts_with(stem_) : tag == stem_; }

bool TagPattern::reaches_into(std::string_view prefix) const {
  return std::string_view(stem_).starts_with(prefix) || (is_prefix_ && prefix.starts_with(stem_));
}

bool TagPattern::lies_within(std::string_view prefix) const { return std::string_view(stem_).starts_with(prefix); }

void sort_unique(std::vector<std::string>& tags) {
  std::sort(tags.begin(), tags.end());
  tags.erase(std::unique(tags.begin(), tags.end()), tags.end());
}

}  // namespace isrgen
