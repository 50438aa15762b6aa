#include "state/signature_relocation.h"

#include <SQLiteCpp/SQLiteCpp.h>

namespace isrgen {

std::string relocated_signature(const std::string& recorded, const SignatureMap& here) {
  std::string relocated;
  size_t start = 0;
  for (;;) {
    size_t bar = recorded.find('|', start);
    std::string part = recorded.substr(start, bar == std::string::npos ? std::string::npos : bar - start);
    if (auto found = here.find(part); found != here.end() && !part.empty()) relocated += found->second;
    if (bar == std::string::npos) break;
    relocated += '|';
    start = bar + 1;
  }
  return relocated;
}

void relocate_signature_column(SQLite::Database& db, const std::string& table, const std::string& column,
                               const SignatureMap& here) {
  // Read first, then write by value: a new signature is never taken for an
  // old one, as a row-by-row UPDATE of the same column could.
  std::map<std::string, std::string> rewritten;
  SQLite::Statement query(db, "SELECT DISTINCT " + column + " FROM " + table);
  while (query.executeStep()) {
    std::string recorded = query.getColumn(0).getString();
    rewritten.emplace(recorded, relocated_signature(recorded, here));
  }
  db.exec("CREATE TEMP TABLE relocation(recorded TEXT PRIMARY KEY, here TEXT NOT NULL)");
  SQLite::Statement insert(db, "INSERT INTO relocation(recorded, here) VALUES(?, ?)");
  for (const auto& [recorded, relocated] : rewritten) {
    insert.reset();
    insert.bind(1, recorded);
    insert.bind(2, relocated);
    insert.exec();
  }
  db.exec("UPDATE " + table + " SET " + column + " = (SELECT here FROM relocation WHERE recorded = " + table + "." +
          column + ")");
  db.exec("DROP TABLE relocation");
}

}  // namespace isrgen
