#include "serve/dev_injection.h"

#include <nlohmann/json.hpp>

#include "util/ascii.h"

namespace isrgen::serve {
namespace {

// ES5, so any browser an author previews with runs it; `dev` is the context.
constexpr std::string_view kScript = R"JS(
(function (dev) {
  var overlay = null;
  function showErrors(errors) {
    if (overlay) { overlay.parentNode.removeChild(overlay); overlay = null; }
    if (!errors || !errors.length) return;
    overlay = document.createElement('div');
    overlay.id = 'isrgen-error-overlay';
    overlay.setAttribute('style', 'position:fixed;left:0;top:0;right:0;bottom:0;z-index:2147483647;' +
      'overflow:auto;margin:0;padding:2em;background:rgba(30,0,0,.9);color:#fff;' +
      'font:14px/1.5 ui-monospace,monospace;white-space:pre-wrap');
    var title = document.createElement('strong');
    title.textContent = 'isrgen: the last build failed; the page shows its last good version';
    overlay.appendChild(title);
    for (var i = 0; i < errors.length; i++) {
      var line = document.createElement('div');
      line.textContent = errors[i];
      overlay.appendChild(line);
    }
    (document.body || document.documentElement).appendChild(overlay);
  }
  function ofTenant(list) {
    var found = [];
    for (var i = 0; i < (list || []).length; i++) if (list[i].tenant === dev.tenant) found.push(list[i].url);
    return found;
  }
  function swapStylesheets(urls, version) {
    var links = document.querySelectorAll('link[rel~="stylesheet"][href]');
    for (var i = 0; i < links.length; i++) {
      var href = new URL(links[i].getAttribute('href'), location.href);
      // A fingerprinted link (/css/site.3f9a0c1d.css) swaps to its stylesheet's own copy.
      var path = href.pathname.replace(/\.[0-9a-f]{8,}(\.css)$/, '$1');
      if (href.host !== location.host || urls.indexOf(path) < 0) continue;
      href.searchParams.set('isrgen', String(version));
      links[i].setAttribute('href', path + href.search);
    }
  }
  function onBuild(build) {
    showErrors(build.errors);
    var edited = ofTenant(build.edited);
    if (edited.length && edited.indexOf(dev.url) < 0) { location.assign(edited[0]); return; }
    if (build.reload_all || ofTenant(build.pages).indexOf(dev.url) >= 0 || ofTenant(build.assets).length) {
      location.reload();
      return;
    }
    var sheets = ofTenant(build.stylesheets);
    if (sheets.length) swapStylesheets(sheets, build.id);
  }
  function start() {
    showErrors(dev.errors);
    if (!window.EventSource) return;
    var events = new EventSource('/_isrgen/events'), connected = false;
    events.addEventListener('state', function (e) {
      // Connected again (dev restarted, or this page fell behind and was
      // dropped): builds may have gone by unheard, so the page loads anew.
      if (connected) { location.reload(); return; }
      connected = true;
      showErrors(JSON.parse(e.data).errors);
    });
    events.addEventListener('build', function (e) { onBuild(JSON.parse(e.data)); });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
}))JS";

// JSON inside a <script>: "</" would end the element wherever it appears
// (an error message quoting "</div>"); "<\/" is the same JSON string.
std::string script_safe_json(const nlohmann::json& value) {
  std::string text = value.dump();
  std::string safe;
  safe.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    safe += text[i];
    if (text[i] == '<' && i + 1 < text.size() && text[i + 1] == '/') safe += '\\';
  }
  return safe;
}

// Where the last "</body" starts, or npos.
size_t last_body_end(std::string_view html) {
  constexpr std::string_view kBodyEnd = "</body";
  size_t at = html.rfind("</");
  while (at != std::string_view::npos) {
    if (equals_ignoring_ascii_case(html.substr(at, kBodyEnd.size()), kBodyEnd)) return at;
    if (at == 0) break;
    at = html.rfind("</", at - 1);
  }
  return std::string_view::npos;
}

}  // namespace

std::string inject_live_reload(std::string_view html, const LiveReloadContext& context) {
  nlohmann::json dev = {{"tenant", context.tenant}, {"url", context.url}, {"errors", context.errors}};
  std::string script = "<script id=\"isrgen-live-reload\">";
  script += kScript;
  script += "(" + script_safe_json(dev) + ");</script>\n";
  size_t at = last_body_end(html);
  if (at == std::string_view::npos) at = html.size();
  std::string out;
  out.reserve(html.size() + script.size());
  out.append(html.substr(0, at)).append(script).append(html.substr(at));
  return out;
}

}  // namespace isrgen::serve
