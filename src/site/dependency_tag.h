// Dependency tags (ARCHITECTURE §3): the strings a page records for everything
// it read, kept in the state index and the page's metadata, and matched by
// their text when something changes. This file is their one spelling and their
// one reading. The state index of an existing site holds these exact strings,
// so a spelling here never changes without migrating the index.
//
//   page:<tenant>/<slug>  tenant:<id>  lang:<lang>
//   layout:<name>  component:<TYPE>  partial:<name>
//   source:<name>               a source read without a filter
//   <name>:<id>                 a record of the source rendered into the page
//   <name>:<field>=<value>      a filter term the source was read with
//
// A page's own front-matter tags are stored as written; one spelled like a
// data tag ("campaign:summer") reads as one, as the index would match it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace isrgen {

enum class TagKind {
  kPage,
  kTenant,
  kLang,
  kLayout,
  kComponent,
  kPartial,
  kSource,
  kRecord,
  kTerm,
  kAsset,  // a file of static/ a page shows or links: "asset:acme/img/a.jpg"
  kPlain,  // no ':' at all: a front-matter tag of no kind ("featured")
};

struct DependencyTag {
  TagKind kind = TagKind::kPlain;
  std::string name;   // the page id, tenant, language, template name or source name; kPlain: the whole tag
  std::string id;     // kRecord: the record's id
  std::string field;  // kTerm: the field filtered on
  std::string value;  // kTerm: the value it was filtered for

  // The tag as stored: parse(to_string()) gives this tag back, and
  // to_string(parse(text)) gives `text` back for every text that parses.
  std::string to_string() const;

  // Reads a stored tag. The first ':' ends the kind or source name (source
  // names never hold one), so record ids and term values may contain ':'; in a
  // data tag the first '=' after a non-empty field makes it a term, so a record
  // id holding '=' reads as a term, which changes nothing about what it
  // matches. A kind's prefix wins over a source of that name ("page:x"). A
  // trailing '*' is part of a stored tag (TagPattern reads it as a prefix).
  // Nullopt when malformed: empty, or a part missing ("page:", "models:", ":42").
  static std::optional<DependencyTag> parse(std::string_view text);

  bool operator==(const DependencyTag&) const = default;
};

// The kind parse() would give `text`, without copying it; nullopt when malformed.
std::optional<TagKind> kind_of(std::string_view text);

std::string page_tag(std::string_view page);        // "page:acme/summer"
std::string tenant_tag(std::string_view tenant);    // "tenant:acme"
std::string lang_tag(std::string_view lang);        // "lang:de"
std::string layout_tag(std::string_view name);      // "layout:page"
std::string component_tag(std::string_view type);   // "component:HERO_BANNER"
std::string partial_tag(std::string_view name);     // "partial:nav"
// "asset:acme/img/a.jpg": the file static/acme/img/a.jpg, shown (an image) or
// linked (a stylesheet, a script) by the page, or asked for and missing.
std::string asset_tag(std::string_view tenant_path);
std::string source_tag(std::string_view source);    // "source:models"
std::string record_tag(std::string_view source, std::string_view id);                           // "models:m-12"
std::string term_tag(std::string_view source, std::string_view field, std::string_view value);  // "models:city=Berlin"

// "models:": how every record and term tag of a source begins.
std::string source_data_prefix(std::string_view source);

// "models:*": the pattern for every tag that begins with `prefix`.
std::string prefix_pattern(std::string_view prefix);

// "source:models" and "models:*": one of them is carried by every page that
// read the source at all, with a filter or without.
std::vector<std::string> whole_source_tags(std::string_view source);

// A tag as `revalidate --tag` and the index's lookups take it: a trailing '*'
// stands for every tag beginning with what precedes it; anything else is one
// tag, matched by its text.
class TagPattern {
 public:
  explicit TagPattern(std::string_view text);

  bool is_prefix() const { return is_prefix_; }
  // The tag itself, or the prefix without its '*'.
  const std::string& stem() const { return stem_; }

  // Whether `tag` is the tag, or begins with the prefix.
  bool matches(std::string_view tag) const;
  // Whether some tag beginning with `prefix` matches.
  bool reaches_into(std::string_view prefix) const;
  // Whether every tag that matches begins with `prefix`.
  bool lies_within(std::string_view prefix) const;

 private:
  std::string stem_;
  bool is_prefix_ = false;
};

// Sorts `tags` and drops repeats: the canonical form every tag list is kept in.
void sort_unique(std::vector<std::string>& tags);

}  // namespace isrgen
