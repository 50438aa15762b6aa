#include "data/record_diff.h"

#include <algorithm>

#include "data/reordering.h"
#include "data/scalar.h"
#include "site/dependency_tag.h"

namespace isrgen::data {
namespace {

using nlohmann::json;

// nlohmann's operator== calls 1 and 1.0 equal, but they render and tag
// differently ("1" and "1.0"), so the types must match too.
bool same_json(const json& a, const json& b) {
  if (a.type() != b.type() || a.size() != b.size()) return false;
  if (a.is_object()) {
    for (auto x = a.begin(), y = b.begin(); x != a.end(); ++x, ++y)
      if (x.key() != y.key() || !same_json(*x, *y)) return false;
    return true;
  }
  if (a.is_array()) return std::equal(a.begin(), a.end(), b.begin(), same_json);
  return a == b;
}

struct TagSink {
  const std::string& source;
  std::vector<std::string> tags;

  // The tags a page may carry because it read this version of the record.
  void add_record(const Source& version, size_t position) {
    tags.push_back(record_tag(source, version.ids[position]));
    for_each_scalar_term(version.records[position], [&](const std::string& field, const std::string& value) {
      tags.push_back(term_tag(source, field, value));
    });
  }
};

// Positions of one record in both versions.
struct Kept {
  size_t old_position;
  size_t new_position;
};

std::vector<Kept> add_added_and_changed(const Source& old, const Source& now, TagSink& sink) {
  std::vector<Kept> kept;
  for (size_t i = 0; i < now.records.size(); ++i) {
    auto before = old.index_by_id.find(now.ids[i]);
    if (before == old.index_by_id.end()) {
      sink.add_record(now, i);
      continue;
    }
    if (!same_json(old.records[before->second], now.records[i])) {
      sink.add_record(old, before->second);
      sink.add_record(now, i);
    }
    kept.push_back({before->second, i});
  }
  return kept;
}

void add_removed(const Source& old, const Source& now, TagSink& sink) {
  for (size_t i = 0; i < old.records.size(); ++i)
    if (!now.index_by_id.contains(old.ids[i])) sink.add_record(old, i);
}

// Order matters even between unchanged records: a query keeps file order among
// records that tie in its sort (or when it has none), so swapping two records
// that a page lists can change the page. Such a page carries the records' filter
// terms or "source:<name>", so invalidating the tags of the records that moved
// reaches it. Only the relative order of the kept records counts: an insertion
// shifts every later position but reorders nothing, and the new record has
// tags of its own.
void add_moved(const Source& now, const std::vector<Kept>& kept, TagSink& sink) {
  std::vector<size_t> old_order;
  old_order.reserve(kept.size());
  for (const Kept& record : kept) old_order.push_back(record.old_position);
  for (size_t moved : moved_elements(old_order)) sink.add_record(now, kept[moved].new_position);
}

}  // namespace

std::vector<std::string> invalidated_tags(const Source* old_version, const Source& new_version) {
  static const Source kNoRecords;
  const Source& old = old_version ? *old_version : kNoRecords;
  TagSink sink{new_version.name, {}};
  std::vector<Kept> kept = add_added_and_changed(old, new_version, sink);
  add_removed(old, new_version, sink);
  add_moved(new_version, kept, sink);
  // A source seen for the first time is a change even without records: pages
  // that name it could not read it before.
  if (!sink.tags.empty() || !old_version) sink.tags.push_back(source_tag(new_version.name));
  sort_unique(sink.tags);
  return sink.tags;
}

}  // namespace isrgen::data
