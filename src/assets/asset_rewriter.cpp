#include "assets/asset_rewriter.h"

#include <algorithm>
#include <optional>

#include "assets/asset_reference.h"
#include "assets/html_scan.h"
#include "site/dependency_tag.h"

namespace isrgen::assets {
namespace {

constexpr std::string_view kSkipAttribute = "data-isrgen-skip";
constexpr std::string_view kPlaceholderAttribute = "data-isrgen-placeholder";

bool is_raster(const std::string& extension) {
  return extension == "jpg" || extension == "jpeg" || extension == "png" || extension == "webp";
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// Whether the space-separated `list` holds `token` (ASCII case-insensitive).
bool has_token(std::string_view list, std::string_view token) {
  std::string text = lower(list);
  size_t at = 0;
  while (at < text.size()) {
    size_t end = text.find_first_of(" \t\n\r\f", at);
    if (end == std::string::npos) end = text.size();
    if (std::string_view(text).substr(at, end - at) == token) return true;
    at = end + 1;
  }
  return false;
}

std::string srcset_of(const std::vector<ImageVariant>& variants, const AssetPage& page, bool absolute) {
  std::string srcset;
  for (const ImageVariant& variant : variants) {
    if (!srcset.empty()) srcset += ", ";
    srcset += asset_url(variant.path, absolute, page.base_url) + " " + std::to_string(variant.width) + "w";
  }
  return srcset;
}

class Rewriter {
 public:
  Rewriter(std::string_view html, const AssetPage& page, AssetPipeline& pipeline, const ImageSettings& settings)
      : html_(html), page_(page), pipeline_(pipeline), settings_(settings) {}

  PageAssets run() {
    std::vector<HtmlTag> tags = find_tags(html_, {"img", "link", "script"});
    size_t copied = 0;
    for (const HtmlTag& tag : tags) {
      std::optional<std::string> replacement = tag.name == "img" ? image(tag) : linked(tag);
      if (!replacement) continue;
      result_.html.append(html_.substr(copied, tag.begin - copied));
      result_.html += *replacement;
      copied = tag.end;
    }
    if (copied == 0) result_.html = std::string(html_);
    else result_.html.append(html_.substr(copied));
    std::sort(result_.tags.begin(), result_.tags.end());
    result_.tags.erase(std::unique(result_.tags.begin(), result_.tags.end()), result_.tags.end());
    std::sort(result_.outputs.begin(), result_.outputs.end(),
              [](const AssetOutput& a, const AssetOutput& b) { return a.output < b.output; });
    result_.outputs.erase(std::unique(result_.outputs.begin(), result_.outputs.end(),
                                      [](const AssetOutput& a, const AssetOutput& b) { return a.output == b.output; }),
                          result_.outputs.end());
    return std::move(result_);
  }

 private:
  std::string_view text_of(const HtmlTag& tag) const { return html_.substr(tag.begin, tag.end - tag.begin); }

  void warn(const HtmlTag& tag, const std::string& problem) {
    std::string written(text_of(tag).substr(0, 200));
    result_.warnings.push_back(page_.where + ": " + written + ": " + problem + " (left as written)");
  }

  // The static file `url` names, recorded as the page's asset; nullopt when
  // it names none or the file is missing (warned about).
  std::optional<AssetReference> local_file(const HtmlTag& tag, const std::string& url,
                                           bool (*wanted)(const std::string& extension)) {
    auto reference = resolve_asset_reference(url, page_.page_url, page_.base_url);
    if (!reference || !wanted(extension_of(reference->path))) return std::nullopt;
    result_.tags.push_back(asset_tag(page_.tenant + "/" + reference->path));
    const std::string site_path = "static/" + page_.tenant + "/" + reference->path;
    if (!pipeline_.hash_of(site_path)) {
      warn(tag, site_path + " does not exist");
      return std::nullopt;
    }
    return reference;
  }

  std::optional<std::string> image(const HtmlTag& tag) {
    const HtmlAttribute* src = tag.find("src");
    if (!src || tag.find("srcset") || tag.find(kSkipAttribute)) return std::nullopt;
    bool placeholder = settings_.placeholder;
    if (const HtmlAttribute* asked = tag.find(kPlaceholderAttribute))
      placeholder = !asked->has_value || lower(asked->value) != "false";
    bool absolute = false;  // the variants' URLs written with the tenant's base_url
    std::optional<Result<ResponsiveImage>> made;
    if (auto remote = resolve_remote_reference(src->value, settings_.remote_hosts)) {
      result_.tags.push_back(asset_tag(remote->url));
      made = pipeline_.remote_image(page_.tenant, remote->url, remote->name, placeholder);
    } else if (auto reference = local_file(tag, src->value, [](const std::string& extension) { return is_raster(extension); })) {
      absolute = reference->absolute;
      made = pipeline_.image(page_.tenant, reference->path, placeholder);
    } else {
      return std::nullopt;
    }
    if (!made->ok()) {
      warn(tag, made->error().to_string());
      return std::nullopt;
    }
    const ResponsiveImage& image = made->value();
    result_.outputs.insert(result_.outputs.end(), image.outputs.begin(), image.outputs.end());
    return picture_markup(tag, image, absolute);
  }

  // width and height as displayed, unless the author wrote them; one the
  // author wrote gives the other by the image's aspect ratio.
  static std::string dimensions(const HtmlTag& tag, const ImageInfo& info) {
    const HtmlAttribute* width = tag.find("width");
    const HtmlAttribute* height = tag.find("height");
    auto scaled = [](const HtmlAttribute& given, int64_t numerator, int64_t denominator) -> std::string {
      int shown = std::atoi(given.value.c_str());
      if (shown <= 0) return "";
      return std::to_string((shown * numerator + denominator / 2) / denominator);
    };
    if (!width && !height)
      return " width=\"" + std::to_string(info.width) + "\" height=\"" + std::to_string(info.height) + "\"";
    if (width && !height) {
      std::string value = scaled(*width, info.height, info.width);
      return value.empty() ? "" : " height=\"" + value + "\"";
    }
    if (height && !width) {
      std::string value = scaled(*height, info.width, info.height);
      return value.empty() ? "" : " width=\"" + value + "\"";
    }
    return "";
  }

  // The <picture> (or the <img> alone, without modern formats) for `image`.
  std::string picture_markup(const HtmlTag& tag, const ResponsiveImage& image, bool absolute) const {
    const HtmlAttribute* sizes_attribute = tag.find("sizes");
    const std::string sizes = sizes_attribute ? sizes_attribute->value : "100vw";
    const HtmlAttribute* loading = tag.find("loading");
    const HtmlAttribute* priority = tag.find("fetchpriority");
    const bool is_priority =
        (loading && lower(loading->value) == "eager") || (priority && lower(priority->value) == "high");
    const HtmlAttribute* style = tag.find("style");

    std::string img = "<img src=\"" + escape_attribute(asset_url(image.fallback.back().path, absolute, page_.base_url)) + "\"";
    img += " srcset=\"" + escape_attribute(srcset_of(image.fallback, page_, absolute)) + "\"";
    img += " sizes=\"" + escape_attribute(sizes) + "\"";
    img += dimensions(tag, image.info);
    for (const HtmlAttribute& attribute : tag.attributes) {
      if (attribute.name == "src" || attribute.name == "sizes" || attribute.name == kPlaceholderAttribute ||
          (attribute.name == "style" && !image.placeholder.empty()))
        continue;
      img += ' ';
      img += attribute.source;
    }
    if (!is_priority && !loading) img += " loading=\"lazy\"";
    if (!is_priority && !tag.find("decoding")) img += " decoding=\"async\"";
    if (!image.placeholder.empty()) {
      std::string css = "background-size:cover;background-image:url(" + image.placeholder + ")";
      if (style && !style->value.empty()) css += ";" + style->value;
      img += " style=\"" + escape_attribute(css) + "\"";
    }
    img += tag.self_closing ? " />" : ">";
    if (image.modern.empty()) return img;
    std::string picture = "<picture>";
    for (const ResponsiveImage::Modern& modern : image.modern)
      picture += "<source type=\"" + std::string(format_mime_type(modern.format)) + "\" srcset=\"" +
                 escape_attribute(srcset_of(modern.variants, page_, absolute)) + "\" sizes=\"" +
                 escape_attribute(sizes) + "\">";
    return picture + img + "</picture>";
  }

  // A stylesheet or script: only its URL changes.
  std::optional<std::string> linked(const HtmlTag& tag) {
    const HtmlAttribute* url = nullptr;
    bool (*wanted)(const std::string&) = nullptr;
    if (tag.name == "link") {
      const HtmlAttribute* rel = tag.find("rel");
      if (!rel || !has_token(rel->value, "stylesheet")) return std::nullopt;
      url = tag.find("href");
      wanted = [](const std::string& extension) { return extension == "css"; };
    } else {
      url = tag.find("src");
      wanted = [](const std::string& extension) { return extension == "js" || extension == "mjs"; };
    }
    if (!url || !url->has_value || tag.find(kSkipAttribute)) return std::nullopt;
    auto reference = local_file(tag, url->value, wanted);
    if (!reference) return std::nullopt;
    AssetOutput copy = pipeline_.fingerprint(page_.tenant, reference->path);
    const std::string path = copy.output.substr(page_.tenant.size() + 1);
    result_.outputs.push_back(std::move(copy));
    std::string_view written = text_of(tag);
    const size_t at = static_cast<size_t>(url->source.data() - html_.data()) - tag.begin;
    return std::string(written.substr(0, at)) + url->name + "=\"" +
           escape_attribute(asset_url(path, reference->absolute, page_.base_url)) + "\"" +
           std::string(written.substr(at + url->source.size()));
  }

  std::string_view html_;
  const AssetPage& page_;
  AssetPipeline& pipeline_;
  const ImageSettings& settings_;
  PageAssets result_;
};

}  // namespace

PageAssets rewrite_asset_references(std::string_view html, const AssetPage& page, AssetPipeline& pipeline,
                                    const ImageSettings& settings) {
  return Rewriter(html, page, pipeline, settings).run();
}

}  // namespace isrgen::assets
