#include "data/reordering.h"

#include <algorithm>

namespace isrgen::data {

std::vector<size_t> moved_elements(const std::vector<size_t>& sequence) {
  constexpr size_t kNone = static_cast<size_t>(-1);
  // Patience sorting: tails[k] is the index of the smallest value that ends an
  // increasing subsequence of length k + 1; previous[] links each element to the
  // one before it in the subsequence it extended.
  std::vector<size_t> tails;
  std::vector<size_t> previous(sequence.size(), kNone);
  for (size_t i = 0; i < sequence.size(); ++i) {
    auto slot = std::lower_bound(tails.begin(), tails.end(), sequence[i],
                                 [&](size_t tail, size_t value) { return sequence[tail] < value; });
    if (slot != tails.begin()) previous[i] = *std::prev(slot);
    if (slot == tails.end()) {
      tails.push_back(i);
    } else {
      *slot = i;
    }
  }
  std::vector<bool> kept(sequence.size(), false);
  for (size_t i = tails.empty() ? kNone : tails.back(); i != kNone; i = previous[i]) kept[i] = true;

  std::vector<size_t> moved;
  for (size_t i = 0; i < sequence.size(); ++i)
    if (!kept[i]) moved.push_back(i);
  return moved;
}

}  // namespace isrgen::data
