// The records of a remote source: picked from an API response (optionally at
// items_path, "data.items"), validated like a data file (an array of objects
// with unique ids), and kept as a canonical JSON array: the snapshot text the
// state index stores and the next response is compared with, so a change in
// the API's whitespace or key order is no change.
#pragma once

#include <string>
#include <string_view>

#include "data/source.h"
#include "util/error.h"

namespace isrgen::data {

// "https://api.example.com/jobs?key=..." -> "https://api.example.com/jobs":
// how a remote source is named in messages and page metadata (a query string
// may carry credentials).
std::string display_url(std::string_view url);

// The records of a response body. Errors say what is wrong at line:column of
// the body (syntax), at the items_path (missing, not an array), or at the
// record's position (no id, duplicate id).
Result<Source> records_from_response(const std::string& name, const std::string& display, std::string_view body,
                                     const std::string& items_path, int max_depth = InputLimits{}.json_depth);

// A snapshot's text back into a Source, nested at most `max_depth` deep (the
// site's limits.json_depth, which the records were accepted under).
Result<Source> records_from_snapshot(const std::string& name, const std::string& display, std::string_view records,
                                     int max_depth);

// The canonical snapshot text of a source's records.
std::string canonical_records(const Source& source);

}  // namespace isrgen::data
