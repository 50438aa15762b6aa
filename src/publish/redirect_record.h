// What `sync`, `serve` and `dev` read of a tenant's redirects:
// out/<tenant>/.isrgen-redirects.json, which the build writes beside the
// alias pages (engine/alias_pages.h). A missing or unreadable record is an
// empty one: the alias pages are then served as the HTML they are.
#pragma once

#include <filesystem>
#include <map>
#include <string>

namespace isrgen::publish {

struct RedirectEntry {
  std::string location;  // absolute: "https://acme.example/new/"
  std::string target;    // tenant-relative: "/new/"
  std::string output;    // the alias page, relative to out/: "acme/old/index.html"
};

struct RedirectRecord {
  std::map<std::string, RedirectEntry> by_alias;   // "/old/" -> entry
  std::map<std::string, std::string> by_output;    // "acme/old/index.html" -> location
};

RedirectRecord read_redirect_record(const std::filesystem::path& out, const std::string& tenant);

// The record's path relative to out/: "acme/.isrgen-redirects.json".
std::string redirect_record_path(const std::string& tenant);

}  // namespace isrgen::publish
