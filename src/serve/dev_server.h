// The preview server of `isrgen dev`: the output folder served for people
// editing the site, on the loopback, with no secret and no webhooks. It wires
// the parts of the preview:
//
//   dev_hosts.h        <tenant>.localhost -> that tenant's folder of out/;
//                      localhost -> the index of tenants (dev_index.h)
//   origin_files.h     the files, with the Content-Type `isrgen sync` gives them
//   dev_injection.h    the live-reload script, added to HTML as it is served
//   dev_events.h       GET /_isrgen/events: one `build` event per build
//                      (dev_build_event.h), and the current state on connect
//
// HTML is answered with Cache-Control: no-store (it carries the latest
// build's errors), other files with no-cache and their ETag, so a browser
// asks again each time and gets a 304 when nothing changed. Builds run
// elsewhere (the watch loop of `isrgen dev`) and report here through
// after_build().
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "publish/deploy_config.h"
#include "serve/dev_build_event.h"
#include "serve/dev_events.h"
#include "serve/http_server.h"
#include "site/site_config.h"
#include "site/site_paths.h"
#include "util/error.h"

namespace isrgen::serve {

inline constexpr std::string_view kDevEventsPath = "/_isrgen/events";

struct DevServerSetup {
  SitePaths paths;
  std::string listen = "127.0.0.1:4000";
  SiteConfig config;             // the tenants to route to, until a build reads them again
  publish::DeployConfig deploy;  // the Content-Type rules of the files
  ServerLimits limits;
  EventHubLimits events;
  int heartbeat_ms = 15'000;     // a comment on every event stream this often
};

class DevServer {
 public:
  // Listens on setup.listen (its error names the address) and starts the heartbeat.
  static Result<std::unique_ptr<DevServer>> start(DevServerSetup setup);
  ~DevServer();  // shutdown(0)
  DevServer(const DevServer&) = delete;
  DevServer& operator=(const DevServer&) = delete;

  uint16_t port() const;

  // After each build: sends its event (numbered here) to every page listening;
  // pages served from now on carry its errors. `config`: the settings the
  // build ran with, which route requests from now on; nullopt keeps the last.
  void after_build(DevBuildEvent event, std::optional<SiteConfig> config);

  // Ends the event streams and stops the server, letting answers in progress
  // finish for up to grace_ms. Idempotent.
  void shutdown(int grace_ms);

  struct State;

 private:
  explicit DevServer(std::shared_ptr<State> state);
  std::shared_ptr<State> state_;
};

}  // namespace isrgen::serve
