// The files behind a page's asset references, made once: the responsive
// variants of an image (encoded with libvips into the encode-once cache under
// .isrgen/assets/, keyed by the image's content hash and the variant's width,
// format, quality and stripping) and the fingerprinted name of a stylesheet or
// script (its content hash in its name). Output names carry a key of what made
// them, so a CDN may cache them as immutable:
//   static/acme/img/a.jpg -> acme/img/a.640w.1a2b3c4d.webp, acme/img/a.640w.5e6f7a8b.jpg
//   static/acme/css/site.css -> acme/css/site.3f9a0c1d.css
//
// An AssetPipeline serves one build, from many worker threads at once: two
// pages showing one image wait for a single encoding of it. It writes only the
// cache; publishing into the output is the build's (engine/asset_outputs.h).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "assets/image_codec.h"
#include "data/http_fetcher.h"
#include "site/site_config.h"
#include "util/error.h"

namespace isrgen::assets {

// A file an asset reference publishes beside the static copy of its source.
struct AssetOutput {
  std::string output;       // relative to out/: "acme/img/a.640w.1a2b3c4d.webp"
  std::string source;       // site-relative: "static/acme/img/a.jpg"
  std::string source_hash;  // its content hash
  std::string cache_file;   // the bytes, below the cache folder; "" for a fingerprinted copy (the source's bytes)
  bool operator==(const AssetOutput&) const = default;
};

struct ImageVariant {
  int width = 0;
  std::string path;  // below static/<tenant>/: "img/a.640w.1a2b3c4d.webp"
};

struct ResponsiveImage {
  ImageInfo info;                       // the image as displayed
  std::vector<ImageVariant> fallback;   // in the image's own format, narrowest first
  struct Modern {
    ImageFormat format;
    std::vector<ImageVariant> variants;
  };
  std::vector<Modern> modern;           // one per [images] format other than the image's own
  std::string placeholder;              // a data: URI, when asked for
  std::vector<AssetOutput> outputs;     // every variant
};

// What a build did with images: variants encoded, variants found in the cache,
// images whose headers were read (not known from an earlier build).
struct AssetCounts {
  int encoded = 0;
  int reused = 0;
  int probed = 0;
  int fetched = 0;  // remote images requested ([images] remote_hosts)
};

// How remote images are fetched: once, when first shown, through the network
// code of remote sources; the bytes are kept below the cache folder
// (remote/<key>, with the ETag), so later builds and fresh runners carrying
// the cache send no request.
struct RemoteFetching {
  data::HttpFetcher* fetcher = nullptr;  // null: only images fetched before are served
  bool offline = false;                  // --offline: the same
  // Whether the run asked for this URL anew (revalidate --tag asset:<url>):
  // then a conditional request is sent even though the bytes are kept.
  std::function<bool(const std::string& url)> refetch;
};

class AssetPipeline {
 public:
  // The content hash of a site-relative file ("static/acme/img/a.jpg") as the
  // build's change detection saw it; nullopt when there is no such file.
  using HashLookup = std::function<std::optional<std::string>(const std::string& site_path)>;
  // The bytes of a site-relative file, read beneath the site, at most
  // `max_bytes` (`setting` names the limit in the error).
  using SourceReader =
      std::function<Result<std::string>(const std::string& site_path, int64_t max_bytes, const std::string& setting)>;

  // `known_sizes`: the images' sizes an earlier build read, by content hash.
  AssetPipeline(const SiteConfig& config, std::filesystem::path cache_folder, HashLookup hash_of, SourceReader read,
                std::map<std::string, ImageInfo> known_sizes, RemoteFetching remote = {});
  ~AssetPipeline();

  std::optional<std::string> hash_of(const std::string& site_path) const { return hash_of_(site_path); }

  // The variants of static/<tenant>/<path> at the [images] widths that are
  // not wider than the image (its own width joins them as the widest when a
  // wider one was asked for), every one of them in the cache when this
  // returns. An error names the file (unreadable, not an image, past a limit).
  Result<ResponsiveImage> image(const std::string& tenant, const std::string& path, bool placeholder);

  // The variants of the remote image at `url` (on a host of [images]
  // remote_hosts), published below <tenant>/_img/<key of the URL>/. An error
  // when it cannot be fetched and was never fetched before; a failed refetch
  // serves the bytes kept.
  Result<ResponsiveImage> remote_image(const std::string& tenant, const std::string& url, const std::string& name,
                                       bool placeholder);

  // The fingerprinted copy of static/<tenant>/<path> (which must exist).
  AssetOutput fingerprint(const std::string& tenant, const std::string& path) const;

  AssetCounts counts() const;
  // The sizes read by this build, by content hash, for the next one.
  std::map<std::string, ImageInfo> new_sizes() const;

 private:
  struct Entry;
  // Where an image's bytes come from: a static file or a remote URL.
  struct ImageSource {
    std::string name;  // "static/acme/img/a.jpg" or the URL: how errors name it
    std::string hash;  // of its bytes
    std::string stem;  // its variants' path below static/<tenant>/ (or the output's tenant folder), less ".<w>w..."
    std::function<Result<std::string>()> load;
  };
  Result<ResponsiveImage> make_image(const std::string& tenant, const ImageSource& source, bool placeholder);
  Result<ImageInfo> size_of(const ImageSource& source, std::optional<std::string>& bytes);
  Result<std::string> cached(const std::string& name, const std::function<Result<std::string>()>& encode);
  Result<std::string> remote_bytes(const std::string& url);
  // A file of the cache folder (from a remote state, so checked like any
  // input): beneath the folder, links leading out refused, within image_bytes.
  Result<std::string> read_cached(const std::filesystem::path& file) const;

  const SiteConfig& config_;
  std::filesystem::path cache_folder_;
  HashLookup hash_of_;
  SourceReader read_;
  std::once_flag formats_known_;
  std::vector<ImageFormat> modern_formats_;  // the [images] formats this libvips can write

  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<Entry>> entries_;  // by source path, hash and placeholder
  std::map<std::string, std::shared_ptr<std::mutex>> encoding_;  // by cache file name
  std::map<std::string, ImageInfo> sizes_;
  std::map<std::string, ImageInfo> new_sizes_;
  AssetCounts counts_;
  RemoteFetching remote_;
  std::mutex fetching_;  // one remote request at a time: the fetcher is not shared between threads
};

// The cache file name of a variant: a 16-hex-digit key of what makes its
// bytes, and the format's extension.
std::string variant_cache_name(const std::string& source_hash, int width, ImageFormat format, int quality, bool strip);

}  // namespace isrgen::assets
