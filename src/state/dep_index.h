// The persistent dependency index in <site>/.isrgen/state.db (SQLite, WAL):
// for every page and language its output, output hash, dependency tags, input
// files with content hashes and the reasons of its last render; the static
// files copied to the output; and a log of builds.
//
// Writes go through one BuildTransaction per build: either everything a build
// learned is recorded, or nothing is.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "state/input_file.h"
#include "util/error.h"

namespace SQLite {
class Database;
}

namespace isrgen {

struct PageKey {
  std::string page;  // "<tenant>/<slug>"
  std::string lang;
  auto operator<=>(const PageKey&) const = default;
};

struct PageRecord {
  PageKey key;
  std::string tenant;
  std::string output;  // relative to out/
  std::string url;
  std::string priority;
  std::string output_hash;
  std::string metadata_hash;
  int64_t generated_at_ms = 0;
  std::vector<std::string> tags;
  std::vector<InputFile> inputs;
  std::vector<std::string> reasons;
};

struct BuildSummary {
  int64_t started_at_ms = 0;
  int64_t finished_at_ms = 0;
  std::string kind;  // "full", "force"
  int pages = 0;
  int rendered = 0;
  int written = 0;
  int failed = 0;
};

class DepIndex {
 public:
  static Result<std::unique_ptr<DepIndex>> open(const std::filesystem::path& db_path);
  ~DepIndex();

  // Every recorded page without tags and inputs (output, hashes, generated_at).
  Result<std::map<PageKey, PageRecord>> load_pages() const;
  Result<std::map<std::string, std::string>> load_static_files() const;  // output -> hash
  Result<std::vector<PageKey>> pages_with_tag(const std::string& tag) const;
  Result<PageRecord> load_page(const PageKey& key) const;  // with tags, inputs and reasons

  class BuildTransaction {
   public:
    virtual ~BuildTransaction() = default;
    virtual void put_page(const PageRecord& record) = 0;
    virtual void remove_page(const PageKey& key) = 0;
    virtual void set_page_error(const PageKey& key, const std::string& error) = 0;
    virtual void put_static_file(const std::string& output, const std::string& hash) = 0;
    virtual void remove_static_file(const std::string& output) = 0;
    virtual Status commit(const BuildSummary& summary) = 0;  // nothing is kept unless this succeeds
  };
  // Starts the build's transaction; also clears the previous build's page errors.
  Result<std::unique_ptr<BuildTransaction>> begin_build();

 private:
  explicit DepIndex(std::unique_ptr<SQLite::Database> db, std::string path);
  std::unique_ptr<SQLite::Database> db_;
  std::string path_;
};

}  // namespace isrgen
