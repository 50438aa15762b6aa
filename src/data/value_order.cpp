#include "data/value_order.h"

#include <limits>
#include <string>

namespace isrgen::data {
namespace {

// Every int64, uint64 and double is exact in a 64-bit mantissa, so comparing as
// long double keeps the order total (and std::sort safe) even when integers past
// 2^53 meet floats.
static_assert(std::numeric_limits<long double>::digits >= 64);

std::weak_ordering compare_numbers(const nlohmann::json& a, const nlohmann::json& b) {
  auto x = a.get<long double>();
  auto y = b.get<long double>();
  if (x < y) return std::weak_ordering::less;
  if (y < x) return std::weak_ordering::greater;
  return std::weak_ordering::equivalent;
}

int type_rank(const nlohmann::json& v) {
  if (v.is_number()) return 0;
  if (v.is_string()) return 1;
  if (v.is_boolean()) return 2;
  return 3;
}

}  // namespace

std::weak_ordering compare_for_sort(const nlohmann::json& a, const nlohmann::json& b) {
  int rank = type_rank(a);
  if (rank != type_rank(b)) return rank <=> type_rank(b);
  switch (rank) {
    case 0:
      return compare_numbers(a, b);
    case 1:
      return a.get_ref<const std::string&>() <=> b.get_ref<const std::string&>();
    case 2:
      return a.get<bool>() <=> b.get<bool>();
    default:
      return std::weak_ordering::equivalent;
  }
}

}  // namespace isrgen::data
