// Which elements of a reordered sequence moved: used to tell which records a
// reordered source file moved, since sorting keeps file order among ties.
#pragma once

#include <cstddef>
#include <vector>

namespace isrgen::data {

// `sequence` holds distinct numbers (old positions, listed in their new order).
// Returns the indices of the elements outside one longest increasing
// subsequence: the fewest elements whose moves explain the new order. Moving one
// record to the top thus names that record, not every record it jumped over.
std::vector<size_t> moved_elements(const std::vector<size_t>& sequence);

}  // namespace isrgen::data
