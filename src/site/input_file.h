// An input a page was built from: a site-relative path and its content hash.
#pragma once

#include <string>

namespace isrgen {

struct InputFile {
  std::string path;
  std::string hash;
  bool operator<(const InputFile& other) const { return path < other.path; }
  bool operator==(const InputFile& other) const = default;
};

}  // namespace isrgen
