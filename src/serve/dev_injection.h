// The live-reload script of `isrgen dev`, added to every HTML answer of the
// preview as it is served (the files in out/ never hold it). It listens on
// /_isrgen/events (dev_events.h) and, for each `build` event
// (dev_build_event.h):
//   - shows the build's errors as an overlay (`file:line: message`), or
//     removes the overlay once a build is good; the page stays as it was;
//   - goes to the page the author just edited, when it is another page of
//     this tenant;
//   - reloads when this page changed, when a file of this tenant's static/
//     other than a stylesheet changed, or when the watcher missed changes;
//   - otherwise swaps the changed stylesheets in place (their href with a
//     cache-busting query), without a reload.
// A page whose stream connects again (dev restarted, or the page fell behind
// and was dropped) reloads: it may have missed builds.
// The errors of the latest build are written into the page too, so a page
// loaded after a failed build shows them before the stream connects.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace isrgen::serve {

struct LiveReloadContext {
  std::string tenant;               // "" on the index page
  std::string url;                  // this page's path on the tenant's host: "/summer/"
  std::vector<std::string> errors;  // of the latest build
};

// `html` with the script inserted before its last </body> (any case), or
// appended when it has none.
std::string inject_live_reload(std::string_view html, const LiveReloadContext& context);

}  // namespace isrgen::serve
