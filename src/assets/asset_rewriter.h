// Rewrites the asset references of one rendered page (layout included), so
// templates stay plain Mustache and plain HTML:
//
// - <img src> naming a JPEG, PNG or WebP of the tenant's static files becomes
//   a <picture> with a <source> per [images] format (srcset of its variants,
//   sizes) around the <img>, which gets src (its widest variant in its own
//   format), srcset, sizes (the author's, else 100vw), width and height (as
//   displayed, unless the author wrote them), loading="lazy" and
//   decoding="async" (unless the author wrote loading, or loading="eager" or
//   fetchpriority="high" makes it a priority image). Every other attribute
//   stays as written. `data-isrgen-placeholder` (or [images] placeholder =
//   true) adds a blurred placeholder as the background, inlined as a data:
//   URI; `data-isrgen-placeholder="false"` turns it off for one image;
//   `data-isrgen-skip` leaves the image as written. An <img> that already has
//   a srcset is the author's own responsive markup and stays as written.
// - <link rel="stylesheet" href> naming a .css, and <script src> naming a .js
//   or .mjs, of the tenant's static files get the fingerprinted URL.
// - <img src> on a host of [images] remote_hosts is fetched (once), given
//   the same variants and markup, and published from the tenant's own output
//   (<tenant>/_img/<key of the URL>/...); its tag is asset:<url>.
// - Anything else (other hosts, data: URLs, SVG, GIF) stays as written; a
//   reference to a static file that does not exist is a warning, and stays.
//
// Every static file referenced, found or not, becomes the page's asset: tag,
// so adding, editing or removing it renders exactly the pages that show it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "assets/asset_pipeline.h"

namespace isrgen::assets {

struct AssetPage {
  std::string tenant;
  std::string base_url;  // the tenant's
  std::string page_url;  // tenant-relative: "/summer/"
  std::string where;     // how a warning names the page: "content/pages/acme/summer.md: page acme/summer (en)"
};

struct PageAssets {
  std::string html;
  std::vector<std::string> tags;     // asset:<tenant>/<path>, sorted, unique
  std::vector<AssetOutput> outputs;  // the variants and fingerprinted copies the page uses, sorted by output, unique
  std::vector<std::string> warnings;
};

// `html` with its asset references rewritten; the pipeline makes (or finds)
// the files behind them.
PageAssets rewrite_asset_references(std::string_view html, const AssetPage& page, AssetPipeline& pipeline,
                                    const ImageSettings& settings);

}  // namespace isrgen::assets
