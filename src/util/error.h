// Error values that cross module edges (no exceptions between modules).
// An Error names where the problem is (file, line, column, all optional) and
// what to do about it, and prints as "file:line:col: message" like a compiler.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace isrgen {

// Whose the problem is: the input's (a page, a setting, a command line:
// fixed by editing it) or the environment's (a disk, a folder, a database that
// cannot be read or written: fixed on the machine, and worth a retry).
enum class ErrorKind { kInput, kEnvironment };

struct Error {
  std::string file;     // site-relative path, e.g. "content/pages/acme/summer.md"; may be empty
  int line = 0;         // 1-based; 0 = unknown
  int column = 0;       // 1-based; 0 = unknown
  std::string message;  // what went wrong and, where possible, the way out
  ErrorKind kind = ErrorKind::kInput;

  std::string to_string() const;
};

Error make_error(std::string file, int line, std::string message, int column = 0);
// An error of the environment (I/O, disk, database) at `file`.
Error make_environment_error(std::string file, std::string message);

// Either a value or an Error. Kept deliberately small: ok(), value(), error().
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}        // NOLINT: implicit by design
  Result(Error error) : state_(std::move(error)) {}    // NOLINT: implicit by design

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  const Error& error() const { return std::get<1>(state_); }

 private:
  std::variant<T, Error> state_;
};

// Success or an Error, for operations that produce no value.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)) {}  // NOLINT: implicit by design
  static Status Ok() { return Status(); }

  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const { return *error_; }

 private:
  std::optional<Error> error_;
};

}  // namespace isrgen
