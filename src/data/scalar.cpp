#include "data/scalar.h"

namespace isrgen::data {

bool is_scalar(const nlohmann::json& v) {
  return v.is_string() || v.is_number() || v.is_boolean() || v.is_null();
}

std::string scalar_text(const nlohmann::json& v) {
  // dump() already spells numbers, booleans and null the way tags want them;
  // only strings must lose their quotes and escapes.
  return v.is_string() ? v.get_ref<const std::string&>() : v.dump();
}

std::string describe_kind(const nlohmann::json& v) {
  if (v.is_null()) return "null";
  std::string kind = v.type_name();
  return (v.is_object() || v.is_array() ? "an " : "a ") + kind;
}

}  // namespace isrgen::data
