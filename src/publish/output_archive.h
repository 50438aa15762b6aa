// The output folder as one blob, for the remote state (remote_state.h): a
// runner that starts empty gets back the output its state index describes, so
// it renders only what changed and its sync sends only that. Each file goes
// with the stat signature it had when packed, so that the state index and the
// deploy state, which record those signatures, can be relocated to the copies
// (state/signature_relocation.h) instead of hashing every output again.
//
// The blob is "isrgen-output 1\n", then per file a line
// "<size> <signature> <path>\n" and its bytes. It comes from a bucket, so
// unpacking trusts none of it: paths must stay beneath the destination (no
// "..", no absolute path, no empty or "." part), sizes must fit the blob.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "state/signature_relocation.h"
#include "util/error.h"

namespace isrgen::publish {

// Every regular file below `out` (links and out/.isrgen-tmp left out). A
// missing folder packs as empty.
Result<std::string> pack_output(const std::filesystem::path& out);

// Writes the files of `archive` below `destination` (made, and expected
// empty) and returns, for each, its signature as packed -> its signature here.
Result<SignatureMap> unpack_output(std::string_view archive, const std::filesystem::path& destination);

}  // namespace isrgen::publish
