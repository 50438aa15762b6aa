#include "state/db_failure.h"

#include <sqlite3.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>

#include <SQLiteCpp/Exception.h>

namespace isrgen {
namespace {

// The folder of the database cannot take writes: mounted read-only, or
// without write permission for this user.
bool folder_read_only(const std::filesystem::path& folder) {
  struct statvfs info {};
  if (::statvfs(folder.c_str(), &info) == 0 && (info.f_flag & ST_RDONLY)) return true;
  return ::access(folder.c_str(), W_OK) != 0 && errno == EACCES;
}

bool disk_full(const std::filesystem::path& folder) {
  struct statvfs info {};
  return ::statvfs(folder.c_str(), &info) == 0 && info.f_bavail == 0;
}

}  // namespace

DbFailureKind classify_db_failure(const std::filesystem::path& db_path, const std::exception& error) {
  const auto* sqlite = dynamic_cast<const SQLite::Exception*>(&error);
  if (!sqlite) return DbFailureKind::kOther;
  const std::filesystem::path folder = db_path.has_parent_path() ? db_path.parent_path() : ".";
  switch (sqlite->getErrorCode()) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: return DbFailureKind::kDamaged;
    case SQLITE_READONLY: return DbFailureKind::kReadOnly;
    case SQLITE_FULL: return DbFailureKind::kDiskFull;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return DbFailureKind::kLocked;
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
      // SQLite says "disk I/O error" or "unable to open database file" for
      // both; the folder tells which.
      if (folder_read_only(folder)) return DbFailureKind::kReadOnly;
      if (disk_full(folder)) return DbFailureKind::kDiskFull;
      return DbFailureKind::kOther;
    default: return DbFailureKind::kOther;
  }
}

Error db_failure(const std::filesystem::path& db_path, const std::exception& error, const std::string& what_it_holds,
                 const std::string& if_damaged) {
  const std::string folder = db_path.has_parent_path() ? db_path.parent_path().string() : ".";
  std::string message = what_it_holds + ": " + error.what();
  switch (classify_db_failure(db_path, error)) {
    case DbFailureKind::kReadOnly:
      message += " (" + folder + " is read-only: make it writable, or run where it is; the database is intact, keep it)";
      break;
    case DbFailureKind::kDiskFull:
      message += " (no space left on the disk holding " + folder +
                 ": free some space and run again; the database still holds the last good state, keep it)";
      break;
    case DbFailureKind::kLocked:
      message += " (another process holds the database: let it finish and run again; the database is intact)";
      break;
    case DbFailureKind::kDamaged: message += " (the database is damaged: " + if_damaged + ")"; break;
    case DbFailureKind::kOther:
      message += " (the database is kept as it is: check the disk and the permissions of " + folder + ")";
      break;
  }
  return make_environment_error(db_path.string(), std::move(message));
}

}  // namespace isrgen
