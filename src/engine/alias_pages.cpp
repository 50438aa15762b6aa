#include "engine/alias_pages.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "engine/precache_manifest.h"
#include "engine/sitemap.h"
#include "engine/tenant_files.h"
#include "site/aliases.h"
#include "template/escape.h"
#include "util/json_nesting.h"

namespace isrgen {
namespace {

// A record file larger than this is not one isrgen wrote: it is taken as empty.
constexpr size_t kMaxRecordBytes = 64 << 20;

using Redirect = RecordedRedirect;
using Redirects = RedirectsByAlias;

std::string record_path(const std::string& tenant) { return tenant + "/" + kRedirectsName; }

Redirects load_record(const std::filesystem::path& out, const std::string& tenant, const Disk& disk) {
  if (disk.signature(out, record_path(tenant)).empty()) return {};
  auto text = disk.read(out, record_path(tenant), kMaxRecordBytes, "");
  return text.ok() ? parse_redirect_record(text.value()) : Redirects{};
}

// Whether the variant `claim` owns `alias`: the alias's language is its own,
// or the page has no variant in that language and this is the default one.
bool owns(const AliasClaim& claim, const std::string& alias, const SiteConfig& config) {
  const std::string lang = alias_language(alias, config.languages, config.default_language);
  if (lang == claim.key.lang) return true;
  return claim.key.lang == config.default_language &&
         std::find(claim.languages.begin(), claim.languages.end(), lang) == claim.languages.end();
}

class AliasWriter {
 public:
  AliasWriter(const std::filesystem::path& out, const SiteConfig& config, const AliasInputs& inputs, Disk& disk)
      : out_(out), config_(config), inputs_(inputs), disk_(disk) {}

  void update(const std::string& tenant) {
    const Redirects before = load_record(out_, tenant, disk_);
    Redirects now;
    std::set<PageKey> claiming;
    std::vector<const AliasClaim*> claims;
    for (const AliasClaim& claim : inputs_.rendered)
      if (claim.tenant == tenant) claims.push_back(&claim);
    std::vector<std::pair<const AliasClaim*, std::vector<std::string>>> parsed;
    for (const AliasClaim* claim : claims) {
      auto aliases = page_aliases(*claim->file);
      if (!aliases.ok()) {
        outcome_.errors.push_back(aliases.error());
        continue;  // the page keeps the aliases it had
      }
      claiming.insert(claim->key);
      parsed.emplace_back(claim, std::move(aliases.value()));
    }
    for (const auto& [alias, redirect] : before) {
      if (claiming.contains(redirect.key) || inputs_.removed.contains(redirect.key)) continue;
      if (inputs_.page_outputs.contains(redirect.output) || is_static(redirect.output)) continue;  // a page took its place
      now.emplace(alias, redirect);
    }
    const TenantConfig& settings = config_.tenants.at(tenant);
    for (const auto& [claim, aliases] : parsed) {
      for (const std::string& alias : aliases) {
        if (!owns(*claim, alias, config_)) continue;
        const std::string output = alias_output(tenant, alias);
        if (std::string clash = clash_of(now, alias, output); !clash.empty()) {
          outcome_.errors.push_back(error_at(*claim->file, "alias '" + alias + "' " + clash));
          continue;
        }
        now.emplace(alias, Redirect{settings.base_url + claim->url, claim->url, claim->key, output});
      }
    }
    write(tenant, before, now);
  }

  void forget(const std::string& tenant) { write(tenant, load_record(out_, tenant, disk_), {}); }

  AliasOutcome take() { return std::move(outcome_); }

 private:
  bool is_static(const std::string& output) const {
    return inputs_.static_files && inputs_.static_files->contains(output);
  }

  std::string clash_of(const Redirects& now, const std::string& alias, const std::string& output) const {
    if (inputs_.page_outputs.contains(output)) return "is the URL of a page: remove it from aliases";
    if (is_generated_file(output))
      return "is the place of a file isrgen writes (a page's metadata, the sitemap, robots.txt, a 404 page or the "
             "precache manifest): remove it from aliases";
    if (is_static(output)) return "is the URL of a static file (static/" + output + "): remove one of them";
    if (auto other = now.find(alias); other != now.end())
      return "is already an alias of " + other->second.key.page + " (" + other->second.key.lang +
             "): an old URL can lead to one page only";
    return "";
  }

  // A file the build writes besides pages and aliases, which an alias page would replace.
  bool is_generated_file(const std::string& output) const {
    if (output.ends_with("/index.metadata.json") || is_sitemap_output(output)) return true;
    const size_t slash = output.find('/');
    std::string inside = output.substr(slash + 1);
    for (const std::string& lang : config_.languages)
      if (inside == lang + "/" + kNotFoundName) return true;
    return inside == kRobotsName || inside == kNotFoundName || inside == kPrecacheManifestName;
  }

