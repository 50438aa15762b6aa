#include "template/value.h"

#include <charconv>

namespace isrgen::tmpl {

bool is_truthy(const nlohmann::json* value) {
  if (value == nullptr) return false;
  switch (value->type()) {
    case nlohmann::json::value_t::null: return false;
    case nlohmann::json::value_t::boolean: return value->get<bool>();
    case nlohmann::json::value_t::array: return !value->empty();
    case nlohmann::json::value_t::string: return !value->get_ref<const std::string&>().empty();
    default: return true;
  }
}

namespace {

template <class Number>
std::string_view format(Number number, NumberBuffer& buffer) {
  auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), number);
  return std::string_view(buffer.data(), static_cast<size_t>(result.ptr - buffer.data()));
}

}  // namespace

std::string_view display_text(const nlohmann::json& value, NumberBuffer& buffer) {
  switch (value.type()) {
    case nlohmann::json::value_t::string: return value.get_ref<const std::string&>();
    case nlohmann::json::value_t::number_integer: return format(value.get<int64_t>(), buffer);
    case nlohmann::json::value_t::number_unsigned: return format(value.get<uint64_t>(), buffer);
    case nlohmann::json::value_t::number_float: return format(value.get<double>(), buffer);
    case nlohmann::json::value_t::boolean: return value.get<bool>() ? "true" : "false";
    default: return {};
  }
}

}  // namespace isrgen::tmpl
