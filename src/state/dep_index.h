// The persistent dependency index in <site>/.isrgen/state.db (SQLite, WAL):
// for every page and language its output, output hash, dependency tags, input
// files with content hashes and the reasons of its last render; the static
// files copied to the output; the image variants and fingerprinted copies
// published for pages' asset references, which pages use them, and the sizes
// of images read; the snapshots of remote data sources; the pages
// deferred by [build] prerender = "high"; and a log of builds.
//
// Writes go through one BuildTransaction per build: either everything a build
// learned is recorded, or nothing is.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "data/source_snapshot.h"
#include "site/input_file.h"
#include "state/signature_relocation.h"
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
  int64_t generated_at_ms = 0;
  std::vector<std::string> tags;
  std::vector<InputFile> inputs;
  std::vector<std::string> reasons;
  std::string output_signature;  // file_signature of the HTML and the metadata, "|"-joined, as written
  // The image variants and fingerprinted copies the page uses (relative to
  // out/); kept with the page, not loaded with it (load_page_asset_outputs).
  std::vector<std::string> asset_outputs;
};

// A page variant that [build] prerender = "high" leaves unrendered until it is
// asked for. Remembered with the content hashes of its page files, so a build
// knows it is still deferred without reading them again.
struct DeferredPage {
  PageKey key;
  std::string tenant;
  std::string url;     // tenant-relative, "/summer/"
  std::string output;  // where it will publish, relative to out/
  std::string inputs_hash;  // content hashes of its page files, "|"-joined
  bool operator==(const DeferredPage&) const = default;
};

// An input file as the last build saw it.
struct StoredInput {
  std::string signature;  // file_signature
  std::string hash;       // content_hash
  bool operator==(const StoredInput&) const = default;
};

struct StoredStaticFile {
  std::string hash;
  std::string signature;  // of the copy in the output
};

// A file published for an asset reference (assets/asset_pipeline.h): an
// image variant, copied from the encode-once cache, or a fingerprinted copy.
struct StoredAssetOutput {
  std::string source;       // site-relative: "static/acme/img/a.jpg"
  std::string source_hash;  // its content hash when the output was made
  std::string cache_file;   // below .isrgen/assets/; "" for a fingerprinted copy of the source
  std::string signature;    // of the file in the output, as written
  bool operator==(const StoredAssetOutput&) const = default;
};

// An image's size as displayed, read once per content hash.
struct StoredImageSize {
  int width = 0;
  int height = 0;
  std::string format;  // "jpg", "png", "webp"
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
  // Opens the index at `db_path`, creating it and its folder when missing. An
  // index of an older isrgen is brought up to date or, where no upgrade
  // reaches, replaced by an empty one; one of a newer isrgen is an error.
  static Result<std::unique_ptr<DepIndex>> open(const std::filesystem::path& db_path);
  ~DepIndex();

  // Every recorded page without tags, inputs and reasons.
  Result<std::map<PageKey, PageRecord>> load_pages() const;
  Result<std::map<std::string, StoredStaticFile>> load_static_files() const;  // by output
  Result<std::map<std::string, StoredInput>> load_inputs() const;             // by site-relative path
  Result<std::map<std::string, StoredAssetOutput>> load_asset_outputs() const;  // by output
  // Every page's asset outputs (PageRecord::asset_outputs), for pages that have any.
  Result<std::map<PageKey, std::vector<std::string>>> load_page_asset_outputs() const;
  Result<std::map<std::string, StoredImageSize>> load_image_sizes() const;  // by content hash
  // The bytes an input had when last recorded, for inputs kept as snapshots
  // (data files and site.toml, whose changes are diffed); nullopt otherwise.
  Result<std::optional<std::string>> load_snapshot(const std::string& path) const;
  Result<std::map<PageKey, std::string>> load_page_errors() const;
  Result<std::map<std::string, SourceSnapshot>> load_source_snapshots() const;  // by source name
  // The shard of a sharded build ("2/4") the index holds the pages of; "" for
  // an index of the whole site.
  Result<std::string> load_shard() const;
  // Whether the index knows no page and no input: no build was recorded (or
  // what one recorded was forgotten), and the next build starts from nothing.
  Result<bool> holds_nothing() const;

  // Pages carrying any of `tags`, each with the tags it carries. A tag ending in
  // '*' matches every tag with that prefix ("models:*").
  Result<std::map<PageKey, std::vector<std::string>>> pages_with_tags(const std::vector<std::string>& tags) const;
  Result<PageRecord> load_page(const PageKey& key) const;  // with tags, inputs and reasons
  Result<std::optional<PageKey>> page_for_output(const std::string& output) const;
  Result<std::vector<PageKey>> pages_at_url(const std::string& tenant, const std::string& url) const;
  Result<std::vector<std::string>> languages_of(const std::string& page) const;  // "<tenant>/<slug>", sorted

  Result<std::map<PageKey, DeferredPage>> load_deferred_pages() const;
  Result<std::vector<PageKey>> deferred_pages_at_url(const std::string& tenant, const std::string& url) const;
  Result<std::vector<DeferredPage>> deferred_variants_of(const std::string& page) const;  // by language

  class BuildTransaction {
   public:
    virtual ~BuildTransaction() = default;
    virtual void put_page(const PageRecord& record) = 0;
    virtual void remove_page(const PageKey& key) = 0;
    virtual void set_page_error(const PageKey& key, const std::string& error) = 0;
    virtual void put_static_file(const std::string& output, const StoredStaticFile& file) = 0;
    virtual void remove_static_file(const std::string& output) = 0;
    virtual void put_asset_output(const std::string& output, const StoredAssetOutput& file) = 0;
    virtual void remove_asset_output(const std::string& output) = 0;
    virtual void put_image_size(const std::string& hash, const StoredImageSize& size) = 0;
    // `snapshot`: the bytes, for inputs whose changes are diffed.
    virtual void put_input(const std::string& path, const StoredInput& input,
                           const std::optional<std::string>& snapshot) = 0;
    virtual void remove_input(const std::string& path) = 0;
    virtual void put_source_snapshot(const SourceSnapshot& snapshot) = 0;
    // Everything but the records and their hash, for a snapshot whose records are stored already.
    virtual void update_source_status(const SourceSnapshot& snapshot) = 0;
    virtual void remove_source_snapshot(const std::string& source) = 0;
    virtual void put_deferred_page(const DeferredPage& page) = 0;
    virtual void remove_deferred_page(const PageKey& key) = 0;
    // Which shard the index now holds ("2/4"); "" for the whole site.
    virtual void set_shard(const std::string& shard) = 0;

    // The first write that failed, which commit() would return; Ok while
    // every write went in. Lets a build stop before it deletes anything.
    virtual Status status() const = 0;
    virtual Status commit(const BuildSummary& summary) = 0;  // nothing is kept unless this succeeds
  };
  // The index carried to another machine or folder: every stat signature it
  // records (inputs, outputs, static copies) rewritten through `here`, in one
  // transaction, so the next build hashes what it cannot trust.
  Status relocate(const SignatureMap& here);

  // Starts the build's transaction; also clears the previous build's page errors.
  Result<std::unique_ptr<BuildTransaction>> begin_build();

 private:
  explicit DepIndex(std::unique_ptr<SQLite::Database> db, std::string path);
  std::unique_ptr<SQLite::Database> db_;
  std::string path_;
};

}  // namespace isrgen
