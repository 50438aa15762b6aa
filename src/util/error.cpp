#include "util/error.h"

namespace isrgen {

std::string Error::to_string() const {
  std::string out;
  if (!file.empty()) {
    out += file;
    if (line > 0) {
      out += ':' + std::to_string(line);
      if (column > 0) out += ':' + std::to_string(column);
    }
    out += ": ";
  }
  out += message;
  return out;
}

Error make_error(std::string file, int line, std::string message, int column) {
  return Error{std::move(file), line, column, std::move(message)};
}

Error make_environment_error(std::string file, std::string message) {
  return Error{std::move(file), 0, 0, std::move(message), ErrorKind::kEnvironment};
}

}  // namespace isrgen