  static Error error_at(const PageFile& file, std::string message) {
    auto where = file.field_locations.find("aliases");
    return where != file.field_locations.end() ? make_error(where->second.file, where->second.line, std::move(message))
                                               : make_error(file.display_path, 0, std::move(message));
  }

  // Writes the alias pages new or changed (or missing), removes those gone, and the record.
  void write(const std::string& tenant, const Redirects& before, const Redirects& now) {
    std::set<std::string> kept;
    for (const auto& [alias, redirect] : now) {
      kept.insert(redirect.output);
      auto old = before.find(alias);
      if (old != before.end() && old->second == redirect && !disk_.signature(out_, redirect.output).empty()) continue;
      const std::string lang = redirect.key.lang.empty() ? config_.default_language : redirect.key.lang;
      auto written = disk_.write(out_, redirect.output, alias_page_html(redirect.location, lang), WriteMode::kIfChanged);
      if (!written.ok()) outcome_.errors.push_back(written.error());
      else if (written.value().written) outcome_.written.push_back(redirect.output);
    }
    for (const auto& [alias, redirect] : before) {
      const std::string& output = redirect.output;
      if (kept.contains(output) || inputs_.page_outputs.contains(output) || is_static(output)) continue;
      if (output.empty() || disk_.signature(out_, output).empty()) continue;
      disk_.remove(out_, output);
      outcome_.removed.push_back(output);
    }
    if (before == now) return;
    if (now.empty()) {
      disk_.remove(out_, record_path(tenant));
      return;
    }
    auto written = disk_.write(out_, record_path(tenant), redirect_record_json(now), WriteMode::kIfChanged);
    if (!written.ok()) outcome_.errors.push_back(written.error());
  }

  const std::filesystem::path& out_;
  const SiteConfig& config_;
  const AliasInputs& inputs_;
  Disk& disk_;
  AliasOutcome outcome_;
};

}  // namespace

RedirectsByAlias parse_redirect_record(std::string_view text) {
  RedirectsByAlias redirects;
  // {alias: {field: text}}: a record nested deeper was not written by isrgen.
  if (json_nesting_past(text, 2)) return redirects;
  auto parsed = nlohmann::json::parse(text, nullptr, false);
  if (!parsed.is_object()) return redirects;
  for (auto& [alias, value] : parsed.items()) {
    if (!value.is_object()) continue;
    const nlohmann::json& entry = value;
    auto text_of = [&entry](const char* name) {
      auto field = entry.find(name);
      return field != entry.end() && field->is_string() ? field->get<std::string>() : std::string();
    };
    RecordedRedirect redirect{text_of("location"), text_of("target"), {text_of("page"), text_of("lang")},
                              text_of("output")};
    if (!redirect.location.empty() && !redirect.output.empty()) redirects.emplace(alias, std::move(redirect));
  }
  return redirects;
}

std::string redirect_record_json(const RedirectsByAlias& redirects) {
  nlohmann::json record = nlohmann::json::object();
  for (const auto& [alias, redirect] : redirects)
    record[alias] = {{"location", redirect.location}, {"target", redirect.target}, {"page", redirect.key.page},
                     {"lang", redirect.key.lang},     {"output", redirect.output}};
  return record.dump(2) + "\n";
}

std::string alias_page_html(const std::string& location, const std::string& lang) {
  std::string url;
  tmpl::append_html_escaped(url, location);
  std::string language;
  tmpl::append_html_escaped(language, lang);
  return "<!DOCTYPE html>\n<html lang=\"" + language + "\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + url +
         "</title>\n<link rel=\"canonical\" href=\"" + url + "\">\n<meta name=\"robots\" content=\"noindex\">\n"
         "<meta http-equiv=\"refresh\" content=\"0; url=" + url + "\">\n</head>\n<body>\n<p>This page has moved to <a href=\"" +
         url + "\">" + url + "</a>.</p>\n</body>\n</html>\n";
}

AliasOutcome write_alias_pages(const std::filesystem::path& out, const SiteConfig& config, const AliasInputs& inputs,
                               Disk& disk) {
  AliasWriter writer(out, config, inputs, disk);
  for (const std::string& gone : inputs.former_tenants)
    if (!config.tenants.contains(gone)) writer.forget(gone);
  for (const auto& [id, tenant] : config.tenants) writer.update(id);
  return writer.take();
}

}  // namespace isrgen
