// What went wrong with one of the SQLite stores, said so that the way out
// fits. A read-only folder, a full disk and a lock held elsewhere leave the
// database intact: deleting it would throw away remote snapshots and the
// deploy state for nothing, so only real corruption is told to move it aside.
#pragma once

#include <exception>
#include <filesystem>
#include <string>

#include "util/error.h"

namespace isrgen {

enum class DbFailureKind { kReadOnly, kDiskFull, kLocked, kDamaged, kOther };

// Classifies `error` (an SQLite::Exception, else kOther) thrown while using
// the database at `db_path`; the folder is looked at to tell a read-only or
// full disk behind a generic "disk I/O error".
DbFailureKind classify_db_failure(const std::filesystem::path& db_path, const std::exception& error);

// An error at `db_path`: what happened, and the way out. `what_it_holds` names
// the database for a person ("the state index", "the job queue of isrgen
// serve"); `if_damaged` is the advice given only for real corruption.
Error db_failure(const std::filesystem::path& db_path, const std::exception& error, const std::string& what_it_holds,
                 const std::string& if_damaged);

}  // namespace isrgen
