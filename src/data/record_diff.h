// What a change to a source invalidates, for the incremental engine
// (ARCHITECTURE §3): every page that read something the change touched carries
// at least one of these tags.
#pragma once

#include <string>
#include <vector>

#include "data/source.h"

namespace isrgen::data {

// For each record added, removed or changed (compared as JSON values, types
// included: 1 and 1.0 differ), of both versions: "source:<name>", "<name>:<id>"
// and "<name>:<field>=<value>" for every scalar field and each scalar element of
// array fields. Reordering the file counts too, for the records that moved (see
// record_diff.cpp). Sorted, unique; empty when nothing changed. `old_version` is
// null for a source seen for the first time, which always invalidates
// "source:<name>". Tags use new_version.name.
std::vector<std::string> invalidated_tags(const Source* old_version, const Source& new_version);

}  // namespace isrgen::data
