// The JSON texts a page's row of the state index keeps: its tags and the
// reasons of its render as arrays of strings, its inputs as an object of
// path -> content hash. Read back with nlohmann::json (DepIndex::load_page).
//
// Written directly rather than through a nlohmann::json value: a build
// records some 10,000 pages of ~24 tags each, and building a json value per
// list (a copy of every string) to dump it cost a tenth of the recording.
// Strings are written by util/json_text.h, alike.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "site/input_file.h"
#include "util/json_text.h"

namespace isrgen {

// ["a","b"]: the strings in their order.
std::string json_string_array(const std::vector<std::string>& strings);

// {"path":"hash",...}: keys sorted, each once (of inputs with the same path,
// the last one's hash), as a JSON object keyed by path holds them.
std::string json_input_hashes(const std::vector<InputFile>& inputs);

}  // namespace isrgen
