#include "util/nearest_word.h"

#include <algorithm>

namespace isrgen {

size_t edit_distance(std::string_view a, std::string_view b) {
  // Three rows of the dynamic programme: the one before last is what a swap
  // of two neighbours reaches back to.
  std::vector<size_t> before_last(b.size() + 1), last(b.size() + 1), row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) last[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t replace = last[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      row[j] = std::min({last[j] + 1, row[j - 1] + 1, replace});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        row[j] = std::min(row[j], before_last[j - 2] + 1);
    }
    std::swap(before_last, last);
    std::swap(last, row);
  }
  return last[b.size()];
}

std::optional<std::string> nearest_word(std::string_view word, const std::vector<std::string>& known) {
  std::optional<std::string> nearest;
  size_t nearest_distance = 0;
  for (const std::string& candidate : known) {
    if (candidate == word) continue;
    size_t allowed = std::max<size_t>(1, std::max(word.size(), candidate.size()) / 3);
    size_t distance = edit_distance(word, candidate);
    if (distance > allowed || (nearest && distance >= nearest_distance)) continue;
    nearest = candidate;
    nearest_distance = distance;
  }
  return nearest;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& known) {
  auto nearest = nearest_word(word, known);
  return nearest ? " (did you mean '" + *nearest + "'?)" : "";
}

std::string known_words_hint(std::string_view word, const std::vector<std::string>& known) {
  std::string hint = did_you_mean(word, known);
  if (!hint.empty()) return hint;
  for (const std::string& name : known) hint += (hint.empty() ? " (known: " : ", ") + name;
  return hint.empty() ? "" : hint + ")";
}

}  // namespace isrgen
