// Stat signatures ("size:mtime_ns:inode", util/fs.h) of a state carried to
// another machine or folder (the remote state, publish/remote_state.h). They
// say nothing there: the same bytes have another inode and time. Where the
// state was carried with the files themselves, each signature as recorded
// maps to the signature of its copy here; every other one becomes "", which
// no file has, so the file is hashed again. A signature can thus only cost a
// re-hash on another machine, never skip a file that changed.
#pragma once

#include <map>
#include <string>

#include "util/error.h"

namespace SQLite {
class Database;
}

namespace isrgen {

// Signature as recorded -> signature of the same bytes here.
using SignatureMap = std::map<std::string, std::string>;

// `recorded` with each '|'-joined part mapped through `here`; a part the map
// does not know becomes "" (an empty part stays empty).
std::string relocated_signature(const std::string& recorded, const SignatureMap& here);

// Rewrites `column` of every row of `table` through relocated_signature, in
// the caller's transaction.
void relocate_signature_column(SQLite::Database& db, const std::string& table, const std::string& column,
                               const SignatureMap& here);

}  // namespace isrgen
