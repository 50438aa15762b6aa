// Comparing the output folders of two builds the way the contract promises
// equality (ARCHITECTURE §2, §3): the same files and folders, HTML and static
// files byte for byte, metadata equal once `generated_at` (the one field a
// fresh build may legitimately spell differently) is left out, sitemaps
// without their `lastmod` (the same time, per URL). The build's
// scratch folder `.isrgen-tmp` is never part of the output.
//
// Header-only: the test target lists its support sources by name in
// CMakeLists.txt and globs only *_test.cpp files.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/sitemap.h"
#include "test_support.h"

namespace isrgen::testing {

inline constexpr const char* kOutputTemp = ".isrgen-tmp";

// `isrgen build --site <site> --out <site>/out --json`, the report parsed
// (null when stdout was empty, e.g. after a kill).
struct SiteBuild {
  CommandResult result;
  nlohmann::json report;
};

inline SiteBuild build_site(const fs::path& site, const std::vector<std::string>& env = {},
                            const std::vector<std::string>& extra = {}) {
  std::vector<std::string> args = {"build", "--site", site.string(), "--out", (site / "out").string(), "--json"};
  args.insert(args.end(), extra.begin(), extra.end());
  SiteBuild build;
  build.result = run_isrgen(args, env);
  build.report = nlohmann::json::parse(build.result.out.empty() ? "null" : build.result.out, nullptr, false);
  return build;
}

// Replaces `to`'s content/, templates/ and static/ with copies of `from`'s, and
// removes its output and state: the same site, never built.
inline void copy_site_sources(const fs::path& from, const fs::path& to) {
  for (const char* folder : {"content", "templates", "static", "out", ".isrgen"}) fs::remove_all(to / folder);
  for (const char* folder : {"content", "templates", "static"})
    if (fs::exists(from / folder)) fs::copy(from / folder, to / folder, fs::copy_options::recursive);
}

inline bool is_metadata_path(const std::string& path) {
  return path == "index.metadata.json" || path.ends_with("/index.metadata.json");
}

// Metadata without `generated_at`, re-serialised; anything else as it is. A
// metadata file that does not parse stays raw, so it can only equal itself.
inline std::string comparable(const std::string& path, const std::string& bytes) {
  if (is_sitemap_output(path)) return sitemap_without_lastmod(bytes);
  if (!is_metadata_path(path)) return bytes;
  nlohmann::json meta = nlohmann::json::parse(bytes, nullptr, false);
  if (meta.is_discarded() || !meta.is_object()) return bytes;
  meta.erase("generated_at");
  return meta.dump(2);
}

// Everything under an output folder: files by relative path with their bytes,
// folders as "<path>/" with empty bytes.
struct OutputTree {
  std::map<std::string, std::string> entries;

  static OutputTree read(const fs::path& out) {
    OutputTree tree;
    if (!fs::exists(out)) return tree;
    for (auto it = fs::recursive_directory_iterator(out); it != fs::recursive_directory_iterator(); ++it) {
      std::string relative = it->path().lexically_relative(out).generic_string();
      if (it.depth() == 0 && it->path().filename() == kOutputTemp) {
        it.disable_recursion_pending();
        continue;
      }
      if (it->is_directory()) tree.entries[relative + "/"] = "";
      else tree.entries[relative] = read_text(it->path());
    }
    return tree;
  }

  bool has(const std::string& path) const { return entries.contains(path); }
};

inline std::string first_differing_line(const std::string& a, const std::string& b) {
  size_t at = 0;
  while (at < a.size() && at < b.size() && a[at] == b[at]) ++at;
  auto line_around = [&](const std::string& text) {
    size_t start = text.rfind('\n', at == 0 ? 0 : at - 1);
    start = start == std::string::npos ? 0 : start + 1;
    size_t end = text.find('\n', at);
    return text.substr(start, std::min<size_t>(end == std::string::npos ? text.size() - start : end - start, 300));
  };
  return "at byte " + std::to_string(at) + ":\n      " + line_around(a) + "\n   vs " + line_around(b);
}

// "" when `actual` equals `expected` under the rules above, else the first few
// differences, one per line, naming `actual_name` and `expected_name`.
inline std::string describe_difference(const OutputTree& actual, const OutputTree& expected,
                                       const std::string& actual_name = "incremental",
                                       const std::string& expected_name = "full build") {
  std::string out;
  int shown = 0;
  auto note = [&](const std::string& line) {
    if (shown++ < 8) out += line + "\n";
  };
  for (const auto& [path, bytes] : actual.entries) {
    auto other = expected.entries.find(path);
    if (other == expected.entries.end()) note("only in " + actual_name + ": " + path);
    else if (comparable(path, bytes) != comparable(path, other->second))
      note("differs: " + path + " " + first_differing_line(comparable(path, bytes), comparable(path, other->second)));
  }
  for (const auto& [path, bytes] : expected.entries)
    if (!actual.has(path)) note("only in " + expected_name + ": " + path);
  if (shown > 8) out += "... and " + std::to_string(shown - 8) + " more\n";
  return out;
}

inline bool temp_folder_is_clear(const fs::path& out) {
  fs::path temp = out / kOutputTemp;
  return !fs::exists(temp) || fs::is_empty(temp);
}

}  // namespace isrgen::testing
