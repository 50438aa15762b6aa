#include "assets/asset_pipeline.h"

#include <algorithm>

#include "assets/asset_reference.h"
#include "util/base64.h"
#include "util/confined_file.h"
#include "util/fs.h"
#include "util/hash.h"

namespace isrgen::assets {

struct AssetPipeline::Entry {
  std::mutex mutex;
  std::optional<Result<ResponsiveImage>> made;
};

namespace {

// An ETag is a short quoted string; a longer file under its name is not one isrgen wrote.
constexpr size_t kLongestEtag = 8 << 10;

// "img/a.jpg" -> "img/a" (the extension goes; a dot in a folder stays).
std::string stem_of(const std::string& path) {
  size_t dot = path.rfind('.');
  size_t slash = path.rfind('/');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return path;
  return path.substr(0, dot);
}

// The widths to make of an image `own` pixels wide.
std::vector<int> widths_for(const std::vector<int>& configured, int own) {
  std::vector<int> widths;
  for (int width : configured)
    if (width < own) widths.push_back(width);
  if (configured.empty() || configured.back() >= own) widths.push_back(own);
  return widths;
}

}  // namespace

std::string variant_cache_name(const std::string& source_hash, int width, ImageFormat format, int quality, bool strip) {
  Hasher key;
  key.add("variant").add(source_hash).add(std::to_string(width)).add(format_extension(format));
  key.add(std::to_string(quality)).add(strip ? "strip" : "keep");
  return key.hex() + "." + std::string(format_extension(format));
}

AssetPipeline::AssetPipeline(const SiteConfig& config, std::filesystem::path cache_folder, HashLookup hash_of,
                             SourceReader read, std::map<std::string, ImageInfo> known_sizes, RemoteFetching remote)
    : config_(config),
      cache_folder_(std::move(cache_folder)),
      hash_of_(std::move(hash_of)),
      read_(std::move(read)),
      sizes_(std::move(known_sizes)),
      remote_(std::move(remote)) {
}

AssetPipeline::~AssetPipeline() = default;

Result<ResponsiveImage> AssetPipeline::image(const std::string& tenant, const std::string& path, bool placeholder) {
  const std::string site_path = "static/" + tenant + "/" + path;
  std::optional<std::string> hash = hash_of_(site_path);
  if (!hash) return make_error(site_path, 0, "no such file");
  std::shared_ptr<Entry> entry;
  {
    std::lock_guard lock(mutex_);
    auto& slot = entries_[site_path + "|" + *hash + (placeholder ? "|placeholder" : "")];
    if (!slot) slot = std::make_shared<Entry>();
    entry = slot;
  }
  std::lock_guard lock(entry->mutex);
  if (!entry->made) {
    ImageSource source{site_path, *hash, stem_of(path), [&]() {
                         return read_(site_path, config_.limits.image_bytes, InputLimits::setting("image_bytes"));
                       }};
    entry->made = make_image(tenant, source, placeholder);
  }
  return *entry->made;
}

Result<std::string> AssetPipeline::read_cached(const std::filesystem::path& file) const {
  return read_file_beneath(cache_folder_, file.lexically_relative(cache_folder_),
                           static_cast<size_t>(config_.limits.image_bytes), "limits.image_bytes");
}

Result<std::string> AssetPipeline::remote_bytes(const std::string& url) {
  Hasher key;
  key.add("remote").add(url);
  const std::filesystem::path kept = cache_folder_ / "remote" / key.hex();
  const std::filesystem::path etag_file = kept.string() + ".etag";
  std::lock_guard lock(fetching_);
  std::error_code ignored;
  const bool have = std::filesystem::is_regular_file(kept, ignored);
  const bool ask = !have || (remote_.refetch && remote_.refetch(url));
  if (!ask || remote_.offline || !remote_.fetcher) {
    if (have) return read_cached(kept);
    return make_error(url, 0, remote_.offline ? "not fetched yet, and --offline fetches nothing"
                                              : "not fetched yet, and this run fetches nothing");
  }
  data::HttpRequest request;
  request.url = url;
  request.max_bytes = config_.limits.image_bytes;
  request.retries = 1;
  if (have)
    if (auto etag = read_file_beneath(cache_folder_, etag_file.lexically_relative(cache_folder_), kLongestEtag);
        etag.ok())
      request.if_none_match = etag.value();
  data::HttpResponse response = remote_.fetcher->fetch_all({request}).at(0);
  {
    std::lock_guard counting(mutex_);
    ++counts_.fetched;
  }
  if (response.status == 200 && response.error.empty()) {
    if (Status written = write_file_atomic(kept, response.body); !written.ok()) return written.error();
    if (Status written = write_file_atomic(etag_file, response.etag); !written.ok()) return written.error();
    return std::move(response.body);
  }
  // A 304 confirms the bytes kept; any failure serves them if there are some.
  if (have) return read_cached(kept);
  std::string why = !response.error.empty() ? response.error : "HTTP " + std::to_string(response.status);
  if (response.error.find("over") != std::string::npos)
    why += " (limits.image_bytes in content/site.toml)";
  return make_error(url, 0, "cannot fetch the image: " + why);
}

Result<ResponsiveImage> AssetPipeline::remote_image(const std::string& tenant, const std::string& url,
                                                    const std::string& name, bool placeholder) {
  std::shared_ptr<Entry> entry;
  {
    std::lock_guard lock(mutex_);
    auto& slot = entries_["remote|" + tenant + "|" + url + (placeholder ? "|placeholder" : "")];
    if (!slot) slot = std::make_shared<Entry>();
    entry = slot;
  }
  std::lock_guard lock(entry->mutex);
  if (!entry->made) {
    auto bytes = remote_bytes(url);
    if (!bytes.ok()) {
      entry->made = bytes.error();
    } else {
      Hasher key;
      key.add("remote").add(url);
      auto shared = std::make_shared<std::string>(std::move(bytes.value()));
      ImageSource source{url, content_hash(*shared), "_img/" + key.hex().substr(0, 8) + "/" + name,
                         [shared]() -> Result<std::string> { return *shared; }};
      entry->made = make_image(tenant, source, placeholder);
    }
  }
  return *entry->made;
}

Result<ImageInfo> AssetPipeline::size_of(const ImageSource& source, std::optional<std::string>& bytes) {
  {
    std::lock_guard lock(mutex_);
    if (auto known = sizes_.find(source.hash); known != sizes_.end()) return known->second;
  }
  if (!bytes) {
    auto read = source.load();
    if (!read.ok()) return read.error();
    bytes = std::move(read.value());
  }
  auto probed = probe_image(*bytes, config_.limits.image_pixels, source.name);
  if (!probed.ok()) return probed.error();
  std::lock_guard lock(mutex_);
  ++counts_.probed;
  sizes_[source.hash] = probed.value();
  new_sizes_[source.hash] = probed.value();
  return probed.value();
}

Result<std::string> AssetPipeline::cached(const std::string& name, const std::function<Result<std::string>()>& encode) {
  const std::filesystem::path file = cache_folder_ / name;
  // One encoding per cache file, even for two copies of an image under two names.
  std::shared_ptr<std::mutex> encoding;
  {
    std::lock_guard lock(mutex_);
    auto& slot = encoding_[name];
    if (!slot) slot = std::make_shared<std::mutex>();
    encoding = slot;
  }
  std::lock_guard encoding_lock(*encoding);
  std::error_code ignored;
  if (std::filesystem::is_regular_file(file, ignored)) {
    std::lock_guard lock(mutex_);
    ++counts_.reused;
    return name;
  }
  auto bytes = encode();
  if (!bytes.ok()) return bytes.error();
  if (Status written = write_file_atomic(file, bytes.value()); !written.ok()) return written.error();
  std::lock_guard lock(mutex_);
  ++counts_.encoded;
  return name;
}

Result<ResponsiveImage> AssetPipeline::make_image(const std::string& tenant, const ImageSource& origin,
                                                  bool placeholder) {
  const std::string& site_path = origin.name;
  const std::string& hash = origin.hash;
  std::optional<std::string> bytes;  // read once, when a size or a variant needs it
  auto source = [&]() -> Result<std::string> {
    if (!bytes) {
      auto read = origin.load();
      if (!read.ok()) return read.error();
      bytes = std::move(read.value());
      // The size check stands before any decoding, even for an image whose size is known.
      auto probed = probe_image(*bytes, config_.limits.image_pixels, site_path);
      if (!probed.ok()) return probed.error();
    }
    return *bytes;
  };
  auto size = size_of(origin, bytes);
  if (!size.ok()) return size.error();
  ResponsiveImage image;
  image.info = size.value();
  const ImageSettings& settings = config_.images;
  const std::string& stem = origin.stem;
  // The modern formats, then the image's own (the fallback). Each width is
  // decoded and shrunk once, whatever the number of formats missing from the cache.
  std::vector<ImageFormat> formats;
  // Asked of libvips on the first image: a build without one never starts libvips.
  std::call_once(formats_known_, [this] {
    for (const std::string& format_name : config_.images.formats)
      if (auto format = modern_format_named(format_name); format && can_encode(*format)) modern_formats_.push_back(*format);
  });
  for (ImageFormat format : modern_formats_)
    if (format != image.info.format) formats.push_back(format);  // else the fallback is this format already
  formats.push_back(image.info.format);
  std::vector<std::vector<ImageVariant>> variants(formats.size());
  for (int width : widths_for(settings.widths, image.info.width)) {
    std::optional<ShrunkImage> shrunk;
    for (size_t i = 0; i < formats.size(); ++i) {
      const ImageFormat format = formats[i];
      const EncodeSettings encoding{width, format, settings.quality, settings.strip_metadata};
      std::string name = variant_cache_name(hash, width, format, settings.quality, settings.strip_metadata);
      auto made = cached(name, [&]() -> Result<std::string> {
        if (!shrunk) {
          auto original = source();
          if (!original.ok()) return original.error();
          auto decoded = ShrunkImage::make(original.value(), width, site_path);
          if (!decoded.ok()) return decoded.error();
          shrunk.emplace(std::move(decoded.value()));
        }
        return shrunk->encode(encoding, site_path);
      });
      if (!made.ok()) return made.error();
      std::string variant_path = stem + "." + std::to_string(width) + "w." + name.substr(0, 8) + "." +
                                 std::string(format_extension(format));
      variants[i].push_back({width, variant_path});
      image.outputs.push_back({tenant + "/" + variant_path, site_path, hash, name});
    }
  }
  for (size_t i = 0; i + 1 < formats.size(); ++i) image.modern.push_back({formats[i], std::move(variants[i])});
  image.fallback = std::move(variants.back());
  if (placeholder) {
    Hasher key;
    key.add("placeholder").add(hash);
    const std::string name = key.hex() + ".placeholder.webp";
    auto made = cached(name, [&]() -> Result<std::string> {
      auto original = source();
      if (!original.ok()) return original.error();
      return encode_placeholder(original.value(), site_path);
    });
    if (!made.ok()) return made.error();
    auto tiny = read_cached(cache_folder_ / name);
    if (!tiny.ok()) return tiny.error();
    image.placeholder = "data:image/webp;base64," + base64_encode(tiny.value());
  }
  return image;
}

AssetOutput AssetPipeline::fingerprint(const std::string& tenant, const std::string& path) const {
  const std::string site_path = "static/" + tenant + "/" + path;
  const std::string hash = hash_of_(site_path).value_or("");
  const std::string extension = extension_of(path);
  std::string fingerprinted = stem_of(path) + "." + hash.substr(0, 8) + (extension.empty() ? "" : "." + extension);
  return {tenant + "/" + fingerprinted, site_path, hash, ""};
}

AssetCounts AssetPipeline::counts() const {
  std::lock_guard lock(mutex_);
  return counts_;
}

std::map<std::string, ImageInfo> AssetPipeline::new_sizes() const {
  std::lock_guard lock(mutex_);
  return new_sizes_;
}

}  // namespace isrgen::assets
