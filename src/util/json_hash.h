// Content hashes of parsed JSON values, fed to a Hasher piece by piece as the
// value is walked, without serialising it first.
#pragma once

#include <nlohmann/json.hpp>

#include "util/hash.h"

namespace isrgen {

// Adds `value` to `hasher`: each piece tagged with its type, so 1, "1", 1.0
// and true differ, and length-prefixed (Hasher), so nesting and the split
// between keys and values cannot be confused. Equal values add equal pieces,
// on every platform: an integer counts by its value whether nlohmann holds
// it signed or unsigned, and object members go in key order. Recurses once
// per level of nesting, as nlohmann's dump() does; callers pass values whose
// depth was checked when they were parsed.
void add_json(Hasher& hasher, const nlohmann::json& value);

// A Hasher fed only `value`: its digest as 16 hex digits.
std::string json_hash(const nlohmann::json& value);

}  // namespace isrgen
