// How JSON values read as text. A scalar's text is what dependency tags carry
// ("models:city=Berlin") and what filters compare, so a filter value written in
// YAML front matter and a record value from a JSON file meet on one spelling.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace isrgen::data {

// Strings, numbers, booleans and null.
bool is_scalar(const nlohmann::json& v);

// string -> as is; integer -> decimal; float -> shortest round-trip ("4.5", "1.0");
// true/false; null -> "null". (Non-scalars give their compact JSON.)
std::string scalar_text(const nlohmann::json& v);

// "a string", "an object", "null"... for messages that say what was found.
std::string describe_kind(const nlohmann::json& v);

// Calls visit(field, text) for every scalar field of `record` and for each scalar
// element of its array fields: the terms a filter can match and a change invalidates.
template <class Visit>
void for_each_scalar_term(const nlohmann::json& record, Visit&& visit) {
  for (auto field = record.begin(); field != record.end(); ++field) {
    if (is_scalar(*field)) {
      visit(field.key(), scalar_text(*field));
    } else if (field->is_array()) {
      for (const nlohmann::json& element : *field)
        if (is_scalar(element)) visit(field.key(), scalar_text(element));
    }
  }
}

}  // namespace isrgen::data
